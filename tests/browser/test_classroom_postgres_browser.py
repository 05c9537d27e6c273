"""A class on a school server: two Streamlit processes on one PostgreSQL database (DLPLAY_DATABASE_URL).

The teacher starts the class on one process, a student joins it and draws on the other; the teacher's screen
shows the student, then the drawing, within 5 s: what one process writes, the other reads from the database,
not from its memory. The database starts empty: the first request makes the schema.
"""

import contextlib

import pytest

from dlplay import i18n
from dlplay.classroom.store import Store
from tests import postgres

from .helpers import (
    device_page,
    join,
    metric_value,
    shown_on,
    spawn_streamlit,
    stop,
    stroke,
    wait_for_app,
    wait_healthy,
)

pytestmark = pytest.mark.slow

LANG = "en"


def t(key, **values):
    return i18n.text(LANG, key, **values)


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, postgres_url):
    """Two servers of their own on one empty database, started side by side (each takes seconds to start): their
    URLs, then the database's."""
    folder = tmp_path_factory.mktemp("classroom_postgres")
    with pytest.MonkeyPatch.context() as patch, contextlib.ExitStack() as stack:
        patch.setenv("DLPLAY_DATA_DIR", str(folder / "data"))
        database = postgres.empty(postgres_url)
        patch.setenv("DLPLAY_DATABASE_URL", database)
        servers = []
        for name in ("teacher", "student"):
            url, process = spawn_streamlit(stack.enter_context((folder / f"{name}.log").open("w")))
            stack.callback(stop, process)
            servers.append((url, process))
        for url, process in servers:
            wait_healthy(url, process)
        (teacher, _), (student, _) = servers
        yield teacher, student, database


@pytest.fixture
def student(browser, two_servers):
    """A student's browser, a context of its own (the teacher's key and the student's seat are cookies, and a
    cookie of 127.0.0.1 goes to every port)."""
    with device_page(browser, two_servers[1], viewport={"width": 1400, "height": 1000}) as page:
        yield page


def test_the_teacher_on_one_process_sees_a_student_on_the_other(page, student, two_servers):
    teacher_server, student_server, database = two_servers
    teacher, ada = page, student

    teacher.goto(f"{teacher_server}/class?lang={LANG}")  # a fresh server: /class first (test_first_visit_browser.py)
    wait_for_app(teacher)
    teacher.get_by_role("button", name=t("classroom.start")).click()
    teacher.get_by_text(t("classroom.here"), exact=True).wait_for()
    code = metric_value(teacher, t("classroom.code"))

    ada.goto(f"{student_server}/digits?lang={LANG}&class={code}")
    wait_for_app(ada)
    join(ada, "Ada")
    shown_on(teacher, "Ada")

    box = ada.locator("canvas").first.bounding_box()
    x, y, side = box["x"], box["y"], box["width"]
    stroke(ada, [(x + side / 2, y + side * (0.15 + 0.7 * k / 39)) for k in range(40)], pause_ms=16)
    ada.wait_for_function(
        "label => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => m.innerText.includes(label)"
        " && /^\\d/.test(m.querySelector('[data-testid=stMetricValue]').innerText.trim()))", arg=t("digits.prediction"))
    read = metric_value(ada, t("digits.prediction")).strip()[0]
    ada.locator(".st-key-class_mark").wait_for()  # asked to mark it: the drawing is in the class's database
    shown_on(teacher, f"Ada · {read} · #")  # its caption on the wall: name · reading · #id
    store = Store(database)
    assert store.class_info(code) is not None  # the class is in PostgreSQL, not in a file of either server's
    store.close()
