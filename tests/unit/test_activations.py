"""§1 logic: every activation and derivative against finite differences and Keras/TF."""

import ast
import json
import subprocess
import sys

import numpy as np
import pytest

from dlplay.activations import functions as act
from dlplay.activations.code import TUTORIAL_CODE, code
from dlplay.activations.state import CHAIN_ACTIVATIONS, DEFAULTS, NAMES
from dlplay.cli import main

# Points away from the kinks at 0 (ReLU family), where finite differences are undefined.
X = np.concatenate([np.linspace(-6, -0.05, 40), np.linspace(0.05, 6, 40)])


@pytest.mark.parametrize("name", NAMES)
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


@pytest.mark.parametrize("name", NAMES)
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
        expected = keras.ops.convert_to_numpy(
            keras.activations.softmax(keras.ops.convert_to_tensor(logits[None] / temperature)))[0]
        np.testing.assert_allclose(act.softmax(logits, temperature), expected, atol=1e-6)
    assert act.softmax([1000.0, 0.0]).tolist() == [1.0, 0.0]  # no overflow
    flat = act.softmax(logits, 1e6)
    np.testing.assert_allclose(flat, 0.25, atol=1e-4)


@pytest.mark.slow
def test_the_tutorials_example_prints_exactly_what_the_tutorial_prints():
    assert act.tutorial_example() == (
        "Sigmoid: [0.11920292 0.26894142 0.5        0.73105858 0.88079708]\n"
        "ReLU: [0 0 0 1 2]"
    )
    # and it is what the tutorial's own code, as the page shows it, prints when run
    printed = subprocess.run([sys.executable, "-c", TUTORIAL_CODE], capture_output=True, text=True, check=True).stdout
    assert printed == act.tutorial_example() + "\n"


def test_flat_regions_mark_saturation_and_the_dead_relu():
    assert act.flat_regions("relu") == [(-6.0, 0.0)]
    left, right = act.flat_regions("sigmoid")
    assert left[0] == -6.0 and -3.2 < left[1] < -2.8  # sigmoid'(x) < 0.05 for |x| > ~2.94
    assert right[1] == 6.0 and 2.8 < right[0] < 3.2
    assert act.flat_regions("leaky_relu") == []
    assert act.flat_regions("elu")[0][0] == -6.0  # ELU saturates on the left only


@pytest.mark.parametrize("name, kind", [
    ("relu", "dead"), ("sigmoid", "flat"), ("tanh", "flat"), ("elu", "flat"),
    ("gelu", "flat"), ("softplus", "flat"), ("silu", "flat"), ("leaky_relu", None),
])
def test_only_relu_passes_no_gradient_at_all_where_it_is_flat(name, kind):
    assert act.stall(name) == kind


def test_neuron_computes_the_weighted_sum_then_the_activation():
    z, y = act.neuron(1.0, 0.5, 2.0, -1.0, 0.25, "sigmoid")
    assert z == pytest.approx(1.75)
    assert y == pytest.approx(1 / (1 + np.exp(-1.75)))
    xs, ys, plane = act.neuron_surface(2.0, -1.0, 0.25, "relu", steps=5)
    assert plane.shape == (5, 5)
    assert plane[2, 4] == pytest.approx(max(0, 2 * 3 + 0.25))  # x1 = 3, x2 = 0


@pytest.mark.parametrize("w1, w2, b", [(2.0, -1.0, 0.25), (0.0, 1.5, -1.0), (1.5, 0.0, 1.0), (-0.3, 4.0, 5.0)])
def test_the_boundary_line_is_where_the_weighted_sum_is_zero(w1, w2, b):
    x1s, x2s = act.boundary_line(w1, w2, b, -3.0, 3.0)
    assert len(x1s) == len(x2s) == 2
    for x1, x2 in zip(x1s, x2s):
        assert act.neuron(x1, x2, w1, w2, b, "relu")[0] == pytest.approx(0.0, abs=1e-12)
    # it spans the plane: from edge to edge in x1, or in x2 where it stands upright
    spans = (list(x1s), list(x2s)) if w2 else (list(x2s), list(x1s))
    assert spans[0] == [-3.0, 3.0]


