"""Numbers and lines written out as plain text, the same in every language: for the summaries beside charts.

A screen reader says "−1.5x₁ + 2x₂ + 0.5 = 0" as it is written; LaTeX (the ledger's) it would spell out.
"""

from __future__ import annotations

import math

MINUS = "−"  # a true minus sign: a hyphen is read as "dash" and looks shorter than a plus
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def number(value: float, digits: int = 3) -> str:
    """`value` to `digits` significant digits with a true minus sign, a power of ten as ×10ⁿ:
    -2.47e-16 -> "−2.47×10⁻¹⁶"."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    return text.replace("-", MINUS)


def line(w1: float, w2: float, b: float, names: tuple[str, str] = ("x₁", "x₂"), digits: int = 3) -> str | None:
    """The line w1·x1 + w2·x2 + b = 0 as text, "2x₁ − 1.5x₂ + 0.5 = 0": a term whose number is 0 left out, a
    weight of 1 unwritten. None when both weights are 0: then there is no line (w1·x1 + w2·x2 + b is b everywhere)."""
    if w1 == 0 and w2 == 0:
        return None
    terms = [(w, name) for w, name in ((w1, names[0]), (w2, names[1]), (b, "")) if w != 0]
    text = ""
    for k, (w, name) in enumerate(terms):
        size = number(abs(w), digits)
        written = name if name and size == "1" else size + name
        sign = MINUS if w < 0 else "+"
        text += (MINUS if w < 0 else "") + written if k == 0 else f" {sign} {written}"
    return text + " = 0"
