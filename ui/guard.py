"""Errors become a short message in the visitor's language, never a traceback on screen."""

from __future__ import annotations

import logging

import streamlit as st

from ui.language import t

log = logging.getLogger("dlplay")
ENTRY_KEY = "_run_through_app"


def run_page(page) -> None:
    """Run a page; an unexpected error becomes a short message, never a traceback on screen."""
    st.session_state[ENTRY_KEY] = True
    try:
        page.run()
    except Exception as error:  # Streamlit's own rerun/stop are BaseException and pass through
        log.exception("page %s failed", getattr(page, "url_path", page))
        st.error(t("app.error", error=type(error).__name__), icon="⚠️")
    finally:
        st.session_state.pop(ENTRY_KEY, None)


def fragment(run_every: float | None = None, key: str | None = None):
    """st.fragment, with the same promise as run_page: an error becomes a short message, not a traceback.
    `key` names it for st.rerun(key) from a widget's callback."""
    def decorate(body):
        def guarded(*args, **kwargs):
            try:
                body(*args, **kwargs)
            except Exception as error:
                log.exception("fragment %s failed", body.__name__)
                st.error(t("app.error", error=type(error).__name__), icon="⚠️")
        guarded.__name__ = body.__name__
        return st.fragment(guarded, run_every=run_every, key=key)
    return decorate
