"""Hand-drawn digits as stroke paths, rendered the way the page's canvas draws them.

Each digit has several hands (styles), written as control points in a
100 × 100 box (x to the right, y down) and smoothed by a Catmull-Rom spline;
a point written twice is a sharp corner. ``drawings()`` renders every hand in
several sizes, places, slants and pen widths on a 280 × 280 canvas, as thick
round-capped white strokes, so tests and the page can check how well each
model reads drawings that are not MNIST. ``flag_ones()`` draws a 1 the way
MNIST rarely has it, for teaching a model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dlplay.digits import pad
from dlplay.digits.preprocess import preprocess

Point = tuple[float, float]
Stroke = list[Point]

CANVAS = pad.SIDE


def ellipse(cx: float, cy: float, rx: float, ry: float, start: float = -90, turn: float = 370) -> Stroke:
    """Points on an ellipse from angle ``start`` (degrees, clockwise on screen) through ``turn`` degrees."""
    steps = max(8, int(abs(turn) / 30))
    angles = np.radians(start + turn * np.linspace(0, 1, steps + 1))
    return [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in angles]


def path(text: str) -> Stroke:
    """Control points written as "x,y x,y …", like an SVG polyline."""
    return [tuple(float(v) for v in pair.split(",")) for pair in text.split()]


# Hands per digit: each hand is a list of strokes, each stroke a list of control points.
HANDS: dict[int, list[list[Stroke]]] = {
    0: [
        [path("50,3 28,12 18,50 28,88 50,97 72,88 82,50 72,12 50,3 44,8")],
        [path("58,4 38,10 26,45 30,82 45,96 62,90 72,55 70,20 58,4")],
        [path("65,10 50,3 30,12 20,45 25,80 45,96 65,90 78,60 75,25 62,8")],
        [ellipse(50, 50, 33, 46)],
        [path("55,6 35,12 22,45 28,85 50,96 70,85 76,50 68,18 52,8")],
    ],
    1: [
        [path("50,3 50,97")],
        [path("33,20 52,3 52,3 52,97")],
        [path("33,20 52,3 52,3 52,97"), path("32,97 72,97")],
        [path("60,3 44,97")],
        [path("40,14 55,3 55,3 48,97")],
    ],
    2: [
        [path("22,28 30,10 50,3 70,10 76,28 68,48 45,70 22,95 22,95 80,95")],
        [path("25,22 40,6 60,5 74,20 70,40 50,62 25,92 25,92 45,86 65,88 82,96")],
        [path("20,25 35,5 62,5 75,22 72,40 72,40 22,95 22,95 82,95")],
        [path("20,30 25,12 45,3 68,8 76,25 65,50 40,75 20,95 20,95 50,92 82,95")],
        [path("18,20 38,4 62,6 72,25 60,50 38,72 24,88 26,97 42,90 62,90 84,97")],
    ],
    3: [
        [path("22,15 40,3 62,5 74,18 70,35 50,47 40,48 40,48 55,49 74,58 80,75 70,92 48,98 25,90")],
        [path("22,5 22,5 74,5 74,5 45,42 45,42 65,46 78,62 76,82 60,96 40,97 22,88")],
        [path("20,20 35,4 60,3 75,15 72,35 52,48 52,48 75,58 82,78 70,94 45,98 20,86")],
        [path("28,12 45,3 65,8 68,25 45,46 45,46 68,60 70,82 52,97 28,92")],
    ],
    4: [
        [path("55,3 55,3 18,65 18,65 85,65"), path("65,30 65,98")],
        [path("62,3 62,3 15,68 15,68 85,68"), path("62,3 62,98")],
        [path("25,3 22,55 22,55 78,55"), path("68,3 68,98")],
        [path("50,3 50,3 20,62 20,62 80,62"), path("62,35 58,98")],
    ],
    5: [
        [path("30,5 28,45 28,45 45,38 65,42 78,60 75,82 58,96 38,97 22,88"), path("30,5 75,5")],
        [path("75,5 75,5 32,5 32,5 28,45 28,45 50,38 70,45 78,65 70,88 48,97 24,90")],
        [path("34,6 28,48 28,48 55,42 75,55 76,78 60,94 35,96 22,86"), path("34,6 72,4")],
        [path("78,4 78,4 38,8 38,8 30,42 30,42 55,36 75,50 78,72 65,92 42,98 22,88")],
    ],
    6: [
        [path("68,4 50,15 35,35 27,60 32,82 48,96 65,93 75,78 70,62 55,54 40,58 30,70")],
        [path("62,3 42,30 30,55 28,75 38,93 55,97 70,88 72,70 60,58 45,58 32,68")],
        [path("70,8 55,3 38,12 26,40 24,70 35,92 55,97 72,85 74,66 62,54 44,54 28,66")],
        [path("60,3 38,35 28,65 35,90 55,97 72,85 70,65 52,55 32,65")],
    ],
    7: [
        [path("20,6 20,6 80,6 80,6 40,97")],
        [path("18,8 18,8 80,6 80,6 45,97"), path("35,52 72,52")],
        [path("20,18 22,6 22,6 80,6 80,6 55,50 45,97")],
        [path("22,8 22,8 78,8 78,8 60,40 50,70 46,97")],
    ],
    8: [
        [path("68,15 52,3 32,10 30,28 50,45 70,62 74,82 56,97 35,95 26,78 36,60 52,47 68,30 68,15")],
        [ellipse(50, 25, 20, 22, 90), ellipse(50, 71, 26, 26, -90)],
        [path("70,20 60,5 40,4 28,18 35,35 55,48 72,65 70,88 50,97 30,90 26,72 40,55 60,42 72,25 70,20")],
        [path("62,12 48,3 35,12 38,30 52,46 66,62 66,84 50,97 34,88 34,66 50,48 62,30 62,12")],
    ],
    9: [
        [path("70,20 55,5 35,8 27,25 35,42 55,44 70,32 70,20 70,20 68,55 62,97")],
        [path("72,25 60,8 40,6 28,20 30,38 48,47 68,38 72,25 72,25 72,97")],
        [path("70,22 55,6 35,8 27,28 38,45 58,44 70,30 70,30 68,60 60,85 45,97 30,92")],
        [ellipse(48, 27, 22, 24, 0), path("70,27 68,97")],
    ],
}


@dataclass(frozen=True)
class Drawing:
    """One rendered hand-drawn digit: its label, hand number, variant and canvas (RGBA uint8)."""

    label: int
    hand: int
    variant: int
    canvas: np.ndarray


def smooth(points: Stroke, per_segment: int = 8) -> np.ndarray:
    """A Catmull-Rom spline through the control points, as (n, 2); repeated points make corners."""
    p = np.asarray(points, dtype=np.float64)
    if len(p) < 3:
        return p
    padded = np.concatenate([p[:1], p, p[-1:]])
    t = np.linspace(0, 1, per_segment, endpoint=False)[:, None]
    pieces = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        pieces.append(
            0.5
            * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3)
        )
    pieces.append(p[-1:])
    return np.concatenate(pieces)


def transform(
    strokes: list[Stroke], height: float, centre: Point, slant: float = 0.0, rotation: float = 0.0
) -> list[np.ndarray]:
    """Smoothed strokes mapped from the 100-box to canvas pixels: scaled to ``height``, slanted, rotated, centred."""
    angle = math.radians(rotation)
    cos, sin = math.cos(angle), math.sin(angle)
    out = []
    for stroke in strokes:
        p = (smooth(stroke) - 50.0) * (height / 100.0)
        x = p[:, 0] - slant * p[:, 1]  # slant > 0 leans the top to the right
        y = p[:, 1]
        out.append(np.stack([centre[0] + cos * x - sin * y, centre[1] + sin * x + cos * y], axis=1))
    return out


def render(paths: list[np.ndarray], width: float = 20.0, size: int = CANVAS, background: str = "black") -> np.ndarray:
    """Draw paths (canvas pixels) as white round-capped strokes (`pad.draw`), as an RGBA canvas.

    ``background`` "black" gives opaque white on black; "transparent" gives
    white strokes on a see-through canvas, ink in the alpha channel.
    """
    ink = pad.draw(paths, width, size)
    canvas = np.empty((size, size, 4), np.uint8)
    if background == "transparent":
        canvas[:, :, :3] = 255
        canvas[:, :, 3] = ink
    else:
        canvas[:, :, :3] = ink[:, :, None]
        canvas[:, :, 3] = 255
    return canvas


def draw_digit(
    label: int,
    hand: int = 0,
    height: float = 200.0,
    centre: Point = (140.0, 140.0),
    width: float = 20.0,
    slant: float = 0.0,
    rotation: float = 0.0,
    background: str = "black",
) -> np.ndarray:
    """One hand of one digit rendered on a 280 × 280 canvas as the page's canvas would hold it."""
    paths = transform(HANDS[label][hand], height, centre, slant, rotation)
    return render(paths, width, background=background)


