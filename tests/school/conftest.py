"""Fixtures of the school server's tests: Caddy (Debian's `caddy`), Chromium, and `dlplay school` itself running
on a PostgreSQL of the session's own (tests/conftest.py's `postgres_url`), with a worker on a Redis of the module's
own (tests/redis_server.py) for `school_with_worker`.

Without Caddy the tests that need it skip, except in CI (CI=true), where .ci/run installs it: there a missing
Caddy is a broken setup, as for PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import postgres
from tests.browser.helpers import ROOT, free_port
from tests.redis_server import redis_url  # noqa: F401 - a fixture, for school_with_worker

STARTING = 240  # seconds for two web processes to start on a busy two-core machine


@pytest.fixture(scope="session")
def caddy() -> str:
    found = shutil.which("caddy")
    if found is None:
        missing = "no caddy on PATH: install it with `sudo apt-get install -y caddy`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} (CI=true: .ci/run installs it, so it should be there)", pytrace=False)
        pytest.skip(missing)
    return found


@dataclass
class School:
    """`dlplay school` running: its public URL, its web processes' ports, its run folder and its process."""

    url: str
    public: str
    web_ports: list[int]
    folder: Path
    process: subprocess.Popen
    database: str
    redis_url: str = ""

    def said(self) -> str:
        return (self.folder.parent / "school.err").read_text(errors="replace")

    def children(self, *words: str) -> list[int]:
        """The process ids of `dlplay school`'s children whose command line holds `words` in a row (e.g. "dlplay",
        "worker"), read from /proc."""
        wanted, found = [word.encode() for word in words], []
        for entry in Path("/proc").iterdir():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                line = (entry / "cmdline").read_bytes().split(b"\0")
            except (OSError, ValueError, IndexError):
                continue
            if parent == self.process.pid and any(line[k:k + len(wanted)] == wanted for k in range(len(line))):
                found.append(int(entry.name))
        return found


def web_ports(caddyfile: str) -> list[int]:
    """The web processes' ports, as the Caddyfile `dlplay school` wrote names them."""
    line = next(line for line in caddyfile.splitlines() if line.strip().startswith("reverse_proxy"))
    return [int(word.rsplit(":", 1)[1]) for word in line.split()[1:] if word.startswith("127.0.0.1:")]


@contextlib.contextmanager
def running_school(folder: Path, database: str, workers: int = 0, redis: str = "") -> Iterator[School]:
    """`dlplay school --web 2 --workers <workers>` on an empty PostgreSQL database, Caddy on a free port of
    127.0.0.1, DLPLAY_PUBLIC_URL set as a school would, DLPLAY_REDIS_URL set to `redis` (if any): ready (with
    workers, once one listens); stopped (SIGTERM) at the end if a test has not stopped it."""
    port = free_port()
    public = f"http://dlplay.school.test:{port}"
    env = {**os.environ, "DLPLAY_DATABASE_URL": postgres.empty(database), "DLPLAY_DATA_DIR": str(folder / "data"),
           "DLPLAY_PUBLIC_URL": public}
    env.pop("DLPLAY_REDIS_URL", None)
    if redis:
        env["DLPLAY_REDIS_URL"] = redis
    command = [sys.executable, "-m", "dlplay", "school", "--web", "2", "--workers", str(workers), "--port", str(port),
               "--address", "127.0.0.1", "--folder", str(folder / "run")]
    with (folder / "school.out").open("w") as out, (folder / "school.err").open("w") as err:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
    running = School(f"http://127.0.0.1:{port}", public, [], folder / "run", process, env["DLPLAY_DATABASE_URL"], redis)
    try:
        deadline = time.monotonic() + STARTING
        while "Students: open" not in (folder / "school.out").read_text(errors="replace"):  # said once all are up
            assert process.poll() is None, f"dlplay school ended ({process.returncode}): {running.said()}"
            assert time.monotonic() < deadline, f"dlplay school not ready after {STARTING} s: {running.said()}"
            time.sleep(0.2)
        running.web_ports = web_ports((running.folder / "Caddyfile").read_text())
        with urllib.request.urlopen(f"{running.url}/_stcore/health", timeout=10) as response:
            assert response.status == 200
        if workers:
            from redis import Redis

            listening = Redis.from_url(redis)
            while listening.scard("rq:workers") < workers:  # a worker registers once TensorFlow is loaded
                assert process.poll() is None, f"dlplay school ended ({process.returncode}): {running.said()}"
                assert time.monotonic() < deadline, f"no worker listening after {STARTING} s: {running.said()}"
                time.sleep(0.2)
            listening.close()
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def school(tmp_path_factory, postgres_url, caddy):
    """The school's web side alone: `dlplay school --web 2 --workers 0`, no Redis (training stays in the web
    processes)."""
    with running_school(tmp_path_factory.mktemp("school"), postgres_url) as running:
        yield running


@pytest.fixture(scope="module")
def school_with_worker(tmp_path_factory, postgres_url, caddy, redis_url):  # noqa: F811 - tests/redis_server.py's
    """The whole school: `dlplay school --web 2 --workers 1` with a Redis of the module's own, its worker
    listening."""
    with running_school(tmp_path_factory.mktemp("school"), postgres_url, workers=1, redis=redis_url) as running:
        yield running
