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


def keras_with_class_name(name: str, **change) -> bytes:
    """A valid small model whose last layer's class name is ``name`` (e.g. Markdown, a link, LaTeX), and whose
    spec's other keys are changed as ``change`` says (``module="os"``, ``registered_name="mine>Dense"``)."""
    content = keras_model()
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        config = json.loads(source.read("config.json"))
    config["config"]["layers"][-1].update(class_name=name, **change)
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


def keras_wide_after_convolution(units: int = 4000) -> bytes:
    """A model whose config asks for a Dense layer of ``units`` units after a 28 × 28 × 64 convolution: 200 M
    weights (800 MB) for the default, which a count of the config's own numbers (64, 3 × 3, 4000) misses."""
    import keras

    layers = keras.layers
    content = keras_layers(layers.Conv2D(64, 3, padding="same"), layers.Flatten(), layers.Dense(8, name="hidden"),
                           layers.Dense(10, activation="softmax", name="digits"))
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


def keras_layers(*layers, input_shape: tuple[int, ...] = (28, 28, 1)) -> bytes:
    """A Sequential model of ``layers`` (Keras layer objects, made by the caller) as a ``.keras`` file."""
    import keras

    return _saved(keras.Sequential([keras.Input(input_shape), *layers]))


def keras_activation_bomb(kind: str = "upsampling") -> bytes:
    """A model with almost no weights whose activations for one 28 × 28 image are hundreds of millions of numbers,
    in a 16–50 kB file: Input(28, 28, 1) → the bomb → pooling → Dense(10). ``kind``: "upsampling"
    (UpSampling2D((400, 400))), "padding" (ZeroPadding2D(5000)), "repeat" (Flatten → RepeatVector(200000)),
    "filters" (a 1 × 1 Conv2D of 20,000 filters, then one: 60,000 weights), "functional" and "nested" (the
    upsampling in a functional model, or in a Sequential inside the model), "many" (six ReLUs after an
    UpSampling2D((8, 8)): each layer within the budget, all of them together far above it)."""
    import keras

    layers = keras.layers
    pooled = [layers.GlobalAveragePooling2D(), layers.Dense(10, activation="softmax")]
    if kind == "functional":
        image = keras.Input((28, 28, 1))
        return _saved(keras.Model(image, pooled[1](pooled[0](layers.UpSampling2D((400, 400))(image)))))
    bombs = {"upsampling": [layers.UpSampling2D((400, 400))], "padding": [layers.ZeroPadding2D(5000)],
             "repeat": [layers.Flatten(), layers.RepeatVector(200_000)],
             "filters": [layers.Conv2D(20_000, 1), layers.Conv2D(1, 1)],
             "nested": [keras.Sequential([layers.UpSampling2D((400, 400)), layers.GlobalMaxPooling2D()])],
             "many": [layers.UpSampling2D((8, 8)), *(layers.ReLU() for _ in range(6))]}
    if kind == "repeat":
        pooled[0] = layers.GlobalAveragePooling1D()
    if kind == "nested":
        pooled = pooled[1:]
    return keras_layers(*bombs[kind], *pooled)


def keras_config_changed(content: bytes, change) -> bytes:
    """A ``.keras`` file with its parsed config.json passed to ``change`` (which edits it in place) first."""
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        config = json.loads(source.read("config.json"))
    change(config)
    return _rewritten(content, {"config.json": json.dumps(config).encode()})


def keras_deep(layers: int = 600) -> bytes:
    """A valid small model with ``layers`` ReLU layers between its input and its digits, written into its config
    (building 600 layers in Keras takes minutes: reading them back is what costs the server)."""
    content = keras_model()
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        config = json.loads(source.read("config.json"))
    specs = config["config"]["layers"]
    relu = {"module": "keras.layers", "class_name": "ReLU", "config": {"name": "relu", "trainable": True,
                                                                        "dtype": "float32"}, "registered_name": None}
    deep = [{**relu, "config": {**relu["config"], "name": f"relu_{i}"}} for i in range(layers)]
    config["config"]["layers"] = specs[:2] + deep + specs[2:]
    return _rewritten(content, {"config.json": json.dumps(config).encode()}, zipfile.ZIP_DEFLATED)


def keras_with_layer_name(name: str) -> bytes:
    """A valid small model whose hidden layer is named ``name`` (Keras takes any name; TensorFlow's graphs do not)."""
    import keras

    return keras_layers(keras.layers.Flatten(), keras.layers.Dense(16, activation="relu", name=name),
                        keras.layers.Dense(10, activation="softmax", name="digits"))


def _weights_file(content: bytes, change) -> bytes:
    """A .keras whose model.weights.h5 is passed to ``change`` (an open, writable h5py.File) first."""
    import h5py

    with zipfile.ZipFile(io.BytesIO(content)) as source:
        buffer = io.BytesIO(source.read("model.weights.h5"))
    with h5py.File(buffer, "r+") as h5:
        change(h5)
    return _rewritten(content, {"model.weights.h5": buffer.getvalue()}, zipfile.ZIP_DEFLATED)


def keras_lying_weights(declared: int = 2**30, where: str = "layers/dense/vars/0") -> bytes:
    """A small valid model (Flatten → Dense(10)) whose weights file declares the dataset ``where`` as ``declared``
    bytes of float32 through an HDF5 fill value, and holds none of them: ~30 kB for a gigabyte."""

    def lie(h5) -> None:
        if where in h5:
            del h5[where]
        h5.create_dataset(where, shape=(declared // 4,), dtype="f4", fillvalue=1.0)

    return _weights_file(keras_model(), lie)


def keras_weights_linked(kind: str = "external") -> bytes:
    """A small valid model whose kernel in the weights file is a link: "external" (to a file on the server that
    reads it), or "soft" (to another dataset)."""
    import h5py

    def link(h5) -> None:
        del h5["layers/dense/vars/0"]
        h5["layers/dense/vars/0"] = (h5py.ExternalLink("/etc/passwd", "/x") if kind == "external"
                                     else h5py.SoftLink("/layers/dense/vars/1"))

    return _weights_file(keras_model(), link)


def keras_weights_of_strings() -> bytes:
    """A small valid model whose weights file holds an extra dataset of variable-length strings."""
    import h5py

    def strings(h5) -> None:
        h5.create_dataset("layers/dense/vars/2", data=["x" * 100] * 10, dtype=h5py.string_dtype())

    return _weights_file(keras_model(), strings)


def keras_weights_many_entries(entries: int = 5000) -> bytes:
    """A small valid model whose weights file holds ``entries`` empty groups besides its weights."""

    def groups(h5) -> None:
        for i in range(entries):
            h5.create_group(f"layers/g{i}")

    return _weights_file(keras_model(), groups)


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
