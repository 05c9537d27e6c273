"""Digits as people write them, in China and elsewhere, drawn as the /digits pad draws them.

Each digit has several hands, each a function of a random generator giving
strokes in the 100 × 100 box of ``strokes`` (x to the right, y down; a point
written twice is a corner): a 1 plain, with a long flag, with a flag and a
foot; a 7 plain, with a bar, with a hook; a 4 open, closed or in one stroke; a
9 as a ring and a stick or with a curled tail; an 8 in one stroke or as two
rings; a 2 with a loop; a 6 with a straight stem; … Their proportions are
random too (how long the flag, how round the loop). ``draw`` then varies how
the hand is drawn: an unsteady pen, a slant and a turn, narrow or wide, small,
large or off-centre on the canvas, with the page's pen or a thinner or thicker
one; and renders it exactly as the page renders the pad (``pad.ink``)
before the page's preprocessing.

``drawn_digits(n, seed, split)``: "train" and "test" draw from two random
streams that never meet, so a test drawing is one training never saw; the
fixed hands of ``strokes.HANDS`` are never trained on either.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from dlplay.digits import pad
from dlplay.digits.preprocess import Preprocessed, preprocess
from dlplay.digits.strokes import CANVAS, Stroke, ellipse, jitter, transform

Hand = Callable[[np.random.Generator], list[Stroke]]
SPLITS = ("train", "test")


def zero(r):
    rx, turn = r.uniform(22, 36), r.uniform(355, 400)
    return [ellipse(50, 50, rx, 47, r.uniform(-120, -60), turn if r.random() < 0.7 else -turn)]


def zero_pointed(r):
    """A 0 begun at the top with a little point or overlap there, narrower at the bottom."""
    w = r.uniform(20, 32)
    return [[(55, 4), (50 - w, 22), (50 - w * 0.9, 70), (50, 97), (50 + w, 70), (50 + w * 0.95, 25), (48, 3),
             (40, 10)]]


def one_plain(r):
    return [[(50 + r.uniform(-4, 4), 3), (50 + r.uniform(-4, 4), 97)]]


def one_flag(r, foot: bool = False, flag: tuple[float, float] = (28, 72)):
    """A 1 with a flag rising from the left to its top, as most Chinese schools teach it, long or short, turning
    down at a corner or round (the pen does not stop); with a foot, or not.

    The flag rises at 35° to 62°: a 7's bar lies about level. (Turned and stretched by ``placement``, a
    flag stays steeper than any 7's bar, by 4° at the least: a flatter one would be a 7.)"""
    top = (52 + r.uniform(-3, 3), 3)
    length, angle = r.uniform(*flag), math.radians(r.uniform(35, 62))
    reach, drop = length * math.cos(angle), length * math.sin(angle)
    bend = r.uniform(-4, 4)  # a flag may bow a little
    start = (top[0] - reach, top[1] + drop)
    middle = ((start[0] + top[0]) / 2 + bend, (start[1] + top[1]) / 2 - bend)
    turn = [top] if r.random() < 0.4 else [top, top]
    strokes = [[start, middle, *turn, (top[0] + r.uniform(-4, 3), 97)]]
    if foot:
        half = r.uniform(14, 28)
        strokes.append([(top[0] - half, 97 + r.uniform(-2, 2)), (top[0] + half, 97 + r.uniform(-2, 2))])
    return strokes


def one_serif(r):
    """A 1 with a short flag, as in print."""
    return one_flag(r, foot=r.random() < 0.5, flag=(10, 20))


def two(r):
    base = r.uniform(80, 92)
    return [[(22, 28), (32, 8), (52, 3), (71, 10), (76, 28), (66, 50), (42, 72), (22, 95), (22, 95),
             (base, 95 + r.uniform(-3, 3))]]


def two_loop(r):
    """A 2 with a loop where its diagonal meets the base."""
    size, cx, cy = r.uniform(9, 15), 32, 86
    return [[(20, 25), (35, 5), (62, 5), (76, 22), (70, 42), (52, 62), (38, 76), (cx - 0.6 * size, cy + 0.2 * size),
             (cx, cy + size), (cx + size, cy), (cx + 0.2 * size, cy - size), (cx - size, cy - 0.1 * size),
             (cx - 0.5 * size, cy + 0.9 * size), (50, 96), (r.uniform(78, 90), 96)]]


def two_angular(r):
    """A 2 like a Z with a round top."""
    return [[(20, 24), (36, 5), (62, 4), (76, 18), (74, 32), (74, 32), (22, 95), (22, 95), (r.uniform(78, 90), 95)]]


def three(r):
    waist = r.uniform(40, 56)
    return [[(22, 15), (40, 3), (62, 5), (74, 18), (70, 35), (50, 47), (waist, 48), (waist, 48), (55, 49),
             (74, 58), (80, 76), (70, 92), (48, 98), (24, 90)]]


