"""A visitor's files on /digits-training: their model as a ``.keras`` file out and in, their data in.

Uploads are checked before use and say what is wrong through ``UploadError``.
Streamlit refuses any upload above 50 MB (``.streamlit/config.toml``) before
these see it. TensorFlow is imported when a model is saved or loaded.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from dlplay.digits.data import Data, DataError, read_npz
from dlplay.digits.recipes import MAX_IMAGES

MAX_MODEL_BYTES = 20 * 2**20


class UploadError(ValueError):
    """An uploaded file that cannot be used. ``reason`` is a short key for the page's
    message (too_big, not_npz, keys, shape, dtype, labels, not_keras, unreadable,
    input_shape, output_shape); ``detail`` fills it in."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.detail = reason, detail


def data_from_bytes(content: bytes) -> Data:
    """An uploaded npz in the keras.datasets.mnist layout, checked: UploadError says what is wrong."""
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise UploadError("not_npz")
    try:
        arrays = read_npz(io.BytesIO(content))
    except DataError as error:
        raise UploadError(error.reason, str(error)) from None
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if len(x) == 0 or len(x) > MAX_IMAGES:
            raise UploadError("shape", f"x_{split} has {len(x)} images (1 to {MAX_IMAGES})")
        if x.dtype != np.uint8:
            raise UploadError("dtype", f"x_{split} is {x.dtype}, expected uint8 (0-255)")
        if not np.issubdtype(y.dtype, np.integer):
            raise UploadError("dtype", f"y_{split} is {y.dtype}, expected integers")
        if y.min() < 0 or y.max() > 9:
            raise UploadError("labels", f"y_{split} holds {int(y.min())} to {int(y.max())}, expected 0 to 9")
    return Data(arrays["x_train"], arrays["y_train"].astype(np.uint8), arrays["x_test"],
                arrays["y_test"].astype(np.uint8))


def model_to_bytes(model) -> bytes:
    """The model as a ``.keras`` file's bytes: architecture and weights (an uncompiled model has no optimizer state)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        model.save(path)
        return path.read_bytes()


def model_from_bytes(content: bytes, max_bytes: int = MAX_MODEL_BYTES):
    """A digit reader from an uploaded ``.keras`` file: UploadError says what is wrong.

    Loaded with ``safe_mode=True`` (no code from the file runs: Lambda layers
    are refused), not compiled; it must take (28, 28, 1) or (28, 28) images
    and give 10 numbers.
    """
    import keras

    if len(content) > max_bytes:
        raise UploadError("too_big", f"{len(content) / 2**20:.0f} MB > {max_bytes / 2**20:.0f} MB")
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise UploadError("not_keras")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.keras"
        path.write_bytes(content)
        try:
            model = keras.saving.load_model(path, compile=False, safe_mode=True)
        except Exception as error:
            raise UploadError("unreadable", f"{type(error).__name__}: {str(error)[:200]}") from None
    try:
        inputs, outputs = tuple(model.input_shape), tuple(model.output_shape)
    except Exception:
        raise UploadError("input_shape", "the model has no single input") from None
    if inputs[1:] not in ((28, 28, 1), (28, 28)):
        raise UploadError("input_shape", str(inputs))
    if outputs[1:] != (10,):
        raise UploadError("output_shape", str(outputs))
    if inputs[1:] == (28, 28):
        model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Reshape((28, 28)), model])
    model.trainable = False
    probe = np.asarray(model(np.zeros((1, 28, 28, 1), np.float32), training=False))
    if probe.shape != (1, 10) or not np.all(np.isfinite(probe)):
        raise UploadError("output_shape", str(probe.shape))
    return model
