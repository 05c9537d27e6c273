"""The live text box of /text: it sends a short pause after the visitor stops typing."""

from __future__ import annotations

import streamlit as st

from ui.components import component, refused
from ui.language import t
from ui.state import PageState


def live_text_input(state: PageState, name: str, label: str, placeholder: str = "", pause_ms: int = 150) -> str:
    """A text box for one text setting that reruns the page a short pause after the visitor stops typing,
    and on Enter or leaving it (st.text_input only on Enter or leaving it).

    The text lives where `state.widget` keeps it, so the link and `publish()` work as for any setting;
    a text longer than the setting allows is cut (`PageState.cut`), and the box says so as it is typed.
    """
    p = next(p for p in state.params if p.name == name)
    key, limit = state.key(name), int(p.high or 1000)

    def typed() -> None:
        value = st.session_state[f"{key}.live"].get("value")
        if isinstance(value, str):  # what the browser sends is not trusted to be text
            st.session_state[key] = value

    box = component("live_text_input")
    box(key=f"{key}.live", on_value_change=typed, data=dict(
        value=st.session_state[key], label=label, placeholder=placeholder, max_chars=limit, pause_ms=pause_ms,
        too_long=t("app.notice.cut", n=limit), revision=st.session_state.get(f"{key}.revision", 0)))
    if why := refused(st.session_state.get(f"{key}.live")):  # what the browser sent was no message: the text stays
        st.warning(t(f"app.live_text.{why}"), icon="⚠️")
    if len(st.session_state[key]) > limit:
        state.cut(p)
    return st.session_state[key]


def put_text(state: PageState, name: str, text: str) -> None:
    """Put `text` in the live box of setting `name` (an example chosen), as if typed: the box shows it at the next
    run (its revision changes; what the visitor types never does that)."""
    key = state.key(name)
    st.session_state[key] = text
    st.session_state[f"{key}.revision"] = st.session_state.get(f"{key}.revision", 0) + 1
