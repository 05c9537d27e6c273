"""What the XOR page's view draws, computed: the network diagram's layout and its edges' widths, each
frame's numbers, the histories thinned, and the network over the input square.

The view (dlplay/xor/view/view.js) draws every frame in the browser from these numbers: it lays the network
out from `layout`, sizes each edge by the rule of `edge_width` (its constants travel in `view_data`), and runs
`forward` over the square with the frame's parameters, as `decision_grid` does here.
"""

from __future__ import annotations

import numpy as np

from dlplay import colours
from dlplay.xor import ledger
from dlplay.xor.network import Run, Settings, forward, layers, parameter_names, solved

HISTORY_POINTS = 200  # as many as a chart a few hundred pixels wide can show; more only cost drawing time
WIDEST_EDGE = 10.0  # the line width of the largest weight, or of a weight of WEIGHT_SCALE
# Edges are sized against max(largest |w|, WEIGHT_SCALE): against the largest alone, the tutorial's
# final weights (all about 2e-16) were drawn at full width.
WEIGHT_SCALE = 1.0
SIGNIFICANT = 4  # digits the view gets of each number: it draws them and shows 4 in its tooltips
INPUT_NAMES, OUTPUT_NAME = ["x₁", "x₂"], "y"
GRID = (-0.5, 1.5, 50)  # the input square drawn (low, high), and the cells on each side


def edge_width(weight: float, largest: float) -> float:
    """A weight's line width: 1 + (WIDEST_EDGE - 1) · |w| / max(largest |w|, WEIGHT_SCALE)."""
    return 1 + (WIDEST_EDGE - 1) * min(1.0, abs(weight) / max(largest, WEIGHT_SCALE))


def layout(settings: Settings) -> dict:
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
             for x, (weights, _) in enumerate(indices) for i in range(weights.shape[0]) for j in range(weights.shape[1])]
    return {"nodes": nodes, "edges": edges}


def network_diagram(settings: Settings, params: np.ndarray) -> dict:
    """The network with `params`, as the view draws it: ``nodes`` per column {name, x, y, bias (its value, None
    for an input)}; ``edges`` {x, y (the two ends), weight, width}."""
    plan = layout(settings)
    largest = max(abs(float(params[e["param"]])) for e in plan["edges"])
    at = {(x, i): node for x, column in enumerate(plan["nodes"]) for i, node in enumerate(column)}
    edges = []
    for e in plan["edges"]:
        source, target, weight = at[tuple(e["source"])], at[tuple(e["target"])], float(params[e["param"]])
        edges.append({"x": [source["x"], target["x"]], "y": [source["y"], target["y"]], "weight": weight,
                      "width": edge_width(weight, largest)})
    nodes = [[{**node, "bias": None if node["bias"] is None else float(params[node["bias"]])} for node in column]
             for column in plan["nodes"]]
    return {"nodes": nodes, "edges": edges}


def _short(values) -> list[float]:
    """Numbers to SIGNIFICANT digits, for the view (JSON of full doubles would be four times the size)."""
    return [float(f"{v:.{SIGNIFICANT}g}") for v in np.asarray(values, dtype=float).ravel()]


def frame(run: Run, epoch: int) -> dict:
    """The run after `epoch` epochs, as the view draws it: its parameters, loss, and the read-outs as shown."""
    predictions = run.predictions[epoch]
    return {"epoch": int(epoch), "params": _short(run.history[epoch]), "loss": _short([run.losses[epoch]])[0],
            "readings": ledger.readings_of(float(run.losses[epoch]), predictions, int(epoch)),
            "solved": solved(predictions)}


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
        "colours": {"negative": colours.NEGATIVE, "middle": colours.MIDDLE, "positive": colours.POSITIVE},
        "ranges": {"hidden": activation_range(settings.activation), "output": activation_range("sigmoid")},
        "frames": frames, "history": None if playing else history(run), "playing": playing, "fps": fps,
        "can_play": run.diverged is None and run.epoch < settings.epochs, "answered": answered, "labels": labels,
    }


def decision_grid(settings: Settings, params: np.ndarray, size: int = GRID[2],
                  low: float = GRID[0], high: float = GRID[1]) -> dict:
    """The network over a size x size grid on [low, high]²: rows are x2, columns x1 (a heat map's layout).

    ``axis`` (size,): the grid's coordinates on both axes; ``output`` (size, size):
    the prediction; ``hidden`` (H, size, size): each hidden neuron's activation
    (empty for the tutorial's neuron).
    """
    axis = np.linspace(low, high, size)
    x1, x2 = np.meshgrid(axis, axis)
    points = np.column_stack([x1.ravel(), x2.ravel()])
    with np.errstate(all="ignore"):
        passes = forward(settings, np.asarray(params, dtype=float), points)
    hidden = np.empty((0, size, size)) if len(passes) == 1 else passes[0][1].T.reshape(-1, size, size)
    return {"axis": axis, "output": passes[-1][1].reshape(size, size), "hidden": hidden}
