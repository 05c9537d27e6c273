"""The pictures §3.1's pages show: small ink maps blown up, feature maps tiled, the saliency overlay.

Every picture is a uint8 array a page passes to ``st.image``; numpy and Pillow only.
"""

from __future__ import annotations

import numpy as np
from PIL import Image


def enlarge(image: np.ndarray, size: int = 140, square: bool = False) -> np.ndarray:
    """A small ink map (0..1) as a white-on-black uint8 picture ``size`` pixels across, pixels kept square.

    ``square`` pads it to a square first, so the preprocessing steps line up at one size.
    """
    if square and image.shape[0] != image.shape[1]:
        side = max(image.shape)
        padded = np.zeros((side, side), image.dtype)
        top, left = (side - image.shape[0]) // 2, (side - image.shape[1]) // 2
        padded[top: top + image.shape[0], left: left + image.shape[1]] = image
        image = padded
    picture = Image.fromarray(np.uint8(np.clip(image, 0, 1) * 255))
    scale = size / max(picture.size)
    return np.asarray(picture.resize((max(1, round(picture.width * scale)), max(1, round(picture.height * scale))),
                                     Image.NEAREST))


def mosaic(maps: np.ndarray, columns: int = 8, gap: int = 1) -> np.ndarray:
    """Feature maps (h, w, c) tiled into one picture in [0, 1], row by row, each map scaled to its own range."""
    h, w, c = maps.shape
    rows = -(-c // columns)
    tiles = np.zeros((rows * (h + gap), columns * (w + gap)))
    for k in range(c):
        m = maps[:, :, k]
        span = float(m.max() - m.min())
        r, col = divmod(k, columns)
        top, left = r * (h + gap), col * (w + gap)
        tiles[top: top + h, left: left + w] = (m - m.min()) / span if span else 0
    return tiles


def filters_picture(filters: np.ndarray) -> np.ndarray:
    """The first layer's kernels (filters, height, width), sixteen to a row, 640 pixels wide."""
    return enlarge(mosaic(np.transpose(filters, (1, 2, 0)), columns=16), size=640)


def maps_picture(maps: np.ndarray) -> np.ndarray:
    """One layer's feature maps (h, w, c), sixteen to a row, each map pixel three screen pixels (at most 900 wide)."""
    return enlarge(mosaic(maps, columns=16), size=min(900, 16 * maps.shape[1] * 3))


def examples_picture(examples: np.ndarray, size: int = 70) -> np.ndarray:
    """MNIST digits (n, 28, 28) uint8 side by side, each ``size`` pixels across."""
    return enlarge(np.hstack(examples) / 255.0, size=len(examples) * size)


def saliency_picture(image: np.ndarray, saliency: np.ndarray, size: int = 224) -> np.ndarray:
    """The network's input (28, 28) in white, with the saliency (28, 28, in [0, 1]) over it in red, RGB."""
    overlay = np.stack([image, image * (1 - saliency), image * (1 - saliency)], axis=-1)
    overlay[..., 0] = np.maximum(overlay[..., 0], saliency)
    return np.asarray(Image.fromarray(np.uint8(overlay * 255)).resize((size, size), Image.NEAREST))


def on_paper(image: np.ndarray) -> np.ndarray:
    """An MNIST digit (white ink on black, uint8) as dark ink on white paper."""
    return 255 - np.asarray(image)
