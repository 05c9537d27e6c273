"""Each lesson's answer on a real phone's first screen, without scrolling, in headless Chromium: the visible area of
an iPhone behind Safari's bars (390 x 664), an SE-class phone (320 x 640), and /text with the keyboard open
(390 x 450). The page's introduction is folded there, and what a page changes comes before its settings. In a
class, /digits' reading and the Right/Wrong marks are on that screen too, the class's badge below them."""

from __future__ import annotations

import pytest

from dlplay import i18n
from dlplay.classroom.store import Store

from .helpers import class_server_in, device_stroke, join, wait_for_app, wait_for_prediction, wait_until_still

pytestmark = pytest.mark.slow

PHONES = {"390x664": (390, 664), "320x640": (320, 640)}
LANG = "en"


@pytest.fixture(params=list(PHONES), ids=list(PHONES))
def phone(request, people):
    return people.page(*PHONES[request.param], is_mobile=True, has_touch=True, device_scale_factor=2)


def on_first_screen(page, box: dict | None, whole: bool = True) -> bool:
    """Whether `box` is inside the viewport as the page opened (`whole`), or starts inside it."""
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and (box["y"] + box["height"] if whole else box["y"] + 40) <= height


def scrolled(page) -> int:
    return page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop")


def opened(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    wait_until_still(page)
    assert scrolled(page) == 0


@pytest.fixture(scope="module")
def class_code(browser, tmp_path_factory):
    """(URL, code) of a class on a server of its own, whose database lives in a temporary folder."""
    folder = tmp_path_factory.mktemp("phone_class")
    with class_server_in(folder) as url:
        first = browser.new_page()  # a fresh server's first visitor of a lesson's address sees "Page not found"
        first.goto(url)
        wait_for_app(first)
        first.close()
        store = Store(f"sqlite:///{folder}/data/dlplay.sqlite3")
        try:
            yield url, store.start_class().code
        finally:
            store.close()


def draw_a_one(page) -> None:
    box = page.locator("canvas").first.bounding_box()
    x, y, side = box["x"], box["y"], box["width"]
    device_stroke(page, [(x + side / 2, y + side * (0.15 + 0.7 * k / 19)) for k in range(20)], "touch")
    wait_for_prediction(page, LANG, "1")
    wait_for_app(page)


def prediction_of(page):
    return page.locator("[data-testid=stMetric]").filter(
        has=page.get_by_text(i18n.text(LANG, "digits.prediction"), exact=True))


def test_digits_the_reading_under_the_pad(phone, served):
    opened(phone, f"{served}/digits?lang={LANG}")
    draw_a_one(phone)
    prediction = prediction_of(phone)
    assert on_first_screen(phone, prediction.bounding_box()), prediction.bounding_box()
    assert on_first_screen(phone, phone.locator("canvas").first.bounding_box())


def test_digits_in_a_class_the_reading_and_the_marks_under_the_pad_the_badge_below(phone, class_code):
    url, code = class_code
    opened(phone, f"{url}/digits?lang={LANG}&class={code}")
    join(phone, "Ada", LANG)
    wait_until_still(phone)
    draw_a_one(phone)
    marks = phone.locator(".st-key-class_mark").get_by_role("radio")
    marks.first.wait_for()
    wait_for_app(phone)
    wait_until_still(phone)
    assert scrolled(phone) == 0
    canvas, prediction = phone.locator("canvas").first.bounding_box(), prediction_of(phone).bounding_box()
    assert on_first_screen(phone, canvas) and on_first_screen(phone, prediction), (canvas, prediction)
    assert prediction["y"] >= canvas["y"] + canvas["height"] or prediction["x"] >= canvas["x"] + canvas["width"]
    assert marks.count() == 2
    for mark in (marks.nth(0), marks.nth(1)):  # Right, Wrong
        assert on_first_screen(phone, mark.bounding_box()), mark.bounding_box()
    badge = phone.locator(".st-key-class_badge").bounding_box()
    assert badge["y"] >= prediction["y"] + prediction["height"], (badge, prediction)


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


def test_text_the_sentiment_in_view_with_the_keyboard_open(people, served):
    page = people.page(390, 450, is_mobile=True, has_touch=True, device_scale_factor=2)
    opened(page, f"{served}/text?lang={LANG}")
    sentiment = page.locator("[data-testid=stMetric]").filter(
        has=page.get_by_text(i18n.text(LANG, "text.sentiment"), exact=True))
    assert on_first_screen(page, sentiment.bounding_box()), sentiment.bounding_box()
    box = page.locator("[data-testid=stBidiComponentIsolated]").filter(has=page.locator(".live-input")).first
    assert sentiment.bounding_box()["y"] > box.bounding_box()["y"]  # right under the box typed in
