"""What the teacher's screen and a student's badge show (dlplay/classroom/board.py), and the store's reads that
feed them in one go: Store.screen (the teacher's refresh) and Store.badge (a student's), with class_info shared
for a second."""

import types

import numpy as np
import pytest

from dlplay import i18n
from dlplay.classroom import board, limits
from dlplay.classroom import store as store_module
from dlplay.classroom.limits import RateLimiter
from dlplay.classroom.rows import ClassInfo, DrawingRow, Poll, RunRow, StudentRow, TextRow
from dlplay.classroom.store import Store


def drawing(id, student, reading=3, right=None, label=None):
    return DrawingRow(id, student, f"S{student}", np.zeros((28, 28), np.uint8), reading, 0.9, [0.1] * 10, "ours",
                      right, label, float(id))


def run(id, accuracy, seconds, **settings):
    return RunRow(id, 1, "Ann", settings, accuracy, seconds, {}, float(id))


def text(id, probability):
    return TextRow(id, 1, "Ann", f"sentence {id}", "en", "lstm", probability, True, float(id))


INFO = ClassInfo("K7QM", 0.0, 1e12, False, False, False, 2, None, None)


def test_the_wall_is_each_students_latest_drawing():
    drawings = [drawing(9, 2), drawing(8, 1), drawing(7, 2), drawing(6, 3), drawing(5, 1)]  # newest first
    assert [d.id for d in board.wall(drawings)] == [9, 8, 6]
    assert board.wall([]) == []


def test_marks_and_readings_as_captions_show_them():
    assert [board.mark_of(d) for d in (drawing(1, 1), drawing(2, 1, right=True, label=3),
                                       drawing(3, 1, right=False, label=7), drawing(4, 1, right=False))] == \
        ["", " ✓", " ✗ → 7", " ✗ → ?"]
    assert (board.said(None), board.said(0)) == ("?", "0")


def test_the_confusion_counts_and_its_mistakes():
    counts = board.confusion([(7, 1), (7, 1), (7, 7), (3, 8)])
    assert counts.shape == (10, 10) and counts.sum() == 4
    assert (counts[7, 1], counts[7, 7], counts[3, 8]) == (2, 1, 1)
    mistakes = board.mistakes(counts)
    assert (mistakes[7, 1], mistakes[7, 7], mistakes[3, 8], mistakes.sum()) == (2, 0, 1, 3)


def test_the_confusion_chart_stays_white_without_mistakes_and_marks_the_right_readings():
    """With only right readings the mistakes' scale still runs 0 to 1 (Plotly coloured a scale of 0 to 0 solid);
    the diagonal is a layer of its own, each count with a ✓; empty cells are left blank."""
    right_only = board.confusion_cells(board.confusion([(7, 7), (7, 7), (3, 3)]))
    assert right_only.top == 1
    assert {v for row in right_only.mistakes for v in row} == {None}
    assert (right_only.right[7][7], right_only.right[3][3], right_only.right[7][1], right_only.right[5][5]) == \
        (2, 1, None, None)
    assert (right_only.right_text[7][7], right_only.right_text[3][3], right_only.right_text[5][5]) == ("2✓", "1✓", "")
    both = board.confusion_cells(board.confusion([(7, 1), (7, 1), (7, 7), (3, 8)]))
    assert (both.top, both.mistakes[7][1], both.mistakes[7][7], both.mistakes_text[7][1]) == (2, 2, None, "2")
    assert (both.mistakes_text[7][7], both.right_text[7][1], both.right_text[7][7]) == ("", "", "1✓")


