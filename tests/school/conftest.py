"""Fixtures of the school server's tests: Caddy (Debian's `caddy`), Chromium, and `dlplay school` itself running
on a PostgreSQL of the session's own (tests/conftest.py's `postgres_url`).

Without Caddy the tests that need it skip, except in CI (CI=true), where .ci/run installs it: there a missing
Caddy is a broken setup, as for PostgreSQL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import postgres
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port

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


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with `sudo apt-get install -y chromium`")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class School:
    """`dlplay school` running: its public URL, its web processes' ports, its run folder and its process."""

    url: str
    public: str
    web_ports: list[int]
    folder: Path
    process: subprocess.Popen
    database: str

    def said(self) -> str:
        return (self.folder.parent / "school.err").read_text(errors="replace")


def web_ports(caddyfile: str) -> list[int]:
    """The web processes' ports, as the Caddyfile `dlplay school` wrote names them."""
    line = next(line for line in caddyfile.splitlines() if line.strip().startswith("reverse_proxy"))
    return [int(word.rsplit(":", 1)[1]) for word in line.split()[1:] if word.startswith("127.0.0.1:")]


@pytest.fixture(scope="module")
def school(tmp_path_factory, postgres_url, caddy):
    """`dlplay school --web 2 --workers 0` on an empty PostgreSQL database, Caddy on a free port of 127.0.0.1,
    DLPLAY_PUBLIC_URL set as a school would; stopped (SIGTERM) at the end if a test has not stopped it."""
    folder = tmp_path_factory.mktemp("school")
    port = free_port()
    public = f"http://dlplay.school.test:{port}"
    env = {**os.environ, "DLPLAY_DATABASE_URL": postgres.empty(postgres_url), "DLPLAY_DATA_DIR": str(folder / "data"),
           "DLPLAY_PUBLIC_URL": public}
    env.pop("DLPLAY_REDIS_URL", None)
    command = [sys.executable, "-m", "dlplay", "school", "--web", "2", "--workers", "0", "--port", str(port),
               "--address", "127.0.0.1", "--folder", str(folder / "run")]
    with (folder / "school.out").open("w") as out, (folder / "school.err").open("w") as err:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
    running = School(f"http://127.0.0.1:{port}", public, [], folder / "run", process, env["DLPLAY_DATABASE_URL"])
    try:
        deadline = time.monotonic() + STARTING
        while "Students: open" not in (folder / "school.out").read_text(errors="replace"):  # said once all are up
            assert process.poll() is None, f"dlplay school ended ({process.returncode}): {running.said()}"
            assert time.monotonic() < deadline, f"dlplay school not ready after {STARTING} s: {running.said()}"
            time.sleep(0.2)
        running.web_ports = web_ports((running.folder / "Caddyfile").read_text())
        with urllib.request.urlopen(f"{running.url}/_stcore/health", timeout=10) as response:
            assert response.status == 200
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
