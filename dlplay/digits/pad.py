"""The drawing pad of /digits: its geometry, the message it sends, and the ink read from it, in one place.

The pad (ui/components/drawing_pad/) is told `geometry()` and sends
{"strokes": [[x0, y0, x1, y1, ...], ...], "live": bool, "n": int} in SIDE × SIDE pixels: `live` while the pen
moves, `n` counting its sends. It comes from a browser, so `parse` checks it once, its size first; `ink` renders
the strokes as the page reads them. The synthetic hands of `strokes.py` are drawn with the same pen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

SIDE = 280  # pad pixels: ten to one MNIST pixel
PEN = 20  # the pen's width in those pixels: two MNIST pixels, like MNIST's strokes
# The page renders the strokes at half the pad's pixels: the 20-pixel box the network sees hides the difference,
# and a reading while the pen moves costs 3 ms less (of ~15 ms: in a class, that is every student's wait).
SCALE = 0.5
SUPERSAMPLE = 2  # anti-aliasing: drawn this much larger, then averaged
MAX_STROKES = 100
MAX_POINTS = 10_000  # over all strokes; a digit drawn slowly has a few hundred; the most renders in under 0.1 s


class DrawingError(ValueError):
    """What the pad sent is no drawing; the message is why, "garbled" or "too_much" (``digits.drawing.<why>``)."""


@dataclass(frozen=True)
class Drawing:
    """One message of the pad: each stroke as (points, 2) float32 pad pixels, whether the pen is still down,
    the pad's count of its sends (None when it gave none), and why it is no drawing (None when it is one)."""

    paths: list[np.ndarray] = field(default_factory=list)
    live: bool = False
    number: int | None = None
    problem: str | None = None


def geometry() -> dict:
    """What the pad's JavaScript is told of its pixels and pen."""
    return {"side": SIDE, "pen": PEN}


def parse(sent) -> Drawing:
    """The pad's message checked and read; None, before anything is drawn, is an empty drawing. Points far off
    the pad are pulled in to just outside it. Raises DrawingError for a message that is no drawing."""
    if sent is None:
        return Drawing()
    strokes = sent.get("strokes") if isinstance(sent, dict) else None
    if not isinstance(strokes, list) or not all(isinstance(stroke, list) for stroke in strokes[:MAX_STROKES + 1]):
        raise DrawingError("garbled")
    if len(strokes) > MAX_STROKES or sum(map(len, strokes)) > 2 * MAX_POINTS:
        raise DrawingError("too_much")
    # A bool is no coordinate; "not <=" also refuses NaN, and an integer beyond any float before it overflows.
    if any(len(stroke) % 2 or any(type(v) not in (int, float) or not abs(v) <= 1e9 for v in stroke)
           for stroke in strokes):
        raise DrawingError("garbled")
    paths = [np.asarray(stroke, np.float64).reshape(-1, 2) for stroke in strokes if stroke]
    number = sent.get("n")
    return Drawing([np.clip(path, -SIDE, 2 * SIDE).astype(np.float32) for path in paths], sent.get("live") is True,
                   number if type(number) is int else None)


def read(sent) -> Drawing:
    """`parse`, with a message that is no drawing read as an empty drawing that says why."""
    try:
        return parse(sent)
    except DrawingError as error:
        return Drawing(problem=str(error))


def draw(paths: list[np.ndarray], width: float, size: int) -> np.ndarray:
    """Paths (pixels of a `size` square) as white round-capped strokes of `width` on black, one uint8 channel;
    anti-aliased by drawing 2× larger and averaging."""
    big = Image.new("L", (size * SUPERSAMPLE, size * SUPERSAMPLE), 0)
    pen = ImageDraw.Draw(big)
    r = width * SUPERSAMPLE / 2
    for path in paths:
        points = [(float(x) * SUPERSAMPLE, float(y) * SUPERSAMPLE) for x, y in path]
        # Segments with a disc at every vertex: round caps and round joins, as a canvas pen draws.
        if len(points) > 1:
            pen.line(points, fill=255, width=round(2 * r))
        for x, y in points:
            pen.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return np.asarray(big.reduce(SUPERSAMPLE))


def ink(paths: list[np.ndarray], pen: float = PEN, scale: float = SCALE) -> np.ndarray:
    """The ink /digits reads from the pad's strokes (pad pixels), rendered at `scale`, for
    ``preprocess(..., canvas=True)``."""
    return draw([np.asarray(path) * scale for path in paths], pen * scale, round(SIDE * scale))
