"""The backprop ledger: every number one gradient-descent step computes, laid out for the page.

Its numbers come from the same `forward` and `backward` (for the tutorial's
neuron, the same `tutorial_step`) that train the network, so the ledger shows
the step the next epoch takes, not a second calculation of it.
"""

from __future__ import annotations

import numpy as np

from dlplay.xor.numpy_net import (
    INPUTS,
    TARGETS,
    Backward,
    Config,
    Run,
    backward,
    forward,
    layers,
    loss_per_input,
    tutorial_step,
)

INPUT_LABELS = ["[0,0]", "[0,1]", "[1,0]", "[1,1]"]


def backprop(settings: Config, params: np.ndarray) -> dict:
    """The backprop ledger for `params`: plain data for a page to lay out as equations.

    N = 4 inputs, rows in the order [0,0], [0,1], [1,0], [1,1]; a layer of n_in -> n_out neurons:

    - ``model``, ``loss_name`` ("tutorial" | "mse" | "bce"), ``learning_rate``,
      ``inputs`` (4, 2), ``targets`` (4,)
    - ``layers``: list, input to output ("hidden" then "output"; the tutorial has
      only "output"), each a dict:
        ``name``, ``activation``,
        ``weights`` (n_in, n_out), ``biases`` (n_out,),
        ``inputs`` (4, n_in): what feeds the layer (x, or the hidden a),
        ``z`` (4, n_out) = inputs · weights + biases, ``a`` (4, n_out) = f(z),
        ``d_loss_d_a`` (4, n_out): ∂L/∂a; for the output it is ∂L/∂y, for the
          hidden layer Σ_k delta_out[k] · W2[j, k] (the chain rule's back step),
        ``activation_derivative`` (4, n_out): f'(z), written in terms of a,
        ``delta`` (4, n_out) = ∂L/∂z = d_loss_d_a · activation_derivative
          (for bce's output, computed as (y - t)/N, the same number where
          y is not rounded to 0 or 1),
        ``weight_gradients`` (n_in, n_out) = inputsᵀ · delta,
        ``bias_gradients`` (n_out,) = Σ over inputs of delta,
        ``weight_changes``, ``bias_changes``: what the next step adds,
          -learning_rate × gradient.
    - ``predictions`` (4,), ``error`` (4,) = predictions - targets,
      ``loss_per_input`` (4,), ``loss`` (float).
    - tutorial only, ``tutorial``: the tutorial's own variables, ``error`` (4,)
      = outputs - predictions, ``sigmoid_derivative`` (4,),
      ``d_weights`` (2, 1) (= -weight_gradients), ``d_bias`` (float).
    """
    params = np.asarray(params, dtype=float)
    lr = settings.lr
    with np.errstate(all="ignore"):
        if settings.model == "tutorial":
            return _tutorial_ledger(settings, params)
        passes = forward(settings, params)
        backs, gradient = backward(settings, params, passes)
        (_, hidden), (z, predictions) = passes
        per_input = loss_per_input(settings, z[:, 0], predictions[:, 0])
        layer_params, gradients = layers(settings, params), layers(settings, gradient)
        changes = layers(settings, -(lr * gradient))
        book_layers = [
            _layer("hidden", settings.activation, layer_params[0], INPUTS, passes[0], backs[0], gradients[0],
                   changes[0]),
            _layer("output", "sigmoid", layer_params[1], hidden, passes[1], backs[1], gradients[1], changes[1]),
        ]
    return {
        "model": "mlp", "loss_name": settings.loss, "learning_rate": lr,
        "inputs": INPUTS.copy(), "targets": TARGETS[:, 0].copy(),
        "layers": book_layers,
        "predictions": predictions[:, 0], "error": (predictions - TARGETS)[:, 0],
        "loss_per_input": per_input, "loss": float(np.sum(per_input) / len(per_input)),
    }


