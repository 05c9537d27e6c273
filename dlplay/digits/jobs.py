"""Lesson 3b: train the CNN yourself, live (tutorial §3.1, its ``model.fit`` line).

For the ``/digits-training`` page and the teach-the-model part of ``/digits``:

- ``Config``: what the student chose, checked by ``check`` (a ``SettingError``
  names the setting and why, for a message in the visitor's language);
- ``build_model``: the tutorial's CNN, or one the student shapes;
- ``Job``: one training run in a thread of its own. A page polls
  ``job.snapshot()`` for progress and the live curves, and ``job.stop()``
  ends it cleanly, keeping the model as it is at that moment;
- ``TrainingQueue``: at most ``slots`` jobs train at once, the rest wait in
  line and can see their place; a job nobody looks at any more is dropped;
- ``evaluate``: test accuracy, confusion matrix, the mistakes;
- ``model_to_bytes`` and ``model_from_bytes``: ``.keras`` files out and in,
  loaded with ``safe_mode=True``, size-limited, shapes checked;
- ``data_from_bytes``: an uploaded npz in the keras.datasets.mnist layout;
- ``fine_tune``: teach a copy of a model with a student's corrected drawings;
- ``code``: the ``model.fit`` script for the chosen settings.

This module imports TensorFlow when a job trains, not on import.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import math
import socket
import tempfile
import threading
import time
import zipfile
from collections import deque
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from dlplay.digits.model import probabilities
from dlplay.digits.data import SAMPLE_PATH, DataError, load_mnist, load_sample, read_npz

log = logging.getLogger("dlplay")
ARCHS = ("tutorial", "custom")
OPTIMIZERS = ("adam", "sgd", "rmsprop")
SOURCES = ("sample", "mnist", "upload")
BATCH_SIZES = (16, 32, 64, 128, 256)
FILTERS = (8, 16, 32, 64)
MAX_EPOCHS = 20  # on the page; an epoch of 60,000 images takes about a minute here
VALIDATION_SIZE = 300  # official test images scored while training, for the live validation curve (±2 points)
VALIDATION_SHARE = 50  # validating takes at most 1/50 of a run's time (2 %); see _LiveCurves._validate
MAX_MODEL_BYTES = 20 * 2**20
MAX_DATA_BYTES = 60 * 2**20  # the full MNIST npz is 11 MB
MAX_IMAGES = 100_000


class SettingError(ValueError):
    """A setting that cannot train: ``key`` names it, ``value`` is what was given."""

    def __init__(self, key: str, value, message: str):
        super().__init__(message)
        self.key, self.value = key, value


class UploadError(ValueError):
    """An uploaded file that cannot be used. ``reason`` is a short key for the page's
    message (too_big, not_npz, keys, shape, dtype, labels, not_keras, unreadable,
    input_shape, output_shape); ``detail`` fills it in."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class Config:
    """One training run as the student set it up. The defaults are the tutorial's
    network and optimizer, one epoch on 10,000 images (about 15 s here); the
    tutorial itself trains 5 epochs on all 60,000."""

    arch: str = "tutorial"
    conv_layers: int = 1  # custom only, like the four below
    filters: int = 32
    kernel: int = 3
    dense: int = 128
    dropout: float = 0.0
    epochs: int = 1
    batch_size: int = 32
    optimizer: str = "adam"
    lr: float = 1e-3
    train_size: int = 10_000

    def shape(self) -> Config:
        """The network actually built: the tutorial's arch ignores the custom settings."""
        if self.arch == "tutorial":
            return replace(self, conv_layers=1, filters=32, kernel=3, dense=128, dropout=0.0)
        return self


