"""The XOR lesson's logic: the tutorial's code reproduced bit for bit, backprop
checked against finite differences and TensorFlow, the one training loop taking
the ledger's steps, the default network solving XOR, what the page shows, the
command line, the generated code and URL settings."""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import io
import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dlplay.cli import xor as cli_xor
from dlplay.xor import charts, code, ledger, state
from dlplay.xor import numpy_net as xor

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


def mlp(**changes) -> xor.Config:
    return dataclasses.replace(state.MLP_DEFAULTS, **changes)


def test_tutorial_mode_is_the_tutorials_code_bit_for_bit(capsys):
    namespace: dict = {}
    exec(TUTORIAL_SECTION_2_2, namespace)
    assert "训练后的权重" in capsys.readouterr().out
    run = xor.train(state.TUTORIAL_DEFAULTS)
    weights, bias = xor.layers(run.settings, run.params)[0]
    assert np.array_equal(weights, namespace["weights"]) and weights.tobytes() == namespace["weights"].tobytes()
    assert np.array_equal(bias, namespace["bias"]) and bias.tobytes() == namespace["bias"].tobytes()
    assert run.epoch == 10000 and run.diverged is None
    # The numbers the issue quotes, and the tutorial's last predictions.
    assert weights.ravel() == pytest.approx([2.47e-16, 2.49e-16], rel=0.01)
    assert bias[0] == pytest.approx(-3.33e-16, rel=0.01)
    assert ledger.ledger(run)["predictions"].tolist() == [0.5] * 4
    assert namespace["predictions"].ravel().tolist() == [0.5] * 4


def test_tutorial_ledger_holds_the_tutorials_own_variables():
    run = xor.step(xor.new_run(state.TUTORIAL_DEFAULTS), 3)
    book = ledger.ledger(run)
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


def sample_params(settings: xor.Config) -> np.ndarray:
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
    run = xor.step(xor.new_run(state.TUTORIAL_DEFAULTS), 10)
    check = xor.gradient_check(run.settings, run.params)
    assert np.abs(check["analytic"] - check["numeric"]).max() < 1e-6
    assert check["relative_error"].max() < 1e-6


def tensorflow_gradients(settings: xor.Config, params: np.ndarray) -> tuple[float, np.ndarray]:
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


def flat(book: dict, weights: str, biases: str) -> np.ndarray:
    """A ledger's per-layer numbers laid out as the parameters are."""
    return np.concatenate([np.append(layer[weights].ravel(), layer[biases]) for layer in book["layers"]])


@pytest.mark.parametrize("hidden", [1, 4, 8])
@pytest.mark.parametrize("activation,loss", GRAD_CASES)
def test_every_epoch_of_the_training_loop_is_the_ledgers_step(activation, loss, hidden):
    # One forward and one backward serve both, so the loop's update is the ledger's change to the bit;
    # and the ledger's gradient is the slope of the loss, by finite differences, all along the run.
    settings = mlp(activation=activation, loss=loss, hidden=hidden, init="uniform", seed=5)
    run = xor.step(xor.new_run(settings), 300)
    assert run.epoch == 300 and run.diverged is None
    for k in (1, 2, 50, 299):
        book = ledger.backprop(settings, run.history[k])
        assert np.array_equal(run.history[k + 1], run.history[k] + flat(book, "weight_changes", "bias_changes"))
        assert run.losses[k] == pytest.approx(book["loss"], rel=1e-12)
        np.testing.assert_allclose(run.predictions[k], book["predictions"], rtol=1e-12)
        check = xor.gradient_check(settings, run.history[k])
        np.testing.assert_array_equal(check["analytic"], flat(book, "weight_gradients", "bias_gradients"))
        np.testing.assert_allclose(check["analytic"], check["numeric"], atol=1e-6)
    assert run.loss_history[-1] < run.loss_history[0]


def test_the_chain_rule_in_the_ledger():
    settings = mlp(hidden=2)
    book = ledger.backprop(settings, sample_params(settings))
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
    assert settings == state.MLP_DEFAULTS
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
    assert xor.solved(run.predictions_history[-1])


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
    assert cli_xor.summary(run)["diverged"]["epoch"] == 6


