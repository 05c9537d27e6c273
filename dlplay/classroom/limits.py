"""How much a class may hold and how fast its members may write, and the cleaning of what they type.

Thirty students on one laptop: every write is bounded, so that one playful
student (or a script) cannot fill the disk or slow the room down.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import threading
import time
import unicodedata

MAX_CLASSES = 20  # open (not ended) classes at once
# Open classes one starter may hold, so that no visitor can take the server's MAX_CLASSES: per browser, and per
# address (a school's computers often share one).
MAX_CLASSES_PER_BROWSER = 3
MAX_CLASSES_PER_ADDRESS = 8
MAX_STUDENTS = 60  # per class, removed ones not counted
# Seats one address may hold in a class, removed ones included: a removed student (or a script) cannot come back as
# many. Not for this machine itself (the teacher's laptop), whose visitors all have one address.
MAX_SEATS_PER_ADDRESS = 4
MAX_DRAWINGS_PER_STUDENT = 20  # the oldest are dropped
MAX_RUNS_PER_STUDENT = 20
MAX_TEXTS_PER_STUDENT = 50
MAX_TEXT = 500  # characters of a sentence sent from /text
MAX_NICKNAME = 20
MAX_QUESTION = 200
MAX_CHOICE = 60
MAX_CHOICES = 6
MAX_SETTINGS = 2000  # characters of a run's settings as JSON
MAX_CURVE_POINTS = 500  # per curve; longer curves are thinned, evenly
MAX_MODEL_BYTES = 20_000_000  # the class model (the shipped CNNs are 1-2 MB)
MAX_PAGE = 40
MAX_SESSION = 100
LIFETIME = 24 * 3600  # seconds a class lives unless the teacher keeps it
PRESENT = 60  # seconds since a student's last page view for them to count as here
TOUCH_EVERY = 30  # seconds between two writes of "still on the same page" (a write each, for 30 badges)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on phones
# 32⁶ ≈ 10⁹ codes: with the join limits below an address gets ~160 tries in a lesson's hour, and with 20 classes
# open the chance that one finds a class is about 3 in a million. Classes of earlier versions have 4 characters.
CODE_LENGTH = 6
CODE_LENGTHS = (4, CODE_LENGTH)

# Writes per second and burst, per writer (a student, a session, a teacher's class).
RATES = {
    "start": (0.1, 5),  # per browser and per address
    # Presses of Join (a seat coming back through its cookie is not one): per browser, and per address, whose
    # burst lets a class behind one address join at once.
    "join": (1 / 30, 10),
    "join_address": (1 / 30, 40),
    "drawing": (2, 10),
    "mark": (2, 10),
    "run": (0.2, 3),
    "text": (1, 5),
    "answer": (1, 5),
    "teacher": (5, 20),
}


class ClassError(Exception):
    """A write the class cannot take; `reason` is a short code the page translates."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RateLimiter:
    """Token buckets in memory, one per (kind, writer): `RATES[kind]` writes a second, in bursts. On a database
    a school's processes share, the join and start buckets are in it instead (buckets.SharedRateLimiter)."""

    def __init__(self, rates: dict[str, tuple[float, float]] | None = None, clock=time.monotonic):
        self.rates = dict(RATES if rates is None else rates)
        self.clock = clock
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, kind: str, writer: object) -> None:
        """Take one token for `writer`, or raise ClassError("rate_limited")."""
        rate, burst = self.rates.get(kind, (None, None))
        if rate is None:
            return
        key, now = (kind, str(writer)), self.clock()
        with self._lock:
            tokens, then = self._buckets.get(key, (burst, now))
            tokens = min(burst, tokens + (now - then) * rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                raise ClassError("rate_limited")
            self._buckets[key] = (tokens - 1, now)
            if len(self._buckets) > 10_000:  # forget writers whose buckets are full again
                self._buckets = {k: v for k, v in self._buckets.items()
                                 if v[0] + (now - v[1]) * self.rates[k[0]][0] < self.rates[k[0]][1]}


def key_hash(teacher_key: object) -> str:
    """What is stored of a teacher key, and the name of the teacher's rate bucket (a wrong key has its own)."""
    return hashlib.sha256(str(teacher_key).encode("utf-8")).hexdigest()


_HIDDEN = ("Cc", "Cf", "Cs", "Co", "Cn")  # control, format (bidi overrides, zero-width), unassigned


def clean_line(text: str) -> str:
    """`text` on one line: whitespace runs as one space, control and format characters dropped, trimmed.

    Everything else stays as typed: "，" is not ",", and a sentence is read by the model as the student wrote it.
    """
    text = "".join(" " if c.isspace() else c for c in text if c.isspace() or unicodedata.category(c) not in _HIDDEN)
    return re.sub(" {2,}", " ", text).strip()


def clean_nickname(nickname: str | None) -> str | None:
    """A nickname as shown to the class (≤ MAX_NICKNAME characters), or None when nothing is left."""
    if nickname is None:
        return None
    # NFKC: "ｗｉｄｅ" or "𝐛𝐨𝐥𝐝" letters become plain ones, so look-alike names are alike.
    return clean_line(unicodedata.normalize("NFKC", nickname))[:MAX_NICKNAME].strip() or None


def normalize_code(raw: object) -> str | None:
    """A class code as typed ("k7qm", " K7-QM ") in its stored form, or None if it cannot be one."""
    if not isinstance(raw, str):
        return None
    code = re.sub(r"[\s-]", "", raw).upper()
    if len(code) not in CODE_LENGTHS or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def is_local(address: str | None) -> bool:
    """Whether `address` is this machine's own (loopback)."""
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def client_address(peer: str | None, forwarded_for: str | None, trusted: str | None) -> str | None:
    """The visitor's address: the peer's, or behind a proxy we trust (`trusted`: its addresses, comma-separated,
    as DLPLAY_TRUSTED_PROXIES says) the last address of X-Forwarded-For that is not one of ours.

    Only a trusted peer's header is read: anyone else can write anything in it.
    """
    ours = {a.strip() for a in (trusted or "").split(",") if a.strip()}
    if peer not in ours or not forwarded_for:
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        if hop not in ours:
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer
    return peer
