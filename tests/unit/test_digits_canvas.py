"""What the /digits pad sends (dlplay/digits/pad.py), decoded: strokes in canvas pixels; anything else a browser
could send is refused with a reason, its size checked before any work; the strokes render and read as the canvas
shows them."""

import math

import numpy as np
import pytest

from dlplay.digits import pad
from dlplay.digits import reading as digits
from dlplay.digits.pad import MAX_POINTS, MAX_STROKES, DrawingError
from dlplay.digits.strokes import HANDS, render, transform

CANVAS_SIDE = pad.SIDE


def sent(*strokes, live=False):
    return {"strokes": [list(stroke) for stroke in strokes], "live": live}


def canvas_strokes(value):
    """(paths, live) of the pad's message."""
    drawing = pad.parse(value)
    return drawing.paths, drawing.live


def test_the_pad_counts_its_sends_and_a_message_that_is_no_drawing_says_why():
    assert pad.parse({**sent([1, 2]), "n": 7}).number == 7
    assert pad.parse({**sent([1, 2]), "n": "7"}).number is None
    assert pad.parse({**sent([1, 2]), "n": True}).number is None
    assert pad.read("strokes") == pad.Drawing(problem="garbled")
    assert pad.read(sent(*[[1, 2]] * (MAX_STROKES + 1))).problem == "too_much"
    assert pad.read(sent([1, 2])).problem is None


def test_the_pad_is_told_its_geometry_and_the_page_reads_its_ink_in_one_channel():
    assert pad.geometry() == {"side": pad.SIDE, "pen": pad.PEN}
    ink = pad.ink([np.array([[140.0, 40.0], [140.0, 240.0]])])
    assert ink.shape == (round(pad.SIDE * pad.SCALE),) * 2 and ink.dtype == np.uint8
    assert ink[70, 70] == 255 and ink[70, 20] == 0  # the line's middle, and well beside it
    # the same ink as the RGBA canvas of strokes.render at that scale
    assert np.array_equal(ink, render([np.array([[70.0, 20.0], [70.0, 120.0]])], pad.PEN * pad.SCALE, 140)[:, :, 0])


def test_strokes_come_back_as_points_and_the_pen_state():
    paths, live = canvas_strokes(sent([10, 20, 30.5, 40], [5, 5], live=True))
    assert live is True
    assert [path.tolist() for path in paths] == [[[10, 20], [30.5, 40]], [[5, 5]]]
    assert all(path.dtype == np.float32 for path in paths)
    assert canvas_strokes(sent([1, 2]))[1] is False


def test_nothing_drawn_yet_is_no_strokes():
    assert canvas_strokes(None) == ([], False)
    assert canvas_strokes(sent()) == ([], False)
    assert canvas_strokes(sent([], [])) == ([], False)  # a stroke with no point adds nothing


def test_only_true_means_the_pen_is_down():
    for live in ("yes", 1, None, [True]):
        assert canvas_strokes(sent([1, 2], live=live))[1] is False


def test_points_far_off_the_canvas_are_pulled_in():
    (path,), _ = canvas_strokes(sent([-1e6, 50, 1e6, 3e5]))
    assert path.tolist() == [[-CANVAS_SIDE, 50], [2 * CANVAS_SIDE, 2 * CANVAS_SIDE]]


GARBLED = {
    "not an object": [[1, 2]],
    "a string": "strokes",
    "no strokes": {"live": True},
    "strokes not a list": {"strokes": {"0": [1, 2]}},
    "a stroke not a list": {"strokes": [[1, 2], "3,4"]},
    "an odd number of coordinates": sent([1, 2, 3]),
    "a coordinate as text": sent(["1", 2]),
    "a coordinate true": sent([True, 2]),
    "a coordinate null": sent([None, 2]),
    "a point as a pair": sent([[1, 2], [3, 4]]),
    "not a number": sent([math.nan, 2]),
    "infinite": sent([1, -math.inf]),
    "an integer beyond any float": sent([10**400, 2]),
}


@pytest.mark.parametrize("value", GARBLED.values(), ids=GARBLED.keys())
def test_what_is_no_drawing_is_refused_as_garbled(value):
    with pytest.raises(DrawingError, match="^garbled$"):
        canvas_strokes(value)


class Untouchable(list):
    """A stroke whose length may be read but whose values may not: reading them fails the test."""

    def __iter__(self):
        raise AssertionError("a value of a too-big drawing was looked at")

    def __getitem__(self, index):
        raise AssertionError("a value of a too-big drawing was looked at")


def test_too_much_drawing_is_refused_before_it_is_read():
    with pytest.raises(DrawingError, match="^too_much$"):
        canvas_strokes(sent(*[[1, 2]] * (MAX_STROKES + 1)))
    with pytest.raises(DrawingError, match="^too_much$"):
        canvas_strokes(sent([1.5, 2.5] * (MAX_POINTS + 1)))
    # A too-big drawing is turned away by its count, not looked at one by one (this used to be a 0.5 s timing
    # bound on the huge values of the next test; these probes check it without a clock):
    # the points of a too-long stroke are never read ...
    with pytest.raises(DrawingError, match="^too_much$"):
        canvas_strokes({"strokes": [Untouchable([1.5, 2.5] * (MAX_POINTS + 1))]})
    # ... nor are strokes' values, nor the type of strokes past the first MAX_STROKES + 1 (not lists here,
    # which would be "garbled" if each were looked at)
    too_many = [Untouchable([1, 2])] * (MAX_STROKES + 1) + ["not a stroke"] * 1_000_000
    with pytest.raises(DrawingError, match="^too_much$"):
        canvas_strokes({"strokes": too_many})
    # the probes can fail: a drawing within bounds is read, value by value
    with pytest.raises(AssertionError, match="looked at"):
        canvas_strokes({"strokes": [Untouchable([1, 2])]})


@pytest.mark.slow
def test_a_million_strokes_or_ten_million_numbers_are_too_much():
    """Seconds just to build these values: the probes above show they are refused by their count alone."""
    huge = [sent(*[[1, 2]] * 1_000_000), sent([1, 2] * 5_000_000), sent(*[["x"]] * 1_000_000)]
    for value in huge:
        with pytest.raises(DrawingError, match="^too_much$"):
            canvas_strokes(value)


def test_the_most_drawing_allowed_is_still_read():
    side = [float(v) for k in range(MAX_POINTS // MAX_STROKES) for v in (k % 280, (7 * k) % 280)]
    paths, _ = canvas_strokes(sent(*[side] * MAX_STROKES))
    assert sum(len(path) for path in paths) == MAX_POINTS
    assert render(paths).shape == (CANVAS_SIDE, CANVAS_SIDE, 4)


@pytest.mark.parametrize("label", range(10))
def test_a_drawing_as_the_canvas_sends_it_reads_as_drawn(label):
    """The pad sends its points rounded to a tenth of a canvas pixel: the digit reads the same."""
    paths = transform(HANDS[label][0], 200, (140, 140))
    value = sent(*[[round(float(v), 1) for v in path.ravel()] for path in paths])
    model = digits.load_shipped("ours")
    received = digits.read_digit(model, render(canvas_strokes(value)[0]), canvas=True)
    assert received.label == label == digits.read_digit(model, render(paths), canvas=True).label
