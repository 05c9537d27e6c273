"""Lesson 3a in headless Chromium: draw a "1" and a "0" with the mouse; the Prediction metric reads them."""

import math

import pytest

from dlplay import i18n

from .helpers import metric_value, stroke, wait_for_app, wait_for_prediction


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_draw_a_one_and_a_zero(page, app_url, lang):
    page.goto(f"{app_url}/digits?lang={lang}")
    wait_for_app(page)
    assert metric_value(page, i18n.text(lang, "digits.prediction")) == "—"
    canvas = page.locator("canvas").last
    box = canvas.bounding_box()
    x, y = box["x"], box["y"]

    stroke(page, [(x + 140, y + 40), (x + 140, y + 140), (x + 140, y + 240)])  # a "1"
    assert wait_for_prediction(page, lang, "1").startswith("1")

    page.get_by_role("button", name="Reset canvas & history").click()
    wait_for_prediction(page, lang, "—")
    ellipse = [(x + 140 + 60 * math.cos(2 * math.pi * k / 24), y + 140 + 95 * math.sin(2 * math.pi * k / 24))
               for k in range(25)]
    stroke(page, ellipse)  # a "0"
    assert wait_for_prediction(page, lang, "0").startswith("0")
