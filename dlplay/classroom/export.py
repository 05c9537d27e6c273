"""A class as a ZIP the teacher can keep: a CSV per kind of entry and a PNG per drawing.

The CSV files are UTF-8 with a byte-order mark, so that spreadsheets read 中文 nicknames right.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import zipfile
from datetime import datetime, timezone

from PIL import Image

from dlplay.classroom.rows import ClassInfo, DrawingRow, Poll, RunRow, StudentRow, TextRow

# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(...)"):
# a student's text gets a leading apostrophe there, which spreadsheets show as text.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A value for a CSV cell: numbers as they are, text never read as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def when(seconds: float | None) -> str:
    return "" if seconds is None else datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds")


def png(image) -> bytes:
    out = io.BytesIO()
    Image.fromarray(image).save(out, format="PNG")  # (28, 28) uint8: a grey picture
    return out.getvalue()


def png_data_url(pixels: bytes, size: int) -> str:
    """A drawing (its 28 × 28 bytes) enlarged to `size` px, pixels kept square, as a PNG in a data URL
    (the teacher's screen sends its pictures inside its update rather than as files to fetch)."""
    image = Image.frombytes("L", (28, 28), pixels).resize((size, size), Image.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def csv_text(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[cell(v) for v in row] for row in rows])
    return "\ufeff" + out.getvalue()


def drawing_file(drawing: DrawingRow) -> str:
    return f"drawings/{drawing.id}.png"


def class_zip(info: ClassInfo, students: list[StudentRow], drawings: list[DrawingRow], runs: list[RunRow],
              texts: list[TextRow], poll: Poll | None) -> bytes:
    """The ZIP's bytes: class.csv, students.csv, drawings.csv + drawings/<id>.png, runs.csv, texts.csv, poll.csv."""
    files = {
        "class.csv": csv_text(["code", "created", "expires", "kept", "locked", "ended", "students"],
                              [[info.code, when(info.created), when(info.expires), info.keep, info.locked,
                                info.ended, info.students]]),
        "students.csv": csv_text(["number", "nickname", "page", "joined", "last_seen"],
                                 [[s.number, s.nickname, s.page, when(s.joined), when(s.last_seen)]
                                  for s in students]),
        "drawings.csv": csv_text(
            ["id", "nickname", "reading", "confidence", "marked_right", "label", "model", "at", "file"],
            [[d.id, d.nickname, d.reading, round(d.confidence, 4), d.marked_right, d.label, d.model, when(d.at),
              drawing_file(d)] for d in sorted(drawings, key=lambda d: d.id)]),
        "runs.csv": csv_text(["id", "nickname", "accuracy", "seconds", "settings", "curves", "at"],
                             [[r.id, r.nickname, r.accuracy, round(r.seconds, 2),
                               json.dumps(r.settings, ensure_ascii=False),
                               json.dumps(r.curves, ensure_ascii=False), when(r.at)] for r in runs]),
        "texts.csv": csv_text(["id", "nickname", "text", "lang", "model", "probability_positive", "marked_wrong", "at"],
                              [[t.id, t.nickname, t.text, t.lang, t.model, round(t.probability, 4), t.wrong,
                                when(t.at)] for t in sorted(texts, key=lambda t: t.id)]),
        "poll.csv": csv_text(["question", "choice", "answers", "revealed"],
                             [[poll.question, choice, count, poll.revealed]
                              for choice, count in zip(poll.choices, poll.counts)] if poll else []),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"class-{info.code}/{name}", content.encode("utf-8"))
        for drawing in drawings:
            archive.writestr(f"class-{info.code}/{drawing_file(drawing)}", png(drawing.image))
    return out.getvalue()
