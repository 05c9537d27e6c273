"""The XOR lesson's logic: the tutorial's code reproduced bit for bit, backprop
checked against finite differences and TensorFlow, the default network solving
XOR, the command line, the generated code and URL settings."""

from __future__ import annotations

import ast
import dataclasses
import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dlplay.xor import network as xor

ROOT = Path(__file__).resolve().parents[2]

# Tutorial §2.2 as written (its indentation restored; the page's text lost it).
TUTORIAL_SECTION_2_2 = '''
import numpy as np
def sigmoid(x):
    return 1 / (1 + np.exp(-x))
def sigmoid_derivative(x):
    return x * (1 - x)
inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
outputs = np.array([[0], [1], [1], [0]]) # XOR 问题
np.random.seed(42)
weights = np.random.random((2, 1)) - 0.5
bias = np.random.random(1) - 0.5
learning_rate = 0.1
for epoch in range(10000):
    z = np.dot(inputs, weights) + bias
    predictions = sigmoid(z)
    error = outputs - predictions
    d_weights = np.dot(inputs.T, error * sigmoid_derivative(predictions))
    d_bias = np.sum(error * sigmoid_derivative(predictions))
    weights += learning_rate * d_weights
    bias += learning_rate * d_bias
print("训练后的权重:", weights)
print("训练后的偏置:", bias)
'''


def mlp(**changes) -> xor.Settings:
    return dataclasses.replace(xor.MLP_DEFAULTS, **changes)


def test_tutorial_mode_is_the_tutorials_code_bit_for_bit(capsys):
    namespace: dict = {}
    exec(TUTORIAL_SECTION_2_2, namespace)
    assert "训练后的权重" in capsys.readouterr().out
    run = xor.train(xor.TUTORIAL_DEFAULTS)
    weights, bias = xor.layers(run.settings, run.params)[0]
    assert np.array_equal(weights, namespace["weights"]) and weights.tobytes() == namespace["weights"].tobytes()
    assert np.array_equal(bias, namespace["bias"]) and bias.tobytes() == namespace["bias"].tobytes()
    assert run.epoch == 10000 and run.diverged is None
    # The numbers the issue quotes, and the tutorial's last predictions.
    assert weights.ravel() == pytest.approx([2.47e-16, 2.49e-16], rel=0.01)
    assert bias[0] == pytest.approx(-3.33e-16, rel=0.01)
    assert xor.ledger(run)["predictions"].tolist() == [0.5] * 4
    assert namespace["predictions"].ravel().tolist() == [0.5] * 4


def test_tutorial_ledger_holds_the_tutorials_own_variables():
    run = xor.step(xor.new_run(xor.TUTORIAL_DEFAULTS), 3)
    book = xor.ledger(run)
    ns: dict = {}
    code = TUTORIAL_SECTION_2_2.replace("range(10000)", "range(3)").split("print(")[0]
    exec(code + "z = np.dot(inputs, weights) + bias\npredictions = sigmoid(z)\nerror = outputs - predictions\n"
         "d_weights = np.dot(inputs.T, error * sigmoid_derivative(predictions))\n"
         "d_bias = np.sum(error * sigmoid_derivative(predictions))\n", ns)
    assert book["tutorial"]["d_weights"].tobytes() == ns["d_weights"].tobytes()
    assert book["tutorial"]["d_bias"] == ns["d_bias"]
    assert np.array_equal(book["tutorial"]["error"], ns["error"][:, 0])
    layer = book["layers"][0]
    assert np.array_equal(layer["weight_changes"], 0.1 * ns["d_weights"])
    xor.step(run, 1)
    assert run.params[:2].tobytes() == (ns["weights"] + 0.1 * ns["d_weights"]).ravel().tobytes()


GRAD_CASES = list(itertools.product(xor.ACTIVATIONS, xor.LOSSES))


def sample_params(settings: xor.Settings) -> np.ndarray:
    """Parameters a few epochs in, from the first seed whose hidden z all keep
    0.05 away from 0, where ReLU's derivative jumps."""
    for seed in range(100):
        run = xor.step(xor.new_run(dataclasses.replace(settings, init="uniform", seed=seed)), 25)
        (w1, b1), _ = xor.layers(run.settings, run.params)
        if np.abs(np.dot(xor.INPUTS, w1) + b1).min() > 0.05:
            return run.params.copy()
    raise AssertionError("no seed keeps away from ReLU's kink")


