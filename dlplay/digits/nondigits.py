"""What students draw on /digits that is no digit: letters, Chinese characters, symbols, spirals, grids and
tangles, drawn as ``styles`` draws digits, so ``ours`` can learn an eleventh class, "not a digit".

Shapes that are also digits are left out: O, I, l, S, Z, B, G, b, q, a dash's twin "|", a one-turn spiral
(a 6), "/" (a slanted 1). ``not_digits(n, seed, split)`` draws them, "train" and "test" from random streams
that never meet.
"""

from __future__ import annotations

import math

import numpy as np

from dlplay.digits.reading import NOT_DIGIT
from dlplay.digits.strokes import Stroke, ellipse
from dlplay.digits.styles import Drawn, drawn, joined, stream


def line(x0: float, y0: float, x1: float, y1: float) -> Stroke:
    return [(x0, y0), (x1, y1)]


def corners(*points: tuple[float, float]) -> Stroke:
    """A polyline with a sharp corner at every point (each written twice, for the spline)."""
    out: Stroke = []
    for k, point in enumerate(points):
        out += [point] if k in (0, len(points) - 1) else [point, point]
    return out


def a(r):
    top = 50 + r.uniform(-6, 6)
    bar = r.uniform(52, 70)
    return [corners((12, 97), (top, 3), (88, 97)), line(22 + bar / 8, bar, 78 - bar / 8, bar)]


def e(r):
    return [corners((78, 5), (25, 5), (25, 95), (78, 95)), line(25, 50, r.uniform(55, 72), 50)]


def f(r):
    return [corners((78, 5), (25, 5), (25, 95)), line(25, r.uniform(42, 55), r.uniform(55, 70), 48)]


def h(r):
    bar = r.uniform(40, 58)
    return [line(20, 5, 20, 95), line(80, 5, 80, 95), line(20, bar, 80, bar)]


def k(r):
    joint = r.uniform(45, 60)
    return [line(25, 3, 25, 97), corners((80, 3), (26, joint), (82, 97))]


def m(r):
    return [corners((12, 97), (18, 3), (50, r.uniform(50, 75)), (82, 3), (88, 97))]


def n(r):
    return [corners((20, 97), (20, 3), (80, 97), (80, 3))]


def p(r):
    bowl = r.uniform(40, 55)
    return [line(25, 97, 25, 3), [(25, 5), (55, 4), (75, bowl * 0.4), (60, bowl), (25, bowl)]]


def r_letter(r):
    bowl = r.uniform(40, 55)
    return [[(25, 97), (25, 3), (25, 3), (55, 4), (75, bowl * 0.4), (60, bowl), (25, bowl), (25, bowl), (80, 97)]]


def t(r):
    return [line(8, 6, 92, 6 + r.uniform(-5, 5)), line(50, 6, 50 + r.uniform(-4, 4), 97)]


def w(r):
    middle = r.uniform(25, 55)
    return [corners((8, 3), (28, 97), (50, middle), (72, 97), (92, 3))]


def x(r):
    return [line(15, 3, 85, 97), line(85 + r.uniform(-8, 4), 3, 15, 97)]


def y(r):
    fork = r.uniform(40, 58)
    return [line(15, 3, 50, fork), corners((85, 3), (50, fork), (50, 97))]


def small_m(r):
    return [line(15, 35, 15, 97), [(15, 55), (28, 36), (44, 50), (45, 97)], [(45, 55), (60, 36), (76, 50), (77, 97)]]


def zhong(r):
    """中"""
    return [line(22, 30, 22, 72), corners((22, 30), (78, 30), (78, 72)), line(22, 70, 78, 70), line(50, 3, 50, 97)]


def tian(r):
    """田, and 日 when ``r`` says so."""
    if r.random() < 0.5:
        return [line(25, 5, 25, 95), corners((25, 5), (75, 5), (75, 95)), line(25, 50, 75, 50), line(25, 93, 75, 93)]
    return [line(12, 12, 12, 90), corners((12, 12), (88, 12), (88, 90)), line(12, 50, 88, 50), line(50, 12, 50, 90),
            line(12, 88, 88, 88)]


