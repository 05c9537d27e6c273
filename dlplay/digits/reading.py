"""Reading a digit with a trained CNN, and looking inside the network (tutorial §3.1).

- the two shipped models, ``tutorial`` and ``ours`` (``load_model`` in Keras,
  ``load_shipped`` in numpy), and reading a drawing with one (``read_digit``),
  including the not-a-digit rule (a model may have an eleventh class, "not a digit", as ``ours`` has);
- scoring a model on many images (``probabilities``, ``evaluate``);
- the inside of a network: ``first_layer_filters``, ``feature_maps``,
  ``dense_activations``, ``saliency`` (all of them for one drawing, as /digits
  shows them: ``dlplay.digits.inside``).

Each function takes a Keras model or a shipped model run in numpy
(``NumpyCNN``): the page reads drawings with the latter, so a drawing is read
without TensorFlow (seconds to import); TensorFlow is imported on first use of
a Keras model, never on import.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from dlplay.digits import graph
from dlplay.digits.data import ASSETS
from dlplay.digits.keras_net import RECIPES
from dlplay.digits.numpy_net import NumpyCNN
from dlplay.digits.preprocess import FIELD, Preprocessed, preprocess

MODELS = tuple(RECIPES)  # the shipped models: one per recipe, in dlplay/digits/assets
# The not-a-digit rule: a drawing is read as no digit when it has no ink, when
# its ink is one solid blob (a dot, a filled area), when the model's eleventh
# class, "not a digit", wins (``ours`` learned it from drawn letters, symbols and
# scribbles), or when the model gives its most likely digit less than
# MIN_CONFIDENCE. For a model of ten classes that last test is all it has: at
# 0.8 it turns away few real digits, but only about one drawn letter or symbol
# in three (softmax is often sure of a tangle). A model that learned to refuse
# needs it only for a digit torn between two (a 1 or a 7): MIN_CONFIDENCE_LEARNED.
NOT_DIGIT = 10
MIN_CONFIDENCE = 0.8
MIN_CONFIDENCE_LEARNED = 0.5
# A model that reads fewer test digits than this has learned nothing (guessing reads 10 %).
LEARNED_NOTHING = 0.2
# Images read at once when a model reads many (a test set): what an upload's activations are budgeted for.
BATCH = 500

# The layers whose outputs the inside view shows as feature maps.
MAPS = ("Conv2D", "SeparableConv2D", "DepthwiseConv2D", "Conv2DTranspose", "MaxPooling2D", "AveragePooling2D")

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
        except Exception as error:  # noqa: BLE001 - any failure to load means the same to the caller
            raise ValueError(f"{path.name} is not a Keras model file ({type(error).__name__})") from None


@lru_cache(maxsize=len(MODELS))
def load_shipped(name: str) -> NumpyCNN:
    """The shipped model "tutorial" or "ours" run in numpy, read once per process; checked against Keras
    in tests/unit/test_digits_numpy.py."""
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}: use one of {', '.join(MODELS)}")
    return NumpyCNN.load(model_path(name))


def keras_model(model):
    """The Keras model itself, or the same file in Keras for a shipped model run in numpy (to train a copy)."""
    return load_model(model.path) if isinstance(model, NumpyCNN) else model


class _Compiled:
    """Graph-compiled calls of one model, traced once: far cheaper per stroke than eager calls (docs/benchmarks.md)."""

    def __init__(self, model):
        import tensorflow as tf

        spec = [tf.TensorSpec((None, FIELD, FIELD, 1), tf.float32)]
        self.model = model
        self.forward = tf.function(lambda x: model(x, training=False), input_signature=spec)
        # Calling the traced graph directly skips tf.function's argument binding on every stroke.
        self.forward_graph = self.forward.get_concrete_function()
        self.constant = tf.constant
        self.spec = spec

    # The inside view's calls are made when first asked for: a model that reads digits but whose layers these
    # cannot walk still reads (``inside`` says what went wrong).
    @cached_property
    def shown(self) -> list:
        return graph.shown_layers(self.model)

    @cached_property
    def layers(self):
        import tensorflow as tf

        return tf.function(graph.layer_outputs(self.model), input_signature=self.spec)

    @cached_property
    def saliency(self):
        import tensorflow as tf

        scores = graph.class_scores(self.model)
        return tf.function(lambda x, label: _score_gradient(scores, x, label),
                           input_signature=[self.spec[0], tf.TensorSpec((), tf.int32)])


def _score_gradient(scores, x, label):
    """Gradient of the class score before the softmax: the probability saturates at 1 and its gradient vanishes."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        tape.watch(x)
        score = scores(x)[:, label]
    return tape.gradient(score, x)