def three_flat(r):
    """A 3 with a flat top, like Ʒ."""
    return [[(22, 5), (22, 5), (74, 5), (74, 5), (46, 40), (46, 40), (66, 45), (78, 62), (76, 82), (60, 96),
             (40, 97), (22, 88)]]


def three_pointed(r):
    return [[(24, 12), (42, 3), (64, 7), (70, 24), (50, 46), (50, 46), (72, 58), (76, 80), (56, 97),
             (26, 92)]]


def four_open(r):
    """A 4 open at the top, in two strokes: the L, then the stem through it."""
    bar, stem = r.uniform(52, 66), r.uniform(62, 72)
    return [[(26, 3), (22, bar), (22, bar), (84, bar)], [(stem, 3), (stem, 98)]]


def four_closed(r):
    """A 4 closed at the top: the diagonal, the bar, then the stem from the top."""
    top, bar = r.uniform(55, 66), r.uniform(60, 70)
    return [[(top, 3), (15, bar), (15, bar), (86, bar)], [(top + r.uniform(-2, 8), 3), (top + 2, 98)]]


def four_one_stroke(r):
    """A 4 without lifting the pen: down, across, up the stem and back down it."""
    bar, stem = r.uniform(52, 64), r.uniform(60, 70)
    return [[(28, 3), (20, bar), (20, bar), (stem, bar), (84, bar - 2), (stem + 6, bar - 10), (stem, 3), (stem, 3),
             (stem, 98)]]


def five(r):
    top = r.uniform(70, 82)
    return [[(32, 5), (28, 45), (28, 45), (46, 38), (66, 42), (78, 60), (75, 82), (58, 96), (38, 97), (22, 88)],
            [(32, 5), (top, 5 + r.uniform(-3, 2))]]


def five_one_stroke(r):
    return [[(78, 4), (78, 4), (36, 6), (36, 6), (30, 44), (30, 44), (55, 37), (75, 50), (78, 72), (64, 92),
             (40, 98), (22, 88)]]


def six(r):
    return [[(68, 4), (50, 15), (35, 35), (27, 60), (32, 82), (48, 96), (65, 93), (75, 78), (70, 62), (55, 54),
             (40, 58), (30, 72)]]


def six_straight(r):
    """A 6 with a straight stem down to a loop."""
    top, loop = r.uniform(58, 72), r.uniform(22, 34)
    return [[(top, 3), ((top + 30) / 2, 35), (30, 68), (34, 90), (52, 97), (50 + loop, 86), (48 + loop, 66),
             (50, 58), (32, 68)]]


def seven(r, bar: bool = False, hook: bool = False):
    """A 7: its bar about level, its stem straight or a little curved; with a bar across, a hook at the start."""
    left, right = r.uniform(14, 28), r.uniform(76, 88)
    y0, y1 = r.uniform(4, 8), r.uniform(3, 9)
    foot = r.uniform(32, 72)
    bow = r.uniform(-8, 6)
    stem = [(right, y1), ((right + foot) / 2 + bow, 50), (foot, 97)]
    start = [(left, y0 + r.uniform(10, 20)), (left, y0), (left, y0)] if hook else [(left, y0), (left, y0)]
    strokes = [start + [(right, y1)] + stem]
    if bar:
        middle = (right + foot) / 2 + bow
        half = r.uniform(14, 24)
        strokes.append([(middle - half, 52 + r.uniform(-5, 5)), (middle + half, 52 + r.uniform(-5, 5))])
    return strokes


def eight(r):
    return [[(68, 15), (52, 3), (32, 10), (30, 28), (50, 45), (70, 62), (74, 82), (56, 97), (35, 95), (26, 78),
             (36, 60), (52, 47), (68, 30), (68, 15)]]


def eight_rings(r):
    """An 8 as two rings, one above the other."""
    top = r.uniform(0.8, 1.0)
    return [ellipse(50, 24, 20 * top, 22, r.uniform(60, 120)), ellipse(50, 71, 26, 26, r.uniform(-120, -60))]


def eight_from_middle(r):
    return [[(50, 48), (70, 30), (64, 8), (46, 3), (32, 14), (36, 32), (50, 48), (68, 64), (70, 86), (50, 97),
             (30, 88), (30, 66), (50, 48)]]


def nine(r):
    return [[(70, 20), (55, 5), (35, 8), (27, 25), (35, 42), (55, 44), (70, 32), (70, 20), (70, 20),
             (68 + r.uniform(-4, 2), 55), (64 + r.uniform(-6, 4), 97)]]


def nine_ring_stick(r):
    """A 9 as a ring, then a stick down its right side."""
    rx, ry = r.uniform(18, 26), r.uniform(18, 24)
    return [ellipse(70 - rx, 27, rx, ry, r.uniform(-30, 30)),
            [(70, 10 + r.uniform(0, 14)), (70 + r.uniform(-6, 2), 97)]]


def nine_curled(r):
    """A 9 whose stem curls back to the left at the bottom."""
    return [[(70, 22), (55, 6), (35, 8), (27, 28), (38, 45), (58, 44), (70, 30), (70, 30), (68, 60), (60, 85),
             (45, 97), (30, 92)]]


