"""Charts on a touch screen: a finger that lands on a chart scrolls the page, and a tap shows the values.

A phone's context (390 × 844, is_mobile, has_touch); the finger's strokes go through Chromium's DevTools protocol
(helpers.device_stroke), as a real touch screen sends them.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .helpers import device_stroke, home_first, wait_for_app, wait_for_charts, wait_until_still

pytestmark = pytest.mark.slow

PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)


@pytest.fixture
def phone(people, app_url):
    return home_first(people.page(**PHONE), app_url)


def chart_in_view(page, index: int):
    """The `index`-th chart, scrolled to the middle of the screen; its box (page pixels relative to the viewport)."""
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length > {index}")
    # Every chart drawn and the page still: a chart not yet drawn has no height, and below a half-drawn page
    # there may be no room left to scroll into (a busy machine draws them one by one).
    wait_for_charts(page)
    wait_until_still(page)
    chart = page.locator(".js-plotly-plot").nth(index)
    chart.evaluate("c => c.scrollIntoView({block: 'center'})")
    chart.element_handle().wait_for_element_state("stable")  # the same box two animation frames in a row
    return chart, chart.bounding_box()


def scroll_top(page) -> float:
    """How far the page has scrolled: Streamlit scrolls its main section, not the window."""
    return page.evaluate("() => Math.max(window.scrollY, ...[...document.querySelectorAll('[data-testid=stMain], "
                         "[data-testid=stAppScrollToBottomContainer], section')].map(e => e.scrollTop))")


def watch_the_scroll(page) -> None:
    """From now on, note when a scroll ends after a finger has lifted (a fling's momentum included)."""
    page.evaluate("""() => { window.lifted = window.scrollEnded = false;
        if (window.watchingScroll) return;
        window.watchingScroll = true;
        addEventListener('touchend', () => { window.lifted = true; }, true);
        addEventListener('scrollend', () => { if (window.lifted) window.scrollEnded = true; }, true); }""")


def wait_for_the_scroll_to_end(page) -> None:
    """Until the scroll the swipe started has ended; a page that never scrolled gives no end, and after 10 s the
    assert that follows says so."""
    try:
        page.wait_for_function("() => window.scrollEnded", timeout=10_000)
    except PlaywrightTimeoutError:
        pass


def ranges(chart) -> list:
    return chart.evaluate("c => [c._fullLayout.xaxis.range.slice(), c._fullLayout.yaxis.range.slice()]")


def test_a_swipe_that_starts_on_a_chart_scrolls_the_page(phone, app_url):
    phone.goto(f"{app_url}/activations?lang=en")
    wait_for_app(phone)
    chart, box = chart_in_view(phone, 1)  # the activation function's curve: full width on a phone
    before, axes = scroll_top(phone), ranges(chart)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.6
    watch_the_scroll(phone)
    device_stroke(phone, [(x, y - step * 30) for step in range(11)], "touch", pause_ms=16)  # 300 px upwards
    wait_for_the_scroll_to_end(phone)
    assert scroll_top(phone) - before > 150  # the page moved with the finger
    assert ranges(chart) == axes  # and the chart did not zoom or pan


def test_a_tap_on_a_chart_shows_its_values(phone, app_url):
    phone.goto(f"{app_url}/activations?lang=en")
    wait_for_app(phone)
    chart, box = chart_in_view(phone, 2)  # softmax: bars as tall as their probabilities
    phone.touchscreen.tap(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.8)
    phone.wait_for_function("document.querySelectorAll('.hoverlayer .hovertext').length > 0", timeout=10_000)
    shown = chart.locator(".hoverlayer .hovertext").first.text_content()
    assert any(character.isdigit() for character in shown), shown  # a probability, read off the bar tapped


def test_a_swipe_across_a_slider_scrolls_the_page_and_leaves_the_slider_alone(phone, app_url):
    phone.goto(f"{app_url}/activations?lang=en")
    wait_for_app(phone)
    slider = phone.locator("[data-testid='stSlider']").nth(2)  # w₁: a full-width track on a phone
    slider.evaluate("s => s.scrollIntoView({block: 'center'})")
    slider.element_handle().wait_for_element_state("stable")
    knob = slider.get_by_role("slider")  # the range input inside the round knob one touches
    thumb = slider.locator("[role=group] > div > div:has(input[type=range])")
    value, box, knob_box = knob.input_value(), slider.bounding_box(), thumb.bounding_box()
    # On the track, well clear of the knob, where a finger crossing the page lands.
    x = box["x"] + box["width"] * 0.9 if knob_box["x"] < box["x"] + box["width"] / 2 else box["x"] + box["width"] * 0.1
    y = knob_box["y"] + knob_box["height"] / 2
    before = scroll_top(phone)
    watch_the_scroll(phone)
    device_stroke(phone, [(x, y - step * 30) for step in range(11)], "touch", pause_ms=16)
    wait_for_the_scroll_to_end(phone)
    wait_for_app(phone)  # a slider that moved would have started a run, and the run would have written w1= in the URL
    assert scroll_top(phone) - before > 150
    assert knob.input_value() == value and "w1=" not in phone.url
    # The knob itself still follows a finger.
    slider.evaluate("s => s.scrollIntoView({block: 'center'})")
    slider.element_handle().wait_for_element_state("stable")
    knob_box = thumb.bounding_box()
    x, y = knob_box["x"] + knob_box["width"] / 2, knob_box["y"] + knob_box["height"] / 2
    device_stroke(phone, [(x + step * 10, y) for step in range(9)], "touch", pause_ms=16)
    phone.wait_for_function("([v]) => document.querySelectorAll('[data-testid=stSlider] input[type=range]')[2]"
                            ".value != v", arg=[value])
    phone.wait_for_function("() => location.search.includes('w1=')")  # and the page heard it
