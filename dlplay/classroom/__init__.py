"""The class together: a teacher's screen that gathers what every student draws, trains and types.

`shared_store()` is the app's store (store.py; SQLAlchemy is imported only when
it is first used, so a page outside a class pays nothing). ClassError's reasons
are board.REASONS, each with its sentence in both languages.
"""

from __future__ import annotations

from dlplay.classroom.limits import ClassError, clean_nickname, normalize_code
from dlplay.classroom.rows import (
    ClassInfo,
    ClassScreen,
    DrawingRow,
    Invitation,
    Poll,
    RunRow,
    Student,
    StudentRow,
    TextRow,
)

__all__ = ["ClassError", "ClassInfo", "ClassScreen", "DrawingRow", "Invitation", "Poll", "RunRow", "Store", "Student",
           "StudentRow", "TextRow", "clean_nickname", "normalize_code", "shared_store"]


def shared_store():
    """The app's one Store per process, on DLPLAY_DATABASE_URL or the data folder."""
    from dlplay.classroom.store import shared_store as store

    return store()


def __getattr__(name: str):
    if name == "Store":
        from dlplay.classroom.store import Store

        return Store
    raise AttributeError(name)
