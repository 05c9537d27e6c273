"""Lesson 1 logic: every activation and derivative against finite differences and Keras/TF."""

import json
import subprocess
import sys

import numpy as np
import pytest

from dlplay.activations import functions as act
from dlplay.cli import main

# Points away from the kinks at 0 (ReLU family), where finite differences are undefined.
X = np.concatenate([np.linspace(-6, -0.05, 40), np.linspace(0.05, 6, 40)])


@pytest.mark.parametrize("name", act.NAMES)
def test_derivative_matches_central_differences(name):
    f = act.ACTIVATIONS[name]
    h = 1e-6
    numeric = (f.f(X + h) - f.f(X - h)) / (2 * h)
    np.testing.assert_allclose(f.derivative(X), numeric, atol=1e-6, rtol=0)


def keras_reference():
    keras = pytest.importorskip("keras")
    ops = keras.ops
    return {
        "sigmoid": keras.activations.sigmoid,
        "relu": keras.activations.relu,
        "tanh": keras.activations.tanh,
        "leaky_relu": keras.activations.leaky_relu,  # negative_slope=0.2 by default
        "elu": keras.activations.elu,
        "gelu": lambda x: keras.activations.gelu(x, approximate=False),
        "softplus": keras.activations.softplus,
        "silu": keras.activations.silu,
    }, ops


