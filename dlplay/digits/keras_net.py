"""How a digit reader is built and trained: one ``Config`` for every network of §3.1.

- ``Config``: the network and its training, checked by ``check`` (a
  ``SettingError`` names the setting and why). ``"tutorial"`` is §3.1's network
  whatever the other settings; ``"custom"`` is one a student shapes on
  /digits-training; ``"ours"`` is the deeper shipped model.
- ``RECIPES``: how the two shipped models were made, as Configs.
- ``layers``: the network as a list, from which ``build_model`` makes the Keras
  model, ``layer_table`` works out each layer's shape by hand, and the code
  panel writes the Keras lines.
- ``train``: train a recipe reproducibly and keep the weights without
  optimizer state (``dlplay digits train``).

TensorFlow is imported when a model is built, not on import, so the command
line refuses bad settings before TensorFlow starts.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

from dlplay.digits.data import MAX_IMAGES, Data

ARCHITECTURES = ("tutorial", "ours", "custom")
OPTIMIZERS = ("adam", "sgd", "rmsprop")
FILTERS = (8, 16, 32, 64)
MAX_EPOCHS = 200


class SettingError(ValueError):
    """A setting that cannot train: ``key`` names it, ``value`` is what was given."""

    def __init__(self, key: str, value, message: str):
        super().__init__(message)
        self.key, self.value = key, value


@dataclass(frozen=True)
class Config:
    """One network and how it is trained. The defaults are the tutorial's network and
    optimizer, one epoch on 10,000 images (the page's first run); the tutorial itself
    trains 5 epochs on all 60,000 (``RECIPES["tutorial"]``)."""

    arch: str = "tutorial"
    conv_layers: int = 1  # convolution blocks, each ending in a 2 × 2 pooling; the filters double per block
    convs_per_block: int = 1
    filters: int = 32
    kernel: int = 3
    dense: int = 128
    dropout: float = 0.0  # before the dense layer
    dense_dropout: float = 0.0  # after it
    epochs: int = 1
    batch_size: int = 32
    optimizer: str = "adam"
    lr: float = 1e-3
    cosine_decay: bool = False  # the learning rate falls to 0 along a cosine over the run
    augment: bool = False  # random drawing variations of every batch (``augment.Augment``)
    train_size: int = 10_000

    def shape(self) -> Config:
        """The network actually built: the tutorial's arch ignores the shape settings."""
        if self.arch == "tutorial":
            return replace(self, conv_layers=1, convs_per_block=1, filters=32, kernel=3, dense=128,
                           dropout=0.0, dense_dropout=0.0)
        return self


RECIPES = {
    # §3.1 trained its way: Adam, 5 epochs, batch 32, images / 255, no augmentation.
    "tutorial": Config(arch="tutorial", epochs=5, batch_size=32, lr=1e-3, train_size=60_000),
    # Deeper, and trained on drawings shifted, turned, scaled, slanted, thinned and thickened,
    # as people draw on a canvas.
    "ours": Config(arch="ours", conv_layers=2, convs_per_block=2, filters=32, kernel=3, dense=128, dropout=0.3,
                   dense_dropout=0.4, epochs=12, batch_size=128, lr=2e-3, cosine_decay=True, augment=True,
                   train_size=60_000),
}


def check(config: Config) -> Config:
    """``config`` if it can train, else SettingError for its first bad setting."""
    rules = [
        ("arch", config.arch in ARCHITECTURES, f"one of {ARCHITECTURES}"),
        ("conv_layers", 1 <= config.conv_layers <= 3, "1 to 3"),
        ("convs_per_block", 1 <= config.convs_per_block <= 2, "1 or 2"),
        ("filters", config.filters in FILTERS, f"one of {FILTERS}"),
        ("kernel", config.kernel in (3, 5), "3 or 5"),
        ("dense", 8 <= config.dense <= 512, "8 to 512"),
        ("dropout", 0 <= config.dropout <= 0.8, "0 to 0.8"),
        ("dense_dropout", 0 <= config.dense_dropout <= 0.8, "0 to 0.8"),
        ("epochs", 1 <= config.epochs <= MAX_EPOCHS, f"1 to {MAX_EPOCHS}"),
        ("batch_size", 1 <= config.batch_size <= 1024, "1 to 1024"),
        ("optimizer", config.optimizer in OPTIMIZERS, f"one of {OPTIMIZERS}"),
        ("lr", math.isfinite(config.lr) and config.lr > 0, "a positive finite number"),
        ("train_size", 100 <= config.train_size <= MAX_IMAGES, f"100 to {MAX_IMAGES}"),
    ]
    for key, ok, allowed in rules:
        if not ok:
            value = getattr(config, key)
            raise SettingError(key, value, f"{key} must be {allowed} (got {value!r})")
    if min(shape[0] for _, shape, _ in layer_table(config)) < 1:
        raise SettingError("conv_layers", config.conv_layers, "too many layers for a 28 × 28 image with this kernel")
    return config


class Layer(NamedTuple):
    """One layer of a network: its name, its Keras class, and filters, units or dropout rate."""

    name: str
    kind: str
    size: float = 0
    kernel: int = 0
    activation: str = ""


def layers(config: Config) -> list[Layer]:
    """The layers ``config`` builds, in order, after a (28, 28, 1) input."""
    c = config.shape()
    out, convs = [], 0
    for block in range(c.conv_layers):
        for _ in range(c.convs_per_block):
            convs += 1
            out.append(Layer(f"conv{convs}", "Conv2D", c.filters * 2**block, c.kernel, "relu"))
        out.append(Layer(f"pool{block + 1}", "MaxPooling2D", 2))
    out.append(Layer("flatten", "Flatten"))
    both = bool(c.dropout and c.dense_dropout)  # one dropout is "dropout"; two are numbered
    if c.dropout:
        out.append(Layer("dropout1" if both else "dropout", "Dropout", c.dropout))
    out.append(Layer("dense", "Dense", c.dense, activation="relu"))
    if c.dense_dropout:
        out.append(Layer("dropout2" if both else "dropout", "Dropout", c.dense_dropout))
    out.append(Layer("digits", "Dense", 10, activation="softmax"))
    return out


def layer_table(config: Config) -> list[tuple[str, tuple[int, ...], int]]:
    """(layer, output shape, weights and biases) for each layer, worked out by hand (no
    TensorFlow): a 'valid' k × k convolution takes k − 1 pixels off each side; a 2 × 2
    pooling halves it, rounding down."""
    rows, shape = [], (28, 28, 1)
    for layer in layers(config):
        count = 0
        if layer.kind == "Conv2D":
            side, channels = shape[0] - layer.kernel + 1, shape[2]
            count = (layer.kernel * layer.kernel * channels + 1) * int(layer.size)
            shape = (side, side, int(layer.size))
        elif layer.kind == "MaxPooling2D":
            shape = (shape[0] // 2, shape[1] // 2, shape[2])
        elif layer.kind == "Flatten":
            shape = (math.prod(shape),)
        elif layer.kind == "Dense":
            count = (shape[0] + 1) * int(layer.size)
            shape = (int(layer.size),)
        rows.append((layer.name, shape, count))
    return rows


def layer_rows(config: Config) -> list[tuple[str, str, str]]:
    """The layer table as the page shows it: name, "13 × 13 × 32", "320"."""
    return [(name, " × ".join(map(str, shape)), f"{count:,}") for name, shape, count in layer_table(config)]


def parameter_count(config: Config) -> int:
    """Weights and biases in the network ``config`` builds."""
    return sum(count for _, _, count in layer_table(config))


def build_model(config: Config):
    """An untrained network for ``config``: (28, 28, 1) floats in [0, 1] in, ten probabilities out."""
    import keras
    from keras import layers as keras_layers

    def made(layer: Layer):
        if layer.kind == "Conv2D":
            return keras_layers.Conv2D(int(layer.size), layer.kernel, activation=layer.activation, name=layer.name)
        if layer.kind == "MaxPooling2D":
            return keras_layers.MaxPooling2D(int(layer.size), name=layer.name)
        if layer.kind == "Dropout":
            return keras_layers.Dropout(layer.size, name=layer.name)
        if layer.kind == "Dense":
            return keras_layers.Dense(int(layer.size), activation=layer.activation, name=layer.name)
        return keras_layers.Flatten(name=layer.name)

    return keras.Sequential([keras.Input((28, 28, 1))] + [made(layer) for layer in layers(config)], name=config.arch)


def make_optimizer(config: Config, steps: int = 1):
    """The optimizer ``config`` names at its learning rate, falling along a cosine over ``steps`` if it says so."""
    import keras

    rate = keras.optimizers.schedules.CosineDecay(config.lr, steps) if config.cosine_decay else config.lr
    return {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD,
            "rmsprop": keras.optimizers.RMSprop}[config.optimizer](rate)


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite: the learning rate is too large."""


def train(data: Data, config: Config, seed: int = 0,
          on_epoch: Callable[[int, dict], None] | None = None):
    """Train ``config`` on ``data``; return (model, metrics).

    The model is a fresh, uncompiled copy of the trained one: the weights and
    no optimizer state. ``metrics`` holds the settings, the final training loss
    and accuracy, the test accuracy and the number of images. Same data,
    config and seed give the same weights (op determinism is on).
    """
    import keras
    import tensorflow as tf

    from dlplay.digits.augment import Augment

    check(config)
    x_train = (data.x_train[: config.train_size].astype("float32") / 255.0)[..., None]
    y_train = data.y_train[: config.train_size]
    x_test = (data.x_test.astype("float32") / 255.0)[..., None]

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    model = build_model(config)
    if config.augment:
        trainer = keras.Sequential([keras.Input((28, 28, 1)), Augment(seed, name="augment"), model])
    else:
        trainer = model
    steps = math.ceil(len(x_train) / config.batch_size) * config.epochs
    trainer.compile(optimizer=make_optimizer(config, steps), loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"])

    class Report(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            # Stop at the first non-finite loss. (Keras's TerminateOnNaN would too, but prints
            # to stdout, where `dlplay digits train --json` writes its JSON.)
            if not math.isfinite(float((logs or {}).get("loss", 0.0))):
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            logs = dict(logs or {})
            if not all(math.isfinite(v) for v in logs.values()):
                self.model.stop_training = True
            elif on_epoch is not None:
                on_epoch(epoch + 1, {**logs, "seconds": time.perf_counter() - self.started})

    history = trainer.fit(x_train, y_train.astype("int32"), epochs=config.epochs, batch_size=config.batch_size,
                          shuffle=True, verbose=0, callbacks=[Report()])
    losses = history.history["loss"]
    if len(losses) < config.epochs or not all(math.isfinite(v) for v in losses):
        raise TrainingDiverged(
            f"training diverged: the loss became NaN or infinite in epoch {len(losses)} "
            f"(learning rate {config.lr:g}); try a smaller learning rate"
        )

    shipped = build_model(config)
    shipped.set_weights(model.get_weights())
    probabilities = shipped(x_test, training=False)
    metrics = {
        "arch": config.arch,
        "epochs": config.epochs,
        "batch_size": config.batch_size,
        "learning_rate": config.lr,
        "seed": seed,
        "loss": float(losses[-1]),
        "accuracy": float(history.history["accuracy"][-1]),
        "test_accuracy": float(np.mean(np.argmax(probabilities, axis=1) == data.y_test)),
        "n_train": int(len(x_train)),
        "n_test": int(len(x_test)),
    }
    return shipped, metrics


def check_model_path(path: str | Path) -> Path:
    """``path`` if a model can be saved there, else ValueError saying why: checked before training, so
    hours of training never end in a file that cannot be written. The folder must already exist."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"the model file must end in .keras (got {path.name})")
    folder = path.parent
    if not folder.is_dir():
        raise ValueError(f"no such folder: {folder}" if not folder.exists() else f"{folder} is not a folder")
    if path.is_dir():
        raise ValueError(f"{path} is a folder")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise ValueError(f"cannot write in {folder} ({(error.strerror or type(error).__name__).lower()})") from None
    if path.exists() and not os.access(path, os.W_OK):
        raise ValueError(f"cannot overwrite {path} (permission denied)")
    return path


def save_model(model, path: str | Path) -> Path:
    """Save weights and architecture, no optimizer state, to a ``.keras`` file in an existing folder."""
    path = check_model_path(path)
    model.save(path)
    return path