@pytest.mark.parametrize("activation,loss", GRAD_CASES)
def test_backprop_agrees_with_finite_differences(activation, loss):
    settings = mlp(activation=activation, loss=loss, hidden=3)
    check = xor.gradient_check(settings, sample_params(settings))
    # Absolute: central differences with eps 1e-6 are good to ~1e-10 here.
    assert np.abs(check["analytic"] - check["numeric"]).max() < 1e-6
    assert check["names"][0] == "W1[0,0]" and len(check["names"]) == len(check["analytic"])


def test_backprop_agrees_with_finite_differences_for_the_tutorial():
    run = xor.step(xor.new_run(xor.TUTORIAL_DEFAULTS), 10)
    check = xor.gradient_check(run.settings, run.params)
    assert np.abs(check["analytic"] - check["numeric"]).max() < 1e-6
    assert check["relative_error"].max() < 1e-6


def tensorflow_gradients(settings: xor.Settings, params: np.ndarray) -> tuple[float, np.ndarray]:
    tf = pytest.importorskip("tensorflow")
    (w1, b1), (w2, b2) = xor.layers(settings, params)
    variables = [tf.Variable(v, dtype=tf.float64) for v in (w1, b1, w2, b2)]
    x = tf.constant(xor.INPUTS, dtype=tf.float64)
    t = tf.constant(xor.TARGETS, dtype=tf.float64)
    activation = {"sigmoid": tf.sigmoid, "tanh": tf.tanh, "relu": tf.nn.relu}[settings.activation]
    with tf.GradientTape() as tape:
        z = tf.matmul(activation(tf.matmul(x, variables[0]) + variables[1]), variables[2]) + variables[3]
        if settings.loss == "mse":
            loss = tf.reduce_mean((tf.sigmoid(z) - t) ** 2)
        else:
            loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=t, logits=z))
    grads = tape.gradient(loss, variables)
    return float(loss), np.concatenate([g.numpy().ravel() for g in grads])


@pytest.mark.parametrize("activation,loss", GRAD_CASES)
def test_backprop_agrees_with_tensorflow_gradient_tape(activation, loss):
    settings = mlp(activation=activation, loss=loss, hidden=3)
    params = sample_params(settings)
    ours_loss, ours = xor.loss_and_gradient(settings, params)
    tf_loss, theirs = tensorflow_gradients(settings, params)
    # Absolute and relative: both in float64, they agree to rounding.
    assert ours_loss == pytest.approx(tf_loss, rel=1e-6, abs=1e-6)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("activation,loss", GRAD_CASES)
def test_fast_training_loop_is_the_ledgers_step(activation, loss):
    settings = mlp(activation=activation, loss=loss, init="uniform", seed=5)
    run = xor.step(xor.new_run(settings), 7)
    before = run.params.copy()
    book = xor.ledger(run)
    change = np.concatenate([np.concatenate([layer["weight_changes"].ravel(), layer["bias_changes"].ravel()])
                             for layer in book["layers"]])
    xor.step(run, 1)
    np.testing.assert_allclose(run.params, before + change, rtol=1e-12, atol=1e-15)
    assert run.loss_history[7] == pytest.approx(book["loss"], rel=1e-12)
    np.testing.assert_allclose(run.predictions_history[7], book["predictions"], rtol=1e-12)


def test_the_chain_rule_in_the_ledger():
    settings = mlp(hidden=2)
    book = xor.backprop(settings, sample_params(settings))
    hidden, output = book["layers"]
    assert hidden["z"].shape == (4, 2) and output["weights"].shape == (2, 1)
    np.testing.assert_allclose(output["delta"], output["d_loss_d_a"] * output["activation_derivative"])
    np.testing.assert_allclose(hidden["d_loss_d_a"], output["delta"] @ output["weights"].T)
    np.testing.assert_allclose(hidden["delta"], hidden["d_loss_d_a"] * hidden["activation_derivative"])
    np.testing.assert_allclose(hidden["weight_gradients"], xor.INPUTS.T @ hidden["delta"])
    np.testing.assert_allclose(output["bias_changes"], -settings.lr * output["delta"].sum(axis=0))
    assert book["loss"] == pytest.approx(np.mean(book["error"] ** 2))