def _layer(name, activation, weights_biases, inputs, z_a, back: Backward, gradients, changes) -> dict:
    """One layer's entry: its parameters, what feeds it, its (z, a), its side of the chain rule, its step."""
    (weights, biases), (z, a) = weights_biases, z_a
    (weight_gradients, bias_gradients), (weight_changes, bias_changes) = gradients, changes
    return {
        "name": name, "activation": activation,
        "weights": weights.copy(), "biases": biases.copy(), "inputs": np.array(inputs, dtype=float),
        "z": z, "a": a, "d_loss_d_a": back.d_loss_d_a, "activation_derivative": back.activation_derivative,
        "delta": back.delta, "weight_gradients": weight_gradients, "bias_gradients": bias_gradients,
        "weight_changes": weight_changes, "bias_changes": bias_changes,
    }


def _tutorial_ledger(settings: Config, params: np.ndarray) -> dict:
    # The tutorial's own variables, bit for bit, and the same step in the ledger's terms:
    # L = 1/2 Σ (t - y)², so ∂L/∂y = -(t - y) and ∂L/∂z = -(error · σ').
    (weights, bias), = layers(settings, params)
    tutorial = tutorial_step(weights, bias)
    error, derivative, lr = tutorial.error, tutorial.sigmoid_derivative, settings.lr
    back = Backward(-error, derivative, -(error * derivative))
    gradients = (-tutorial.d_weights, np.array([-tutorial.d_bias]))
    changes = (lr * tutorial.d_weights, np.array([lr * tutorial.d_bias]))
    layer = _layer("output", "sigmoid", (weights, bias), INPUTS, (tutorial.z, tutorial.predictions), back,
                   gradients, changes)
    per_input = 0.5 * error**2
    return {
        "model": "tutorial", "loss_name": "tutorial", "learning_rate": lr,
        "inputs": INPUTS.copy(), "targets": TARGETS[:, 0].copy(),
        "layers": [layer],
        "predictions": tutorial.predictions[:, 0], "error": -error[:, 0],
        "loss_per_input": per_input[:, 0], "loss": float(np.sum(per_input)),
        "tutorial": {"error": error[:, 0], "sigmoid_derivative": derivative[:, 0],
                     "d_weights": tutorial.d_weights, "d_bias": float(tutorial.d_bias)},
    }


def ledger(run: Run) -> dict:
    """`backprop` for the run's current parameters."""
    return backprop(run.settings, run.params)


def readings(book: dict, epoch: int) -> dict[str, str]:
    """The page's read-outs for a ledger (`readings_of`)."""
    return readings_of(book["loss"], book["predictions"], epoch)


def readings_of(loss: float, predictions, epoch: int) -> dict[str, str]:
    """The page's read-outs: the epoch with thousands separators, the loss to 4 significant digits,
    the four predictions to 2 decimals."""
    return {"epoch": f"{epoch:,}", "loss": f"{loss:.4g}", "predictions": " ".join(f"{p:.2f}" for p in predictions)}


def number(v: float) -> str:
    """A number for an equation: 4 significant digits, in brackets when negative (it follows an operator)."""
    text = f"{v:.4g}"
    if "e" in text:  # 3.348e-07 -> 3.348 \times 10^{-7}
        mantissa, exponent = text.split("e")
        text = rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return f"({text})" if text.startswith("-") else text


