"""Streamlit's widgets as every page uses them: an upload box and a text area that say their limits in the
visitor's language, and the code panel."""

from __future__ import annotations

import streamlit as st

from ui.language import lang, t
from ui.state import cut_text, was_cut


def file_uploader(label: str, types: list[str], key: str, help: str | None = None, container=None, max_mb=None):
    """st.file_uploader, and what its box says in English only ("Drag and drop", "Upload", "Limit 50MB per file")
    said again beside it in the visitor's language. `max_mb`: this uploader's limit, below the server's."""
    container = container or st
    file = container.file_uploader(label, type=types, key=key, help=help,
                                   **({"max_upload_size": max_mb} if max_mb else {}))
    if lang() != "en":
        container.caption(t("app.upload_note", mb=max_mb or st.get_option("server.maxUploadSize"),
                            types=" / ".join(f".{kind}" for kind in types)))
    return file


def text_area(label: str, value: str, key: str, limit: int, **kwargs) -> str:
    """st.text_area that reads the first `limit` characters of any paste and says so below it."""
    st.session_state.setdefault(key, value)
    text = st.text_area(label, key=key, on_change=cut_text, args=(key, limit), **kwargs)
    if (cut := was_cut(key)) is not None:
        st.info(t("app.notice.cut", n=cut), icon="✂️")
    return text



CODE_PANEL_KEY = "code_panel"


def lazy_expander(label: str, key: str, icon: str | None = None):
    """st.expander that tells whether it is open (`.open`) and reruns the page when opened or closed, so that what
    it holds is drawn only once asked for. What st.code needs in the browser (its highlighter, 0.5 MB gzipped) is
    then fetched only by the visitors who open it, not by every student at the bell."""
    return st.expander(label, icon=icon, key=key, on_change="rerun")


def code_panel(source: str, filename: str = "lesson.py") -> None:
    panel = lazy_expander(t("code.title"), CODE_PANEL_KEY, icon="🐍")
    if panel.open:
        with panel:
            st.caption(t("code.caption").replace("lesson.py", filename))
            st.code(source, language="python", line_numbers=True)
