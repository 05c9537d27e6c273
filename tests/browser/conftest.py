"""Browser tests: start `streamlit run app.py` on a free port and drive headless Chromium.

Without Chromium these tests skip and say how to get it. The server, browser and
gestures live in `helpers`, which the benchmarks use too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .helpers import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_app


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    with (tmp_path_factory.mktemp("streamlit") / "streamlit.log").open("w") as log, streamlit_server(log) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with `sudo apt-get install -y chromium` "
                    "(or set DLPLAY_CHROMIUM to a Chromium binary)")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def served(browser, app_url):
    """The app once run through its home page: a fresh server's first visitor of a lesson's own address sees
    Streamlit's "Page not found" (in English) while app.py takes over (ui.page_setup)."""
    page = browser.new_page()
    page.goto(app_url)
    wait_for_app(page)
    page.close()
    return app_url
