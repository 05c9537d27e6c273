"""The cookie jar: cookies this browser keeps for the server, read back by the next session (st.context.cookies)."""

from __future__ import annotations

import re

import streamlit as st

from ui.components import component

NAME = re.compile(r"[A-Za-z0-9_]{1,64}")  # a cookie name we write; nothing a visitor typed
VALUE = re.compile(r"[A-Za-z0-9_-]{0,128}")


def keep_cookies(cookies: list[tuple[str, str, int]]) -> None:
    """Ask the browser to keep each (name, value, seconds) cookie, for the whole site; 0 seconds deletes it."""
    kept = [[name, value, int(seconds)] for name, value, seconds in cookies
            if NAME.fullmatch(name) and VALUE.fullmatch(value)]
    with st.sidebar:
        component("cookie_jar")(key="cookie_jar." + ".".join(name for name, _, _ in kept), data={"cookies": kept})


def cookie(name: str) -> str | None:
    """A cookie this browser sent when its session began (a reload or a new tab begins one)."""
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) and VALUE.fullmatch(value) else None


def cookies_named(prefix: str) -> dict[str, str]:
    """Every cookie whose name starts with `prefix`, by the rest of its name."""
    return {name.removeprefix(prefix): value for name, value in st.context.cookies.to_dict().items()
            if name.startswith(prefix) and isinstance(value, str) and VALUE.fullmatch(value)}
