"""What a screen reader says when a lesson's answer changes: a polite live region (the prediction and its
certainty, the sentiment, the XOR step), kept once in the document, outside what Streamlit redraws."""

from __future__ import annotations

import streamlit as st

from ui.components import component


def announce(text: str, key: str = "announce") -> None:
    """Say `text` (plain text) to a screen reader when it differs from what was said last; nothing on screen."""
    with st.sidebar:
        component("announce")(key=key, data={"text": text})
