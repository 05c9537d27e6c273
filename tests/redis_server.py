"""A Redis server of the tests' own, from Debian's binary (`apt-get install -y redis-server`).

It listens on 127.0.0.1 on a free port, keeps nothing on disk and lives in a temporary folder, removed afterwards.
``redis_url`` is the fixture: without the binary the tests that need it skip, except in CI (CI=true), where
.ci/run installs it and a missing server is a broken setup.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

BINARY = "redis-server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def server(binary: str, timeout: float = 10.0) -> Iterator[str]:
    """A running server, stopped and its folder removed afterwards, even on failure: its URL."""
    import redis

    folder, port = Path(tempfile.mkdtemp(prefix="dlplay-redis-")), free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(folder), "--logfile", str(folder / "server.log")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.exceptions.ConnectionError:
                log = folder / "server.log"
                if process.poll() is not None or time.monotonic() > deadline:
                    said = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                    raise RuntimeError(f"redis-server did not start:\n{said}") from None
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    binary = shutil.which(BINARY)
    if binary is None:
        missing = "no redis-server: install it with `sudo apt-get install -y redis-server`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} (CI=true: .ci/run installs it, so it should be there)", pytrace=False)
        pytest.skip(missing)
    with server(binary) as url:
        yield url