def da(r):
    """大, and 木 when ``r`` says so."""
    if r.random() < 0.5:
        return [line(12, 35, 88, 35), [(50, 3), (46, 45), (32, 75), (12, 96)], [(52, 40), (68, 70), (90, 96)]]
    return [line(8, 30, 92, 30), line(50, 3, 50, 97), [(49, 32), (30, 62), (10, 80)], [(51, 32), (70, 62), (90, 80)]]


def wang(r):
    """王"""
    return [line(18, 8, 82, 8), line(24, 50, 76, 50), line(10, 94, 90, 94), line(50, 8, 50, 94)]


def ren(r):
    """人"""
    return [[(52, 3), (46, 45), (30, 78), (10, 97)], [(48, 42), (66, 72), (90, 97)]]


def shan(r):
    """山"""
    return [line(50, 3, 50, 92), corners((14, 32), (14, 92), (86, 92)), line(86, 32, 86, 94)]


def grid(r):
    """#, 井, or a grid of three to five lines each way."""
    across, down = int(r.integers(2, 6)), int(r.integers(2, 6))
    lean = r.uniform(-12, 12)
    rows = [line(5, 10 + 80 * (i + 0.5) / across, 95, 10 + 80 * (i + 0.5) / across) for i in range(across)]
    cols = [line(10 + 80 * (j + 0.5) / down + lean, 5, 10 + 80 * (j + 0.5) / down - lean, 95) for j in range(down)]
    return rows + cols


def star(r):
    """A five-pointed star in one stroke."""
    turn = r.uniform(-10, 10)
    tips = [(50 + 46 * math.sin(math.radians(turn + 144 * i)), 52 - 46 * math.cos(math.radians(turn + 144 * i)))
            for i in range(6)]
    return [corners(*tips)]


def smiley(r):
    face = ellipse(50, 50, 45, 45, r.uniform(-180, 180))
    eye = r.uniform(2, 5)
    eyes = [ellipse(34, 36, eye, eye), ellipse(66, 36, eye, eye)]
    mouth = ellipse(50, 55, 24, r.uniform(12, 24), 20, 140)
    return [face, *eyes, mouth]


def arrow(r):
    """An arrow pointing any way: a shaft and its head."""
    angle = r.uniform(0, 2 * math.pi)
    dx, dy = math.cos(angle), math.sin(angle)
    tip, tail = (50 + 46 * dx, 50 + 46 * dy), (50 - 46 * dx, 50 - 46 * dy)
    barb = r.uniform(18, 30)
    sides = [(tip[0] - barb * math.cos(angle + s), tip[1] - barb * math.sin(angle + s)) for s in (0.55, -0.55)]
    return [line(*tail, *tip), corners(sides[0], tip, sides[1])]


def plus(r):
    if r.random() < 0.5:
        return [line(8, 50, 92, 50 + r.uniform(-6, 6)), line(50, 8, 50 + r.uniform(-6, 6), 92)]
    return [line(10, 10, 90, 90), line(90, 10, 10, 90)]  # ×


def equals(r):
    gap = r.uniform(14, 30)
    return [line(8, 50 - gap, 92, 50 - gap), line(8, 50 + gap, 92, 50 + gap)]


def dash(r):
    return [line(5, 50, 95, 50 + r.uniform(-12, 12))]


def question(r):
    return [[(22, 28), (34, 6), (56, 3), (74, 16), (70, 36), (52, 48), (50, 70)], ellipse(50, 92, 3, 3)]


def percent(r):
    return [ellipse(25, 20, 14, 16), line(82, 5, 18, 95), ellipse(75, 80, 14, 16)]


def at_sign(r):
    inner = ellipse(52, 52, 14, 16, -30, 380)
    outer = [(66, 42), (66, 66), (80, 66), (92, 46), (82, 15), (50, 5), (16, 22), (8, 56), (26, 88), (56, 96),
             (80, 86)]
    return [inner, outer]