def test_lr_100_saturates_instead_of_overflowing():
    # The sigmoid output bounds every gradient, so even lr 100 keeps every
    # number finite; the neurons saturate and the net does not learn.
    run = xor.train(mlp(lr=100.0))
    assert run.diverged is None and np.isfinite(run.params).all()
    assert not xor.solved(run.predictions_history[-1])
    assert xor.saturated(run)  # the page's warning


def test_saturated_only_when_the_output_z_is_beyond_15_for_every_input():
    assert not xor.saturated(xor.new_run(mlp(lr=100.0)))  # nothing trained yet
    assert not xor.saturated(xor.train(mlp()))  # solved XOR, its output z stays within ±5
    run = xor.step(xor.new_run(mlp()), 1)
    _, (w2, b2) = xor.layers(run.settings, run.params)
    w2[:] = 0.0
    b2[:] = 15.5  # z = 15.5 for every input: saturated
    assert xor.saturated(run)
    b2[:] = 14.5
    assert not xor.saturated(run)
    run.diverged = xor.Divergence(2, "loss", float("nan"))
    b2[:] = 15.5
    assert not xor.saturated(run)  # the page says it diverged instead


def test_a_new_run_reserves_history_for_its_epochs_up_to_20000():
    assert len(xor.new_run(mlp(epochs=300)).history) == 301
    assert len(xor.new_run(mlp(epochs=100_000)).history) == xor.RESERVED_EPOCHS + 1 == 20_001
    assert len(xor.new_run(mlp(epochs=0)).history) == 1
    run = xor.step(xor.new_run(mlp(epochs=0)), 5)  # and grows when it runs past them
    assert run.epoch == 5 and run.params_history.shape == (6, 17)


@pytest.mark.parametrize("scale,lr,quantity", [(1e300, 0.5, "loss"), (1e306, 1000.0, "W1[0,0]")])
def test_a_run_stops_at_the_first_non_finite_number_and_names_it(scale, lr, quantity):
    # Huge weights into unbounded ReLUs: the output z overflows, so the
    # cross-entropy turns NaN; with a huge learning rate the update overflows too.
    run = xor.step(xor.new_run(mlp(activation="relu", loss="bce", lr=lr)), 3)
    run.params[:] = scale
    run.history[run.epoch] = run.params
    xor.step(run, 100)
    assert run.epoch == 3 and np.isfinite(run.params).all()
    assert run.diverged.epoch == 4 and run.diverged.quantity == quantity
    assert not np.isfinite(run.diverged.value)


def test_thinned_history_keeps_about_200_points_from_epoch_0():
    run = xor.step(xor.new_run(mlp()), 1000)
    history = charts.thinned_history(run)
    assert history["epochs"].tolist() == list(range(0, 1001, 5))
    assert np.array_equal(history["loss"], run.loss_history[::5])
    assert list(history["params"]) == xor.parameter_names(run.settings)
    assert np.array_equal(history["params"]["b2[0]"], run.params_history[::5, -1])
    short = charts.thinned_history(xor.step(xor.new_run(mlp()), 150))
    assert short["epochs"].tolist() == list(range(151)) and len(short["loss"]) == 151


