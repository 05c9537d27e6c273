"""Neurons and activation functions (tutorial §1).

A neuron computes y = f(w1·x1 + w2·x2 + b). This module holds the activation
functions f with their derivatives, the neuron itself, softmax with a
temperature, and the product of derivatives through a chain of layers that
makes gradients vanish. Pure numpy: the page that draws these opens on a cold
server without loading TensorFlow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from dlplay.settings import Param

Array = np.ndarray

# Keras' default slope for leaky ReLU (keras.activations.leaky_relu and
# tf.nn.leaky_relu both use 0.2), so our curve is the one the framework draws.
LEAKY_SLOPE = 0.2
ELU_ALPHA = 1.0


def sigmoid(x: Array) -> Array:
    # exp(-|x|) never overflows; both branches equal 1 / (1 + e^-x).
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(x: Array) -> Array:
    s = sigmoid(x)
    return s * (1.0 - s)


def relu(x: Array) -> Array:
    return np.maximum(0.0, np.asarray(x, dtype=float))


def relu_derivative(x: Array) -> Array:
    # At exactly 0 ReLU has no derivative; frameworks use 0 there, and so do we.
    return (np.asarray(x, dtype=float) > 0).astype(float)


def tanh(x: Array) -> Array:
    return np.tanh(np.asarray(x, dtype=float))


def tanh_derivative(x: Array) -> Array:
    return 1.0 - np.tanh(np.asarray(x, dtype=float)) ** 2


def leaky_relu(x: Array) -> Array:
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, LEAKY_SLOPE * x)


def leaky_relu_derivative(x: Array) -> Array:
    return np.where(np.asarray(x, dtype=float) > 0, 1.0, LEAKY_SLOPE)


def elu(x: Array) -> Array:
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, ELU_ALPHA * np.expm1(np.minimum(x, 0.0)))


def elu_derivative(x: Array) -> Array:
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, 1.0, ELU_ALPHA * np.exp(np.minimum(x, 0.0)))


_erf = np.vectorize(math.erf, otypes=[float])


def _normal_cdf(x: Array) -> Array:
    return 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))


def _normal_pdf(x: Array) -> Array:
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def gelu(x: Array) -> Array:
    # The exact GELU, x·Φ(x), as keras.activations.gelu(approximate=False).
    x = np.asarray(x, dtype=float)
    return x * _normal_cdf(x)


def gelu_derivative(x: Array) -> Array:
    x = np.asarray(x, dtype=float)
    return _normal_cdf(x) + x * _normal_pdf(x)


def softplus(x: Array) -> Array:
    # log(1 + e^x) without overflow.
    return np.logaddexp(0.0, np.asarray(x, dtype=float))


def softplus_derivative(x: Array) -> Array:
    return sigmoid(x)


def silu(x: Array) -> Array:
    x = np.asarray(x, dtype=float)
    return x * sigmoid(x)


def silu_derivative(x: Array) -> Array:
    s = sigmoid(x)
    return s + np.asarray(x, dtype=float) * s * (1.0 - s)


@dataclass(frozen=True)
class Activation:
    name: str
    f: Callable[[Array], Array]
    derivative: Callable[[Array], Array]
    formula: str  # LaTeX, the same in every language
    derivative_formula: str

    @property
    def symbol(self) -> str:
        """The function's LaTeX name, as in its formula: \\sigma, \\mathrm{ReLU}, ..."""
        return self.formula.split("(x)")[0]


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("sigmoid", sigmoid, sigmoid_derivative,
                   r"\sigma(x) = \frac{1}{1 + e^{-x}}", r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))"),
        Activation("relu", relu, relu_derivative,
                   r"\mathrm{ReLU}(x) = \max(0, x)", r"\mathrm{ReLU}'(x) = [x > 0]"),
        Activation("tanh", tanh, tanh_derivative,
                   r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", r"\tanh'(x) = 1 - \tanh^2(x)"),
        Activation("leaky_relu", leaky_relu, leaky_relu_derivative,
                   rf"\mathrm{{LeakyReLU}}(x) = \max({LEAKY_SLOPE}x, x)",
                   rf"\mathrm{{LeakyReLU}}'(x) = 1 \text{{ if }} x > 0 \text{{ else }} {LEAKY_SLOPE}"),
        Activation("elu", elu, elu_derivative,
                   r"\mathrm{ELU}(x) = x \text{ if } x > 0 \text{ else } e^{x} - 1",
                   r"\mathrm{ELU}'(x) = 1 \text{ if } x > 0 \text{ else } e^{x}"),
        Activation("gelu", gelu, gelu_derivative,
                   r"\mathrm{GELU}(x) = x\,\Phi(x)", r"\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x)"),
        Activation("softplus", softplus, softplus_derivative,
                   r"\mathrm{softplus}(x) = \ln(1 + e^{x})", r"\mathrm{softplus}'(x) = \sigma(x)"),
        Activation("silu", silu, silu_derivative,
                   r"\mathrm{SiLU}(x) = x\,\sigma(x)",
                   r"\mathrm{SiLU}'(x) = \sigma(x) + x\,\sigma(x)(1 - \sigma(x))"),
    ]
}

