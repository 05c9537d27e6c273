"""The text beside each chart of /text: the numbers it plots that a student reads off at a glance, in the
visitor's language. Each function takes what its chart draws; a token is the visitor's text, shortened here and
shown as plain text by the page."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dlplay import i18n
from dlplay.plain import shorten

TOKEN = 20  # characters of a token named in a summary


def quoted(tokens: Sequence[str], k: int) -> str:
    return shorten(tokens[k], TOKEN)


def extremes(probabilities) -> tuple[int, int]:
    """(the token after which P(positive) is highest, the one after which it is lowest): the first of equals."""
    p = np.asarray(probabilities, dtype=float)
    return int(np.argmax(p)), int(np.argmin(p))


def memory(tokens: Sequence[str], probabilities, lang: str) -> str:
    """P(positive) after each token: where it ends, and where it was highest and lowest."""
    p = np.asarray(probabilities, dtype=float)
    if len(p) == 1:
        return i18n.text(lang, "text.memory.summary.one", token=quoted(tokens, 0), p=float(p[0]))
    high, low = extremes(p)
    return i18n.text(lang, "text.memory.summary", last_token=quoted(tokens, len(p) - 1), last=float(p[-1]),
                     high=float(p[high]), high_token=quoted(tokens, high), low=float(p[low]),
                     low_token=quoted(tokens, low))


def biggest_change(hidden_states) -> int:
    """The token whose reading changed the memory most: the largest step |h_t − h_{t−1}|, from h_0 = 0."""
    h = np.asarray(hidden_states, dtype=float)
    steps = np.diff(np.vstack([np.zeros((1, h.shape[1])), h]), axis=0)
    return int(np.argmax(np.linalg.norm(steps, axis=1)))


def hidden(tokens: Sequence[str], hidden_states, lang: str) -> str:
    """The hidden state's heat map: its size, its range of values, and the token that changed it most."""
    h = np.asarray(hidden_states, dtype=float)
    return i18n.text(lang, "text.hidden.summary", units=h.shape[1], n=h.shape[0], low=float(h.min()),
                     high=float(h.max()), token=quoted(tokens, biggest_change(h)))


def widest_gap(curves: Sequence[Sequence[float]]) -> tuple[int, float, float]:
    """(the token after which the cells' readings are furthest apart, the lowest and the highest reading there)."""
    values = np.asarray(curves, dtype=float)
    k = int(np.argmax(values.max(axis=0) - values.min(axis=0)))
    return k, float(values[:, k].min()), float(values[:, k].max())


def compare(tokens: Sequence[str], readings: dict[str, Sequence[float]], lang: str) -> str:
    """The three cells' curves: where each ends, and the token after which they disagree most."""
    ends = i18n.text(lang, "app.summary.list").join(
        i18n.text(lang, "text.compare.summary.cell", cell=i18n.text(lang, f"text.cell.{cell}"), p=float(p[-1]))
        for cell, p in readings.items())
    k, low, high = widest_gap(list(readings.values()))
    return i18n.text(lang, "text.compare.summary", ends=ends, token=quoted(tokens, k), low=low, high=high)


def tutorial(history: dict[str, Sequence[float]], lang: str) -> str:
    """The tutorial's training curves: the loss from its first epoch to its last, and the accuracy at the end."""
    loss, accuracy = history["loss"], history["accuracy"]
    return i18n.text(lang, "text.tutorial.summary", epochs=len(loss), first=float(loss[0]), loss=float(loss[-1]),
                     accuracy=float(accuracy[-1]))
