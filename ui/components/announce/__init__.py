"""What a screen reader says when a lesson's answer changes: a polite live region (the prediction and its
certainty, the sentiment, the XOR step), kept once in the document, outside what Streamlit redraws."""

from __future__ import annotations

import streamlit as st

from ui.components import component


def announce(text: str, key: str = "announce", container=None) -> None:
    """Say `text` (plain text) to a screen reader when it differs from what was said last; nothing on screen.
    `container`: where the element goes, by default where the page is (a fragment may not write to the sidebar);
    its key starts with "announce", so that it takes no room (ui/presentation.py's style)."""
    with container or st.container():
        component("announce")(key=key, data={"text": text})
