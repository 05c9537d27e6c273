"""Ctrl+C on `dlplay serve` in the middle of a class: the server stops cleanly, and the class's database is
whole, keeps what the class did, and carries the class on after a new start.

The signal goes to the whole process group, as a terminal sends it, right after a student lifts the pen: the
drawing's write is then in flight in the server. Each class write is one transaction, so the drawing is in the
database entirely or not at all; SQLite's own checks say whether the file is whole.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys

import pytest

from dlplay import i18n
from dlplay.classroom.store import Store

from .helpers import ROOT, free_port, join, metric_value, stroke, wait_for_app, wait_healthy

pytestmark = pytest.mark.slow

LANG = "en"


def serve(port: int, env: dict, log) -> subprocess.Popen:
    """`dlplay serve` on `port`, in a process group of its own, as a terminal starts it."""
    return subprocess.Popen([sys.executable, "-m", "dlplay", "serve", "--no-browser", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def lift_pen(page, slant: float = 0.0) -> None:
    """A stroke down the pad (a 1, leaning by `slant` of the pad's side), over once the mouse is up: the page then
    reads and keeps it. (A student's drawing the same as the last is not kept twice.)"""
    box = page.locator("canvas").first.bounding_box()
    x, y, side = box["x"], box["y"], box["width"]
    stroke(page, [(x + side * (0.5 + slant * (k / 29 - 0.5)), y + side * (0.15 + 0.7 * k / 29)) for k in range(30)],
           pause_ms=16)


def wait_for_reading(page) -> None:
    page.wait_for_function(
        "label => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => m.innerText.includes(label)"
        " && /^\\d/.test(m.querySelector('[data-testid=stMetricValue]').innerText.trim()))",
        arg=i18n.text(LANG, "digits.prediction"))
    wait_for_app(page)


def database_checks(path) -> tuple[str, list]:
    """SQLite's own verdict on the file (integrity_check), and the rows whose foreign keys point nowhere."""
    with sqlite3.connect(path) as connection:
        return (connection.execute("PRAGMA integrity_check").fetchone()[0],
                connection.execute("PRAGMA foreign_key_check").fetchall())


def test_ctrl_c_during_a_class_leaves_its_database_whole_and_the_class_goes_on(people, tmp_path):
    data = tmp_path / "data"
    env = {**{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DLPLAY_DATABASE_URL")},
           "DLPLAY_DATA_DIR": str(data)}
    store = Store(f"sqlite:///{data}/dlplay.sqlite3")
    invitation = store.start_class()
    code, key = invitation.code, invitation.teacher_key
    port, log = free_port(), (tmp_path / "serve.log").open("w")
    url = f"http://127.0.0.1:{port}"
    server = serve(port, env, log)
    ada = bo = None
    try:
        wait_healthy(url, server, timeout=120)
        ada, bo = people.page(), people.page()
        for page, name in ((ada, "Ada"), (bo, "Bo")):
            page.goto(f"{url}/digits?lang={LANG}&class={code}")
            wait_for_app(page)
            join(page, name)
        lift_pen(ada)
        wait_for_reading(ada)
        assert [d.nickname for d in store.drawings(code, key)] == ["Ada"]

        lift_pen(bo)  # and at once, before the page has read it and kept it: Ctrl+C
        os.killpg(server.pid, signal.SIGINT)
        assert server.wait(timeout=30) == 0
        assert "dlplay serve: stopped" in (tmp_path / "serve.log").read_text()

        assert database_checks(data / "dlplay.sqlite3") == ("ok", [])
        fresh = Store(f"sqlite:///{data}/dlplay.sqlite3")  # what a new start reads
        try:
            assert sorted(s.nickname for s in fresh.students(code, key)) == ["Ada", "Bo"]
            kept = [d.nickname for d in fresh.drawings(code, key)]
            assert kept.count("Ada") == 1 and kept.count("Bo") <= 1, kept  # Bo's: all of it, or none
        finally:
            fresh.close()

        server = serve(port, env, log)  # started again: the class goes on where it was
        wait_healthy(url, server, timeout=120)
        ada.reload()
        wait_for_app(ada)
        ada.locator(".st-key-class_badge").get_by_text(re.compile(r"· Ada ·")).wait_for()
        lift_pen(ada, slant=0.2)  # a reload's pad is empty: a new drawing
        wait_for_reading(ada)
        assert metric_value(ada, i18n.text(LANG, "digits.prediction")).strip()[0].isdigit()
        assert [d.nickname for d in store.drawings(code, key)].count("Ada") == 2
    finally:
        for page in (ada, bo):
            if page is not None:
                page.close()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)
            server.wait(timeout=30)
        log.close()
        store.close()
    said = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in said, said[-2000:]