def dollar(r):
    return [[(76, 22), (60, 10), (36, 12), (26, 30), (40, 46), (62, 54), (74, 72), (64, 88), (40, 90), (22, 78)],
            line(50, 2, 50, 98)]


def heart(r):
    return [[(50, 95), (50, 95), (18, 58), (8, 30), (22, 8), (42, 10), (50, 28), (50, 28), (58, 10), (78, 8),
             (92, 30), (82, 58), (50, 95), (50, 95)]]


def triangle(r):
    return [corners((50, 5), (8, 92), (92, 92), (50, 5))]


def check(r):
    return [corners((10, 55), (36, 92), (92, 8))]


def wave(r):
    periods = r.uniform(1.5, 3.5)
    height = r.uniform(10, 25)
    xs = np.linspace(5, 95, int(12 * periods) + 2)
    return [[(float(v), 50 + height * math.sin(2 * math.pi * periods * (v - 5) / 90)) for v in xs]]


def zigzag(r):
    teeth = int(r.integers(4, 9))
    return [corners(*[(5 + 90 * i / teeth, 20 if i % 2 else 80) for i in range(teeth + 1)])]


def spiral(r):
    """Two to four turns, in or out."""
    turns = r.uniform(2, 4)
    angles = np.linspace(0, 2 * math.pi * turns, int(24 * turns))
    radius = 46 * (angles / angles[-1]) + 2
    direction = 1 if r.random() < 0.5 else -1
    return [[(50 + float(q) * math.cos(direction * s), 50 + float(q) * math.sin(direction * s))
             for s, q in zip(angles, radius)]]


def rings(r):
    """◎ or ⊕: rings inside a ring, or a ring with a cross."""
    if r.random() < 0.5:
        return [ellipse(50, 50, 46, 46), ellipse(50, 50, 22, 22), ellipse(50, 50, 6, 6)][: int(r.integers(2, 4))]
    return [ellipse(50, 50, 44, 44), line(50, 2, 50, 98), line(2, 50, 98, 50)]


def loops(r):
    """Joined-up loops, like a row of cursive l's or e's."""
    count = int(r.integers(3, 7))
    s = np.linspace(0, 2 * math.pi * count, 16 * count)
    return [[(5 + 90 * float(v) / s[-1] - 10 * math.sin(v), 60 - 30 * math.cos(v) + 10) for v in s]]


def hatch(r):
    count = int(r.integers(4, 8))
    return [line(5 + 90 * i / count, 95, 25 + 90 * i / count, 5) for i in range(count)]


def tangle(r):
    """A random scribble across the box."""
    return [[tuple(point) for point in r.uniform(5, 95, size=(int(r.integers(8, 20)), 2))]]


def tangles(r):
    """Two or three short scribbles."""
    return [tangle(r)[0][: int(r.integers(4, 8))] for _ in range(int(r.integers(2, 4)))]


LETTERS = [a, e, f, h, k, m, n, p, r_letter, t, w, x, y, small_m, zhong, tian, da, wang, ren, shan]
SYMBOLS = [grid, star, smiley, arrow, plus, equals, dash, question, percent, at_sign, dollar, heart, triangle,
           check, rings]
SCRIBBLES = [spiral, wave, zigzag, loops, hatch, tangle, tangle, tangles]
SHAPES = {"letters": LETTERS, "symbols": SYMBOLS, "scribbles": SCRIBBLES}


def not_digits(n: int, seed: int = 0, split: str = "train", kinds=tuple(SHAPES)) -> Drawn:
    """``n`` drawings of each kind of ``kinds`` ("letters", "symbols", "scribbles"), each shape as often,
    all of class NOT_DIGIT."""
    return joined([drawn(stream(seed, split, NOT_DIGIT + list(SHAPES).index(kind)), SHAPES[kind], n, NOT_DIGIT)
                   for kind in kinds])
