"""The laptop's line: jobs run in threads of the web process, at most ``slots`` at a time, the rest wait in line.

- ``TrainingQueue``: the line itself, first come first served, for anything with ``run``, ``stop``, ``seen``;
- ``LocalBackend``: ``submit``, ``snapshot``, ``stop``, ``result`` (dlplay.jobs) on the process's one queue.

A job nobody looks at any more is dropped from the line, or stopped if it runs: its visitor left.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
import uuid
from collections import deque

from dlplay.jobs.task import ACTIVE, DONE, DROPPED, FAILED, QUEUED, RUNNING, QueueFull, Reporter, Snapshot, Task, run

log = logging.getLogger("dlplay")
KEEP_SECONDS = 600.0  # an ended job's result waits this long for its page to take it


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
        self._waiting: deque = deque()
        self._running: list = []
        self._lock = threading.Lock()

    def submit(self, job) -> None:
        with self._lock:
            self._drop_abandoned()
            if len(self._waiting) >= self.max_waiting:
                raise QueueFull(f"{len(self._waiting)} jobs already waiting")
            job.abandon_after = self.abandon_after
            self._waiting.append(job)
            self._start_next()

    def place(self, job) -> int:
        """0 while the job trains (or has ended), else its place in line: 1 is next."""
        return self.line(job)[0]

    def line(self, job) -> tuple[int, int, int]:
        """(the job's place, training now, waiting), read at one moment, so the three agree."""
        with self._lock:
            self._drop_abandoned()
            place = self._waiting.index(job) + 1 if job in self._waiting else 0
            return place, len(self._running), len(self._waiting)

    def cancel(self, job) -> None:
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

    def _work(self, job) -> None:
        try:
            job.run()
        finally:
            with self._lock:
                self._running.remove(job)
                self._drop_abandoned()
                self._start_next()

    @contextlib.contextmanager
    def slot(self, timeout: float = 300.0):
        """Hold a training slot for short work done in the caller's own thread: wait in line like a job, then run
        while the slot is held."""
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


class LocalJob:
    """A task in the local line: run in the queue's thread with an in-memory Reporter."""

    def __init__(self, task: Task):
        self.id, self.task, self.reporter = uuid.uuid4().hex, task, Reporter(abandon_after=60.0)
        self.status, self.error, self.result, self.ended = QUEUED, "", None, None
        self.last_seen = time.monotonic()
        self.finished = threading.Event()

    @property
    def abandon_after(self) -> float:
        return self.reporter.abandon_after

    @abandon_after.setter
    def abandon_after(self, seconds: float) -> None:  # its queue's: a running task hears it through its reporter
        self.reporter.abandon_after = seconds

    def seen(self) -> None:
        self.last_seen = time.monotonic()
        self.reporter.seen()

    def stop(self) -> None:
        self.reporter.stop()

    def run(self) -> None:
        self.status = RUNNING
        try:
            result = run(self.task, self.reporter)
            self.error = result.pop("error", "")
            self.result, self.status = result, result.pop("status", DONE)
        except Exception as error:  # the page says it failed; the server's log says why
            log.exception("%s job %s (session %s) failed", self.task.kind, self.id, self.task.owner or "?")
            self.status, self.error = FAILED, f"{type(error).__name__}: {error}"[:300]
        finally:
            self.task = None  # an uploaded data set is not kept once trained
            self.ended = time.monotonic()
            self.finished.set()


class LocalBackend:
    """dlplay.jobs' four calls on one TrainingQueue of this process."""

    trains_here = True  # this process imports TensorFlow to train: best before anyone presses Train

    def __init__(self, queue: TrainingQueue):
        self.queue, self._jobs, self._lock = queue, {}, threading.Lock()

    def submit(self, task: Task) -> str:
        job = LocalJob(task)
        self.queue.submit(job)
        with self._lock:
            now = time.monotonic()
            for gone in [j for j in self._jobs.values() if j.ended is not None and now - j.ended > KEEP_SECONDS]:
                del self._jobs[gone.id]
            self._jobs[job.id] = job
        return job.id

    def snapshot(self, job_id: str, fields: tuple[str, ...] = ()) -> Snapshot | None:
        """The job as it is now, with the published ``fields``; None for a job this line does not know. A look
        keeps the job in line (``TrainingQueue``'s abandon_after)."""
        job = self._jobs.get(job_id)
        if job is None:
            return None
        job.seen()
        place, running, waiting = self.queue.line(job) if job.status in ACTIVE else (0, 0, 0)
        return Snapshot(job.status, job.reporter.state(fields), place, running, waiting, job.reporter.stop_asked(),
                        job.error)

    def stop(self, job_id: str) -> None:
        job = self._jobs.get(job_id)
        if job is not None:
            self.queue.cancel(job)

    def result(self, job_id: str) -> dict | None:
        job = self._jobs.get(job_id)
        return job.result if job is not None else None


@functools.cache
def shared_queue() -> TrainingQueue:
    """The server's one line for training (/digits-training) and teaching (/digits, the class's model). Shared by
    every visitor on purpose: it keeps thirty Train buttons from starting thirty jobs on two cores."""
    return TrainingQueue(slots=2, max_waiting=40)


@functools.cache
def shared_backend() -> LocalBackend:
    return LocalBackend(shared_queue())
