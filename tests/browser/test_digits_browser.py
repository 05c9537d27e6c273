"""§3.1 in headless Chromium: draw a "1", make it a "7" and undo that, clear, draw a "0", with the mouse;
the Prediction metric reads each, and the steps under it follow when the pen lifts. Undo and Clear are buttons
beside the canvas, in the visitor's language. A 1 with a long flag, in one stroke as Chinese schools teach it,
reads 1; a drawn A reads "not a digit"."""

import math

import pytest

from dlplay import i18n

from .helpers import metric_value, stroke, wait_for_app, wait_for_prediction

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_draw_a_one_and_a_zero(page, app_url, lang):
    page.goto(f"{app_url}/digits?lang={lang}")
    wait_for_app(page)
    assert metric_value(page, i18n.text(lang, "digits.prediction")) == "—"
    box = page.locator("canvas").first.bounding_box()
    x, y, side = box["x"], box["y"], box["width"]
    undo = page.get_by_role("button", name=i18n.text(lang, "digits.pad.undo"))
    clear = page.get_by_role("button", name=i18n.text(lang, "digits.pad.clear"))
    assert undo.is_visible() and clear.is_visible() and clear.is_disabled()

    at = lambda u, v: (x + side * u, y + side * v)  # noqa: E731 - a point of the canvas, in its fractions
    stroke(page, [at(0.5, 0.15), at(0.5, 0.5), at(0.5, 0.85)])  # a "1"
    assert wait_for_prediction(page, lang, "1").startswith("1")
    stroke(page, [at(0.22, 0.15), at(0.5, 0.15)])  # its flag: a "7"
    assert wait_for_prediction(page, lang, "7").startswith("7")
    # The pen lifted: the steps and the MNIST digits under the reading follow it.
    page.get_by_text(i18n.text(lang, "digits.compare", digit=7)).wait_for()
    undo.click()  # the flag goes, the "1" stays
    assert wait_for_prediction(page, lang, "1").startswith("1")
    page.get_by_text(i18n.text(lang, "digits.compare", digit=1)).wait_for()

    clear.click()
    wait_for_prediction(page, lang, "—")
    assert clear.is_disabled()
    stroke(page, [at(0.5 + 0.21 * math.cos(2 * math.pi * k / 24), 0.5 + 0.34 * math.sin(2 * math.pi * k / 24))
                  for k in range(25)])  # a "0"
    assert wait_for_prediction(page, lang, "0").startswith("0")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_flagged_one_reads_one_and_a_letter_is_not_a_digit(page, app_url, lang):
    page.goto(f"{app_url}/digits?lang={lang}")
    wait_for_app(page)
    box = page.locator("canvas").first.bounding_box()
    at = lambda u, v: (box["x"] + box["width"] * u, box["y"] + box["width"] * v)  # noqa: E731
    clear = page.get_by_role("button", name=i18n.text(lang, "digits.pad.clear"))

    stroke(page, [at(0.3, 0.38), at(0.42, 0.25), at(0.55, 0.12), at(0.55, 0.5), at(0.55, 0.88)])  # up the flag, down
    wait_for_prediction(page, lang, "1")
    page.get_by_text(i18n.text(lang, "digits.compare", digit=1)).wait_for()  # the pen lifted: the whole 1 was read
    assert metric_value(page, i18n.text(lang, "digits.prediction")) == "1"

    clear.click()
    wait_for_prediction(page, lang, "—")
    stroke(page, [at(0.22, 0.88), at(0.36, 0.5), at(0.5, 0.12), at(0.64, 0.5), at(0.78, 0.88)])  # an A: its sides,
    stroke(page, [at(0.33, 0.6), at(0.67, 0.6)])  # and its bar
    refused = i18n.text(lang, "digits.not_digit")
    wait_for_prediction(page, lang, refused)
    wait_for_app(page)  # the reading of the whole A, not of its sides alone
    assert metric_value(page, i18n.text(lang, "digits.prediction")) == refused


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_picture_of_a_digit_goes_on_the_pad_and_is_read(page, app_url, lang, tmp_path):
    """A photo of a 6 on paper, uploaded under "No pen?": the pad shows it as strokes and the page reads 6; a file
    that is no picture is refused in words, and the pad keeps the 6."""
    import io

    import numpy as np
    from PIL import Image

    from dlplay.digits.data import examples_of

    photo = np.full((200, 260), 255, np.uint8)
    photo[60:172, 120:232] = np.kron(255 - examples_of(6, n=1)[0], np.ones((4, 4), np.uint8))
    encoded = io.BytesIO()
    Image.fromarray(photo).save(encoded, format="PNG")
    (tmp_path / "six.png").write_bytes(encoded.getvalue())
    (tmp_path / "notes.png").write_bytes(b"not a picture at all")
    page.goto(f"{app_url}/digits?lang={lang}")
    wait_for_app(page)
    page.get_by_text(i18n.text(lang, "digits.sample.open"), exact=True).click()
    uploader = page.locator("[data-testid=stFileUploaderDropzoneInput]")
    uploader.set_input_files(str(tmp_path / "six.png"))
    assert wait_for_prediction(page, lang, "6").strip() == "6"
    wait_for_app(page)
    assert page.get_by_role("button", name=i18n.text(lang, "digits.pad.undo")).is_enabled()  # strokes on the pad
    uploader.set_input_files(str(tmp_path / "notes.png"))
    page.get_by_text(i18n.text(lang, "digits.sample.problem.not_a_picture")).wait_for()
    assert metric_value(page, i18n.text(lang, "digits.prediction")).strip() == "6"
