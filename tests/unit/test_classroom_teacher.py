"""The teacher's hold on a class: a leaked teacher link can be revoked, a class deleted at once, Keep undone."""

import numpy as np

from dlplay.classroom import schema

from .classroom_helpers import reason

T0 = 1_800_000_000.0


def test_a_new_teacher_key_makes_the_old_link_open_nothing(store):
    invitation = store.start_class()
    code, old = invitation.code, invitation.teacher_key
    fresh = store.new_teacher_key(code, old)
    assert fresh != old and len(fresh) == 32
    assert store.is_teacher(code, fresh) and not store.is_teacher(code, old)
    assert reason(lambda: store.set_locked(code, old, True)) == "not_teacher"
    assert reason(lambda: store.new_teacher_key(code, old)) == "not_teacher"
    store.set_locked(code, fresh, True)
    assert store.class_info(code).locked


def test_deleting_a_class_takes_everything_in_it_and_only_its_teacher_can(store):
    invitation, other = store.start_class(), store.start_class()
    code, key = invitation.code, invitation.teacher_key
    ada = store.join(code, "seat-ada", "Ada")
    store.add_drawing(code, ada.id, np.zeros((28, 28), np.uint8), 3, 0.9, [0.1] * 10, "ours")
    store.add_text(code, ada.id, "fine", "en", "lstm", 0.2, True)
    store.ask(code, key, "Why?", ["a", "b"])
    store.answer(code, ada.id, 0)
    assert reason(lambda: store.delete_class(code, other.teacher_key)) == "not_teacher"
    store.delete_class(code, key)
    assert store.class_info(code) is None and store.rejoin(code, "seat-ada") is None
    with store._read() as conn:
        for table in schema.CLASS_TABLES:
            assert conn.execute(table.select().where(table.c.code == code)).first() is None, table.name
    assert store.class_info(other.code) is not None  # the other class is untouched
    assert reason(lambda: store.delete_class(code, key)) == "no_class"


def test_keep_can_be_undone(store):
    invitation = store.start_class(now=T0)
    store.keep_class(invitation.code, invitation.teacher_key)
    assert store.class_info(invitation.code, now=T0 + 3 * 24 * 3600).keep
    store.keep_class(invitation.code, invitation.teacher_key, False)
    assert store.class_info(invitation.code, now=T0 + 3 * 24 * 3600) is None  # expires as any class does


def test_a_removal_shows_what_went_and_undo_puts_it_back(store):
    invitation, other = store.start_class(), store.start_class()
    code, key = invitation.code, invitation.teacher_key
    ada = store.join(code, "seat-ada", "Ada")
    seven = np.zeros((28, 28), np.uint8)
    seven[4:6, 6:22] = 255
    drawing = store.add_drawing(code, ada.id, seven, 7, 0.9, [0.1] * 10, "ours")
    store.mark_drawing(code, ada.id, drawing, True, None, seen=(7, "ours"))
    store.add_text(code, ada.id, "not bad at all", "en", "lstm", 0.2, True)

    removed = store.remove(code, key, "drawing", drawing)
    assert removed.kind == "drawing" and removed.number == drawing and removed.image == seven.tobytes()
    assert store.drawings(code, key) == [] and store.remove(code, key, "drawing", drawing) is None
    assert reason(lambda: store.restore(code, other.teacher_key, removed)) == "not_teacher"
    store.restore(code, key, removed)
    (back,) = store.drawings(code, key)
    assert np.array_equal(back.image, seven) and (back.reading, back.marked_right) == (7, True)

    gone = store.remove(code, key, "student", ada.number)
    assert (gone.kind, gone.label) == ("student", "Ada")
    assert store.rejoin(code, "seat-ada") is None and store.drawings(code, key) == [] and store.texts(code, key) == []
    store.restore(code, key, gone)
    assert store.rejoin(code, "seat-ada") == ada
    assert [d.reading for d in store.drawings(code, key)] == [7]
    assert [t.text for t in store.texts(code, key)] == ["not bad at all"]
    assert store.remove(code, key, "text", store.texts(code, key)[0].id).label == "not bad at all"
