"""The shipped CNNs run in numpy from their ``.keras`` files: reading a drawing needs no TensorFlow.

A ``.keras`` file is a zip of ``config.json`` (the layers, in order) and
``model.weights.h5`` (their weights), read here with zipfile and h5py (which
Keras itself depends on). Importing TensorFlow and loading a model in it takes
seconds; this takes milliseconds, and one forward pass of a drawing about a
millisecond (docs/benchmarks.md). Training, teaching and a visitor's own models
stay in Keras (``dlplay.digits.reading``); tests/unit/test_digits_numpy.py checks
this against Keras and TensorFlow's gradients.

Only the layers dlplay's recipes build are understood: Conv2D ('valid', stride
1), MaxPooling2D (2 × 2, stride 2), Flatten, Dropout (nothing at inference)
and Dense, with ReLU, softmax or no activation, channels last.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

KINDS = ("Conv2D", "MaxPooling2D", "Flatten", "Dropout", "Dense")
ACTIVATIONS = ("relu", "softmax", "linear")
# OpenBLAS spreads a matrix-vector product over threads once the matrix passes a few hundred thousand
# numbers (the tutorial's 5408 × 128 dense layer): on a busy server, waiting for those threads took 8 ms
# instead of 0.1. Products of one image are cut into pieces of at most this many weights, each on one thread.
ONE_THREAD = 2**17


@dataclass(frozen=True)
class Layer:
    """One layer: its name and Keras class, kernel and bias (Conv2D, Dense) and activation."""

    name: str
    kind: str
    kernel: np.ndarray | None = None  # Conv2D (k, k, in, out); Dense (in, out)
    bias: np.ndarray | None = None
    activation: str = "linear"


def _snake_case(name: str) -> str:
    """Keras's own name for a layer class inside a saved file: Conv2D -> conv2d, MaxPooling2D -> max_pooling2d."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", re.sub(r"\W+", "", name))
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _layer(spec: dict, weights) -> Layer:
    kind, config = spec["class_name"], spec["config"]
    activation = config.get("activation") or "linear"
    if activation not in ACTIVATIONS:
        raise ValueError(f"layer {config['name']!r}: activation {activation!r} is not run in numpy")
    if kind == "Conv2D" and (config["padding"] != "valid" or tuple(config["strides"]) != (1, 1)
                             or tuple(config["dilation_rate"]) != (1, 1) or config.get("groups", 1) != 1):
        raise ValueError(f"layer {config['name']!r}: only 'valid' convolutions of stride 1 are run in numpy")
    if kind == "MaxPooling2D" and (tuple(config["pool_size"]) != (2, 2) or tuple(config["strides"]) != (2, 2)
                                   or config["padding"] != "valid"):
        raise ValueError(f"layer {config['name']!r}: only 2 × 2 pooling is run in numpy")
    if config.get("data_format", "channels_last") != "channels_last":
        raise ValueError(f"layer {config['name']!r}: only channels last is run in numpy")
    kernel = bias = None
    if kind in ("Conv2D", "Dense"):
        kernel = np.asarray(weights["vars/0"], np.float32)
        bias = np.asarray(weights["vars/1"], np.float32) if config.get("use_bias", True) else \
            np.zeros(kernel.shape[-1], np.float32)
        kernel.flags.writeable = bias.flags.writeable = False
    return Layer(config["name"], kind, kernel, bias, activation)


