"""The laptop's training line (dlplay.jobs.local) through the four calls the pages use, on task functions that need
no TensorFlow (tests/unit/job_tasks.py); and the choice of line by DLPLAY_REDIS_URL."""

from __future__ import annotations

import threading
import time

import pytest

from dlplay import jobs
from dlplay.jobs.local import LocalBackend, TrainingQueue

TASKS = "tests.unit.job_tasks"


def task(name: str, **payload) -> jobs.Task:
    return jobs.Task("test", f"{TASKS}:{name}", {"name": name, **payload}, owner="session-1")


def ended(backend, job_id: str, timeout: float = 30) -> jobs.Snapshot:
    """The job's snapshot once it has ended, looking as a page does (every 10 ms here)."""
    deadline = time.monotonic() + timeout
    while (snapshot := backend.snapshot(job_id)).active:
        assert time.monotonic() < deadline, f"the job is still {snapshot.status}"
        threading.Event().wait(0.01)
    return snapshot


def eventually(condition, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, "the condition did not hold"
        threading.Event().wait(0.01)
    return value


@pytest.fixture
def backend():
    return LocalBackend(TrainingQueue(slots=1))


def test_a_task_runs_and_its_result_and_what_it_published_are_read_back(backend):
    job_id = backend.submit(task("started"))
    snapshot = ended(backend, job_id)
    assert snapshot.status == jobs.DONE and snapshot.error == ""
    result = backend.result(job_id)
    assert result["name"] == "started"
    assert backend.snapshot(job_id, ("started",)).state == {"started": result["started"]}
    assert backend.snapshot(job_id).state == {}  # only the fields asked for
    assert backend.snapshot("no-such-job") is None and backend.result("no-such-job") is None


def test_stop_reaches_the_running_task_and_a_waiting_one_leaves_the_line(backend):
    running, waiting = backend.submit(task("until_stopped")), backend.submit(task("until_stopped"))
    eventually(lambda: backend.snapshot(running, ("looks",)).state.get("looks"))
    line = backend.snapshot(waiting)
    assert (line.status, line.place, line.running, line.waiting) == (jobs.QUEUED, 1, 1, 1)
    backend.stop(waiting)
    assert backend.snapshot(waiting).status == jobs.DROPPED
    backend.stop(running)
    snapshot = ended(backend, running)
    assert snapshot.status == jobs.STOPPED and snapshot.stopping and backend.result(running)["looks"] > 0


def test_a_task_that_fails_says_why_and_the_log_names_its_owner(backend, caplog):
    job_id = backend.submit(task("failing"))
    snapshot = ended(backend, job_id)
    assert snapshot.status == jobs.FAILED and "no such layer" in snapshot.error
    assert backend.result(job_id) is None
    assert any("session-1" in record.getMessage() for record in caplog.records)


def test_the_line_is_chosen_by_the_redis_url(monkeypatch):
    from dlplay.jobs.rq import RQBackend

    jobs.backend.cache_clear()
    try:
        monkeypatch.delenv(jobs.REDIS_URL, raising=False)
        assert isinstance(jobs.backend(), LocalBackend) and jobs.backend().trains_here
        jobs.backend.cache_clear()
        monkeypatch.setenv(jobs.REDIS_URL, "redis://127.0.0.1:9/0")  # nothing is asked of it until a job is
        assert isinstance(jobs.backend(), RQBackend) and not jobs.backend().trains_here
    finally:
        jobs.backend.cache_clear()


def test_a_line_on_a_redis_that_cannot_be_reached_says_unavailable():
    from dlplay.jobs.rq import RQBackend
    from tests.redis_server import free_port

    backend = RQBackend.from_url(f"redis://127.0.0.1:{free_port()}/0")
    for call in (lambda: backend.submit(task("started")), lambda: backend.snapshot("x"), lambda: backend.stop("x"),
                 lambda: backend.result("x")):
        with pytest.raises(jobs.Unavailable):
            call()


def test_data_larger_than_the_school_line_carries_is_refused_before_it_is_sent(monkeypatch):
    from dlplay.jobs import rq

    monkeypatch.setattr(rq, "MAX_TASK_BYTES", 1000)
    with pytest.raises(jobs.TooLarge) as refused:
        rq.RQBackend.from_url("redis://127.0.0.1:9/0").submit(task("started", data=b"x" * 2000))
    assert refused.value.size > refused.value.limit == 1000


def test_a_running_task_goes_on_while_its_page_looks_and_stops_once_it_is_gone():
    """A run lasts longer than the line's abandon_after as long as its page looks (each poll is a snapshot); once
    the page stops looking it ends by itself. Before, every run stopped abandon_after after its start, looked at
    or not, and said "you pressed Stop at 0 images"."""
    backend = LocalBackend(TrainingQueue(slots=1, abandon_after=0.5))
    job_id = backend.submit(task("until_stopped"))
    looked_until = time.monotonic() + 2.0  # four times abandon_after
    while time.monotonic() < looked_until:
        snapshot = backend.snapshot(job_id, ("looks",))
        assert snapshot.status == jobs.RUNNING or snapshot.status == jobs.QUEUED, snapshot
        time.sleep(0.1)
    assert backend.snapshot(job_id).status == jobs.RUNNING  # still running, two seconds on
    job = backend._jobs[job_id]
    assert job.finished.wait(5) and job.status == jobs.STOPPED  # no look for 0.5 s: it stops by itself
