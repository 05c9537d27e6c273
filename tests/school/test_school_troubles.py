"""A database trouble a student's write met in one web process is seen by the teacher's screen in another."""

from dlplay.classroom.troubles import NOTE_EVERY, Troubles

T0 = 1_800_000_000.0


def test_a_trouble_noted_by_one_process_is_seen_by_another(tmp_path):
    student_side, teacher_side = Troubles(tmp_path / "troubles"), Troubles(tmp_path / "troubles")
    assert teacher_side.get("K7QM2P") is None
    student_side.note("k7qm2p", "readonly", now=T0)
    assert teacher_side.get("K7QM2P") == ("readonly", T0)
    assert teacher_side.get("ABCDEF") is None  # another class is not told
    teacher_side.note("K7QM2P", "unavailable", now=T0 + 1)  # the newest wins, whoever noted it
    assert student_side.get("K7QM2P") == ("unavailable", T0 + 1)
    student_side.note("K7QM2P", "busy", now=T0 + 2)
    student_side.note("K7QM2P", "busy", now=T0 + 2 + NOTE_EVERY / 2)  # the same again, soon: not written again
    assert teacher_side.get("K7QM2P") == ("busy", T0 + 2)
    assert student_side.get("K7QM2P") == ("busy", T0 + 2 + NOTE_EVERY / 2)


def test_a_folder_that_cannot_be_written_still_tells_this_process(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    troubles = Troubles(tmp_path / "file" / "troubles")
    troubles.note("K7QM2P", "readonly", now=T0)
    assert troubles.get("K7QM2P") == ("readonly", T0)
    assert Troubles(None).get("K7QM2P") is None and Troubles(tmp_path).get("../etc") is None
