"""Teaching a model on /digits: a copy learns the drawings a student corrected, without forgetting MNIST.

``teaching_task`` and ``teach`` run it in the training line (dlplay.jobs): the model goes there and back as a
``.keras`` file, and comes back as a reader the page runs in numpy when it can (``reader``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dlplay.digits import files
from dlplay.digits.data import Data, load_sample
from dlplay.digits.graph import error_text
from dlplay.digits.numpy_net import NumpyCNN
from dlplay.digits.reading import NOT_DIGIT, evaluate, keras_model, probabilities
from dlplay.jobs import FAILED, Reporter, Task

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FineTuning:
    """What teaching changed: the guesses on the corrected drawings and the MNIST test
    accuracy, before and after."""

    before: np.ndarray
    after: np.ndarray
    accuracy_before: float
    accuracy_after: float
    seconds: float

    @property
    def change(self) -> float:
        """The change in MNIST test accuracy, in percentage points."""
        return 100 * (self.accuracy_after - self.accuracy_before)


def fine_tune(model, images, labels, copies: int = 32, mnist_images: int = 2000, confused: int = 500,
              refused: int = 100, epochs: int = 3, lr: float = 3e-4, seed: int | None = None,
              data: Data | None = None):
    """A copy of ``model`` taught the corrected drawings ``images`` (n, 28, 28) floats in [0, 1].

    Each drawing is shown ``copies`` times, each time shifted, turned, scaled
    and thickened at random (the augmentation that trained ``ours``). So that
    the copy does not forget the rest, they are mixed with ``mnist_images``
    MNIST training images, plus ``confused`` real examples of each digit the
    model wrongly saw in them: taught that a flagged 1 is a 1, it must also
    see real 7s, or it learns "a flag means 1". A model that can say "not a
    digit" (``ours``) also sees ``refused`` drawn letters, symbols and scribbles
    of each kind, or it would forget that class. A few epochs at a small
    learning rate. ``model`` itself is not changed. Returns (new model, FineTuning).
    """
    import keras

    from dlplay.digits.augment import Augment

    started = time.perf_counter()
    model = keras_model(model)  # a shipped model the page reads in numpy: its Keras twin learns
    images = np.asarray(images, np.float32).reshape(-1, 28, 28)
    labels = np.asarray(labels, np.int64)
    x_train, y_train, x_test, y_test = data or load_sample()
    before = np.argmax(probabilities(model, images), axis=1)
    rng = np.random.default_rng(seed)
    pick = [rng.choice(len(x_train), size=min(mnist_images, len(x_train)), replace=False)]
    for digit in set(before[(before != labels) & (before != NOT_DIGIT)].tolist()):
        (same,) = np.nonzero(y_train == digit)
        pick.append(rng.choice(same, size=min(confused, len(same)), replace=False))
    pick = np.concatenate(pick)
    drawn = images[..., None]
    variants = np.asarray(Augment(seed or 0)(np.repeat(drawn, copies, axis=0), training=True))
    x = [drawn, variants, x_train[pick].reshape(-1, 28, 28, 1) / np.float32(255)]
    y = [labels, np.repeat(labels, copies), y_train[pick].astype(np.int64)]
    if model.output_shape[-1] > NOT_DIGIT:
        from dlplay.digits.nondigits import not_digits

        others = not_digits(refused, seed or 0, "train")
        x.append(others.images[..., None])
        y.append(others.labels)
    x, y = np.concatenate(x), np.concatenate(y)

    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    _set_trainable(copy)
    if seed is not None:  # tests; on the server this would reseed every visitor's random numbers
        keras.utils.set_random_seed(seed)
    copy.compile(optimizer=keras.optimizers.Adam(lr), loss="sparse_categorical_crossentropy")
    copy.fit(x, y, epochs=epochs, batch_size=32, shuffle=True, verbose=0)
    copy.trainable = False
    result = FineTuning(
        before=before,
        after=np.argmax(probabilities(copy, images), axis=1),
        accuracy_before=evaluate(model, x_test, y_test).accuracy,
        accuracy_after=evaluate(copy, x_test, y_test).accuracy,
        seconds=time.perf_counter() - started,
    )
    return copy, result


def _set_trainable(model) -> None:
    """Every layer of ``model`` trainable, a model's inside it too: Keras 3 does not pass it down to the layers
    of a model nested in a copy (an upload taking (28, 28) images comes wrapped, ``files.check_reader``)."""
    model.trainable = True
    for layer in getattr(model, "layers", ()):
        _set_trainable(layer)


def model_file(model) -> bytes:
    """The ``.keras`` file of a reader: the one it was read from (a model run in numpy), or Keras' save of it."""
    if isinstance(model, NumpyCNN):
        return model.content if model.content is not None else Path(model.path).read_bytes()
    return files.model_to_bytes(model)


def reader(content: bytes):
    """The model in a ``.keras`` file, run in numpy; in Keras if it has a layer numpy does not run (an upload's)."""
    try:
        return NumpyCNN.from_bytes(content, "taught")
    except ValueError:
        return files.model_from_bytes(content)


def teaching_task(model, images, labels, lane: str = "", owner: str = "") -> Task:
    """The task of teaching a copy of ``model`` the corrected ``images`` (n, 28, 28) floats and their ``labels``."""
    payload = {"model": model_file(model), "images": np.asarray(images, np.float32),
               "labels": np.asarray(labels, np.int64)}
    return Task("teach", f"{__name__}:teach", payload, lane, owner)


def teach(payload: dict, reporter: Reporter) -> dict:
    """The teaching task, under either line: the taught copy as ``.keras`` bytes and what teaching changed. The
    model is read as an upload is (checked, safe mode): on a school server it came from a visitor's page."""
    reporter.publish(phase="teaching")
    try:
        taught, result = fine_tune(files.model_from_bytes(payload["model"]), payload["images"], payload["labels"])
    except files.UploadError as error:
        return {"status": FAILED, "error": f"{error.reason}: {error.detail}"}
    except Exception as error:  # noqa: BLE001 - an uploaded model Keras loads may still fail to copy or train
        log.warning("teaching failed: %s", error_text(error))
        return {"status": FAILED, "error": error_text(error)}
    return {"model": files.model_to_bytes(taught), "tuning": result}
