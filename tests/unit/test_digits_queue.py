"""The training line leaves the cores to the pages: training runs in the background, TensorFlow loads before
it is needed."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from dlplay.digits import background, jobs
from dlplay.digits.data import load_sample
from dlplay.digits.keras_net import Config

linux_only = pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="thread priorities are read from /proc")
pytestmark = pytest.mark.slow  # one test trains a model, the other starts a process that loads TensorFlow


def threads() -> list[tuple[int, str]]:
    """(id, name) of this process's threads; one may end while they are read."""
    found = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/comm") as comm:
                found.append((int(task), comm.read()))
        except FileNotFoundError:
            pass
    return found


def nice_of(thread_id: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, thread_id)


@linux_only
def test_a_training_thread_and_tensorflows_threads_run_in_the_background():
    seen: dict[str, int] = {}

    class Watched(jobs.Job):
        def _train(self):
            super()._train()
            seen["trainer"] = nice_of(threading.get_native_id())

    job = Watched(Config(epochs=1, train_size=500, batch_size=100), load_sample())
    jobs.TrainingQueue(slots=1).submit(job)
    assert job.finished.wait(300) and job.status == jobs.DONE, job.error
    assert seen["trainer"] == background.BACKGROUND_NICE
    tensorflow = [thread for thread, name in threads() if name.startswith("tf_")]
    nices = []
    for thread in tensorflow:
        try:
            nices.append(nice_of(thread))
        except ProcessLookupError:  # ended since it was listed
            pass
    assert nices and min(nices) >= background.BACKGROUND_NICE, nices
    assert nice_of(threading.get_native_id()) == 0, "the caller's own thread keeps its priority"


def test_tensorflow_is_loaded_in_the_background_before_anyone_trains():
    script = ("import sys, time; from dlplay.digits import background\n"
              "assert 'tensorflow' not in sys.modules\n"
              "thread = background.prepare(); assert background.prepare() is thread  # once per process\n"
              "thread.join(300); assert not thread.is_alive()\n"
              "assert 'tensorflow' in sys.modules and 'keras' in sys.modules; print('ok')")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=360)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
