"""§3.2 in headless Chromium: type a sentence, see the label, the tokens and the hidden-state heat map,
as it is typed (the live box, ui.live_text_input) or on Enter."""

from urllib.parse import parse_qs, urlparse

import pytest

from dlplay import i18n
from dlplay.text import numpy_net as text_model
from dlplay.text import reading as text_reading

from .helpers import metric_value, wait_for_app

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("lang, sentence", [("en", "the film was not good at all"), ("zh", "房间很脏，服务也不好")])
def test_type_a_sentence(page, app_url, lang, sentence):
    page.goto(f"{app_url}/text?lang={lang}")
    wait_for_app(page)
    box = page.get_by_label(i18n.text(lang, "text.input"))
    box.fill(sentence)
    box.press("Enter")
    expected = text_model.predict(sentence)
    verdict = text_reading.verdict(expected, lang)  # the example sentence shown before may have the same label
    page.wait_for_function(
        "([title, verdict]) => [...document.querySelectorAll('[data-testid=stMetric]')]"
        ".some(m => m.innerText.includes(title)"
        " && m.querySelector('[data-testid=stMetricValue]').innerText.trim() === verdict)",
        arg=[i18n.text(lang, "text.sentiment"), verdict], timeout=60_000,
    )
    wait_for_app(page)
    assert metric_value(page, i18n.text(lang, "text.sentiment")) == verdict
    assert expected.label == "negative"
    # the tokens table lists every token, and the hidden-state heat map is drawn
    page.wait_for_selector("[data-testid='stDataFrame']")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .heatmaplayer, .js-plotly-plot .hm')"
                           ".length >= 1")
    assert i18n.text(lang, "text.hidden.title") in page.locator(".js-plotly-plot").nth(1).inner_text()
    # The link holds the sentence typed and the page's language; the other settings are at their defaults.
    assert parse_qs(urlparse(page.url).query) == {"lang": [lang], "text": [sentence]}


def wait_for_sentiment(page, lang, verdict, timeout=30_000):
    page.wait_for_function(
        "([title, verdict]) => [...document.querySelectorAll('[data-testid=stMetric]')]"
        ".some(m => m.innerText.includes(title)"
        " && m.querySelector('[data-testid=stMetricValue]').innerText.trim() === verdict)",
        arg=[i18n.text(lang, "text.sentiment"), verdict], timeout=timeout,
    )


@pytest.mark.parametrize("lang, sentence", [("en", "not good at all"), ("zh", "房间很脏")])
def test_the_page_follows_the_text_as_it_is_typed(page, app_url, lang, sentence):
    """Key by key, no Enter, the box keeps focus: a pause in typing is enough."""
    page.goto(f"{app_url}/text?lang={lang}&text=")
    wait_for_app(page)
    assert metric_value(page, i18n.text(lang, "text.sentiment")) == "—"
    box = page.get_by_label(i18n.text(lang, "text.input"))
    box.press_sequentially(sentence, delay=50)
    expected = text_model.predict(sentence)
    wait_for_sentiment(page, lang, text_reading.verdict(expected, lang))
    assert box.evaluate("input => input.getRootNode().activeElement === input")  # never left the box
    wait_for_app(page)
    assert parse_qs(urlparse(page.url).query) == {"lang": [lang], "text": [sentence]}
    page.wait_for_selector("[data-testid='stDataFrame']")
    # One more word changes the reading again, still without Enter.
    box.press_sequentially(" 好" if lang == "zh" else ", but wonderful", delay=50)
    more = text_model.predict(sentence + (" 好" if lang == "zh" else ", but wonderful"))
    wait_for_sentiment(page, lang, text_reading.verdict(more, lang))


def test_a_text_beyond_the_limit_is_cut_and_the_box_says_so(page, app_url):
    page.goto(f"{app_url}/text?lang=zh&text=")
    wait_for_app(page)
    box = page.get_by_label(i18n.text("zh", "text.input"))
    box.fill("好" * 6000)
    cut = i18n.text("zh", "app.notice.cut", n=5000)
    page.get_by_role("status").filter(has_text=cut).wait_for()  # in the box, as it is typed
    page.locator("[data-testid='stAlert']", has_text=cut).wait_for()  # and on the page once read
    wait_for_app(page)
    assert parse_qs(urlparse(page.url).query)["text"] == ["好" * 5000]
    box.fill("好")
    page.get_by_role("status").filter(has_text=cut).wait_for(state="hidden")


def test_nothing_is_sent_while_an_input_method_composes(page, app_url):
    """Pinyin being composed is not the student's text yet: only the characters it becomes are read."""
    page.goto(f"{app_url}/text?lang=zh&text=")
    wait_for_app(page)
    box = page.get_by_label(i18n.text("zh", "text.input"))
    box.focus()
    box.dispatch_event("compositionstart")
    page.keyboard.insert_text("hen zang")
    # Bounded on purpose: what is checked is that nothing is sent, and a send that never comes gives no event to
    # await; 600 ms is four times the box's pause (150 ms), after which it would have sent.
    page.wait_for_timeout(600)
    assert metric_value(page, i18n.text("zh", "text.sentiment")) == "—"
    box.evaluate("input => { input.value = '很脏'; }")
    box.dispatch_event("compositionend")
    wait_for_sentiment(page, "zh", text_reading.verdict(text_model.predict("很脏"), "zh"))