def check(config: Config, max_epochs: int = MAX_EPOCHS) -> Config:
    """``config`` if it can train, else SettingError for its first bad setting."""
    rules = [
        ("arch", config.arch in ARCHS, f"one of {ARCHS}"),
        ("conv_layers", 1 <= config.conv_layers <= 3, "1 to 3"),
        ("filters", config.filters in FILTERS, f"one of {FILTERS}"),
        ("kernel", config.kernel in (3, 5), "3 or 5"),
        ("dense", 8 <= config.dense <= 512, "8 to 512"),
        ("dropout", 0 <= config.dropout <= 0.8, "0 to 0.8"),
        ("epochs", 1 <= config.epochs <= max_epochs, f"1 to {max_epochs}"),
        ("batch_size", 1 <= config.batch_size <= 1024, "1 to 1024"),
        ("optimizer", config.optimizer in OPTIMIZERS, f"one of {OPTIMIZERS}"),
        ("lr", math.isfinite(config.lr) and 0 < config.lr <= 100, "above 0, at most 100"),
        ("train_size", 100 <= config.train_size <= MAX_IMAGES, f"100 to {MAX_IMAGES}"),
    ]
    for key, ok, allowed in rules:
        if not ok:
            value = getattr(config, key)
            raise SettingError(key, value, f"{key} must be {allowed} (got {value!r})")
    if config.arch == "custom" and min(shape[0] for _, shape, _ in layer_table(config)) < 1:
        raise SettingError("conv_layers", config.conv_layers, "too many layers for a 28 × 28 image with this kernel")
    return config


def build_model(config: Config):
    """An untrained network for ``config``: (28, 28, 1) floats in [0, 1] in, ten probabilities out.

    ``tutorial`` is §3.1's network exactly. ``custom`` repeats its
    convolution-and-pooling block ``conv_layers`` times, doubling the filters
    each time, then a dense layer with optional dropout.
    """
    import keras
    from keras import layers

    c = config.shape()
    stack = [keras.Input((28, 28, 1))]
    for k in range(c.conv_layers):
        stack += [layers.Conv2D(c.filters * 2**k, c.kernel, activation="relu", name=f"conv{k + 1}"),
                  layers.MaxPooling2D(2, name=f"pool{k + 1}")]
    stack.append(layers.Flatten(name="flatten"))
    if c.dropout:
        stack.append(layers.Dropout(c.dropout, name="dropout"))
    stack += [layers.Dense(c.dense, activation="relu", name="dense"),
              layers.Dense(10, activation="softmax", name="digits")]
    return keras.Sequential(stack, name=c.arch)


def layer_table(config: Config) -> list[tuple[str, tuple[int, ...], int]]:
    """(layer, output shape, weights and biases) for each layer ``build_model`` makes,
    worked out by hand (no TensorFlow): a 'valid' k × k convolution takes k − 1
    pixels off each side; a 2 × 2 pooling halves it, rounding down."""
    c = config.shape()
    rows, channels, side = [], 1, 28
    for k in range(c.conv_layers):
        filters = c.filters * 2**k
        side = side - c.kernel + 1
        rows.append((f"conv{k + 1}", (side, side, filters), (c.kernel * c.kernel * channels + 1) * filters))
        side, channels = side // 2, filters
        rows.append((f"pool{k + 1}", (side, side, channels), 0))
    flat = side * side * channels
    rows.append(("flatten", (flat,), 0))
    if c.dropout:
        rows.append(("dropout", (flat,), 0))
    rows.append(("dense", (c.dense,), (flat + 1) * c.dense))
    rows.append(("digits", (10,), (c.dense + 1) * 10))
    return rows


def parameter_count(config: Config) -> int:
    """Weights and biases in the network ``config`` builds."""
    return sum(count for _, _, count in layer_table(config))


def make_optimizer(name: str, lr: float):
    import keras

    return {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD, "rmsprop": keras.optimizers.RMSprop}[name](lr)


# --- data -------------------------------------------------------------------------------------------------------


Data = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # x_train, y_train, x_test, y_test: uint8


def sample_data() -> Data:
    """The shipped sample, read-only, shared by every visitor."""
    s = load_sample()
    return s["x_train"], s["y_train"], s["x_test"], s["y_test"]


MNIST_HOST = "storage.googleapis.com"  # where keras.datasets.mnist downloads from
_offline_until = 0.0  # monotonic time until which MNIST_HOST counts as unreachable


