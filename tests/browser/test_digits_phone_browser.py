"""/digits on the smallest phone we serve (360 × 740, touch): a digit drawn with a finger is read, and the canvas
(square, whole) and the Prediction share the first screen, so a student never scrolls between stroke and answer.

The finger's strokes go through Chromium's DevTools protocol (helpers.device_stroke), as a touch screen sends them.
"""

from __future__ import annotations

import pytest

from dlplay import i18n
from dlplay.digits.strokes import CANVAS, HANDS, transform

from .helpers import device_stroke, home_first, wait_for_app, wait_for_prediction

pytestmark = pytest.mark.slow

SMALL_PHONE = dict(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2)
# How far the page has scrolled (Streamlit scrolls its main block, not the window) and zoomed.
VIEW = """() => ({window: window.scrollY, main: document.querySelector('[data-testid=stMain]').scrollTop,
                  zoom: window.visualViewport.scale})"""


@pytest.fixture
def phone(people, app_url):
    return home_first(people.page(**SMALL_PHONE), app_url)


def whole_on_screen(box: dict | None) -> bool:
    return bool(box) and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= 360 \
        and box["y"] + box["height"] <= 740


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_digit_drawn_by_finger_and_its_prediction_on_one_small_screen(phone, app_url, lang):
    phone.goto(f"{app_url}/digits?lang={lang}")
    wait_for_app(phone)
    view = phone.evaluate(VIEW)
    box = phone.locator("canvas").first.bounding_box()
    assert abs(box["width"] - box["height"]) <= 1 and box["width"] >= 260, box
    assert whole_on_screen(box), box

    scale = box["width"] / CANVAS
    for path in transform(HANDS[7][0], 200, (CANVAS / 2, CANVAS / 2)):  # a 7, as strokes.HANDS draws it
        device_stroke(phone, [(box["x"] + x * scale, box["y"] + y * scale) for x, y in path], "touch", pause_ms=8)
    assert wait_for_prediction(phone, lang, "7") == "7"
    wait_for_app(phone)

    label = i18n.text(lang, "digits.prediction")
    prediction = phone.locator("[data-testid=stMetric]").filter(has=phone.get_by_text(label, exact=True))
    assert whole_on_screen(prediction.bounding_box()), prediction.bounding_box()
    assert phone.evaluate(VIEW) == view, "the page scrolled or zoomed"
    assert phone.locator("canvas").first.bounding_box() == box