def test_the_full_screen_wall_takes_the_largest_tiles_that_show_everyone():
    sizes = [board.full_wall_tile(n) for n in range(0, 61)]
    assert sizes == sorted(sizes, reverse=True)
    assert (sizes[1], sizes[-1]) == (board.FULL_TILES[0], board.FULL_TILES[-1])
    width, height = board.FULL_AREA
    for n, size in enumerate(sizes[1:], 1):
        per_row = (width + board.GAP_PX) // (size + board.GAP_PX)
        fits = -(-n // per_row) * (size + board.CAPTION_PX + board.GAP_PX) <= height
        assert fits or size == board.FULL_TILES[-1], n
    assert board.TILE_PRESENT >= 150  # read from the back of a room


def test_wrong_drawings_grouped_by_their_right_digit_and_capped():
    drawings = [drawing(i, i % 3, reading=1, right=False, label=7) for i in range(30, 0, -1)]
    drawings += [drawing(50, 1, right=False, label=2), drawing(51, 1, right=False), drawing(52, 1, right=True, label=3)]
    groups = board.wrong_by_digit(drawings)
    assert list(groups) == [2, 7]  # in digit order; a wrong mark with no digit, and a right one, are not mistakes
    assert [d.id for d in groups[7]] == list(range(30, 30 - board.WRONG_SHOWN, -1))  # newest first, 24 at most
    assert [d.id for d in board.wrong_by_digit(drawings, per_digit=2)[7]] == [30, 29]


def test_the_leaderboard_best_accuracy_first_then_the_faster_then_the_earlier():
    runs = [run(1, 0.97, 30), run(2, 0.99, 50), run(3, 0.99, 20), run(4, 0.97, 30), run(5, 0.5, 1)]
    assert [r.id for r in board.ranked(runs)] == [3, 2, 1, 4, 5]


def test_a_runs_settings_columns():
    custom = run(1, 0.9, 3, arch="custom", conv_layers=2, kernel=3, filters=16, dense=64, dropout=0.25,
                 train_size=1000, epochs=2, batch_size=32, optimizer="adam", lr=0.001)
    assert board.run_settings(custom) == {"network": "2×conv3 16, dense 64, dropout 0.25", "images": 1000,
                                          "epochs": 2, "batch": 32, "optimizer": "adam", "lr": 0.001}
    assert board.run_settings(run(2, 0.9, 3, arch="tutorial")) == {
        "network": "tutorial", "images": None, "epochs": None, "batch": None, "optimizer": None, "lr": None}
    assert board.network({}) == "?"
    assert list(board.run_settings(custom)) == list(board.RUN_COLUMNS)
    for column in board.RUN_COLUMNS:
        assert f"classroom.col.{column}" in i18n.CATALOGUES["en"]


def test_a_runs_curves():
    r = RunRow(1, 1, "Ann", {}, 0.9, 3, {"train_at": [1, 2], "accuracy": [0.5, 0.8], "loss": [1.0, 0.4]}, 0.0)
    assert board.curves_of(r) == [("accuracy", [1, 2], [0.5, 0.8]), ("val_accuracy", [], []),
                                  ("loss", [1, 2], [1.0, 0.4])]


def test_the_hardest_sentences_first():
    texts = [text(1, 0.6), text(2, 0.02), text(3, 0.98), text(4, 0.5)]
    # 0.02 and 0.98 are as sure (0.98): the newer first; then 0.6 (0.6 sure), then 0.5.
    assert [x.id for x in board.hardest(texts)] == [3, 2, 1, 4]
    assert [board.read_positive(x) for x in texts] == [True, False, True, True]


def test_poll_counts_and_shares():
    assert board.poll_shares(Poll(1, "Q", ["a", "b", "c"], [1, 3, 0], False)) == (
        4, [("a", 1, 0.25), ("b", 3, 0.75), ("c", 0, 0.0)])
    assert board.poll_shares(Poll(1, "Q", ["a", "b"], [0, 0], False)) == (0, [("a", 0, 0.0), ("b", 0, 0.0)])
    assert board.typed_choices("yes\n\n  \nno\r\nmaybe") == ["yes", "no", "maybe"]
    assert board.typed_choices(None) == []


def test_names_hidden_for_projecting():
    names = board.names_of([StudentRow(5, "Ann", 1, "digits", 0, 0, True), StudentRow(9, "Bo", 2, "", 0, 0, False)])
    assert names == {5: (1, "Ann"), 9: (2, "Bo")}
    assert (board.name_of(9, names), board.name_of(9, names, "Student {n}"), board.name_of(4, names)) == \
        ("Bo", "Student 2", "?")
    students = [StudentRow(5, "Ann", 1, "digits", 0, 90.0, True), StudentRow(9, "Bo", 2, "", 0, 10.0, False)]
    assert board.here_count(students) == (1, 2)
    assert [board.seen_ago(s, 100.4) for s in students] == [10, 90]
    assert board.seen_ago(students[0], 80.0) == 0  # a clock behind: never "-10 s ago"


def test_what_a_refusal_means():
    for reason in board.REASONS:
        assert board.refusal_key(reason) in i18n.CATALOGUES["en"]
    assert board.refusal_key("something new") is None and board.refusal_key(None) is None
    assert set(board.TROUBLES) <= set(board.REASONS)


def test_the_address_students_reach():
    default = "http://192.168.1.20:8501"
    assert board.student_address(" http://10.0.0.5:8501 ", default) == ("http://10.0.0.5:8501", True, False)
    assert board.student_address("javascript:alert(1)", default) == (default, False, False)
    assert board.student_address("http://localhost:8501", default) == ("http://localhost:8501", True, True)
    assert board.student_address("http://127.0.0.1:8501", default)[2]


def test_an_address_too_long_for_a_qr_code_is_none():
    default = "http://192.168.1.20:8501"
    longest = "http://" + "a" * (board.MAX_ADDRESS - len("http://"))
    assert board.student_address(f" {longest} ", default) == (longest, True, False)
    assert not board.address_too_long(longest)
    for typed in (longest + "a", "http://" + "a" * 1_000_000 + ".example"):
        assert board.address_too_long(typed)
        assert board.student_address(typed, default) == (default, False, False)


def test_teaching_takes_the_known_drawings_wrong_ones_first():
    drawings = [drawing(1, 1, right=True, label=3), drawing(2, 1), drawing(3, 1, right=False, label=7),
                drawing(4, 2, right=False), drawing(5, 2, right=True, label=1), drawing(6, 3, right=False, label=2)]
    assert [d.id for d in board.teaching_set(drawings)] == [3, 6, 1, 5]
    assert [d.id for d in board.teaching_set(drawings, at_most=1)] == [3]
    rows = board.teaching_set(drawings)
    result = types.SimpleNamespace(accuracy_before=0.99, accuracy_after=0.98, seconds=12.5,
                                   before=np.array([1, 1, 3, 1]), after=np.array([7, 2, 3, 4]))
    summary = board.teaching_summary(rows, result, shown=2)
    assert {k: summary[k] for k in ("n", "right_before", "right_after", "labels", "before", "after")} == {
        "n": 4, "right_before": 2, "right_after": 3, "labels": [7, 2], "before": [1, 1], "after": [7, 2]}
    assert len(summary["images"]) == 2


def test_the_badge_says_in_ended_or_gone():
    poll = Poll(1, "Q", ["a", "b"], [0, 0], False)
    assert board.badge_state(INFO, True, poll) == board.Badge("in", INFO, poll)
    ended = ClassInfo(**{**INFO.__dict__, "ended": True})
    assert board.badge_state(ended, True, poll) == board.Badge("ended", ended, None)
    assert board.badge_state(INFO, False, poll).state == "gone"
    assert board.badge_state(None, False, None).state == "gone"
    assert [board.shares(p) for p in ("digits", "digits_training", "text", "xor")] == \
        ["digits", "digits_training", "text", "page"]
    assert not board.model_changed(None, None) and not board.model_changed(INFO, None)
    assert board.model_changed(ClassInfo(**{**INFO.__dict__, "model_at": 5.0}), None)


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/class.sqlite3", limiter=RateLimiter({}))
    yield store
    store.close()


def test_the_screen_reads_what_the_separate_reads_do(store):
    invitation = store.start_class()
    code, key = invitation.code, invitation.teacher_key
    ann, bo = store.join(code, "a", "Ann"), store.join(code, "b", "Bo")
    for i, (who, reading) in enumerate([(ann, 1), (bo, 7), (ann, 3), (bo, 7)]):
        image = np.full((28, 28), i, np.uint8)
        drawing_id = store.add_drawing(code, who.id, image, reading, 0.9, [0.1] * 10, "ours")
        store.mark_drawing(code, who.id, drawing_id, reading != 7, 1 if reading == 7 else None)
    store.add_run(code, ann.id, {"arch": "tutorial"}, 0.97, 30, {})
    store.add_run(code, bo.id, {"arch": "tutorial"}, 0.97, 20, {})
    store.add_text(code, ann.id, "not bad", "en", "lstm", 0.1, True)
    screen = store.screen(code, key)
    assert [(s.id, s.nickname, s.page) for s in screen.students] == \
        [(s.id, s.nickname, s.page) for s in store.students(code, key)] == [(ann.id, "Ann", ""), (bo.id, "Bo", "")]
    assert [d.id for d in screen.drawings] == [d.id for d in store.drawings(code, key)]
    assert [r.id for r in screen.runs] == [r.id for r in store.runs(code, key)] and screen.runs[0].seconds == 20
    assert np.array_equal(screen.confusion, store.confusion(code, key)) and screen.confusion[7, 7] == 0
    assert screen.confusion[1, 7] == 2 and screen.texts == store.texts(code, key)


def test_the_badge_in_one_read(store):
    invitation = store.start_class()
    code, key = invitation.code, invitation.teacher_key
    ann, bo = store.join(code, "a", "Ann"), store.join(code, "b", "Bo")
    shown = store.badge(code, ann.id, "digits")
    assert (shown.state, shown.info, shown.poll) == ("in", store.class_info(code), None)
    assert shown.info.students == 2
    store.ask(code, key, "Will it?", ["yes", "no"])
    store.answer(code, bo.id, 1)
    assert store.badge(code, ann.id, "digits").poll == store.poll(code) and store.poll(code).counts == [0, 1]
    assert store.students(code, key)[0].page == "digits"  # the badge says where the student is
    store.remove(code, key, "student", bo.number)
    assert store.badge(code, bo.id, "text").state == "gone"
    store.end_class(code, key)
    assert store.badge(code, ann.id, "digits").state == "ended"
    assert store.badge("ZZZZ", ann.id, "digits").state == "gone"


def test_class_info_is_shared_for_a_second_and_read_again_after_a_change(store, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(store_module.time, "monotonic", lambda: clock[0])
    invitation = store.start_class()
    code, key = invitation.code, invitation.teacher_key
    reads = []
    original = store._read
    monkeypatch.setattr(store, "_read", lambda: (reads.append(1), original())[1])
    assert store.class_info(code).students == 0
    assert store.class_info(code).students == 0 and len(reads) == 1  # the second from memory
    store.join(code, "a", "Ann")  # this store's own change: seen at once
    assert store.class_info(code).students == 1
    store.set_locked(code, key, True)
    assert store.class_info(code).locked
    other = Store(store.url, limiter=RateLimiter({}))  # another process's change: within INFO_FRESH
    other.end_class(code, key)
    assert not store.class_info(code).ended
    clock[0] += store_module.INFO_FRESH
    assert store.class_info(code).ended
    other.close()
    assert store.class_info(code, now=1e18) is None  # asked about another moment: read, never from memory
    assert limits.TOUCH_EVERY >= 30  # a badge every 5 s writes "still here" once in six


def test_a_drawing_as_the_picture_the_screen_shows():
    import base64
    import io

    from PIL import Image

    from dlplay.classroom import export

    pixels = np.arange(28 * 28, dtype=np.uint16).reshape(28, 28).astype(np.uint8)
    url = export.png_data_url(pixels.tobytes(), 56)
    assert url.startswith("data:image/png;base64,")
    shown = np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))))
    assert shown.shape == (56, 56) and np.array_equal(shown, pixels.repeat(2, 0).repeat(2, 1))  # square pixels


