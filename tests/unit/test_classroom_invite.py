"""Inviting a class: the link, its QR code (read back by a real decoder), and the address the room can reach."""

import ipaddress
import re
import socket

import numpy as np
import pytest

from dlplay.classroom import invite

LINK = "http://192.168.1.23:8501/digits?class=K7QM"


def svg_modules(svg: str) -> np.ndarray:
    """The dark modules of segno's SVG: one path of horizontal strokes ("M4 4.5h7m1 0h2...") on a white square."""
    size = int(re.search(r'd="M0 0h(\d+)v', svg).group(1))
    path = re.search(r'stroke="#000" d="([^"]+)"', svg).group(1)
    dark = np.zeros((size, size), bool)
    x = y = 0.0
    for command, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:  # h: a stroke `a` modules long, on the row whose middle is y
            dark[int(y), int(x): int(x + float(a))] = True
            x += float(a)
    return dark


def test_the_qr_code_reads_back_as_the_link():
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp reads the QR code back")
    svg = invite.qr_svg(LINK)
    dark = svg_modules(svg)
    assert dark.shape == (37, 37)  # 29 modules and a quiet zone of 4 on each side
    assert not dark[:4].any() and not dark[:, :4].any()
    pixels = np.kron(np.where(dark, 0, 255).astype(np.uint8), np.ones((8, 8), np.uint8))
    (found,) = zxingcpp.read_barcodes(pixels)
    assert found.text == LINK
    assert 'width="444"' in svg  # 12 px a module: large enough to read from the back of a room


def test_the_longest_link_still_makes_a_qr_code_and_a_longer_one_none():
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp reads the QR code back")
    longest = "http://" + "a" * (invite.MAX_QR - len("http://"))
    dark = svg_modules(invite.qr_svg(longest))
    assert dark.shape == (65, 65)  # version 10: 57 modules and the quiet zone
    pixels = np.kron(np.where(dark, 0, 255).astype(np.uint8), np.ones((8, 8), np.uint8))
    assert [found.text for found in zxingcpp.read_barcodes(pixels)] == [longest]
    assert invite.qr_svg(longest + "a") is None
    assert invite.qr_svg("http://" + "a" * 100_000) is None  # beyond what any QR code holds: no error either


def test_a_fitting_qr_code_has_no_size_of_its_own():
    svg = invite.qr_svg(LINK, fit=True)
    assert 'viewBox="0 0 444 444"' in svg and "width=" not in svg


def test_class_links_from_what_the_teacher_types():
    assert invite.class_link("192.168.1.23:8501/", "/digits", "K7QM") == LINK
    assert invite.class_link(" https://school.example/dl ", "class", "K7QM", teacher="a-b_c") == (
        "https://school.example/dl/class?class=K7QM&teacher=a-b_c")
    assert invite.class_link("http://10.0.0.2:8501", "text", "K7QM", lang="zh") == (
        "http://10.0.0.2:8501/text?class=K7QM&lang=zh")


def test_the_lan_address_is_an_ipv4_address_and_falls_back_to_loopback(monkeypatch):
    address = ipaddress.ip_address(invite.lan_address())
    assert address.version == 4 and not address.is_unspecified

    class NoNetwork:
        def __init__(self, *args):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

        def connect(self, target):
            raise OSError("Network is unreachable")

    monkeypatch.setattr(socket, "socket", NoNetwork)
    assert invite.lan_address() == "127.0.0.1"
    assert invite.base_url("0.0.0.0", 8501) == "http://127.0.0.1:8501"
    assert invite.base_url("192.168.1.23", 8502) == "http://192.168.1.23:8502"