def test_no_boundary_line_when_both_weights_are_zero():
    assert act.boundary_line(0.0, 0.0, 1.0) is None
    x1s, x2s = act.boundary_line(1.5, 0.0, 1.0)
    assert list(x1s) == [-2 / 3, -2 / 3] and list(x2s) == [-act.PLANE_EXTENT, act.PLANE_EXTENT]


def test_curve_and_point_are_the_function_and_its_derivative():
    x, f, df = act.curve("tanh", -6.0, 6.0, 241)
    assert x[0] == -6.0 and x[-1] == 6.0 and x[1] - x[0] == pytest.approx(0.05)
    np.testing.assert_allclose(f, np.tanh(x))
    np.testing.assert_allclose(df, 1 - np.tanh(x) ** 2)
    assert act.value_and_derivative("tanh", 0.5) == (pytest.approx(0.46211716), pytest.approx(0.78644773))
    assert act.value_and_derivative("relu", -1.0) == (0.0, 0.0)


def test_most_likely_class_its_probability_and_the_total():
    best, p, total = act.most_likely(act.softmax([1.0, 3.0, 2.0]))
    assert best == 1
    assert p == pytest.approx(np.exp(3) / (np.exp(1) + np.exp(3) + np.exp(2)))
    assert total == pytest.approx(1.0)
    assert act.most_likely(np.array([0.2, 0.5, 0.3])) == (1, 0.5, 1.0)


def test_gradients_vanish_through_sigmoid_layers_but_not_relu():
    sigmoid = act.chain_gradients("sigmoid", 10, 0.5, 1.0)
    relu = act.chain_gradients("relu", 10, 0.5, 1.0)
    assert sigmoid[-1] < 0.25 ** 10 * 1.0001  # each factor is at most 0.25
    assert np.all(np.diff(sigmoid) < 0)
    np.testing.assert_array_equal(relu, np.ones(10))
    assert act.chain_gradients("relu", 5, -0.5, 1.0)[-1] == 0.0  # a negative input kills it


def test_chains_compared_layer_by_layer():
    chains = act.compare_chains(CHAIN_ACTIVATIONS, 4, -0.5, 1.0)
    assert list(chains.layers) == [1, 2, 3, 4]
    assert list(chains.sizes) == list(CHAIN_ACTIVATIONS)
    np.testing.assert_array_equal(chains.sizes["tanh"], act.chain_gradients("tanh", 4, -0.5, 1.0))
    assert chains.after_last_layer["relu"] == 0.0
    assert chains.after_last_layer["sigmoid"] == float(act.chain_gradients("sigmoid", 4, -0.5, 1.0)[-1])
    assert chains.any_died  # ReLU's input is negative
    assert np.isnan(chains.for_log_axis("relu")).all()  # a log axis has no 0: nothing to draw
    np.testing.assert_array_equal(chains.for_log_axis("sigmoid"), chains.sizes["sigmoid"])
    assert not act.compare_chains(CHAIN_ACTIVATIONS, 4, 0.5, 1.0).any_died


def run_without_dlplay(script, cwd):
    """Run a script in isolated mode (no PYTHONPATH, no user site), where importing dlplay fails."""
    guard = "import runpy, sys; sys.modules['dlplay'] = None; runpy.run_path(sys.argv[1], run_name='__main__')"
    return subprocess.run([sys.executable, "-I", "-c", guard, str(script)], cwd=cwd, capture_output=True, text=True)


