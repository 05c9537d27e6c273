"""Training the two digit readers of lesson 3a, reproducibly.

``tutorial`` is the tutorial's §3.1 network trained its way (Adam, 5 epochs,
batch 32, images / 255, no augmentation). ``ours`` is a deeper CNN trained with
augmentation that imitates how people draw on a canvas: shifted, rotated,
scaled, slanted, with thinner or thicker strokes. Both are saved without
optimizer state.

This module imports TensorFlow; the page and the CLI import it only when they
train.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Callable

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from dlplay.digits import jobs as digits_training
from dlplay.digits.data import load_mnist
from dlplay.digits.recipes import ARCHITECTURES, RECIPES, check_settings


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite: the learning rate is too large."""


def build_model(arch: str) -> keras.Model:
    """An untrained network of the named architecture, input (28, 28, 1), softmax over 10 digits."""
    if arch == "tutorial":  # §3.1's network, defined once, with the training page
        return digits_training.build_model(digits_training.Config(arch="tutorial"))
    if arch == "ours":
        return keras.Sequential(
            [
                keras.Input((28, 28, 1)),
                layers.Conv2D(32, 3, activation="relu", name="conv1"),
                layers.Conv2D(32, 3, activation="relu", name="conv2"),
                layers.MaxPooling2D(2, name="pool1"),
                layers.Conv2D(64, 3, activation="relu", name="conv3"),
                layers.Conv2D(64, 3, activation="relu", name="conv4"),
                layers.MaxPooling2D(2, name="pool2"),
                layers.Flatten(name="flatten"),
                layers.Dropout(0.3, name="dropout1"),
                layers.Dense(128, activation="relu", name="dense"),
                layers.Dropout(0.4, name="dropout2"),
                layers.Dense(10, activation="softmax", name="digits"),
            ],
            name="ours",
        )
    raise ValueError(f"unknown architecture {arch!r}; choose one of {', '.join(ARCHITECTURES)}")


