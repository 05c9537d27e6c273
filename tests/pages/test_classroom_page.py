"""The class through AppTest: the teacher starts one (code, link, QR), students join from a class link and wear
its badge on every lesson page, what they send reaches the teacher's screen, the screen is the teacher's alone,
and outside a class nothing is written. In both languages; a temporary data folder for the database."""

import pytest

import ui.student
from dlplay import i18n
from dlplay.plain import plain

from .conftest import assert_healthy, open_page

PAGE = "pages/classroom.py"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """A fresh database for each test, in a temporary data folder."""
    from dlplay.classroom import store

    monkeypatch.setenv("DLPLAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DLPLAY_DATABASE_URL", raising=False)
    store.shared_store.cache_clear()
    yield tmp_path / "data"
    if store.shared_store.cache_info().currsize:
        store.shared_store().close()
    store.shared_store.cache_clear()


def new_class():
    from dlplay import classroom

    return classroom.shared_store().start_class()


def teacher_page(invitation, lang="en"):
    return open_page(PAGE, lang, **{"class": invitation.code, "teacher": invitation.teacher_key})


def joined(page: str, invitation, lang="en", nickname="Ada"):
    """A student who opened `page` from the class link and joined with `nickname`."""
    at = open_page(page, lang, **{"class": invitation.code})
    at.text_input(key="_class.nickname").input(nickname).run()
    at.button(key="_class.join").click().run()
    assert_healthy(at)
    return at


def badge(lang, code, nickname) -> str:
    return "🏫 " + i18n.text(lang, "classroom.badge", code=code, nickname=plain(nickname, 20))


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_starting_a_class_shows_its_code_link_and_qr_code(lang, data_dir):
    at = open_page(PAGE, lang)
    assert_healthy(at)
    assert not data_dir.exists()  # opening the page writes nothing; starting a class does
    at.button(key="classroom.start").click().run()
    assert_healthy(at)
    code = at.metric[0].value
    assert at.metric[0].label == i18n.text(lang, "classroom.code") and len(code) == 6
    links = [c.value for c in at.code]
    assert links[0].endswith(f"/digits?class={code}")
    teacher_key = at.session_state["classroom.teacher"]["key"]
    assert links[1].endswith(f"/class?class={code}&teacher={teacher_key}")
    assert code not in teacher_key and len(teacher_key) >= 32
    assert [s.value for s in at.subheader] == [i18n.text(lang, f"classroom.{k}") for k in
                                               ("here", "wall", "model", "runs", "texts", "poll")]
    assert (data_dir / "dlplay.sqlite3").exists()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_student_joins_from_the_link_and_wears_the_badge_on_every_lesson_page(lang):
    invitation = new_class()
    at = open_page("pages/digits.py", lang, **{"class": invitation.code})
    assert_healthy(at)
    assert any(i18n.text(lang, "classroom.join.title", code=invitation.code) in m.value for m in at.markdown)
    assert not any(c.value.startswith("🏫") for c in at.caption)  # nothing shared before joining
    at.text_input(key="_class.nickname").input("Ada").run()
    at.button(key="_class.join").click().run()
    assert_healthy(at)
    shared = i18n.text(lang, "classroom.shares.digits")
    assert badge(lang, invitation.code, "Ada") + " · " + shared in [c.value for c in at.caption]
    assert at.query_params["class"] == invitation.code and "seat" not in at.query_params  # a link is no one
    at.switch_page("pages/text.py").run()
    assert_healthy(at)
    shared = i18n.text(lang, "classroom.shares.text")
    assert badge(lang, invitation.code, "Ada") + " · " + shared in [c.value for c in at.caption]

    teacher = teacher_page(invitation, lang)
    assert_healthy(teacher)
    here = teacher.dataframe[0].value
    assert list(here[i18n.text(lang, "classroom.col.name")]) == ["Ada"]
    assert list(here[i18n.text(lang, "classroom.col.page")]) == [i18n.text(lang, "page.text")]


def test_a_student_without_a_nickname_is_numbered_and_markup_in_one_shows_as_typed():
    invitation = new_class()
    at = open_page("pages/xor.py", "zh", **{"class": invitation.code})
    at.button(key="_class.join").click().run()
    assert badge("zh", invitation.code, "学生 1") in at.caption[0].value
    at = joined("pages/activations.py", invitation, nickname="**Bo** [x](http://e)")
    assert badge("en", invitation.code, "**Bo** [x](http://e)") in at.caption[0].value
    assert "\\*\\*Bo\\*\\*" in at.caption[0].value


