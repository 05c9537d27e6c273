"""Our Components v2, each a folder of its JavaScript, its CSS and the Python that mounts it."""

from __future__ import annotations

import functools
import importlib.resources

import streamlit as st

# A component's state when what its browser sent could not be read (ui.server.guard_component_messages): the key,
# unlike any our components send, holds why: "garbled" or "too_much".
REFUSED = "_dlplay_refused"


def refused(state) -> str | None:
    """Why the component's last message was refused ("garbled", "too_much"), or None if it was read."""
    why = state.get(REFUSED) if isinstance(state, dict) else None
    return why if why in ("garbled", "too_much") else None


@functools.cache
def component(name: str):
    """The component in the folder `name` (its `<name>.js` and `<name>.css`), registered once per process."""
    files = importlib.resources.files(__package__) / name
    return st.components.v2.component(
        f"dlplay.{name}", js=(files / f"{name}.js").read_text(encoding="utf-8"),
        css=(files / f"{name}.css").read_text(encoding="utf-8"))
