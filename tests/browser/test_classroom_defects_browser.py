"""Issue 23's defects in headless Chromium, each as a teacher or a student meets it.

Remove acts on the number typed and clicked, not on the last one entered; "Start another class" then "Start a
class" shows the new class; a mark stores the reading the student saw, with the model that made it; a restart of
the server adds no drawing when a student's /digits reconnects. The test process opens the server's own SQLite
file through a Store, to set a class up and to see what the database holds.
"""

import re

import numpy as np
import pytest

from dlplay import i18n
from dlplay.classroom.store import Store

from .helpers import (
    class_server_in,
    join,
    metric_value,
    spawn_streamlit,
    stop,
    stroke,
    wait_for_app,
    wait_healthy,
)

pytestmark = pytest.mark.slow

LANG = "en"
CHANGED_WITHIN_MS = 15_000  # a click's run is done well within this; a defect shows as a timeout, not a hang
FLAGGED_ONE = [(0.3, 0.35), (0.55, 0.15), (0.55, 0.85)]  # a 1 with a long flag: ours reads 1, the tutorial's 7


def t(key, **values):
    return i18n.text(LANG, key, **values)


def database(data_dir) -> Store:
    return Store(f"sqlite:///{data_dir}/dlplay.sqlite3")


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    """(its URL, its data folder): a server of its own, whose database lives in a temporary data folder."""
    folder = tmp_path_factory.mktemp("classroom_defects")
    with class_server_in(folder) as url:
        yield url, folder / "data"


def draw(page, shape) -> str:
    """A stroke through `shape`'s corners (fractions of the pad), then the Prediction metric once it shows a digit."""
    box = page.locator("canvas").first.bounding_box()
    x, y, side = box["x"], box["y"], box["width"]
    points = [(x + side * (a + (c - a) * k / 20), y + side * (b + (d - b) * k / 20))
              for (a, b), (c, d) in zip(shape, shape[1:]) for k in range(20)]
    stroke(page, [*points, (x + side * shape[-1][0], y + side * shape[-1][1])], pause_ms=16)
    page.wait_for_function(
        "label => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => m.innerText.includes(label)"
        " && /^\\d/.test(m.querySelector('[data-testid=stMetricValue]').innerText.trim()))", arg=t("digits.prediction"))
    wait_for_app(page)
    return reading_shown(page)


def reading_shown(page) -> str:
    return metric_value(page, t("digits.prediction")).strip()


def mark(page, verdict: str) -> None:
    """Tap Right or Wrong in the mark control (by its word: its emoji is not read) and wait until it is sent."""
    control = page.locator(".st-key-class_mark")
    control.get_by_role("radio").filter(has_text=t(f"classroom.mark.{verdict}").split()[-1]).click()
    control.get_by_text(t("classroom.mark.sent")).wait_for()
    wait_for_app(page)


def drawings_of(store: Store, code: str, key: str, nickname: str):
    return [d for d in store.drawings(code, key) if d.nickname == nickname]


def test_remove_acts_on_the_number_typed_and_clicked(people, class_server):
    """Three drawings of one student; the teacher types the middle one's № and clicks Remove without Enter or
    Tab: that drawing goes, the others stay, and the screen says so. A № that matches nothing says that."""
    url, data_dir = class_server
    store = database(data_dir)
    invitation = store.start_class()
    code, key = invitation.code, invitation.teacher_key
    ada = store.join(code, "seat-of-ada", "Ada")
    ids = []
    for digit in (3, 5, 8):
        image = np.zeros((28, 28), np.uint8)
        image[4:24, 10 + digit] = 255  # three different pictures: a repeat of the newest is no new drawing
        probabilities = np.full(10, 0.02)
        probabilities[digit] = 0.82
        ids.append(store.add_drawing(code, ada.id, image, digit, 0.82, probabilities, "ours"))
    assert len(set(ids)) == 3
    first, middle, last = sorted(ids)

    teacher = people.page()
    teacher.goto(f"{url}/class?lang={LANG}&class={code}&teacher={key}")  # the teacher's own link
    wait_for_app(teacher)
    teacher.get_by_text(t("classroom.here"), exact=True).wait_for()
    teacher.get_by_text(t("classroom.remove"), exact=True).click()  # the expander
    number = teacher.get_by_role("spinbutton", name="№")
    number.wait_for()
    assert teacher.get_by_role("radio", name=t("classroom.kind.drawing"), exact=True).is_checked()

    number.fill(str(middle))  # typed, and the click comes straight after: no Enter, no Tab
    teacher.get_by_role("button", name=t("classroom.remove_go"), exact=True).click()
    wait_for_app(teacher)  # the click's run is done, its removal with it
    left = sorted(d.id for d in drawings_of(store, code, key, "Ada"))
    assert left == [first, last], f"№ {middle} typed and clicked; {sorted(set(ids) - set(left))} removed"
    said = t("classroom.removed", what=t("classroom.kind.drawing"), n=middle)
    teacher.get_by_text(said).wait_for(timeout=CHANGED_WITHIN_MS)

    nothing = last + 1000
    number.fill(str(nothing))
    teacher.get_by_role("button", name=t("classroom.remove_go"), exact=True).click()
    said = t("classroom.remove_none", what=t("classroom.kind.drawing"), n=nothing)
    teacher.get_by_text(said).wait_for(timeout=CHANGED_WITHIN_MS)
    assert sorted(d.id for d in drawings_of(store, code, key, "Ada")) == [first, last]
    teacher.close()
    store.close()


