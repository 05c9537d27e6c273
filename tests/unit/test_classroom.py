"""The class store, on SQLite and on PostgreSQL: schema and migrations, joining, limits, expiry, the teacher key,
what students send."""

import csv
import io
import os
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, event, inspect

from dlplay.classroom import board, limits, schema
from dlplay.classroom.limits import ClassError, RateLimiter, clean_nickname, normalize_code
from dlplay.classroom.store import Store
from tests import postgres

T0 = 1_800_000_000.0


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path}/class.sqlite3"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def store(request, url):
    """A store on SQLite, then on PostgreSQL (slow: a server process): the session's own (tests/postgres.py) or
    DLPLAY_TEST_POSTGRES_URL, e.g. postgresql+psycopg://postgres@/postgres?host=/tmp/pg; its tables dropped first."""
    if request.param == "postgresql":
        url = postgres.empty(request.getfixturevalue("postgres_url"))
    store = Store(url, limiter=RateLimiter({}))  # no rate limits, except where a test sets them
    yield store
    store.close()


def on_sqlite(store) -> None:
    if not store.url.startswith("sqlite"):
        pytest.skip("about SQLite's own file")


@pytest.fixture
def room(store):
    """A class with two students."""
    invitation = store.start_class()
    ann = store.join(invitation.code, "session-ann", "Ann")
    bo = store.join(invitation.code, "session-bo", "Bo")
    return invitation, ann, bo


def digit(value: int) -> np.ndarray:
    """A (28, 28) uint8 drawing that differs per value."""
    image = np.zeros((28, 28), np.uint8)
    image[4 + value: 20, 8: 10 + value] = 255
    image[0, 0] = value
    return image


def another(k: int) -> np.ndarray:
    """A drawing of its own for each k: one student's drawings in a row are kept as sent only when they differ."""
    image = digit(k % 10)
    image[27, 27] = k % 256
    return image


def send(store, code, student, reading=3, image=None):
    probabilities = [0.01] * 10
    probabilities[reading] = 0.91
    return store.add_drawing(code, student.id, digit(reading) if image is None else image, reading, 0.91,
                             probabilities, "ours")


def reason(call) -> str:
    with pytest.raises(ClassError) as caught:
        call()
    return caught.value.reason


