"""The text beside each chart of the /xor view: the numbers it plots that a student reads off at a glance.

The view shows a new frame up to 15 times a second, so each frame carries only these numbers, written as text
the same in every language (equations, parameter names); the view puts them into the catalogue's sentences
(its labels `<chart>_summary…`), picked here by `kind`, for the frame on screen.
"""

from __future__ import annotations

import numpy as np

from dlplay import equations
from dlplay.xor.numpy_net import TARGETS, Config, forward, layers, parameter_names

FLAT = 0.01  # an output that varies less than this over the square is drawn as one colour: no boundary to see
SEPARATOR = " · "  # between the hidden neurons' lines


def output_range(settings: Config, params: np.ndarray, grid: tuple[float, float, int]) -> tuple[float, float]:
    """(lowest, highest) output of the network over the input square the view draws (`grid`: low, high, cells)."""
    low, high, size = grid
    axis = np.linspace(low, high, size)
    points = np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)
    with np.errstate(all="ignore"):
        y = forward(settings, params, points)[-1][1]
    return float(np.min(y)), float(np.max(y))


def right_side(predictions) -> int:
    """How many of the four XOR points lie on their own colour's side of 0.5 (their target's)."""
    return int(np.sum((np.asarray(predictions, dtype=float).ravel() > 0.5) == (TARGETS[:, 0] > 0.5)))


def hidden_lines(settings: Config, params: np.ndarray) -> list[str]:
    """Each hidden neuron's line, where its weighted sum is 0: "h1: 2.1x₁ − 1.9x₂ + 0.3 = 0"."""
    (weights, biases), _ = layers(settings, params)
    return [f"h{j + 1}: {equations.line(weights[0, j], weights[1, j], biases[j]) or '—'}"
            for j in range(weights.shape[1])]


def named(settings: Config, params: np.ndarray, index: int) -> str:
    return f"{parameter_names(settings)[index]} = {equations.number(float(params[index]), 4)}"


def strongest(settings: Config, params: np.ndarray, inputs: list[str], output: str) -> str:
    """The network's widest edge, its largest |weight|: "x₁ → h2 (W1[0,1] = 3.214)"."""
    index = np.arange(len(params), dtype=float)
    hidden = [] if settings.model == "tutorial" else [[f"h{j + 1}" for j in range(settings.hidden)]]
    columns = [inputs, *hidden, [output]]
    edges = [(int(w[i, j]), columns[c][i], columns[c + 1][j])
             for c, (w, _) in enumerate(layers(settings, index)) for i in range(w.shape[0]) for j in range(w.shape[1])]
    k, source, target = max(edges, key=lambda edge: np.nan_to_num(abs(params[edge[0]]), nan=-1.0))
    return f"{source} → {target} ({named(settings, params, k)})"


def frame(settings: Config, params: np.ndarray, predictions, first_loss: float, grid: tuple[float, float, int],
          inputs: list[str], output: str) -> dict[str, dict[str, str]]:
    """A frame's numbers for each chart's summary: {chart: {kind (the sentence), the numbers it names}}. Its epoch
    and loss are the frame's read-outs."""
    low, high = output_range(settings, params, grid)
    tutorial = settings.model == "tutorial"
    boundary = {"kind": "flat" if high - low < FLAT else "line" if tutorial else "curve",
                "low": f"{low:.2f}", "high": f"{high:.2f}", "right": str(right_side(predictions))}
    if boundary["kind"] == "line":
        (weights, bias), = layers(settings, params)
        boundary["line"] = equations.line(weights[0, 0], weights[1, 0], bias[0]) or "—"
    finite = np.nan_to_num(params, nan=0.0)
    summary = {"boundary": boundary, "loss": {"start": f"{first_loss:.4g}"},
               "weights": {"largest": named(settings, params, int(np.argmax(finite))),
                           "smallest": named(settings, params, int(np.argmin(finite)))},
               "network": {"strongest": strongest(settings, params, inputs, output)}}
    if not tutorial:
        summary["hidden"] = {"lines": SEPARATOR.join(hidden_lines(settings, params))}
    return summary