def test_a_seat_link_is_no_one_and_the_seat_this_browser_holds_brings_the_student_back(monkeypatch):
    """An earlier version's `&seat=` link, or anyone's made-up one, shows the join form; the seat in this
    browser's cookie (set when the student joined; AppTest has no cookies, so the lookup stands in) is the way
    back, with no form."""
    invitation = new_class()
    at = joined("pages/digits.py", invitation)
    seat = at.session_state["_class.member"]["seat"]
    stranger = open_page("pages/digits.py", "en", **{"class": invitation.code, "seat": seat})
    assert_healthy(stranger)
    assert "_class.member" not in stranger.session_state and stranger.text_input(key="_class.nickname")
    assert "seat" not in stranger.query_params

    monkeypatch.setattr(ui.student, "cookie", {ui.student.SEAT_COOKIE + invitation.code: seat}.get)
    again = open_page("pages/digits.py", "en", **{"class": invitation.code})
    assert_healthy(again)
    assert again.session_state["_class.member"]["id"] == at.session_state["_class.member"]["id"]
    assert not again.text_input  # and the badge, which /digits shows under the reading
    assert any(badge("en", invitation.code, "Ada") in caption.value for caption in again.caption)


def test_outside_a_class_nothing_is_shared_or_written(data_dir):
    for page in ("pages/digits.py", "pages/text.py", "pages/digits_training.py"):
        at = open_page(page, "en")
        assert_healthy(at)
        assert not any(c.value.startswith("🏫") for c in at.caption)
        assert not any(b.key and b.key.startswith("_class.") for b in at.button)
    assert not data_dir.exists()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_teachers_screen_is_the_teachers_alone(lang):
    invitation = new_class()
    student = open_page(PAGE, lang, **{"class": invitation.code})
    assert_healthy(student)
    assert [w.value for w in student.warning] == [i18n.text(lang, "classroom.not_teacher", code=invitation.code)]
    assert not student.subheader and not student.metric and not student.code
    guessed = open_page(PAGE, lang, **{"class": invitation.code, "teacher": "x" * 32})
    assert not guessed.subheader and guessed.warning
    teacher = teacher_page(invitation, lang)
    assert teacher.metric[0].value == invitation.code
    assert "teacher" not in teacher.query_params  # never left in the address bar a projector shows


def test_a_drawing_reaches_the_wall_and_a_mark_the_class_confusions():
    from dlplay.digits.strokes import HANDS, transform

    invitation = new_class()
    at = joined("pages/digits.py", invitation)
    strokes = [[round(float(v), 1) for v in path.ravel()] for path in transform(HANDS[3][0], 200, (140, 140))]
    at.session_state["digits.canvas"] = {"drawing": {"strokes": strokes, "live": False, "n": 7}}
    at.run()
    assert_healthy(at)
    assert at.metric[0].value == "3"
    drawing = at.session_state["_class.drawing"]
    mark = f"_class.mark.{drawing['id']}"
    at.button_group(key=mark).set_value("wrong").run()
    at.button_group(key=f"{mark}.label").set_value(8).run()
    assert_healthy(at)
    at.run()  # the same drawing again (a rerun): not sent twice
    assert at.session_state["_class.drawing"] == drawing

    teacher = teacher_page(invitation)
    assert_healthy(teacher)
    captions = [caption for image in teacher.image for caption in image.captions]
    assert f"Ada · 3 ✗ → 8 · #{drawing['id']}" in captions
    assert f"3 (#{drawing['id']})" in captions  # among the wrong ones, under the 8
    from dlplay import classroom

    confusion = classroom.shared_store().confusion(invitation.code, invitation.teacher_key)
    assert confusion[8, 3] == 1 and confusion.sum() == 1


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_sentence_read_wrong_goes_to_fool_the_model(lang):
    invitation = new_class()
    at = joined("pages/text.py", invitation, lang)
    at.button(key="_class.text_wrong").click().run()
    assert_healthy(at)
    assert "🏫 " + i18n.text(lang, "classroom.shared.text") in [c.value for c in at.caption]
    teacher = teacher_page(invitation, lang)
    texts = next(d.value for d in teacher.dataframe if i18n.text(lang, "classroom.col.sentence") in d.value.columns)
    assert list(texts[i18n.text(lang, "classroom.col.sentence")]) == [i18n.text(lang, "text.example")]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_poll_asked_reaches_the_students_and_their_answers_the_teacher(lang):
    invitation = new_class()
    student = joined("pages/activations.py", invitation, lang)
    teacher = teacher_page(invitation, lang)
    teacher.selectbox(key="classroom.poll_pick").set_value("not_good").run()
    teacher.button(key="classroom.ask").click().run()
    assert_healthy(teacher)
    student.run()
    question = i18n.text(lang, "classroom.poll.q.not_good")
    assert any(plain(question, 200) in m.value for m in student.markdown)
    answer = next(b for b in student.button_group if b.key.startswith("_class.poll."))
    answer.set_value(1).run()
    assert_healthy(student)
    teacher.run()
    assert i18n.text(lang, "classroom.poll_answers", n=1) in [c.value for c in teacher.caption]
    teacher.button(key="classroom.reveal").click().run()
    shares = next(d.value for d in teacher.dataframe if i18n.text(lang, "classroom.col.share") in d.value.columns)
    assert list(shares[i18n.text(lang, "classroom.col.answers")]) == [0, 1]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_database_that_cannot_be_written_is_said_on_the_teachers_page_and_lessons_go_on(lang, monkeypatch):
    from dlplay import classroom
    from dlplay.classroom.store import Store

    invitation = new_class()
    student = joined("pages/text.py", invitation, lang)

    def refuse(*args, **kwargs):
        raise classroom.ClassError("readonly")

    monkeypatch.setattr(Store, "add_text", refuse)
    student.button(key="_class.text_wrong").click().run()
    assert_healthy(student)
    assert student.metric[0].label == i18n.text(lang, "text.sentiment")  # the lesson works
    teacher = teacher_page(invitation, lang)
    why = i18n.text(lang, "classroom.error.readonly")
    assert i18n.text(lang, "classroom.students_failed", why=why) in [e.value for e in teacher.error]
    monkeypatch.setattr(Store, "screen", refuse)  # what the screen reads every 2 s
    teacher.run()
    assert why in [e.value for e in teacher.error]


