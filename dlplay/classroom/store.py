"""The class: who joined, and what they drew, trained and typed, kept in a database that survives a restart.

Every method opens its own short transaction, so the store is shared by all of
the server's sessions and threads (`shared_store()`). Every write is bounded
(limits.py) and raises ClassError with a short reason the page translates.
The teacher's reads and rights need the teacher key, never just the class code.
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import json
import secrets
import threading
import time

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError

import dlplay.classroom.buckets as buckets
import dlplay.classroom.limits as limits
import dlplay.classroom.schema as schema
from dlplay.classroom.board import POLLS, Badge, badge_state
from dlplay.classroom.limits import ClassError, RateLimiter, clean_line, key_hash, normalize_code
from dlplay.classroom.records import Records
from dlplay.classroom.rows import ClassInfo, Invitation, Poll
from dlplay.classroom.seats import Seats

C, S, A, M = schema.classes, schema.students, schema.answers, schema.class_models
INFO_FRESH = 1.0  # seconds a class's ClassInfo is shared by this process's pages before it is read again


class Store(Records, Seats):
    """One database of classes: SQLite under the data folder unless `url` or DLPLAY_DATABASE_URL says otherwise."""

    def __init__(self, url: str | None = None, limiter: RateLimiter | None = None):
        self.url = url or schema.database_url()
        self._reader, self._writer = schema.make_engine(self.url)
        self.limiter = limiter or buckets.limiter_for(self.url, self._writer)  # shared by a school's processes
        self._ready_lock = threading.Lock()
        self._is_ready = False
        self._touched: dict[tuple[str, int], tuple[str, float]] = {}
        self._infos: dict[str, tuple[float, ClassInfo | None]] = {}  # code -> (read at, monotonic; its info)
        # SQLite has one writer at a time: threads of this process queue here, in order, instead of
        # polling the file lock (its busy handler sleeps up to 100 ms between tries).
        self._write_turn = threading.Lock() if self.url.startswith("sqlite") else contextlib.nullcontext()
        self._file = schema.HeldFile(self.url)

    def _ready(self) -> None:
        """The folder, the file and the schema, made on first use, not at import."""
        with self._ready_lock:
            if self._is_ready:
                return
            schema.create_folder(self.url)
            with self._reader.connect() as conn:
                found = schema.current_version(conn)
            if found < schema.VERSION:
                with self._writer.begin() as conn:
                    schema.migrate(conn)  # reads the version again under the write lock
            self._file.hold()
            self._is_ready = True

    @contextlib.contextmanager
    def _read(self):
        try:
            self._ready()
            with self._reader.connect() as conn:
                yield conn
        except (SQLAlchemyError, OSError) as error:
            raise ClassError("unavailable") from error

    @contextlib.contextmanager
    def _write(self):
        try:
            self._ready()
            if not self._file.still_there():  # removed or replaced under a class: its writes would be lost
                self._reader.dispose()  # its connections hold the removed file open
                raise ClassError("gone")
            with self._write_turn, self._writer.begin() as conn:
                yield conn
        except OperationalError as error:  # read-only file or disk, disk full, or waited 30 s for the lock
            busy = any(word in str(error.orig).lower() for word in ("locked", "busy"))
            raise ClassError("busy" if busy else "readonly") from error
        except OSError as error:  # the data folder cannot be made
            raise ClassError("readonly") from error
        except SQLAlchemyError as error:  # not a database, server gone
            raise ClassError("unavailable") from error

    def close(self) -> None:
        self._reader.dispose()
        self._file.release()

    def start_class(self, now: float | None = None, browser: str | None = None,
                    address: str | None = None) -> Invitation:
        """A new class with a fresh code and teacher key; at most MAX_CLASSES open at once, and of those at most
        MAX_CLASSES_PER_BROWSER started from `browser` and MAX_CLASSES_PER_ADDRESS from `address` (who started
        it; None: not known, as from the command line)."""
        now = time.time() if now is None else now
        starters = {"browser_hash": browser and key_hash(browser), "address_hash": address and key_hash(address)}
        for starter in filter(None, starters.values()):
            self.limiter.check("start", starter)
        if not any(starters.values()):
            self.limiter.check("start", "server")
        self.expire(now)
        teacher_key = secrets.token_urlsafe(24)  # 32 characters
        with self._write() as conn:
            still_open = select(func.count()).select_from(C).where(C.c.ended.is_(False))
            if conn.execute(still_open).scalar() >= limits.MAX_CLASSES:
                raise ClassError("too_many_classes")
            for column, most in (("browser_hash", limits.MAX_CLASSES_PER_BROWSER),
                                 ("address_hash", limits.MAX_CLASSES_PER_ADDRESS)):
                mine = still_open.where(C.c[column] == starters[column])
                if starters[column] and conn.execute(mine).scalar() >= most:
                    raise ClassError("too_many_yours")
            taken = set(conn.execute(select(C.c.code)).scalars())
            code = next(c for c in iter(_new_code, None) if c not in taken)
            conn.execute(insert(C).values(code=code, teacher_hash=key_hash(teacher_key), created=now,
                                          expires=now + limits.LIFETIME, keep=False, locked=False, ended=False,
                                          next_number=1, poll_number=0, revealed=False, **starters))
        return Invitation(code, teacher_key)

    def class_info(self, code: str, now: float | None = None) -> ClassInfo | None:
        """The class of `code`, or None if there is none (or it has expired).

        Every page of a class asks; one read serves this process's pages for INFO_FRESH s (this store's own
        changes to the class are seen at once; another process's within INFO_FRESH s)."""
        code = normalize_code(code)
        if code is None:
            return None
        if now is None and (held := self._infos.get(code)) and time.monotonic() - held[0] < INFO_FRESH:
            return held[1]
        read_at = time.monotonic()
        with self._read() as conn:
            row = conn.execute(_info_query(code)).one_or_none()
        info = None if row is None or _expired(row, now) else _info(row)
        if now is None:
            if len(self._infos) > 1000:
                self._infos.clear()
            self._infos[code] = (read_at, info)
        return info

    def _changed(self) -> None:
        """A class's row, students or model changed: its ClassInfo is read again."""
        self._infos.clear()

    def badge(self, code: str, student_id: int, page: str) -> Badge:
        """What a student's badge shows (the class, whether they are still in it, the open poll) in one read;
        "still on `page`" is written every TOUCH_EVERY s (touch)."""
        self.touch(code, student_id, page)
        code = normalize_code(code)
        with self._read() as conn:
            row = conn.execute(_info_query(code, student_id)).one_or_none()
            if row is None or _expired(row):
                return badge_state(None, False, None)
            poll = _poll(conn, row) if row.here and not row.ended else None
        return badge_state(_info(row), bool(row.here), poll)

    def is_teacher(self, code: str, teacher_key: str | None) -> bool:
        """Whether `teacher_key` is the key of class `code` (compared in constant time)."""
        code = normalize_code(code)
        if code is None or not isinstance(teacher_key, str):
            return False
        with self._read() as conn:
            row = conn.execute(select(C.c.teacher_hash, C.c.expires, C.c.keep).where(C.c.code == code)).one_or_none()
        return row is not None and not _expired(row) and hmac.compare_digest(row.teacher_hash, key_hash(teacher_key))

    @staticmethod
    def _class(conn, code: str, now: float | None = None):
        """The class row of `code`, or ClassError("no_class").

        In a write, the row is locked (SELECT ... FOR UPDATE; SQLite needs none,
        its writes already take turns), so that on PostgreSQL two writes to one
        class also take turns and its counts and limits hold.
        """
        code = normalize_code(code)
        query = select(C).where(C.c.code == code)
        if conn.get_execution_options().get("write"):
            query = query.with_for_update()
        row = conn.execute(query).one_or_none() if code else None
        if row is None or _expired(row, now):
            raise ClassError("no_class")
        return row

    def _teacher(self, conn, code: str, teacher_key: str | None):
        """The class row of `code` if `teacher_key` is its key; ClassError("no_class" | "not_teacher") otherwise."""
        row = self._class(conn, code)
        if not isinstance(teacher_key, str) or not hmac.compare_digest(row.teacher_hash, key_hash(teacher_key)):
            raise ClassError("not_teacher")
        return row

    def _set(self, code: str, teacher_key: str, **values) -> None:
        self.limiter.check("teacher", key_hash(teacher_key))
        with self._write() as conn:
            row = self._teacher(conn, code, teacher_key)
            conn.execute(update(C).where(C.c.code == row.code).values(**values))
        self._changed()

    def set_locked(self, code: str, teacher_key: str, locked: bool) -> None:
        """A locked class takes no new students; those who joined carry on."""
        self._set(code, teacher_key, locked=bool(locked))

    def end_class(self, code: str, teacher_key: str) -> None:
        """Students can no longer write; the teacher can still look and export until it expires."""
        self._set(code, teacher_key, ended=True, locked=True)

    def keep_class(self, code: str, teacher_key: str, keep: bool = True) -> None:
        """A kept class never expires (until the teacher lets it go again)."""
        self._set(code, teacher_key, keep=bool(keep))

    def new_teacher_key(self, code: str, teacher_key: str) -> str:
        """A new teacher key for the class, returned; the old one (a leaked teacher link) opens nothing from now."""
        fresh = secrets.token_urlsafe(24)
        self._set(code, teacher_key, teacher_hash=key_hash(fresh))
        return fresh

    def delete_class(self, code: str, teacher_key: str) -> None:
        """The class and everything in it, gone now rather than when it expires."""
        self.limiter.check("teacher", key_hash(teacher_key))
        with self._write() as conn:
            row = self._teacher(conn, code, teacher_key)
            for table in schema.CLASS_TABLES:
                conn.execute(delete(table).where(table.c.code == row.code))
        self._changed()

    def ask(self, code: str, teacher_key: str, question: str, choices: list[str], preset: str | None = None) -> None:
        """A new poll (`preset`: which of board.POLLS it is): the last one's answers are dropped."""
        question = clean_line(question)
        choices = [clean_line(c) for c in choices]
        if not question:
            raise ClassError("empty")
        if len(question) > limits.MAX_QUESTION or any(len(c) > limits.MAX_CHOICE for c in choices):
            raise ClassError("too_long")
        if not 2 <= len(choices) <= limits.MAX_CHOICES or not all(choices) or preset not in (None, *POLLS):
            raise ClassError("bad_choices")
        self.limiter.check("teacher", key_hash(teacher_key))
        with self._write() as conn:
            row = self._teacher(conn, code, teacher_key)
            conn.execute(delete(A).where(A.c.code == row.code))
            conn.execute(update(C).where(C.c.code == row.code).values(
                question=question, choices=json.dumps(choices, ensure_ascii=False), revealed=False,
                poll_number=row.poll_number + 1, preset=preset))
        self._changed()

    def close_poll(self, code: str, teacher_key: str) -> None:
        self.limiter.check("teacher", key_hash(teacher_key))
        with self._write() as conn:
            row = self._teacher(conn, code, teacher_key)
            conn.execute(delete(A).where(A.c.code == row.code))
            conn.execute(update(C).where(C.c.code == row.code).values(question=None, choices=None, revealed=False))
        self._changed()

    def reveal(self, code: str, teacher_key: str, revealed: bool = True) -> None:
        """Show the students how the class answered."""
        self._set(code, teacher_key, revealed=bool(revealed))

    def answer(self, code: str, student_id: int, choice: int) -> None:
        """The student's answer to the open poll; answering again changes it."""
        self.limiter.check("answer", f"{code}/{student_id}")
        with self._write() as conn:
            row = self._student(conn, code, student_id)
            if row.question is None:
                raise ClassError("no_poll")
            if not isinstance(choice, int) or not 0 <= choice < len(json.loads(row.choices)):
                raise ClassError("bad_choice")
            conn.execute(delete(A).where(A.c.code == row.code, A.c.student_id == student_id))
            conn.execute(insert(A).values(code=row.code, student_id=student_id, choice=choice))

    def poll(self, code: str) -> Poll | None:
        """The open poll with its counts (the page shows counts to students only once revealed)."""
        code = normalize_code(code)
        with self._read() as conn:
            row = conn.execute(select(C).where(C.c.code == code)).one_or_none()
            return None if row is None or _expired(row) else _poll(conn, row)

    def expire(self, now: float | None = None) -> int:
        """Delete the classes past their time that the teacher did not keep; how many."""
        now = time.time() if now is None else now
        with self._write() as conn:
            codes = list(conn.execute(select(C.c.code).where(C.c.keep.is_(False), C.c.expires < now)).scalars())
            for table in schema.CLASS_TABLES if codes else ():
                conn.execute(delete(table).where(table.c.code.in_(codes)))
        if codes:
            self._changed()
        return len(codes)


