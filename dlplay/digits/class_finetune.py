"""The class's own model: "ours" fine-tuned on the drawings a class corrected (the teacher's /class).

It runs in a thread of its own while the teacher's page keeps refreshing, in the
app's one training slot (``jobs.shared_queue``), and offers what it taught to
the class through the class's store.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from dlplay.classroom import ClassError, board
from dlplay.digits import files
from dlplay.digits.finetune import fine_tune
from dlplay.digits.jobs import in_background, shared_queue
from dlplay.digits.reading import load_shipped

log = logging.getLogger("dlplay")


@dataclass
class Teaching:
    """The class model being taught, as the teacher's page shows it."""

    status: str = "waiting"  # for a training slot; then teaching, done or failed
    started: float = field(default_factory=time.monotonic)
    problem: str = ""  # when failed: a ClassError's reason, "busy" or "failed"


def teach(store, code: str, key: str, teaching: Teaching) -> None:
    """Fine-tune a copy of "ours" on the class's drawings whose right digit is known, and offer it to the class.

    Never raises: ``teaching`` says how it ended."""
    try:
        rows = board.teaching_set(store.drawings(code, key))
        with shared_queue().slot():
            teaching.status = "teaching"
            in_background()
            taught, result = fine_tune(load_shipped("ours"), *board.teaching_arrays(rows))
        store.set_class_model(code, key, files.model_to_bytes(taught), board.teaching_summary(rows, result))
        teaching.status = "done"
    except ClassError as error:
        teaching.status, teaching.problem = "failed", error.reason
    except TimeoutError:
        teaching.status, teaching.problem = "failed", "busy"
    except Exception:  # the teacher's page says it failed; the log says why
        log.exception("teaching the class model of %s failed", code)
        teaching.status, teaching.problem = "failed", "failed"
