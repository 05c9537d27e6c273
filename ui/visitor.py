"""Who is on the other end: this browser's id (a cookie) and the address it reaches the server from, which bound
what one visitor may start and join."""

from __future__ import annotations

import os
import secrets

import streamlit as st

from dlplay.classroom.limits import client_address
from ui.components.cookie_jar import cookie, keep_cookies

BROWSER_COOKIE = "dlplay_browser"
KEEP_BROWSER = 365 * 24 * 3600


def browser_id() -> str:
    """This browser's id, kept in a cookie (a browser without one gets one now)."""
    known = cookie(BROWSER_COOKIE) or st.session_state.get("_browser_id")
    if known is None:
        known = st.session_state["_browser_id"] = secrets.token_urlsafe(16)
    return known


def browser_cookie() -> tuple[str, str, int]:
    """The cookie that keeps browser_id(), for keep_cookies."""
    return BROWSER_COOKIE, browser_id(), KEEP_BROWSER


def keep_browser_id() -> None:
    keep_cookies([browser_cookie()])


def address() -> str | None:
    """The address this visitor's browser reaches the server from (None when Streamlit does not know it): behind
    a proxy named in DLPLAY_TRUSTED_PROXIES (`dlplay school`'s Caddy), the one the proxy forwards."""
    peer = st.context.ip_address
    peer = peer if isinstance(peer, str) and peer else None
    return client_address(peer, st.context.headers.get("X-Forwarded-For"), os.environ.get("DLPLAY_TRUSTED_PROXIES"))
