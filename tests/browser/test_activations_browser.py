"""§1 in headless Chromium: both languages, charts drawn, a slider moves a readout."""

from urllib.parse import parse_qs, urlparse

import pytest

from dlplay import i18n

from .helpers import metric_value, wait_for_app

pytestmark = pytest.mark.slow


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lesson_renders_in_the_asked_language_with_its_charts(page, app_url, lang):
    page.goto(f"{app_url}/activations?lang={lang}")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == i18n.text(lang, "activations.title")
    # The sidebar is our navigation (page titles in the visitor's language), not Streamlit's file list.
    sidebar = page.locator("[data-testid='stSidebarNav']")
    assert i18n.text(lang, "page.activations") in sidebar.inner_text()
    # All four plotly charts have drawn their SVG (each draws more than one .main-svg, so count the charts).
    page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')]"
                           ".filter(p => p.querySelector('.main-svg')).length >= 4")
    assert page.locator(".js-plotly-plot").count() == 4
    assert metric_value(page, i18n.text(lang, "activations.neuron.y")) == "0.6225"  # sigmoid(1·1 − 1·0.5 + 0)
    assert urlparse(page.url).path == "/activations" and query(page) == {"lang": [lang]}


def test_moving_a_slider_changes_the_readout(page, app_url):
    page.goto(f"{app_url}/activations?lang=en&f=tanh")
    wait_for_app(page)
    label = i18n.text("en", "activations.functions.fx")
    before = metric_value(page, label)
    assert before == "0.7616"  # tanh(1)
    slider = (page.locator("[data-testid='stSlider']").filter(has=page.get_by_text("x", exact=True))
              .get_by_role("slider"))
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")  # 1.0 -> 0.5 in steps of 0.1
    page.wait_for_function(
        "([label, before]) => [...document.querySelectorAll('[data-testid=stMetric]')]"
        ".some(m => m.innerText.includes(label) && !m.innerText.includes(before))",
        arg=[label, before],
    )
    wait_for_app(page)
    assert metric_value(page, label) == "0.4621"  # tanh(0.5)
    assert metric_value(page, i18n.text("en", "activations.functions.dfx")) == "0.7864"  # 1 - tanh²(0.5)
    page.wait_for_function("new URLSearchParams(location.search).get('x') === '0.5'")
    assert query(page) == {"lang": ["en"], "f": ["tanh"], "x": ["0.5"]}


def test_switching_language_in_the_sidebar(page, app_url):
    page.goto(f"{app_url}/activations?lang=en&w1=2")
    wait_for_app(page)
    page.locator("[data-testid='stSidebar']").locator("button", has_text="中文").click()
    title = i18n.text("zh", "activations.title")
    page.wait_for_function(f"document.querySelector('h1') && document.querySelector('h1').innerText === '{title}'")
    wait_for_app(page)
    assert query(page) == {"lang": ["zh"], "w1": ["2"]}  # the language changes, the settings stay
    assert metric_value(page, i18n.text("zh", "activations.neuron.z")) == "1.500"  # 2·1 − 1·0.5 + 0
