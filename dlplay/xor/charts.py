"""What the XOR page's view draws, computed: the network diagram's layout and its edges' widths, each
frame's numbers, the histories thinned, and the network over the input square.

The view (ui/components/xor_view/) draws every frame in the browser from these numbers: it lays the network
out from `layout`, sizes each edge as 1 + (WIDEST_EDGE - 1) · |w| / max(largest |w|, WEIGHT_SCALE), and runs
the forward pass over the GRID square with the frame's parameters.
"""

from __future__ import annotations

import numpy as np

from dlplay import colours
from dlplay.xor import ledger, summaries
from dlplay.xor.numpy_net import Config, Run, layers, parameter_names, solved

HISTORY_POINTS = 200  # as many as a chart a few hundred pixels wide can show; more only cost drawing time
WIDEST_EDGE = 10.0  # the line width of the largest weight, or of a weight of WEIGHT_SCALE
# Edges are sized against max(largest |w|, WEIGHT_SCALE): against the largest alone, the tutorial's
# final weights (all about 2e-16) were drawn at full width.
WEIGHT_SCALE = 1.0
SIGNIFICANT = 4  # digits the view gets of each number: it draws them and shows 4 in its tooltips
INPUT_NAMES, OUTPUT_NAME = ["x₁", "x₂"], "y"
GRID = (-0.5, 1.5, 50)  # the input square drawn (low, high), and the cells on each side


def layout(settings: Config) -> dict:
    """The network as TensorFlow Playground lays it out: ``nodes`` per column, input to output, each
    {name, x, y, bias (the index of its bias in the parameters, None for an input)}; ``edges``
    {source, target (column, row), param (the index of its weight)}."""
    indices = layers(settings, np.arange(len(parameter_names(settings)), dtype=float))
    sizes = [2] + [weights.shape[1] for weights, _ in indices]
    names = [INPUT_NAMES] + [[f"h{j + 1}" for j in range(n)] for n in sizes[1:-1]] + [[OUTPUT_NAME]]
    nodes = [[{"name": names[x][i], "x": x, "y": (n - 1) / 2 - i,
               "bias": None if x == 0 else int(indices[x - 1][1][i])} for i in range(n)]
             for x, n in enumerate(sizes)]
    edges = [{"source": [x, i], "target": [x + 1, j], "param": int(weights[i, j])}
             for x, (weights, _) in enumerate(indices)
             for i in range(weights.shape[0]) for j in range(weights.shape[1])]
    return {"nodes": nodes, "edges": edges}


def _short(values) -> list[float]:
    """Numbers to SIGNIFICANT digits, for the view (JSON of full doubles would be four times the size)."""
    return [float(f"{v:.{SIGNIFICANT}g}") for v in np.asarray(values, dtype=float).ravel()]


def frame(run: Run, epoch: int, summary: bool = True) -> dict:
    """The run after `epoch` epochs, as the view draws it: its parameters, loss, the read-outs as shown, and (with
    `summary`) the numbers its charts' summaries name (dlplay/xor/summaries.py)."""
    predictions = run.predictions[epoch]
    shown = {"epoch": int(epoch), "params": _short(run.history[epoch]), "loss": _short([run.losses[epoch]])[0],
             "readings": ledger.readings_of(float(run.losses[epoch]), predictions, int(epoch)),
             "solved": solved(predictions)}
    if summary:
        shown["summary"] = summaries.frame(run.settings, run.history[epoch], predictions, float(run.losses[0]), GRID,
                                           INPUT_NAMES, OUTPUT_NAME)
    return shown


def thinned_history(run: Run, points: int = HISTORY_POINTS) -> dict:
    """Every k-th epoch of the run's loss and parameters, k chosen so about `points` remain (at least 1 each).

    ``epochs`` (n,), ``loss`` (n,), ``params`` {parameter name: (n,)}.
    """
    stride = max(1, (run.epoch + 1) // points)
    params = run.params_history[::stride]
    return {"epochs": np.arange(0, run.epoch + 1, stride), "loss": run.loss_history[::stride],
            "params": {name: params[:, index] for index, name in enumerate(parameter_names(run.settings))}}


def history(run: Run) -> dict:
    """The thinned history as the view takes it: ``epochs``, ``loss``, and ``params`` one series per parameter."""
    thinned = thinned_history(run)
    return {"epochs": thinned["epochs"].tolist(), "loss": _short(thinned["loss"]),
            "params": [_short(series) for series in thinned["params"].values()]}


def activation_range(activation: str) -> list[float]:
    """[low, middle, high] of a neuron's output for the one colour scale: grey at f(0), the neuron's boundary."""
    return {"sigmoid": [0.0, 0.5, 1.0], "tanh": [-1.0, 0.0, 1.0], "relu": [0.0, 0.0, 1.0]}[activation]


def view_data(run: Run, run_id: int, frames: list[dict], playing: bool, labels: dict, fps: float,
              answered: int) -> dict:
    """Everything the view is given in one script run: `run_id` tells it a new run from the last, `answered` the
    number of the last Play/Pause click the server has taken in. The history goes only with a paused view:
    while playing, the view extends its own from the frames it shows."""
    settings = run.settings
    low, high, size = GRID
    return {
        "run": run_id, "model": settings.model, "activation": "sigmoid" if settings.model == "tutorial"
        else settings.activation, "names": parameter_names(settings), "layout": layout(settings),
        "edge": {"widest": WIDEST_EDGE, "scale": WEIGHT_SCALE}, "grid": {"low": low, "high": high, "size": size},
        "colours": {"negative": colours.NEGATIVE, "middle": colours.MIDDLE, "positive": colours.POSITIVE,
                    "series": None if playing else colours.SERIES},
        "ranges": {"hidden": activation_range(settings.activation), "output": activation_range("sigmoid")},
        "frames": frames, "history": None if playing else history(run), "playing": playing, "fps": fps,
        "can_play": run.diverged is None and run.epoch < settings.epochs, "answered": answered, "labels": labels,
    }
