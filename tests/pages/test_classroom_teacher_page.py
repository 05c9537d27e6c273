"""/class's own controls through AppTest: the teacher's new teacher link, deleting the class, letting a kept
class go, each said in the teacher's language; and a student's code box, one press of Go."""

import numpy as np
import pytest

from dlplay import i18n
from dlplay.classroom import board
from dlplay.plain import plain

from .conftest import assert_healthy, chart_summary, open_page, summary_under

PAGE = "pages/classroom.py"


def teacher_page(invitation, lang):
    return open_page(PAGE, lang, **{"class": invitation.code, "teacher": invitation.teacher_key})


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_new_teacher_link_leaves_the_old_one_opening_nothing(class_store, lang):
    invitation = class_store.start_class()
    at = teacher_page(invitation, lang)
    at.button(key="classroom.new_link_go").click().run()
    assert_healthy(at)
    assert [s.value for s in at.success] == [i18n.text(lang, "classroom.new_link_done", code=invitation.code)]
    fresh = at.session_state["classroom.teacher"]["key"]
    assert fresh != invitation.teacher_key and class_store.is_teacher(invitation.code, fresh)
    assert not class_store.is_teacher(invitation.code, invitation.teacher_key)
    assert any(c.value.endswith(f"teacher={fresh}") for c in at.code)  # the link shown is the new one
    leaked = teacher_page(invitation, lang)  # the old link, opened anywhere
    assert_healthy(leaked)
    assert [w.value for w in leaked.warning] == [i18n.text(lang, "classroom.not_teacher", code=invitation.code)]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_teacher_deletes_the_class_and_is_offered_a_new_one(class_store, lang):
    invitation = class_store.start_class()
    class_store.join(invitation.code, "seat-ada", "Ada")
    at = teacher_page(invitation, lang)
    at.button(key="classroom.delete_go").click().run()
    assert_healthy(at)
    assert [s.value for s in at.success] == [i18n.text(lang, "classroom.deleted", code=invitation.code)]
    assert class_store.class_info(invitation.code) is None and "class" not in at.query_params
    assert at.button(key="classroom.start")


def test_a_kept_class_can_be_let_go(class_store):
    invitation = class_store.start_class()
    at = teacher_page(invitation, "en")
    at.button(key="classroom.keep").click().run()
    assert class_store.class_info(invitation.code).keep
    at.button(key="classroom.unkeep").click().run()
    assert_healthy(at)
    assert not class_store.class_info(invitation.code).keep and at.button(key="classroom.keep")


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_student_types_the_code_and_one_press_of_go_opens_the_lesson(class_store, lang):
    invitation = class_store.start_class()
    at = open_page(PAGE, lang)
    at.text_input(key="classroom.join_code").input("<b>nope</b>")
    at.button(key="classroom.join_go").click().run()  # typed and pressed at once, as a phone's one tap
    assert_healthy(at)
    assert [w.value for w in at.warning] == [i18n.text(lang, "classroom.join.none", code=plain("<b>nope</b>", 12))]
    at.text_input(key="classroom.join_code").input(f" {invitation.code.lower()} ")
    at.button(key="classroom.join_go").click().run()
    assert_healthy(at)
    assert at.query_params["class"] == invitation.code
    assert at.button(key="_class.join")  # the lesson's join form


