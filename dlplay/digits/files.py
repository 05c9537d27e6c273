"""A visitor's files on /digits-training: their model as a ``.keras`` file out and in, their data in.

Uploads (and the command line's files) are checked before use and say what
is wrong through ``UploadError``; sizes are checked before anything is
inflated or built. Streamlit refuses any upload above 50 MB
(``.streamlit/config.toml``) before these see it. TensorFlow is imported when
a model is saved or loaded.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from dlplay.digits import reading, sizes
from dlplay.digits.data import Data, DataError, read_npz, zip_directory
from dlplay.digits.graph import error_text
from dlplay.plain import shorten

MAX_MODEL_BYTES = 20 * 2**20
# What a .keras file may hold, checked from its zip directory before Keras reads
# a byte: Keras stores its members uncompressed, and its config of a digit reader
# is a few kB. A member that grows 100-fold or more when inflated is a bomb.
MAX_MODEL_MEMBERS = 16
MAX_CONFIG_BYTES = 2**20
MAX_MODEL_INSIDE = 2 * MAX_MODEL_BYTES
MAX_INFLATION = 100
WEIGHTS_FILE = "model.weights.h5"


class UploadError(ValueError):
    """A file that cannot be used, as the page and the command line say it. ``reason`` is a short key
    for the message (too_big, not_npz, keys, shape, dtype, labels, not_keras, bomb, unreadable,
    input_shape, output_shape, not_finite; what running a model would cost, from ``sizes``: layers,
    layer_kind, name, weights, activation, activations, weights_file; cannot_run); ``detail`` fills it in, as
    plain text (a file's own words in it are data: the page shows it with ``plain``). ``said``, when
    given, is (catalogue key, values) that says the whole refusal in any language (an npz's, from
    ``DataError``)."""

    def __init__(self, reason: str, detail: str = "", said: tuple[str, dict] | None = None):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.detail, self.said = reason, detail, said


def data_from_bytes(content: bytes) -> Data:
    """An uploaded npz in the keras.datasets.mnist layout, checked (``read_npz``): UploadError says what is wrong."""
    try:
        arrays = read_npz(io.BytesIO(content))
    except DataError as error:
        raise UploadError(error.reason, str(error), (error.key, error.facts)) from None
    return Data(arrays["x_train"], arrays["y_train"].astype(np.uint8), arrays["x_test"],
                arrays["y_test"].astype(np.uint8))


def model_to_bytes(model) -> bytes:
    """The model as a ``.keras`` file's bytes: architecture and weights (an uncompiled model has no optimizer state)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        model.save(path)
        return path.read_bytes()


def model_from_path(path: str | Path, max_bytes: int = MAX_MODEL_BYTES):
    """A digit reader from a ``.keras`` file on disk, checked as an upload is (``model_from_bytes``)."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise UploadError("too_big", f"{size / 2**20:.0f} MB > {max_bytes / 2**20:.0f} MB")
    return model_from_bytes(path.read_bytes(), max_bytes)


def model_from_bytes(content: bytes, max_bytes: int = MAX_MODEL_BYTES):
    """A digit reader from an uploaded ``.keras`` file: UploadError says what is wrong.

    The zip's directory and config, what running the model would cost and
    its weights file's declared sizes are checked before Keras reads the file
    (``check_archive``); it is then loaded with ``safe_mode=True`` (no code
    from the file runs), not compiled, and must pass ``check_reader``.
    """
    if len(content) > max_bytes:
        raise UploadError("too_big", f"{len(content) / 2**20:.0f} MB > {max_bytes / 2**20:.0f} MB")
    check_archive(content)
    import keras  # only now: a refused file costs no TensorFlow start-up

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.keras"
        path.write_bytes(content)
        try:
            model = keras.saving.load_model(path, compile=False, safe_mode=True)
        except Exception as error:  # noqa: BLE001 - Keras raises many types for a file it cannot read
            raise UploadError("unreadable", f"{type(error).__name__}: {shorten(str(error), 200)}") from None
    return check_reader(model)


def evaluate_upload(model, x: np.ndarray, y: np.ndarray) -> reading.Evaluation:
    """How an accepted upload reads the test images ``x`` and labels ``y`` (``reading.evaluate``): the first time
    it runs in the compiled graph the pages run it in. UploadError("cannot_run") if that fails (TensorFlow takes
    in a graph less than Keras loads), and the model is let go."""
    try:
        return reading.evaluate(model, x, y)
    except Exception as error:  # noqa: BLE001 - TensorFlow raises many types for a model it cannot run
        reading.forget(model)
        raise UploadError("cannot_run", error_text(error)) from None


def check_archive(content: bytes) -> dict:
    """The parsed config of a ``.keras`` file whose members are all of a sane size; UploadError otherwise.

    Sizes come from the zip's directory, so nothing is inflated to learn them,
    and zipfile stops reading a member at its declared size.
    """
    directory = zip_directory(io.BytesIO(content))
    if directory is None:
        raise UploadError("not_keras")
    if directory[0] > MAX_MODEL_MEMBERS:
        raise UploadError("bomb", f"{directory[0]:,} files inside (at most {MAX_MODEL_MEMBERS})")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            for info in infos:
                inflated = info.file_size > 2**16 and info.file_size > MAX_INFLATION * max(info.compress_size, 1)
                if inflated or (info.filename == "config.json" and info.file_size > MAX_CONFIG_BYTES):
                    raise UploadError("bomb", f"{shorten(info.filename, 60)} unpacks to {_size(info.file_size)}"
                                              f" from {_size(info.compress_size)}")
            if sum(info.file_size for info in infos) > MAX_MODEL_INSIDE:
                raise UploadError("bomb", f"its files unpack to more than {MAX_MODEL_INSIDE / 2**20:.0f} MB")
            if "config.json" not in archive.namelist():
                raise UploadError("not_keras")
            config = json.loads(archive.read("config.json"))
            weights = archive.read(WEIGHTS_FILE) if WEIGHTS_FILE in archive.namelist() else None
    except UploadError:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged zip or config: zipfile and json raise several types
        raise UploadError("unreadable", f"{type(error).__name__}: {shorten(str(error), 200)}") from None
    try:
        cost = sizes.model_cost(config)
        if weights is not None:
            sizes.check_weights_file(weights, cost.weights)
    except sizes.Refused as refused:
        raise UploadError(refused.reason, refused.detail) from None
    except Exception as error:  # noqa: BLE001 - a config of unexpected types: any JSON may stand in any place
        raise UploadError("unreadable", f"{type(error).__name__}: {shorten(str(error), 200)}") from None
    return config


def _size(count: int) -> str:
    return f"{count / 2**20:,.0f} MB" if count >= 2**20 else f"{count / 2**10:,.1f} kB"


def check_reader(model):
    """``model`` if it can read digits, as the page and the command line use it; UploadError says why not.

    It must take 28 × 28 images, as (28, 28, 1) or (28, 28), give 10 numbers
    (or 11: the ten digits and "not a digit", as the shipped "ours" and a copy
    of it taught on /digits do), and have only finite weights and give finite outputs. A (28, 28)
    model comes back wrapped to take (28, 28, 1); the model is set non-trainable.
    """
    import keras

    try:
        inputs, outputs = tuple(model.input_shape), tuple(model.output_shape)
    except Exception:  # noqa: BLE001 - Keras raises for a model with several inputs or none
        raise UploadError("input_shape", "the model has no single input") from None
    if inputs[1:] not in ((28, 28, 1), (28, 28)):
        raise UploadError("input_shape", str(inputs))
    if outputs[1:] not in ((10,), (11,)):
        raise UploadError("output_shape", str(outputs))
    bad = [weight.path for weight in model.weights if not np.all(np.isfinite(weight.numpy()))]
    if bad:
        raise UploadError("not_finite", f"{len(bad)} weight array(s), first {shorten(bad[0], 60)}")
    if inputs[1:] == (28, 28):
        model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Reshape((28, 28)), model])
    model.trainable = False
    probe = np.asarray(model(np.zeros((1, 28, 28, 1), np.float32), training=False))
    if probe.shape != (1, outputs[1]) or not np.all(np.isfinite(probe)):
        raise UploadError("not_finite", f"its output for a blank image is {shorten(str(probe.tolist()), 80)}")
    return model