def test_defaults_solve_xor_from_nine_of_ten_seeds_within_5000_epochs():
    settings = mlp(hidden=4, activation="tanh", lr=0.5, epochs=5000)
    assert settings == xor.MLP_DEFAULTS
    solved = [xor.solved(xor.train(dataclasses.replace(settings, seed=seed)).predictions_history[-1])
              for seed in range(10)]
    assert sum(solved) >= 9


def test_solved():
    assert xor.solved([0.05, 0.95, 0.91, 0.0])
    assert not xor.solved([0.5, 0.5, 0.5, 0.5])
    assert not xor.solved([0.05, 0.95, 0.85, 0.0])


def test_step_records_history_and_run_to_continues_it():
    run = xor.new_run(mlp(), capacity=4)
    xor.step(run, 3)
    copy = run.copy()
    xor.run_to(run, 1500)
    assert run.epoch == 1500 and copy.epoch == 3
    assert run.params_history.shape == (1501, 17) and run.loss_history.shape == (1501,)
    assert np.array_equal(run.params_history[-1], run.params)
    assert np.array_equal(run.params_history[:4], copy.params_history)
    straight = xor.train(dataclasses.replace(mlp(), epochs=1500))
    assert np.array_equal(straight.params, run.params)
    assert run.loss_history[-1] < run.loss_history[0]
    assert xor.first_solved_epoch(run) is not None


def test_a_non_finite_number_stops_the_run_where_it_appeared():
    run = xor.step(xor.new_run(mlp(activation="relu", loss="bce", init="uniform")), 5)
    # Weights near the largest float: the next epoch's output z overflows.
    run.params[:] = 1e300
    run.history[run.epoch] = run.params
    xor.step(run, 100)
    assert run.diverged is not None and run.diverged.epoch == 6 and run.epoch == 5
    assert np.isfinite(run.params).all()
    before = run.epoch
    xor.step(run, 10)
    assert run.epoch == before
    assert xor.summary(run)["diverged"]["epoch"] == 6


def test_lr_100_saturates_instead_of_overflowing():
    # The sigmoid output bounds every gradient, so even lr 100 keeps every
    # number finite; the neurons saturate and the net does not learn.
    run = xor.train(mlp(lr=100.0))
    assert run.diverged is None and np.isfinite(run.params).all()
    assert not xor.solved(run.predictions_history[-1])


@pytest.fixture
def numba_kernel(monkeypatch):
    """The compiled kernel, which `step` then uses; the test fails if numba is installed but cannot compile it."""
    pytest.importorskip("numba")
    monkeypatch.delenv("DLPLAY_NO_NUMBA", raising=False)
    assert xor._kernel() is not None
    assert xor._mlp_trainer(xor.WAIT_FOR_KERNEL_AT) is xor._train_mlp_compiled


@pytest.mark.parametrize("hidden", [1, 4, 8])
@pytest.mark.parametrize("activation,loss", GRAD_CASES)
def test_numba_kernel_agrees_with_the_numpy_loop(numba_kernel, activation, loss, hidden):
    settings = mlp(activation=activation, loss=loss, hidden=hidden)
    compiled = xor.step(xor.new_run(settings), 300)
    reference = xor.new_run(settings, capacity=301)
    xor._train_mlp(reference, 300)
    # The same operations in the same order, but numpy's tanh and BLAS's sums
    # may round the last bit differently; atol covers parameters near 0.
    np.testing.assert_allclose(compiled.params_history, reference.history[:301], rtol=1e-12, atol=1e-13)


def test_dlplay_no_numba_trains_by_the_numpy_loop(monkeypatch):
    monkeypatch.setenv("DLPLAY_NO_NUMBA", "1")
    assert xor._mlp_trainer(xor.WAIT_FOR_KERNEL_AT) is xor._train_mlp
    settings = mlp(activation="sigmoid", loss="bce", hidden=3)
    stepped = xor.step(xor.new_run(settings), 50)
    reference = xor.new_run(settings, capacity=51)
    xor._train_mlp(reference, 50)
    assert np.array_equal(stepped.params_history, reference.history[:51])


