"""The drawing pad of /digits: mouse, pen and finger, strokes sent while the pen moves."""

from __future__ import annotations

import streamlit as st

from ui.components import component


def drawing_pad(key: str, labels: dict[str, str], on_change) -> object:
    """The drawing surface: what it last sent (None before the first stroke), for preprocess.canvas_strokes.

    It sends while the pen moves and when it lifts; each send reruns the fragment it is in, after `on_change`.
    `labels`: the texts of its "undo" and "clear" buttons and of the "canvas" for screen readers. It is told which
    drawing this run reads (its number `n`), and sends the next while the pen moves only once that is read."""
    sent = (st.session_state.get(key) or {}).get("drawing")
    read = sent.get("n") if isinstance(sent, dict) else None
    data = {**labels, "read": read if type(read) is int else 0}
    pad = component("drawing_pad")
    return pad(key=key, data=data, default={"drawing": None}, on_drawing_change=on_change).drawing
