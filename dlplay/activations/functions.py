"""Neurons and activation functions (tutorial §1).

A neuron computes y = f(w1·x1 + w2·x2 + b). This module holds the activation
functions f with their derivatives, the neuron itself, softmax with a
temperature, and the product of derivatives through a chain of layers that
makes gradients vanish. Pure numpy: the page that draws these opens on a cold
server without loading TensorFlow.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

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


# The (x1, x2) square the neuron's output is drawn over: [-PLANE_EXTENT, PLANE_EXTENT]².
PLANE_EXTENT = 3.0


def neuron(x1: float, x2: float, w1: float, w2: float, b: float, activation: str) -> tuple[float, float]:
    """The neuron of §1.1: returns (z, y) with z = w1·x1 + w2·x2 + b and y = f(z)."""
    z = w1 * x1 + w2 * x2 + b
    return float(z), float(ACTIVATIONS[activation].f(z))


def neuron_surface(w1: float, w2: float, b: float, activation: str,
                   extent: float = PLANE_EXTENT, steps: int = 61) -> tuple[Array, Array, Array]:
    """The neuron's output over the square [-extent, extent]² as (xs, ys, y[ys, xs])."""
    axis = np.linspace(-extent, extent, steps)
    x1, x2 = np.meshgrid(axis, axis)
    return axis, axis, ACTIVATIONS[activation].f(w1 * x1 + w2 * x2 + b)


def boundary_line(w1: float, w2: float, b: float,
                  lo: float = -PLANE_EXTENT, hi: float = PLANE_EXTENT) -> tuple[Array, Array] | None:
    """The line z = w1·x1 + w2·x2 + b = 0 across [lo, hi], as its two end points (x1s, x2s).

    On one side of it z > 0, on the other z < 0: every activation turns that
    into its two halves. None when w1 = w2 = 0, where z = b everywhere.
    """
    ends = np.array([lo, hi], dtype=float)
    if abs(w2) > 1e-9:
        return ends, -(w1 * ends + b) / w2
    if abs(w1) > 1e-9:  # w2 = 0: the line stands upright at x1 = -b / w1
        return np.full(2, -b / w1), ends
    return None


def value_and_derivative(activation: str, x: float) -> tuple[float, float]:
    """(f(x), f'(x)) at one point."""
    function = ACTIVATIONS[activation]
    return float(function.f(x)), float(function.derivative(x))


def curve(activation: str, lo: float = -6.0, hi: float = 6.0, steps: int = 241) -> tuple[Array, Array, Array]:
    """(x, f(x), f'(x)) on an even grid over [lo, hi], to draw the function and its derivative."""
    x = np.linspace(lo, hi, steps)
    return x, ACTIVATIONS[activation].f(x), ACTIVATIONS[activation].derivative(x)


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
    return [(float(x[start]), float(x[end - 1])) for start, end in zip(edges[::2], edges[1::2])]


def stall(activation: str, steps: int = 201) -> str | None:
    """How learning stalls in the function's flat regions.

    "dead" where f' is exactly 0 throughout (ReLU's x < 0: no gradient at all,
    the neuron cannot recover), "flat" where f' is only small (saturating tails:
    learning slows), None where it has no flat region.
    """
    regions = flat_regions(activation)
    if not regions:
        return None
    derivative = ACTIVATIONS[activation].derivative
    dead = all(np.all(derivative(np.linspace(lo, hi, steps)) == 0) for lo, hi in regions)
    return "dead" if dead else "flat"


def softmax(logits: Array, temperature: float = 1.0) -> Array:
    """softmax(z / T): a high temperature flattens the probabilities, a low one sharpens them."""
    z = np.asarray(logits, dtype=float) / temperature
    e = np.exp(z - z.max())  # subtracting the max changes nothing but avoids overflow
    return e / e.sum()


def most_likely(probabilities: Array) -> tuple[int, float, float]:
    """(the most likely class, its probability, the sum of all the probabilities)."""
    best = int(np.argmax(probabilities))
    return best, float(probabilities[best]), float(np.sum(probabilities))


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


@dataclass(frozen=True)
class GradientChains:
    """chain_gradients of several activations through the same stack of layers."""

    layers: Array  # 1, 2, ..., depth
    sizes: dict[str, Array]  # activation -> the gradient's size after each layer

    @property
    def after_last_layer(self) -> dict[str, float]:
        return {name: float(sizes[-1]) for name, sizes in self.sizes.items()}

    @property
    def any_died(self) -> bool:
        """Some chain passes no gradient at all: a ReLU layer whose input was negative."""
        return any(sizes[-1] == 0 for sizes in self.sizes.values())

    def for_log_axis(self, activation: str) -> Array:
        """The sizes with exact zeros as NaN: a log axis has no 0, so the line ends where the gradient died."""
        sizes = self.sizes[activation]
        return np.where(sizes > 0, sizes, np.nan)


def compare_chains(activations, depth: int, x0: float = 0.5, weight: float = 1.0) -> GradientChains:
    return GradientChains(np.arange(1, depth + 1),
                          {name: chain_gradients(name, depth, x0, weight) for name in activations})


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