def _info_query(code: str | None, student_id: int | None = None):
    """The class row with its student count and class model's time (and whether `student_id` is still in it)."""
    members = select(func.count()).where(S.c.code == code, S.c.removed.is_(False))
    columns = [C, members.scalar_subquery().label("members"),
               select(M.c.at).where(M.c.code == code).scalar_subquery().label("model_at")]
    if student_id is not None:
        columns.append(members.where(S.c.id == student_id).scalar_subquery().label("here"))
    return select(*columns).where(C.c.code == code)


def _info(row) -> ClassInfo:
    return ClassInfo(row.code, row.created, row.expires, row.keep, row.locked, row.ended, row.members, row.question,
                     row.model_at)


def _poll(conn, row) -> Poll | None:
    """The open poll of the class `row`, with its counts; None when there is none."""
    if row.question is None:
        return None
    choices = json.loads(row.choices)
    counts = [0] * len(choices)
    for choice, n in conn.execute(select(A.c.choice, func.count()).where(A.c.code == row.code).group_by(A.c.choice)):
        counts[choice] = n
    return Poll(row.poll_number, row.question, choices, counts, row.revealed, row.preset)


def _new_code() -> str:
    return "".join(secrets.choice(limits.CODE_ALPHABET) for _ in range(limits.CODE_LENGTH))


def _expired(row, now: float | None = None) -> bool:
    return not row.keep and row.expires < (time.time() if now is None else now)


@functools.cache
def shared_store() -> Store:
    """The app's one store (per process), on DLPLAY_DATABASE_URL or the data folder."""
    return Store()
