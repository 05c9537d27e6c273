"""A class in headless Chromium: one teacher and three students, each in a Chromium profile of their own.

The students join (by the class link, and by typing the code on /class), draw and mark a reading wrong,
train the smallest run, send a sentence the model read wrong; the teacher's screen shows each within 5 s.
Teaching the class model runs, and the student on /digits is then offered "our class's model". A student
who knows the code cannot open the teacher's screen. The server keeps its database in a temporary folder.
"""

import re

import pytest

from dlplay import i18n

from .helpers import (
    SHOWN_WITHIN_MS,
    class_server_in,
    join,
    metric_value,
    shown_on,
    stroke,
    wait_for_app,
)

pytestmark = pytest.mark.slow

LANG = "en"


def t(key, **values):
    return i18n.text(LANG, key, **values)


@pytest.fixture(scope="module")
def class_url(tmp_path_factory):
    with class_server_in(tmp_path_factory.mktemp("classroom")) as url:
        yield url


def test_a_class_of_three_and_its_teacher(people, class_url):
    teacher, ada, bo, cy = (people.page() for _ in range(4))

    teacher.goto(f"{class_url}/class?lang={LANG}")  # the fresh server's first visitor (test_first_visit_browser.py)
    wait_for_app(teacher)
    teacher.get_by_role("button", name=t("classroom.start")).click()
    teacher.get_by_text(t("classroom.here"), exact=True).wait_for()
    code = metric_value(teacher, t("classroom.code"))
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    assert teacher.locator("[data-testid=stCode]").first.inner_text().strip().endswith(f"/digits?class={code}")

    # Ada joins by the link and draws; the reading is wrong, she says so and gives the digit.
    ada.goto(f"{class_url}/digits?lang={LANG}&class={code}")
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
    meant = "7" if read != "7" else "4"
    mark = ada.locator(".st-key-class_mark")
    mark.get_by_role("radio").filter(has_text=t("classroom.mark.wrong").split()[-1]).click()  # its emoji is not read
    mark.get_by_role("radio", name=meant, exact=True).click()
    mark.get_by_text(t("classroom.mark.sent")).wait_for()
    wait_for_app(ada)
    shown_on(teacher, f"Ada · {read} ✗ → {meant}")
    shown_on(teacher, t("classroom.wrong_digit", digit=meant, n=1))

    # Cy types the code on /class, joins, and sends a sentence the model read wrong from /text.
    cy.goto(f"{class_url}/class?lang={LANG}")
    wait_for_app(cy)
    cy.get_by_role("textbox", name=t("classroom.join_code")).fill(code.lower())
    cy.get_by_role("button", name=t("classroom.join_go")).click()  # one tap, the keyboard still up
    cy.get_by_role("button", name=t("classroom.join.go")).wait_for()
    join(cy, "Cy")
    cy.get_by_role("link", name=t("page.text")).click()
    wait_for_app(cy)
    box = cy.get_by_label(t("text.input"))
    box.fill("the plot was not bad at all")
    box.press("Enter")
    wait_for_app(cy)
    cy.get_by_role("button", name=t("classroom.text.wrong")).click()
    cy.get_by_text(t("classroom.shared.text")).wait_for()
    shown_on(teacher, "the plot was not bad at all")

    # Bo trains the smallest run; it lands on the leaderboard.
    bo.goto(f"{class_url}/digits-training?lang={LANG}&class={code}&train_size=1000&epochs=1")
    wait_for_app(bo)
    join(bo, "Bo")
    bo.get_by_role("button", name=t("digits_training.train"), exact=True).click()
    bo.get_by_text(t("classroom.shared.run", code=code)).wait_for(timeout=300_000)
    accuracy = metric_value(bo, t("digits_training.test_accuracy"))
    shown_on(teacher, "Bo")
    # The grid fills its accessible copy after it draws: wait for the leaderboard's, then count.
    teacher.wait_for_function("() => { const grids = document.querySelectorAll('[data-testid=stDataFrame]');"
                              " return (grids[1]?.textContent || '').includes('Bo')"
                              " && ['Ada', 'Bo', 'Cy'].every(n => (grids[0]?.textContent || '').includes(n)); }",
                              timeout=SHOWN_WITHIN_MS)
    assert teacher.locator("[data-testid=stDataFrame]").nth(1).text_content().count("Bo") == 1
    who = teacher.locator("[data-testid=stDataFrame]").first.text_content()
    assert all(name in who for name in ("Ada", "Bo", "Cy")), who
    assert accuracy.endswith("%")

    # A student who knows the code cannot open the teacher's screen.
    bo.goto(f"{class_url}/class?lang={LANG}&class={code}")
    wait_for_app(bo)
    assert bo.get_by_text(t("classroom.not_teacher", code=code)).is_visible()
    assert bo.get_by_text(t("classroom.here"), exact=True).count() == 0
    assert bo.get_by_role("button", name=t("classroom.end")).count() == 0

    # The teacher teaches the class model; Ada, still drawing on /digits, is offered it.
    teacher.get_by_role("button", name=t("classroom.model_go", n=1)).click()
    teacher.get_by_text(t("classroom.model_offered")).wait_for(timeout=600_000)
    offered = re.compile(re.escape(t("classroom.model.use", n=1, accuracy=0.5).split("(")[0]))
    ada.get_by_text(offered).wait_for(timeout=30_000)
    assert ada.get_by_role("switch", name=offered).is_checked()