def test_the_ledger_for_the_tutorials_first_step_reads_as_its_numbers():
    # np.random.seed(42): weights (-0.12546, 0.45071), bias 0.23199; input [0,1] has z = 0.6827.
    book = ledger.ledger(xor.new_run(state.TUTORIAL_DEFAULTS))
    assert ledger.equations(book, 1, "Forward", "Backward") == [
        r"\textbf{Forward}\quad x = (0, 1),\ t = 1",
        r"z = w_1 x_1 + w_2 x_2 + b = (-0.1255)\cdot0 + 0.4507\cdot1 + 0.232 = 0.6827",
        r"y = \sigma(z) = 0.664343",
        r"\textbf{Backward}",
        r"\text{error} = t - y = 1 - 0.664343 = 0.3357",
        r"\text{sigmoid\_derivative}(y) = y(1 - y) = 0.222991",
        r"\text{d\_weights} = X^\top(\text{error} \odot y(1-y)) = ((-0.02921),\ (-0.07238))",
        r"\text{d\_bias} = \textstyle\sum (\text{error} \odot y(1-y)) = (-0.09194)",
        r"w \mathrel{+}= 0.1\cdot\text{d\_weights},\quad b \mathrel{+}= 0.1\cdot\text{d\_bias}",
    ]
    assert ledger.readings(book, 0) == {"epoch": "0", "loss": "0.5261", "predictions": "0.56 0.66 0.53 0.64"}
    steps = ledger.gradients_table(book, xor.parameter_names(state.TUTORIAL_DEFAULTS))
    assert steps["parameter"] == ["weights[0,0]", "weights[1,0]", "bias[0]"]
    np.testing.assert_allclose(steps["value"], [-0.12545988, 0.45071431, 0.23199394], atol=1e-8)
    np.testing.assert_allclose(steps["gradient"], [0.02921298, 0.07237707, 0.09193982], atol=1e-8)
    np.testing.assert_allclose(steps["change"], -0.1 * steps["gradient"])
    # "after the step" is where the tutorial's loop goes next.
    assert np.array_equal(steps["next"], xor.step(xor.new_run(state.TUTORIAL_DEFAULTS), 1).params)


def test_the_ledger_for_the_mlp_lays_out_each_neuron():
    run = xor.new_run(mlp(hidden=2, init="uniform", seed=3))
    book = ledger.ledger(run)
    lines = ledger.equations(book, 2, "F", "B")
    (w1, b1), (w2, b2) = xor.layers(run.settings, run.params)
    hidden, output = book["layers"]
    # Input [1,0]: 2 hidden neurons, the output, the header of the way back, its delta, 2 hidden deltas.
    assert len(lines) == 1 + 2 + 2 + 1 + 1 + 2 and lines[0] == r"\textbf{F}\quad x = (1, 0),\ t = 1"
    assert lines[1].startswith(f"z_{{1}} = {ledger.number(w1[0, 0])}\\cdot1 + {ledger.number(w1[1, 0])}\\cdot0")
    assert lines[1].endswith(rf"h_{{1}} = \mathrm{{tanh}}(z_{{1}}) = {ledger.number(np.tanh(w1[0, 0] + b1[0]))}")
    assert lines[4] == rf"y = \sigma(z) = {output['a'][2, 0]:.6g},\quad L_n = {(output['a'][2, 0] - 1) ** 2:.6g}"
    columns = ledger.values_table(book)
    assert list(columns) == ["x", "t", "z(h1)", "h1", "δ(h1)", "z(h2)", "h2", "δ(h2)", "z(y)", "y", "δ(y)"]
    assert columns["x"] == ["[0,0]", "[0,1]", "[1,0]", "[1,1]"] and columns["t"].tolist() == [0, 1, 1, 0]
    assert np.array_equal(columns["δ(h2)"], hidden["delta"][:, 1])
    steps = ledger.gradients_table(book, xor.parameter_names(run.settings))
    assert np.array_equal(steps["value"], run.params) and steps["parameter"][-1] == "b2[0]"
    assert np.array_equal(steps["next"], xor.step(run, 1).params)


@pytest.mark.parametrize("value,text", [
    (0.68270825, "0.6827"), (-0.12545988, "(-0.1255)"), (3.348e-07, r"3.348\times 10^{-7}"),
    (-2.5e12, r"(-2.5\times 10^{12})"), (0.0, "0"), (12345.678, "1.235\\times 10^{4}"),
])
def test_an_equations_number_has_4_significant_digits_and_brackets_when_negative(value, text):
    assert ledger.number(value) == text


def test_the_gradient_check_reports_its_worst_agreement():
    settings = mlp(hidden=3, activation="sigmoid")
    check = xor.gradient_check(settings, sample_params(settings))
    assert check["worst"] == check["relative_error"].max() and 0 < check["worst"] < 1e-4