def jitter(strokes: list[Stroke], rng: np.random.Generator, amount: float) -> list[Stroke]:
    """Move every control point a little (normal, ``amount`` in units of the 100-box): an unsteady hand.

    A point written twice (a corner) moves as one.
    """
    out = []
    for stroke in strokes:
        moved: Stroke = []
        for i, point in enumerate(stroke):
            if i > 0 and tuple(point) == tuple(stroke[i - 1]):
                moved.append(moved[-1])
            else:
                dx, dy = rng.normal(0.0, amount, 2)
                moved.append((point[0] + dx, point[1] + dy))
        out.append(moved)
    return out


def drawings(seed: int = 0, variants: int = 5) -> list[Drawing]:
    """Every hand of every digit in ``variants`` random but reproducible versions.

    Heights run from 80 to 230 px of the 280 px canvas, pens from 18 to 25 px
    wide, slants ±0.3, rotations ±10°, control points jittered by 2.5 % of the
    digit's height; each digit stays on the canvas.
    """
    rng = np.random.default_rng(seed)
    out = []
    for label, hands in HANDS.items():
        for hand, strokes in enumerate(hands):
            for variant in range(variants):
                height = float(rng.uniform(80, 230))
                width = float(rng.uniform(18, 25))
                margin = 0.6 * height + width / 2
                room = max(0.0, CANVAS / 2 - margin)
                centre = (CANVAS / 2 + rng.uniform(-room, room), CANVAS / 2 + rng.uniform(-room, room))
                slant = float(rng.uniform(-0.3, 0.3))
                rotation = float(rng.uniform(-10, 10))
                paths = transform(jitter(strokes, rng, 2.5), height, centre, slant, rotation)
                out.append(Drawing(label, hand, variant, render(paths, width)))
    return out


# A "1" written with a long flag, as many people (and most of China) write it. The shipped
# tutorial model reads it as a 7: MNIST's American 1s are mostly a bare stroke.
FLAG_ONE = [path("15,40 60,3 60,97")]


def flag_ones(seed: int, n: int) -> np.ndarray:
    """``n`` drawings of the flagged 1 as the canvas gives them, preprocessed as /digits does: (n, 28, 28)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        paths = transform(jitter(FLAG_ONE, rng, 2.0), float(rng.uniform(150, 220)), (140, 140),
                          float(rng.uniform(-0.15, 0.15)), float(rng.uniform(-6, 6)))
        out.append(preprocess(render(paths, float(rng.uniform(18, 24)))).image)
    return np.stack(out)