# The three the tutorial names, first; the others follow.
TUTORIAL_ACTIVATIONS = ("sigmoid", "relu", "tanh")


def neuron(x1: float, x2: float, w1: float, w2: float, b: float, activation: str) -> tuple[float, float]:
    """The neuron of §1.1: returns (z, y) with z = w1·x1 + w2·x2 + b and y = f(z)."""
    z = w1 * x1 + w2 * x2 + b
    return float(z), float(ACTIVATIONS[activation].f(z))


def neuron_surface(w1: float, w2: float, b: float, activation: str,
                   extent: float = 3.0, steps: int = 61) -> tuple[Array, Array, Array]:
    """The neuron's output over the square [-extent, extent]² as (xs, ys, y[ys, xs])."""
    axis = np.linspace(-extent, extent, steps)
    x1, x2 = np.meshgrid(axis, axis)
    return axis, axis, ACTIVATIONS[activation].f(w1 * x1 + w2 * x2 + b)


def flat_regions(activation: str, lo: float = -6.0, hi: float = 6.0,
                 threshold: float = 0.05, steps: int = 1201) -> list[tuple[float, float]]:
    """Intervals of [lo, hi] where |f'(x)| < threshold: where learning stalls.

    For sigmoid and tanh these are the saturating tails; for ReLU, where the
    derivative is exactly 0, it is the dead region x < 0.
    """
    x = np.linspace(lo, hi, steps)
    flat = np.abs(ACTIVATIONS[activation].derivative(x)) < threshold
    # A region runs from its first flat grid point to its last one.
    edges = np.flatnonzero(np.diff(np.concatenate([[False], flat, [False]]).astype(int)))
    regions = [(float(x[start]), float(x[end - 1])) for start, end in zip(edges[::2], edges[1::2])]
    return regions


def softmax(logits: Array, temperature: float = 1.0) -> Array:
    """softmax(z / T): a high temperature flattens the probabilities, a low one sharpens them."""
    z = np.asarray(logits, dtype=float) / temperature
    e = np.exp(z - z.max())  # subtracting the max changes nothing but avoids overflow
    return e / e.sum()


def chain_gradients(activation: str, depth: int, x0: float = 0.5, weight: float = 1.0) -> Array:
    """How much of the gradient survives the trip back through each layer.

    A chain of `depth` one-neuron layers: a_0 = x0, z_k = w·a_{k-1}, a_k = f(z_k).
    By the chain rule d a_k / d a_0 = Π_{i<=k} w·f'(z_i); entry k-1 is that
    product's size after k layers.
    """
    f = ACTIVATIONS[activation]
    a, product, sizes = float(x0), 1.0, []
    for _ in range(depth):
        z = weight * a
        product *= weight * float(f.derivative(z))
        a = float(f.f(z))
        sizes.append(abs(product))
    return np.array(sizes)


# The tutorial's §1.2 example, kept as written so it prints what the tutorial's code prints.
TUTORIAL_X = (-2, -1, 0, 1, 2)


def tutorial_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def tutorial_relu(x):
    return np.maximum(0, x)


def tutorial_example(values=TUTORIAL_X) -> str:
    """What `print("Sigmoid:", sigmoid(x)); print("ReLU:", relu(x))` prints for x = np.array(values)."""
    x = np.array(values)
    return f"Sigmoid: {tutorial_sigmoid(x)}\nReLU: {tutorial_relu(x)}"


def evaluate(values, names=None) -> dict[str, dict[str, list[float]]]:
    """Each function and its derivative at the given points (for the command line)."""
    x = np.asarray(values, dtype=float)
    return {
        name: {"f": ACTIVATIONS[name].f(x).tolist(), "derivative": ACTIVATIONS[name].derivative(x).tolist()}
        for name in (names or ACTIVATIONS)
    }


NAMES = tuple(ACTIVATIONS)

