"""The school's training line (dlplay.jobs.rq) on a real redis-server and real `dlplay worker` processes: progress
read from another process while a run trains, Stop within a batch keeping a model the numpy CNN reads as Keras does,
a worker killed mid-run, classes taking turns, no worker, no Redis."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import redis

from dlplay import jobs
from dlplay.digits import files
from dlplay.digits import jobs as training
from dlplay.digits.data import load_sample
from dlplay.digits.keras_net import Config
from dlplay.digits.numpy_net import NumpyCNN
from dlplay.digits.reading import evaluate
from dlplay.jobs import rq as school
from tests.redis_server import free_port, redis_url, server  # noqa: F401 - redis_url is a fixture

ROOT = Path(__file__).resolve().parents[2]
TASKS = "tests.unit.job_tasks"


def task(name: str, lane: str = "", **payload) -> jobs.Task:
    return jobs.Task("test", f"{TASKS}:{name}", {"name": name, **payload}, lane=lane)


def eventually(condition, timeout: float = 120, what: str = "the condition"):
    """``condition()``'s value once true, looking every 20 ms; the deadline only bounds the failure case."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, f"{what} did not hold within {timeout} s"
        threading.Event().wait(0.02)
    return value


def ended(backend, job_id: str, timeout: float = 120) -> jobs.Snapshot:
    return eventually(lambda: (s := backend.snapshot(job_id)) is not None and not s.active and s, timeout,
                      f"job {job_id} ending")