def test_a_student_is_numbered_in_the_class_and_removed_by_that_number_not_their_id(store):
    """The screen's №, the n of "Student n" and the remove form's number are one number, the student's in the
    class; a student of the second class has another id."""
    first, second = store.start_class(), store.start_class()
    ann = store.join(first.code, "a", "Ann")
    bo, cy = store.join(second.code, "b", "Bo"), store.join(second.code, "c")
    assert (bo.number, cy.number, cy.nickname) == (1, 2, "Student 2") and bo.id != bo.number
    code, key = second.code, second.teacher_key
    assert [(s.number, s.nickname) for s in store.students(code, key)] == [(1, "Bo"), (2, "Student 2")]
    assert store.remove(code, key, "student", cy.number)
    assert [s.nickname for s in store.students(code, key)] == ["Bo"]
    assert not store.remove(code, key, "student", cy.number) and not store.remove(code, key, "student", 3)
    assert [s.nickname for s in store.students(first.code, first.teacher_key)] == [ann.nickname]


def test_a_wall_tile_wears_its_mark_on_the_picture():
    """Framed green with a ✓ badge, red with a ✗, black (the drawing's ground) while unmarked; the same size."""
    from dlplay import colours
    from dlplay.classroom import tiles

    pixels = np.zeros((28, 28), np.uint8).tobytes()
    for right, frame in ((True, colours.RIGHT), (False, colours.WRONG), (None, "#000000")):
        shown = np.asarray(tiles.tile(pixels, 180, right))
        assert shown.shape == (180, 180, 3)
        assert "#" + bytes(shown[90, 2]).hex() == frame.lower()  # the left edge: the frame
        corner = shown[:60, 120:]  # the top right: the badge's white ✓ or ✗, or nothing
        assert corner.max() == (0 if right is None else 255)
    tick, cross = (np.asarray(tiles.mark_badge(right, 60).convert("RGB")) for right in (True, False))
    assert cross[30, 30].min() > 200 and tick[30, 30].min() < 200  # a ✗ crosses at its centre, a ✓ passes below
