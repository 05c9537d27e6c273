"""Backpropagation, step by step, on XOR (tutorial §2): the network and its training.

Two models learn the four XOR points by full-batch gradient descent:

- ``tutorial``: the tutorial's §2.2 code, one sigmoid neuron and no hidden
  layer, run with the same floating-point operations in the same order, so it
  ends where the tutorial's code ends (weights about 2.47e-16, every prediction
  0.5). A single neuron draws one straight line and XOR needs two, so the best
  it can do is answer 0.5 everywhere.
- ``mlp``: 2 inputs -> H hidden neurons -> 1 sigmoid output, which can.

A run (``Run``) is the whole state of one training: the parameters now and
after every epoch, the loss and the predictions after every epoch, and where it
stopped if a number stopped being finite. ``step`` trains it in place.

Parameters travel as one flat vector (see ``parameter_names``):
``tutorial``: weights[0,0], weights[1,0], bias[0];
``mlp``: W1 (2 x H, row by row), b1 (H), W2 (H x 1), b2 (1).

Losses, with N = 4 points, y the prediction and t the target:
``tutorial``: L = 1/2 · Σ (t - y)², the sum the tutorial's update descends
(its d_weights is exactly -∂L/∂weights);
``mse``: L = 1/N · Σ (y - t)², as keras.losses.MeanSquaredError;
``bce``: L = 1/N · Σ -[t·log y + (1 - t)·log(1 - y)], computed from the output's
z as softplus(z) - t·z, which equals it and stays finite when y rounds to 0 or 1.

Pure numpy: the page imports this on every rerun without loading TensorFlow.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

MODELS = ("tutorial", "mlp")
ACTIVATIONS = ("sigmoid", "tanh", "relu")
LOSSES = ("mse", "bce")
INITS = ("uniform", "xavier", "he")

# The tutorial's own arrays: integers, as in its code (np.dot then casts them).
TUTORIAL_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
TUTORIAL_OUTPUTS = np.array([[0], [1], [1], [0]])
INPUTS = TUTORIAL_INPUTS.astype(float)
TARGETS = TUTORIAL_OUTPUTS.astype(float)

# A run reserves history rows for its epochs up to this many; a longer one grows
# as it trains, so a visitor who never runs that far does not hold the memory.
RESERVED_EPOCHS = 20_000
# For |z| > 15, σ'(z) < 3e-7: the gradient through the output vanishes.
SATURATED_Z = 15.0


@dataclass(frozen=True)
class Config:
    model: str = "tutorial"
    hidden: int = 4
    activation: str = "tanh"
    loss: str = "mse"
    lr: float = 0.1
    epochs: int = 10000
    seed: int = 42
    init: str = "xavier"


@dataclass(frozen=True)
class Divergence:
    epoch: int  # the epoch whose update (or loss) first held a non-finite number
    quantity: str  # a parameter name such as "W2[1,0]", or "loss"
    value: float  # inf, -inf or nan


@dataclass(eq=False)  # holds arrays: compare runs by their fields, not with ==
class Run:
    """One training run; a page keeps it in session state and `step` advances it in place.

    Row k of `history`, `losses` and `predictions` is the state after k epochs
    (k = 0 is the initialisation), for k = 0 .. `epoch`; rows past `epoch` are
    spare room, so recording costs no allocation per epoch.
    """

    settings: Config
    params: np.ndarray
    epoch: int = 0
    history: np.ndarray = field(default=None, repr=False)
    losses: np.ndarray = field(default=None, repr=False)
    predictions: np.ndarray = field(default=None, repr=False)
    diverged: Divergence | None = None

    @property
    def params_history(self) -> np.ndarray:
        return self.history[: self.epoch + 1]

    @property
    def loss_history(self) -> np.ndarray:
        return self.losses[: self.epoch + 1]

    @property
    def predictions_history(self) -> np.ndarray:
        return self.predictions[: self.epoch + 1]

    def copy(self) -> Run:
        return copy.deepcopy(self)


def parameter_names(settings: Config) -> list[str]:
    if settings.model == "tutorial":
        return ["weights[0,0]", "weights[1,0]", "bias[0]"]
    h = settings.hidden
    return ([f"W1[{i},{j}]" for i in range(2) for j in range(h)] + [f"b1[{j}]" for j in range(h)]
            + [f"W2[{j},0]" for j in range(h)] + ["b2[0]"])


def layers(settings: Config, params: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(weights, biases)] per layer, input to output, as views into `params`.

    Anything laid out as the parameters splits the same way: a gradient, a
    change, or a stack of parameter vectors (m, P), which gives stacks (m, ...).
    """
    lead = params.shape[:-1]
    if settings.model == "tutorial":
        return [(params[..., :2].reshape(lead + (2, 1)), params[..., 2:3])]
    h = settings.hidden
    return [(params[..., : 2 * h].reshape(lead + (2, h)), params[..., 2 * h: 3 * h]),
            (params[..., 3 * h: 4 * h].reshape(lead + (h, 1)), params[..., 4 * h:])]


