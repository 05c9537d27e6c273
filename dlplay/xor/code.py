"""The XOR page's code panel: a runnable numpy script for the settings on the page.

For the tutorial's model it is the tutorial's §2.2 code (its indentation
restored; the tutorial's page lost it) with dlplay's print lines added; for the
MLP, the same loop written out with a hidden layer. Each prints what the page shows.
"""

from __future__ import annotations

import numpy as np

from dlplay import i18n
from dlplay.xor.numpy_net import Config

COMMENTS = "code.xor."  # the catalogue keys of the scripts' comments: {c[name]} in the templates

TUTORIAL_CODE = '''\
import numpy as np

def sigmoid(x):
    return 1 / (1 + np.exp(-x))

def sigmoid_derivative(x):
    return x * (1 - x)

inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
outputs = np.array([[0], [1], [1], [0]]) # {c[xor_problem]}

np.random.seed({seed})
weights = np.random.random((2, 1)) - 0.5
bias = np.random.random(1) - 0.5

learning_rate = {lr!r}
for epoch in range({epochs}):
    z = np.dot(inputs, weights) + bias
    predictions = sigmoid(z)

    error = outputs - predictions
    d_weights = np.dot(inputs.T, error * sigmoid_derivative(predictions))
    d_bias = np.sum(error * sigmoid_derivative(predictions))

    weights += learning_rate * d_weights
    bias += learning_rate * d_bias

print("训练后的权重:", weights)
print("训练后的偏置:", bias)

# {c[added]}
# L = 1/2 * sum((outputs - predictions)**2)
predictions = sigmoid(np.dot(inputs, weights) + bias)
print("weights:", weights.tolist())
print("bias:", bias.tolist())
print("loss:", float(np.sum(0.5 * (outputs - predictions) ** 2)))
print("predictions:", predictions.ravel().tolist())
'''

MLP_CODE = '''\
"""{c[mlp_doc]}
"""

import numpy as np

# ## {c[data]}

inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
targets = np.array([[0], [1], [1], [0]], dtype=float)

# ## {c[activations]}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_derivative(a):
    return a * (1 - a)

{activation_code}
# ## {c[init]} ({init_title})

rng = np.random.default_rng({seed})
{init_code}
# ## {c[training]}

learning_rate = {lr!r}
for epoch in range({epochs}):
    # {c[forward]}
    hidden = {activation}(np.dot(inputs, W1) + b1)
    predictions = sigmoid(np.dot(hidden, W2) + b2)

    # {c[backward]}
    error = predictions - targets
{output_delta}
    d_W2 = np.dot(hidden.T, d_output)
    d_b2 = np.sum(d_output, axis=0)
    d_hidden = np.dot(d_output, W2.T) * {activation}_derivative(hidden)
    d_W1 = np.dot(inputs.T, d_hidden)
    d_b1 = np.sum(d_hidden, axis=0)

    # {c[update]}
    W1 -= learning_rate * d_W1
    b1 -= learning_rate * d_b1
    W2 -= learning_rate * d_W2
    b2 -= learning_rate * d_b2

# ## {c[result]}

hidden = {activation}(np.dot(inputs, W1) + b1)
z = np.dot(hidden, W2) + b2
predictions = sigmoid(z)
{loss_code}
print("W1:", W1.tolist())
print("b1:", b1.tolist())
print("W2:", W2.tolist())
print("b2:", b2.tolist())
print("loss:", float(loss))
print("predictions:", predictions.ravel().tolist())
'''

_ACTIVATION_CODE = {
    "sigmoid": "",
    "tanh": "\n\ndef tanh(z):\n    return np.tanh(z)\n\n\ndef tanh_derivative(a):\n    return 1 - a**2\n\n",
    "relu": ("\n\ndef relu(z):\n    return np.maximum(z, 0.0)\n\n\n"
             "def relu_derivative(a):\n    return (a > 0) * 1.0\n\n"),
}

_INIT_CODE = {
    "uniform": (
        "# {c[init_uniform]}\n"
        "W1 = rng.random((2, {h})) - 0.5\n"
        "b1 = rng.random({h}) - 0.5\n"
        "W2 = rng.random(({h}, 1)) - 0.5\n"
        "b2 = rng.random(1) - 0.5\n"),
    "xavier": (
        "# {c[init_xavier]} ±sqrt(6 / (fan_in + fan_out))\n"
        "W1 = rng.uniform(-np.sqrt(6 / (2 + {h})), np.sqrt(6 / (2 + {h})), size=(2, {h}))\n"
        "b1 = np.zeros({h})\n"
        "W2 = rng.uniform(-np.sqrt(6 / ({h} + 1)), np.sqrt(6 / ({h} + 1)), size=({h}, 1))\n"
        "b2 = np.zeros(1)\n"),
    "he": (
        "# {c[init_he]} ±sqrt(6 / fan_in)\n"
        "W1 = rng.uniform(-np.sqrt(6 / 2), np.sqrt(6 / 2), size=(2, {h}))\n"
        "b1 = np.zeros({h})\n"
        "W2 = rng.uniform(-np.sqrt(6 / {h}), np.sqrt(6 / {h}), size=({h}, 1))\n"
        "b2 = np.zeros(1)\n"),
}

_OUTPUT_DELTA = {
    "mse": ("    # L = mean((predictions - targets)**2): dL/dprediction = 2 * error / N\n"
            "    d_predictions = 2 * error / len(inputs)\n"
            "    d_output = d_predictions * sigmoid_derivative(predictions)"),
    "bce": ("    # {c[bce_delta]}: dL/dz = (prediction - target) / N\n"
            "    d_output = error / len(inputs)"),
}

_LOSS_CODE = {
    "mse": "loss = np.mean((predictions - targets) ** 2)\n",
    "bce": ("# {c[bce_loss]}: softplus(z) - t*z = -(t log y + (1-t) log(1-y))\n"
            "loss = np.mean(np.logaddexp(0, z) - targets * z)\n"),
}

def code(settings: Config, lang: str = "en") -> str:
    """A runnable numpy script for `settings` that prints what the page shows.

    For the tutorial model it is the tutorial's §2.2 code with dlplay's print
    lines added. It trains all `settings.epochs` epochs: it does not stop at a
    non-finite number as dlplay does.
    """
    s = settings
    c = {key.removeprefix(COMMENTS): i18n.text(lang, key) for key in i18n.CATALOGUES["en"] if key.startswith(COMMENTS)}
    if s.model == "tutorial":
        return TUTORIAL_CODE.format(seed=s.seed, lr=float(s.lr), epochs=s.epochs, c=c)
    loss_title, init_title = c[f"title.{s.loss}"], c[f"title.{s.init}"]
    c["mlp_doc"] = i18n.text(lang, COMMENTS + "mlp_doc", hidden=s.hidden, activation=s.activation, loss=loss_title,
                             lr=float(s.lr), epochs=s.epochs, seed=s.seed, init=init_title)
    return MLP_CODE.format(
        activation=s.activation, lr=float(s.lr), epochs=s.epochs, seed=s.seed, init_title=init_title, c=c,
        activation_code=_ACTIVATION_CODE[s.activation],
        init_code=_INIT_CODE[s.init].format(h=s.hidden, c=c),
        output_delta=_OUTPUT_DELTA[s.loss].format(c=c), loss_code=_LOSS_CODE[s.loss].format(c=c),
    )


def tutorial_prints(weights: np.ndarray, bias: np.ndarray) -> str:
    """What the tutorial's own two print lines print for `weights` (2, 1) and `bias` (1,)."""
    return f"训练后的权重: {weights}\n训练后的偏置: {bias}"
