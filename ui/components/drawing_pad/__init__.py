"""The drawing pad of /digits: mouse, pen and finger, strokes sent while the pen moves."""

from __future__ import annotations

import streamlit as st

from dlplay.digits import pad
from ui.components import component, refused


def drawing_pad(key: str, labels: dict[str, str], on_lift, put: dict | None = None) -> pad.Drawing:
    """The drawing surface, and what it last sent, parsed once (`pad.read`): an empty drawing before the first
    stroke, one that says why for a message that is no drawing.

    It sends while the pen moves and when it lifts; each send reruns the fragment it is in, and `on_lift()` runs
    first when the pen has lifted (or Undo, Clear). `labels`: the texts of its "undo" and "clear" buttons and of
    the "canvas" for screen readers. It is told which drawing this run reads (its number), and sends the next
    while the pen moves only once that is read. `put`: {"id", "strokes"} to put on the pad instead of what is drawn
    (dlplay.digits.samples), given in one run only."""
    def sent() -> None:
        if not _read(key).live:
            on_lift()

    drawing = _read(key)
    data = {**labels, **pad.geometry(), "read": drawing.number or 0, **({"put": put} if put else {})}
    component("drawing_pad")(key=key, data=data, default={"drawing": None}, on_drawing_change=sent)
    if _read(key).number != drawing.number:
        # A new session (the server restarted, the page reconnected) learns the pad's key only as the pad is
        # drawn: the drawing still on the pad, read before, was not there yet. Run again to read it now.
        st.rerun()
    return drawing


def _read(key: str) -> pad.Drawing:
    """The pad's last message, parsed once: kept beside the message it was read from. One that was no message at
    all (too long, not JSON: ui.server.guard_component_messages) is a drawing that says so."""
    state = st.session_state.get(key) or {}
    if why := refused(state):
        return pad.Drawing(problem=why)
    message = state.get("drawing")
    kept = st.session_state.get(f"{key}.parsed")
    if kept is None or kept[0] is not message:
        kept = st.session_state[f"{key}.parsed"] = (message, pad.read(message))
    return kept[1]
