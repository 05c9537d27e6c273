"""``dlplay serve``: the app, from the installed package or this checkout, on this computer or for a class.

Alone, it listens on this computer only and opens the browser. With ``--class``
it listens on the room's network and prints the address students open, with a
QR code they can scan, in English and 中文. Ctrl+C stops the server; Streamlit
shuts down cleanly (each write to the class's database is one transaction, so
the database is whole whatever moment it stops).
"""

from __future__ import annotations

import argparse
import importlib.resources
import os
import socket
import subprocess
import sys
from pathlib import Path

from dlplay.cli import Failed, UsageError

DEFAULT_PORT = 8501
STOPPING = 20  # seconds Streamlit may take to shut down after Ctrl+C


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve", help="start the app (add --class to let a class in)",
        description="Start dlplay's app in the browser. Alone, on this computer only; with --class, on the "
                    "room's network, printing the address and a QR code students can scan.")
    parser.add_argument("--class", dest="room", action="store_true",
                        help="listen on the room's network and print the address for students")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.set_defaults(run=run)


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text[:20]!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 1 to 65535, not {port}")
    return port


def app_path() -> Path:
    """app.py: inside the installed package (dlplay/_app, see pyproject.toml), or beside the package in a
    checkout (an editable install)."""
    packaged = Path(str(importlib.resources.files("dlplay") / "_app" / "app.py"))
    if packaged.is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "app.py"
    if checkout.is_file():
        return checkout
    raise Failed("this installation of dlplay holds no app (reinstall it from its wheel or a checkout)")


def port_free(host: str, port: int) -> bool:
    """Whether the server could listen on `port`. As the server's own socket does (Tornado sets SO_REUSEADDR
    outside Windows), connections of the last run still closing (TIME_WAIT) do not count: without it, a
    restart right after Ctrl+C was refused for a minute."""
    with socket.socket() as probe:
        if os.name != "nt":  # on Windows the option lets a second server take a port in use
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def announce(base: str, port: int) -> str:
    """What the terminal shows for a class: the students' address and its QR code, in both languages."""
    import io

    import segno

    qr = io.StringIO()
    segno.make_qr(base, error="m").terminal(out=qr, compact=True)
    return "\n".join([
        f"Students: open {base}, or scan this code. Teacher: open http://localhost:{port}/class",
        f"学生：打开 {base}，或扫描下面的二维码。老师：打开 http://localhost:{port}/class",
        qr.getvalue(),
    ])


def streamlit_command(app: Path, address: str, port: int, browser: bool) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", address,
            "--server.port", str(port), "--server.headless", "false" if browser else "true",
            "--browser.gatherUsageStats", "false"]


def run(args) -> int:
    from dlplay.classroom import invite

    app = app_path()
    address = "0.0.0.0" if args.room else "127.0.0.1"
    if not port_free(address, args.port):
        raise UsageError(f"port {args.port} is in use (is dlplay already running? try --port {args.port + 1})")
    if args.room:
        print(announce(invite.base_url(address, args.port), args.port), flush=True)
    # In the app's folder: Streamlit reads its settings from ./.streamlit/config.toml.
    server = subprocess.Popen(streamlit_command(app, address, args.port, not args.no_browser), cwd=app.parent,
                              env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    try:
        return server.wait()
    except KeyboardInterrupt:
        # Ctrl+C reached Streamlit too (the terminal signals the whole group), which is shutting down: a second
        # signal would interrupt that. Wait for it; only a server that hangs is ended.
        try:
            server.wait(timeout=STOPPING)
        except subprocess.TimeoutExpired:
            server.terminate()
            server.wait()
        print("dlplay serve: stopped", file=sys.stderr)
        return 0
