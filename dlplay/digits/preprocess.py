"""Turning any drawing or photo of a digit into an MNIST-style 28×28 input.

MNIST digits were made this way (LeCun et al.): the ink was cropped to its
bounding box, scaled with anti-aliasing so that the longer side is 20 pixels,
keeping the aspect ratio, put in a 28×28 field and shifted so that its centre
of mass sits at the centre of the field. A network trained on MNIST expects
exactly that, so a drawing must go through the same steps before it is read.
Each step is separate, returns its image, and can be switched off, so the
lesson can show how much each one matters.

numpy and Pillow only: no TensorFlow here.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

FIELD = 28
BOX = 20
# Centre of mass of the MNIST training digits, in pixel indices (rows, columns):
# 13.996 and 14.007 over the 60,000 training images.
CENTRE = (14.0, 14.0)
# Larger inputs are box-averaged down to at most this side first, so a
# 10,000 × 10,000 image costs what a 1,024 × 1,024 one does.
MAX_SIDE = 1024
# Ink below this level is noise (JPEG artefacts, paper texture) and is dropped.
INK_FLOOR = 0.1
# An image is blank when its ink is less than this many fully inked pixels
# of the (possibly downscaled) input.
MIN_INK = 4.0
# A blob: a compact, solid shape (a dot, a filled area) is not a digit. MNIST
# digits cover on average a third of their box and 99.9 % at most 0.78 of it;
# the exceptions are straight ones, whose box is narrow, hence the aspect test.
BLOB_FILL = 0.7
BLOB_ASPECT = 0.5
# A phone photo has 12 to 50 million pixels; decoding 64 M as RGB takes 192 MB.
# Pillow's own limit is set to the same number for anything else that opens images.
MAX_PIXELS = 64_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageError(ValueError):
    """A file that cannot be read as an image: one line saying why."""


@dataclass(frozen=True)
class Preprocessed:
    """Every step of the preprocessing, as images (float32, 0 = no ink, 1 = full ink).

    - ``image``: the model's input, (28, 28) float32 in [0, 1];
    - ``ink``: the ink map of the whole input (after any downscaling);
    - ``cropped``: the ink inside its bounding box (the whole ink map when cropping is off);
    - ``scaled``: after scaling, longer side 20 px (28 × 28 stretched when ``fit`` is off);
    - ``placed``: in the middle of the 28 × 28 field, before the centre-of-mass shift;
    - ``empty``: no ink at all; ``blob``: the ink is one solid shape (a dot, a filled area);
    - ``dark_on_light``: the polarity found from the border;
    - ``box``: (top, left, bottom, right) of the ink in ``ink``; ``centre_of_mass``:
      (row, column) in ``placed``; ``shift``: (rows, columns) moved to centre it;
    - ``downscaled_by``: the whole factor a huge input was first shrunk by;
    - ``steps``: which steps were on.

    When ``empty``, ``image`` is all zeros and ``cropped``, ``scaled``, ``placed`` are None.
    """

    image: np.ndarray
    ink: np.ndarray
    cropped: np.ndarray | None
    scaled: np.ndarray | None
    placed: np.ndarray | None
    empty: bool
    blob: bool
    dark_on_light: bool
    box: tuple[int, int, int, int] | None = None
    centre_of_mass: tuple[float, float] | None = None
    shift: tuple[int, int] = (0, 0)
    downscaled_by: int = 1
    steps: dict = field(default_factory=dict)

    @property
    def reason(self) -> str | None:
        """Why this is no digit before any model sees it: "empty", "blob" or None."""
        if self.empty:
            return "empty"
        if self.blob:
            return "blob"
        return None


def as_array(image) -> np.ndarray:
    """An image (numpy array or PIL image) as a numpy array (H, W) or (H, W, C), C in 1..4."""
    if isinstance(image, Image.Image):
        image = pil_to_array(image)
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (2, 3, 4)):
        raise ImageError(f"expected an image of shape (H, W), (H, W, 3) or (H, W, 4), got {array.shape}")
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ImageError(f"the image has no pixels (shape {array.shape})")
    return array


def pil_to_array(image: Image.Image) -> np.ndarray:
    """Grey, RGB or RGBA uint8 array of a PIL image of any mode (palette, 16-bit, CMYK …)."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        values = np.asarray(image, dtype=np.float32)
        top = float(values.max()) if values.size else 0.0
        scale = 255.0 / (65535.0 if top > 255 else 255.0)
        return np.clip(values * scale, 0, 255).astype(np.uint8)
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    if has_alpha:
        return np.asarray(image.convert("RGBA"))
    if image.mode in ("1", "L"):
        return np.asarray(image.convert("L"))
    return np.asarray(image.convert("RGB"))


