"""Crafted hostile files, made by code (never stored): shared by the unit, page and browser tests and by bench/.

Each function returns the bytes of one file as a visitor could upload it or
pass it on the command line. The bombs are small on disk and large inside;
they are built by streaming, so making one never holds its inside in memory.
Keras is imported only by the functions that build a model.
"""

from __future__ import annotations

import io
import json
import math
import struct
import zipfile
import zlib
from functools import lru_cache

import numpy as np

CHUNK = 4 * 2**20


def _npy_header(shape: tuple[int, ...], dtype: str = "|u1") -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def _stream_zeros(out, n: int) -> None:
    block = bytes(min(CHUNK, n))
    while n > 0:
        out.write(block[: min(CHUNK, n)])
        n -= CHUNK


def npz_bytes(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def mnist_like(n: int = 20, seed: int = 0, **change) -> dict[str, np.ndarray]:
    """Arrays in the keras.datasets.mnist layout, random but valid; ``change`` replaces any of them."""
    rng = np.random.default_rng(seed)
    arrays = dict(x_train=rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), y_train=rng.integers(0, 10, n),
                  x_test=rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), y_test=rng.integers(0, 10, n))
    arrays.update(change)
    return arrays


@lru_cache(maxsize=4)
def npz_bomb(images: int = 1_400_000, member: str = "x_train") -> bytes:
    """An npz whose ``member`` holds ``images`` blank 28 × 28 images, deflated: 1.4 M images (1.1 GB) fit in ~1.1 MB.

    Its labels are as many zeros (uint8), the other split small and valid: only the size gives it away.
    """
    arrays = mnist_like(10)
    labels = "y" + member[1:]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, array in arrays.items():
            if key not in (member, labels):
                out = io.BytesIO()
                np.save(out, array)
                archive.writestr(f"{key}.npy", out.getvalue())
                continue
            shape = (images, 28, 28) if key == member else (images,)
            with archive.open(f"{key}.npy", "w", force_zip64=True) as out:
                out.write(_npy_header(shape))
                _stream_zeros(out, math.prod(shape))
    return buffer.getvalue()


def npz_lying_header(images: int = 1_400_000) -> bytes:
    """An npz whose x_train header declares ``images`` images but holds only 10: it asks, it does not have."""
    arrays = mnist_like(10)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, array in arrays.items():
            out = io.BytesIO()
            np.save(out, array)
            content = out.getvalue()
            if key == "x_train":
                content = _npy_header((images, 28, 28)) + array.tobytes()
            archive.writestr(f"{key}.npy", content)
    return buffer.getvalue()


def npz_with_labels(lo: int, hi: int, n: int = 200, split: str = "both") -> bytes:
    """A small valid npz whose labels run from ``lo`` to ``hi`` (in the training split, test split or both)."""
    rng = np.random.default_rng(1)
    labels = np.arange(n) % (hi - lo + 1) + lo
    change = {}
    if split in ("both", "train"):
        change["y_train"] = labels
    if split in ("both", "test"):
        change["y_test"] = rng.permutation(labels)
    return npz_bytes(**mnist_like(n, **change))


def npz_many_members(members: int = 200_000) -> bytes:
    """A valid npz plus ``members`` empty extra entries: the zip's directory alone would cost ~100 MB of objects."""
    buffer = io.BytesIO(npz_bytes(**mnist_like(10)))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_STORED) as archive:
        for i in range(members):
            archive.writestr(f"{i}", b"")
    return buffer.getvalue()


def npz_pickled() -> bytes:
    """An npz whose labels are pickled object arrays (loading them would run the pickle)."""
    buffer = io.BytesIO()
    labels = np.array([object()] * 20, dtype=object)
    np.savez(buffer, **mnist_like(20, y_train=labels, y_test=labels))
    return buffer.getvalue()


def npy_not_npz() -> bytes:
    """A single .npy array, not an npz archive."""
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((10, 28, 28), np.uint8))
    return buffer.getvalue()