def test_the_page_prints_what_the_tutorials_print_lines_print():
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(TUTORIAL_SECTION_2_2.replace("range(10000)", "range(20)"), namespace)
    weights, bias = namespace["weights"], namespace["bias"]
    assert printed.getvalue() == code.tutorial_prints(weights, bias) + "\n"
    run = xor.step(xor.new_run(state.TUTORIAL_DEFAULTS), 20)
    assert code.tutorial_prints(*xor.layers(run.settings, run.params)[0]) == printed.getvalue().rstrip("\n")


def printed_numbers(stdout: str) -> dict:
    numbers = {}
    for line in stdout.splitlines():
        key, _, value = line.partition(": ")
        if key in ("weights", "bias", "W1", "b1", "W2", "b2", "loss", "predictions"):
            numbers[key] = ast.literal_eval(value)
    return numbers


CODE_CASES = [state.TUTORIAL_DEFAULTS, dataclasses.replace(state.TUTORIAL_DEFAULTS, seed=7, lr=2.0, epochs=300),
              mlp()] + [mlp(activation=activation, loss=loss, init=init, hidden=3, seed=1, epochs=300)
                        for activation, loss, init in [("sigmoid", "bce", "uniform"), ("relu", "mse", "he"),
                                                       ("tanh", "bce", "xavier")]]


@pytest.mark.parametrize("settings", CODE_CASES, ids=lambda s: f"{s.model}-{s.activation}-{s.loss}-{s.init}")
@pytest.mark.slow
def test_generated_code_prints_the_same_numbers(settings):
    out = subprocess.run([sys.executable, "-c", code.code(settings)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    printed = printed_numbers(out.stdout)
    result = cli_xor.summary(xor.train(settings))
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


def dlplay_xor(*args: str) -> subprocess.CompletedProcess:
    """``dlplay xor ARGS`` in-process: dlplay.cli.main (what ``python -m dlplay`` runs; tests/unit/test_hostile_cli.py
    runs it as a process) with only the xor command, so these tests do not depend on the other lessons' commands
    being importable. argparse's own errors exit from parse_args: their SystemExit is the exit code."""
    from unittest import mock

    from dlplay import cli

    out, err = io.StringIO(), io.StringIO()
    with mock.patch.object(cli, "COMMANDS", ["xor"]), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(["xor", *args])
        except SystemExit as exit:
            code = exit.code
    return subprocess.CompletedProcess(["dlplay", "xor", *args], code, out.getvalue(), err.getvalue())


def test_cli_json_gives_the_tutorials_numbers():
    out = dlplay_xor("--model", "tutorial", "--seed", "42", "--lr", "0.1", "--epochs", "10000", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert {"weights", "biases", "loss", "predictions", "epochs", "diverged"} <= result.keys()
    run = xor.train(state.TUTORIAL_DEFAULTS)
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
    expected = cli_xor.summary(xor.train(mlp(hidden=3, activation="relu", loss="bce", lr=0.3, epochs=200, seed=2,
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
    settings, problems = state.parse_settings(query)
    assert isinstance(settings, xor.Config)
    assert bool(problems) == bool(query)
    assert 1 <= settings.hidden <= 8 and settings.epochs >= 0 and settings.lr > 0


def test_parse_settings_reports_each_bad_value_and_keeps_good_ones():
    settings, problems = state.parse_settings({"model": "mlp", "hidden": "0", "seed": "abc", "lr": "0.25"})
    assert settings == mlp(lr=0.25)
    assert sorted(problems) == [("hidden", "0"), ("seed", "abc")]
    tutorial, problems = state.parse_settings({"model": "tutorial"})
    assert tutorial == state.TUTORIAL_DEFAULTS and problems == []
    assert state.parse_settings({"model": "nonsense"}) == (state.TUTORIAL_DEFAULTS, [("model", "nonsense")])


@pytest.mark.parametrize("settings", [state.TUTORIAL_DEFAULTS, mlp(), mlp(hidden=7, activation="relu", loss="bce",
                                      lr=0.123456789, epochs=1234, seed=99, init="he"),
                                      dataclasses.replace(state.TUTORIAL_DEFAULTS, lr=0.7, seed=1)])
def test_settings_round_trip_through_the_url(settings):
    query = state.settings_to_query(settings)
    assert all(isinstance(v, str) for v in query.values())
    assert state.parse_settings(query) == (settings, [])
