"""Lesson 3a: draw a digit and watch a CNN read it (tutorial §3.1).

The public side of the lesson, for the ``/digits`` page and the ``dlplay
digits`` command:

- preprocessing, step by step (``preprocess`` and its ``Preprocessed`` steps,
  from ``dlplay.digits.preprocess``);
- the two shipped models, ``tutorial`` and ``ours`` (``load_model``), and
  reading a drawing with them (``read_digit``), including the not-a-digit rule;
- the inside of a network: ``first_layer_filters``, ``feature_maps``,
  ``dense_activations``, ``saliency``;
- the shipped MNIST sample (``load_sample``, ``examples_of``).

TensorFlow is imported on first use of a model, never by the activations page
(which does not import this module). Training lives in ``dlplay.digits.train``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from dlplay.digits.data import ASSETS, examples_of, load_mnist, load_sample
from dlplay.digits.preprocess import FIELD, ImageError, Preprocessed, preprocess, read_image

__all__ = [
    "MIN_CONFIDENCE",
    "MODELS",
    "ImageError",
    "Preprocessed",
    "Reading",
    "accuracy",
    "dense_activations",
    "examples_of",
    "feature_maps",
    "first_layer_filters",
    "load_mnist",
    "load_model",
    "load_sample",
    "layer_outputs",
    "model_path",
    "predict",
    "preprocess",
    "probabilities",
    "read_digit",
    "read_image",
    "saliency",
    "warm_up",
]

MODELS = ("tutorial", "ours")
# The not-a-digit rule: a drawing is read as no digit when it has no ink, when
# its ink is one solid blob (a dot, a filled area), or when the model gives
# its most likely digit less than this probability. At 0.8, "ours" turns away
# none of the 215 hand-drawn test digits and 0.6 % of the MNIST test digits
# (but 26 of its 42 mistakes there), and about a third of random scribbles:
# softmax is often sure of a tangle (mostly an 8).
MIN_CONFIDENCE = 0.8

_lock = threading.Lock()


def model_path(name_or_path: str | Path) -> Path:
    """The file of a shipped model ("tutorial", "ours") or the given path."""
    if str(name_or_path) in MODELS:
        return ASSETS / f"{name_or_path}.keras"
    return Path(name_or_path)


@lru_cache(maxsize=8)
def _load(path: Path):
    import keras

    model = keras.saving.load_model(path, compile=False)
    model.trainable = False
    return model


def load_model(name_or_path: str | Path = "ours"):
    """The Keras model "tutorial", "ours" or at a ``.keras`` path; loaded once per process, never to be mutated.

    Raises FileNotFoundError for a missing file and ValueError for one Keras cannot load.
    """
    path = model_path(name_or_path).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"no model file {path}")
    with _lock:
        try:
            return _load(path)
        except Exception as error:
            raise ValueError(f"{path.name} is not a Keras model file ({type(error).__name__})") from None


class _Compiled:
    """Graph-compiled calls of one model: tracing once makes each call ~1 ms instead of ~10."""

    def __init__(self, model):
        import tensorflow as tf

        spec = [tf.TensorSpec((None, FIELD, FIELD, 1), tf.float32)]
        self.model = model
        self.forward = tf.function(lambda x: model(x, training=False), input_signature=spec)
        # Calling the traced graph directly skips tf.function's argument binding: ~0.6 ms less a stroke.
        self.forward_graph = self.forward.get_concrete_function()
        self.constant = tf.constant
        self.layers = tf.function(lambda x: _run_layers(model, x), input_signature=spec)
        self.saliency = tf.function(
            lambda x, label: _logit_gradient(model, x, label),
            input_signature=[spec[0], tf.TensorSpec((), tf.int32)],
        )


def _run_layers(model, x):
    outputs = []
    for layer in model.layers:
        x = layer(x, training=False)
        outputs.append(x)
    return outputs


def _logit_gradient(model, x, label):
    """Gradient of the class score before the softmax: the probability saturates at 1 and its gradient vanishes."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        tape.watch(x)
        hidden = x
        for layer in model.layers[:-1]:
            hidden = layer(hidden, training=False)
        last = model.layers[-1]
        logits = tf.matmul(hidden, last.kernel) + last.bias
        score = logits[:, label]
    return tape.gradient(score, x)