class Augment(layers.Layer):
    """Random drawing variations, applied to a batch in training only.

    Stroke width first: a grey-level dilation (maximum over the pixel and its
    four neighbours) thickens a stroke by about a pixel, an erosion (minimum)
    thins it; a random blend weight per image moves continuously between them.
    Then one affine map per image, composed of a slant (shear), a scale with a
    little change of aspect, a rotation about the centre and a shift.
    """

    def __init__(
        self,
        seed: int,
        rotation_degrees: float = 12.0,
        scale: tuple[float, float] = (0.85, 1.12),
        aspect: float = 0.1,
        shear: float = 0.3,
        shift: float = 2.5,
        stroke: tuple[float, float] = (-0.5, 1.0),
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.rotation = math.radians(rotation_degrees)
        self.scale = scale
        self.aspect = aspect
        self.shear = shear
        self.shift = shift
        self.stroke = stroke

    def call(self, images, training=None):
        if not training:
            return images
        n = ops.shape(images)[0]

        def uniform(low, high):
            return keras.random.uniform((n,), low, high, seed=self.seed_generator)

        padded = ops.pad(images, [[0, 0], [1, 1], [1, 1], [0, 0]])
        neighbours = ops.stack(
            [
                images,
                padded[:, :-2, 1:-1],
                padded[:, 2:, 1:-1],
                padded[:, 1:-1, :-2],
                padded[:, 1:-1, 2:],
            ]
        )
        dilated = ops.max(neighbours, axis=0)
        eroded = ops.min(neighbours, axis=0)
        width = ops.reshape(uniform(*self.stroke), (-1, 1, 1, 1))
        images = ops.where(
            width > 0,
            images + width * (dilated - images),
            images - width * (eroded - images),
        )

        # Forward map A = rotation · scale · shear; affine_transform wants the
        # map from output to input pixels, A⁻¹, written out for a 2×2 matrix.
        angle = uniform(-self.rotation, self.rotation)
        size = uniform(*self.scale)
        stretch = uniform(1 - self.aspect, 1 + self.aspect)
        sx, sy = size * stretch, size / stretch
        k = uniform(-self.shear, self.shear)
        cos, sin = ops.cos(angle), ops.sin(angle)
        a11, a12 = cos * sx, cos * sx * k - sin * sy
        a21, a22 = sin * sx, sin * sx * k + cos * sy
        det = a11 * a22 - a12 * a21
        m11, m12, m21, m22 = a22 / det, -a12 / det, -a21 / det, a11 / det
        tx, ty = uniform(-self.shift, self.shift), uniform(-self.shift, self.shift)
        c = 13.5
        # input = c + M (output - c - t)
        bx = c - m11 * (c + tx) - m12 * (c + ty)
        by = c - m21 * (c + tx) - m22 * (c + ty)
        zeros = ops.zeros_like(angle)
        transform = ops.stack([m11, m12, bx, m21, m22, by, zeros, zeros], axis=1)
        images = ops.image.affine_transform(images, transform, interpolation="bilinear")
        return ops.clip(images, 0.0, 1.0)


def train(
    data: str | Path = "sample",
    arch: str = "ours",
    epochs: int | None = None,
    batch_size: int | None = None,
    learning_rate: float | None = None,
    seed: int = 0,
    on_epoch: Callable[[int, dict], None] | None = None,
) -> tuple[keras.Model, dict]:
    """Train ``arch`` on ``data`` ("sample", "mnist" or a path to an npz); return (model, metrics).

    The returned model is a fresh, uncompiled copy of the trained one: it
    carries the weights and no optimizer state. ``metrics`` holds the final
    training loss and accuracy, the test accuracy and the number of images.
    Same data, arguments and seed give the same weights (op determinism is on).
    """
    recipe = RECIPES[arch] if arch in RECIPES else None
    if recipe is None:
        raise ValueError(f"unknown architecture {arch!r}; choose one of {', '.join(ARCHITECTURES)}")
    epochs = recipe.epochs if epochs is None else epochs
    batch_size = recipe.batch_size if batch_size is None else batch_size
    learning_rate = recipe.learning_rate if learning_rate is None else learning_rate
    check_settings(epochs, batch_size, learning_rate)

    (x_train, y_train), (x_test, y_test) = load_mnist(data)
    x_train = (x_train.astype("float32") / 255.0)[..., None]
    x_test = (x_test.astype("float32") / 255.0)[..., None]

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    model = build_model(arch)
    if recipe.augment:
        trainer = keras.Sequential([keras.Input((28, 28, 1)), Augment(seed, name="augment"), model])
    else:
        trainer = model
    steps = math.ceil(len(x_train) / batch_size) * epochs
    rate = keras.optimizers.schedules.CosineDecay(learning_rate, steps) if recipe.cosine_decay else learning_rate
    trainer.compile(
        optimizer=keras.optimizers.Adam(rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )

    class Report(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            logs = dict(logs or {})
            if not all(math.isfinite(v) for v in logs.values()):
                self.model.stop_training = True
            elif on_epoch is not None:
                on_epoch(epoch + 1, {**logs, "seconds": time.perf_counter() - self.started})

    history = trainer.fit(
        x_train,
        y_train.astype("int32"),
        epochs=epochs,
        batch_size=batch_size,
        shuffle=True,
        verbose=0,
        callbacks=[keras.callbacks.TerminateOnNaN(), Report()],
    )
    losses = history.history["loss"]
    if len(losses) < epochs or not all(math.isfinite(v) for v in losses):
        raise TrainingDiverged(
            f"training diverged: the loss became NaN or infinite in epoch {len(losses)} "
            f"(learning rate {learning_rate:g}); try a smaller learning rate"
        )

    shipped = build_model(arch)
    shipped.set_weights(model.get_weights())
    probabilities = shipped(x_test, training=False)
    test_accuracy = float(np.mean(np.argmax(probabilities, axis=1) == y_test))
    metrics = {
        "arch": arch,
        "epochs": epochs,
        "batch_size": batch_size,
        "learning_rate": learning_rate,
        "seed": seed,
        "loss": float(losses[-1]),
        "accuracy": float(history.history["accuracy"][-1]),
        "test_accuracy": test_accuracy,
        "n_train": int(len(x_train)),
        "n_test": int(len(x_test)),
    }
    return shipped, metrics


def save_model(model: keras.Model, path: str | Path) -> Path:
    """Save weights and architecture, no optimizer state, to a ``.keras`` file."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"the model file must end in .keras (got {path.name})")
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    return path
