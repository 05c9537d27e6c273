"""The teacher's screen on a projector (1280 × 720, presentation mode) in headless Chromium: once a student has
joined, the wall is on the first screen in tiles read from the back of the room, each wearing its mark, and the
confusions are written large; the wall alone fills the screen and a reload keeps it; two screens of one teacher
show one lock.

The students' own pages are test_classroom_browser.py's: here they join, draw and mark through a store on the
server's database (in a temporary folder), so that each check costs a teacher's page, not a phone each.
"""

import io

import numpy as np
import pytest
from PIL import Image

from dlplay import colours, i18n

from .helpers import SHOWN_WITHIN_MS, class_server_in, metric_value, wait_for_app, wait_until_still

pytestmark = pytest.mark.slow

LANG = "en"
PROJECTOR = {"width": 1280, "height": 720}
TILE = ".st-key-classroom_wall [data-testid=stImage] img"
TILE_ALONE = ".st-key-classroom_wall_alone [data-testid=stImage] img"


def t(key, **values):
    return i18n.text(LANG, key, **values)


@pytest.fixture(scope="module")
def class_url(tmp_path_factory):
    with class_server_in(tmp_path_factory.mktemp("wall")) as url:
        yield url


@pytest.fixture(scope="module")
def students(class_url):
    """The students' side: a store on the server's database (made by the server's first class)."""
    from dlplay.classroom import schema
    from dlplay.classroom.limits import RateLimiter
    from dlplay.classroom.store import Store

    store = Store(schema.database_url(), limiter=RateLimiter({}))
    yield store
    store.close()


def teacher_page(people, viewport=PROJECTOR):
    return people.page(viewport["width"], viewport["height"])


def start_class(page, class_url) -> str:
    page.goto(f"{class_url}/class?lang={LANG}&present=1")
    wait_for_app(page)
    page.get_by_role("button", name=t("classroom.start")).click()
    page.get_by_text(t("classroom.here"), exact=True).wait_for()
    return metric_value(page, t("classroom.code"))


def draws(store, code: str, nickname: str, right: bool) -> None:
    """A student joins, draws a 1, and marks the reading right (a 1) or wrong (a 7; they meant 1)."""
    student = store.join(code, f"seat-{nickname}", nickname)
    image = np.zeros((28, 28), np.uint8)
    image[5:23, 13:16] = 255
    drawing = store.add_drawing(code, student.id, image, 1 if right else 7, 0.9, [0.1] * 10, "ours")
    store.mark_drawing(code, student.id, drawing, right, None if right else 1)


def frame_of(tile) -> tuple[int, int, int]:
    """The colour at the middle of a tile's left edge, as the screen shows it."""
    shown = Image.open(io.BytesIO(tile.screenshot())).convert("RGB")
    return shown.getpixel((2, shown.height // 2))


def near(colour: tuple[int, int, int], hex_colour: str, tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, bytes.fromhex(hex_colour[1:])))


def test_the_wall_is_on_the_projectors_first_screen_in_tiles_read_from_the_back(people, class_url, students):
    teacher = teacher_page(people)
    code = start_class(teacher, class_url)
    teacher.locator(".st-key-classroom_invitation").wait_for()  # large, to scan, while nobody has joined

    draws(students, code, "Ada", right=True)
    teacher.locator(".st-key-classroom_invitation_line").wait_for(timeout=SHOWN_WITHIN_MS)  # then one line
    teacher.locator(TILE).first.wait_for(timeout=SHOWN_WITHIN_MS)
    wait_until_still(teacher)
    tile = teacher.locator(TILE).first
    box = tile.bounding_box()
    assert box["y"] + box["height"] <= PROJECTOR["height"] and box["width"] >= 150, box
    assert near(frame_of(tile), colours.RIGHT)  # the mark on the picture itself ...
    caption = teacher.locator(".st-key-classroom_wall [data-testid=stCaptionContainer]").first
    assert "Ada · 1 ✓" in caption.inner_text()  # ... and in words, not by colour alone
    size, opacity = caption.evaluate("e => [getComputedStyle(e).fontSize, getComputedStyle(e).opacity]")
    assert float(size.removesuffix("px")) >= 18 and opacity == "1"

    counts = teacher.locator(".js-plotly-plot .heatmap-label text")
    counts.first.wait_for()
    assert counts.all_text_contents() == ["1✓"]  # written once, with its ✓, large enough for the back of a room
    assert float(counts.first.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) >= 20
    teacher.close()


def test_the_wall_alone_fills_the_screen_and_a_reload_keeps_it(people, class_url, students):
    teacher = teacher_page(people)
    code = start_class(teacher, class_url)
    draws(students, code, "Bo", right=False)
    teacher.locator(TILE).first.wait_for(timeout=SHOWN_WITHIN_MS)
    teacher.get_by_role("button", name=t("classroom.wall_only")).click()
    teacher.locator(TILE_ALONE).first.wait_for()
    teacher.wait_for_url("**wall=1**")
    teacher.reload()
    again = teacher.context.new_page()  # the link in a second tab: the wall alone too
    again.set_viewport_size(teacher.viewport_size)
    again.goto(teacher.url)
    for page in (teacher, again):
        wait_for_app(page)
        tile = page.locator(TILE_ALONE).first
        tile.wait_for()
        wait_until_still(page, TILE_ALONE)
        assert tile.bounding_box()["width"] >= 250 and near(frame_of(tile), colours.WRONG)
        assert page.get_by_text(t("classroom.here"), exact=True).count() == 0
        assert metric_value(page, t("classroom.code")) == code  # the code line stays, for latecomers

    page.get_by_role("button", name=t("classroom.wall_back")).click()
    page.get_by_text(t("classroom.here"), exact=True).wait_for()
    page.wait_for_function("() => !location.search.includes('wall=')")
    teacher.close()


def test_two_screens_of_one_teacher_show_one_lock(people, class_url):
    """Locked on one screen, the other's switch says so within a refresh (it kept its own state before)."""
    from playwright.sync_api import expect

    first = teacher_page(people, {"width": 1400, "height": 1000})
    code = start_class(first, class_url)
    second = first.context.new_page()
    second.goto(f"{class_url}/class?lang={LANG}&class={code}")
    wait_for_app(second)
    lock = [page.get_by_role("switch", name=t("classroom.lock")) for page in (first, second)]
    expect(lock[1]).not_to_be_checked()
    first.get_by_text(t("classroom.lock"), exact=True).click()  # the switch's label: its input is hidden
    expect(lock[0]).to_be_checked()
    expect(lock[1]).to_be_checked(timeout=SHOWN_WITHIN_MS)
    second.get_by_text(t("classroom.lock"), exact=True).click()
    expect(lock[0]).not_to_be_checked(timeout=SHOWN_WITHIN_MS)
    first.close()
