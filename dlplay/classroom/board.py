"""What the teacher's screen and a student's badge show, decided here as plain data (the pages only draw it).

The wall, the confusions, the leaderboard, "fool the model", the poll's counts, the class model's
summary, and what a refusal means; all from the frozen rows the store hands back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from dlplay import i18n
from dlplay.classroom.rows import ClassInfo, DrawingRow, Poll, RunRow, StudentRow, TextRow

# Every reason a ClassError gives; each has its sentence "classroom.error.<reason>" in the catalogues.
REASONS = ("no_class", "ended", "locked", "full", "removed", "too_many_classes", "too_many_yours", "too_many_seats",
           "rate_limited", "too_long", "empty", "not_teacher", "readonly", "busy", "unavailable", "bad_nickname",
           "bad_session", "bad_value", "bad_image", "bad_label", "bad_choice", "bad_choices", "bad_kind", "no_drawing",
           "no_poll", "failed", "gone")
TROUBLES = ("readonly", "busy", "unavailable", "gone")  # the database's own: the teacher's page is told too
WRONG_SHOWN = 24  # drawings shown per digit among the model's mistakes
TAUGHT_AT_MOST = 200  # drawings the class model learns (the wrong ones first): teaching stays within a minute or two
SHOWN = 40  # drawings kept in the class model's summary to show before -> after
# Questions tied to the lessons (catalogue "classroom.poll.q.<id>", its choices split at "|"), and where to
# run each live once the class has answered.
POLLS = {
    "xor_lr10": ("pages/xor.py", {"model": "mlp", "lr": "10", "epochs": "1000"}),
    "confuse7": ("pages/digits.py", {}),
    "relu": ("pages/activations.py", {"f": "relu", "x": "-2"}),
    "not_good": ("pages/text.py", {"text": "not good"}),
    "epochs": ("pages/digits_training.py", {"epochs": "5"}),
    "lr_big": ("pages/digits_training.py", {"lr": "1"}),
}
SHARING_PAGES = ("digits", "digits_training", "text")  # lesson pages that send something to the class
ADDRESS = re.compile(r"https?://(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9.\-]+)(:\d{1,5})?(/[A-Za-z0-9._~\-/]*)?")
LOCAL = re.compile(r"https?://(127\.|localhost|\[::1\])")
# Characters of an address the teacher types: a class link on it stays a QR code a phone reads across a room.
MAX_ADDRESS = 100


def refusal_key(reason: object) -> str | None:
    """The catalogue key of what a refusal means, or None for a reason we do not know (said as "unknown")."""
    return f"classroom.error.{reason}" if reason in REASONS else None


def student_address(typed: str, default: str) -> tuple[str, bool, bool]:
    """(the address used, whether `typed` was one, whether it is this machine's own: phones cannot reach it).
    An address longer than MAX_ADDRESS is none (`address_too_long` tells)."""
    typed = typed.strip()
    ok = not address_too_long(typed) and ADDRESS.fullmatch(typed) is not None
    used = typed if ok else default
    return used, ok, LOCAL.match(used) is not None


def address_too_long(typed: str) -> bool:
    return len(typed.strip()) > MAX_ADDRESS


def names_of(students: list[StudentRow]) -> dict[int, tuple[int, str]]:
    """Each student's (number, nickname) by id, for every section of the screen."""
    return {s.id: (s.number, s.nickname) for s in students}


def name_of(student_id: int, names: dict, hidden: str | None = None) -> str:
    """The student's nickname; with `hidden` (e.g. "Student {n}", for projecting) their number in it instead."""
    number, nickname = names.get(student_id, (0, "?"))
    return nickname if hidden is None else hidden.replace("{n}", str(number))


def here_count(students: list[StudentRow]) -> tuple[int, int]:
    """(seen lately, joined)."""
    return sum(s.here for s in students), len(students)


def seen_ago(student: StudentRow, now: float) -> int:
    """Whole seconds since the student's page last looked in (never negative, if clocks disagree)."""
    return round(max(0.0, now - student.last_seen))


def wall(drawings: list[DrawingRow]) -> list[DrawingRow]:
    """Each student's latest drawing (`drawings` newest first), the most recent student first."""
    latest: dict[int, DrawingRow] = {}
    for d in drawings:
        latest.setdefault(d.student_id, d)
    return list(latest.values())


def mark_of(d: DrawingRow) -> str:
    """The student's mark as a caption shows it: "", " ✓", or " ✗ → 7" (" ✗ → ?" when they gave no digit)."""
    if d.marked_right is None:
        return ""
    return " ✓" if d.marked_right else f" ✗ → {'?' if d.label is None else d.label}"


def said(reading: int | None) -> str:
    return "?" if reading is None else str(reading)


def confusion(marked) -> np.ndarray:
    """10×10 counts of (right digit, the model's reading) pairs: row = the right digit, column = the reading."""
    counts = np.zeros((10, 10), np.int64)
    for truth, reading in marked:
        counts[truth, reading] += 1
    return counts


def mistakes(confusion) -> np.ndarray:
    """The confusion counts off the diagonal (what is coloured: the model's mistakes); zeros on it."""
    counts = np.asarray(confusion)
    return counts * (1 - np.eye(len(counts), dtype=counts.dtype))


@dataclass(frozen=True)
class ConfusionCells:
    """The class's confusions as the chart draws them, in two layers, each with its counts written: the mistakes,
    coloured by how many, and the right readings on the diagonal, in a colour of their own and each with a ✓
    (never told apart by colour alone). An empty cell is None, its text "": a room reads only what counts."""

    mistakes: list[list[int | None]]
    mistakes_text: list[list[str]]
    right: list[list[int | None]]
    right_text: list[list[str]]
    top: int  # the mistakes' colour scale runs from 0 to this: at least 1, so no mistakes stays white


def confusion_cells(confusion) -> ConfusionCells:
    counts = np.asarray(confusion).tolist()
    n = len(counts)
    off = [[counts[i][j] if i != j and counts[i][j] else None for j in range(n)] for i in range(n)]
    on = [[counts[i][j] if i == j and counts[i][j] else None for j in range(n)] for i in range(n)]
    return ConfusionCells(off, [["" if v is None else str(v) for v in row] for row in off],
                          on, [["" if v is None else f"{v}✓" for v in row] for row in on],
                          max(1, int(mistakes(confusion).max(initial=0))))


TILE, TILE_PRESENT = 120, 180  # px: a wall tile on a laptop's screen, and on a projector read from the back
FULL_TILES = (300, 260, 220, 190, 160, 140, 120)  # px: the full-screen wall's sizes, largest first
# What a 1280 × 720 projector leaves the full-screen wall's tiles in presentation mode (under the title and the
# code line), and what a tile takes beside its picture: its one-line caption, and the gap to the next.
FULL_AREA = (1090, 500)
CAPTION_PX, GAP_PX = 40, 16


def full_wall_tile(n: int, area: tuple[int, int] = FULL_AREA) -> int:
    """The full-screen wall's tile size for `n` drawings: the largest that shows them all on the projector at
    once; a class too big for that gets the smallest and scrolls."""
    width, height = area
    for size in FULL_TILES:
        per_row = max(1, (width + GAP_PX) // (size + GAP_PX))
        rows = -(-max(n, 1) // per_row)
        if rows * (size + CAPTION_PX + GAP_PX) <= height:
            return size
    return FULL_TILES[-1]


def wrong_by_digit(drawings: list[DrawingRow], per_digit: int = WRONG_SHOWN) -> dict[int, list[DrawingRow]]:
    """The drawings marked wrong with their right digit, by that digit (in order), at most `per_digit` each,
    newest first as given."""
    groups: dict[int, list[DrawingRow]] = {}
    for d in drawings:
        if d.marked_right is False and d.label is not None:
            groups.setdefault(d.label, [])
            if len(groups[d.label]) < per_digit:
                groups[d.label].append(d)
    return dict(sorted(groups.items()))


def ranked(runs: list[RunRow]) -> list[RunRow]:
    """The leaderboard: best test accuracy first; on a tie the faster run, then the earlier one."""
    return sorted(runs, key=lambda r: (-r.accuracy, r.seconds, r.id))


def network(settings: dict) -> str:
    """A run's network in a few words: the recipe's name, or a custom net's layers."""
    if settings.get("arch") != "custom":
        return str(settings.get("arch", "?"))
    return (f"{settings.get('conv_layers')}×conv{settings.get('kernel')} {settings.get('filters')}, "
            f"dense {settings.get('dense')}, dropout {settings.get('dropout')}")


RUN_COLUMNS = ("network", "images", "epochs", "batch", "optimizer", "lr")
_RUN_SETTINGS = {"images": "train_size", "epochs": "epochs", "batch": "batch_size", "optimizer": "optimizer",
                 "lr": "lr"}


def run_settings(run: RunRow) -> dict:
    """The leaderboard's settings columns of a run (RUN_COLUMNS; a setting the run did not send is None)."""
    return {"network": network(run.settings), **{column: run.settings.get(name)
                                                 for column, name in _RUN_SETTINGS.items()}}


CURVES = (("train_at", "accuracy"), ("val_at", "val_accuracy"), ("train_at", "loss"))


def curves_of(run: RunRow) -> list[tuple[str, list, list]]:
    """(name, x, y) of a run's accuracy, validation accuracy and loss (empty lists for one it did not send)."""
    return [(name, run.curves.get(at, []), run.curves.get(name, [])) for at, name in CURVES]


def curves_summary(run: RunRow, lang: str) -> str | None:
    """The text under a run's curves: where each ends (the loss as a number, the accuracies in percent), at the last
    epoch any of them reaches; None when the run sent none."""
    ends = [(name, float(x[-1]), float(y[-1])) for name, x, y in curves_of(run) if len(x) and len(y)]
    if not ends:
        return None
    values = i18n.text(lang, "app.summary.list").join(
        i18n.text(lang, "classroom.curves.summary.number" if name == "loss" else "classroom.curves.summary.percent",
                  name=i18n.text(lang, f"classroom.curve.{name}"), value=value) for name, _, value in ends)
    return i18n.text(lang, "classroom.curves.summary", at=max(at for _, at, _ in ends), values=values)


def hardest(texts: list[TextRow]) -> list[TextRow]:
    """"Fool the model": the sentences read wrong, the most confidently wrong first, then the newest."""
    return sorted(texts, key=lambda t: (-t.certainty, -t.id))


def read_positive(text: TextRow) -> bool:
    return text.probability >= 0.5


def poll_shares(poll: Poll) -> tuple[int, list[tuple[str, int, float]]]:
    """(answers, [(choice, its answers, its share of them)]); shares are 0 before anyone answers."""
    total = sum(poll.counts)
    return total, [(choice, n, n / total if total else 0.0) for choice, n in zip(poll.choices, poll.counts)]


def typed_choices(text: str) -> list[str]:
    """A typed poll's choices: one a line, blank lines left out."""
    return [line for line in (text or "").splitlines() if line.strip()]


def teaching_set(drawings: list[DrawingRow], at_most: int = TAUGHT_AT_MOST) -> list[DrawingRow]:
    """What the class model learns: the drawings whose right digit is known, those the model got wrong first."""
    return sorted((d for d in drawings if d.label is not None), key=lambda d: bool(d.marked_right))[:at_most]


def teaching_arrays(rows: list[DrawingRow]) -> tuple[np.ndarray, np.ndarray]:
    """The drawings as the model learns them: images (n, 28, 28) float32 in [0, 1], and their right digits."""
    return np.stack([d.image for d in rows]) / np.float32(255), np.array([d.label for d in rows])


def teaching_summary(rows: list[DrawingRow], result, shown: int = SHOWN) -> dict:
    """What teaching did, to show before -> after: `result` is teach.fine_tune's (accuracies, seconds, and the
    readings of `rows` before and after), the first `shown` drawings kept as base64 pixels."""
    import base64

    labels = np.array([d.label for d in rows])
    return {"n": len(rows), "accuracy_before": result.accuracy_before, "accuracy_after": result.accuracy_after,
            "seconds": result.seconds, "right_before": int(np.sum(result.before == labels)),
            "right_after": int(np.sum(result.after == labels)), "labels": labels[:shown].tolist(),
            "before": result.before[:shown].tolist(), "after": result.after[:shown].tolist(),
            "images": [base64.b64encode(d.image.tobytes()).decode() for d in rows[:shown]]}


@dataclass(frozen=True)
class Badge:
    """What a student's badge shows: "ended", "gone" (removed, or the class expired) or "in"."""

    state: str
    info: ClassInfo | None
    poll: Poll | None  # the open poll, for a student still in the class


def badge_state(info: ClassInfo | None, here: bool, poll: Poll | None) -> Badge:
    if info is None or not here:
        return Badge("gone", info, None)
    return Badge("ended" if info.ended else "in", info, None if info.ended else poll)


def shares(page: str) -> str:
    """Which sentence says what this page shares ("classroom.shares.<it>")."""
    return page if page in SHARING_PAGES else "page"


def model_changed(info: ClassInfo | None, seen: float | None) -> bool:
    """Whether the teacher taught (again) a class model since this page last looked: offer it now."""
    return info is not None and info.model_at != seen
