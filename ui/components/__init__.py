"""Our Components v2, each a folder of its JavaScript, its CSS and the Python that mounts it."""

from __future__ import annotations

import functools
import importlib.resources

import streamlit as st


@functools.cache
def component(name: str):
    """The component in the folder `name` (its `<name>.js` and `<name>.css`), registered once per process."""
    files = importlib.resources.files(__package__) / name
    return st.components.v2.component(
        f"dlplay.{name}", js=(files / f"{name}.js").read_text(encoding="utf-8"),
        css=(files / f"{name}.css").read_text(encoding="utf-8"))
