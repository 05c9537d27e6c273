"""The first visitor of a freshly started server, opening a lesson's address directly (what a student's QR code
does): the page asked for, and no "Page not found" dialog over it.

Streamlit sees the folder named `pages/` beside app.py and, until app.py has called st.navigation once in the
process, resolves a first visit by the files' names: /class (pages/classroom.py) and /digits-training
(pages/digits_training.py) were "not found" then. Each case here starts a server of its own.
"""

import pytest

from dlplay import i18n

from .helpers import streamlit_server, wait_for_app

pytestmark = pytest.mark.slow

LANG = "en"
FIRST_VISITS = [  # (address, the title key of the page it must show)
    ("/digits?class=K7QM", "digits.title"),
    ("/xor", "xor.title"),
    ("/class", "classroom.title"),
    ("/digits-training", "digits_training.title"),
]


@pytest.mark.parametrize("address, title", FIRST_VISITS, ids=[a for a, _ in FIRST_VISITS])
def test_first_visit_of_a_fresh_server(browser, tmp_path, monkeypatch, address, title):
    monkeypatch.setenv("DLPLAY_DATA_DIR", str(tmp_path / "data"))  # ?class= looks the class up: not in ~/.local
    monkeypatch.delenv("DLPLAY_DATABASE_URL", raising=False)
    with (tmp_path / "streamlit.log").open("w") as log, streamlit_server(log) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
        try:
            page = context.new_page()
            page.goto(url + address)
            wait_for_app(page)
            # Bounded on purpose: the check is that no "Page not found" dialog shows, and a dialog that never comes
            # gives no event to await; it comes with the first run, so a late one gets a second to show.
            page.wait_for_timeout(1000)
            heading = page.locator("[data-testid='stMainBlockContainer'] h1").first.inner_text()
            assert heading.strip() == i18n.text(LANG, title)
            assert page.locator("[role='dialog']").count() == 0, page.locator("[role='dialog']").first.inner_text()
            assert "Page not found" not in page.locator("body").inner_text()
            assert page.url.split("?")[0] == url + address.split("?")[0]
        finally:
            context.close()
