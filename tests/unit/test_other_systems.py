"""Teachers' laptops run Windows and macOS too: what dlplay does with Linux's own calls degrades there.

- Training's thread priorities (dlplay.digits.background.in_background): Linux only. Windows has no
  os.setpriority; macOS has it, but takes the id given for a process's, not a thread's (so it must not be
  called there); a Linux without /proc (or with threads ending while it is read) still sets its own thread; a
  system that does not allow it leaves the priorities as they are. In each case a training job still runs and
  finishes, with the priority it had.
- The text models' index (dlplay.text.train._write_models_json) is written under a file lock (fcntl, Unix):
  without fcntl (Windows) it is written all the same.

The OS calls are taken away (monkeypatch) from this process, whatever it runs on; where a test reads a thread's
real priority, it does so only on Linux. Nothing here raises a real thread's nice value: the priority calls
that remain are recorders.
"""

from __future__ import annotations

import errno
import json
import os
import sys
import tempfile
import threading

import numpy as np
import pytest

from dlplay.digits import background, jobs
from dlplay.digits.data import Data
from dlplay.digits.keras_net import Config

ON_LINUX = sys.platform.startswith("linux") and hasattr(os, "getpriority")
REAL_GETPRIORITY, PRIO_PROCESS = getattr(os, "getpriority", None), getattr(os, "PRIO_PROCESS", 0)
REAL_LISTDIR = os.listdir


def tiny_data() -> Data:
    images = np.zeros((100, 28, 28), np.uint8)
    labels = np.arange(100, dtype=np.uint8) % 10
    return Data(images, labels, images[:10], labels[:10])


class Lesson(jobs.Job):
    """A training job as /digits-training runs it, in the queue's thread, calling in_background where the real
    one does (after building its model), with the fit replaced by a little numpy: TensorFlow is not the point."""

    def _train(self):
        self.thread = threading.get_native_id()
        background.in_background()
        self.nice = REAL_GETPRIORITY(PRIO_PROCESS, 0) if ON_LINUX else None  # 0: the calling thread, on Linux
        weights = np.linalg.lstsq(self.x_train.reshape(len(self.x_train), -1).astype(float), self.y_train,
                                  rcond=None)[0]
        with self._lock:
            self.model, self.status = weights, jobs.DONE


def run_a_lesson() -> Lesson:
    job = Lesson(Config(epochs=1, train_size=100, batch_size=50), tiny_data())
    jobs.TrainingQueue(slots=1).submit(job)
    assert job.finished.wait(30), "the job never finished"
    assert job.status == jobs.DONE, job.error
    assert job.model is not None
    if ON_LINUX:
        assert job.nice == REAL_GETPRIORITY(PRIO_PROCESS, 0), "the training thread's priority changed"
    return job


class Priorities:
    """os.getpriority / os.setpriority as recorders: every thread at nice 0, no real thread touched."""

    def __init__(self, refuse: bool = False):
        self.refuse, self.set = refuse, []

    def get(self, which, who):
        if self.refuse:
            raise PermissionError(errno.EPERM, "Operation not permitted")
        return 0

    def put(self, which, who, value):
        if self.refuse:
            raise PermissionError(errno.EPERM, "Operation not permitted")
        self.set.append((who, value))


@pytest.fixture
def no_proc(monkeypatch):
    """A system without /proc (macOS, Windows, some containers): reading it raises FileNotFoundError."""

    def listdir(path="."):
        if str(path).startswith("/proc"):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))
        return REAL_LISTDIR(path)

    def refused_open(path, *args, **kwargs):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))

    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr(background, "open", refused_open, raising=False)  # only background's reads of /proc


def on(monkeypatch, platform: str, priorities: Priorities | None = None) -> None:
    """This process as if on `platform`, with `priorities` as its priority calls, or none at all."""
    monkeypatch.setattr(sys, "platform", platform)
    for name in ("getpriority", "setpriority", "PRIO_PROCESS"):
        monkeypatch.delattr(os, name, raising=False)
    if priorities is not None:
        monkeypatch.setattr(os, "PRIO_PROCESS", 0, raising=False)
        monkeypatch.setattr(os, "getpriority", priorities.get, raising=False)
        monkeypatch.setattr(os, "setpriority", priorities.put, raising=False)


def test_on_windows_training_runs_at_its_priority(monkeypatch, no_proc):
    on(monkeypatch, "win32")  # no os.setpriority, no os.getpriority, no /proc
    background.in_background()
    run_a_lesson()


def test_on_macos_no_priority_is_set_for_a_thread_id_taken_as_a_process(monkeypatch, no_proc):
    priorities = Priorities()
    on(monkeypatch, "darwin", priorities)  # os.setpriority is there, but PRIO_PROCESS means a process
    background.in_background()
    run_a_lesson()
    assert priorities.set == []


def test_on_linux_without_proc_the_training_thread_still_steps_back(monkeypatch, no_proc):
    priorities = Priorities()
    on(monkeypatch, "linux", priorities)
    job = run_a_lesson()
    assert priorities.set == [(job.thread, background.BACKGROUND_NICE)]  # its own thread; no TensorFlow thread found


def test_on_linux_threads_that_end_while_proc_is_read_are_passed_over(monkeypatch):
    priorities = Priorities()
    on(monkeypatch, "linux", priorities)
    monkeypatch.setattr(os, "listdir", lambda path=".": ["101", "102"] if str(path).startswith("/proc")
                        else REAL_LISTDIR(path))

    def gone(path, *args, **kwargs):  # the threads ended between the listing and the reading
        raise (ProcessLookupError if path.endswith("101/comm") else FileNotFoundError)(errno.ESRCH, "gone", path)

    monkeypatch.setattr(background, "open", gone, raising=False)
    job = run_a_lesson()
    assert priorities.set == [(job.thread, background.BACKGROUND_NICE)]


def test_where_priorities_are_not_allowed_training_runs_at_its_priority(monkeypatch):
    on(monkeypatch, "linux", Priorities(refuse=True))  # a sandbox or a policy that forbids it
    background.in_background()
    run_a_lesson()


def test_the_text_models_index_is_written_without_fcntl(tmp_path, monkeypatch):
    from dlplay.text import train

    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` raises ImportError, as on Windows
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the lock file, here rather than in the system's
    train._write_models_json(tmp_path, "en", baselines={"tfidf_logistic_regression": {"accuracy": {"test": 0.8}}})
    for cell, accuracy in (("gru", 0.81), ("lstm", 0.84)):
        train._write_models_json(tmp_path, "en", cell=cell, result={"lang": "en", "cell": cell,
                                                                     "validation_accuracy": accuracy})
    train._write_models_json(tmp_path, "en", forget=["en_gru"])
    infos = json.loads((tmp_path / "models.json").read_text(encoding="utf-8"))
    assert set(infos["models"]) == {"en_lstm"} and infos["best"] == {"en": "lstm"}
    assert infos["baselines"]["en"]["tfidf_logistic_regression"]["accuracy"]["test"] == 0.8
