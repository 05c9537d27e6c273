"""What a job is, whichever line runs it: the ``Task`` submitted, the ``Snapshot`` a page reads, the ``Reporter`` a
running task speaks through, the errors a line raises, and ``run``, which calls a task's function."""

from __future__ import annotations

import importlib
import math
import threading
import time
from dataclasses import dataclass, field

QUEUED, RUNNING, DONE, STOPPED, DIVERGED, FAILED, DROPPED = (
    "queued", "running", "done", "stopped", "diverged", "failed", "dropped")
ACTIVE = (QUEUED, RUNNING)
WORKER_LOST = "worker_lost"  # a failed job's error when the worker running it died (killed, out of memory)


@dataclass(frozen=True)
class Task:
    """One job to run: ``function`` ("module:name") called with ``payload``; ``lane``: the class it is for ("" outside
    a class), which the school's line takes turns between; ``owner``: the visitor's session, for the logs."""

    kind: str
    function: str
    payload: dict
    lane: str = ""
    owner: str = ""


@dataclass
class Snapshot:
    """A job as a page sees it at one moment."""

    status: str
    state: dict = field(default_factory=dict)  # the fields asked for, as the task last published them
    place: int = 0  # in line, 1 is next; 0 once it runs
    running: int = 0  # jobs training now, in the whole line
    waiting: int = 0
    stopping: bool = False
    error: str = ""  # why it failed: WORKER_LOST, or the task's own error

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


class Unavailable(RuntimeError):
    """The line cannot be reached (Redis is down): the page says training is unavailable right now."""


class QueueFull(RuntimeError):
    """Too many jobs wait already."""


class TooLarge(ValueError):
    """The task's data is larger than the line carries (``size`` and ``limit`` in bytes)."""

    def __init__(self, size: int, limit: int):
        super().__init__(f"{size:,} bytes > {limit:,}")
        self.size, self.limit = size, limit


class Reporter:
    """What a running task says (``publish``) and hears (``stop_asked``: Stop pressed, or its page gone, no look for
    ``abandon_after`` seconds). This one keeps it in memory, for the local line, whose page looks through
    ``seen()``; the school's (``rq.RedisReporter``) writes it to Redis, where every web process reads it."""

    def __init__(self, abandon_after: float = math.inf):
        self._lock, self._state, self._stop = threading.Lock(), {}, threading.Event()
        self.abandon_after, self._seen = abandon_after, time.monotonic()

    def seen(self) -> None:
        self._seen = time.monotonic()

    def publish(self, **fields) -> None:
        """Plain data (JSON's types) that a page reads back by name: a task publishes a field whole each time."""
        with self._lock:
            self._state.update(fields)

    def state(self, names: tuple[str, ...]) -> dict:
        with self._lock:
            return {name: self._state[name] for name in names if name in self._state}

    def stop(self) -> None:
        self._stop.set()

    def stop_asked(self) -> bool:
        return self._stop.is_set() or time.monotonic() - self._seen > self.abandon_after


def run(task: Task, reporter: Reporter) -> dict:
    """Call the task's function, under either backend."""
    module, _, name = task.function.partition(":")
    return getattr(importlib.import_module(module), name)(task.payload, reporter)
