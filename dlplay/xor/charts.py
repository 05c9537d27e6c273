"""What the XOR page's charts draw, computed: the network over the input square, the network
diagram's layout, and the histories, thinned."""

from __future__ import annotations

import numpy as np

from dlplay.xor.network import Run, Settings, forward, parameter_names

HISTORY_POINTS = 200  # as many as a chart a few hundred pixels wide can show; more only cost drawing time
WIDEST_EDGE = 10.0  # the largest weight's line width; the others are 1 + 9 · |w| / largest |w|


def network_diagram(book: dict) -> dict:
    """The network as TensorFlow Playground draws it, from a ledger (`ledger.backprop`).

    ``nodes``: per column, input to output, a list of {name, x, y, bias}
    (bias None for the inputs); ``edges``: {x, y (the two ends), weight, width},
    the width growing with |weight| up to WIDEST_EDGE for the largest.
    """
    sizes = [2] + [layer["weights"].shape[1] for layer in book["layers"]]
    positions = [[(x, (n - 1) / 2 - i) for i in range(n)] for x, n in enumerate(sizes)]
    largest = max(float(np.abs(layer["weights"]).max()) for layer in book["layers"]) or 1.0
    edges = []
    for index, layer in enumerate(book["layers"]):
        for i, (x0, y0) in enumerate(positions[index]):
            for j, (x1, y1) in enumerate(positions[index + 1]):
                w = float(layer["weights"][i, j])
                edges.append({"x": [x0, x1], "y": [y0, y1], "weight": w,
                              "width": 1 + (WIDEST_EDGE - 1) * abs(w) / largest})
    names = [["x₁", "x₂"]] + [[f"h{j + 1}" for j in range(n)] for n in sizes[1:-1]] + [["y"]]
    nodes = []
    for index, column in enumerate(positions):
        biases = [None] * len(column) if index == 0 else [float(b) for b in book["layers"][index - 1]["biases"]]
        nodes.append([{"name": name, "x": x, "y": y, "bias": b}
                      for name, (x, y), b in zip(names[index], column, biases)])
    return {"nodes": nodes, "edges": edges}


def thinned_history(run: Run, points: int = HISTORY_POINTS) -> dict:
    """Every k-th epoch of the run's loss and parameters, k chosen so about `points` remain (at least 1 each).

    ``epochs`` (n,), ``loss`` (n,), ``params`` {parameter name: (n,)}.
    """
    stride = max(1, (run.epoch + 1) // points)
    params = run.params_history[::stride]
    return {"epochs": np.arange(0, run.epoch + 1, stride), "loss": run.loss_history[::stride],
            "params": {name: params[:, index] for index, name in enumerate(parameter_names(run.settings))}}


def decision_grid(settings: Settings, params: np.ndarray, size: int = 50,
                  low: float = -0.5, high: float = 1.5) -> dict:
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