class NumpyCNN:
    """A Sequential CNN as arrays: ``forward``, the output of every layer, and the saliency gradient."""

    def __init__(self, name: str, layers: list[Layer], path: Path | None = None, content: bytes | None = None):
        """``path``: the file it was read from; ``content``: or the file's bytes (a model trained on a worker)."""
        self.name, self.layers, self.path, self.content = name, tuple(layers), path, content

    @classmethod
    def load(cls, path: str | Path) -> NumpyCNN:
        """The model in a ``.keras`` file. ValueError for a file that is not one, or has a layer not run here."""
        path = Path(path)
        return cls._read(path.read_bytes(), path.name, path.stem, path)

    @classmethod
    def from_bytes(cls, content: bytes, name: str = "model") -> NumpyCNN:
        """The model in a ``.keras`` file's bytes, which it keeps (to be downloaded, or taught on a worker)."""
        return cls._read(content, f"{name}.keras", name, keep=True)

    @classmethod
    def _read(cls, content: bytes, file_name: str, name: str, path: Path | None = None, keep: bool = False):
        import h5py

        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                config = json.loads(archive.read("config.json"))
                weights = archive.read("model.weights.h5")
        except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as error:
            raise ValueError(f"{file_name} is not a Keras model file ({type(error).__name__})") from None
        if config.get("class_name") != "Sequential":
            raise ValueError(f"{file_name}: only Sequential models are run in numpy")
        specs = [spec for spec in config["config"]["layers"] if spec["class_name"] != "InputLayer"]
        layers, seen = [], {}
        with h5py.File(io.BytesIO(weights), "r") as h5:
            for spec in specs:
                if spec["class_name"] not in KINDS:
                    raise ValueError(f"layer {spec['config'].get('name')!r}: {spec['class_name']} is not run in numpy")
                # In the file a layer is named after its class, numbered in order: conv2d, conv2d_1, ...
                base = _snake_case(spec["class_name"])
                count = seen[base] = seen.get(base, -1) + 1
                try:
                    layers.append(_layer(spec, h5[f"layers/{base if count == 0 else f'{base}_{count}'}"]))
                except KeyError as error:
                    raise ValueError(f"{file_name}: layer {spec['config'].get('name')!r} has no weights ({error})") \
                        from None
        return cls(config["config"].get("name", name), layers, path, content if keep else None)

    def layer_outputs(self, x: np.ndarray) -> list[np.ndarray]:
        """The output of every layer for a batch (n, 28, 28, 1) float32, in order."""
        outputs = []
        for layer in self.layers:
            x = _forward(layer, x)
            outputs.append(x)
        return outputs

    def forward(self, x: np.ndarray) -> np.ndarray:
        """(n, classes) probabilities for a batch (n, 28, 28, 1)."""
        for layer in self.layers:
            x = _forward(layer, x)
        return x

    def first_kernel(self) -> np.ndarray | None:
        """The first convolution's kernel (height, width, in channels, filters); None for a dense network."""
        return next((layer.kernel for layer in self.layers if layer.kind == "Conv2D"), None)

    def logit_gradient(self, x: np.ndarray, label: int) -> np.ndarray:
        """∂ (class ``label``'s score before the softmax) / ∂ x for a batch (n, 28, 28, 1): backprop by hand.

        ReLU passes the gradient where its output is above 0; a 2 × 2 max pool
        to the first largest input of each window, as TensorFlow does; a
        'valid' convolution's input gradient is the output gradient spread back
        through each kernel position (the transposed convolution).
        """
        inputs, outputs = [], []
        for layer in self.layers:
            inputs.append(x)
            x = _forward(layer, x, logits=layer is self.layers[-1])
            outputs.append(x)
        grad = np.zeros_like(x)
        grad[:, label] = 1.0
        for layer, x_in, out in zip(reversed(self.layers), reversed(inputs), reversed(outputs)):
            if layer.activation == "relu":
                grad = grad * (out > 0)
            if layer.kind == "Dense":
                grad = _matmul(grad, layer.kernel.T)
            elif layer.kind == "Conv2D":
                grad = _conv_input_gradient(grad, layer.kernel, x_in.shape)
            elif layer.kind == "MaxPooling2D":
                grad = _pool_input_gradient(grad, x_in)
            elif layer.kind == "Flatten":
                grad = grad.reshape(x_in.shape)
        return grad


def _forward(layer: Layer, x: np.ndarray, logits: bool = False) -> np.ndarray:
    """One layer; ``logits``: the last layer's scores before its softmax."""
    if layer.kind == "Conv2D":
        x = _conv(x, layer.kernel) + layer.bias
    elif layer.kind == "MaxPooling2D":
        n, h, w, c = x.shape
        x = x[:, : h // 2 * 2, : w // 2 * 2].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))
    elif layer.kind == "Flatten":
        x = x.reshape(len(x), -1)
    elif layer.kind == "Dense":
        x = _matmul(x, layer.kernel) + layer.bias
    if layer.activation == "relu":
        return np.maximum(x, 0, out=x)
    if layer.activation == "softmax" and not logits:
        x = np.exp(x - x.max(axis=-1, keepdims=True))
        return x / x.sum(axis=-1, keepdims=True)
    return x


def _matmul(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """x @ weights; for one row, as a sum over pieces of the inner dimension small enough for one thread."""
    rows = max(1, ONE_THREAD // weights.shape[1])
    if len(x) > 1 or weights.shape[0] <= rows:
        return x @ weights
    return sum(x[:, k: k + rows] @ weights[k: k + rows] for k in range(0, weights.shape[0], rows))


def _conv(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """'valid' convolution (Keras's, i.e. cross-correlation): a sum of one matrix product per kernel position.

    Per position rather than one big im2col product: the same work, without a
    (pixels, k·k·channels) copy that grows to hundreds of MB for a batch.
    """
    k, _, channels, filters = kernel.shape
    n, h, w, _ = x.shape
    out = np.zeros((n, h - k + 1, w - k + 1, filters), np.float32)
    for i in range(k):
        for j in range(k):
            out += x[:, i: i + h - k + 1, j: j + w - k + 1] @ kernel[i, j]
    return out


def _conv_input_gradient(grad: np.ndarray, kernel: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    k = kernel.shape[0]
    _, h_out, w_out, _ = grad.shape
    x_grad = np.zeros(shape, np.float32)
    for i in range(k):
        for j in range(k):
            x_grad[:, i: i + h_out, j: j + w_out] += grad @ kernel[i, j].T
    return x_grad


def _pool_input_gradient(grad: np.ndarray, x: np.ndarray) -> np.ndarray:
    n, h, w, c = x.shape
    hh, ww = h // 2, w // 2
    windows = x[:, : hh * 2, : ww * 2].reshape(n, hh, 2, ww, 2, c).transpose(0, 1, 3, 5, 2, 4).reshape(n, hh, ww, c, 4)
    first_max = np.argmax(windows, axis=-1)  # row by row within the window: the first of equal maxima wins
    spread = (np.arange(4) == first_max[..., None]) * grad[..., None]
    x_grad = np.zeros_like(x)
    x_grad[:, : hh * 2, : ww * 2] = spread.reshape(n, hh, ww, c, 2, 2).transpose(0, 1, 4, 2, 5, 3).reshape(
        n, hh * 2, ww * 2, c)
    return x_grad