def test_the_teacher_hides_nicknames_locks_removes_and_ends():
    invitation = new_class()
    ada, bo = joined("pages/activations.py", invitation), joined("pages/activations.py", invitation, nickname="Bo")
    teacher = teacher_page(invitation)
    teacher.toggle(key="classroom.hide").set_value(True).run()
    assert list(teacher.dataframe[0].value["Nickname"]) == ["Student 1", "Student 2"]
    teacher.toggle(key="classroom.locked").set_value(True).run()
    assert_healthy(teacher)
    late = open_page("pages/activations.py", "en", **{"class": invitation.code})
    late.button(key="_class.join").click().run()
    assert i18n.text("en", "classroom.error.no_class") in [w.value for w in late.warning]  # as a wrong code
    assert "_class.member" not in late.session_state

    teacher.segmented_control(key="classroom.remove_kind").set_value("student").run()
    here = teacher.dataframe[0].value  # Bo as the screen numbers him: his № is the n of his "Student n"
    assert list(here["№"]) == [1, 2]
    teacher.number_input(key="classroom.remove_id").set_value(2).run()
    teacher.button(key="classroom.remove_go").click().run()
    assert list(teacher.dataframe[0].value["Nickname"]) == ["Student 1"]
    bo.run()
    assert i18n.text("en", "classroom.badge.gone", code=invitation.code) in [i.value for i in bo.info]

    teacher.button(key="classroom.end_go").click().run()
    assert_healthy(teacher)
    assert i18n.text("en", "classroom.ended") in [i.value for i in teacher.info]
    ada.run()
    assert i18n.text("en", "classroom.badge.ended", code=invitation.code) in [i.value for i in ada.info]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_remove_takes_the_number_typed_with_the_click_and_says_what_it_did(lang):
    """A number typed and Remove clicked at once (no Enter): that entry goes, not the one the form held when it
    was drawn; a number that matches nothing says so and removes nothing."""
    import numpy as np

    from dlplay import classroom

    invitation = new_class()
    store = classroom.shared_store()
    ada = store.join(invitation.code, "seat-ada", "Ada")
    ids = [store.add_drawing(invitation.code, ada.id, np.full((28, 28), k, np.uint8), 7, 0.9, [0.1] * 10, "ours")
           for k in range(5)]
    teacher = teacher_page(invitation, lang)
    teacher.number_input(key="classroom.remove_id").set_value(ids[2])
    teacher.button(key="classroom.remove_go").click().run()
    assert_healthy(teacher)
    assert sorted(d.id for d in store.drawings(invitation.code, invitation.teacher_key)) == ids[:2] + ids[3:]
    drawing = i18n.text(lang, "classroom.kind.drawing")
    said = i18n.text(lang, "classroom.removed", what=drawing, n=ids[2])
    assert [m.value for m in teacher.markdown if said in m.value] == ["🧹 " + said]  # beside its picture and Undo

    teacher.number_input(key="classroom.remove_id").set_value(ids[-1] + 100)
    teacher.button(key="classroom.remove_go").click().run()
    assert i18n.text(lang, "classroom.remove_none", what=drawing, n=ids[-1] + 100) in [w.value for w in teacher.warning]
    assert len(store.drawings(invitation.code, invitation.teacher_key)) == 4


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_start_another_class_after_the_end_then_start_shows_the_new_class(lang):
    at = open_page(PAGE, lang)
    at.button(key="classroom.start").click().run()
    first = at.metric[0].value
    at.button(key="classroom.end_go").click().run()
    at.button(key="classroom.another").click().run()
    assert "class" not in at.query_params
    at.button(key="classroom.start").click().run()
    assert_healthy(at)
    second = at.metric[0].value
    assert second != first and len(second) == 6 and at.query_params["class"] == second
    assert [s.value for s in at.subheader][0] == i18n.text(lang, "classroom.here")