@lru_cache(maxsize=1)
def mnist_data() -> Data:
    """The full MNIST through keras.datasets (downloads 11 MB once); DataError without internet.

    keras.datasets waits on a dead network without a time limit, so unless the
    file is already in Keras' cache, a 3-second connection to its host comes first.
    """
    global _offline_until
    cached = Path.home() / ".keras" / "datasets" / "mnist.npz"
    if not cached.is_file():
        if time.monotonic() < _offline_until:  # every rerun of the page asks: do not wait 3 s each time
            raise DataError(f"{MNIST_HOST} was unreachable a moment ago")
        try:
            socket.create_connection((MNIST_HOST, 443), timeout=3).close()
        except OSError as error:
            _offline_until = time.monotonic() + 60
            raise DataError(f"cannot reach {MNIST_HOST} ({type(error).__name__})") from None
    (x_train, y_train), (x_test, y_test) = load_mnist("mnist")
    arrays = (x_train, y_train, x_test, y_test)
    for a in arrays:
        a.setflags(write=False)
    return arrays


def data_from_bytes(content: bytes, max_bytes: int = MAX_DATA_BYTES) -> Data:
    """An uploaded npz in the keras.datasets.mnist layout, checked: UploadError says what is wrong."""
    if len(content) > max_bytes:
        raise UploadError("too_big", f"{len(content) / 2**20:.0f} MB > {max_bytes / 2**20:.0f} MB")
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
    return arrays["x_train"], arrays["y_train"].astype(np.uint8), arrays["x_test"], arrays["y_test"].astype(np.uint8)


# --- a training job ---------------------------------------------------------------------------------------------

QUEUED, RUNNING, DONE, STOPPED, DIVERGED, FAILED, DROPPED = (
    "queued", "running", "done", "stopped", "diverged", "failed", "dropped")
ACTIVE = (QUEUED, RUNNING)


@dataclass
class Progress:
    """Where a job is, for the progress bar."""

    epoch: int = 0  # epochs started
    epochs: int = 0
    seen: int = 0  # training examples gone through
    total: int = 0
    per_second: float = 0.0
    seconds_left: float | None = None
    elapsed: float = 0.0
    phase: str = "starting"  # starting (TensorFlow, building, tracing), training, evaluating


@dataclass
class Curves:
    """The live curves: Keras' running averages of the training loss and accuracy over
    the epoch so far, after every batch; and loss and accuracy on ``VALIDATION_SIZE``
    test images every second or so, and at each epoch's end. ``*_at`` is the epoch, fractional."""

    train_at: list = field(default_factory=list)
    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_at: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)

    def copy(self) -> Curves:
        return Curves(*(list(v) for v in asdict(self).values()))


_ids = itertools.count(1)


