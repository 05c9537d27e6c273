"""One colour scale for meaning, on every page, as TensorFlow Playground keeps one everywhere:
orange is negative (or low, or the target 0), blue positive (or high, or the target 1), and a light
grey sits between, at zero or at a neuron's boundary (where its z is 0). Pages and the /xor view
take their colours from here and from nowhere else."""

from __future__ import annotations

NEGATIVE = "#f59322"  # TensorFlow Playground's orange
MIDDLE = "#e8eaeb"  # its light grey
POSITIVE = "#0877bd"  # its blue
SCALE = [[0.0, NEGATIVE], [0.5, MIDDLE], [1.0, POSITIVE]]  # a Plotly colorscale, low to high

# Colours that carry no sign, named by what they draw (Plotly's own first colours).
LINE = "#1f77b4"  # a function, a training curve, a digit that is not the guess
SECOND_LINE = "#d62728"  # what is set against it: a derivative, a validation curve, the guess
BAR = "#2ca02c"  # softmax's probabilities
MUTED = "#7f7f7f"  # "not a digit"
SERIES = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
          "#17becf"]  # one per series, in turn: /xor's weights over time
MISTAKES = "Reds"  # a Plotly colorscale for counts of mistakes: the class's confusion matrix


def heatmap(middle: float = 0.0) -> dict:
    """A Plotly heat map's colour settings: the scale, with its grey at `middle` (zero, or f(0) for a
    neuron's output, so that grey falls on its boundary)."""
    return {"colorscale": SCALE, "zmid": middle}
