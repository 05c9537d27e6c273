"""Lesson 4 in headless Chromium: type a sentence, see the label, the tokens and the hidden-state heat map."""

from urllib.parse import parse_qs, urlparse

import pytest

from dlplay import i18n
from dlplay.text import model as text_model

from .helpers import metric_value, wait_for_app


@pytest.mark.parametrize("lang, sentence", [("en", "the film was not good at all"), ("zh", "房间很脏，服务也不好")])
def test_type_a_sentence(page, app_url, lang, sentence):
    page.goto(f"{app_url}/text?lang={lang}")
    wait_for_app(page)
    box = page.get_by_label(i18n.text(lang, "text.input"))
    box.fill(sentence)
    box.press("Enter")
    expected = text_model.predict(sentence)
    verdict = text_model.verdict(expected, lang)  # the example sentence shown before may have the same label
    page.wait_for_function(
        "([title, verdict]) => [...document.querySelectorAll('[data-testid=stMetric]')]"
        ".some(m => m.innerText.includes(title) && m.querySelector('[data-testid=stMetricValue]').innerText.trim() === verdict)",
        arg=[i18n.text(lang, "text.sentiment"), verdict], timeout=60_000,
    )
    wait_for_app(page)
    assert metric_value(page, i18n.text(lang, "text.sentiment")) == verdict
    assert expected.label == "negative"
    # the tokens table lists every token, and the hidden-state heat map is drawn
    page.wait_for_selector("[data-testid='stDataFrame']")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .heatmaplayer, .js-plotly-plot .hm').length >= 1")
    assert i18n.text(lang, "text.hidden.title") in page.locator(".js-plotly-plot").nth(1).inner_text()
    # The link holds the sentence typed and the page's language; the other settings are at their defaults.
    assert parse_qs(urlparse(page.url).query) == {"lang": [lang], "text": [sentence]}