# Models in use: the two shipped ones and each visitor's own. Bounded, so the
# traced graphs of models nobody uses any more are let go (least recently used first).
_compiled: OrderedDict[int, _Compiled] = OrderedDict()
MAX_COMPILED = 24


def compiled(model) -> _Compiled:
    """The compiled calls of ``model``, made once per model object (while it stays in use)."""
    with _lock:
        entry = _compiled.get(id(model))
        if entry is None or entry.model is not model:
            entry = _compiled[id(model)] = _Compiled(model)
        _compiled.move_to_end(id(model))
        while len(_compiled) > MAX_COMPILED:
            _compiled.popitem(last=False)
        return entry


def warm_up(model) -> None:
    """Trace the compiled calls once (about a second), so the first stroke on the page is fast too."""
    blank = np.zeros((FIELD, FIELD), np.float32)
    blank[8:20, 12:16] = 1.0
    predict(model, blank)
    layer_outputs(model, blank)
    saliency(model, blank)


def as_batch(images: np.ndarray) -> np.ndarray:
    """(28, 28) or (n, 28, 28[, 1]) floats in [0, 1] as (n, 28, 28, 1) float32."""
    x = np.asarray(images, dtype=np.float32)
    if x.ndim == 2:
        x = x[None]
    if x.ndim == 3:
        x = x[..., None]
    if x.shape[1:] != (FIELD, FIELD, 1):
        raise ValueError(f"expected 28×28 images, got shape {np.shape(images)}")
    return x


def predict(model, images: np.ndarray) -> np.ndarray:
    """Probabilities of the ten digits: (10,) for one (28, 28) image, (n, 10) for a batch.

    Calls the model directly (``model(x, training=False)`` in a compiled
    function), not ``model.predict``, which costs ~70 ms of set-up per call.
    """
    x = as_batch(images)
    calls = compiled(model)
    probabilities = calls.forward_graph(calls.constant(x)).numpy()
    return probabilities[0] if np.ndim(images) == 2 else probabilities


