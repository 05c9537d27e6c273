"""From a sentence to the ids a model reads: language, tokens, vocabulary, padding.

English is split into words as the SST-2 corpus was (Penn Treebank style),
Chinese into characters as ChnSentiCorp is read. Sequences are padded at the
front ("pre") and cut at the back ("post"), so the model reads the first
``maxlen`` tokens and the last real token sits at the last step.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

LANGS = ("en", "zh")
PAD_ID = 0
OOV_ID = 1
PAD_TOKEN = "<pad>"
OOV_TOKEN = "<oov>"

# Han ideographs (CJK Unified, Extension A, Compatibility, Extensions B-F):
# any of them makes a text Chinese.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_HAN_RE = re.compile(f"[{_HAN}]")

# English as the SST-2 corpus is tokenised (Penn Treebank style, lower case):
# "don't" -> "do n't", "can't" -> "ca n't", "it's" -> "it 's", hyphenated
# words stay whole, a run of punctuation (or emoji) is one token.
_EN_TOKEN_RE = re.compile(
    r"[^\W_]+(?=n't\b)"
    r"|n't\b"
    r"|'(?:s|re|ve|ll|d|m)\b"
    r"|[^\W_]+(?:-[^\W_]+)*"
    r"|[^\w\s]+"
)
# Chinese at character level: every Han character and every punctuation mark
# or emoji is a token; a run of Latin letters or digits ("wifi", "2008") is one.
_ZH_TOKEN_RE = re.compile(f"[{_HAN}]|(?:(?![{_HAN}])[^\\W_])+|[^\\w\\s]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def detect_language(text: str) -> str:
    """``"zh"`` if the text holds any Han character, else ``"en"``."""
    return "zh" if _HAN_RE.search(text) else "en"


def is_han(token: str) -> bool:
    """Whether a token starts with a Han character."""
    return bool(_HAN_RE.match(token))


def resolve_language(text: str, lang: str = "auto") -> str:
    if lang == "auto":
        return detect_language(text)
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: use auto, en or zh")
    return lang


def scan_length(limit: int) -> int:
    """Characters scanned for ``limit`` tokens (a long text is cut here first)."""
    return max(4096, 64 * limit)


def tokenize(text: str, lang: str = "auto", limit: int | None = None) -> list[str]:
    """Words (English) or characters (Chinese), lower case, at most ``limit``.

    Stops scanning after ``limit`` tokens, so a 100,000-character text costs
    no more than the part the model reads.
    """
    lang = resolve_language(text, lang)
    if limit is not None:
        # No token the model reads starts beyond this: skip normalising the rest.
        text = text[: scan_length(limit)]
    text = unicodedata.normalize("NFKC", text).lower()
    if lang == "en":
        text = text.translate(_APOSTROPHES)
        pattern = _EN_TOKEN_RE
    else:
        pattern = _ZH_TOKEN_RE
    tokens = []
    for match in pattern.finditer(text):
        if limit is not None and len(tokens) >= limit:
            break
        tokens.append(match.group())
    return tokens


def chart_labels(tokens: Sequence[str]) -> list[str]:
    """"1. good", "2. film", ...: tokens numbered (a word may come twice) as
    chart labels. Plotly reads a little HTML in labels, and a visitor's text is
    never markup, so each token is escaped."""
    return [f"{k + 1}. {html.escape(token, quote=False)}" for k, token in enumerate(tokens)]


@dataclass(frozen=True)
class Vocabulary:
    """Token <-> id. Id 0 is padding, id 1 stands for every unknown token."""

    tokens: tuple[str, ...]
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.tokens[:2] != (PAD_TOKEN, OOV_TOKEN):
            raise ValueError("a vocabulary starts with the padding and OOV tokens")
        object.__setattr__(self, "index", {token: i for i, token in enumerate(self.tokens)})

    def __len__(self) -> int:
        return len(self.tokens)

    def ids(self, tokens: Iterable[str]) -> list[int]:
        return [self.index.get(token, OOV_ID) for token in tokens]

    @classmethod
    def build(cls, token_lists: Iterable[Sequence[str]], min_count: int, max_size: int) -> Vocabulary:
        """Most frequent tokens first; ties in order of first appearance."""
        counts: dict[str, int] = {}
        for tokens in token_lists:
            for token in tokens:
                counts[token] = counts.get(token, 0) + 1
        kept = sorted((t for t, c in counts.items() if c >= min_count), key=lambda t: -counts[t])
        return cls((PAD_TOKEN, OOV_TOKEN, *kept[: max_size - 2]))

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        return cls(tuple(json.loads(Path(path).read_text(encoding="utf-8"))["tokens"]))

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps({"tokens": list(self.tokens)}, ensure_ascii=False), encoding="utf-8")


def pad(ids: Sequence[int], maxlen: int) -> np.ndarray:
    """Pre-pad with 0 and keep the first ``maxlen`` ids.

    Same as ``keras.utils.pad_sequences([ids], maxlen, padding="pre",
    truncating="post")[0]``.
    """
    sequence = np.zeros(maxlen, dtype=np.int32)
    kept = list(ids)[:maxlen]
    if kept:
        sequence[maxlen - len(kept) :] = kept
    return sequence


def encode(text: str, vocabulary: Vocabulary, lang: str, maxlen: int) -> list[int]:
    return vocabulary.ids(tokenize(text, lang, limit=maxlen))


def ngram_keys(sequences: np.ndarray, n: int, vocab_size: int) -> np.ndarray:
    """(B, T) int64: the ``n`` token ids ending at each step as one number,
    ``((a * V) + b) * V + c`` for a triple; padding (0) before the first token.

    Pre-padding changes nothing: the padded steps before a text are zeros too.
    """
    sequences = np.atleast_2d(np.asarray(sequences, dtype=np.int64))
    keys = np.zeros_like(sequences)
    for back in range(n - 1, -1, -1):  # the oldest token first
        shifted = np.zeros_like(sequences)
        shifted[:, back:] = sequences[:, : sequences.shape[1] - back]
        keys = keys * vocab_size + shifted
    return keys


def ngram_ids(sequences: np.ndarray, known: np.ndarray, n: int, vocab_size: int) -> np.ndarray:
    """Each step's n-gram as 1 + its index in the sorted ``known`` keys, 0 if unknown."""
    keys = ngram_keys(sequences, n, vocab_size)
    if len(known) == 0:
        return np.zeros(keys.shape, dtype=np.int64)
    index = np.minimum(np.searchsorted(known, keys), len(known) - 1)
    return np.where(known[index] == keys, index + 1, 0)


def frequent_ngrams(sequences: Iterable[Sequence[int]], n: int, vocab_size: int, min_count: int,
                    max_size: int) -> np.ndarray:
    """Sorted keys of the ``max_size`` most frequent n-grams (at least ``min_count`` times)."""
    counts: dict[int, int] = {}
    for ids in sequences:
        for key in ngram_keys(np.asarray(ids, dtype=np.int64)[None], n, vocab_size)[0].tolist():
            counts[key] = counts.get(key, 0) + 1
    kept = sorted((key for key, count in counts.items() if count >= min_count), key=lambda key: (-counts[key], key))
    return np.sort(np.asarray(kept[:max_size], dtype=np.int64))
