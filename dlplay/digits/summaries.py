"""The text beside each chart of /digits-training (and the class's confusions on the teacher's screen): the numbers
it plots that a student reads off at a glance, in the visitor's language. Each function takes what its chart draws.

(/digits draws no chart but its probability bars, whose every percentage is written as text on the page.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from dlplay import i18n
from dlplay.digits.reading import NOT_DIGIT

if TYPE_CHECKING:
    from dlplay.digits.jobs import Curves


def lowest(at: list, values: list) -> tuple[float, float]:
    """(the lowest value, the first epoch at which it was reached)."""
    k = int(np.argmin(values))
    return float(values[k]), float(at[k])


def curve(curves: Curves, metric: str, epochs: int, lang: str) -> str | None:
    """A live chart of `metric` ("loss" or "accuracy"): where its training and validation curves are now, and for
    the loss the lowest validation loss so far (where it starts rising, the network begins to overfit). None
    before the first point, when the chart says it has none."""
    train, val = (curves.loss, curves.val_loss) if metric == "loss" else (curves.accuracy, curves.val_accuracy)
    if not train and not val:
        return None
    key = f"digits_training.chart.{metric}.summary"
    if not val:
        return i18n.text(lang, key + ".train", at=curves.train_at[-1], epochs=epochs, train=train[-1])
    if not train:  # cannot happen with Keras (the first batch comes before a validation), said all the same
        return i18n.text(lang, key + ".val", at=curves.val_at[-1], epochs=epochs, val=val[-1])
    at = max(curves.train_at[-1], curves.val_at[-1])
    numbers = dict(at=at, epochs=epochs, train=train[-1], val=val[-1])
    if metric == "loss":
        best, best_at = lowest(curves.val_at, val)
        return i18n.text(lang, key, **numbers, lowest=best, lowest_at=best_at)
    return i18n.text(lang, key, **numbers)


def most_confused(confusion) -> tuple[int, int, int] | None:
    """(true digit, what it was read as, how many times) of the largest count off the diagonal, the first of equal
    ones in reading order; None when there is no mistake. The 11th column (a model's "not a digit") counts too."""
    counts = np.asarray(confusion)
    off = counts * (1 - np.eye(*counts.shape, dtype=counts.dtype))
    if not off.any():
        return None
    truth, guess = np.unravel_index(int(np.argmax(off)), off.shape)
    return int(truth), int(guess), int(off[truth, guess])


def confusion(matrix, lang: str, keys: str) -> str:
    """A confusion matrix (row: the true digit, column: the reading): how many were read right, and the most
    confused pair. `keys`: its sentences' catalogue prefix, `<keys>pair`, `<keys>once` and `<keys>none` (no
    mistake)."""
    counts = np.asarray(matrix)
    right, total = int(np.trace(counts[:, :10])), int(counts.sum())
    found = most_confused(counts)
    if found is None:
        return i18n.text(lang, keys + "none", total=total)
    truth, guess, n = found
    return i18n.text(lang, keys + ("once" if n == 1 else "pair"), right=right, total=total, truth=truth,
                     guess="✗" if guess == NOT_DIGIT else str(guess), n=n)
