"""The text beside each chart of /activations: the numbers it plots that a student reads off at a glance, in the
visitor's language. Each function takes the very arrays its chart draws."""

from __future__ import annotations

import numpy as np

from dlplay import equations, i18n
from dlplay.activations.functions import GradientChains

BARS_NAMED = 4  # softmax bars named one by one, highest first; the rest are counted


def side(z: float) -> str:
    """Where a point lies against the line z = 0, as the plane's summary says it."""
    return "z > 0" if z > 0 else "z < 0" if z < 0 else "z = 0"


def plane(values: np.ndarray, w1: float, w2: float, b: float, x1: float, x2: float, z: float, y: float,
          lang: str) -> str:
    """The neuron's plane: y's lowest and highest over it, the line z = 0, and the side the visitor's input is on."""
    line = equations.line(w1, w2, b)
    if line is None:
        return i18n.text(lang, "activations.neuron.plane.summary.flat", y=y)
    return i18n.text(lang, "activations.neuron.plane.summary", low=float(np.min(values)), high=float(np.max(values)),
                     line=line, x1=x1, x2=x2, side=side(z), y=y)


def peak(x: np.ndarray, values: np.ndarray, tolerance: float = 1e-9) -> tuple[float, float, float]:
    """(the largest value, the first and the last x where the curve is that high): ReLU's f′ is 1 all along x > 0."""
    top = float(np.max(values))
    at = x[values >= top - tolerance]
    return top, float(at[0]), float(at[-1])


def function(x: np.ndarray, f: np.ndarray, df: np.ndarray | None, at: float, f_at: float, df_at: float,
             lang: str) -> str:
    """The function's chart: the range of f over the x drawn, the marked point, and (drawn) where f′ is largest."""
    numbers = dict(start=float(x[0]), end=float(x[-1]), low=float(np.min(f)), high=float(np.max(f)), x=at,
                   fx=f_at, dfx=df_at)
    if df is None:
        return i18n.text(lang, "activations.functions.summary", **numbers)
    top, first, last = peak(x, df)
    if first == last:
        return i18n.text(lang, "activations.functions.summary.peak_at", **numbers, peak=top, at=first)
    return i18n.text(lang, "activations.functions.summary.peak_over", **numbers, peak=top, first=first, last=last)


def ranked(probabilities: np.ndarray, named: int = BARS_NAMED) -> tuple[list[tuple[int, float]], int, float]:
    """([(class, probability)] of the `named` highest bars, highest first (ties: the lower class first), how many
    more, the highest of those)."""
    p = np.asarray(probabilities, dtype=float)
    order = np.argsort(-p, kind="stable")
    shown = [(int(i), float(p[i])) for i in order[:named]]
    rest = order[named:]
    return shown, len(rest), float(p[rest[0]]) if len(rest) else 0.0


def softmax(probabilities: np.ndarray, lang: str) -> str:
    """The softmax bars, highest first."""
    shown, more, below = ranked(probabilities)
    bars = i18n.text(lang, "app.summary.list").join(
        i18n.text(lang, "activations.softmax.summary.bar", name=i18n.text(lang, "activations.softmax.class", i=i), p=p)
        for i, p in shown)
    if more:
        return i18n.text(lang, "activations.softmax.summary.more", bars=bars, n=more, p=below)
    return i18n.text(lang, "activations.softmax.summary", bars=bars)


def per_layer(sizes: np.ndarray) -> tuple[float, int | None]:
    """(the factor each layer multiplies the gradient by, on average: the n-th root of its size after n layers (the
    slope of its line on the log axis); the first layer after which it is 0, None if it never is)."""
    sizes = np.asarray(sizes, dtype=float)
    dead = np.flatnonzero(sizes == 0)
    if len(dead):
        return 0.0, int(dead[0]) + 1
    return float(sizes[-1] ** (1 / len(sizes))), None


def chain(chains: GradientChains, lang: str) -> str:
    """The vanishing gradients' lines: how fast each falls, layer by layer."""
    items = []
    for activation, sizes in chains.sizes.items():
        name = i18n.text(lang, f"activations.name.{activation}")
        factor, died = per_layer(sizes)
        items.append(i18n.text(lang, "activations.chain.summary.died", name=name, layer=died) if died is not None
                     else i18n.text(lang, "activations.chain.summary.factor", name=name, factor=factor))
    return i18n.text(lang, "activations.chain.summary", factors=i18n.text(lang, "app.summary.list").join(items))