def start_worker(url: str, *extra: str) -> subprocess.Popen:
    """`dlplay worker` on `url`, from the checkout (so it finds tests/unit/job_tasks.py), once it listens."""
    connection = redis.Redis.from_url(url)
    registered = connection.smembers("rq:workers")  # a killed worker's entry stays: listening is a new one's
    worker = subprocess.Popen([sys.executable, "-m", "dlplay", "worker", "--redis", url, *extra], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    eventually(lambda: worker.poll() is not None or connection.smembers("rq:workers") - registered,
               what="the worker listening")
    assert worker.poll() is None, worker.stderr.read()[-2000:]
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(10)


pytestmark = pytest.mark.slow  # a Redis server and workers of their own; the workers load TensorFlow


@pytest.fixture(scope="module")
def workers(redis_url):  # noqa: F811 - the fixture of tests/redis_server.py
    """The module's workers: one at a time, a new one only after a test killed the last (each loads TensorFlow)."""
    started = []
    yield started
    for worker in started:
        stop_worker(worker)


@pytest.fixture
def worker(redis_url, workers):  # noqa: F811
    if not workers or workers[-1].poll() is not None:
        workers.append(start_worker(redis_url))
    return workers[-1]


@pytest.fixture
def backend(redis_url, worker):  # noqa: F811
    return school.RQBackend.from_url(redis_url)


def test_a_run_is_watched_from_another_process_and_stop_keeps_a_model_numpy_reads_as_keras_does(backend):
    config = Config(epochs=10, train_size=2000, batch_size=32)
    submitted = time.monotonic()
    job_id = backend.submit(training.training_task(config, load_sample(), lane="K7QM2P", owner="session-1"))

    def seen() -> int:
        return backend.snapshot(job_id, ("progress",)).state.get("progress", {}).get("seen", 0)

    first = eventually(seen, what="a first batch")
    print(f"\nTrain → first batch published: {time.monotonic() - submitted:.2f} s")
    later = eventually(lambda: (n := seen()) >= first + 20 * 32 and n, what="twenty batches more")
    snapshot = backend.snapshot(job_id, ("progress", "curves"))
    assert snapshot.status == jobs.RUNNING and snapshot.state["progress"]["phase"] == "training"
    assert len(snapshot.state["curves"]["loss"]) >= 20 and snapshot.state["progress"]["seen"] >= later
    backend.stop(job_id)
    assert backend.snapshot(job_id).stopping
    assert ended(backend, job_id).status == jobs.STOPPED
    result = backend.result(job_id)
    progress = result["progress"]
    # Within a batch of Stop reaching the run (two if Stop came between the callback's look and the next batch).
    assert result["stop_asked_at"] <= progress["seen"] <= result["stop_asked_at"] + 2 * 32 < progress["total"]
    reader, twin = NumpyCNN.from_bytes(result["model"]), files.model_from_bytes(result["model"])
    x = load_sample().x_test[:200].reshape(-1, 28, 28, 1) / np.float32(255)
    np.testing.assert_allclose(reader.forward(x), np.asarray(twin(x, training=False)), atol=1e-5)
    evaluation = evaluate(reader, load_sample().x_test, load_sample().y_test)
    assert evaluation.accuracy == pytest.approx(result["evaluation"].accuracy, abs=0.002) and evaluation.accuracy > 0.5


def test_classes_take_turns_so_one_class_cannot_hold_the_workers(backend):
    blocker = backend.submit(task("until_stopped", lane="other"))  # holds the one worker while the line forms
    eventually(lambda: backend.snapshot(blocker).status == jobs.RUNNING, what="the worker busy")
    names = ["A1", "A2", "A3", "B1"]  # class A presses Train three times, then class B once
    ids = {name: backend.submit(task("started", lane=name[0])) for name in names}
    places = {name: backend.snapshot(job_id).place for name, job_id in ids.items()}
    assert places == {"A1": 1, "B1": 2, "A2": 3, "A3": 4}
    assert backend.snapshot(ids["A3"]).waiting == 4 and backend.snapshot(ids["A3"]).running == 1
    backend.stop(blocker)
    for job_id in ids.values():
        assert ended(backend, job_id).status == jobs.DONE
    started = {name: backend.result(job_id)["started"] for name, job_id in ids.items()}
    assert sorted(started, key=started.get) == ["A1", "B1", "A2", "A3"]


def test_a_run_whose_page_is_gone_is_dropped_when_its_turn_comes(backend):
    blocker = backend.submit(task("until_stopped"))
    eventually(lambda: backend.snapshot(blocker).status == jobs.RUNNING, what="the worker busy")
    left = backend.submit(task("started"))
    backend.redis.delete(school.key(left, "seen"))  # its page last looked more than ABANDON_AFTER ago
    backend.stop(blocker)
    assert eventually(lambda: backend.redis.hget(school.key(left), "status") == b"dropped", what="dropped")
    assert backend.result(left) is None


def test_a_worker_killed_mid_run_leaves_its_run_failed_and_says_why(backend, worker):
    # The module's worker: the tests above are done with it, and `worker` starts another for any test after this.
    config = Config(epochs=50, train_size=2000, batch_size=32)
    job_id = backend.submit(training.training_task(config, load_sample()))
    eventually(lambda: backend.snapshot(job_id, ("progress",)).state.get("progress", {}).get("seen"),
               what="the run training")
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    assert backend.snapshot(job_id).status == jobs.RUNNING  # its alive key has not expired yet
    killed = time.monotonic()
    snapshot = ended(backend, job_id, timeout=school.ALIVE_SECONDS + 10)
    assert (snapshot.status, snapshot.error) == (jobs.FAILED, jobs.WORKER_LOST)
    assert time.monotonic() - killed <= school.ALIVE_SECONDS + 2
    assert backend.redis.scard(school.RUNNING_SET) == 0 and backend.result(job_id) is None


def test_with_no_worker_a_run_waits_in_line():
    with server(shutil.which("redis-server")) as url:
        backend = school.RQBackend.from_url(url)
        job_id = backend.submit(training.training_task(Config(train_size=1000), load_sample()))
        snapshot = backend.snapshot(job_id, ("progress",))
        assert (snapshot.status, snapshot.place, snapshot.running, snapshot.waiting) == (jobs.QUEUED, 1, 0, 1)
        assert snapshot.state == {}
        backend.stop(job_id)
        assert backend.snapshot(job_id).status == jobs.DROPPED and backend.snapshot(job_id).waiting == 0


def test_the_worker_says_in_one_line_that_redis_cannot_be_reached():
    done = subprocess.run([sys.executable, "-m", "dlplay", "worker", "--redis", f"redis://127.0.0.1:{free_port()}/0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "cannot be reached" in done.stderr, done.stderr