def zip_with(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def keras_model(input_shape: tuple[int, ...] = (28, 28, 1), outputs: int = 10, nan_weights: bool = False,
                activation: str = "softmax", hidden: int = 0) -> bytes:
    """A small Keras model as a ``.keras`` file's bytes: input ``input_shape``, ``outputs`` numbers out
    (through ``hidden`` ReLU units first, if any)."""
    import keras

    between = [keras.layers.Dense(hidden, activation="relu", name="hidden")] if hidden else []
    model = keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(), *between,
                              keras.layers.Dense(outputs, activation=activation, name="digits")])
    if nan_weights:
        kernel, bias = model.layers[-1].get_weights()
        model.layers[-1].set_weights([np.full_like(kernel, np.nan), bias])
    return _saved(model)


def _saved(model) -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        model.save(path)
        return path.read_bytes()


def _rewritten(content: bytes, change: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    """A .keras (or any zip) with some members replaced."""
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members.update(change)
    return zip_with(members, compression)


def keras_with_class_name(name: str) -> bytes:
    """A valid small model whose last layer's class name is ``name`` (e.g. Markdown, a link, LaTeX)."""
    content = keras_model()
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        config = json.loads(source.read("config.json"))
    config["config"]["layers"][-1]["class_name"] = name
    return _rewritten(content, {"config.json": json.dumps(config).encode()})


@lru_cache(maxsize=2)
def keras_config_bomb(size: int = 300 * 2**20) -> bytes:
    """A valid small model whose config.json is padded with ``size`` bytes of spaces: ~0.3 MB on disk for 300 MB."""
    content = keras_model()
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, member in members.items():
            if name != "config.json":
                archive.writestr(name, member)
                continue
            with archive.open(name, "w") as out:
                out.write(member[:-1])
                block = b" " * CHUNK
                left = size
                while left > 0:
                    out.write(block[: min(CHUNK, left)])
                    left -= CHUNK
                out.write(member[-1:])
    return buffer.getvalue()


def keras_huge_layer(units: int = 10_000_000) -> bytes:
    """A model whose config asks for a Dense layer of ``units`` units (31 GB of weights to build) in a tiny file."""
    content = keras_model(hidden=8)
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        config = json.loads(source.read("config.json"))
    hidden = next(layer for layer in config["config"]["layers"] if layer["config"].get("name") == "hidden")
    hidden["config"]["units"] = units
    return _rewritten(content, {"config.json": json.dumps(config).encode()})


def keras_lambda() -> bytes:
    """A model with a Lambda layer: code inside the file, which safe mode refuses to run."""
    import keras

    return _saved(keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Lambda(lambda x: x * 2),
                                    keras.layers.Flatten(), keras.layers.Dense(10, "softmax")]))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@lru_cache(maxsize=4)
def huge_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid, all-white greyscale PNG of ``width`` × ``height`` pixels (400 M for the default), ~0.4 MB."""
    squeeze = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * width
    rows_per_block = max(1, CHUNK // len(row))
    block = row * rows_per_block
    parts, left = [], height
    while left > 0:
        n = min(rows_per_block, left)
        parts.append(squeeze.compress(block if n == rows_per_block else row * n))
        left -= n
    parts.append(squeeze.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", b"".join(parts))
            + _png_chunk(b"IEND", b""))


def png_header_only(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels and holds no pixels (an empty image data chunk)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(b""))
            + _png_chunk(b"IEND", b""))


def png(array: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.asarray(array, np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def truncated_png() -> bytes:
    """The first half of a real drawing's PNG."""
    image = np.full((64, 64), 255, np.uint8)
    image[16:48, 30:34] = 0
    content = png(image)
    return content[: len(content) // 2]


def labelled_tsv(rows: list[tuple[int, str]]) -> bytes:
    return ("label\tsentence\n" + "".join(f"{label}\t{text}\n" for label, text in rows)).encode()
