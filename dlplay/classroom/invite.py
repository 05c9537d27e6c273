"""Inviting students: the link with the class code, a QR code of it, and the address the room can reach."""

from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlencode

import segno

WILDCARDS = ("", "0.0.0.0", "::")
MAX_QR = 213  # bytes of a link in a QR code of version 10 (57 modules a side) at medium error correction


def lan_address() -> str:
    """This machine's IPv4 address on the local network, or 127.0.0.1 when it has none.

    Connecting a UDP socket sends nothing; it only asks the system which of
    its addresses would carry traffic towards a private address.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.254.254.254", 9))
            address = probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    return "127.0.0.1" if ipaddress.ip_address(address).is_unspecified else address


def public_url() -> str | None:
    """DLPLAY_PUBLIC_URL, the address students reach a school server at (its proxy's, as `dlplay school` says),
    without a trailing slash and with http:// when it names no scheme; None when it is not set."""
    url = (os.environ.get("DLPLAY_PUBLIC_URL") or "").strip().rstrip("/")
    if not url:
        return None
    return url if "://" in url else "http://" + url


def base_url(address: str | None, port: int) -> str:
    """The address students type: DLPLAY_PUBLIC_URL when set (behind a proxy, this server's own address is
    127.0.0.1:86xx, which no phone reaches), else the LAN address when the server listens on every interface."""
    if public := public_url():
        return public
    host = lan_address() if (address or "") in WILDCARDS else address
    return f"http://{host}:{port}"


def class_link(base: str, page: str, code: str, **query: str) -> str:
    """`base`/`page`?class=`code` (and any `query`).

    "192.168.1.5:8501" and "digits" → http://192.168.1.5:8501/digits?class=K7QM.
    """
    base = base.strip().rstrip("/")
    if "://" not in base:
        base = "http://" + base
    return f"{base}/{page.strip('/')}?{urlencode({'class': code, **query})}"


def qr_svg(url: str, scale: int = 12, fit: bool = False) -> str | None:
    """A QR code of `url` as SVG markup, black on white with the standard quiet zone; None for a link longer than
    a QR code a phone reads across a room holds (MAX_QR bytes: version 10 at medium correction).

    Medium error correction (segno raises it when that costs no extra modules):
    a class link of about 45 characters is 29 modules a side, 12 px each (444 px
    with the quiet zone), large enough to read from the back of a room when
    projected. With `fit` the SVG has no size of its own and fills its container.
    """
    if len(url.encode("utf-8", "replace")) > MAX_QR:
        return None
    qr = segno.make_qr(url, error="m")
    return qr.svg_inline(scale=scale, border=4, dark="#000", light="#fff", omitsize=fit)