# Models in use: the two shipped ones and each visitor's own. Bounded, so the
# traced graphs of models nobody uses any more are let go (least recently used first).
_compiled: OrderedDict[int, _Compiled] = OrderedDict()
MAX_COMPILED = 24


def forget(model) -> None:
    """Let go of the compiled calls of ``model`` (a model no one will use again: a refused upload)."""
    with _lock:
        entry = _compiled.get(id(model))
        if entry is not None and entry.model is model:
            del _compiled[id(model)]


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
    """Probabilities of the classes: (10,) for one (28, 28) image, (n, 10) for a batch; eleven for a model
    that also has "not a digit".

    Calls a Keras model directly (``model(x, training=False)`` in a compiled
    function), not ``model.predict``, whose set-up per call costs more than the model.
    """
    x = as_batch(images)
    if isinstance(model, NumpyCNN):
        probabilities = model.forward(x)
    else:
        calls = compiled(model)
        probabilities = calls.forward_graph(calls.constant(x)).numpy()
    return probabilities[0] if np.ndim(images) == 2 else probabilities


def probabilities(model, x: np.ndarray, batch_size: int = BATCH) -> np.ndarray:
    """(n, classes) probabilities for many images: uint8 (n, 28, 28) as in keras.datasets.mnist, or
    floats in [0, 1]; in batches through the compiled graph."""
    out = []
    for start in range(0, len(x), batch_size):
        batch = np.asarray(x[start: start + batch_size], np.float32).reshape(-1, FIELD, FIELD)
        if x.dtype == np.uint8:
            batch /= 255.0
        out.append(predict(model, batch))
    return np.concatenate(out) if out else np.zeros((0, 10), np.float32)


@dataclass(frozen=True)
class Evaluation:
    """How a model reads a test set. For a model with "not a digit", a digit it refuses is a mistake."""

    accuracy: float
    confusion: np.ndarray  # (10, classes): row = true digit, column = guess (the 11th: not a digit)
    mistakes: np.ndarray  # indices into the test set, most confident mistakes first
    guesses: np.ndarray  # the guess for every test image
    confidence: np.ndarray  # its probability
    n: int

    @property
    def learned_nothing(self) -> bool:
        return self.accuracy < LEARNED_NOTHING

    def confusion_without_diagonal(self) -> np.ndarray:
        """The confusion matrix with the right answers blanked (NaN): they would swamp a heat map's colours."""
        return np.where(np.eye(*self.confusion.shape, dtype=bool), np.nan, self.confusion)

    @property
    def refused(self) -> int:
        """How many test digits a model with "not a digit" refused."""
        return int(self.confusion[:, NOT_DIGIT:].sum())


def evaluate(model, x: np.ndarray, y: np.ndarray) -> Evaluation:
    """Accuracy, confusion matrix and mistakes of ``model`` on test images (uint8 as in keras.datasets.mnist)."""
    scores = probabilities(model, x)
    guesses = np.argmax(scores, axis=1)
    confidence = scores[np.arange(len(y)), guesses]
    confusion = np.zeros((10, max(10, scores.shape[1])), np.int64)
    np.add.at(confusion, (np.asarray(y).astype(int), guesses), 1)
    wrong = np.flatnonzero(guesses != y)
    mistakes = wrong[np.argsort(-confidence[wrong], kind="stable")]
    accuracy = float(np.mean(guesses == y)) if len(y) else 0.0
    return Evaluation(accuracy, confusion, mistakes, guesses, confidence, int(len(y)))


@dataclass(frozen=True)
class Reading:
    """What a model reads in one drawing.

    ``label`` is the digit, or None when the not-a-digit rule says it is none
    (``reason`` says why: "empty", "blob", "not_digit" or "unsure"). ``guess``
    is the most likely digit whatever the rule, ``confidence`` its probability;
    ``probabilities`` are the ten digits'. ``not_digit`` is the probability of
    "not a digit" for a model that has that class, else None.
    """

    label: int | None
    guess: int
    confidence: float
    probabilities: np.ndarray
    reason: str | None
    preprocessed: Preprocessed
    not_digit: float | None = None