def test_the_teacher_stays_the_teacher_through_a_reload_and_a_second_tab(people, class_url):
    """The teacher's key lives in the teacher's browser (a cookie), never in the address bar: a reload and a
    second tab find the teacher's screen; /class alone offers the way back; another browser with the same
    address is not the teacher."""
    teacher = people.page()
    teacher.goto(f"{class_url}/class?lang={LANG}")
    wait_for_app(teacher)
    teacher.get_by_role("button", name=t("classroom.start")).click()
    teacher.get_by_text(t("classroom.here"), exact=True).wait_for()
    code = metric_value(teacher, t("classroom.code"))
    assert "teacher=" not in teacher.url and f"class={code}" in teacher.url

    teacher.reload()
    wait_for_app(teacher)
    teacher.get_by_text(t("classroom.here"), exact=True).wait_for()
    assert metric_value(teacher, t("classroom.code")) == code
    assert teacher.get_by_role("button", name=t("classroom.start")).count() == 0

    second = teacher.context.new_page()
    second.goto(f"{class_url}/class?lang={LANG}&class={code}")
    wait_for_app(second)
    second.get_by_text(t("classroom.here"), exact=True).wait_for()
    assert metric_value(second, t("classroom.code")) == code

    third = teacher.context.new_page()
    third.goto(f"{class_url}/class?lang={LANG}")
    wait_for_app(third)
    third.get_by_role("button", name=t("classroom.back_to", code=code)).click()
    third.get_by_text(t("classroom.here"), exact=True).wait_for()
    assert metric_value(third, t("classroom.code")) == code

    stranger = people.page()
    stranger.goto(f"{class_url}/class?lang={LANG}&class={code}")
    wait_for_app(stranger)
    stranger.get_by_text(t("classroom.not_teacher", code=code)).wait_for()
    assert stranger.get_by_text(t("classroom.here"), exact=True).count() == 0
    for page in (teacher, second, third, stranger):
        page.close()


def test_one_browser_cannot_fill_the_server_with_classes(people, class_url):
    """A student's phone that presses Start in tab after tab is refused, in words, once it holds as many open
    classes as one browser may; the refusal is not the server's cap."""
    from dlplay.classroom.limits import MAX_CLASSES_PER_BROWSER

    phone = people.page(390, 844, has_touch=True).context
    codes = []
    for _ in range(MAX_CLASSES_PER_BROWSER + 1):
        tab = phone.new_page()
        tab.set_viewport_size({"width": 390, "height": 844})
        tab.set_default_timeout(60_000)
        tab.goto(f"{class_url}/class?lang={LANG}")
        wait_for_app(tab)
        tab.get_by_role("button", name=t("classroom.start")).click()
        wait_for_app(tab)
        if len(codes) < MAX_CLASSES_PER_BROWSER:
            tab.get_by_text(t("classroom.here"), exact=True).wait_for()
            codes.append(metric_value(tab, t("classroom.code")))
    tab.get_by_text(t("classroom.error.too_many_yours")).wait_for()
    assert tab.get_by_text(t("classroom.here"), exact=True).count() == 0
    assert len(set(codes)) == MAX_CLASSES_PER_BROWSER


def test_a_students_seat_lives_in_their_browser_not_in_a_link(people, class_url):
    """Ada joins; her address bar holds no seat, and whoever opens her page's address (or a seat made up) gets
    the join form, not Ada. A reload and a new tab of her browser find her badge with no form; Leave forgets the
    seat, so the next one at her browser is not her."""
    teacher = people.page()
    teacher.goto(f"{class_url}/class?lang={LANG}")
    wait_for_app(teacher)
    teacher.get_by_role("button", name=t("classroom.start")).click()
    teacher.get_by_text(t("classroom.here"), exact=True).wait_for()
    code = metric_value(teacher, t("classroom.code"))

    ada = people.page()
    ada.goto(f"{class_url}/digits?lang={LANG}&class={code}")
    wait_for_app(ada)
    join(ada, "Ada")
    assert "seat" not in ada.url
    badge = ada.locator(".st-key-class_badge").get_by_text(re.compile(r"· Ada ·"))

    eve = people.page()
    for address in (ada.url, f"{class_url}/digits?lang={LANG}&class={code}&seat=guessed"):
        eve.goto(address)
        wait_for_app(eve)
        eve.get_by_role("button", name=t("classroom.join.go")).wait_for()
        assert eve.locator(".st-key-class_badge").count() == 0

    ada.reload()
    wait_for_app(ada)
    badge.wait_for()
    assert ada.get_by_role("button", name=t("classroom.join.go")).count() == 0
    tab = ada.context.new_page()
    tab.goto(f"{class_url}/text?lang={LANG}&class={code}")
    wait_for_app(tab)
    tab.locator(".st-key-class_badge").get_by_text(re.compile(r"· Ada ·")).wait_for()
    shown_on(teacher, "Ada")
    assert metric_value(teacher, t("classroom.here_count")).startswith("1 ")  # one Ada, however many tabs

    tab.get_by_role("button", name=t("classroom.badge.leave")).click()
    tab.wait_for_function("() => !location.search.includes('class=')")
    wait_for_app(tab)
    ada.goto(f"{class_url}/digits?lang={LANG}&class={code}")  # the cookie is forgotten by now
    wait_for_app(ada)
    ada.get_by_role("button", name=t("classroom.join.go")).wait_for()
    for page in (teacher, ada, tab, eve):
        page.close()
