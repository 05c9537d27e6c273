"""Each lesson's answer on a real phone's first screen, without scrolling, in headless Chromium: the visible area of
an iPhone behind Safari's bars (390 x 664), an SE-class phone (320 x 640), and /text with the keyboard open
(390 x 450). The page's introduction is folded there, and what a page changes comes before its settings."""

from __future__ import annotations

import pytest

from dlplay import i18n

from .helpers import device_stroke, wait_for_app, wait_for_prediction, wait_until_still

pytestmark = pytest.mark.slow

PHONES = {"390x664": (390, 664), "320x640": (320, 640)}
LANG = "en"


@pytest.fixture(params=list(PHONES), ids=list(PHONES))
def phone(request, browser):
    width, height = PHONES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def on_first_screen(page, box: dict | None, whole: bool = True) -> bool:
    """Whether `box` is inside the viewport as the page opened (`whole`), or starts inside it."""
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and (box["y"] + box["height"] if whole else box["y"] + 40) <= height


def opened(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    wait_until_still(page)
    assert page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop") == 0


def test_digits_the_reading_under_the_pad(phone, served):
    opened(phone, f"{served}/digits?lang={LANG}")
    box = phone.locator("canvas").first.bounding_box()
    x, y, side = box["x"], box["y"], box["width"]
    device_stroke(phone, [(x + side / 2, y + side * (0.15 + 0.7 * k / 19)) for k in range(20)], "touch")
    wait_for_prediction(phone, LANG, "1")
    wait_for_app(phone)
    prediction = phone.locator("[data-testid=stMetric]").filter(
        has=phone.get_by_text(i18n.text(LANG, "digits.prediction"), exact=True))
    assert on_first_screen(phone, prediction.bounding_box()), prediction.bounding_box()
    assert on_first_screen(phone, phone.locator("canvas").first.bounding_box())


def test_xor_play_and_the_view_before_the_settings(phone, served):
    opened(phone, f"{served}/xor?lang={LANG}&model=mlp")
    play = phone.locator(".xor-view button.play")
    assert on_first_screen(phone, play.bounding_box()), play.bounding_box()
    settings = phone.get_by_text(i18n.text(LANG, "xor.model"), exact=True).first.bounding_box()
    assert settings["y"] > play.bounding_box()["y"]  # the settings come after what they change


def test_activations_the_neurons_plane_starts_on_the_first_screen(phone, served):
    opened(phone, f"{served}/activations?lang={LANG}")
    phone.locator(".js-plotly-plot .main-svg").first.wait_for()
    assert on_first_screen(phone, phone.locator(".js-plotly-plot").first.bounding_box(), whole=False)


def test_text_the_sentiment_in_view_with_the_keyboard_open(browser, served):
    context = browser.new_context(viewport={"width": 390, "height": 450}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        opened(page, f"{served}/text?lang={LANG}")
        sentiment = page.locator("[data-testid=stMetric]").filter(
            has=page.get_by_text(i18n.text(LANG, "text.sentiment"), exact=True))
        assert on_first_screen(page, sentiment.bounding_box()), sentiment.bounding_box()
        box = page.locator("[data-testid=stBidiComponentIsolated]").filter(has=page.locator(".live-input")).first
        assert sentiment.bounding_box()["y"] > box.bounding_box()["y"]  # right under the box typed in
    finally:
        context.close()
