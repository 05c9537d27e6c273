"""What the class store hands back: plain, frozen records (no database objects leave the store)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Invitation:
    """A new class: its code (for students) and the teacher key (for the teacher alone)."""

    code: str
    teacher_key: str


@dataclass(frozen=True)
class ClassInfo:
    code: str
    created: float
    expires: float  # when it is deleted, unless `keep`
    keep: bool
    locked: bool  # no new students
    ended: bool  # no more writes from students; the teacher can still read and export
    students: int  # joined and not removed
    question: str | None  # the open poll's question
    model_at: float | None  # when the class model was last set (students compare it to reload)


@dataclass(frozen=True)
class Student:
    id: int
    code: str
    nickname: str
    number: int  # "Student 12": numbered in joining order


@dataclass(frozen=True)
class StudentRow:
    id: int
    nickname: str
    number: int
    page: str
    joined: float
    last_seen: float
    here: bool  # seen within limits.PRESENT seconds


@dataclass(frozen=True)
class DrawingRow:
    id: int
    student_id: int
    nickname: str
    image: np.ndarray = field(repr=False)  # (28, 28) uint8, what the model saw
    reading: int | None
    confidence: float
    probabilities: list[float] = field(repr=False)
    model: str
    marked_right: bool | None  # None: not marked
    label: int | None  # the right digit: the reading when marked right, the student's when wrong
    at: float


@dataclass(frozen=True)
class RunRow:
    id: int
    student_id: int
    nickname: str
    settings: dict
    accuracy: float
    seconds: float
    curves: dict = field(repr=False)
    at: float


@dataclass(frozen=True)
class TextRow:
    id: int
    student_id: int
    nickname: str
    text: str
    lang: str
    model: str
    probability: float  # of "positive"
    wrong: bool  # the student marked the reading wrong
    at: float

    @property
    def certainty(self) -> float:
        """How sure the model was of its reading, 0.5 to 1: the most certain wrong readings are the hardest."""
        return max(self.probability, 1 - self.probability)


@dataclass(frozen=True)
class Poll:
    number: int  # grows with each question, so a page can tell a new question from the last
    question: str
    choices: list[str]
    counts: list[int]  # answers per choice
    revealed: bool
    preset: str | None = None  # one of board.POLLS: each student reads it in their own language


@dataclass(frozen=True)
class ClassScreen:
    """What the teacher's screen shows of a class, read at one moment (Store.screen)."""

    students: list[StudentRow]
    drawings: list[DrawingRow]  # newest first
    runs: list[RunRow]  # the leaderboard's order
    confusion: np.ndarray = field(repr=False)  # 10 × 10: row = the right digit, column = the reading
    texts: list[TextRow]  # read wrong, the hardest first


@dataclass(frozen=True)
class Removed:
    """What the teacher removed, as it was (Store.remove), to show it and to put it back (Store.restore)."""

    kind: str  # "drawing", "run", "text" or "student"
    number: int  # its № on the teacher's screen
    rows: dict[str, list[dict]] = field(repr=False)  # table name -> its rows removed, as they were
    label: str = ""  # a student's nickname, a sentence's text, a run's accuracy: what the confirmation shows
    image: bytes | None = field(default=None, repr=False)  # a drawing's 28 × 28 pixels
    student_id: int | None = None  # a student's: restore() lets them back in