def probabilities(model, x: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """(n, 10) probabilities for many images: uint8 (n, 28, 28) as in keras.datasets.mnist, or
    floats in [0, 1]; in batches through the compiled graph."""
    out = []
    for start in range(0, len(x), batch_size):
        batch = np.asarray(x[start: start + batch_size], np.float32).reshape(-1, FIELD, FIELD)
        if x.dtype == np.uint8:
            batch /= 255.0
        out.append(predict(model, batch))
    return np.concatenate(out) if out else np.zeros((0, 10), np.float32)


def accuracy(model, x: np.ndarray, y: np.ndarray, batch_size: int = 500) -> float:
    """Share of images read right; ``x`` uint8 (n, 28, 28) as in keras.datasets.mnist."""
    if len(x) == 0:
        return 0.0
    return float(np.mean(np.argmax(probabilities(model, x, batch_size), axis=1) == y))


@dataclass(frozen=True)
class Reading:
    """What a model reads in one drawing.

    ``label`` is the digit, or None when the not-a-digit rule says it is none
    (``reason`` says why: "empty", "blob" or "unsure"). ``guess`` is the most
    likely digit whatever the rule, ``confidence`` its probability.
    """

    label: int | None
    guess: int
    confidence: float
    probabilities: np.ndarray
    reason: str | None
    preprocessed: Preprocessed


def decide(probabilities: np.ndarray, preprocessed: Preprocessed, min_confidence: float = MIN_CONFIDENCE):
    """The not-a-digit rule: (label or None, reason or None)."""
    if preprocessed.reason is not None:
        return None, preprocessed.reason
    if float(np.max(probabilities)) < min_confidence:
        return None, "unsure"
    return int(np.argmax(probabilities)), None


def read_digit(
    model,
    image,
    crop_box: bool = True,
    fit: bool = True,
    centre: bool = True,
    min_confidence: float = MIN_CONFIDENCE,
) -> Reading:
    """Preprocess a drawing (any image, e.g. the canvas as RGBA uint8) and read it with ``model``.

    ``image`` may also be a ``Preprocessed`` result, to read one drawing with
    both models without preprocessing it twice (the step switches are then
    ignored). An empty drawing is not shown to the model: its probabilities
    are all zero.
    """
    if isinstance(image, Preprocessed):
        steps = image
    else:
        steps = preprocess(image, crop_box=crop_box, fit=fit, centre=centre)
    if steps.empty:
        probabilities = np.zeros(10, np.float32)
    else:
        probabilities = predict(model, steps.image)
    label, reason = decide(probabilities, steps, min_confidence)
    guess = int(np.argmax(probabilities))
    return Reading(label, guess, float(probabilities[guess]), probabilities, reason, steps)


def first_layer_filters(model) -> np.ndarray:
    """The first convolution's kernels as (filters, height, width), e.g. (32, 3, 3)."""
    conv = next(layer for layer in model.layers if layer.__class__.__name__ == "Conv2D")
    kernel = conv.kernel.numpy()  # (height, width, in channels, filters)
    return np.transpose(kernel[:, :, 0, :], (2, 0, 1))


def layer_outputs(model, image: np.ndarray) -> list[tuple[str, str, np.ndarray]]:
    """(layer name, layer class, output for the one image) for every layer, in order."""
    outputs = compiled(model).layers(as_batch(image))
    return [
        (layer.name, layer.__class__.__name__, np.asarray(out)[0])
        for layer, out in zip(model.layers, outputs, strict=True)
    ]


def feature_maps(model, image: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """(layer name, maps (height, width, channels)) of each convolution and pooling layer for one 28×28 image."""
    return [(name, out) for name, kind, out in layer_outputs(model, image) if kind in ("Conv2D", "MaxPooling2D")]


def dense_activations(model, image: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """(layer name, activations (units,)) of each dense layer for one 28×28 image; the last is the probabilities."""
    return [(name, out) for name, kind, out in layer_outputs(model, image) if kind == "Dense"]


def saliency(model, image: np.ndarray, label: int | None = None) -> np.ndarray:
    """Where the pixels matter: |∂ score of ``label`` / ∂ input|, scaled to [0, 1], (28, 28).

    The score is the class's value before the softmax; ``label`` defaults to
    the winning class.
    """
    import tensorflow as tf

    x = as_batch(image)
    if label is None:
        label = int(np.argmax(predict(model, image)))
    gradient = np.abs(compiled(model).saliency(x, tf.constant(int(label), tf.int32)).numpy()[0, :, :, 0])
    top = float(gradient.max())
    return gradient / top if top > 0 else gradient


CODE = '''\
"""What the /digits page does with a drawing, as a script.

    python digits.py            # reads a "7" drawn the way the canvas draws it
    python digits.py my.png     # or any image file: any size, either polarity
"""

import sys

import keras
import numpy as np
from keras import layers

from dlplay.digits.model import load_model, predict, preprocess, read_image
from dlplay.digits.strokes import draw_digit


def tutorial_model():
    """The tutorial's CNN (§3.1) in Keras 3 form: keras.Input first (input_shape= warns in Keras 3)."""
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


# Trained the tutorial's way, this made dlplay/assets/digits/tutorial.keras (`dlplay digits train --arch tutorial`):
#   (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
#   model = tutorial_model()
#   model.fit(x_train.reshape(-1, 28, 28, 1) / 255.0, keras.utils.to_categorical(y_train),
#             epochs=5, batch_size=32, validation_data=(x_test.reshape(-1, 28, 28, 1) / 255.0,
#                                                      keras.utils.to_categorical(y_test)))
tutorial_model().summary()

# The page's steps: crop to the ink, scale the longer side to 20 px, centre of mass to the middle of 28 x 28.
image = read_image(sys.argv[1]) if len(sys.argv) > 1 else draw_digit(7)
steps = preprocess(image, crop_box={crop}, fit={fit}, centre={centre})
model = load_model("{model}")
probabilities = predict(model, steps.image)  # calls the model directly: model.predict costs ~70 ms for one image
print("prediction:", int(np.argmax(probabilities)))
print("probabilities:", np.round(probabilities, 3))
'''


def code(model: str = "ours", crop: bool = True, fit: bool = True, centre: bool = True) -> str:
    """The runnable script behind the page, with the page's model and preprocessing switches filled in."""
    return CODE.format(model=model if model in MODELS else "ours", crop=bool(crop), fit=bool(fit), centre=bool(centre))
