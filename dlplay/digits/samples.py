"""Digits put on the /digits pad without a pen: for a keyboard, a screen reader or a class without styluses.

A sample becomes strokes, the pad's own message (``pad.parse``), so the pad draws it, Undo and Clear act on it,
and the page reads it as it reads any drawing:

- a real MNIST test digit (the shipped sample), each row's run of ink one stroke of the pad's pen: at ten pad
  pixels to an MNIST pixel and a pen two MNIST pixels wide, the pad shows the digit as MNIST holds it, its
  strokes slightly thicker;
- one of the hand-drawn styles of ``strokes.HANDS``, as the pen would have drawn it;
- a picture a visitor uploads, read the same way as an MNIST digit once it is 28 × 28 (a dark digit on a light
  page is turned round to MNIST's white on black).
"""

from __future__ import annotations

import io

import numpy as np

from dlplay.digits import pad
from dlplay.digits.data import examples_of
from dlplay.digits.strokes import HANDS, transform

SOURCES = ("mnist", "hand")
INK = 96  # an MNIST pixel at least this bright (of 255) is ink
MAX_UPLOAD_BYTES = 5 * 2**20
MAX_UPLOAD_PIXELS = 25_000_000  # a picture's width × height; larger ones are refused before they are decoded
BOX = 20  # MNIST's digits fit a 20 × 20 box centred in their 28 × 28


class PictureError(ValueError):
    """An upload that is no picture of a digit we can read: "too_large", "not_a_picture" or "empty"."""


def from_image(image: np.ndarray, ink: int = INK) -> list[list[float]]:
    """A 28 × 28 uint8 image (white ink on black) as pad strokes: one per run of ink in a row, in pad pixels."""
    scale = pad.SIDE / image.shape[1]
    found = []
    for y, row in enumerate(np.asarray(image) >= ink):
        edges = np.flatnonzero(np.diff(np.concatenate([[0], row.astype(np.int8), [0]])))
        for start, end in zip(edges[::2], edges[1::2]):
            centre_y = (y + 0.5) * scale
            found.append([(start + 0.5) * scale, centre_y, (end - 0.5) * scale, centre_y])
    return [[round(float(v), 1) for v in stroke] for stroke in found[:pad.MAX_STROKES]]


def mnist(label: int, k: int = 0) -> list[list[float]]:
    """The `k`-th real test digit `label` of the shipped MNIST, as pad strokes."""
    return from_image(examples_of(label, n=1, start=k % 50)[0])


def hand(label: int, k: int = 0) -> list[list[float]]:
    """The `k`-th hand-drawn style of `label`, as the pen would draw it on the pad."""
    hands = HANDS[label]
    paths = transform(hands[k % len(hands)], height=pad.SIDE * 0.7, centre=(pad.SIDE / 2, pad.SIDE / 2))
    return [[round(float(v), 1) for v in path.reshape(-1)] for path in paths]


def sample(label: int, source: str, k: int = 0) -> list[list[float]]:
    return mnist(label, k) if source == "mnist" else hand(label, k)


def from_upload(data: bytes) -> list[list[float]]:
    """An uploaded picture of one digit as pad strokes: its size checked first, then fitted as MNIST's digits are
    (the ink's box scaled into 20 × 20, centred in 28 × 28). Raises PictureError."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_UPLOAD_BYTES:
        raise PictureError("too_large")
    try:
        with Image.open(io.BytesIO(data)) as picture:  # reads the header only
            too_large = picture.width * picture.height > MAX_UPLOAD_PIXELS
            grey = None if too_large else np.asarray(picture.convert("L"), np.float32)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise PictureError("not_a_picture") from error
    if grey is None:
        raise PictureError("too_large")
    if np.median(grey) > 127:  # a dark digit on a light page
        grey = 255 - grey
    grey = np.clip((grey - grey.min()) * (255 / max(1.0, np.ptp(grey))), 0, 255)
    rows, columns = np.nonzero(grey >= INK)
    if not len(rows):
        raise PictureError("empty")
    box = grey[rows.min():rows.max() + 1, columns.min():columns.max() + 1]
    side = max(box.shape)
    height, width = (max(1, round(n * BOX / side)) for n in box.shape)
    fitted = np.asarray(Image.fromarray(box.astype(np.uint8)).resize((width, height), Image.Resampling.LANCZOS))
    image = np.zeros((28, 28), np.uint8)
    top, left = (28 - height) // 2, (28 - width) // 2
    image[top:top + height, left:left + width] = fitted
    return from_image(image)