@pytest.mark.parametrize("scale,lr,quantity", [(1e300, 0.5, "loss"), (1e306, 1000.0, "W1[0,0]")])
def test_both_loops_stop_at_the_same_non_finite_number(monkeypatch, scale, lr, quantity):
    # Huge weights into unbounded ReLUs: the output z overflows, so the
    # cross-entropy turns NaN; with a huge learning rate the update overflows too.
    divergences = []
    for no_numba in ("0", "1"):
        monkeypatch.setenv("DLPLAY_NO_NUMBA", no_numba)
        run = xor.step(xor.new_run(mlp(activation="relu", loss="bce", lr=lr)), 3)
        run.params[:] = scale
        run.history[run.epoch] = run.params
        xor.step(run, 100)
        assert run.epoch == 3 and np.isfinite(run.params).all()
        divergences.append(run.diverged)
    assert divergences[0].epoch == divergences[1].epoch == 4
    assert divergences[0].quantity == divergences[1].quantity == quantity
    assert str(divergences[0].value) == str(divergences[1].value)


def test_importing_xor_does_not_import_numba():
    script = "import sys, dlplay.xor.network; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_decision_grid():
    settings = mlp(hidden=3)
    run = xor.train(settings)
    grid = xor.decision_grid(settings, run.params, size=50)
    assert grid["output"].shape == (50, 50) and grid["hidden"].shape == (3, 50, 50)
    axis = list(grid["axis"])
    # Row is x2, column is x1.
    i0, i1 = np.argmin(np.abs(grid["axis"] - 0)), np.argmin(np.abs(grid["axis"] - 1))
    assert axis[0] == -0.5 and axis[-1] == 1.5
    points = np.array([[grid["axis"][i0], grid["axis"][i1]]])
    assert grid["output"][i1, i0] == pytest.approx(xor._forward_many(settings, run.params[None], points)[1][0, 0])
    tutorial = xor.decision_grid(xor.TUTORIAL_DEFAULTS, xor.initial_params(xor.TUTORIAL_DEFAULTS))
    assert tutorial["hidden"].shape == (0, 50, 50)


def printed_numbers(stdout: str) -> dict:
    numbers = {}
    for line in stdout.splitlines():
        key, _, value = line.partition(": ")
        if key in ("weights", "bias", "W1", "b1", "W2", "b2", "loss", "predictions"):
            numbers[key] = ast.literal_eval(value)
    return numbers


CODE_CASES = [xor.TUTORIAL_DEFAULTS, dataclasses.replace(xor.TUTORIAL_DEFAULTS, seed=7, lr=2.0, epochs=300),
              mlp()] + [mlp(activation=a, loss=l, init=i, hidden=3, seed=1, epochs=300)
                        for a, l, i in [("sigmoid", "bce", "uniform"), ("relu", "mse", "he"), ("tanh", "bce", "xavier")]]