def test_one_drawing_is_one_entry_its_mark_keeps_what_was_seen_and_a_reconnect_adds_nothing(monkeypatch):
    """A 4 in two strokes is one drawing, revised as the second stroke comes (not a half-4 and a 4); read again
    by another model and marked, it keeps the reading the student saw and that model; the page of the same
    student, started again after a restart, sends the same drawing and nothing is added."""
    from dlplay import classroom
    from dlplay.digits.strokes import HANDS, transform

    invitation = new_class()
    store = classroom.shared_store()
    at = joined("pages/digits.py", invitation)
    strokes = [[round(float(v), 1) for v in path.ravel()] for path in transform(HANDS[4][0], 200, (140, 140))]
    for n in (1, 2):
        at.session_state["digits.canvas"] = {"drawing": {"strokes": strokes[:n], "live": False, "n": n}}
        at.run()
        assert_healthy(at)
    (drawn,) = store.drawings(invitation.code, invitation.teacher_key)
    assert drawn.reading == int(at.metric[0].value) == 4 and drawn.model == "ours"

    at.button_group(key="digits.model").set_value("tutorial").run()
    assert_healthy(at)
    seen = int(at.metric[0].value)
    at.button_group(key=f"_class.mark.{drawn.id}").set_value("right").run()
    (marked,) = store.drawings(invitation.code, invitation.teacher_key)
    assert (marked.id, marked.reading, marked.model, marked.marked_right) == (drawn.id, seen, "tutorial", True)

    seat = at.session_state["_class.member"]["seat"]
    monkeypatch.setattr(ui.student, "cookie", {ui.student.SEAT_COOKIE + invitation.code: seat}.get)
    again = open_page("pages/digits.py", "en", **{"class": invitation.code, "model": "tutorial"})
    again.session_state["digits.canvas"] = {"drawing": {"strokes": strokes, "live": False, "n": 2}}
    again.run()
    assert_healthy(again)
    assert [d.id for d in store.drawings(invitation.code, invitation.teacher_key)] == [drawn.id]


def test_a_preset_poll_reaches_each_student_in_their_own_language():
    """The teacher asks in English; a student on a Chinese page reads the question and its choices in Chinese,
    and one on an English page in English; a typed question reaches everyone as typed."""
    invitation = new_class()
    zh = joined("pages/activations.py", invitation, "zh", nickname="小明")
    en = joined("pages/activations.py", invitation, "en", nickname="Bo")
    teacher = teacher_page(invitation, "en")
    teacher.selectbox(key="classroom.poll_pick").set_value("relu").run()
    teacher.button(key="classroom.ask").click().run()
    assert_healthy(teacher)
    for student, lang in ((zh, "zh"), (en, "en")):
        student.run()
        assert_healthy(student)
        shown = " ".join(m.value for m in student.markdown)
        assert plain(i18n.text(lang, "classroom.poll.q.relu"), 200) in shown
        answer = next(b for b in student.button_group if b.key.startswith("_class.poll."))
        assert answer.options == [plain(c, 60) for c in i18n.text(lang, "classroom.poll.q.relu.choices").split("|")]
    assert i18n.text("en", "classroom.poll.q.relu") != i18n.text("zh", "classroom.poll.q.relu")
