"""The school server for real: `dlplay school --web 2 --workers 0`, its Caddy and two web processes, on PostgreSQL,
with a teacher and a student in Chromium.

Which process serves a browser is read from Caddy itself: its sticky cookie (dlplay_web) is an HMAC-SHA256, with
an empty secret, of the process's address, and each response carries the port of the process that answered it
(X-Dlplay-Web, set by `dlplay school`'s Caddyfile). The teacher lands where Caddy puts them; the student comes with
the cookie of the other process, as a browser Caddy had sent there would.
"""

import hashlib
import hmac
import os
import re
import signal
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from dlplay import i18n
from dlplay.classroom import schema
from dlplay.cli.school import COOKIE
from tests.browser.helpers import join, metric_value, shown_on, stroke, wait_for_app

pytestmark = pytest.mark.slow

LANG = "en"
BACK_WITHIN = 60  # seconds for a student of a killed process to be in class again through the other


def t(key, **values):
    return i18n.text(LANG, key, **values)


def cookie_of(port: int) -> str:
    """The value of Caddy's sticky cookie for the web process on 127.0.0.1:`port`."""
    return hmac.new(b"", f"127.0.0.1:{port}".encode(), hashlib.sha256).hexdigest()


def served_by(response) -> int:
    return int(response.header_value("x-dlplay-web"))


def sticky_cookie(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == COOKIE), None)


def new_context(browser, school, port: int | None = None):
    """A browser of its own; with `port`, holding Caddy's cookie for that web process."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    context.set_default_timeout(60_000)
    if port is not None:
        context.add_cookies([{"name": COOKIE, "value": cookie_of(port), "url": school.url}])
    return context


def draw(page, across: float = 0.5) -> str:
    """A stroke down /digits' pad, `across` its width (each place a drawing of its own: the class keeps one
    student's same drawing once); the digit read, once the drawing is in the class (the page asks to mark it)."""
    box = page.locator("canvas").first.bounding_box()
    x, y, side = box["x"], box["y"], box["width"]
    stroke(page, [(x + side * across, y + side * (0.15 + 0.7 * k / 39)) for k in range(40)], pause_ms=16)
    page.wait_for_function(
        "label => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => m.innerText.includes(label)"
        " && /^\\d/.test(m.querySelector('[data-testid=stMetricValue]').innerText.trim()))", arg=t("digits.prediction"))
    page.locator(".st-key-class_mark").first.wait_for()
    return metric_value(page, t("digits.prediction")).strip()[0]


def streamlit_pid(port: int) -> int:
    """The web process listening on `port`, found by its command line."""
    for entry in Path("/proc").iterdir():
        try:
            words = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(words) and str(port).encode() in words:
            return int(entry.name)
    raise LookupError(f"no web process on port {port}")


def wait_until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.2)
    return found


def newest_drawing(database: str, code: str) -> int:
    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.max(schema.drawings.c.id)).where(schema.drawings.c.code == code)).scalar()
    finally:
        engine.dispose()


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def in_database(database: str, code: str) -> tuple[int, int, int]:
    """(students, drawings, drawings marked) of class `code` in PostgreSQL."""
    engine = create_engine(database)
    s, d = schema.students, schema.drawings
    try:
        with engine.connect() as conn:
            return tuple(conn.execute(select(func.count()).where(*where)).scalar()
                         for where in ([s.c.code == code], [d.c.code == code],
                                       [d.c.code == code, d.c.marked_right.is_not(None)]))
    finally:
        engine.dispose()


def test_a_teacher_and_a_student_on_two_processes_one_class_and_a_process_killed(browser, school):
    # The teacher's first visit: Caddy picks a process and pins the browser to it; everything comes compressed.
    teacher_context = new_context(browser, school)
    teacher = teacher_context.new_page()
    responses = []
    teacher.on("response", lambda response: responses.append(response))
    first = teacher.goto(f"{school.url}/class?lang={LANG}")
    wait_for_app(teacher)
    a = served_by(first)
    assert a in school.web_ports and sticky_cookie(teacher_context) == cookie_of(a)
    script = next(r for r in responses if re.search(r"/static/js/index\.[^/]+\.js$", r.url))
    assert script.all_headers().get("content-encoding") in ("zstd", "gzip")
    assert {served_by(r) for r in responses if r.header_value("x-dlplay-web")} == {a}
    teacher.get_by_role("button", name=t("classroom.start")).click()
    teacher.get_by_text(t("classroom.here"), exact=True).wait_for()
    code = metric_value(teacher, t("classroom.code"))
    shown_on(teacher, f"{school.public}/digits?class={code}")  # the link names DLPLAY_PUBLIC_URL, not 127.0.0.1:86xx

    # The student on the other process, pinned there across reloads, in the teacher's class.
    (b,) = set(school.web_ports) - {a}
    student_context = new_context(browser, school, port=b)
    ada = student_context.new_page()
    assert served_by(ada.goto(f"{school.url}/digits?lang={LANG}&class={code}")) == b
    wait_for_app(ada)
    join(ada, "Ada")
    shown_on(teacher, "Ada")
    for _ in range(2):
        assert served_by(ada.reload()) == b
        wait_for_app(ada)
        ada.locator(".st-key-class_badge").get_by_text(re.compile(r"· Ada ·")).wait_for()
    assert sticky_cookie(student_context) == cookie_of(b)
    read = draw(ada)
    shown_on(teacher, f"Ada · {read} · #")
    mark = ada.locator(".st-key-class_mark")
    mark.get_by_role("radio").filter(has_text=t("classroom.mark.right").split()[-1]).click()  # its emoji is not read
    mark.get_by_text(t("classroom.mark.sent")).wait_for()
    wait_until(lambda: in_database(school.database, code) == (1, 1, 1), 10, "Ada's drawing, marked, in the database")

    # The student's process killed: Caddy sends her browser to the other, her seat cookie brings her back.
    os.kill(streamlit_pid(b), signal.SIGKILL)
    wait_until(lambda: sticky_cookie(student_context) == cookie_of(a), BACK_WITHIN,
               "the student's browser reconnected through Caddy to the other process")
    wait_for_app(ada)
    ada.locator(".st-key-class_badge").get_by_text(re.compile(r"· Ada ·")).wait_for()
    assert ada.get_by_role("button", name=t("classroom.join.go")).count() == 0
    # Another stroke: the marked drawing stays as it was, a new one is written through the other process, as Ada
    # (her seat, not a new student).
    read = draw(ada, across=0.35)
    wait_until(lambda: in_database(school.database, code) == (1, 2, 1), 10,
               "one student, two drawings, the first still marked, in the database")
    shown_on(teacher, f"Ada · {read} · #{newest_drawing(school.database, code)}")  # the teacher never left A
    assert re.search(r"/\s*1$", metric_value(teacher, t("classroom.here_count")).strip())  # one Ada, joined once
    assert served_by(ada.reload()) == a  # pinned to her new process
    wait_for_app(ada)

    # `dlplay school` said so and started the killed process again.
    wait_until(lambda: re.search(rf"web \d \(port {b}\) ended \(signal SIGKILL\)", school.said()), 10,
               "the death reported")
    wait_until(lambda: healthy(b), 180, "the killed web process started again")
    teacher_context.close()
    student_context.close()


def test_sigterm_stops_caddy_and_every_web_process(school):
    school.process.send_signal(signal.SIGTERM)
    assert school.process.wait(60) == 0
    assert school.said().rstrip().endswith("dlplay school: stopped")
    for port in [*school.web_ports, int(school.url.rsplit(":", 1)[1])]:
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