@pytest.mark.parametrize("settings", CODE_CASES, ids=lambda s: f"{s.model}-{s.activation}-{s.loss}-{s.init}")
def test_generated_code_prints_the_same_numbers(settings):
    out = subprocess.run([sys.executable, "-c", xor.code(settings)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    printed = printed_numbers(out.stdout)
    result = xor.summary(xor.train(settings))
    if settings.model == "tutorial":
        # The tutorial's own operations on both sides: equal to the last bit.
        assert printed["weights"] == result["weights"] and printed["bias"] == result["biases"]
        assert printed["loss"] == result["loss"] and printed["predictions"] == result["predictions"]
        assert "训练后的权重" in out.stdout
        return
    # dlplay's loop feeds biases through the matrix product, which may round
    # differently in the last bit; over the run that stays far below 1e-9.
    ours = np.concatenate([np.ravel(w) for w in result["weights"]] + [np.ravel(b) for b in result["biases"]])
    theirs = np.concatenate([np.ravel(printed[k]) for k in ("W1", "W2", "b1", "b2")])
    np.testing.assert_allclose(theirs, ours, rtol=1e-9, atol=1e-12)
    assert printed["loss"] == pytest.approx(result["loss"], rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(printed["predictions"], result["predictions"], rtol=1e-9, atol=1e-12)


DRIVER = "import sys, dlplay.cli as cli; cli.COMMANDS = ['xor']; sys.exit(cli.main(sys.argv[1:]))"


def dlplay_xor(*args: str) -> subprocess.CompletedProcess:
    # dlplay.cli.main with only the xor command, so this test does not depend on
    # the other lessons' commands being importable.
    return subprocess.run([sys.executable, "-c", DRIVER, "xor", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def test_cli_json_gives_the_tutorials_numbers():
    out = dlplay_xor("--model", "tutorial", "--seed", "42", "--lr", "0.1", "--epochs", "10000", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert {"weights", "biases", "loss", "predictions", "epochs", "diverged"} <= result.keys()
    run = xor.train(xor.TUTORIAL_DEFAULTS)
    assert np.array(result["weights"]).tobytes() == run.params[:2].reshape(2, 1).tobytes()
    assert result["biases"] == [run.params[2]]
    assert result["predictions"] == [0.5] * 4 and result["epochs"] == 10000 and result["diverged"] is None


def test_cli_mlp_json_and_text():
    out = dlplay_xor("--model", "mlp", "--hidden", "3", "--activation", "relu", "--loss", "bce", "--lr", "0.3",
                     "--epochs", "200", "--seed", "2", "--init", "he", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert np.array(result["weights"][0]).shape == (2, 3) and np.array(result["weights"][1]).shape == (3, 1)
    assert len(result["biases"][0]) == 3 and len(result["predictions"]) == 4 and result["epochs"] == 200
    expected = xor.summary(xor.train(mlp(hidden=3, activation="relu", loss="bce", lr=0.3, epochs=200, seed=2,
                                         init="he")))
    assert result["weights"] == expected["weights"] and result["loss"] == expected["loss"]
    text = dlplay_xor("--model", "mlp", "--epochs", "100")
    assert text.returncode == 0 and "W1:" in text.stdout and "prediction" in text.stdout


@pytest.mark.parametrize("args", [
    ["--model", "mlp", "--hidden", "0"], ["--model", "mlp", "--hidden", "9"], ["--epochs", "-5"],
    ["--seed", "abc"], ["--lr", "x"], ["--lr", "nan"], ["--lr", "-1"], ["--hidden", "3"],
    ["--model", "mlp", "--activation", "swish"],
])
def test_cli_bad_input_is_one_clear_line(args):
    out = dlplay_xor(*args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "error:" in out.stderr
    assert out.stdout == ""


def test_cli_lr_100_finishes_and_says_it_did_not_solve():
    out = dlplay_xor("--model", "mlp", "--lr", "100", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["diverged"] is None and result["solved"] is False


@pytest.mark.parametrize("query", [
    {}, {"hidden": "0"}, {"hidden": "abc"}, {"epochs": "-1"}, {"seed": "abc"}, {"lr": "x"}, {"lr": "inf"},
    {"model": "cnn"}, {"activation": "swish"}, {"hidden": ["2", "99"]}, {"lr": ""}, {"seed": "1e400"},
    {"model": "mlp", "hidden": "9", "lr": "0", "epochs": "1.5", "init": None, "extra": "1"}, {1: 2},
])
def test_parse_settings_never_raises(query):
    settings, problems = xor.parse_settings(query)
    assert isinstance(settings, xor.Settings)
    assert bool(problems) == bool(query)
    assert 1 <= settings.hidden <= 8 and settings.epochs >= 0 and settings.lr > 0


def test_parse_settings_reports_each_bad_value_and_keeps_good_ones():
    settings, problems = xor.parse_settings({"model": "mlp", "hidden": "0", "seed": "abc", "lr": "0.25"})
    assert settings == mlp(lr=0.25)
    assert sorted(problems) == [("hidden", "0"), ("seed", "abc")]
    tutorial, problems = xor.parse_settings({"model": "tutorial"})
    assert tutorial == xor.TUTORIAL_DEFAULTS and problems == []
    assert xor.parse_settings({"model": "nonsense"}) == (xor.TUTORIAL_DEFAULTS, [("model", "nonsense")])


@pytest.mark.parametrize("settings", [xor.TUTORIAL_DEFAULTS, mlp(), mlp(hidden=7, activation="relu", loss="bce",
                                      lr=0.123456789, epochs=1234, seed=99, init="he"),
                                      dataclasses.replace(xor.TUTORIAL_DEFAULTS, lr=0.7, seed=1)])
def test_settings_round_trip_through_the_url(settings):
    query = xor.settings_to_query(settings)
    assert all(isinstance(v, str) for v in query.values())
    assert xor.parse_settings(query) == (settings, [])