@pytest.mark.slow
def test_a_script_that_imports_dlplay_fails_where_the_code_panel_runs(tmp_path):
    script = tmp_path / "needs_dlplay.py"
    script.write_text("from dlplay.url_state import Param\nprint('ran')\n")
    result = run_without_dlplay(script, tmp_path)
    assert result.returncode == 1 and "ModuleNotFoundError" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("changes", [
    {},
    {"neuron_f": "gelu", "f": "leaky_relu", "x": -1.5, "w1": 2.5, "b": -0.5,
     "logits": [3.0, -1.0], "temperature": 0.5, "depth": 4, "chain_x": 1.0, "chain_w": 1.5},
])
@pytest.mark.slow
def test_the_code_panel_runs_without_dlplay_and_prints_the_numbers_the_page_shows(tmp_path, changes):
    v = {**DEFAULTS, **changes}
    script = tmp_path / "activations.py"
    script.write_text(code(v))
    result = run_without_dlplay(script, tmp_path)
    assert result.returncode == 0, result.stderr
    z, y = act.neuron(v["x1"], v["x2"], v["w1"], v["w2"], v["b"], v["neuron_f"])
    f, df = act.value_and_derivative(v["f"], v["x"])
    assert result.stdout == "".join([
        f"z = {z}  y = {y}\n",
        f"{v['f']}(x) = {f}  derivative = {df}\n",
        f"softmax: {act.softmax(np.array(v['logits']), v['temperature'])}\n",
        *(f"{name}: {act.chain_gradients(name, v['depth'], v['chain_x'], v['chain_w'])}\n"
          for name in CHAIN_ACTIVATIONS),
    ])


@pytest.mark.parametrize("f", NAMES)
def test_the_code_panel_imports_only_what_it_uses(f):
    tree = ast.parse(code({"f": f, "neuron_f": f}))
    imported = {alias.asname or alias.name
                for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    used = {node.value.id
            for node in ast.walk(tree) if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)}
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert imported == ({"np", "math"} if f == "gelu" else {"np"}) and imported <= used


def test_command_line_json(capsys):
    assert main(["activations", "--x", "-2", "-1", "0", "1", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["x"] == [-2, -1, 0, 1, 2]
    assert set(result["functions"]) == set(NAMES)
    np.testing.assert_allclose(result["functions"]["sigmoid"]["f"],
                               [0.11920292, 0.26894142, 0.5, 0.73105858, 0.88079708], atol=1e-8)
    assert result["functions"]["relu"]["derivative"] == [0, 0, 0, 1, 1]
    np.testing.assert_allclose(result["softmax"], act.softmax([-2, -1, 0, 1, 2]), rtol=1e-15)
    assert result["softmax"][-1] == pytest.approx(np.e ** 2 / sum(np.e ** k for k in (-2, -1, 0, 1, 2)))


def test_command_line_defaults_to_the_tutorials_points_and_prints_its_example(capsys):
    assert main(["activations"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["x", "-2", "-1", "0", "1", "2"]
    assert out.endswith("\nThe tutorial's example prints:\n"
                        "Sigmoid: [0.11920292 0.26894142 0.5        0.73105858 0.88079708]\n"
                        "ReLU: [0 0 0 1 2]\n")


@pytest.mark.parametrize("bad", [["abc"], ["1,,x"], ["nan"], ["inf"]])
def test_command_line_rejects_bad_points_without_a_traceback(bad, capsys):
    """In-process: dlplay.cli.main is what ``python -m dlplay`` runs (tests/unit/test_hostile_cli.py runs it
    as a process)."""
    assert main(["activations", "--x", *bad]) == 2
    captured = capsys.readouterr()
    assert captured.err == ("dlplay activations: error: --x wants finite numbers separated by commas or spaces, "
                            f"got {' '.join(bad)!r}\n")
    assert captured.out == ""


def test_huge_inputs_stay_finite():
    x = np.array([-1e6, -800.0, 800.0, 1e6])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        for name in NAMES:
            f = act.ACTIVATIONS[name]
            assert np.all(np.isfinite(f.f(x))), name
            assert np.all(np.isfinite(f.derivative(x))), name