def test_start_another_class_then_start_shows_the_new_class(people, class_server):
    """Start, End, "Start another class", "Start a class": the screen is the new class's, with a new code."""
    url, _ = class_server
    teacher = people.page()
    teacher.goto(f"{url}/class?lang={LANG}")
    wait_for_app(teacher)
    teacher.get_by_role("button", name=t("classroom.start")).click()
    teacher.get_by_text(t("classroom.here"), exact=True).wait_for()
    first = metric_value(teacher, t("classroom.code"))

    teacher.get_by_role("button", name=t("classroom.end")).click()  # the popover
    teacher.get_by_role("button", name=t("classroom.end_go")).click()
    teacher.get_by_role("button", name=t("classroom.another")).click()
    teacher.get_by_role("button", name=t("classroom.start")).click()
    # The new class's screen: its code (an ended class shows none). Before the fix: the old code's "not yours".
    teacher.wait_for_function(
        "([label, old]) => [...document.querySelectorAll('[data-testid=stMetric]')].some(m =>"
        " m.innerText.includes(label) && m.querySelector('[data-testid=stMetricValue]').innerText.trim() !== old)",
        arg=[t("classroom.code"), first], timeout=CHANGED_WITHIN_MS)
    wait_for_app(teacher)
    second = metric_value(teacher, t("classroom.code"))
    assert second != first
    assert teacher.get_by_text(t("classroom.here"), exact=True).is_visible()
    assert f"class={second}" in teacher.url
    teacher.close()


def test_a_mark_stores_the_reading_the_student_saw(people, class_server):
    """Bea draws a flagged 1 with "ours", switches to the tutorial's model, waits for its reading and taps Right:
    the database's drawing holds that reading and that model, whatever the first model read."""
    url, data_dir = class_server
    store = database(data_dir)
    invitation = store.start_class()
    code, key = invitation.code, invitation.teacher_key

    bea = people.page()
    bea.goto(f"{url}/digits?lang={LANG}&class={code}")
    wait_for_app(bea)
    join(bea, "Bea")
    first = draw(bea, FLAGGED_ONE)
    bea.locator(".st-key-class_mark").get_by_text(t("classroom.mark.ask", reading=first)).wait_for()

    bea.get_by_role("radio", name=t("digits.model.tutorial"), exact=True).click()
    # The new reading: the switch is on, the address says so, and the mark asks about the reading on show.
    bea.wait_for_function(
        "([label, model, ask]) => {"
        " const metric = [...document.querySelectorAll('[data-testid=stMetric]')]"
        "   .find(m => m.innerText.includes(label));"
        " const value = metric && metric.querySelector('[data-testid=stMetricValue]').innerText.trim();"
        " const control = document.querySelector('.st-key-class_mark');"
        " return location.search.includes('model=' + model) && /^\\d$/.test(value || '')"
        "   && control !== null && control.innerText.includes(ask.replace('{reading}', value)); }",
        arg=[t("digits.prediction"), "tutorial", t("classroom.mark.ask", reading="{reading}")])
    wait_for_app(bea)
    assert bea.get_by_role("radio", name=t("digits.model.tutorial"), exact=True).is_checked()
    shown = reading_shown(bea)
    bea.locator(".st-key-class_mark").get_by_text(t("classroom.mark.ask", reading=shown)).wait_for()
    mark(bea, "right")
    assert reading_shown(bea) == shown  # what was on screen at the tap

    marked = [(d.reading, d.model, d.marked_right, d.label)
              for d in drawings_of(store, code, key, "Bea") if d.marked_right is not None]
    assert marked == [(int(shown), "tutorial", True, int(shown))], f"ours read {first}, the tutorial's {shown}"
    bea.close()
    store.close()