def test_a_screen_whose_teacher_link_was_replaced_says_so(class_store):
    invitation = class_store.start_class()
    old_screen = teacher_page(invitation, "en")
    class_store.new_teacher_key(invitation.code, invitation.teacher_key)  # from another screen
    old_screen.run()
    assert_healthy(old_screen)
    assert i18n.text("en", "classroom.replaced") in [e.value for e in old_screen.error]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_removal_shows_the_drawing_or_the_text_and_undo_puts_it_back(class_store, lang):
    import numpy as np

    invitation = class_store.start_class()
    code, key = invitation.code, invitation.teacher_key
    ada = class_store.join(code, "seat-ada", "Ada")
    drawing = class_store.add_drawing(code, ada.id, np.eye(28, dtype=np.uint8) * 255, 1, 0.9, [0.1] * 10, "ours")
    text = class_store.add_text(code, ada.id, "<b>**not** bad</b>", "en", "lstm", 0.2, True)
    at = teacher_page(invitation, lang)
    at.number_input(key="classroom.remove_id").set_value(drawing).run()
    at.button(key="classroom.remove_go").click().run()
    assert_healthy(at)
    said = i18n.text(lang, "classroom.removed", what=i18n.text(lang, "classroom.kind.drawing"), n=drawing)
    assert any(said in m.value for m in at.markdown)
    assert class_store.drawings(code, key) == []
    at.button(key="classroom.undo").click().run()
    assert_healthy(at)
    assert [s.value for s in at.success] == [
        i18n.text(lang, "classroom.restored", what=i18n.text(lang, "classroom.kind.drawing"))]
    assert [d.reading for d in class_store.drawings(code, key)] == [1]

    at.button_group(key="classroom.remove_kind").set_value("text").run()
    at.number_input(key="classroom.remove_id").set_value(text).run()
    at.button(key="classroom.remove_go").click().run()
    assert any(plain("<b>**not** bad</b>", 80) in m.value for m in at.markdown)  # as typed, never as markup


def marked(store, invitation, student: int, reading: int, label: int) -> None:
    """A drawing of its own (the same image again would be the same drawing) that the model read as `reading`,
    which the student marked as `label`."""
    image = np.zeros((28, 28), np.uint8)
    image.flat[len(store.drawings(invitation.code, invitation.teacher_key))] = 255
    drawing = store.add_drawing(invitation.code, student, image, reading, 0.9, [0.1] * 10, "ours")
    store.mark_drawing(invitation.code, student, drawing, right=reading == label,
                       label=None if reading == label else label)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_class_confusions_and_a_runs_curves_have_their_numbers_under_them(class_store, lang):
    invitation = class_store.start_class()
    ada = class_store.join(invitation.code, "seat-ada", "Ada").id
    for reading, label in ((3, 3), (3, 8), (1, 7), (3, 8)):
        marked(class_store, invitation, ada, reading, label)
    class_store.add_run(invitation.code, ada, {"epochs": 2}, 0.93, 20.0, {
        "train_at": [0.5, 1.0, 2.0], "accuracy": [0.7, 0.9, 0.95], "loss": [0.9, 0.3, 0.2],
        "val_at": [1.0, 2.0], "val_accuracy": [0.91, 0.93]})
    at = teacher_page(invitation, lang)
    assert_healthy(at)
    # The wall shows each student's latest drawing, the confusions every mark: the newest, an 8 read as 3, and
    # the earlier ones of the same student.
    confusion = class_store.confusion(invitation.code, invitation.teacher_key)
    right, total = int(np.trace(confusion)), int(confusion.sum())
    assert summary_under(at, "classroom.confusion") == chart_summary(i18n.text(
        lang, "classroom.confusion.summary.pair", right=right, total=total, truth=8, guess="3", n=int(confusion[8, 3])))
    (run,) = class_store.runs(invitation.code, invitation.teacher_key)
    at.session_state["classroom.run_shown"] = run.id  # as a click on the leaderboard's row does
    at.run()
    said = summary_under(at, "classroom.curves")
    assert said == chart_summary(board.curves_summary(run, lang))
    assert all(plain(number) in said for number in ("95.0%", "93.0%", "0.200"))

    for _ in range(3):  # more marks: another pair is now the most confused
        marked(class_store, invitation, ada, 1, 7)
    at.run()
    assert summary_under(at, "classroom.confusion") == chart_summary(i18n.text(
        lang, "classroom.confusion.summary.pair", right=right, total=total + 3, truth=7, guess="1", n=4))