def initial_params(settings: Config) -> np.ndarray:
    if settings.model == "tutorial":
        # RandomState(seed) draws what np.random.seed(seed) then np.random.random
        # draws, without touching numpy's global generator.
        rng = np.random.RandomState(settings.seed)
        weights = rng.random((2, 1)) - 0.5
        bias = rng.random(1) - 0.5
        return np.concatenate([weights.ravel(), bias])
    rng = np.random.default_rng(settings.seed)
    drawn = []
    for fan_in, fan_out in ((2, settings.hidden), (settings.hidden, 1)):
        if settings.init == "uniform":
            # The tutorial's random() - 0.5, for weights and biases alike.
            weights = rng.random((fan_in, fan_out)) - 0.5
            biases = rng.random(fan_out) - 0.5
        else:
            # Glorot (Keras' default) and He uniform; Keras starts biases at zero.
            limit = np.sqrt(6 / (fan_in + fan_out)) if settings.init == "xavier" else np.sqrt(6 / fan_in)
            weights = rng.uniform(-limit, limit, size=(fan_in, fan_out))
            biases = np.zeros(fan_out)
        drawn += [weights.ravel(), biases]
    return np.concatenate(drawn)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def relu(z):
    return np.maximum(z, 0.0)  # a NaN stays NaN, for `step` to find


ACTIVATION_FUNCTIONS = {"sigmoid": sigmoid, "tanh": np.tanh, "relu": relu}

# Each derivative is written in terms of the activation a = f(z), as the
# tutorial writes sigmoid_derivative(predictions).
ACTIVATION_DERIVATIVES = {
    "sigmoid": lambda a: a * (1 - a),
    "tanh": lambda a: 1 - a**2,
    "relu": lambda a: (a > 0) * 1.0,
}


def forward(settings: Config, params: np.ndarray, inputs: np.ndarray = INPUTS) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(z, a)] per layer, input to output, for every input: z = inputs · weights + biases, a = f(z).

    The last a is the prediction. `params` is one vector, or a stack (m, P)
    whose every array then gets a leading axis m.
    """
    names = ["sigmoid"] if settings.model == "tutorial" else [settings.activation, "sigmoid"]
    a, passes = inputs, []
    for (weights, biases), name in zip(layers(settings, params), names):
        z = a @ weights + biases[..., None, :]
        a = ACTIVATION_FUNCTIONS[name](z)
        passes.append((z, a))
    return passes


class Backward(NamedTuple):
    """One layer's side of the chain rule, for every input (4, n_out)."""

    d_loss_d_a: np.ndarray  # ∂L/∂a
    activation_derivative: np.ndarray  # f'(z), written in terms of a
    delta: np.ndarray  # ∂L/∂z = d_loss_d_a · activation_derivative


def backward(settings: Config, params: np.ndarray, passes) -> tuple[list[Backward], np.ndarray]:
    """The MLP's backprop: [Backward] per layer (hidden, output) and ∂L/∂params, flat as `params`.

    For bce the output's delta is computed as (y - t)/N, which sigmoid and
    cross-entropy cancel to, and stays finite where y rounds to 0 or 1.
    """
    n, t = len(TARGETS), TARGETS
    (_, hidden), (_, predictions) = passes
    _, (w2, _) = layers(settings, params)
    error = predictions - t
    out_derivative = predictions * (1 - predictions)
    if settings.loss == "mse":
        d_predictions = 2 * error / n
        d_output = d_predictions * out_derivative
    else:
        d_predictions = -(t / predictions - (1 - t) / (1 - predictions)) / n
        d_output = error / n
    d_hidden_a = np.dot(d_output, w2.T)
    hidden_derivative = ACTIVATION_DERIVATIVES[settings.activation](hidden)
    d_hidden = d_hidden_a * hidden_derivative
    gradient = np.concatenate([np.dot(INPUTS.T, d_hidden).ravel(), d_hidden.sum(axis=0),
                               np.dot(hidden.T, d_output).ravel(), d_output.sum(axis=0)])
    return [Backward(d_hidden_a, hidden_derivative, d_hidden),
            Backward(d_predictions, out_derivative, d_output)], gradient


