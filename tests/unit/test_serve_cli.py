"""`dlplay serve` before it starts a server: where the app is, what a class is told, and its one-line refusals."""

import socket

import numpy as np
import pytest

from dlplay.cli import main
from dlplay.cli.serve import announce, app_path


def test_the_app_is_found_and_a_class_is_told_the_address_in_both_languages():
    assert app_path().name == "app.py" and (app_path().parent / "pages" / "digits.py").is_file()
    said = announce("http://192.168.1.20:8501", 8501)
    assert said.count("http://192.168.1.20:8501") == 2 and "学生" in said and "Students" in said
    assert "http://localhost:8501/class" in said
    assert read_terminal_qr(said) == "http://192.168.1.20:8501"


def read_terminal_qr(said: str) -> str:
    """The QR code printed in the terminal, read back: each character is two modules, top and bottom, filled
    where the terminal shows a block (the light modules, for a dark terminal)."""
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp reads the QR code back")
    halves = {"█": (1, 1), "▀": (1, 0), "▄": (0, 1), " ": (0, 0)}
    rows = [line for line in said.splitlines() if line and set(line) <= set(halves)]
    modules = np.array([[halves[c][half] for c in row] for row in rows for half in (0, 1)], dtype=np.uint8)
    pixels = np.kron(modules * 255, np.ones((8, 8), dtype=np.uint8))  # filled: light
    (found,) = zxingcpp.read_barcodes(pixels)
    return found.text


def test_a_port_in_use_or_out_of_range_is_one_line_and_a_non_zero_exit(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"port {port} is in use" in err and "Traceback" not in err
    for bad in ("0", "70000", "http"):
        try:
            main(["serve", "--port", bad])
        except SystemExit as leaving:
            assert leaving.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "--port" in err
