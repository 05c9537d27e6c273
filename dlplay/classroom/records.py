"""What students send to their class (drawings, training runs, sentences) and what the teacher reads of it.

A part of `Store` (its base class), kept apart to keep each file short: it
uses the store's transactions (`_read`, `_write`) and its checks (`_teacher`,
`_student`).
"""

from __future__ import annotations

import json
import math
import time

import numpy as np
from sqlalchemy import delete, insert, select, update

import dlplay.classroom.limits as limits
import dlplay.classroom.schema as schema
from dlplay.classroom.board import confusion, hardest, ranked, wall
from dlplay.classroom.limits import ClassError, clean_line, key_hash
from dlplay.classroom.rows import ClassScreen, DrawingRow, Removed, RunRow, TextRow

D, R, T, S, M = schema.drawings, schema.runs, schema.texts, schema.students, schema.class_models
KINDS = {"drawing": D, "run": R, "text": T}


class Records:
    def add_drawing(self, code: str, student_id: int, image, reading: int | None, confidence: float,
                    probabilities, model: str) -> int:
        """Keep a drawing with the model's reading; the student's oldest beyond MAX_DRAWINGS_PER_STUDENT go. Its id.

        `image` is what the model saw: (28, 28) uint8, or floats in [0, 1]. The same image from the same model
        as the student's newest drawing is that drawing (a page that reconnects sends it again): nothing is added.
        """
        values = _drawing(image, reading, confidence, probabilities, model)
        self.limiter.check("drawing", f"{code}/{student_id}")
        with self._write() as conn:
            row = self._student(conn, code, student_id)
            return _insert_drawing(conn, row.code, student_id, values)

    def revise_drawing(self, code: str, student_id: int, drawing_id: int, image, reading: int | None,
                       confidence: float, probabilities, model: str) -> int:
        """The drawing `drawing_id` as the student goes on with it, or as another model reads it: revised in place
        while it is unmarked; once marked (or removed) what the student draws on is a new drawing. Its id."""
        values = _drawing(image, reading, confidence, probabilities, model)
        self.limiter.check("drawing", f"{code}/{student_id}")
        with self._write() as conn:
            row = self._student(conn, code, student_id)
            revised = conn.execute(update(D).where(
                D.c.id == drawing_id, D.c.code == row.code, D.c.student_id == student_id, D.c.marked_right.is_(None)
            ).values(**values, at=time.time())).rowcount
            return drawing_id if revised else _insert_drawing(conn, row.code, student_id, values)

    def mark_drawing(self, code: str, student_id: int, drawing_id: int, right: bool, label: int | None = None,
                     seen: tuple[int | None, str] | None = None) -> None:
        """The student says the reading was right, or wrong (and, if they say, which digit it is). `seen`: the
        reading the student saw and the model that made it, stored with the mark."""
        if not right and label is not None and label not in range(10):
            raise ClassError("bad_label")
        if seen is not None and seen[0] is not None and seen[0] not in range(10):
            raise ClassError("bad_value")
        self.limiter.check("mark", f"{code}/{student_id}")
        with self._write() as conn:
            row = self._student(conn, code, student_id)
            found = conn.execute(select(D.c.reading).where(
                D.c.id == drawing_id, D.c.code == row.code, D.c.student_id == student_id)).one_or_none()
            if found is None:
                raise ClassError("no_drawing")
            reading = found.reading if seen is None else seen[0]
            if right and reading is None:
                raise ClassError("bad_label")
            shown = {} if seen is None else {"reading": reading, "model": _name(seen[1])}
            conn.execute(update(D).where(D.c.id == drawing_id).values(
                marked_right=bool(right), label=reading if right else label, **shown))

    def drawings(self, code: str, teacher_key: str, latest: bool = False) -> list[DrawingRow]:
        """The class's drawings, newest first; with `latest`, only each student's newest (the wall)."""
        with self._read() as conn:
            rows = _drawings(conn, self._teacher(conn, code, teacher_key).code)
        return wall(rows) if latest else rows

    def confusion(self, code: str, teacher_key: str) -> np.ndarray:
        """10×10 counts of the marked drawings: row = the right digit, column = the model's reading."""
        with self._read() as conn:
            row = self._teacher(conn, code, teacher_key)
            return confusion(conn.execute(select(D.c.label, D.c.reading).where(
                D.c.code == row.code, D.c.label.is_not(None), D.c.reading.is_not(None))).all())

    def screen(self, code: str, teacher_key: str) -> ClassScreen:
        """Everything the teacher's screen shows, read together (one transaction: the sections agree)."""
        with self._read() as conn:
            row = self._teacher(conn, code, teacher_key)
            students = self._students(conn, row.code)
            drawings = _drawings(conn, row.code)
            runs, texts = _runs(conn, row.code), _texts(conn, row.code)
        marked = [(d.label, d.reading) for d in drawings if d.label is not None and d.reading is not None]
        return ClassScreen(students, drawings, runs, confusion(marked), texts)

    def corrected(self, code: str, wrong_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The drawings whose right digit is known, to teach the class model: images (n, 28, 28) uint8, labels.

        Those marked right come too (unless `wrong_only`), so the model also keeps what it got right.
        """
        query = select(D.c.image, D.c.label).where(D.c.code == limits.normalize_code(code), D.c.label.is_not(None))
        if wrong_only:
            query = query.where(D.c.marked_right.is_(False))
        with self._read() as conn:
            found = conn.execute(query.order_by(D.c.id)).all()
        images = np.stack([_image(r.image) for r in found]) if found else np.zeros((0, 28, 28), np.uint8)
        return images, np.array([r.label for r in found], np.int64)

    def set_class_model(self, code: str, teacher_key: str, model_bytes: bytes, summary: dict) -> None:
        """Offer `model_bytes` (a .keras file) to every student of the class as "our class's model"."""
        if len(model_bytes) > limits.MAX_MODEL_BYTES:
            raise ClassError("too_long")
        summary_json = _json(summary, 100_000)
        self.limiter.check("teacher", key_hash(teacher_key))
        with self._write() as conn:
            row = self._teacher(conn, code, teacher_key)
            conn.execute(delete(M).where(M.c.code == row.code))
            conn.execute(insert(M).values(code=row.code, model=bytes(model_bytes), summary=summary_json,
                                          at=time.time()))
        self._changed()

    def class_model(self, code: str) -> tuple[bytes, dict] | None:
        """The class model's .keras bytes and summary, or None (ClassInfo.model_at says when it changed)."""
        with self._read() as conn:
            row = conn.execute(select(M.c.model, M.c.summary).where(
                M.c.code == limits.normalize_code(code))).one_or_none()
        return None if row is None else (bytes(row.model), json.loads(row.summary))

    def add_run(self, code: str, student_id: int, settings: dict, accuracy: float, seconds: float,
                curves: dict) -> int:
        """Keep a finished /digits-training run for the leaderboard; curves longer than MAX_CURVE_POINTS are thinned."""
        if not (math.isfinite(accuracy) and 0 <= accuracy <= 1 and math.isfinite(seconds) and seconds >= 0):
            raise ClassError("bad_value")
        settings_json = _json(settings, limits.MAX_SETTINGS)
        curves_json = _json({clean_line(name)[:40]: _thin(values) for name, values in list(curves.items())[:20]},
                            1_000_000)
        self.limiter.check("run", f"{code}/{student_id}")
        with self._write() as conn:
            row = self._student(conn, code, student_id)
            run_id = conn.execute(insert(R).values(
                code=row.code, student_id=student_id, settings=settings_json, accuracy=float(accuracy),
                seconds=float(seconds), curves=curves_json, at=time.time())).inserted_primary_key[0]
            _keep_newest(conn, R, row.code, student_id, limits.MAX_RUNS_PER_STUDENT)
        return run_id

    def runs(self, code: str, teacher_key: str) -> list[RunRow]:
        """The leaderboard: best test accuracy first, the faster run first on a tie."""
        with self._read() as conn:
            return _runs(conn, self._teacher(conn, code, teacher_key).code)

    def add_text(self, code: str, student_id: int, text: str, lang: str, model: str, probability: float,
                 wrong: bool) -> int:
        """Keep a sentence from /text, the model's probability of "positive", and whether the student says it's
        wrong."""
        text = clean_line(text)
        if not text:
            raise ClassError("empty")
        if len(text) > limits.MAX_TEXT:
            raise ClassError("too_long")
        if not (math.isfinite(probability) and 0 <= probability <= 1):
            raise ClassError("bad_value")
        self.limiter.check("text", f"{code}/{student_id}")
        with self._write() as conn:
            row = self._student(conn, code, student_id)
            text_id = conn.execute(insert(T).values(
                code=row.code, student_id=student_id, text=text, lang=_name(lang)[:8], model=_name(model),
                probability=float(probability), wrong=bool(wrong), at=time.time())).inserted_primary_key[0]
            _keep_newest(conn, T, row.code, student_id, limits.MAX_TEXTS_PER_STUDENT)
        return text_id

    def texts(self, code: str, teacher_key: str, wrong_only: bool = True) -> list[TextRow]:
        """"Fool the model": the sentences students marked as read wrong, the most confidently wrong first."""
        with self._read() as conn:
            return _texts(conn, self._teacher(conn, code, teacher_key).code, wrong_only)

    def remove(self, code: str, teacher_key: str, kind: str, number: int) -> Removed | None:
        """Delete a drawing, run or text, or a student and all they sent (they cannot join again): what was
        removed, to show and to put back (restore), or None when there was nothing.

        `number` is the entry's № as the teacher's screen shows it: a drawing's, run's or text's id, and a
        student's number in the class (their "Student n"), not the student's id."""
        if kind not in (*KINDS, "student"):
            raise ClassError("bad_kind")
        self.limiter.check("teacher", key_hash(teacher_key))
        with self._write() as conn:
            row = self._teacher(conn, code, teacher_key)
            if kind != "student":
                table = KINDS[kind]
                found = _rows(conn, table, table.c.id == number, table.c.code == row.code)
                if not found:
                    return None
                conn.execute(delete(table).where(table.c.id == number, table.c.code == row.code))
                return Removed(kind, number, {table.name: found}, **_shown(kind, found[0]))
            student = conn.execute(select(S).where(S.c.code == row.code, S.c.number == number,
                                                   S.c.removed.is_(False))).one_or_none()
            if student is None:
                return None
            conn.execute(update(S).where(S.c.id == student.id).values(removed=True, page=""))
            kept = {}
            for table in KINDS.values():  # their poll answer is not kept: the poll may have moved on
                kept[table.name] = _rows(conn, table, table.c.student_id == student.id, table.c.code == row.code)
            for table in (*KINDS.values(), schema.answers):
                conn.execute(delete(table).where(table.c.student_id == student.id, table.c.code == row.code))
        self._changed()
        return Removed("student", number, kept, label=student.nickname, student_id=student.id)

    def restore(self, code: str, teacher_key: str, removed: Removed) -> None:
        """Put back what remove() took (the teacher's Undo): the rows as they were, under new numbers, and a
        removed student back in the class."""
        self.limiter.check("teacher", key_hash(teacher_key))
        with self._write() as conn:
            row = self._teacher(conn, code, teacher_key)
            if removed.student_id is not None:
                conn.execute(update(S).where(S.c.id == removed.student_id, S.c.code == row.code).values(removed=False))
            for name, rows in removed.rows.items():
                # New ids: SQLite may have given a removed newest id to the next entry since.
                rows = [{k: v for k, v in r.items() if k != "id"} for r in rows if r["code"] == row.code]
                if rows:
                    conn.execute(insert(schema.metadata.tables[name]), rows)
        self._changed()

    def export_zip(self, code: str, teacher_key: str) -> bytes:
        """Everything of the class as a ZIP: a CSV per kind and a PNG per drawing (see export.py)."""
        from dlplay.classroom.export import class_zip

        return class_zip(self.class_info(code), self.students(code, teacher_key), self.drawings(code, teacher_key),
                         self.runs(code, teacher_key), self.texts(code, teacher_key, wrong_only=False),
                         self.poll(code))


def _drawings(conn, code: str) -> list[DrawingRow]:
    found = conn.execute(select(D, S.c.nickname).join(S, S.c.id == D.c.student_id)
                         .where(D.c.code == code).order_by(D.c.id.desc()))
    return [DrawingRow(d.id, d.student_id, d.nickname, _image(d.image), d.reading, d.confidence,
                       json.loads(d.probabilities), d.model, d.marked_right, d.label, d.at) for d in found]


def _runs(conn, code: str) -> list[RunRow]:
    found = conn.execute(select(R, S.c.nickname).join(S, S.c.id == R.c.student_id).where(R.c.code == code))
    return ranked([RunRow(r.id, r.student_id, r.nickname, json.loads(r.settings), r.accuracy, r.seconds,
                          json.loads(r.curves), r.at) for r in found])


def _texts(conn, code: str, wrong_only: bool = True) -> list[TextRow]:
    query = select(T, S.c.nickname).join(S, S.c.id == T.c.student_id).where(T.c.code == code)
    found = conn.execute(query.where(T.c.wrong.is_(True)) if wrong_only else query)
    return hardest([TextRow(t.id, t.student_id, t.nickname, t.text, t.lang, t.model, t.probability, t.wrong, t.at)
                    for t in found])


def _drawing(image, reading: int | None, confidence: float, probabilities, model: str) -> dict:
    """A drawing's columns, checked: what the model saw and what it read."""
    pixels = _pixels(image)
    if reading is not None and reading not in range(10):
        raise ClassError("bad_value")
    probabilities = [float(p) for p in np.asarray(probabilities, np.float64).ravel()]
    if len(probabilities) != 10 or not all(0 <= p <= 1 for p in probabilities + [float(confidence)]):
        raise ClassError("bad_value")
    return {"image": pixels.tobytes(), "reading": reading, "confidence": float(confidence),
            "probabilities": json.dumps(probabilities), "model": _name(model)}


def _insert_drawing(conn, code: str, student_id: int, values: dict) -> int:
    newest = conn.execute(select(D.c.id, D.c.image, D.c.model).where(D.c.code == code, D.c.student_id == student_id)
                          .order_by(D.c.id.desc()).limit(1)).one_or_none()
    if newest is not None and newest.image == values["image"] and newest.model == values["model"]:
        return newest.id
    drawing_id = conn.execute(insert(D).values(code=code, student_id=student_id, at=time.time(), **values)
                              ).inserted_primary_key[0]
    _keep_newest(conn, D, code, student_id, limits.MAX_DRAWINGS_PER_STUDENT)
    return drawing_id


def _pixels(image) -> np.ndarray:
    pixels = np.asarray(image)
    if pixels.shape != (28, 28) or not np.isfinite(pixels).all():
        raise ClassError("bad_image")
    if pixels.dtype != np.uint8:
        if pixels.min() < 0 or pixels.max() > 1:
            raise ClassError("bad_image")
        pixels = np.round(pixels * 255).astype(np.uint8)
    return pixels


def _image(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, np.uint8).reshape(28, 28).copy()


def _name(value: str) -> str:
    return clean_line(str(value))[:40]


def _json(value: dict, limit: int) -> str:
    """`value` as JSON (non-finite numbers as null), or ClassError("too_long") past `limit` characters."""
    try:
        dumped = json.dumps(_finite(value), ensure_ascii=False, allow_nan=False, default=str)
    except (TypeError, ValueError):
        raise ClassError("bad_value") from None
    if len(dumped) > limit:
        raise ClassError("too_long")
    return dumped


def _finite(value):
    if isinstance(value, (np.generic, np.ndarray)):
        value = value.tolist()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _thin(values) -> list[float]:
    """At most MAX_CURVE_POINTS of `values`, evenly spread, first and last kept."""
    values = [float(v) for v in values]
    if len(values) <= limits.MAX_CURVE_POINTS:
        return values
    picks = np.linspace(0, len(values) - 1, limits.MAX_CURVE_POINTS).round().astype(int)
    return [values[i] for i in picks]


def _keep_newest(conn, table, code: str, student_id: int, keep: int) -> None:
    """One statement, inside the write's turn: what it holds up, every other writer waits for."""
    mine = (table.c.code == code) & (table.c.student_id == student_id)
    kept = select(table.c.id).where(mine).order_by(table.c.id.desc()).limit(keep)
    conn.execute(delete(table).where(mine, table.c.id.not_in(kept)))


def _rows(conn, table, *where) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(select(table).where(*where))]


def _shown(kind: str, row: dict) -> dict:
    """What a removal's confirmation shows of an entry: a drawing's picture, a sentence, a run's accuracy."""
    if kind == "drawing":
        return {"image": bytes(row["image"])}
    if kind == "text":
        return {"label": row["text"]}
    return {"label": f"{row['accuracy']:.1%}"}