def test_the_database_is_made_on_first_use_not_before(tmp_path, monkeypatch):
    monkeypatch.setenv("DLPLAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DLPLAY_DATABASE_URL", raising=False)
    store = Store()
    assert store.url == f"sqlite:///{tmp_path / 'data' / 'dlplay.sqlite3'}"
    assert not (tmp_path / "data").exists()  # outside a class, nothing is written
    assert store.class_info("K7QM") is None
    assert (tmp_path / "data" / "dlplay.sqlite3").exists()
    with sqlite3.connect(tmp_path / "data" / "dlplay.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


@pytest.mark.slow
def test_a_page_outside_a_class_does_not_even_import_the_database_layer():
    script = "import sys, dlplay.classroom; print('sqlalchemy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_database_url_wins_over_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("DLPLAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DLPLAY_DATABASE_URL", f"sqlite:///{tmp_path}/elsewhere.sqlite3")
    assert Store().url == f"sqlite:///{tmp_path}/elsewhere.sqlite3"


def test_migrations_from_empty_make_every_table_at_the_current_version(store):
    store.class_info("K7QM")
    engine = create_engine(store.url)
    with engine.connect() as conn:
        assert schema.current_version(conn) == schema.VERSION
        assert set(inspect(conn).get_table_names()) == set(schema.metadata.tables)
        assert {c["name"] for c in inspect(conn).get_columns("drawings")} == set(schema.drawings.c.keys())
    with engine.begin() as conn:
        assert schema.migrate(conn) == schema.VERSION  # again: nothing to do
        assert conn.execute(schema.version_table.select()).all() == [(schema.VERSION,)]


def test_a_later_version_adds_its_tables_and_columns_to_an_old_database_and_keeps_its_rows(url):
    old, new = MetaData(), MetaData()
    Table("notes", old, Column("id", Integer, primary_key=True), Column("text", String(20)))
    Table("notes", new, Column("id", Integer, primary_key=True), Column("text", String(20)),
          Column("colour", String(10), info={"since": 2}))
    Table("tags", new, Column("id", Integer, primary_key=True), info={"since": 2})
    engine = create_engine(url)
    with engine.begin() as conn:
        assert schema.migrate(conn, target=1, tables=old) == 0
        conn.exec_driver_sql("INSERT INTO notes (text) VALUES ('kept')")
    with engine.begin() as conn:
        assert schema.migrate(conn, target=2, tables=new) == 1
    with engine.connect() as conn:
        assert schema.current_version(conn) == 2
        assert conn.exec_driver_sql("SELECT id, text, colour FROM notes").all() == [(1, "kept", None)]
        assert inspect(conn).has_table("tags")
    fresh = create_engine(url.replace("class.sqlite3", "fresh.sqlite3"))
    with fresh.begin() as conn:  # from empty straight to 2: the same tables, no step fails on a column it made
        schema.migrate(conn, target=2, tables=new)
        assert {c["name"] for c in inspect(conn).get_columns("notes")} == {"id", "text", "colour"}


def test_a_class_and_everything_in_it_survive_a_restart(store, room):
    invitation, ann, _ = room
    drawing = send(store, invitation.code, ann)
    store.close()
    again = Store(store.url, limiter=RateLimiter({}))
    assert again.class_info(invitation.code).students == 2
    assert [d.id for d in again.drawings(invitation.code, invitation.teacher_key)] == [drawing]
    assert again.join(invitation.code, "session-ann") == ann
    again.close()


def test_codes_are_short_unambiguous_and_read_as_typed(store):
    invitation = store.start_class()
    assert len(invitation.code) == 6 and set(invitation.code) <= set(limits.CODE_ALPHABET)
    assert len(limits.CODE_ALPHABET) ** limits.CODE_LENGTH > 10**9  # with the join limits: hopeless to guess
    assert len(invitation.teacher_key) == 32
    typed = f" {invitation.code[:3].lower()}-{invitation.code[3:]} "
    assert normalize_code(typed) == invitation.code
    assert store.class_info(typed).code == invitation.code
    assert normalize_code("k7qm") == "K7QM"  # an earlier version's code, in a kept class
    for garbage in ("", "K7Q", "K7QMX", "K7QM2PX", "K0QM2P", "K7Q!2P", None, 42, "'; DROP TABLE classes; --"):
        assert normalize_code(garbage) is None
    assert store.class_info("ZZZZ") is None
    assert reason(lambda: store.join("ZZZZ", "s", "Ann")) == "no_class"


def test_the_same_session_is_the_same_student_and_unnamed_students_are_numbered(store, room):
    invitation, ann, bo = room
    assert (ann.nickname, ann.number, bo.number) == ("Ann", 1, 2)
    assert store.join(invitation.code, "session-ann") == ann
    assert store.join(invitation.code, "session-ann", "Annie").nickname == "Annie"  # renamed, same student
    third = store.join(invitation.code, "session-3")
    fourth = store.join(invitation.code, "session-4", "   ", unnamed="学生 {n}")
    assert (third.nickname, fourth.nickname) == ("Student 3", "学生 4")
    assert [s.nickname for s in store.students(invitation.code, invitation.teacher_key)] == [
        "Annie", "Bo", "Student 3", "学生 4"]


def test_nicknames_are_cleaned_and_bounded_but_stored_as_given_otherwise(store, room):
    invitation = room[0]
    assert clean_nickname("  Ann \n\t Lee ") == "Ann Lee"
    assert clean_nickname("evil\u202eusername\u200b") == "evilusername"  # no right-to-left override, no zero width
    assert clean_nickname("ｗｉｄｅ") == "wide"
    assert clean_nickname("x" * 50) == "x" * limits.MAX_NICKNAME
    assert clean_nickname("小明") == "小明"
    html = store.join(invitation.code, "s-html", "<b>*Bo*</b> $x$")
    assert html.nickname == "<b>*Bo*</b> $x$"  # shown as text by the page (plain()), never interpreted here
    assert reason(lambda: store.join(invitation.code, "s-hidden", "\u200b\u202e\x00")) == "bad_nickname"
    assert reason(lambda: store.join(invitation.code, "", "Ann")) == "bad_session"
    assert reason(lambda: store.join(invitation.code, "s" * 101, "Ann")) == "bad_session"


def test_who_is_here_and_on_which_page(store, room):
    invitation, ann, bo = room
    store.touch(invitation.code, ann.id, "digits", now=T0 + 100)
    store.touch(invitation.code, bo.id, "text", now=T0)
    rows = {s.nickname: s for s in store.students(invitation.code, invitation.teacher_key, now=T0 + 100)}
    assert (rows["Ann"].page, rows["Ann"].here, rows["Bo"].page, rows["Bo"].here) == ("digits", True, "text", False)
    store.touch(invitation.code, ann.id, "digits", now=T0 + 105)  # same page within TOUCH_EVERY: not written
    store.touch(invitation.code, ann.id, "xor", now=T0 + 106)  # a new page: written at once
    rows = {s.nickname: s for s in store.students(invitation.code, invitation.teacher_key, now=T0 + 106)}
    assert (rows["Ann"].page, rows["Ann"].last_seen) == ("xor", T0 + 106)


def test_at_most_max_classes_open_and_ended_ones_do_not_count(store):
    opened = [store.start_class() for _ in range(limits.MAX_CLASSES)]
    assert len({c.code for c in opened}) == limits.MAX_CLASSES
    assert reason(store.start_class) == "too_many_classes"
    store.end_class(opened[0].code, opened[0].teacher_key)
    assert store.start_class().code not in {c.code for c in opened}


def test_at_most_max_students_and_a_locked_class_takes_no_one_new(store, monkeypatch):
    monkeypatch.setattr(limits, "MAX_STUDENTS", 3)
    invitation = store.start_class()
    first = [store.join(invitation.code, f"s{i}") for i in range(3)]
    assert reason(lambda: store.join(invitation.code, "s3")) == "full"
    assert store.join(invitation.code, "s0") == first[0]  # those already in come back
    other = store.start_class()
    store.join(other.code, "a")
    store.set_locked(other.code, other.teacher_key, True)
    assert reason(lambda: store.join(other.code, "b")) == "no_class"  # as a code that names no class
    assert store.join(other.code, "a").number == 1
    store.set_locked(other.code, other.teacher_key, False)
    assert store.join(other.code, "b").number == 2


def test_each_student_keeps_their_newest_drawings_the_oldest_dropped(store, room):
    invitation, ann, bo = room
    ids = [send(store, invitation.code, ann, reading=i % 10) for i in range(limits.MAX_DRAWINGS_PER_STUDENT + 5)]
    bos = send(store, invitation.code, bo)
    kept = store.drawings(invitation.code, invitation.teacher_key)
    assert [d.id for d in kept if d.student_id == ann.id] == ids[5:][::-1]
    assert [d.id for d in kept if d.student_id == bo.id] == [bos]
    wall = store.drawings(invitation.code, invitation.teacher_key, latest=True)
    assert [(d.nickname, d.id) for d in wall] == [("Bo", bos), ("Ann", ids[-1])]
    assert np.array_equal(wall[1].image, digit((limits.MAX_DRAWINGS_PER_STUDENT + 4) % 10))


def test_texts_are_bounded_and_stored_on_one_line(store, room):
    invitation, ann, _ = room
    assert store.add_text(invitation.code, ann.id, "a" * limits.MAX_TEXT, "en", "lstm", 0.9, True)
    assert reason(lambda: store.add_text(invitation.code, ann.id, "a" * (limits.MAX_TEXT + 1), "en", "lstm",
                                         0.9, True)) == "too_long"
    assert reason(lambda: store.add_text(invitation.code, ann.id, " \n\u200b", "en", "lstm", 0.9, True)) == "empty"
    store.add_text(invitation.code, ann.id, "not\n\ngood <script>", "en", "lstm", 0.9, True)
    assert store.texts(invitation.code, invitation.teacher_key)[0].text == "not good <script>"
    store.add_text(invitation.code, ann.id, "房间有点小，但是服务很好。", "zh", "gru", 0.99, True)
    assert store.texts(invitation.code, invitation.teacher_key)[0].text == "房间有点小，但是服务很好。"  # as typed


def test_other_bounds(store, room, monkeypatch):
    invitation, ann, _ = room
    code, key = invitation.code, invitation.teacher_key
    assert reason(lambda: store.ask(code, key, "?" * (limits.MAX_QUESTION + 1), ["a", "b"])) == "too_long"
    assert reason(lambda: store.ask(code, key, "Q", ["only one"])) == "bad_choices"
    assert reason(lambda: store.ask(code, key, "Q", ["a", " "])) == "bad_choices"
    assert reason(lambda: store.add_run(code, ann.id, {"note": "x" * limits.MAX_SETTINGS}, 0.9, 1, {})) == "too_long"
    assert reason(lambda: store.add_run(code, ann.id, {}, 1.5, 1, {})) == "bad_value"
    assert reason(lambda: store.add_run(code, ann.id, {}, float("nan"), 1, {})) == "bad_value"
    assert reason(lambda: store.add_drawing(code, ann.id, np.zeros((28, 27)), 1, 0.5, [0.1] * 10, "x")) == "bad_image"
    assert reason(lambda: store.add_drawing(code, ann.id, digit(1), 11, 0.5, [0.1] * 10, "x")) == "bad_value"
    assert reason(lambda: store.add_drawing(code, ann.id, digit(1), 1, 0.5, [0.1] * 9, "x")) == "bad_value"
    monkeypatch.setattr(limits, "MAX_MODEL_BYTES", 10)
    assert reason(lambda: store.set_class_model(code, key, b"x" * 11, {})) == "too_long"
    for _ in range(limits.MAX_RUNS_PER_STUDENT + 2):
        store.add_run(code, ann.id, {}, 0.5, 1, {})
    assert len(store.runs(code, key)) == limits.MAX_RUNS_PER_STUDENT


def test_rate_limits_per_writer_and_kind(url):
    clock = [0.0]
    rates = {"drawing": (2, 10), "start": (1, 1), "teacher": (1, 1)}
    store = Store(url, limiter=RateLimiter(rates, clock=lambda: clock[0]))
    invitation = store.start_class()
    assert reason(store.start_class) == "rate_limited"
    assert reason(lambda: store.end_class(invitation.code, "a guess")) == "not_teacher"
    assert reason(lambda: store.end_class(invitation.code, "a guess")) == "rate_limited"
    store.set_locked(invitation.code, invitation.teacher_key, False)  # guesses do not use up the teacher's turns
    ann, bo = store.join(invitation.code, "a"), store.join(invitation.code, "b")
    for k in range(10):  # the burst
        send(store, invitation.code, ann, image=another(k))
    assert reason(lambda: send(store, invitation.code, ann, image=another(10))) == "rate_limited"
    send(store, invitation.code, bo)  # another student has their own bucket
    clock[0] += 0.5  # 2 a second: one more
    send(store, invitation.code, ann, image=another(11))
    assert reason(lambda: send(store, invitation.code, ann, image=another(12))) == "rate_limited"
    assert len(store.drawings(invitation.code, invitation.teacher_key)) == 12  # the refused ones left no trace
    store.close()


def test_classes_expire_after_a_day_unless_kept(store):
    old = store.start_class(now=T0)
    kept = store.start_class(now=T0)
    store.keep_class(kept.code, kept.teacher_key)
    ann = store.join(old.code, "a", now=T0 + 10)
    store.add_text(old.code, ann.id, "gone soon", "en", "lstm", 0.5, True)
    assert store.expire(now=T0 + limits.LIFETIME - 1) == 0
    assert store.class_info(old.code, now=T0 + limits.LIFETIME + 1) is None  # past its time, even before cleaning
    assert store.expire(now=T0 + limits.LIFETIME + 1) == 1
    assert store.class_info(old.code, now=T0) is None
    assert reason(lambda: store.join(old.code, "b")) == "no_class"
    assert store.class_info(kept.code, now=T0 + 10 * limits.LIFETIME).keep
    with store._read() as conn:  # nothing of the expired class is left behind
        for table in schema.CLASS_TABLES:
            assert conn.execute(table.select().where(table.c.code == old.code)).all() == []


def test_starting_or_joining_cleans_up_expired_classes(store):
    old = store.start_class(now=time.time() - 2 * limits.LIFETIME)
    store.start_class()  # at the real time: the old class is past its day
    assert store.class_info(old.code, now=time.time() - 2 * limits.LIFETIME) is None


def test_a_student_who_knows_the_code_has_no_teacher_rights(store, room):
    invitation, ann, bo = room
    code = invitation.code
    send(store, code, ann)
    other = store.start_class()
    assert store.is_teacher(code, invitation.teacher_key)
    for key in ("", code, code.lower(), other.teacher_key, invitation.teacher_key[:-1], None):
        assert not store.is_teacher(code, key)
        for call in (lambda key=key: store.students(code, key), lambda key=key: store.drawings(code, key),
                     lambda key=key: store.runs(code, key), lambda key=key: store.texts(code, key),
                     lambda key=key: store.confusion(code, key), lambda key=key: store.export_zip(code, key),
                     lambda key=key: store.end_class(code, key),
                     lambda key=key: store.set_locked(code, key, True),
                     lambda key=key: store.keep_class(code, key),
                     lambda key=key: store.remove(code, key, "student", bo.number),
                     lambda key=key: store.remove(code, key, "drawing", 1),
                     lambda key=key: store.ask(code, key, "Q", ["a", "b"]),
                     lambda key=key: store.reveal(code, key),
                     lambda key=key: store.set_class_model(code, key, b"m", {})):
            assert reason(call) == "not_teacher"
    info = store.class_info(code)
    assert (info.ended, info.locked, info.students, info.model_at) == (False, False, 2, None)
    if store.url.startswith("sqlite"):
        path = store.url.removeprefix("sqlite:///")
        stored = b"".join(open(f, "rb").read() for f in (path, path + "-wal"))
        assert invitation.teacher_key.encode() not in stored  # only its hash is kept


def test_an_ended_class_takes_no_more_writes_but_the_teacher_can_still_read(store, room):
    invitation, ann, _ = room
    send(store, invitation.code, ann)
    store.end_class(invitation.code, invitation.teacher_key)
    assert store.class_info(invitation.code).ended
    assert reason(lambda: send(store, invitation.code, ann)) == "ended"
    assert reason(lambda: store.join(invitation.code, "new")) == "no_class"  # as a code that names no class
    assert reason(lambda: store.join(invitation.code, "session-ann")) == "ended"  # to one who was in it
    assert len(store.drawings(invitation.code, invitation.teacher_key)) == 1


def test_removing_an_entry_or_a_student(store, room):
    invitation, ann, bo = room
    code, key = invitation.code, invitation.teacher_key
    drawing, kept = send(store, code, ann), send(store, code, bo)
    run = store.add_run(code, ann.id, {}, 0.9, 3, {})
    text = store.add_text(code, bo.id, "good", "en", "lstm", 0.2, True)
    assert store.remove(code, key, "drawing", drawing) and not store.remove(code, key, "drawing", drawing)
    assert store.remove(code, key, "run", run) and store.remove(code, key, "text", text)
    assert [d.id for d in store.drawings(code, key)] == [kept]
    assert store.runs(code, key) == [] and store.texts(code, key) == []
    assert reason(lambda: store.remove(code, key, "class", 1)) == "bad_kind"
    assert store.remove(code, key, "student", bo.number)
    assert store.drawings(code, key) == [] and [s.nickname for s in store.students(code, key)] == ["Ann"]
    assert store.student(code, bo.id) is None and store.student(code, ann.id) == ann
    assert reason(lambda: send(store, code, bo)) == "removed"
    assert reason(lambda: store.join(code, "session-bo", "Bo again")) == "removed"
    assert store.class_info(code).students == 1


def test_marks_make_the_class_confusion_matrix_and_the_teaching_set(store, room):
    invitation, ann, bo = room
    code, key = invitation.code, invitation.teacher_key
    right = send(store, code, ann, reading=7)
    wrong = send(store, code, ann, reading=1)
    unsure = send(store, code, bo, reading=4)
    send(store, code, bo, reading=5)  # never marked
    store.mark_drawing(code, ann.id, right, True)
    store.mark_drawing(code, ann.id, wrong, False, 7)
    store.mark_drawing(code, bo.id, unsure, False)  # wrong, right digit not given
    assert reason(lambda: store.mark_drawing(code, bo.id, right, True)) == "no_drawing"  # not Bo's
    assert reason(lambda: store.mark_drawing(code, ann.id, wrong, False, 10)) == "bad_label"
    expected = np.zeros((10, 10), np.int64)
    expected[7, 7] = expected[7, 1] = 1
    assert np.array_equal(store.confusion(code, key), expected)
    rows = {d.id: d for d in store.drawings(code, key)}
    assert (rows[right].marked_right, rows[right].label, rows[wrong].label, rows[unsure].marked_right) == (
        True, 7, 7, False)
    images, labels = store.corrected(code)
    assert images.dtype == np.uint8 and images.shape == (2, 28, 28) and labels.tolist() == [7, 7]
    assert np.array_equal(images[1], digit(1))
    images, labels = store.corrected(code, wrong_only=True)
    assert labels.tolist() == [7] and np.array_equal(images[0], digit(1))


def test_float_drawings_are_kept_as_the_bytes_the_model_saw(store, room):
    invitation, ann, _ = room
    image = np.linspace(0, 1, 784, dtype=np.float32).reshape(28, 28)
    send(store, invitation.code, ann, image=image)
    kept = store.drawings(invitation.code, invitation.teacher_key)[0].image
    assert kept.dtype == np.uint8 and np.abs(kept / 255 - image).max() <= 0.5 / 255 + 1e-6


def test_the_leaderboard_best_accuracy_first_then_the_faster(store, room):
    invitation, ann, bo = room
    code = invitation.code
    store.add_run(code, ann.id, {"epochs": 1}, 0.95, 30.0, {"loss": [1.0, 0.5]})
    store.add_run(code, bo.id, {"epochs": 2}, 0.97, 60.0, {"loss": list(np.linspace(2, 0, 3001))})
    store.add_run(code, ann.id, {"epochs": 3, "lr": np.float32(0.5)}, 0.97, 45.0, {"loss": [float("nan"), 0.1]})
    board = store.runs(code, invitation.teacher_key)
    assert [(r.nickname, r.accuracy, r.seconds) for r in board] == [("Ann", 0.97, 45.0), ("Bo", 0.97, 60.0),
                                                                     ("Ann", 0.95, 30.0)]
    assert board[0].settings == {"epochs": 3, "lr": 0.5} and board[0].curves == {"loss": [None, 0.1]}
    thinned = board[1].curves["loss"]
    assert len(thinned) == limits.MAX_CURVE_POINTS and (thinned[0], thinned[-1]) == (2.0, 0.0)


def test_fool_the_model_the_most_confidently_wrong_first(store, room):
    invitation, ann, bo = room
    code = invitation.code
    store.add_text(code, ann.id, "not bad", "en", "lstm", 0.30, True)
    store.add_text(code, bo.id, "不好", "zh", "gru", 0.95, True)
    store.add_text(code, bo.id, "great", "en", "lstm", 0.99, False)  # read right: not a fooling sentence
    store.add_text(code, ann.id, "meh", "en", "lstm", 0.02, True)
    hardest = store.texts(code, invitation.teacher_key)
    assert [(t.text, round(t.certainty, 2)) for t in hardest] == [("meh", 0.98), ("不好", 0.95), ("not bad", 0.7)]
    assert len(store.texts(code, invitation.teacher_key, wrong_only=False)) == 4


def test_a_poll_counts_one_answer_per_student_and_starts_afresh(store, room):
    invitation, ann, bo = room
    code, key = invitation.code, invitation.teacher_key
    assert store.poll(code) is None
    assert reason(lambda: store.answer(code, ann.id, 0)) == "no_poll"
    store.ask(code, key, "Will the XOR net solve it?", ["Yes", "No", "Not sure"])
    store.answer(code, ann.id, 0)
    store.answer(code, bo.id, 0)
    store.answer(code, bo.id, 1)  # changed their mind
    assert reason(lambda: store.answer(code, ann.id, 3)) == "bad_choice"
    poll = store.poll(code)
    assert (poll.number, poll.counts, poll.revealed) == (1, [1, 1, 0], False)
    store.reveal(code, key)
    assert store.poll(code).revealed and store.class_info(code).question == "Will the XOR net solve it?"
    store.ask(code, key, "Which digit will the model confuse with 7?", [str(d) for d in range(1, 7)])
    assert (store.poll(code).number, store.poll(code).counts, store.poll(code).revealed) == (2, [0] * 6, False)
    store.close_poll(code, key)
    assert store.poll(code) is None


def test_the_class_model_is_offered_to_the_class(store, room):
    invitation, ann, _ = room
    assert store.class_model(invitation.code) is None
    store.set_class_model(invitation.code, invitation.teacher_key, b"PK\x03\x04model", {"accuracy_after": 0.99})
    assert store.class_model(invitation.code) == (b"PK\x03\x04model", {"accuracy_after": 0.99})
    assert store.class_info(invitation.code).model_at is not None


def test_thirty_students_writing_at_once_lose_nothing(store, room):
    invitation = room[0]
    students = [store.join(invitation.code, f"thread-{i}") for i in range(30)]
    second = Store(store.url, limiter=RateLimiter({}))  # as if a second server process shared the file
    errors = []

    def draw(student, writer):
        try:
            for k in range(limits.MAX_DRAWINGS_PER_STUDENT):
                send(writer, invitation.code, student, reading=k % 10)
        except Exception as error:  # noqa: BLE001 - any error is a failure, reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=draw, args=(s, store if i % 2 else second)) for i, s in enumerate(students)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    second.close()
    assert errors == []
    drawn = store.drawings(invitation.code, invitation.teacher_key)
    assert len(drawn) == len({d.id for d in drawn}) == 30 * limits.MAX_DRAWINGS_PER_STUDENT
    per_student = {s.id: sorted(d.reading for d in drawn if d.student_id == s.id) for s in students}
    assert all(r == sorted(k % 10 for k in range(limits.MAX_DRAWINGS_PER_STUDENT)) for r in per_student.values())


def test_thirty_students_joining_at_once_get_thirty_numbers(store):
    invitation = store.start_class()
    joined, errors = [], []

    def join(i):
        try:
            joined.append(store.join(invitation.code, f"s{i}"))
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))

    threads = [threading.Thread(target=join, args=(i,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(s.number for s in joined) == list(range(1, 31))


def test_a_database_that_cannot_be_written_says_readonly_and_can_still_be_read(store, room, url):
    on_sqlite(store)
    invitation, ann, _ = room
    send(store, invitation.code, ann)
    store.close()
    path = url.removeprefix("sqlite:///")
    read_only = Store(f"sqlite:///file:{path}?mode=ro&uri=true", limiter=RateLimiter({}))
    assert read_only.class_info(invitation.code).students == 2
    assert len(read_only.drawings(invitation.code, invitation.teacher_key)) == 1
    for write in (read_only.start_class, lambda: read_only.join(invitation.code, "new"),
                  lambda: send(read_only, invitation.code, ann, image=another(4)),
                  lambda: read_only.touch(invitation.code, ann.id, "digits"),
                  lambda: read_only.end_class(invitation.code, invitation.teacher_key)):
        assert reason(write) == "readonly"
    read_only.close()


def test_a_full_disk_says_readonly_and_what_was_written_stays(store, room):
    on_sqlite(store)
    invitation, ann, _ = room
    first = send(store, invitation.code, ann)

    @event.listens_for(store._reader, "connect")
    def no_room_left(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    store._reader.dispose()
    noise = np.random.default_rng(0).integers(0, 256, (200, 28, 28), dtype=np.uint8)  # does not compress into a page
    assert reason(lambda: [send(store, invitation.code, ann, image=image) for image in noise]) == "readonly"
    assert first in [d.id for d in store.drawings(invitation.code, invitation.teacher_key)]


def test_a_database_that_cannot_be_opened_says_unavailable(tmp_path):
    missing = Store(f"sqlite:///file:{tmp_path}/none.sqlite3?mode=ro&uri=true")
    assert reason(lambda: missing.class_info("K7QM")) == "unavailable"
    assert reason(missing.start_class) == "readonly"


def test_the_export_holds_every_table_as_csv_and_every_drawing_as_png(store, room):
    invitation, ann, bo = room
    code, key = invitation.code, invitation.teacher_key
    store.join(code, "session-eve", "=HYPERLINK(\"x\")")
    store.join(code, "session-ming", "小明")
    drawing = send(store, code, ann, reading=4)
    store.mark_drawing(code, ann.id, drawing, False, 9)
    store.add_run(code, bo.id, {"epochs": 1, "lr": 0.001}, 0.975, 42.123, {"loss": [0.5, 0.25]})
    store.add_text(code, bo.id, "不太好, \"really\"", "zh", "gru", 0.875, True)
    store.ask(code, key, "Yes or no?", ["Yes", "No"])
    store.answer(code, bo.id, 1)
    archive = zipfile.ZipFile(io.BytesIO(store.export_zip(code, key)))
    folder = f"class-{code}/"
    assert sorted(archive.namelist()) == sorted(folder + name for name in (
        "class.csv", "students.csv", "drawings.csv", "runs.csv", "texts.csv", "poll.csv", f"drawings/{drawing}.png"))

    def table(name):
        return list(csv.reader(io.StringIO(archive.read(folder + name).decode("utf-8-sig"))))

    assert table("students.csv")[0] == ["number", "nickname", "page", "joined", "last_seen"]
    assert [row[:2] for row in table("students.csv")[1:]] == [
        ["1", "Ann"], ["2", "Bo"], ["3", "'=HYPERLINK(\"x\")"], ["4", "小明"]]  # no formula runs in a spreadsheet
    assert table("drawings.csv") == [
        ["id", "nickname", "reading", "confidence", "marked_right", "label", "model", "at", "file"],
        [str(drawing), "Ann", "4", "0.91", "False", "9", "ours", table("drawings.csv")[1][7],
         f"drawings/{drawing}.png"]]
    assert table("runs.csv")[0] == ["id", "nickname", "accuracy", "seconds", "settings", "curves", "at"]
    assert table("runs.csv")[1][1:6] == ["Bo", "0.975", "42.12", '{"epochs": 1, "lr": 0.001}', '{"loss": [0.5, 0.25]}']
    assert table("texts.csv")[1][1:7] == ["Bo", "不太好, \"really\"", "zh", "gru", "0.875", "True"]
    assert table("poll.csv") == [["question", "choice", "answers", "revealed"],
                                 ["Yes or no?", "Yes", "0", "False"], ["Yes or no?", "No", "1", "False"]]
    assert table("class.csv")[1][0] == code
    picture = Image.open(io.BytesIO(archive.read(f"{folder}drawings/{drawing}.png")))
    assert (picture.mode, picture.size) == ("L", (28, 28))
    assert np.array_equal(np.asarray(picture), digit(4))


def test_one_drawing_is_one_drawing_revised_until_marked_and_sent_again_is_not_added(store, room):
    invitation, ann, _ = room
    code, key = invitation.code, invitation.teacher_key
    half = send(store, code, ann, reading=1, image=another(1))
    assert send(store, code, ann, reading=1, image=another(1)) == half  # a reconnect sends the newest again
    probabilities = [0.01] * 9 + [0.91]
    four = store.revise_drawing(code, ann.id, half, another(4), 4, 0.91, [0.01] * 4 + [0.91] + [0.01] * 5, "ours")
    assert four == half
    (row,) = store.drawings(code, key)
    assert (row.id, row.reading, list(row.image.ravel()) == list(another(4).ravel())) == (half, 4, True)
    # another model reads it as 9; the student saw 9 and marks it right: 9 by that model is what is kept
    store.mark_drawing(code, ann.id, half, True, seen=(9, "tutorial"))
    (row,) = store.drawings(code, key)
    assert (row.reading, row.model, row.marked_right, row.label) == (9, "tutorial", True, 9)
    # marked: going on with it makes a new drawing, and the marked one stays as it was marked
    after = store.revise_drawing(code, ann.id, half, another(5), 9, 0.91, probabilities, "tutorial")
    assert after != half and [d.id for d in store.drawings(code, key)] == [after, half]
    assert reason(lambda: store.mark_drawing(code, ann.id, after, True, seen=(12, "ours"))) == "bad_value"
    assert reason(lambda: store.mark_drawing(code, ann.id, after, True, seen=(None, "ours"))) == "bad_label"


def test_one_starter_cannot_fill_the_server_with_classes(url):
    """Open classes are bounded per browser and per address, below the server's cap: a student's phone that
    presses Start again and again cannot lock the real teacher out; ended classes free their places."""
    store = Store(url, limiter=RateLimiter({}))
    phone = [store.start_class(browser="phone", address="10.0.0.7") for _ in range(limits.MAX_CLASSES_PER_BROWSER)]
    assert reason(lambda: store.start_class(browser="phone", address="10.0.0.7")) == "too_many_yours"
    # a cleared browser on the same address: the address's bound
    for k in range(limits.MAX_CLASSES_PER_ADDRESS - len(phone)):
        store.start_class(browser=f"cleared-{k}", address="10.0.0.7")
    assert reason(lambda: store.start_class(browser="cleared-again", address="10.0.0.7")) == "too_many_yours"
    assert limits.MAX_CLASSES_PER_ADDRESS < limits.MAX_CLASSES
    teacher = store.start_class(browser="teacher's laptop", address="10.0.0.2")  # the real teacher still can
    assert store.is_teacher(teacher.code, teacher.teacher_key)
    store.end_class(phone[0].code, phone[0].teacher_key)
    store.start_class(browser="phone-2", address="10.0.0.7")  # an ended class frees its place
    store.close()


def test_a_version_1_database_gains_the_starters_columns_and_keeps_its_classes(url):
    engine = create_engine(url)
    with engine.begin() as conn:  # version 1: as today's, without the columns version 2 added
        schema.migrate(conn)
        for column in ("browser_hash", "address_hash", "preset"):
            conn.exec_driver_sql(f"ALTER TABLE classes DROP COLUMN {column}")
        conn.exec_driver_sql("ALTER TABLE students DROP COLUMN address_hash")  # version 3's
        conn.execute(schema.version_table.update().values(version=1))
        assert "browser_hash" not in {c["name"] for c in inspect(conn).get_columns("classes")}
        conn.execute(schema.classes.insert().values(
            code="K7QM", teacher_hash="0" * 64, created=time.time(), expires=time.time() + 3600, keep=False,
            locked=False, ended=False, next_number=1, poll_number=0, revealed=False))
    store = Store(url, limiter=RateLimiter({}))
    assert store.class_info("K7QM") is not None and store.start_class(browser="b", address="a")
    with engine.connect() as conn:
        assert schema.current_version(conn) == schema.VERSION == 3
        assert {"browser_hash", "address_hash"} <= {c["name"] for c in inspect(conn).get_columns("classes")}
        assert "address_hash" in {c["name"] for c in inspect(conn).get_columns("students")}
    store.close()


def test_a_database_file_removed_while_a_class_runs_is_noticed_at_the_next_write(url):
    """Removed (or replaced by a new file) while the class runs: the next write says "gone", nothing is
    written into the removed file, and a second store on the same path does not see a class that is not there."""
    store = Store(url, limiter=RateLimiter({}))
    invitation = store.start_class()
    ann = store.join(invitation.code, "session-ann", "Ann")
    send(store, invitation.code, ann)
    path = url.removeprefix("sqlite:///")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    assert reason(lambda: send(store, invitation.code, ann, image=another(5))) == "gone"
    assert reason(lambda: store.start_class()) == "gone"
    assert "gone" in board.TROUBLES  # told on the teacher's screen, in the teacher's language
    fresh = Store(url, limiter=RateLimiter({}))  # a restart: a new, empty database, made anew
    assert fresh.class_info(invitation.code) is None and fresh.start_class()
    assert reason(lambda: store.start_class()) == "gone"  # the old store still writes nowhere
    fresh.close()
    store.close()
