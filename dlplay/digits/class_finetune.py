"""The class's own model: "ours" fine-tuned on the drawings a class corrected (the teacher's /class).

It runs in the training line (dlplay.jobs, in the class's lane): in a thread of the laptop's web process, or on a
school's worker, which reads the class's drawings from the class's store and offers what it taught there, so the
teacher's page only starts it and watches (``teaching_of``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from dlplay import classroom
from dlplay.classroom import ClassError, board
from dlplay.digits import files
from dlplay.digits.background import in_background
from dlplay.digits.finetune import fine_tune
from dlplay.digits.reading import load_shipped
from dlplay.jobs import DONE, DROPPED, FAILED, QUEUED, RUNNING, Reporter, Snapshot, Task

UNAVAILABLE = "training_unavailable"  # a Teaching's problem when the training line cannot be reached


@dataclass
class Teaching:
    """The class model being taught, as the teacher's page shows it."""

    status: str = "waiting"  # for a training slot; then teaching, done or failed
    started: float = field(default_factory=time.monotonic)
    problem: str = ""  # when failed: a ClassError's reason, "failed", or UNAVAILABLE


def teaching_task(code: str, key: str) -> Task:
    return Task("teach_class", f"{__name__}:teach", {"code": code, "key": key}, lane=code)


def teach(payload: dict, reporter: Reporter) -> dict:
    """Fine-tune a copy of "ours" on the class's drawings whose right digit is known, and offer it to the class.
    A refusal of the class's store ends it as failed, with the store's reason as its error."""
    store, code, key = classroom.shared_store(), payload["code"], payload["key"]
    try:
        rows = board.teaching_set(store.drawings(code, key))
        reporter.publish(phase="teaching")
        in_background()
        taught, result = fine_tune(load_shipped("ours"), *board.teaching_arrays(rows))
        store.set_class_model(code, key, files.model_to_bytes(taught), board.teaching_summary(rows, result))
    except ClassError as error:
        return {"status": FAILED, "error": error.reason}
    return {}


def teaching_of(snapshot: Snapshot | None, started: float) -> Teaching:
    """What the teacher's page says of the teaching job's ``snapshot`` (None: the line forgot it, it has ended)."""
    if snapshot is None:
        return Teaching(DONE, started)
    if snapshot.status in (QUEUED, RUNNING):
        return Teaching("waiting" if snapshot.status == QUEUED else "teaching", started)
    if snapshot.status in (FAILED, DROPPED):  # a store's refusal says its reason; anything else (a worker lost) fails
        return Teaching(FAILED, started, snapshot.error if board.refusal_key(snapshot.error) else "failed")
    return Teaching(DONE, started)