class TutorialStep(NamedTuple):
    z: np.ndarray
    predictions: np.ndarray
    error: np.ndarray  # outputs - predictions, the tutorial's sign
    sigmoid_derivative: np.ndarray
    d_weights: np.ndarray  # -∂L/∂weights: the tutorial adds it
    d_bias: np.ndarray


def tutorial_step(weights: np.ndarray, bias: np.ndarray) -> TutorialStep:
    """One pass of the tutorial's loop body, its own expressions in its order, so its numbers come out bit for bit."""
    inputs, outputs = TUTORIAL_INPUTS, TUTORIAL_OUTPUTS
    z = np.dot(inputs, weights) + bias
    predictions = 1 / (1 + np.exp(-z))
    error = outputs - predictions
    derivative = predictions * (1 - predictions)
    d_weights = np.dot(inputs.T, error * derivative)
    d_bias = np.sum(error * derivative)
    return TutorialStep(z, predictions, error, derivative, d_weights, d_bias)


def loss_per_input(settings: Config, z, y, t=TARGETS[:, 0]):
    if settings.model == "tutorial":
        return 0.5 * (t - y) ** 2
    if settings.loss == "mse":
        return (y - t) ** 2
    return np.logaddexp(0, z) - t * z


def loss(settings: Config, z, y, t=TARGETS[:, 0]):
    """L from the output's z and y, (..., N) each: a stack of runs gives a stack of losses."""
    total = np.sum(loss_per_input(settings, z, y, t), axis=-1)
    return total if settings.model == "tutorial" else total / t.shape[-1]


def loss_and_gradient(settings: Config, params: np.ndarray) -> tuple[float, np.ndarray]:
    """L and ∂L/∂params (flat, in `parameter_names` order), by hand-written backprop."""
    with np.errstate(all="ignore"):
        if settings.model == "tutorial":
            (weights, bias), = layers(settings, params)
            tutorial = tutorial_step(weights, bias)
            return float(np.sum(0.5 * tutorial.error**2)), -np.append(tutorial.d_weights.ravel(), tutorial.d_bias)
        passes = forward(settings, params)
        _, gradient = backward(settings, params, passes)
        z, y = passes[-1]
        return float(loss(settings, z[:, 0], y[:, 0])), gradient


def new_run(settings: Config, capacity: int | None = None) -> Run:
    """A run at epoch 0, with history rows reserved for `capacity` epochs
    (by default the settings' epochs, at most RESERVED_EPOCHS)."""
    capacity = min(settings.epochs, RESERVED_EPOCHS) + 1 if capacity is None else capacity
    params = initial_params(settings)
    history = np.empty((max(capacity, 1), params.size))
    history[0] = params
    run = Run(settings, params, 0, history, np.empty(len(history)), np.empty((len(history), 4)))
    _record_outputs(run, 0, 1)
    return run


def step(run: Run, n: int = 1, chunk: int = 2000) -> Run:
    """Train `run` for `n` more epochs in place (none once it has diverged) and return it.

    Works in chunks: train, then look for the first non-finite number among the
    chunk's recorded parameters and losses. If there is one, the run goes back to
    the last epoch where everything was finite and records where it broke.
    """
    while n > 0 and run.diverged is None:
        k = min(n, chunk)
        _reserve(run, run.epoch + k + 1)
        first = run.epoch + 1
        with np.errstate(all="ignore"):
            (_train_tutorial if run.settings.model == "tutorial" else _train_mlp)(run, k)
            _record_outputs(run, first, first + k)
        bad = ~np.isfinite(run.history[first: first + k]).all(axis=1) | ~np.isfinite(run.losses[first: first + k])
        if bad.any():
            broken = first + int(np.argmax(bad))
            row = run.history[broken]
            if np.isfinite(row).all():
                quantity, value = "loss", float(run.losses[broken])
            else:
                index = int(np.argmax(~np.isfinite(row)))
                quantity, value = parameter_names(run.settings)[index], float(row[index])
            run.diverged = Divergence(broken, quantity, value)
            run.epoch = broken - 1
            run.params[:] = run.history[run.epoch]
            return run
        run.epoch += k
        n -= k
    return run


