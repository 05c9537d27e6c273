"""The live training of /digits-training (tutorial §3.1, its ``model.fit`` line), and the line it waits in.

- ``Job``: one training run in a thread of its own. A page polls ``job.snapshot()`` for its ``Progress`` and
  the live ``Curves``, and ``job.stop()`` ends it within a batch, keeping the model as it is at that moment;
- ``TrainingQueue``: at most ``slots`` jobs train at once, the rest wait in line and can see their place; a job
  nobody looks at any more is dropped. ``shared_queue()`` is the server's one line, for every visitor.

This module imports TensorFlow when a job trains, not on import.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import math
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from dlplay.digits.background import in_background
from dlplay.digits.data import Data
from dlplay.digits.keras_net import Config, build_model, check, make_optimizer
from dlplay.digits.reading import Evaluation, evaluate, probabilities

log = logging.getLogger("dlplay")
VALIDATION_SIZE = 300  # official test images scored while training, for the live validation curve (±2 points)
VALIDATION_SHARE = 50  # validating takes at most 1/50 of a run's time; see _LiveCurves._validate
CHART_POINTS = 400  # the live curves keep every batch; a chart needs no more points than this
# A run through fewer images (the page's default is 10,000) is over in a few seconds, the tutorial's CNN training
# 1,500-3,000 a second here: too quick to watch, and the page says so before Train.
QUICK_IMAGES = 10_000

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

    @property
    def share(self) -> float:
        """How much of the run is done, 0 to 1, for the progress bar."""
        return min(1.0, self.seen / self.total) if self.total else 0.0

    def numbers(self) -> dict:
        """The progress text's numbers as shown: epoch, epochs, seen, total, rate (a second), seconds_left (or None)."""
        left = None if self.seconds_left is None else f"{self.seconds_left:.0f}"
        return {"epoch": str(self.epoch), "epochs": str(self.epochs), "seen": f"{self.seen:,}",
                "total": f"{self.total:,}", "rate": f"{self.per_second:,.0f}", "seconds_left": left}


@dataclass
class Curves:
    """The live curves: Keras' running averages of training loss and accuracy over the epoch so far, after every
    batch; loss and accuracy on ``VALIDATION_SIZE`` test images every second or so and at each epoch's end."""

    train_at: list = field(default_factory=list)  # *_at: the epoch, fractional
    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_at: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)

    def copy(self) -> Curves:
        return Curves(*(list(v) for v in asdict(self).values()))


