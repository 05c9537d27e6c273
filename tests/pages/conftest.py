"""Page tests: run app.py with Streamlit's AppTest (no browser) on a chosen page and language."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dlplay import i18n

ROOT = Path(__file__).resolve().parents[2]


def open_page(page: str | None, lang: str = "en", timeout: float = 120, **query) -> AppTest:
    """Run app.py as a visitor opening `page` (a file under pages/, or None for home) with `?lang=...&query`."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    return at.run()


def assert_healthy(at: AppTest) -> None:
    """No exception, and no "something went wrong" message in either language."""
    assert not at.exception, [e.value for e in at.exception]
    failures = {i18n.text(lang, "app.error", error="")[:12] for lang in i18n.LANGUAGES}
    for error in at.error:
        assert not any(error.value.startswith(prefix) for prefix in failures), error.value


@pytest.fixture
def t():
    return i18n.text
