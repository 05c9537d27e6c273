"""MNIST for §3.1: the copy shipped in the package, and .npz files in its layout.

The shipped copy (``assets/mnist_sample.npz``, called "sample" in links and on
the command line) holds all 60,000 training images and all 10,000 official
test images, uint8, in the layout of ``keras.datasets.mnist``: ``x_train``
(60000, 28, 28), ``y_train`` (60000,), ``x_test`` (10000, 28, 28), ``y_test``
(10000,), 11 MB, so every page works offline. The whole lesson passes data
around as one shape, ``Data``. No TensorFlow here.
"""

from __future__ import annotations

import math
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, NamedTuple

import numpy as np

from dlplay import i18n
from dlplay.plain import shorten

ASSETS = Path(__file__).resolve().parent / "assets"
SAMPLE_PATH = ASSETS / "mnist_sample.npz"
SAMPLE_TRAIN_SIZE = 60_000
KEYS = ("x_train", "y_train", "x_test", "y_test")


class Data(NamedTuple):
    """A data set as ``keras.datasets.mnist`` gives it: uint8 images (n, 28, 28) and their digits (n,)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


class DataError(ValueError):
    """A data set that cannot be read, said in one line without the file's name. ``reason``: "missing",
    "not_npz", "keys", "shape", "dtype", "labels" or "too_big". ``key`` is the catalogue text that says it
    (``digits_training.npz.<case>``), in any language, and ``facts`` fill it in: only ints, our own array names
    and numpy's dtype codes (``dtype.str``), never anything the file could have written (a field name, a repr)."""

    def __init__(self, reason: str, case: str, **facts):
        self.reason, self.key, self.facts = reason, f"digits_training.npz.{case}", facts
        super().__init__(self.said("en"))

    def said(self, lang: str) -> str:
        return i18n.text(lang, self.key, **self.facts)


# What an npz may ask for, checked from its headers before anything is decompressed:
# at most MAX_IMAGES images a split (78 MB as uint8), a few members, small headers.
MAX_IMAGES = 100_000
MAX_MEMBERS = 64
MAX_HEADER = 4096
MAX_DIRECTORY = 2**20


def read_npz(path: str | Path | BinaryIO, keys: tuple[str, ...] = KEYS) -> dict[str, np.ndarray]:
    """The named arrays of an npz in the keras.datasets.mnist layout, checked: DataError says what is wrong.

    ``path`` may also be an open binary file (an upload); ``keys`` may name
    only the test split (``dlplay digits evaluate`` needs no more). Images
    must be uint8 (n, 28, 28) with 1 to MAX_IMAGES of them, labels integers
    0 to 9, one per image. The zip's directory and each array's ``.npy``
    header are read first: a file that declares more than that is refused
    before a byte of it is decompressed (a 1 MB file can declare 1 GB of zeros).
    """
    if isinstance(path, (str, Path)) and not Path(path).is_file():
        raise DataError("missing", "missing")
    try:
        directory = zip_directory(path)
        if directory is None:
            raise DataError("not_npz", "not_npz")
        entries, size = directory
        if entries > MAX_MEMBERS or size > MAX_DIRECTORY:
            raise DataError("too_big", "directory", members=int(entries), size=int(size), limit=MAX_MEMBERS)
        with zipfile.ZipFile(path) as archive:
            members = {name.removesuffix(".npy"): archive.getinfo(name) for name in archive.namelist()}
            missing = [key for key in keys if key not in members]
            if missing:
                raise DataError("keys", "keys", missing=", ".join(missing))
            headers = {key: _array_header(archive, members[key], key) for key in keys}
            _check_layout(headers)
            arrays = {key: _read_array(archive, members[key]) for key in keys}
    except DataError:
        raise
    except Exception as error:  # noqa: BLE001 - zipfile and numpy raise several types for a damaged file
        raise DataError("not_npz", "unreadable", error=type(error).__name__) from None
    for split in ("train", "test"):
        y = arrays.get(f"y_{split}")  # integers of at most 8 bytes by now (_check_layout): int() takes them
        if y is not None and len(y) and (y.min() < 0 or y.max() > 9):
            raise DataError("labels", "labels", key=f"y_{split}", lo=int(y.min()), hi=int(y.max()))
    return arrays


def zip_directory(source: str | Path | BinaryIO) -> tuple[int, int] | None:
    """(members, bytes of the central directory) a zip declares at its end, read before the directory
    itself (whose entries zipfile would all turn into objects); None if it is not a zip."""
    handle = open(source, "rb") if isinstance(source, (str, Path)) else source
    try:
        record = zipfile._EndRecData(handle)  # the stdlib's own reader of the end record (and its zip64 form)
    finally:
        if handle is not source:
            handle.close()
    if not record:
        return None
    return record[zipfile._ECD_ENTRIES_TOTAL], record[zipfile._ECD_SIZE]


