"""The numbers each /xor frame carries for its charts' summaries (dlplay/xor/summaries.py), against the run."""

import numpy as np
import pytest

from dlplay import equations
from dlplay.xor import charts, play, state, summaries
from dlplay.xor import numpy_net as xor

MLP, TUTORIAL = state.MLP_DEFAULTS, state.TUTORIAL_DEFAULTS


def test_the_tutorials_boundary_is_its_one_line_until_the_output_is_flat():
    run = xor.new_run(TUTORIAL)
    summary = charts.frame(run, 0)["summary"]
    (weights, bias), = xor.layers(TUTORIAL, run.params)
    assert summary["boundary"]["kind"] == "line"
    assert summary["boundary"]["line"] == equations.line(weights[0, 0], weights[1, 0], bias[0])
    assert summary["boundary"]["right"] == str(summaries.right_side(run.predictions[0]))
    assert "hidden" not in summary  # no hidden layer, no hidden neurons' chart
    xor.run_to(run, TUTORIAL.epochs)  # every weight ends about 1e-16: the output 0.5 everywhere
    boundary = charts.frame(run, run.epoch)["summary"]["boundary"]
    assert boundary == {"kind": "flat", "low": "0.50", "high": "0.50", "right": "2"}


def test_the_mlps_boundary_and_its_hidden_neurons_lines():
    run = xor.run_to(xor.new_run(MLP), MLP.epochs)
    summary = charts.frame(run, run.epoch)["summary"]
    assert summary["boundary"]["kind"] == "curve" and summary["boundary"]["right"] == "4"
    low, high = float(summary["boundary"]["low"]), float(summary["boundary"]["high"])
    assert low <= run.predictions[run.epoch].min() and run.predictions[run.epoch].max() <= high
    (w1, b1), _ = xor.layers(MLP, run.params)
    assert summary["hidden"]["lines"].split(summaries.SEPARATOR) == [
        f"h{j + 1}: {equations.line(w1[0, j], w1[1, j], b1[j])}" for j in range(MLP.hidden)]
    assert summary["loss"] == {"start": f"{run.losses[0]:.4g}"}


def test_the_output_range_is_that_of_the_square_drawn():
    run = xor.run_to(xor.new_run(MLP), 500)
    low, high, size = charts.GRID
    axis = np.linspace(low, high, size)
    outputs = [xor.forward(MLP, run.params, np.array([[a, b]]))[-1][1][0, 0] for a in axis[::7] for b in axis[::7]]
    found = summaries.output_range(MLP, run.params, charts.GRID)
    assert found[0] <= min(outputs) and max(outputs) <= found[1]


def test_the_weights_and_the_networks_widest_edge():
    run = xor.run_to(xor.new_run(MLP), 300)
    names, params = xor.parameter_names(MLP), run.params
    summary = charts.frame(run, run.epoch)["summary"]
    assert summary["weights"]["largest"].startswith(names[int(np.argmax(params))] + " = ")
    assert summary["weights"]["smallest"].startswith(names[int(np.argmin(params))] + " = ")
    weights = [k for k, name in enumerate(names) if name.startswith("W")]  # edges: weights, not biases
    widest = max(weights, key=lambda k: abs(params[k]))
    assert f"({names[widest]} = " in summary["network"]["strongest"]
    assert summaries.strongest(TUTORIAL, np.array([0.5, -2.0, 9.0]), ["x₁", "x₂"], "y") == "x₂ → y (weights[1,0] = −2)"


def test_a_diverged_network_is_summarised_all_the_same():
    params = np.full(len(xor.parameter_names(MLP)), np.nan)
    summary = summaries.frame(MLP, params, np.full(4, np.nan), 0.25, charts.GRID, ["x₁", "x₂"], "y")
    assert summary["boundary"]["low"] == "nan" and "nan" in summary["weights"]["largest"]


@pytest.mark.parametrize("speed", [1, 50])
def test_while_playing_a_frame_a_second_carries_the_summaries(speed):
    clock = play.Clock(0.0, 100, speed)
    carried = [k for k in range(1, 46) if play.summarised(clock, 100 + k * speed)]
    assert carried == [15, 30, 45]
    run = xor.new_run(MLP)
    assert "summary" not in charts.frame(run, 0, summary=False) and "summary" in charts.frame(run, 0)
