"""Page tests: run app.py with Streamlit's AppTest (no browser) on a chosen page and language."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dlplay import i18n
from dlplay.plain import plain
from ui.charts import SUMMARY
from ui.widgets import CODE_PANEL_KEY

ROOT = Path(__file__).resolve().parents[2]


def open_page(page: str | None, lang: str = "en", timeout: float = 120, **query) -> AppTest:
    """Run app.py as a visitor opening `page` (a file under pages/, or None for home) with `?lang=...&query`."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    if page:
        # Run once first, so AppTest knows the pages st.navigation registers (their url_path and hash);
        # switching by file name before that makes the next run look like a page change, which drops widget state.
        at.run()
        at.switch_page(page)
    return at.run()


def open_expanders(at: AppTest, *keys: str) -> AppTest:
    """Open the lazy expanders under `keys` (ui.lazy_expander: drawn only when open), as a click would: a rerun."""
    for key in keys or (CODE_PANEL_KEY,):
        at.session_state[key] = True
    return at.run()


def ignored_notice(lang: str, **ignored) -> str:
    """The notice a page shows for settings it did not understand, the visitor's text shown as plain text."""
    items = ", ".join(f"{plain(key, 40)}={plain(value, 40)}" for key, value in ignored.items())
    return i18n.text(lang, "app.notice.ignored", items=items)


def in_order(node):
    """Every element under `node`, in the order the page draws them."""
    for child in getattr(node, "children", {}).values():
        yield child
        yield from in_order(child)


def summary_under(at: AppTest, key: str) -> str | None:
    """The caption directly under the chart drawn with `key` (ui.plot's summary) as its Markdown; None if none."""
    drawn = list(in_order(at.main))
    (k,) = [i for i, e in enumerate(drawn) if e.type == "plotly_chart" and e.proto.id.endswith(f"-{key}")]
    after = drawn[k + 1] if k + 1 < len(drawn) else None
    return after.value if after is not None and after.type == "caption" else None


def chart_summary(text: str) -> str:
    """A chart's summary as ui.plot shows it: plain text (dlplay/plain.py)."""
    return plain(text, SUMMARY)


def assert_healthy(at: AppTest) -> None:
    """No exception, and no "something went wrong" message in either language."""
    assert not at.exception, [e.value for e in at.exception]
    failures = {i18n.text(lang, "app.error", error="")[:12] for lang in i18n.LANGUAGES}
    for error in at.error:
        assert not any(error.value.startswith(prefix) for prefix in failures), error.value


@pytest.fixture(autouse=True)
def navigation_mode_of_a_running_server(monkeypatch):
    """Run pages as a server does once app.py has run: through st.navigation.

    AppTest starts every run as a fresh server would. Seeing our `pages/`
    folder, Streamlit then first runs the page file alone (its old multipage
    mode); ui.page_setup() answers with a rerun through app.py, which drops a
    clicked button's trigger. A real server does that only for its very first
    request (tests/browser covers it).
    """
    from streamlit.runtime.pages_manager import PagesManager

    import ui  # noqa: F401 - a running server's first visitor has imported it (see ui.server.report_dropped_links)

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def class_store(tmp_path, monkeypatch):
    """The app's class store on a fresh database, in a temporary data folder."""
    from dlplay.classroom import store

    monkeypatch.setenv("DLPLAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DLPLAY_DATABASE_URL", raising=False)
    store.shared_store.cache_clear()
    yield store.shared_store()
    store.shared_store().close()
    store.shared_store.cache_clear()