def _array_header(archive: zipfile.ZipFile, info: zipfile.ZipInfo, key: str) -> tuple[tuple[int, ...], np.dtype]:
    """(shape, dtype) from a member's .npy header, its declared size checked against them."""
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = read_header(member, max_header_size=MAX_HEADER)
        header_size = member.tell()
    if dtype.hasobject:
        raise DataError("dtype", "objects", key=key)
    declared = header_size + math.prod(shape) * dtype.itemsize
    if info.file_size != declared:
        raise DataError("shape", "size", key=key, shape=_shape(shape), dtype=_dtype(dtype), size=int(info.file_size))
    return shape, dtype


def _check_layout(headers: dict[str, tuple[tuple[int, ...], np.dtype]]) -> None:
    for split in ("train", "test"):
        if f"x_{split}" not in headers or f"y_{split}" not in headers:
            continue
        (x_shape, x_type), (y_shape, y_type) = headers[f"x_{split}"], headers[f"y_{split}"]
        if len(x_shape) == 3 and x_shape[0] > MAX_IMAGES:
            raise DataError("too_big", "too_many", key=f"x_{split}", n=int(x_shape[0]), limit=MAX_IMAGES)
        if len(x_shape) != 3 or x_shape[1:] != (28, 28) or y_shape != x_shape[:1] or not x_shape[0]:
            raise DataError("shape", "layout", x=f"x_{split}", y=f"y_{split}", x_shape=_shape(x_shape),
                            y_shape=_shape(y_shape))
        # By kind and size, not by numpy's notion of "integer": to np.issubdtype, timedelta64 is one.
        if not (x_type.kind == "u" and x_type.itemsize == 1):
            raise DataError("dtype", "images", key=f"x_{split}", dtype=_dtype(x_type))
        if not (y_type.kind in "iu" and y_type.itemsize <= 8):
            raise DataError("dtype", "labels_type", key=f"y_{split}", dtype=_dtype(y_type))


def _shape(shape: tuple) -> str:
    """A header's shape as a short string of its ints (a header may declare hundreds of dimensions)."""
    return shorten(str(tuple(int(size) for size in shape)), 60)


def _dtype(dtype: np.dtype) -> str:
    """numpy's code for a dtype ("<m8[s]", "|V4"): unlike str(dtype), it never holds a structured field's name."""
    return shorten(dtype.str, 20)


def _read_array(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    with archive.open(info) as member:
        return np.lib.format.read_array(member, allow_pickle=False, max_header_size=MAX_HEADER)


def load_data(source: str | Path = "sample") -> Data:
    """The shipped MNIST ("sample") or an npz file in its layout."""
    if str(source) == "sample":
        return load_sample()
    return Data(**read_npz(source))


@lru_cache(maxsize=1)
def load_sample() -> Data:
    """The shipped MNIST, read-only, loaded once per process and shared by every visitor."""
    arrays = read_npz(SAMPLE_PATH)
    for array in arrays.values():
        array.setflags(write=False)
    return Data(**arrays)


def examples_of(label: int, n: int = 5, start: int = 0) -> np.ndarray:
    """``n`` official test images of class ``label`` from the shipped MNIST, (n, 28, 28) uint8.

    ``start`` skips that many of the class first, so a page can page through them.
    """
    x_test, y_test = _test_split()
    (indices,) = np.nonzero(y_test == int(label))
    return x_test[indices[start : start + n]]


@lru_cache(maxsize=1)
def _test_split() -> tuple[np.ndarray, np.ndarray]:
    """The shipped test images alone: /digits shows some on its first visit, and decompressing
    the 60,000 training images too would take most of that visit's time (docs/benchmarks.md)."""
    if load_sample.cache_info().currsize:
        return load_sample().x_test, load_sample().y_test
    arrays = read_npz(SAMPLE_PATH, keys=("x_test", "y_test"))
    for array in arrays.values():
        array.setflags(write=False)
    return arrays["x_test"], arrays["y_test"]


def write_sample(source: str | Path, out: str | Path = SAMPLE_PATH, n_train: int = SAMPLE_TRAIN_SIZE) -> Path:
    """Write the shipped MNIST from a full MNIST npz: the first ``n_train`` training images, all test images."""
    data = load_data(source)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        x_train=data.x_train[:n_train].astype(np.uint8),
        y_train=data.y_train[:n_train].astype(np.uint8),
        x_test=data.x_test.astype(np.uint8),
        y_test=data.y_test.astype(np.uint8),
    )
    return out
