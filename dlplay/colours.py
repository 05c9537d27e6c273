"""One colour scale for meaning, on every page, as TensorFlow Playground keeps one everywhere:
orange is negative (or low, or the target 0), blue positive (or high, or the target 1), and a light
grey sits between, at zero or at a neuron's boundary (where its z is 0). Pages and the /xor view
take their colours from here and from nowhere else."""

from __future__ import annotations

NEGATIVE = "#d97a10"  # TensorFlow Playground's orange (#f59322), darkened to 3.1:1 on white (WCAG: 3:1 for graphics)
MIDDLE = "#e8eaeb"  # its light grey
POSITIVE = "#0877bd"  # its blue
SCALE = [[0.0, NEGATIVE], [0.5, MIDDLE], [1.0, POSITIVE]]  # a Plotly colorscale, low to high

# Colours that carry no sign, named by what they draw (Plotly's own first colours).
LINE = "#1f77b4"  # a function, a training curve, a digit that is not the guess
SECOND_LINE = "#d62728"  # what is set against it: a derivative, a validation curve, the guess
BAR = "#2ca02c"  # softmax's probabilities
MUTED = "#7f7f7f"  # "not a digit"
# One per series, in turn (/xor's weights over time): Plotly's ten, those lighter than 3:1 on white darkened.
SERIES = ["#1f77b4", "#d2640a", "#2a8a2a", "#d62728", "#9467bd", "#8c564b", "#c2499f", "#6f6f6f", "#8a8a00",
          "#0e8a99"]
# The class's confusion matrix: counts of mistakes from white (none) through a pink that one mistake already
# reaches to a red light enough for its counts, written in CELL_TEXT, to keep 4.5:1 (WCAG AA; Plotly's "Reds"
# without its near-white start and its darkest end); the right readings apart, in pale green.
MISTAKES = [[0.0, "#ffffff"], [1e-6, "#fcbba1"], [0.5, "#fc8a6a"], [1.0, "#f03b20"]]
RIGHT_CELL = "#c7e9c0"
CELL_TEXT = "#111111"
# A wall tile's frame: the reading the student marked right, or wrong (a ✓ or ✗ on the tile says it too).
RIGHT = "#1a7f37"
WRONG = "#cf222e"


def heatmap(middle: float = 0.0) -> dict:
    """A Plotly heat map's colour settings: the scale, with its grey at `middle` (zero, or f(0) for a
    neuron's output, so that grey falls on its boundary)."""
    return {"colorscale": SCALE, "zmid": middle}
