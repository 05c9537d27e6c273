"""Who is in a class: a seat is taken through the join form only, and comes back with the browser that holds it.

A seat is a secret the student's browser keeps (a cookie the UI layer sets); the
`students` table stores it in its `session` column. A link alone never makes
anyone a student. A part of `Store` (its base class), as records.py is.
"""

from __future__ import annotations

import time

from sqlalchemy import func, insert, select, update

import dlplay.classroom.limits as limits
import dlplay.classroom.schema as schema
from dlplay.classroom.limits import ClassError, clean_line, clean_nickname, is_local, key_hash, normalize_code
from dlplay.classroom.rows import Student, StudentRow

C, S = schema.classes, schema.students


class Seats:
    def join(self, code: str, seat: str, nickname: str | None = None, *, unnamed: str = "Student {n}",
             browser: str | None = None, address: str | None = None, now: float | None = None) -> Student:
        """The student of `seat` in class `code` (the same one again for the same seat), as the join form asks.

        `nickname` is cleaned (clean_nickname); None or blank gives `unnamed` with
        the student's number (the page passes its language's "Student {n}"); a
        nickname given again replaces the old one. Every call is a try, limited
        per `browser` and per `address` (who pressed Join; None: not known).
        """
        if not isinstance(seat, str) or not 0 < len(seat) <= limits.MAX_SESSION:
            raise ClassError("bad_session")
        name = clean_nickname(nickname)
        if name is None and nickname is not None and nickname.strip():
            raise ClassError("bad_nickname")  # only invisible characters
        now = time.time() if now is None else now
        self.limiter.check("join", key_hash(browser if browser is not None else seat))
        if address is not None:
            self.limiter.check("join_address", key_hash(address))
        code = normalize_code(code)
        if code is None:
            raise ClassError("no_class")
        self.expire(now)
        with self._write() as conn:
            row = self._class(conn, code, now)  # locked: two joins of one class take turns
            old = conn.execute(select(S).where(S.c.code == code, S.c.session == seat)).one_or_none()
            if old is not None:
                if old.removed:
                    raise ClassError("removed")
                if row.ended:
                    raise ClassError("ended")
                if name and name != old.nickname:
                    conn.execute(update(S).where(S.c.id == old.id).values(nickname=name))
                return Student(old.id, code, name or old.nickname, old.number)
            return self._new_seat(conn, row, seat, name, unnamed, address, now)

    def _new_seat(self, conn, row, seat: str, name: str | None, unnamed: str, address: str | None,
                  now: float) -> Student:
        if row.ended or row.locked:
            # The same answer as for a code that names no class: trying codes tells nothing about which exist.
            raise ClassError("no_class")
        in_class = select(func.count()).where(S.c.code == row.code)
        if conn.execute(in_class.where(S.c.removed.is_(False))).scalar() >= limits.MAX_STUDENTS:
            raise ClassError("full")
        address_hash = None if address is None else key_hash(address)
        if address_hash and not is_local(address):
            if conn.execute(in_class.where(S.c.address_hash == address_hash)).scalar() >= \
                    limits.MAX_SEATS_PER_ADDRESS:
                raise ClassError("too_many_seats")
        number = row.next_number
        name = name or clean_line(unnamed.replace("{n}", str(number)))[:40]
        conn.execute(update(C).where(C.c.code == row.code).values(next_number=number + 1))
        student_id = conn.execute(insert(S).values(
            code=row.code, session=seat, nickname=name, number=number, page="", joined=now, last_seen=now,
            removed=False, address_hash=address_hash)).inserted_primary_key[0]
        self._changed()
        return Student(student_id, row.code, name, number)

    def rejoin(self, code: str, seat: str | None) -> Student | None:
        """The student whose seat the browser holds, back after a reload, a new tab or a restart; None when
        the seat is not (or no longer) in the class. Never a new seat: only the join form makes one."""
        code = normalize_code(code)
        if code is None or not isinstance(seat, str) or not 0 < len(seat) <= limits.MAX_SESSION:
            return None
        with self._read() as conn:
            row = conn.execute(select(S, C.c.expires, C.c.keep).join(C, C.c.code == S.c.code).where(
                S.c.code == code, S.c.session == seat, S.c.removed.is_(False))).one_or_none()
        if row is None or (not row.keep and row.expires < time.time()):
            return None
        return Student(row.id, row.code, row.nickname, row.number)

    def student(self, code: str, student_id: int) -> Student | None:
        """The student, or None once removed (or if the class is gone): the page then forgets the class."""
        code = normalize_code(code)
        with self._read() as conn:
            row = conn.execute(select(S).join(C, C.c.code == S.c.code).where(
                S.c.id == student_id, S.c.code == code, S.c.removed.is_(False))).one_or_none()
        return None if row is None else Student(row.id, row.code, row.nickname, row.number)

    def touch(self, code: str, student_id: int, page: str, now: float | None = None) -> None:
        """The student is on `page` now: cheap on every rerun, it writes on a new page or every TOUCH_EVERY s."""
        now = time.time() if now is None else now
        page = clean_line(page)[:limits.MAX_PAGE]
        key = (str(code), int(student_id))
        last = self._touched.get(key)
        if last and last[0] == page and now - last[1] < limits.TOUCH_EVERY:
            return
        if len(self._touched) > 10_000:
            self._touched.clear()
        self._touched[key] = (page, now)
        with self._write() as conn:
            conn.execute(update(S).where(S.c.id == key[1], S.c.code == normalize_code(code),
                                         S.c.removed.is_(False)).values(page=page, last_seen=now))

    def students(self, code: str, teacher_key: str, now: float | None = None) -> list[StudentRow]:
        """Everyone in the class, in joining order, with the page they are on."""
        with self._read() as conn:
            return self._students(conn, self._teacher(conn, code, teacher_key).code, now)

    @staticmethod
    def _students(conn, code: str, now: float | None = None) -> list[StudentRow]:
        now = time.time() if now is None else now
        found = conn.execute(select(S).where(S.c.code == code, S.c.removed.is_(False)).order_by(S.c.number))
        return [StudentRow(s.id, s.nickname, s.number, s.page, s.joined, s.last_seen,
                           now - s.last_seen <= limits.PRESENT) for s in found]

    def _student(self, conn, code: str, student_id: int):
        """The class row, if student `student_id` may write in it now."""
        row = self._class(conn, code)
        if row.ended:
            raise ClassError("ended")
        removed = conn.execute(select(S.c.removed).where(S.c.id == student_id, S.c.code == row.code)).scalar()
        if removed is None or removed:
            raise ClassError("removed")
        return row