# Everything a visitor can set on the page; the names are the URL query keys.
PARAMS = [
    Param("x1", 1.0, -3.0, 3.0, 0.1),
    Param("x2", 0.5, -3.0, 3.0, 0.1),
    Param("w1", 1.0, -5.0, 5.0, 0.1),
    Param("w2", -1.0, -5.0, 5.0, 0.1),
    Param("b", 0.0, -5.0, 5.0, 0.1),
    Param("neuron_f", "sigmoid", choices=NAMES, kind="choice"),
    Param("f", "sigmoid", choices=NAMES, kind="choice"),
    Param("derivative", True, kind="bool"),
    Param("x", 1.0, -6.0, 6.0, 0.1),
    Param("logits", (2.0, 1.0, 0.1), -50.0, 50.0, kind="floats"),
    Param("temperature", 1.0, 0.1, 5.0, 0.1),
    Param("depth", 10, 1, 30, 1, kind="int"),
    Param("chain_x", 0.5, -3.0, 3.0, 0.1),
    Param("chain_w", 1.0, -3.0, 3.0, 0.1),
]
DEFAULTS = {p.name: p.default for p in PARAMS}
CHAIN_ACTIVATIONS = ("sigmoid", "tanh", "relu")

# What each activation's code needs besides its own two functions.
_NEEDS = {
    "sigmoid": [], "relu": [], "tanh": [],
    "leaky_relu": ["LEAKY_SLOPE"], "elu": ["ELU_ALPHA"],
    "gelu": ["_erf", "_normal_cdf", "_normal_pdf"],
    "softplus": ["sigmoid"], "silu": ["sigmoid"],
}
_CONSTANTS = {
    "LEAKY_SLOPE": f"LEAKY_SLOPE = {LEAKY_SLOPE}\n",
    "ELU_ALPHA": f"ELU_ALPHA = {ELU_ALPHA}\n",
    "_erf": "_erf = np.vectorize(math.erf, otypes=[float])\n",
}


def _source(name: str) -> str:
    if name in _CONSTANTS:
        return _CONSTANTS[name]
    import inspect
    return inspect.getsource(globals()[name])


def code(values: dict) -> str:
    """Runnable numpy code that prints the numbers the page shows for these settings.

    The function definitions are this module's own source, so the code a
    student copies is the code that drew the page.
    """
    v = {**DEFAULTS, **values}
    used = list(dict.fromkeys([v["neuron_f"], v["f"], *CHAIN_ACTIVATIONS]))
    names: list[str] = []
    for act in used:
        for need in _NEEDS[act] + [act, f"{act}_derivative"]:
            if need not in names:
                names.append(need)
    for extra in ("softmax",):
        names.append(extra)
    definitions = "\n\n".join(_source(n).rstrip() + "\n" for n in names)
    logits = ", ".join(f"{x:g}" for x in v["logits"])
    chain_lines = "\n".join(
        f'print("{act}:", chain_gradients({act}, {act}_derivative, {v["depth"]}, {v["chain_x"]:g}, {v["chain_w"]:g}))'
        for act in CHAIN_ACTIVATIONS
    )
    return f'''import math

import numpy as np

from dlplay.settings import Param

Array = np.ndarray


{definitions}

def chain_gradients(f, derivative, depth, x0, weight):
    # a_0 = x0, z_k = w * a_(k-1), a_k = f(z_k); by the chain rule the gradient
    # reaching a_0 from layer k is the product of w * f'(z_i) over the layers.
    a, product, sizes = x0, 1.0, []
    for _ in range(depth):
        z = weight * a
        product *= weight * float(derivative(z))
        a = float(f(z))
        sizes.append(abs(product))
    return np.array(sizes)


# §1.1 The neuron: y = f(w1*x1 + w2*x2 + b)
x1, x2, w1, w2, b = {v["x1"]:g}, {v["x2"]:g}, {v["w1"]:g}, {v["w2"]:g}, {v["b"]:g}
z = w1 * x1 + w2 * x2 + b
print("z =", z, " y =", float({v["neuron_f"]}(z)))

# §1.2 Activation function and its derivative at x
x = {v["x"]:g}
print("{v["f"]}(x) =", float({v["f"]}(x)), " derivative =", float({v["f"]}_derivative(x)))

# Softmax of the logits at temperature T
print("softmax:", softmax(np.array([{logits}]), temperature={v["temperature"]:g}))

# Vanishing gradients: the gradient's size after each of {v["depth"]} layers
{chain_lines}
'''
