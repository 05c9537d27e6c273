"""Browser tests: start `streamlit run app.py` on a free port and drive headless Chromium.

Without Chromium these tests skip and say how to get it. The server, browser and
gestures live in `helpers`, which the benchmarks use too.
"""

from __future__ import annotations

import pytest

from .helpers import streamlit_server, wait_for_app


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The session's server; at its end its log must hold no traceback, whatever the tests sent it (the hostile
    tests among them): a fault a visitor causes gets words on the page, never a stack in the log."""
    path = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with path.open("w") as log, streamlit_server(log) as url:
        yield url
    said = path.read_text(errors="replace")
    assert "Traceback" not in said, said[said.index("Traceback") - 300:][:3000]


@pytest.fixture
def page(people):
    """A tab on a laptop, 1400 x 1000, English."""
    return people.page(timeout=30_000)


@pytest.fixture
def fresh_page(browser):
    """A tab on a laptop in a browser context of its own, with an empty cache: what the server sends, not what a
    profile of `people` kept."""
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
