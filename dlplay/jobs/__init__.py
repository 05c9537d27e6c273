"""Jobs that train or teach a model, on one of two backends chosen once per process (``backend()``):

- the laptop (no ``DLPLAY_REDIS_URL``): ``local``, a line in the web process itself, two jobs at a time in threads,
  as dlplay always ran; nothing to install;
- a school server (``DLPLAY_REDIS_URL=redis://...``): ``rq``, jobs wait in Redis and run on ``dlplay worker``
  processes, so that any web process can read their progress, stop them and take their result.

Both answer the same four calls, and the pages know no other: ``submit(task)`` → the job's id, ``snapshot(id)``
(status, what the task last published, place in line), ``stop(id)``, ``result(id)``. A ``Task`` is plain data that
names its function by import path ("dlplay.digits.jobs:train"), so this package never imports a lesson and the same
function runs under both: it gets the task's payload and a ``Reporter``, publishes its progress through it, looks at
``stop_asked()`` as often as it can stop, and returns its result (a dict; its "status" key, if any, says how it
ended: stopped, diverged, failed).
"""

from __future__ import annotations

import functools
import os

from dlplay.jobs.task import (
    ACTIVE,
    DIVERGED,
    DONE,
    DROPPED,
    FAILED,
    QUEUED,
    RUNNING,
    STOPPED,
    WORKER_LOST,
    QueueFull,
    Reporter,
    Snapshot,
    Task,
    TooLarge,
    Unavailable,
    run,
)

__all__ = ["ACTIVE", "DIVERGED", "DONE", "DROPPED", "FAILED", "QUEUED", "RUNNING", "STOPPED", "WORKER_LOST",
           "QueueFull", "Reporter", "Snapshot", "Task", "TooLarge", "Unavailable", "run", "backend", "REDIS_URL"]
REDIS_URL = "DLPLAY_REDIS_URL"


@functools.cache
def backend():
    """This process's line: the school's on Redis if ``DLPLAY_REDIS_URL`` names one, else the laptop's own."""
    url = os.environ.get(REDIS_URL)
    if url:
        from dlplay.jobs.rq import RQBackend

        return RQBackend.from_url(url)
    from dlplay.jobs.local import shared_backend

    return shared_backend()