# Every change of the page's connection or script state, in order, from the moment this runs.
WATCH_STATES = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  window.dlplayStates = [];
  new MutationObserver(() => window.dlplayStates.push(
      app.dataset.testConnectionState + '/' + app.dataset.testScriptState))
    .observe(app, {attributes: true, attributeFilter: ['data-test-connection-state', 'data-test-script-state']});
}"""
# Since WATCH_STATES: the connection was lost, the page connected again and ran its script, and that run is done.
RAN_AGAIN = """() => {
  const states = window.dlplayStates, lost = states.findIndex(s => !s.startsWith('CONNECTED/'));
  const app = document.querySelector('[data-testid=stApp]');
  return lost >= 0 && states.slice(lost).includes('CONNECTED/running')
    && app.dataset.testConnectionState === 'CONNECTED' && app.dataset.testScriptState === 'notRunning';
}"""


def test_a_restart_of_the_server_adds_no_drawing(people, tmp_path, monkeypatch):
    """Cy draws and marks it right; the server stops and starts again on the same port and data folder. Her
    /digits reconnects by itself and runs again; she goes on with it (turns "Inside the network" on), and the
    page reads her drawing, still on the pad, again; then she reloads it. She still has one drawing, marked right.

    The first run after the reconnection reads no drawing (the pad's value, sent back by the browser, reaches
    the page only once the pad is drawn in that run); the next run of the page reads it and sends it again:
    before the fix, each such page added the drawing again, unmarked."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DLPLAY_DATA_DIR", str(data_dir))
    monkeypatch.delenv("DLPLAY_DATABASE_URL", raising=False)
    store = database(data_dir)
    invitation = store.start_class()
    code, key = invitation.code, invitation.teacher_key

    with (tmp_path / "streamlit.log").open("w") as log:
        url, process = spawn_streamlit(log)
        cy = None
        try:
            wait_healthy(url, process)
            cy = people.page()
            cy.goto(f"{url}/digits?lang={LANG}&class={code}")
            wait_for_app(cy)
            join(cy, "Cy")
            shown = draw(cy, FLAGGED_ONE)
            mark(cy, "right")
            before = drawings_of(store, code, key, "Cy")
            assert [d.marked_right for d in before] == [True]

            cy.evaluate(WATCH_STATES)
            stop(process)
            cy.wait_for_function("() => document.querySelector('[data-testid=stApp]')"
                                 ".dataset.testConnectionState !== 'CONNECTED'")
            url_again, process = spawn_streamlit(log, port=int(url.rsplit(":", 1)[1]))
            assert url_again == url
            wait_healthy(url, process)
            cy.wait_for_function(RAN_AGAIN)  # Streamlit's own retries, no reload
            cy.locator(".st-key-class_badge").get_by_text(re.compile(r"· Cy ·")).wait_for()
            cy.locator(".st-key-class_mark").wait_for()  # the drawing still on the pad is read again, by itself
            wait_for_app(cy)
            assert reading_shown(cy) == shown
            after = drawings_of(store, code, key, "Cy")
            assert [(d.id, d.marked_right) for d in after] == [(before[0].id, True)]

            cy.get_by_text(t("digits.inside"), exact=True).click()  # a run of the whole page
            read_again = cy.locator(".st-key-class_mark")  # the drawing on the pad, read and sent again
            read_again.wait_for()
            wait_for_app(cy)
            assert reading_shown(cy) == shown
            after = drawings_of(store, code, key, "Cy")
            assert [(d.id, d.marked_right) for d in after] == [(before[0].id, True)]

            cy.reload()  # what a student does when the page looks stuck
            wait_for_app(cy)
            cy.locator(".st-key-class_badge").get_by_text(re.compile(r"· Cy ·")).wait_for()
            after = drawings_of(store, code, key, "Cy")
            assert [(d.id, d.marked_right) for d in after] == [(before[0].id, True)]
        finally:
            if cy is not None:
                cy.close()
            stop(process)
            store.close()
