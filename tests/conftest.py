"""Shared test fixtures.

``shared_data`` points at ``../shared/data`` beside the checkout (the data CI
has and a fresh clone does not); tests that use it skip when it is absent.
``postgres_url`` is a PostgreSQL server's, for the class's tests (tests/postgres.py).
``people`` gives each person of a test a tab in a Chromium profile on disk (helpers.People); ``browser`` is
Debian's Chromium for other browser contexts (a phone's). tests/browser and tests/school share both.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import postgres
from .browser.helpers import CHROMIUM, CHROMIUM_ARGS, People

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("DLPLAY_SHARED_DATA", ROOT.parent / "shared" / "data"))
BLAS_SETTERS = ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_", "openblas_set_num_threads")


def one_blas_thread() -> None:
    """One OpenBLAS thread in this test process and in every server, worker and command it starts. The suite
    runs a process per core, so a second BLAS thread has no core of its own: it spins waiting for one, and the
    shipped text models' evaluations (test_text_data.py) took 4-5 times the CPU time of one thread. numpy is
    loaded here already, too late for OPENBLAS_NUM_THREADS, so this process asks the loaded library itself, as
    threadpoolctl does; the processes it starts read the variable."""
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    maps = Path("/proc/self/maps")  # Linux, as CI; elsewhere BLAS keeps its threads
    if not maps.is_file():
        return
    for path in {line.split()[-1] for line in maps.read_text().splitlines() if "openblas" in line.lower()}:
        library = ctypes.CDLL(path)
        setter = next((getattr(library, name) for name in BLAS_SETTERS if hasattr(library, name)), None)
        if setter is not None:
            setter(1)


def poll_every_50_ms() -> None:
    """Playwright's wait_for_function polls on every animation frame unless told otherwise, and Chromium then
    draws 60 frames a second for as long as a test waits (a training run: a minute and more): ~0.1 s of CPU per
    second of waiting, where polling every 50 ms takes ~0.01 s and answers as promptly for a test. A wait that
    must see every frame still says polling="raf" (helpers.wait_until_still)."""
    from playwright.sync_api import Frame, Page

    for kind in (Page, Frame):
        def wait_for_function(self, expression, *, arg=None, timeout=None, polling=None, _wait=kind.wait_for_function):
            return _wait(self, expression, arg=arg, timeout=timeout, polling=50 if polling is None else polling)

        kind.wait_for_function = wait_for_function


def pytest_configure(config):
    """A data folder of this test process's own (the servers it starts inherit it): tests never write the
    developer's ~/.local/share/dlplay, and two processes of one run (pytest -n 2) never share a class database."""
    os.environ["DLPLAY_DATA_DIR"] = tempfile.mkdtemp(prefix="dlplay-tests-")
    one_blas_thread()
    with contextlib.suppress(ImportError):  # Playwright is a test dependency; a bare checkout may lack it
        poll_every_50_ms()


def pytest_unconfigure(config):
    shutil.rmtree(os.environ.pop("DLPLAY_DATA_DIR", ""), ignore_errors=True)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the shared data folder {SHARED_DATA} (absent on a fresh clone)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """DLPLAY_TEST_POSTGRES_URL if given, or a server of this session's own, stopped at its end.

    Without Debian's PostgreSQL the tests that need it skip, except in CI (CI=true): .ci/run
    installs it there, so a missing server is a broken setup, not a machine without it."""
    given = os.environ.get("DLPLAY_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    bin_folder = postgres.binaries()
    if bin_folder is None:
        missing = f"no PostgreSQL under {postgres.INSTALLED}: install it with `sudo apt-get install -y postgresql`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} (CI=true: .ci/run installs it, so it should be there)", pytrace=False)
        pytest.skip(missing)
    with postgres.server(bin_folder) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright, once per test process: a second one in the same process is refused."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with `sudo apt-get install -y chromium` "
                    "(or set DLPLAY_CHROMIUM to a Chromium binary)")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """Chromium for tests that need a browser context unlike a person's on a laptop (a phone's, a cold cache)."""
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def profiles(playwright_driver, tmp_path_factory) -> Iterator[People]:
    people = People(playwright_driver, tmp_path_factory.mktemp("chromium-profiles"))
    yield people
    people.close()


@pytest.fixture
def people(profiles) -> Iterator[People]:
    """The people of one test, each in a Chromium profile of their own (helpers.People): `people.page()`."""
    yield profiles
    profiles.forget()
