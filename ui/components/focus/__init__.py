"""Where the keyboard's focus goes after an action that takes away the control it was on (Start a class: its
button is gone once the class is there, and the focus fell back to the page's start)."""

from __future__ import annotations

import streamlit as st

from ui.components import component


def focus(selector: str, token: str) -> None:
    """Put the focus on the first element matching `selector` (a CSS selector of ours, never a visitor's text),
    once per `token`: a new token moves it again; a rerun with the same one leaves the visitor's focus alone."""
    with st.sidebar:
        component("focus")(key="focus", data={"selector": selector, "token": token})
