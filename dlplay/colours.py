"""One colour scale for meaning, on every page, as TensorFlow Playground keeps one everywhere:
orange is negative (or low, or the target 0), blue positive (or high, or the target 1), and a light
grey sits between, at zero or at a neuron's boundary (where its z is 0). Pages and the /xor view
take their colours from here and from nowhere else."""

from __future__ import annotations

NEGATIVE = "#f59322"  # TensorFlow Playground's orange
MIDDLE = "#e8eaeb"  # its light grey
POSITIVE = "#0877bd"  # its blue
SCALE = [[0.0, NEGATIVE], [0.5, MIDDLE], [1.0, POSITIVE]]  # a Plotly colorscale, low to high


def of_sign(value: float) -> str:
    """The colour of a number's sign: a weight's line, a target's dot (0 counts as negative: the target 0)."""
    return POSITIVE if value > 0 else NEGATIVE


def heatmap(middle: float = 0.0) -> dict:
    """A Plotly heat map's colour settings: the scale, with its grey at `middle` (zero, or f(0) for a
    neuron's output, so that grey falls on its boundary)."""
    return {"colorscale": SCALE, "zmid": middle}
