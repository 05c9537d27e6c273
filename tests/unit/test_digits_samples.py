"""Digits put on the pad without a pen (dlplay.digits.samples): each is strokes the pad accepts, and the page's
reading of them is the digit asked for."""

import io

import numpy as np
import pytest
from PIL import Image

from dlplay.digits import pad, samples
from dlplay.digits.data import examples_of
from dlplay.digits.reading import load_shipped, read_digit


def read(strokes) -> int | None:
    drawing = pad.parse({"strokes": strokes, "live": False, "n": 1})  # what the pad sends back, checked as any
    return read_digit(load_shipped("ours"), pad.ink(drawing.paths), canvas=True).label


@pytest.mark.parametrize("source", samples.SOURCES)
def test_every_sample_is_read_as_its_digit(source):
    assert [read(samples.sample(digit, source, k)) for k in (0, 1) for digit in range(10)] == [*range(10)] * 2


def test_an_mnist_sample_draws_the_ink_of_its_image_row_by_row():
    image = examples_of(4, n=1)[0]
    strokes = samples.from_image(image)
    rows = {round((stroke[1] / 10) - 0.5) for stroke in strokes}
    assert rows == set(np.flatnonzero((image >= samples.INK).any(axis=1)))
    assert all(stroke[1] == stroke[3] and stroke[0] <= stroke[2] for stroke in strokes)  # each a run along a row


def png(image: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(image).save(out, format="PNG")
    return out.getvalue()


def test_a_photo_of_a_dark_digit_on_paper_is_read():
    """A 6 from MNIST, dark on a light page, four times larger and off-centre, as a phone's photo might be."""
    digit = np.kron(255 - examples_of(6, n=1)[0], np.ones((4, 4), np.uint8))
    page = np.full((200, 260), 255, np.uint8)
    page[60:172, 120:232] = digit
    assert read(samples.from_upload(png(page))) == 6


@pytest.mark.parametrize(("data", "problem"), [
    (b"GIF89a not really", "not_a_picture"),
    (png(np.full((40, 40), 200, np.uint8)), "empty"),
    (b"\x00" * (samples.MAX_UPLOAD_BYTES + 1), "too_large"),
])
def test_an_upload_that_is_no_digit_says_why(data, problem):
    with pytest.raises(samples.PictureError, match=problem):
        samples.from_upload(data)


def test_a_picture_too_large_in_pixels_is_refused_before_it_is_decoded(monkeypatch):
    monkeypatch.setattr(samples, "MAX_UPLOAD_PIXELS", 100 * 100)
    with pytest.raises(samples.PictureError, match="too_large"):
        samples.from_upload(png(np.zeros((101, 100), np.uint8)))
