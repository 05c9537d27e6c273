"""MNIST for lesson 3a: the sample shipped in the package, and full data sets.

The sample (``assets/digits/mnist_sample.npz``) holds all 60,000 training
images and all 10,000 official test images, uint8, in the layout of
``keras.datasets.mnist``: ``x_train`` (60000, 28, 28), ``y_train`` (60000,),
``x_test`` (10000, 28, 28), ``y_test`` (10000,), 11 MB. It lets the gallery and
the training lesson work offline. (A first version shipped 10,000 training
images; one epoch of the tutorial's network on them reaches only 95 % on the
test set, 40,000 give 97.2–97.5 %, all 60,000 give 98 %.) No TensorFlow here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import numpy as np

ASSETS = Path(__file__).resolve().parent / "assets"
SAMPLE_PATH = ASSETS / "mnist_sample.npz"
SAMPLE_TRAIN_SIZE = 60_000
KEYS = ("x_train", "y_train", "x_test", "y_test")

Split = tuple[np.ndarray, np.ndarray]


class DataError(ValueError):
    """A data set that cannot be read. ``reason``: "missing", "not_npz", "keys" or "shape"."""

    def __init__(self, message: str, reason: str = "not_npz"):
        super().__init__(message)
        self.reason = reason


def read_npz(path: str | Path | BinaryIO, keys: tuple[str, ...] = KEYS) -> dict[str, np.ndarray]:
    """Read the named arrays of an npz in the keras.datasets.mnist layout, checking shapes.

    ``path`` may also be an open binary file (an upload)."""
    if isinstance(path, (str, Path)):
        path = name = Path(path)
        if not path.is_file():
            raise DataError(f"no such file: {path}", "missing")
    else:
        name = "the file"
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [key for key in keys if key not in npz.files]
            if missing:
                raise DataError(f"{name} lacks {', '.join(missing)} (keras.datasets.mnist layout expected)", "keys")
            arrays = {key: npz[key] for key in keys}
    except DataError:
        raise
    except Exception as error:  # np.load raises several types for a file that is not an npz
        raise DataError(f"{name} is not a readable .npz file ({type(error).__name__})") from None
    for split in ("train", "test"):
        x, y = arrays.get(f"x_{split}"), arrays.get(f"y_{split}")
        if x is None or y is None:
            continue
        if x.ndim != 3 or x.shape[1:] != (28, 28) or y.shape != (len(x),):
            raise DataError(f"{name}: x_{split} must be (n, 28, 28) with y_{split} (n,), got {x.shape} and {y.shape}",
                            "shape")
    return arrays


def load_mnist(source: str | Path = "sample") -> tuple[Split, Split]:
    """((x_train, y_train), (x_test, y_test)) as uint8 from "sample", "mnist" or an npz path.

    "mnist" is the full set through ``keras.datasets.mnist.load_data()``, which
    downloads it once; without internet that raises DataError with a hint.
    """
    if str(source) == "sample":
        arrays = load_sample()
    elif str(source) == "mnist":
        try:
            import keras

            return keras.datasets.mnist.load_data()
        except Exception as error:
            raise DataError(
                "could not download MNIST through keras.datasets "
                f"({type(error).__name__}); without internet pass --data PATH.npz "
                "(keras.datasets.mnist layout) or --data sample"
            ) from None
    else:
        arrays = read_npz(source)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


@lru_cache(maxsize=1)
def load_sample() -> dict[str, np.ndarray]:
    """The shipped MNIST sample as a dict of read-only uint8 arrays (loaded once per process)."""
    arrays = read_npz(SAMPLE_PATH)
    for array in arrays.values():
        array.setflags(write=False)
    return arrays


def examples_of(label: int, n: int = 5, start: int = 0) -> np.ndarray:
    """``n`` official test images of class ``label`` from the shipped sample, (n, 28, 28) uint8.

    ``start`` skips that many of the class first, so a page can page through them.
    """
    sample = load_sample()
    (indices,) = np.nonzero(sample["y_test"] == int(label))
    return sample["x_test"][indices[start : start + n]]


def write_sample(source: str | Path, out: str | Path = SAMPLE_PATH, n_train: int = SAMPLE_TRAIN_SIZE) -> Path:
    """Write the shipped sample from a full MNIST npz: the first ``n_train`` training images, all test images."""
    (x_train, y_train), (x_test, y_test) = load_mnist(source)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        x_train=x_train[:n_train].astype(np.uint8),
        y_train=y_train[:n_train].astype(np.uint8),
        x_test=x_test.astype(np.uint8),
        y_test=y_test.astype(np.uint8),
    )
    return out