def run_to(run: Run, epochs: int) -> Run:
    """Train until `epochs` epochs have been done (or the run diverges)."""
    return step(run, max(0, epochs - run.epoch))


def train(settings: Config) -> Run:
    """A new run trained for `settings.epochs` epochs."""
    return run_to(new_run(settings, capacity=settings.epochs + 1), settings.epochs)


def _reserve(run: Run, rows: int) -> None:
    if rows <= len(run.history):
        return
    size = max(rows, 2 * len(run.history))
    for name in ("history", "losses", "predictions"):
        old = getattr(run, name)
        new = np.empty((size,) + old.shape[1:])
        new[: run.epoch + 1] = old[: run.epoch + 1]
        setattr(run, name, new)


def _train_tutorial(run: Run, epochs: int) -> None:
    # The tutorial's update, on views of run.params.
    (weights, bias), = layers(run.settings, run.params)
    learning_rate = run.settings.lr
    for e in range(run.epoch + 1, run.epoch + 1 + epochs):
        tutorial = tutorial_step(weights, bias)
        weights += learning_rate * tutorial.d_weights
        bias += learning_rate * tutorial.d_bias
        run.history[e] = run.params


def _train_mlp(run: Run, epochs: int) -> None:
    s, params = run.settings, run.params
    for e in range(run.epoch + 1, run.epoch + 1 + epochs):
        _, gradient = backward(s, params, forward(s, params))
        params -= s.lr * gradient
        run.history[e] = params


def _record_outputs(run: Run, start: int, stop: int) -> None:
    """Loss and predictions for history rows start..stop-1, all at once."""
    with np.errstate(all="ignore"):
        z, y = forward(run.settings, run.history[start:stop])[-1]
        run.predictions[start:stop] = y[..., 0]
        run.losses[start:stop] = loss(run.settings, z[..., 0], y[..., 0])


def gradient_check(settings: Config, params: np.ndarray, eps: float = 1e-6) -> dict:
    """Analytic gradients beside central finite differences (L(p+ε) - L(p-ε)) / 2ε, per parameter.

    relative_error = |analytic - numeric| / max(|analytic| + |numeric|, 1e-12),
    and ``worst``, its largest: about 1e-8 or less means the backprop is right;
    ReLU can disagree where a z sits within ε of its kink at 0.
    """
    params = np.asarray(params, dtype=float)
    _, analytic = loss_and_gradient(settings, params)
    shifted = np.repeat(params[None, :], 2 * params.size, axis=0)
    index = np.arange(params.size)
    shifted[2 * index, index] += eps
    shifted[2 * index + 1, index] -= eps
    with np.errstate(all="ignore"):
        z, y = forward(settings, shifted)[-1]
        losses = loss(settings, z[..., 0], y[..., 0])
    numeric = (losses[0::2] - losses[1::2]) / (2 * eps)
    relative = np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), 1e-12)
    return {"names": parameter_names(settings), "analytic": analytic, "numeric": numeric,
            "relative_error": relative, "worst": float(relative.max())}


def solved(predictions: np.ndarray, tol: float = 0.1) -> bool:
    """Whether every prediction is within `tol` of its XOR target."""
    predictions = np.asarray(predictions, dtype=float).ravel()
    return bool(np.all(np.abs(predictions - TARGETS[:, 0]) <= tol))


def saturated(run: Run) -> bool:
    """Whether the trained output neuron is saturated for every input (|z| > SATURATED_Z):
    nothing overflows, but the gradient through it vanishes, so nothing learns."""
    if run.diverged is not None or run.epoch == 0:
        return False
    with np.errstate(all="ignore"):
        z, _ = forward(run.settings, run.params)[-1]
    return bool(np.abs(z).min() > SATURATED_Z)