def read_image(path: str | Path) -> np.ndarray:
    """Read a PNG, JPEG (any format Pillow knows) into a uint8 array, downscaled to at most 1,024 px a side.

    The photo is turned upright as its EXIF orientation says: a phone stores
    its pictures as the sensor saw them and notes the turn there.

    Raises ImageError with a one-line reason (without the file name) for a
    missing file, a file that is not an image, a corrupt one, or one with more
    than MAX_PIXELS pixels: the size is read from the header (``Image.open``
    decodes nothing), so a small file declaring a huge image costs nothing.
    """
    path = Path(path)
    if not path.is_file():
        raise ImageError("no such file")
    try:
        with warnings.catch_warnings():  # Pillow warns between its limit and twice it; the check below says it
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
        with image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageError(f"image too large ({width:,} × {height:,} pixels; at most {MAX_PIXELS:,})")
            image.draft(None, (MAX_SIDE, MAX_SIDE))  # JPEG decodes at reduced size
            image.load()
            image = ImageOps.exif_transpose(image)
            if max(image.size) > MAX_SIDE:
                image = image.reduce(-(-max(image.size) // MAX_SIDE))
            return pil_to_array(image)
    except ImageError:
        raise
    except Image.DecompressionBombError:  # Pillow's own refusal, as it opens more than twice its limit
        raise ImageError(f"image too large (more than {MAX_PIXELS:,} pixels)") from None
    except (Image.UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        if isinstance(error, Image.UnidentifiedImageError):
            raise ImageError("not an image (Pillow does not recognise the format)") from None
        raise ImageError("cannot be decoded (truncated or corrupt image)") from None


def downscale(array: np.ndarray, max_side: int = MAX_SIDE) -> tuple[np.ndarray, int]:
    """Box-average the image down by a whole factor so its longer side is at most ``max_side``."""
    factor = -(-max(array.shape[:2]) // max_side)
    if factor <= 1:
        return array, 1
    if array.dtype != np.uint8:
        array = to_uint8(array)
    return np.asarray(Image.fromarray(array).reduce(factor)), factor


def to_uint8(array: np.ndarray) -> np.ndarray:
    if array.dtype == np.uint8:
        return array
    if array.dtype == bool:
        return array.astype(np.uint8) * 255
    values = array.astype(np.float32)
    if np.issubdtype(array.dtype, np.floating):
        values = values * 255.0
    return np.clip(values, 0, 255).astype(np.uint8)


def to_unit(array: np.ndarray) -> np.ndarray:
    """float32 in [0, 1] from uint8 (/255), bool, or float already in [0, 1]."""
    if array.dtype == np.uint8:
        return array.astype(np.float32) * np.float32(1 / 255)
    if array.dtype == bool:
        return array.astype(np.float32)
    if np.issubdtype(array.dtype, np.floating):
        return np.clip(array.astype(np.float32), 0.0, 1.0)
    return np.clip(array.astype(np.float32) / 255.0, 0.0, 1.0)


def border(values: np.ndarray) -> np.ndarray:
    """The pixels of the outer ring of a 2-D image, about 2 % of its side thick."""
    h, w = values.shape
    t = max(1, min(h, w) // 50)
    return np.concatenate(
        [values[:t].ravel(), values[-t:].ravel(), values[t:-t, :t].ravel(), values[t:-t, -t:].ravel()]
    )


def extract_ink(image, canvas: bool = False) -> tuple[np.ndarray, bool]:
    """Ink map (H, W) float32 in [0, 1] of any image, and whether the ink was dark on light.

    A transparent background (RGBA, most of the border see-through) means the
    ink is the opacity, whatever its colour: that is how a canvas stores its
    strokes. Otherwise the background is the median brightness of the border,
    robust to a digit that touches the edge: on a light background ink is how
    much darker a pixel is, on a dark one how much lighter, stretched so the
    strongest ink is 1.

    ``canvas``: the image is the page's canvas, white ink on black whatever its
    border shows. Guessing there would read a canvas inked to its edges as dark
    on light, and the gaps left in the ink as the digit.
    """
    array = as_array(image)
    values = to_unit(array)
    if canvas:  # a see-through pixel of it holds no ink
        see_through = values.ndim == 3 and values.shape[2] in (2, 4)
        colour, alpha = (values[:, :, :-1], values[:, :, -1]) if see_through else (values, 1.0)
        grey = colour.mean(axis=2) if colour.ndim == 3 else colour
        return clean(grey * alpha), False
    if values.ndim == 3 and values.shape[2] in (2, 4):
        alpha = values[:, :, -1]
        if np.median(border(alpha)) < 0.5:
            return clean(alpha), False
        colour = values[:, :, :-1]
    else:
        alpha, colour = None, values
    if colour.ndim == 3 and colour.shape[2] == 3:
        grey = colour @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    elif colour.ndim == 3:
        grey = colour[:, :, 0]
    else:
        grey = colour
    background = float(np.median(border(grey)))
    dark_on_light = background > 0.5
    if alpha is not None and float(alpha.min()) < 1.0:
        # Transparent pixels show the background colour.
        grey = grey * alpha + background * (1 - alpha)
    if dark_on_light:
        ink = (background - grey) / max(background, 1e-6)
    else:
        ink = (grey - background) / max(1 - background, 1e-6)
    return clean(ink), dark_on_light


def clean(ink: np.ndarray) -> np.ndarray:
    """Drop the faint noise, then stretch so the strongest ink is 1, as in every MNIST digit.

    A pencil on paper is never as dark as the paper is light; MNIST strokes
    always reach full ink.
    """
    ink = np.clip(ink, 0.0, 1.0).astype(np.float32, copy=False)
    ink[ink < INK_FLOOR] = 0.0
    top = float(ink.max())
    if 0.0 < top < 1.0:
        ink *= np.float32(1.0 / top)
    return ink


def bounding_box(ink: np.ndarray) -> tuple[int, int, int, int] | None:
    """(top, left, bottom, right) of the inked pixels, bottom and right exclusive; None if no ink."""
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(ink.any(axis=0))
    return int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1


def crop(ink: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The ink inside its bounding box."""
    top, left, bottom, right = box
    return ink[top:bottom, left:right]


def resize(values: np.ndarray, height: int, width: int) -> np.ndarray:
    """Anti-aliased resize of a float image (Pillow's bilinear filter widens its support when shrinking)."""
    if values.shape == (height, width):
        return values.copy()
    image = Image.fromarray(np.ascontiguousarray(values, dtype=np.float32), mode="F")
    return np.clip(np.asarray(image.resize((width, height), Image.BILINEAR)), 0.0, 1.0)


def scale_to_box(values: np.ndarray, box: int = BOX) -> np.ndarray:
    """Scale so that the longer side is ``box`` pixels, keeping the aspect ratio."""
    h, w = values.shape
    factor = box / max(h, w)
    return resize(values, max(1, round(h * factor)), max(1, round(w * factor)))


def centre_of_mass(values: np.ndarray) -> tuple[float, float]:
    """Ink-weighted mean (row, column) of an image."""
    total = float(values.sum())
    rows = values.sum(axis=1)
    cols = values.sum(axis=0)
    return (
        float(rows @ np.arange(len(rows), dtype=np.float32)) / total,
        float(cols @ np.arange(len(cols), dtype=np.float32)) / total,
    )


def place(values: np.ndarray) -> np.ndarray:
    """Put an image of at most 28×28 in the middle of an empty 28×28 field."""
    h, w = values.shape
    top, left = (FIELD - h) // 2, (FIELD - w) // 2
    placed = np.zeros((FIELD, FIELD), np.float32)
    placed[top : top + h, left : left + w] = values
    return placed


def shift_to_centre(placed: np.ndarray) -> tuple[np.ndarray, tuple[float, float], tuple[int, int]]:
    """Shift by whole pixels so the centre of mass lands on (14, 14), as in MNIST: (image, centre of mass, shift).

    The shift never pushes ink off the field.
    """
    com = centre_of_mass(placed)
    top, left, bottom, right = bounding_box(placed)
    dy = int(np.clip(round(CENTRE[0] - com[0]), -top, FIELD - bottom))
    dx = int(np.clip(round(CENTRE[1] - com[1]), -left, FIELD - right))
    shifted = np.zeros_like(placed)
    shifted[top + dy : bottom + dy, left + dx : right + dx] = placed[top:bottom, left:right]
    return shifted, com, (dy, dx)


def is_blob(scaled: np.ndarray) -> bool:
    """A compact solid shape: more than 70 % of a not-too-narrow box is ink (a dot, a filled area)."""
    h, w = scaled.shape
    fill = float(np.mean(scaled > 0.5))
    return fill > BLOB_FILL and min(h, w) / max(h, w) > BLOB_ASPECT


def preprocess(image, crop_box: bool = True, fit: bool = True, centre: bool = True,
               canvas: bool = False) -> Preprocessed:
    """Turn an image (numpy array or PIL image; any size, polarity, grey/RGB/RGBA) into the model's 28×28 input.

    Steps, each returned as an image: ink extraction; ``crop_box`` crops to the
    bounding box of the ink; ``fit`` scales so the longer side is 20 px keeping
    the aspect ratio (off: stretch to 28×28, the plain resize); ``centre``
    shifts so the centre of mass is at the centre of the field. With all three
    off this is a plain resize of the whole image to 28×28.
    """
    steps = {"crop": crop_box, "fit": fit, "centre": centre}
    array, factor = downscale(as_array(image))
    ink, dark_on_light = extract_ink(array, canvas)
    zeros = np.zeros((FIELD, FIELD), np.float32)
    box = bounding_box(ink)
    if box is None or float(ink.sum()) < MIN_INK:
        return Preprocessed(zeros, ink, None, None, None, True, False, dark_on_light, box, None, (0, 0), factor, steps)
    cropped = crop(ink, box) if crop_box else ink
    box_scaled = scale_to_box(crop(ink, box))  # also judges "blob" when the steps are off
    if fit:
        scaled = box_scaled if crop_box else scale_to_box(cropped)
        placed = place(scaled)
    else:
        scaled = resize(cropped, FIELD, FIELD)
        placed = scaled
    if centre and placed.any():
        final, com, shift = shift_to_centre(placed)
    else:
        final, com, shift = placed, centre_of_mass(placed) if placed.any() else None, (0, 0)
    return Preprocessed(
        final, ink, cropped, scaled, placed, False, is_blob(box_scaled), dark_on_light, box, com, shift, factor, steps
    )