def thin(xs: list, ys: list, points: int = CHART_POINTS) -> tuple[list, list]:
    """Every k-th point of a curve, so that about ``points`` remain, and always the last one."""
    step = max(1, len(xs) // points)
    return xs[::step] + xs[-1:], ys[::step] + ys[-1:]


_ids = itertools.count(1)


class Job:
    """One training run. Made by the page, run by a TrainingQueue in a thread of its own.

    Everything the page reads goes through ``snapshot()`` (a consistent copy under the job's lock); the trained
    model is ``job.model`` once the job has ended (done or stopped). ``seen()`` is the page's heartbeat: a queue
    drops a job whose page has not looked at it for a while (the visitor left).
    """

    def __init__(self, config: Config, data: Data, owner: str = ""):
        """``owner``: the visitor's session, named in the server's log if the job fails."""
        self.id = next(_ids)
        self.config = check(config)
        self.owner = owner
        n = min(config.train_size, len(data.x_train))
        self.x_train, self.y_train = data.x_train[:n], data.y_train[:n]  # views: the shared MNIST is never copied
        self.x_test, self.y_test = data.x_test, data.y_test
        self.status = QUEUED
        self.progress = Progress(epochs=config.epochs, total=n * config.epochs)
        self.curves = Curves()
        self.model = None
        self.evaluation: Evaluation | None = None
        self.error = ""
        self.last_seen = time.monotonic()
        self.abandon_after = 60.0  # seconds without a look before it stops itself; its queue sets it
        self.stop_asked_at: int | None = None  # the images gone through when Stop reached the server
        self._stop, self._lock, self.finished = threading.Event(), threading.Lock(), threading.Event()

    def stop(self) -> None:
        """Ask the run to end after the current batch (the callback looks after every one); it keeps the model
        as it is then. How far it had gone is kept in ``stop_asked_at``, so the page can say how far it went on."""
        with self._lock:
            if self.stop_asked_at is None:
                self.stop_asked_at = self.progress.seen
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def seen(self) -> None:
        self.last_seen = time.monotonic()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def snapshot(self, curves: bool = True) -> dict:
        """A consistent copy, under the job's lock; ``curves`` None unless asked for (a poll of the progress bar)."""
        with self._lock:
            return {"status": self.status, "progress": replace(self.progress), "stopping": self.stopping,
                    "curves": self.curves.copy() if curves else None}

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
        model = build_model(self.config)  # TensorFlow is loaded from here on
        in_background()
        live = live_curves(self, model)
        trainer(model, self.config, len(self.x_train)).fit(
            self.x_train.reshape(-1, 28, 28, 1), self.y_train, epochs=self.config.epochs,
            batch_size=self.config.batch_size, shuffle=True, verbose=0, callbacks=[live])
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


def quick(config: Config, available: int) -> int | None:
    """How many images a run of ``config`` on ``available`` goes through, if fewer than QUICK_IMAGES; else None."""
    total = min(config.train_size, available) * config.epochs
    return total if total < QUICK_IMAGES else None


def trainer(model, config: Config, n: int):
    """``model`` ready for ``fit`` on ``n`` uint8 images (n, 28, 28, 1), compiled as ``config`` says. The data stay
    uint8 (a float copy of 60,000 images is 188 MB per job); 1/255 inside the graph is the tutorial's ``/ 255.0``."""
    import keras
    from keras import layers

    stack = [keras.Input((28, 28, 1)), layers.Rescaling(1 / 255)]
    if config.augment:
        from dlplay.digits.augment import Augment

        stack.append(Augment(0, name="augment"))
    wrapped = keras.Sequential([*stack, model])
    steps = math.ceil(n / config.batch_size) * config.epochs
    wrapped.compile(optimizer=make_optimizer(config, steps), loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"], steps_per_execution=1)  # the callback, and so Stop, after every batch
    return wrapped


def _scores(model, x: np.ndarray, y: np.ndarray, batch_size: int = 1000) -> tuple[float, float]:
    """Mean cross-entropy and accuracy of ``model`` (uint8 images in) on x, y."""
    scores = probabilities(model, x, batch_size)
    picked = scores[np.arange(len(y)), y.astype(int)]
    loss = float(-np.mean(np.log(np.clip(picked, 1e-7, 1.0))))
    return loss, float(np.mean(np.argmax(scores, axis=1) == y))


def live_curves(job: Job, net):
    """The Keras callback that feeds ``job``'s progress and live curves while ``net`` trains.
    (Its class is made here, so that importing this module does not import Keras.)"""
    import keras

    class LiveCurves(_LiveCurves, keras.callbacks.Callback):
        pass

    return LiveCurves(job, net)


class _LiveCurves:
    """The Keras callback behind the live page: records each batch's logs, scores the validation images a few
    times an epoch, updates the progress, and ends the run (after every batch it looks) when the student presses
    Stop, when the page is gone, or at the first NaN."""

    def __init__(self, job: Job, net):
        super().__init__()
        self.job, self.net = job, net
        self.x_val, self.y_val = job.x_test[:VALIDATION_SIZE].reshape(-1, 28, 28, 1), job.y_test[:VALIDATION_SIZE]
        self.batches = math.ceil(len(job.x_train) / job.config.batch_size)
        self.next_validation = math.inf  # perf_counter time: a second into training, then after each validation
        self.epoch, self.stopped, self.diverged = 0, False, False

    def on_train_begin(self, logs=None):
        self.started = time.perf_counter()
        self.next_validation = self.started + 1.0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        in_background()  # fit may have started threads of its own
        with self.job._lock:
            self.job.progress.epoch = epoch + 1
            self.job.progress.phase = "training"

    def on_train_batch_end(self, batch, logs=None):
        job, c = self.job, self.job.config
        loss, accuracy = float((logs or {}).get("loss", math.nan)), float((logs or {}).get("accuracy", math.nan))
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
        elif job.stopping or time.monotonic() - job.last_seen > job.abandon_after:
            self.stopped = self.model.stop_training = True  # before validating: Stop waits for nothing more
        elif batch + 1 == self.batches or time.perf_counter() >= self.next_validation:
            self._validate(at)

    def _validate(self, at: float) -> None:
        """Score the validation images, at most 1/VALIDATION_SHARE of the run: after a validation that took v seconds,
        the next waits VALIDATION_SHARE × v of training (and comes at each epoch's end in any case)."""
        started = time.perf_counter()
        loss, accuracy = _scores(self.net, self.x_val, self.y_val)
        self.next_validation = time.perf_counter() + VALIDATION_SHARE * (time.perf_counter() - started)
        with self.job._lock:
            self.job.curves.val_at.append(at)
            self.job.curves.val_loss.append(loss)
            self.job.curves.val_accuracy.append(accuracy)


class QueueFull(RuntimeError):
    pass


class TrainingQueue:
    """Training jobs for the whole server, at most ``slots`` at a time.

    Two slots on a two-core machine: TensorFlow already spreads one job over both cores, so more at once only
    splits the same CPU more ways and multiplies the memory (a model, its optimizer state and a copy of its batch
    pipeline each); fewer would make a class wait longer for the first curves. The line is first come, first
    served and holds at most ``max_waiting`` jobs. A visitor who leaves stops polling; their job is dropped from
    the line, or stopped if it runs, after ``abandon_after`` seconds without a look.
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
        return self.line(job)[0]

    def line(self, job: Job) -> tuple[int, int, int]:
        """(the job's place, training now, waiting), read at one moment, so the three agree."""
        with self._lock:
            self._drop_abandoned()
            place = self._waiting.index(job) + 1 if job in self._waiting else 0
            return place, len(self._running), len(self._waiting)

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


@functools.cache
def shared_queue() -> TrainingQueue:
    """The server's one line for training (/digits-training) and teaching (/digits). Shared by every visitor
    on purpose: it keeps thirty Train buttons from starting thirty jobs on two cores. It holds jobs, never a
    visitor's model once their job has ended."""
    return TrainingQueue(slots=2, max_waiting=40)