HANDS: dict[int, list[Hand]] = {
    0: [zero, zero, zero_pointed],
    1: [one_plain, one_flag, lambda r: one_flag(r, foot=True), one_serif, one_flag],
    2: [two, two_loop, two_angular],
    3: [three, three_flat, three_pointed],
    4: [four_open, four_closed, four_one_stroke],
    5: [five, five_one_stroke],
    6: [six, six_straight],
    7: [seven, lambda r: seven(r, bar=True), lambda r: seven(r, hook=True), lambda r: seven(r, True, True)],
    8: [eight, eight_rings, eight_from_middle],
    9: [nine, nine_ring_stick, nine_curled],
}
FLAGGED_ONES = (1, 2, 4)  # the hands of 1 with a long flag or a serif


def stream(seed: int, split: str, label: int) -> np.random.Generator:
    """The random numbers of one split and class: "train" and "test" never share a stream."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS} (got {split!r})")
    return np.random.default_rng([seed, SPLITS.index(split), label])


def placement(r: np.random.Generator, strokes: list[Stroke], small: float = 70, large: float = 240,
              pen: float | None = None) -> tuple[list[np.ndarray], float]:
    """``strokes`` (the 100-box) as a student might put them on the pad: (paths in pad pixels, pen width).

    Narrow or wide (0.7 to 1.3), slanted (±0.35) and turned (±8°), from ``small`` to ``large`` pad
    pixels high, anywhere on the pad that keeps it whole; with the pad's own pen most of the time,
    else a thinner or thicker one (a phone, a file)."""
    if pen is None:
        pen = pad.PEN if r.random() < 0.6 else float(r.uniform(8, 32))
    height = float(r.uniform(max(small, 5 * pen), large))  # smaller, and a thick pen fills the loops in
    stretch = float(r.uniform(0.7, 1.3))
    wide = [[(50 + (x - 50) * stretch, y) for x, y in stroke] for stroke in strokes]
    paths = transform(wide, height, (0.0, 0.0), float(r.uniform(-0.35, 0.35)), float(r.uniform(-8, 8)))
    points = np.concatenate(paths)
    extent = float((points.max(axis=0) - points.min(axis=0)).max())
    fit = min(1.0, (CANVAS - pen - 4) / max(extent, 1.0))  # slanted and wide, it might not fit
    paths = [path * fit for path in paths]
    low, high = points.min(axis=0) * fit - pen / 2 - 2, points.max(axis=0) * fit + pen / 2 + 2
    room = [(-a, CANVAS - b) for a, b in zip(low, high)]  # anywhere it stays whole on the pad
    shift = [r.uniform(a, b) if a < b else (a + b) / 2 for a, b in room]
    return [path + np.asarray(shift) for path in paths], pen


def draw(r: np.random.Generator, strokes: list[Stroke], unsteady: float = 2.5, **kwargs) -> Preprocessed:
    """One drawing of ``strokes`` as the page reads it: placed on the pad, rendered and preprocessed as /digits
    does (``preprocessed.image`` is what the model sees)."""
    paths, pen = placement(r, jitter(strokes, r, float(r.uniform(0.3, 1.0)) * unsteady), **kwargs)
    return preprocess(pad.ink(paths, pen), canvas=True)


class Drawn(NamedTuple):
    """Drawings as the model sees them, (m, 28, 28) float32, their classes (m,), and the preprocessing's
    own verdict on each ("blob" or None), which the page reads before any model."""

    images: np.ndarray
    labels: np.ndarray
    reasons: list


def drawn(r: np.random.Generator, shapes: list[Hand], n: int, label: int) -> Drawn:
    """``n`` drawings of the ``shapes`` in turn, each with its own random proportions, all of class ``label``."""
    steps = [draw(r, shapes[k % len(shapes)](r)) for k in range(n)]
    return Drawn(np.asarray([s.image for s in steps], np.float32).reshape(-1, 28, 28), np.full(n, label, np.int64),
                 [s.reason for s in steps])


def joined(parts: list[Drawn]) -> Drawn:
    return Drawn(np.concatenate([p.images for p in parts]), np.concatenate([p.labels for p in parts]),
                 [reason for p in parts for reason in p.reasons])


def drawn_digits(n: int, seed: int = 0, split: str = "train", labels=range(10),
                 hands: dict[int, list[Hand]] | None = None) -> Drawn:
    """``n`` drawings of each digit of ``labels``, each hand as often."""
    hands = hands or HANDS
    return joined([drawn(stream(seed, split, label), hands[label], n, label) for label in labels])


def flagged_ones(n: int, seed: int = 0, split: str = "test") -> Drawn:
    """``n`` drawings of a 1 with a flag (long or short, with a foot or not)."""
    return drawn_digits(n, seed, split, labels=[1], hands={1: [HANDS[1][k] for k in FLAGGED_ONES]})
