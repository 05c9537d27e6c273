"""The live training of /digits-training (tutorial §3.1, its ``model.fit`` line).

- ``Job``: one training run. It keeps its ``Progress`` and live ``Curves``, publishes them through its reporter
  (dlplay.jobs: in memory on the laptop, in Redis on a school server) a few times a second, and ends within a batch
  when Stop is asked, keeping the model as it is at that moment;
- ``train``: the task function both lines run (``training_task`` makes the task): the run's result as plain data,
  the model as ``.keras`` bytes that a web process reads in numpy.

This module imports TensorFlow when a job trains, not on import.
"""

from __future__ import annotations

import itertools
import logging
import math
import threading
import time
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from dlplay.digits import files
from dlplay.digits.background import in_background
from dlplay.digits.data import Data, load_sample
from dlplay.digits.keras_net import Config, build_model, check, make_optimizer
from dlplay.digits.reading import Evaluation, evaluate, probabilities

# DROPPED and the line itself (dlplay.jobs.local's) are named here too, where this lesson's tests find them.
from dlplay.jobs import ACTIVE, DIVERGED, DONE, DROPPED, FAILED, QUEUED, RUNNING, STOPPED, Reporter, Task  # noqa: F401
from dlplay.jobs.local import QueueFull, TrainingQueue, shared_queue  # noqa: F401

log = logging.getLogger("dlplay")
VALIDATION_SIZE = 300  # official test images scored while training, for the live validation curve (±2 points)
VALIDATION_SHARE = 50  # validating takes at most 1/50 of a run's time; see _LiveCurves._validate
CHART_POINTS = 400  # the live curves keep every batch; a chart needs no more points than this
# A run through fewer images (the page's default is 10,000) is over in a few seconds, the tutorial's CNN training
# 1,500-3,000 a second here: too quick to watch, and the page says so before Train.
QUICK_IMAGES = 10_000
PUBLISH_SECONDS = 0.25  # progress and curves go out at most this often (the page polls every 0.5 s), and at each end


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

    def thinned(self, points: int = CHART_POINTS) -> dict:
        """The curves as plain lists, the per-batch ones thinned to about ``points``: what a page draws."""
        at, loss = thin(self.train_at, self.loss, points)
        accuracy = thin(self.train_at, self.accuracy, points)[1]
        return {"train_at": at, "loss": loss, "accuracy": accuracy, "val_at": list(self.val_at),
                "val_loss": list(self.val_loss), "val_accuracy": list(self.val_accuracy)}


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

    def __init__(self, config: Config, data: Data, owner: str = "", reporter: Reporter | None = None):
        """``owner``: the visitor's session, named in the server's log if the job fails; ``reporter``: where its
        progress goes and whence Stop comes, besides ``stop()``."""
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
        # Seconds without a look before it stops itself, when run directly in a TrainingQueue (which sets it). A job
        # given a reporter (a task, under either line) hears that its page is gone from it: ``stopping``.
        self.abandon_after = 60.0 if reporter is None else math.inf
        self.stop_asked_at: int | None = None  # the images gone through when Stop reached the server
        self._stop, self._lock, self.finished = threading.Event(), threading.Lock(), threading.Event()
        self.reporter, self._published = reporter or Reporter(), -math.inf

    def stop(self) -> None:
        """Ask the run to end after the current batch (the callback looks after every one); it keeps the model
        as it is then. How far it had gone is kept in ``stop_asked_at``, so the page can say how far it went on."""
        with self._lock:
            if self.stop_asked_at is None:
                self.stop_asked_at = self.progress.seen
        self._stop.set()

    @property
    def stopping(self) -> bool:
        if not self._stop.is_set() and self.reporter.stop_asked():
            self.stop()
        return self._stop.is_set()

    def publish(self, now: bool = False) -> None:
        """Progress and curves to the reporter: ``now``, or if the last went out PUBLISH_SECONDS ago."""
        if now or time.monotonic() - self._published >= PUBLISH_SECONDS:
            self._published = time.monotonic()
            with self._lock:
                progress, curves = asdict(self.progress), self.curves.thinned()
            self.reporter.publish(progress=progress, curves=curves)

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
        self.publish(now=True)
        try:
            self._train()
        except Exception as error:  # the page says it failed; the server's log says why
            log.exception("training job %s (session %s) failed", self.id, self.owner or "?")
            with self._lock:
                self.status, self.error = FAILED, f"{type(error).__name__}: {error}"[:300]
        finally:
            self.x_train = self.y_train = None  # an uploaded data set is not kept once trained
            self.publish(now=True)
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
        self.publish(now=True)
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
        job.publish()

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


def training_task(config: Config, data: Data, lane: str = "", owner: str = "") -> Task:
    """The task of a run of ``config`` on ``data``: the shipped MNIST goes as a name (a worker loads its own), an
    upload as its arrays, only the training images the run uses."""
    n = min(config.train_size, len(data.x_train))
    sent = None if data is load_sample() else Data(data.x_train[:n], data.y_train[:n], data.x_test, data.y_test)
    return Task("train", f"{__name__}:train", {"config": asdict(check(config)), "data": sent}, lane, owner)


def train(payload: dict, reporter: Reporter) -> dict:
    """The training task, under either line: the run's status, progress and curves (thinned), and once it has a
    model, the model as ``.keras`` bytes and its evaluation."""
    job = Job(Config(**payload["config"]), payload["data"] or load_sample(), reporter=reporter)
    job.run()
    result = {"status": job.status, "error": job.error, "progress": asdict(job.progress),
              "curves": job.curves.thinned(), "stop_asked_at": job.stop_asked_at}
    if job.model is not None:
        result.update(model=files.model_to_bytes(job.model), evaluation=job.evaluation)
    return result
