"""How the shipped "ours" is made: MNIST, digits drawn as people write them, and an eleventh class.

MNIST's writers were American: few flag their 1s, cross their 7s or draw a
9 as a ring and a stick. ``ours`` learns those too, from digits drawn as the
/digits pad draws them (``styles``), and learns to say "not a digit" from drawn
letters, Chinese characters, symbols and scribbles (``nondigits``), which a
model of ten classes can only force into a digit. Its network is the "ours"
recipe's with eleven outputs; it trains on every MNIST training image with
the recipe's random variations (``augment``), mixed with the drawings.

``held_out`` reads drawings training never saw (another random stream, and
the fixed hands of ``strokes``) as the page reads them: the figures of
docs/models.md (``dlplay digits evaluate --data drawn``).

TensorFlow is imported when a model is built or trained, not on import.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from dlplay.digits.data import Data
from dlplay.digits.keras_net import RECIPES, build_model, make_optimizer
from dlplay.digits.nondigits import SHAPES, not_digits
from dlplay.digits.reading import NOT_DIGIT, decide, evaluate, probabilities
from dlplay.digits.strokes import drawings, flag_ones
from dlplay.digits.styles import Drawn, drawn_digits, flagged_ones, joined

CLASSES = NOT_DIGIT + 1
RECIPE = RECIPES["ours"]
DRAWN_PER_DIGIT = 3000
NOT_DIGITS_PER_KIND = 4000  # letters, symbols, scribbles


def build(config=RECIPE):
    """The network of ``config`` with an eleventh output, "not a digit"."""
    import keras

    spec = build_model(config).get_config()
    spec["layers"][-1]["config"]["units"] = CLASSES
    return keras.Sequential.from_config(spec)


def training_set(mnist: Data, drawn: int = DRAWN_PER_DIGIT, refused: int = NOT_DIGITS_PER_KIND,
                 seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(x (n, 28, 28, 1) float32, y (n,)): every MNIST training image, ``drawn`` drawings of each digit and
    ``refused`` of each kind of not-digit, from the "train" stream. Blobs are left out: the page refuses
    them before any model sees them."""
    parts = joined([drawn_digits(drawn, seed, "train"), not_digits(refused, seed, "train")])
    keep = np.asarray([reason is None for reason in parts.reasons])
    x = np.concatenate([mnist.x_train.astype(np.float32) / 255.0, parts.images[keep]])
    y = np.concatenate([mnist.y_train.astype(np.int64), parts.labels[keep]])
    return x[..., None], y


def train(mnist: Data, config=RECIPE, drawn: int = DRAWN_PER_DIGIT, refused: int = NOT_DIGITS_PER_KIND,
          seed: int = 0, on_epoch: Callable[[int, dict], None] | None = None):
    """Train ``ours``: (model without optimizer state, metrics). Same data and seed, same weights."""
    import keras
    import tensorflow as tf

    from dlplay.digits.augment import Augment

    started = time.perf_counter()
    x, y = training_set(mnist, drawn, refused, seed)
    generated = time.perf_counter() - started
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    model = build(config)
    trainer = keras.Sequential([keras.Input((28, 28, 1)), Augment(seed, name="augment"), model])
    steps = math.ceil(len(x) / config.batch_size) * config.epochs
    trainer.compile(optimizer=make_optimizer(config, steps), loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"])

    class Report(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            if on_epoch is not None:
                on_epoch(epoch + 1, {**(logs or {}), "seconds": time.perf_counter() - self.started})

    history = trainer.fit(x, y, epochs=config.epochs, batch_size=config.batch_size, shuffle=True, verbose=0,
                          callbacks=[Report()])
    shipped = build(config)
    shipped.set_weights(model.get_weights())
    shipped.trainable = False
    metrics = {
        "epochs": config.epochs, "batch_size": config.batch_size, "learning_rate": config.lr, "seed": seed,
        "n_mnist": int(len(mnist.y_train)), "n_drawn": int(np.sum(y[len(mnist.y_train):] < NOT_DIGIT)),
        "n_not_digit": int(np.sum(y == NOT_DIGIT)), "loss": float(history.history["loss"][-1]),
        "mnist_test_accuracy": evaluate(shipped, mnist.x_test, mnist.y_test).accuracy,
        "seconds_generating": round(generated, 1), "seconds": round(time.perf_counter() - started, 1),
    }
    return shipped, metrics


def read(model, drawings: Drawn, min_confidence: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(label or -1 for refused, the label's probability) for each drawing, as ``model.read_digit`` decides."""
    scores = probabilities(model, drawings.images)
    labels = np.full(len(scores), -1)
    for k, (row, reason) in enumerate(zip(scores, drawings.reasons)):
        label, _ = decide(row, reason, min_confidence)
        labels[k] = -1 if label is None else label
    return labels, scores[np.arange(len(scores)), np.maximum(labels, 0)]


def fixed_hands(variants: int = 5, seed: int = 0) -> Drawn:
    """The fixed hands of ``strokes.HANDS`` (never trained on), read as the page reads the pad."""
    from dlplay.digits.preprocess import preprocess

    steps = [(d.label, preprocess(d.canvas[:, :, 0], canvas=True)) for d in drawings(seed, variants)]
    return Drawn(np.asarray([s.image for _, s in steps], np.float32), np.asarray([label for label, _ in steps]),
                 [s.reason for _, s in steps])


def spline_flagged_ones(n: int = 60, seed: int = 0) -> Drawn:
    """The fixed flagged 1 of ``strokes.flag_ones``: a spline through three points, whose top overshoots into a
    level bar, the shape of a 7 with an upright stem; no pen turns so. MNIST's models read it as 7."""
    return Drawn(flag_ones(seed, n), np.ones(n, np.int64), [None] * n)


def held_out(model, n: int = 300, seed: int = 0) -> dict:
    """How ``model`` reads drawings training never saw: digits (``n`` of each, and the fixed hands), flagged
    1s alone (``n``; and 60 of the spline flagged 1, apart), and not-digits of each kind (``n`` each). Fractions."""
    digits = joined([drawn_digits(n, seed, "test"), fixed_hands()])
    labels, _ = read(model, digits)
    ones, p_ones = read(model, flagged_ones(n, seed, "test"))
    spline, _ = read(model, spline_flagged_ones())
    report = {
        "digits_read_right": float(np.mean(labels == digits.labels)),
        "digits_refused": float(np.mean(labels == -1)),
        "n_digits": int(len(labels)),
        "flagged_ones_read_as_1_at_0.8": float(np.mean((ones == 1) & (p_ones >= 0.8))),
        "n_flagged_ones": int(len(ones)),
        "spline_flagged_ones_read_as_1": float(np.mean(spline == 1)),
    }
    for kind in SHAPES:
        refused, _ = read(model, not_digits(n, seed, "test", kinds=(kind,)))
        report[f"{kind}_refused"] = float(np.mean(refused == -1))
    report["n_not_digits_per_kind"] = n
    return report