@pytest.mark.parametrize("name", act.NAMES)
def test_values_and_gradients_match_keras_and_tensorflow(name):
    tf = pytest.importorskip("tensorflow")
    reference, _ = keras_reference()
    x = tf.constant(X, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = reference[name](x)
    gradient = tape.gradient(y, x).numpy()
    np.testing.assert_allclose(act.ACTIVATIONS[name].f(X), y.numpy(), atol=1e-6, rtol=0)
    np.testing.assert_allclose(act.ACTIVATIONS[name].derivative(X), gradient, atol=1e-6, rtol=0)


def test_tf_nn_agrees_too():
    tf = pytest.importorskip("tensorflow")
    x = tf.constant(X, dtype=tf.float64)
    pairs = {
        "sigmoid": tf.nn.sigmoid, "relu": tf.nn.relu, "tanh": tf.nn.tanh,
        "leaky_relu": lambda v: tf.nn.leaky_relu(v, alpha=act.LEAKY_SLOPE), "elu": tf.nn.elu,
        "gelu": lambda v: tf.nn.gelu(v, approximate=False), "softplus": tf.nn.softplus, "silu": tf.nn.silu,
    }
    for name, fn in pairs.items():
        np.testing.assert_allclose(act.ACTIVATIONS[name].f(X), fn(x).numpy(), atol=1e-6, rtol=0, err_msg=name)


def test_softmax_matches_keras_and_handles_temperature():
    keras = pytest.importorskip("keras")
    logits = np.array([2.0, 1.0, 0.1, -3.0])
    for temperature in (0.1, 0.5, 1.0, 3.0):
        expected = keras.ops.convert_to_numpy(keras.activations.softmax(keras.ops.convert_to_tensor(logits[None] / temperature)))[0]
        np.testing.assert_allclose(act.softmax(logits, temperature), expected, atol=1e-6)
    assert act.softmax([1000.0, 0.0]).tolist() == [1.0, 0.0]  # no overflow
    flat = act.softmax(logits, 1e6)
    np.testing.assert_allclose(flat, 0.25, atol=1e-4)


def test_the_tutorials_example_prints_exactly_what_the_tutorial_prints():
    assert act.tutorial_example() == (
        "Sigmoid: [0.11920292 0.26894142 0.5        0.73105858 0.88079708]\n"
        "ReLU: [0 0 0 1 2]"
    )
    # and it is what the tutorial's own code prints, run as written
    tutorial = (
        "import numpy as np\n"
        "def sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n"
        "def relu(x):\n    return np.maximum(0, x)\n"
        "x = np.array([-2, -1, 0, 1, 2])\n"
        'print("Sigmoid:", sigmoid(x))\nprint("ReLU:", relu(x))\n'
    )
    printed = subprocess.run([sys.executable, "-c", tutorial], capture_output=True, text=True, check=True).stdout
    assert printed.strip() == act.tutorial_example()


def test_flat_regions_mark_saturation_and_the_dead_relu():
    assert act.flat_regions("relu") == [(-6.0, 0.0)]
    left, right = act.flat_regions("sigmoid")
    assert left[0] == -6.0 and -3.2 < left[1] < -2.8  # sigmoid'(x) < 0.05 for |x| > ~2.94
    assert right[1] == 6.0 and 2.8 < right[0] < 3.2
    assert act.flat_regions("leaky_relu") == []
    assert act.flat_regions("elu")[0][0] == -6.0  # ELU saturates on the left only


def test_neuron_computes_the_weighted_sum_then_the_activation():
    z, y = act.neuron(1.0, 0.5, 2.0, -1.0, 0.25, "sigmoid")
    assert z == pytest.approx(1.75)
    assert y == pytest.approx(1 / (1 + np.exp(-1.75)))
    xs, ys, plane = act.neuron_surface(2.0, -1.0, 0.25, "relu", steps=5)
    assert plane.shape == (5, 5)
    assert plane[2, 4] == pytest.approx(max(0, 2 * 3 + 0.25))  # x1 = 3, x2 = 0


def test_gradients_vanish_through_sigmoid_layers_but_not_relu():
    sigmoid = act.chain_gradients("sigmoid", 10, 0.5, 1.0)
    relu = act.chain_gradients("relu", 10, 0.5, 1.0)
    assert sigmoid[-1] < 0.25 ** 10 * 1.0001  # each factor is at most 0.25
    assert np.all(np.diff(sigmoid) < 0)
    np.testing.assert_array_equal(relu, np.ones(10))
    assert act.chain_gradients("relu", 5, -0.5, 1.0)[-1] == 0.0  # a negative input kills it


def test_the_code_panel_prints_the_numbers_the_page_shows(tmp_path):
    values = {**act.DEFAULTS, "neuron_f": "gelu", "f": "leaky_relu", "x": -1.5, "w1": 2.5, "b": -0.5,
              "logits": [3.0, -1.0], "temperature": 0.5, "depth": 4, "chain_x": 1.0, "chain_w": 1.5}
    script = tmp_path / "activations.py"
    script.write_text(act.code(values))
    printed = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout
    z, y = act.neuron(values["x1"], values["x2"], 2.5, values["w2"], -0.5, "gelu")
    lines = printed.splitlines()
    assert lines[0] == f"z = {z}  y = {y}"
    f = act.ACTIVATIONS["leaky_relu"]
    assert lines[1] == f"leaky_relu(x) = {float(f.f(-1.5))}  derivative = {float(f.derivative(-1.5))}"
    assert str(act.softmax([3.0, -1.0], 0.5)) in lines[2]
    assert str(act.chain_gradients("sigmoid", 4, 1.0, 1.5)) in printed


def test_command_line_json(capsys):
    assert main(["activations", "--x", "-2", "-1", "0", "1", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["x"] == [-2, -1, 0, 1, 2]
    assert set(result["functions"]) == set(act.NAMES)
    np.testing.assert_allclose(result["functions"]["sigmoid"]["f"], [0.11920292, 0.26894142, 0.5, 0.73105858, 0.88079708], atol=1e-8)
    assert result["functions"]["relu"]["derivative"] == [0, 0, 0, 1, 1]
    assert sum(result["softmax"]) == pytest.approx(1.0)


def test_command_line_defaults_to_the_tutorials_points_and_prints_its_example(capsys):
    assert main(["activations"]) == 0
    out = capsys.readouterr().out
    assert "Sigmoid: [0.11920292 0.26894142 0.5        0.73105858 0.88079708]" in out
    assert "ReLU: [0 0 0 1 2]" in out


@pytest.mark.parametrize("bad", [["abc"], ["1,,x"], ["nan"], ["inf"]])
def test_command_line_rejects_bad_points_without_a_traceback(bad):
    result = subprocess.run([sys.executable, "-m", "dlplay", "activations", "--x", *bad], capture_output=True, text=True)
    assert result.returncode == 2
    assert "error" in result.stderr and "Traceback" not in result.stderr


def test_huge_inputs_stay_finite():
    x = np.array([-1e6, -800.0, 800.0, 1e6])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        for name in act.NAMES:
            f = act.ACTIVATIONS[name]
            assert np.all(np.isfinite(f.f(x))), name
            assert np.all(np.isfinite(f.derivative(x))), name
