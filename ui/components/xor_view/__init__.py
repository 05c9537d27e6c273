"""The /xor view: Play and Pause, read-outs and charts, drawn in the browser."""

from __future__ import annotations

from ui.components import component


def xor_view(key: str, data: dict, on_toggle) -> None:
    """The /xor view: Play/Pause, read-outs and charts for the frames in `data` (dlplay/xor/charts.view_data);
    `on_toggle` runs when Play or Pause is pressed, its event in st.session_state[key].toggle."""
    component("xor_view")(key=key, data=data, on_toggle_change=on_toggle)