class Job:
    """One training run. Made by the page, run by a TrainingQueue in a thread of its own.

    Everything the page reads goes through ``snapshot()`` (a consistent copy
    under the job's lock); the trained model is ``job.model`` once the job has
    ended (done or stopped). ``seen()`` is the page's heartbeat: a queue drops
    a job whose page has not looked at it for a while (the visitor left).
    """

    def __init__(self, config: Config, data: Data, owner: str = ""):
        """``owner``: the visitor's session, named in the server's log if the job fails."""
        self.id = next(_ids)
        self.config = check(config)
        self.owner = owner
        x_train, y_train, x_test, y_test = data
        n = min(config.train_size, len(x_train))
        self.x_train, self.y_train = x_train[:n], y_train[:n]  # views: the shared sample is never copied here
        self.x_test, self.y_test = x_test, y_test
        self.status = QUEUED
        self.progress = Progress(epochs=config.epochs, total=n * config.epochs)
        self.curves = Curves()
        self.model = None
        self.evaluation: Evaluation | None = None
        self.error = ""
        self.created = self.last_seen = time.monotonic()
        self.abandon_after = 60.0  # seconds without a look before it stops itself; its queue sets it
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.finished = threading.Event()

    def stop(self) -> None:
        """Ask the run to end after the current batch; it keeps the model as it is then."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def seen(self) -> None:
        self.last_seen = time.monotonic()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def snapshot(self) -> dict:
        with self._lock:
            return {"status": self.status, "progress": replace(self.progress), "curves": self.curves.copy(),
                    "error": self.error, "stopping": self.stopping}

    # The queue's worker thread runs this.
    def run(self) -> None:
        with self._lock:
            self.status = RUNNING
        try:
            self._train()
        except Exception as error:  # the page says it failed; the server's log says why
            log.exception("training job %s (session %s) failed", self.id, self.owner or "?")
            with self._lock:
                self.status, self.error = FAILED, f"{type(error).__name__}: {error}"[:300]
        finally:
            self.x_train = self.y_train = None  # an uploaded data set is not kept once trained
            self.finished.set()

    def _train(self) -> None:
        import keras
        from keras import layers

        c = self.config
        model = build_model(c)
        # The page's data stay uint8 (a float copy of 60,000 images would be 188 MB per job);
        # scaling by 1/255 inside the graph is the tutorial's `/ 255.0`.
        trainer = keras.Sequential([keras.Input((28, 28, 1)), layers.Rescaling(1 / 255), model])
        trainer.compile(optimizer=make_optimizer(c.optimizer, c.lr), loss="sparse_categorical_crossentropy",
                        metrics=["accuracy"])
        x_val = self.x_test[:VALIDATION_SIZE].reshape(-1, 28, 28, 1)
        y_val = self.y_test[:VALIDATION_SIZE]
        live = _live_curves_class()(self, model, x_val, y_val)
        trainer.fit(self.x_train.reshape(-1, 28, 28, 1), self.y_train, epochs=c.epochs, batch_size=c.batch_size,
                    shuffle=True, verbose=0, callbacks=[live])
        if live.diverged:
            with self._lock:
                self.status = DIVERGED
            return
        model.trainable = False
        with self._lock:
            self.progress.phase = "evaluating"
        evaluation = evaluate(model, self.x_test, self.y_test)
        with self._lock:
            self.model, self.evaluation = model, evaluation
            self.status = STOPPED if live.stopped else DONE


def _batch_logs(logs) -> tuple[float, float]:
    logs = logs or {}
    return float(logs.get("loss", math.nan)), float(logs.get("accuracy", math.nan))


def _scores(model, x: np.ndarray, y: np.ndarray, batch_size: int = 1000) -> tuple[float, float]:
    """Mean cross-entropy and accuracy of ``model`` (uint8 images in) on x, y."""
    scores = probabilities(model, x, batch_size)
    picked = scores[np.arange(len(y)), y.astype(int)]
    loss = float(-np.mean(np.log(np.clip(picked, 1e-7, 1.0))))
    return loss, float(np.mean(np.argmax(scores, axis=1) == y))


@lru_cache(maxsize=1)
def _live_curves_class():
    """The callback class, made on first use so that importing this module does not import Keras."""
    import keras

    class LiveCurves(_LiveCurves, keras.callbacks.Callback):
        pass

    return LiveCurves


class _LiveCurves:
    """The Keras callback behind the live page: records each batch's logs, scores the
    validation images a few times an epoch, updates the progress, and ends the run
    when the student presses Stop, when the page is gone, or at the first NaN."""

    def __init__(self, job: Job, net, x_val: np.ndarray, y_val: np.ndarray):
        super().__init__()
        self.job, self.net, self.x_val, self.y_val = job, net, x_val, y_val
        self.batches = math.ceil(len(job.x_train) / job.config.batch_size)
        self.next_validation = math.inf  # perf_counter time: a second into training, then after each validation
        self.epoch = 0
        self.stopped = self.diverged = False

    def on_train_begin(self, logs=None):
        self.started = time.perf_counter()
        self.next_validation = self.started + 1.0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        with self.job._lock:
            self.job.progress.epoch = epoch + 1
            self.job.progress.phase = "training"

    def on_train_batch_end(self, batch, logs=None):
        job, c = self.job, self.job.config
        loss, accuracy = _batch_logs(logs)
        at = self.epoch + (batch + 1) / self.batches
        elapsed = time.perf_counter() - self.started
        n = len(job.x_train)
        seen = self.epoch * n + min(n, (batch + 1) * c.batch_size)
        with job._lock:
            job.curves.train_at.append(at)
            job.curves.loss.append(loss)
            job.curves.accuracy.append(accuracy)
            rate = seen / elapsed if elapsed > 0 else 0.0
            job.progress.seen, job.progress.per_second, job.progress.elapsed = seen, rate, elapsed
            job.progress.seconds_left = (job.progress.total - seen) / rate if rate > 0 else None
        if not math.isfinite(loss):
            self.diverged = self.model.stop_training = True
            return
        if batch + 1 == self.batches or time.perf_counter() >= self.next_validation:
            self._validate(at)
        if job.stopping or time.monotonic() - job.last_seen > job.abandon_after:
            self.stopped = self.model.stop_training = True

    def _validate(self, at: float) -> None:
        """Score the validation images. Spaced so that validating costs at most 1/VALIDATION_SHARE
        of the run: after a validation that took v seconds, the next waits VALIDATION_SHARE × v
        of training (and comes at each epoch's end in any case)."""
        started = time.perf_counter()
        loss, accuracy = _scores(self.net, self.x_val, self.y_val)
        self.next_validation = time.perf_counter() + VALIDATION_SHARE * (time.perf_counter() - started)
        with self.job._lock:
            self.job.curves.val_at.append(at)
            self.job.curves.val_loss.append(loss)
            self.job.curves.val_accuracy.append(accuracy)


# --- the queue ----------------------------------------------------------------------------------------------------


class QueueFull(RuntimeError):
    pass


class TrainingQueue:
    """Training jobs for the whole server, at most ``slots`` at a time.

    Two slots on a two-core machine: TensorFlow already spreads one job over
    both cores, so more at once only splits the same CPU more ways and
    multiplies the memory (a model, its optimizer state and a copy of its
    batch pipeline each); fewer would make a class wait longer for the first
    curves. The line is first come, first served and holds at most
    ``max_waiting`` jobs. A visitor who leaves stops polling; their job is
    dropped from the line, or stopped if it runs, after ``abandon_after``
    seconds without a look.
    """

    def __init__(self, slots: int = 2, max_waiting: int = 40, abandon_after: float = 60.0):
        self.slots, self.max_waiting, self.abandon_after = slots, max_waiting, abandon_after
        self._waiting: deque[Job] = deque()
        self._running: list[Job] = []
        self._lock = threading.Lock()

    def submit(self, job: Job) -> None:
        with self._lock:
            self._drop_abandoned()
            if len(self._waiting) >= self.max_waiting:
                raise QueueFull(f"{len(self._waiting)} jobs already waiting")
            job.abandon_after = self.abandon_after
            self._waiting.append(job)
            self._start_next()

    def place(self, job: Job) -> int:
        """0 while the job trains (or has ended), else its place in line: 1 is next."""
        with self._lock:
            self._drop_abandoned()
            try:
                return self._waiting.index(job) + 1
            except ValueError:
                return 0

    def cancel(self, job: Job) -> None:
        """Take a waiting job out of line, or stop a running one."""
        with self._lock:
            if job in self._waiting:
                self._waiting.remove(job)
                job.status = DROPPED
                job.finished.set()
        job.stop()

    def counts(self) -> tuple[int, int]:
        """(training now, waiting)"""
        with self._lock:
            return len(self._running), len(self._waiting)

    def _drop_abandoned(self) -> None:
        now = time.monotonic()
        for job in [j for j in self._waiting if now - j.last_seen > self.abandon_after]:
            self._waiting.remove(job)
            job.status = DROPPED
            job.finished.set()

    def _start_next(self) -> None:
        while self._waiting and len(self._running) < self.slots:
            job = self._waiting.popleft()
            self._running.append(job)
            threading.Thread(target=self._work, args=(job,), name="dlplay-train", daemon=True).start()

    def _work(self, job: Job) -> None:
        try:
            job.run()
        finally:
            with self._lock:
                self._running.remove(job)
                self._drop_abandoned()
                self._start_next()

    @contextlib.contextmanager
    def slot(self, timeout: float = 300.0):
        """Hold a training slot for short work done in the caller's own thread (fine-tuning
        on /digits): wait in line like a job, then run while the slot is held."""
        holder = _Holder()
        self.submit(holder)
        try:
            while not holder.started.wait(0.2):
                holder.seen()
                if time.monotonic() - holder.created > timeout:
                    raise TimeoutError("no training slot came free")
            yield
        finally:
            self.cancel(holder)


class _Holder:
    """A place in line, and then a slot, for work done outside the queue's thread."""

    def __init__(self):
        self.status, self.created = QUEUED, time.monotonic()
        self.last_seen = self.created
        self.started, self.finished, self._released = threading.Event(), threading.Event(), threading.Event()

    def seen(self) -> None:
        self.last_seen = time.monotonic()

    def stop(self) -> None:
        self._released.set()

    def run(self) -> None:
        self.status = RUNNING
        self.started.set()
        self._released.wait()
        self.status = DONE
        self.finished.set()


# --- evaluation -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    accuracy: float
    confusion: np.ndarray  # (10, 10): row = true digit, column = guess
    mistakes: np.ndarray  # indices into the test set, most confident mistakes first
    guesses: np.ndarray  # the guess for every test image
    confidence: np.ndarray  # its probability
    n: int


def evaluate(model, x: np.ndarray, y: np.ndarray) -> Evaluation:
    """Accuracy, confusion matrix and mistakes of ``model`` on uint8 test images."""
    scores = probabilities(model, x)
    guesses = np.argmax(scores, axis=1)
    confidence = scores[np.arange(len(y)), guesses]
    confusion = np.zeros((10, 10), np.int64)
    np.add.at(confusion, (y.astype(int), guesses), 1)
    wrong = np.flatnonzero(guesses != y)
    mistakes = wrong[np.argsort(-confidence[wrong], kind="stable")]
    return Evaluation(float(np.mean(guesses == y)), confusion, mistakes, guesses, confidence, int(len(y)))


# --- model files ------------------------------------------------------------------------------------------------


def model_to_bytes(model) -> bytes:
    """The model as a ``.keras`` file's bytes (architecture and weights, no optimizer state)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        model.save(path, include_optimizer=False) if _accepts_include_optimizer(model) else model.save(path)
        return path.read_bytes()


def _accepts_include_optimizer(model) -> bool:
    return False  # Keras 3's .keras format saves no optimizer state for an uncompiled model


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


# --- teaching the model -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FineTuning:
    """What teaching changed: the guesses on the corrected drawings and the MNIST test
    accuracy, before and after."""

    before: np.ndarray
    after: np.ndarray
    accuracy_before: float
    accuracy_after: float
    seconds: float


def fine_tune(model, images: np.ndarray, labels, copies: int = 32, mnist_images: int = 2000, confused: int = 500,
              epochs: int = 3, lr: float = 3e-4, seed: int | None = None, data: Data | None = None):
    """A copy of ``model`` taught the corrected drawings ``images`` (n, 28, 28) floats in [0, 1].

    Each drawing is shown ``copies`` times, each time shifted, turned, scaled
    and thickened at random (the augmentation that trained ``ours``). So that
    the copy does not forget the rest, they are mixed with ``mnist_images``
    MNIST training images, plus ``confused`` real examples of each digit the
    model wrongly saw in them: taught that a flagged 1 is a 1, it must also
    see real 7s, or it learns "a flag means 1". A few epochs at a small
    learning rate. ``model`` itself is not changed. Returns (new model, FineTuning).
    """
    import keras

    from dlplay.digits.train import Augment

    started = time.perf_counter()
    images = np.asarray(images, np.float32).reshape(-1, 28, 28)
    labels = np.asarray(labels, np.int64)
    x_train, y_train, x_test, y_test = data or sample_data()
    before = np.argmax(probabilities(model, images), axis=1)
    rng = np.random.default_rng(seed)
    pick = [rng.choice(len(x_train), size=min(mnist_images, len(x_train)), replace=False)]
    for digit in set(before[before != labels].tolist()):
        (same,) = np.nonzero(y_train == digit)
        pick.append(rng.choice(same, size=min(confused, len(same)), replace=False))
    pick = np.concatenate(pick)
    drawn = images[..., None]
    variants = np.asarray(Augment(seed or 0)(np.repeat(drawn, copies, axis=0), training=True))
    x = np.concatenate([drawn, variants, x_train[pick].reshape(-1, 28, 28, 1) / np.float32(255)])
    y = np.concatenate([labels, np.repeat(labels, copies), y_train[pick].astype(np.int64)])

    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    copy.trainable = True
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


# --- the code panel ---------------------------------------------------------------------------------------------

_DATA_CODE = {
    "sample": '''\
# The MNIST sample shipped with dlplay: the first {n_all:,} training images and the official 10,000 test images.
with np.load("{path}") as data:
    x_train, y_train = data["x_train"][:{n}], data["y_train"][:{n}]
    x_test, y_test = data["x_test"], data["y_test"]''',
    "mnist": '''\
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()  # downloads 11 MB once
x_train, y_train = x_train[:{n}], y_train[:{n}]''',
    "upload": '''\
with np.load("my_digits.npz") as data:  # your file, in the keras.datasets.mnist layout
    x_train, y_train = data["x_train"][:{n}], data["y_train"][:{n}]
    x_test, y_test = data["x_test"], data["y_test"]''',
}

CODE = '''\
"""The /digits-training page's run as a script: the tutorial's §3.1 `model.fit`, with your settings."""

import keras
import numpy as np
from keras import layers

{data}
x_train = x_train.reshape(-1, 28, 28, 1) / 255.0
x_test = x_test.reshape(-1, 28, 28, 1) / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

model = keras.Sequential([
    keras.Input((28, 28, 1)),  # Keras 3 form of the tutorial's input_shape=(28, 28, 1)
{layers}
])
model.compile(optimizer=keras.optimizers.{optimizer}(learning_rate={lr!r}),
              loss="categorical_crossentropy", metrics=["accuracy"])
model.summary()
model.fit(x_train, y_train, epochs={epochs}, batch_size={batch_size},
          validation_data=(x_test[:{val}], y_test[:{val}]))
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy: {{accuracy:.4f}}")
model.save("my_digits.keras")  # open it on the page: "Upload a model"
'''

_OPTIMIZER_NAMES = {"adam": "Adam", "sgd": "SGD", "rmsprop": "RMSprop"}


def code(config: Config, source: str = "sample") -> str:
    """The runnable ``model.fit`` script for ``config`` on ``source``."""
    c = config.shape()
    lines = []
    for k in range(c.conv_layers):
        lines += [f"    layers.Conv2D({c.filters * 2**k}, kernel_size=({c.kernel}, {c.kernel}), activation=\"relu\"),",
                  "    layers.MaxPooling2D(pool_size=(2, 2)),"]
    lines.append("    layers.Flatten(),")
    if c.dropout:
        lines.append(f"    layers.Dropout({c.dropout!r}),")
    lines += [f"    layers.Dense({c.dense}, activation=\"relu\"),", "    layers.Dense(10, activation=\"softmax\"),"]
    n_all = len(load_sample()["y_train"]) if source == "sample" else 60_000
    data = _DATA_CODE.get(source, _DATA_CODE["sample"]).format(path=SAMPLE_PATH, n=c.train_size, n_all=n_all)
    return CODE.format(data=data, layers="\n".join(lines), optimizer=_OPTIMIZER_NAMES[c.optimizer], lr=c.lr,
                       epochs=c.epochs, batch_size=c.batch_size, val=VALIDATION_SIZE)
