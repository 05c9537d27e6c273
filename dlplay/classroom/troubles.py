"""The database troubles students' writes met, for the teacher's screen, whichever server process met them.

A school runs several web processes (`dlplay school`): the teacher's screen may be served by another process than
the student whose write failed. The trouble cannot be written to the class's database, which may be what fails; it
is a small file per class in a folder every process of the server shares (the data folder's `troubles/`), and kept
in memory too, for a folder that cannot be written either (a full disk, a read-only data folder).
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

from dlplay.classroom.limits import normalize_code

NOTE_EVERY = 5.0  # seconds: the same trouble again within this is not written again (a class of 30 writing)
FORGET_AFTER = 24 * 3600  # seconds: older files are removed (a class lives 24 h unless kept)


class Troubles:
    """Each class's last trouble, (reason, when: time.time()), shared through the files of `folder`."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._mine: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._pruned = 0.0

    def note(self, code: str, reason: str, now: float | None = None) -> None:
        """Class `code`'s write met `reason` (one of board.TROUBLES) at `now`."""
        code, now = normalize_code(code), time.time() if now is None else now
        if code is None:
            return
        with self._lock:
            last = self._mine.get(code)
            self._mine[code] = (reason, now)
        if last is not None and last[0] == reason and now - last[1] < NOTE_EVERY:
            return
        if self.folder is not None:
            self._write(code, f"{reason} {now!r}")

    def get(self, code: str) -> tuple[str, float] | None:
        """Class `code`'s last trouble, noted by this process or another, or None."""
        code = normalize_code(code)
        if code is None:
            return None
        found = [self._mine.get(code), self._read(code)]
        return max(filter(None, found), key=lambda trouble: trouble[1], default=None)

    def _write(self, code: str, line: str) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=self.folder, prefix=".", delete=False) as file:
                file.write(line)
            os.replace(file.name, self.folder / code)  # readers see the old line or the new, never half of one
            if time.time() - self._pruned > 3600:
                self._pruned = time.time()
                self._prune(self._pruned)
        except OSError:
            pass  # the memory copy stands: this process's teacher screens still see it

    def _read(self, code: str) -> tuple[str, float] | None:
        if self.folder is None:
            return None
        try:
            reason, when = (self.folder / code).read_text().split()
            return reason, float(when)
        except (OSError, ValueError):
            return None

    def _prune(self, now: float) -> None:
        """Files of classes long gone (by the files' own times)."""
        for path in self.folder.iterdir():
            if path.is_file() and now - path.stat().st_mtime > FORGET_AFTER:
                path.unlink(missing_ok=True)