def decide(scores: np.ndarray, reason: str | None = None, min_confidence: float | None = None):
    """The not-a-digit rule for one drawing: (label or None, reason or None).

    ``scores``: the model's probabilities, ten or eleven; ``reason``: the
    preprocessing's own ("empty", "blob"); ``min_confidence`` defaults to
    MIN_CONFIDENCE, or MIN_CONFIDENCE_LEARNED for a model with "not a digit".
    """
    if reason is not None:
        return None, reason
    top = int(np.argmax(scores))
    if top == NOT_DIGIT:
        return None, "not_digit"
    if min_confidence is None:
        min_confidence = MIN_CONFIDENCE_LEARNED if len(scores) > NOT_DIGIT else MIN_CONFIDENCE
    if float(scores[top]) < min_confidence:
        return None, "unsure"
    return top, None


def read_digit(
    model,
    image,
    crop_box: bool = True,
    fit: bool = True,
    centre: bool = True,
    min_confidence: float | None = None,
    canvas: bool = False,
) -> Reading:
    """Preprocess a drawing (any image, e.g. the canvas as RGBA uint8) and read it with ``model``.

    ``image`` may also be a ``Preprocessed`` result, to read one drawing with
    both models without preprocessing it twice (the step switches are then
    ignored). An empty drawing is not shown to the model: its probabilities
    are all zero. ``canvas``: the image is the page's canvas, white ink on
    black (``preprocess.extract_ink``).
    """
    if isinstance(image, Preprocessed):
        steps = image
    else:
        steps = preprocess(image, crop_box=crop_box, fit=fit, centre=centre, canvas=canvas)
    scores = np.zeros(10, np.float32) if steps.empty else predict(model, steps.image)
    label, reason = decide(scores, steps.reason, min_confidence)
    probabilities = scores[:NOT_DIGIT]
    guess = int(np.argmax(probabilities))
    not_digit = float(scores[NOT_DIGIT]) if len(scores) > NOT_DIGIT else None
    return Reading(label, guess, float(probabilities[guess]), probabilities, reason, steps, not_digit)


def first_layer_filters(model) -> np.ndarray | None:
    """The first convolution's kernels as (filters, height, width), e.g. (32, 3, 3); None for a model without one
    (a dense network)."""
    if isinstance(model, NumpyCNN):
        kernel = model.first_kernel()
    else:
        conv = next((layer for layer in graph.shown_layers(model) if type(layer).__name__ == "Conv2D"), None)
        kernel = None if conv is None else conv.kernel.numpy()  # (height, width, in channels, filters)
    return None if kernel is None else np.transpose(kernel[:, :, 0, :], (2, 0, 1))


def layer_outputs(model, image: np.ndarray) -> list[tuple[str, str, np.ndarray]]:
    """(layer name, layer class, output for the one image) for every layer, in order."""
    if isinstance(model, NumpyCNN):
        outputs, kinds = model.layer_outputs(as_batch(image)), [layer.kind for layer in model.layers]
        layers = model.layers
    else:
        calls = compiled(model)
        outputs, layers = calls.layers(as_batch(image)), calls.shown
        kinds = [type(layer).__name__ for layer in layers]
    return [(layer.name, kind, np.asarray(out)[0]) for layer, kind, out in zip(layers, kinds, outputs, strict=True)]


def feature_maps(model, image: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """(layer name, maps (height, width, channels)) of each convolution and pooling layer (MAPS) for one 28×28
    image."""
    return [(name, out) for name, kind, out in layer_outputs(model, image) if kind in MAPS and out.ndim == 3]


def dense_activations(model, image: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """(layer name, activations (units,)) of each dense layer for one 28×28 image; the last is the probabilities
    (ten, or eleven with "not a digit")."""
    return [(name, out) for name, kind, out in layer_outputs(model, image) if kind == "Dense" and out.ndim == 1]


def active_units(activations: np.ndarray) -> int:
    """How many units of a ReLU layer fire (output above 0)."""
    return int(np.count_nonzero(activations > 0))


def saliency(model, image: np.ndarray, label: int | None = None) -> np.ndarray:
    """Where the pixels matter: |∂ score of ``label`` / ∂ input|, scaled to [0, 1], (28, 28).

    The score is the class's value before the softmax; ``label`` defaults to
    the winning class.
    """
    x = as_batch(image)
    if label is None:
        label = int(np.argmax(predict(model, image)))
    if isinstance(model, NumpyCNN):
        gradient = np.abs(model.logit_gradient(x, int(label))[0, :, :, 0])
    else:
        import tensorflow as tf

        gradient = np.abs(compiled(model).saliency(x, tf.constant(int(label), tf.int32)).numpy()[0, :, :, 0])
    top = float(gradient.max())
    return gradient / top if top > 0 else gradient