def equations(book: dict, sample: int, forward_word: str, backward_word: str) -> list[str]:
    """One input's trip forward and back as LaTeX equations with the numbers filled in;
    `forward_word` and `backward_word` head the two halves."""
    x = book["inputs"][sample]
    target = book["targets"][sample]
    lines = [rf"\textbf{{{forward_word}}}\quad x = ({x[0]:g}, {x[1]:g}),\ t = {target:g}"]
    if book["model"] == "tutorial":
        layer = book["layers"][0]
        w, b = layer["weights"][:, 0], layer["biases"][0]
        z, y = layer["z"][sample, 0], layer["a"][sample, 0]
        tut = book["tutorial"]
        lr = book["learning_rate"]
        return lines + [
            rf"z = w_1 x_1 + w_2 x_2 + b = {number(w[0])}\cdot{x[0]:g} + {number(w[1])}\cdot{x[1]:g}"
            rf" + {number(b)} = {number(z)}",
            rf"y = \sigma(z) = {y:.6g}",
            rf"\textbf{{{backward_word}}}",
            rf"\text{{error}} = t - y = {target:g} - {y:.6g} = {number(tut['error'][sample])}",
            rf"\text{{sigmoid\_derivative}}(y) = y(1 - y) = {tut['sigmoid_derivative'][sample]:.6g}",
            rf"\text{{d\_weights}} = X^\top(\text{{error}} \odot y(1-y))"
            rf" = ({number(tut['d_weights'][0, 0])},\ {number(tut['d_weights'][1, 0])})",
            rf"\text{{d\_bias}} = \textstyle\sum (\text{{error}} \odot y(1-y)) = {number(tut['d_bias'])}",
            rf"w \mathrel{{+}}= {lr:g}\cdot\text{{d\_weights}},\quad b \mathrel{{+}}= {lr:g}\cdot\text{{d\_bias}}",
        ]
    hidden, output = book["layers"]
    f = hidden["activation"]
    for j in range(hidden["weights"].shape[1]):
        w, b = hidden["weights"][:, j], hidden["biases"][j]
        lines.append(
            rf"z_{{{j + 1}}} = {number(w[0])}\cdot{x[0]:g} + {number(w[1])}\cdot{x[1]:g} + {number(b)}"
            rf" = {number(hidden['z'][sample, j])}"
            rf",\quad h_{{{j + 1}}} = \mathrm{{{f}}}(z_{{{j + 1}}}) = {number(hidden['a'][sample, j])}"
        )
    terms = " + ".join(rf"{number(v)}\cdot{number(a)}" for v, a in zip(output["weights"][:, 0], hidden["a"][sample]))
    lines += [
        rf"z = \textstyle\sum_j v_j h_j + c = {terms} + {number(output['biases'][0])}"
        rf" = {number(output['z'][sample, 0])}",
        rf"y = \sigma(z) = {output['a'][sample, 0]:.6g},\quad L_n = {book['loss_per_input'][sample]:.6g}",
        rf"\textbf{{{backward_word}}}",
        rf"\delta = \frac{{\partial L}}{{\partial y}}\,\sigma'(z) = {number(output['d_loss_d_a'][sample, 0])}\cdot"
        rf"{number(output['activation_derivative'][sample, 0])} = {number(output['delta'][sample, 0])}",
    ]
    for j in range(hidden["weights"].shape[1]):
        lines.append(
            rf"\delta_{{{j + 1}}} = \delta\, v_{{{j + 1}}}\, \mathrm{{{f}}}'(z_{{{j + 1}}}) = "
            rf"{number(output['delta'][sample, 0])}\cdot{number(output['weights'][j, 0])}\cdot"
            rf"{number(hidden['activation_derivative'][sample, j])} = {number(hidden['delta'][sample, j])}"
        )
    return lines


def values_table(book: dict) -> dict[str, list | np.ndarray]:
    """Every forward and backward value for all four inputs, as columns: x, t, then z, a and δ of each neuron."""
    columns = {"x": INPUT_LABELS, "t": book["targets"]}
    for layer in book["layers"]:
        for j in range(layer["z"].shape[1]):
            label = f"h{j + 1}" if layer["name"] == "hidden" else "y"
            columns[f"z({label})"] = layer["z"][:, j]
            columns[label] = layer["a"][:, j]
            columns[f"δ({label})"] = layer["delta"][:, j]
    return columns


def gradients_table(book: dict, names: list[str]) -> dict[str, list | np.ndarray]:
    """Per parameter (in `names` order): its value now, ∂L/∂θ, the change the step makes, and the value after it."""
    def flat(weights: str, biases: str) -> np.ndarray:
        return np.concatenate([np.append(layer[weights].ravel(), layer[biases]) for layer in book["layers"]])

    value, change = flat("weights", "biases"), flat("weight_changes", "bias_changes")
    return {"parameter": list(names), "value": value, "gradient": flat("weight_gradients", "bias_gradients"),
            "change": change, "next": value + change}
