"""Backpropagation, step by step, on XOR (tutorial §2).

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
The MLP's training loop is also compiled by numba where numba is installed
(see `_kernel`); numba is imported on the first MLP training, not here.
"""

from __future__ import annotations

import copy
import math
import os
import threading
import warnings
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from dlplay import settings as url_settings
from dlplay.settings import Param

MODELS = ("tutorial", "mlp")
ACTIVATIONS = ("sigmoid", "tanh", "relu")
LOSSES = ("mse", "bce")
INITS = ("uniform", "xavier", "he")

# The tutorial's own arrays: integers, as in its code (np.dot then casts them).
TUTORIAL_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
TUTORIAL_OUTPUTS = np.array([[0], [1], [1], [0]])
INPUTS = TUTORIAL_INPUTS.astype(float)
TARGETS = TUTORIAL_OUTPUTS.astype(float)


@dataclass(frozen=True)
class Settings:
    model: str = "tutorial"
    hidden: int = 4
    activation: str = "tanh"
    loss: str = "mse"
    lr: float = 0.1
    epochs: int = 10000
    seed: int = 42
    init: str = "xavier"


TUTORIAL_DEFAULTS = Settings()
# H = 4 tanh neurons, Glorot-uniform weights and MSE solve XOR from 10 of seeds
# 0-9 within 5,000 epochs at learning rate 0.5 (tests/unit/test_xor.py).
MLP_DEFAULTS = Settings(model="mlp", hidden=4, activation="tanh", loss="mse",
                        lr=0.5, epochs=5000, seed=0, init="xavier")
MAX_EPOCHS = 100_000
MAX_HIDDEN = 8


def defaults(model: str) -> Settings:
    return TUTORIAL_DEFAULTS if model == "tutorial" else MLP_DEFAULTS


def params_for(model: str) -> list[Param]:
    """The URL settings, with the defaults of `model` (the tutorial's are seed 42, lr 0.1, 10000 epochs)."""
    d = defaults(model)
    return [
        Param("model", TUTORIAL_DEFAULTS.model, choices=MODELS, kind="choice"),
        Param("hidden", d.hidden, 1, MAX_HIDDEN, 1, kind="int"),
        Param("activation", d.activation, choices=ACTIVATIONS, kind="choice"),
        Param("loss", d.loss, choices=LOSSES, kind="choice"),
        Param("lr", d.lr, 0.0001, 1000.0, 0.01),
        Param("epochs", d.epochs, 0, MAX_EPOCHS, 100, kind="int"),
        Param("seed", d.seed, 0, 2**32 - 1, 1, kind="int"),
        Param("init", d.init, choices=INITS, kind="choice"),
    ]


MLP_ONLY = ("hidden", "activation", "loss", "init")


def parse_settings(query: Mapping[str, Any], ignore=()) -> tuple[Settings, list[tuple[str, str]]]:
    """Settings from URL query params: (settings, problems); never raises.

    A value that is not a number, out of range or not a known choice falls back
    to the model's default and is listed in `problems` as (param, raw value), as
    is a key this page does not know (unless in `ignore`).
    """
    try:
        query = {str(k): (v[-1] if isinstance(v, (list, tuple)) and v else v) for k, v in dict(query).items()}
        query = {k: v if isinstance(v, str) else str(v) for k, v in query.items()}
    except Exception:  # a query that is not even a mapping of strings
        return TUTORIAL_DEFAULTS, [("query", repr(query))]
    model, _ = url_settings.read(params_for("tutorial")[:1], {"model": query.get("model", "tutorial")})
    values, problems = url_settings.read(params_for(model["model"]), query, ignore=ignore)
    return Settings(**values), problems


def settings_to_query(settings: Settings) -> dict[str, str]:
    """The URL query that reproduces `settings` (defaults left out; MLP-only keys only for the MLP)."""
    values = {k: getattr(settings, k) for k in Settings.__dataclass_fields__}
    query = url_settings.write(params_for(settings.model), values)
    if "lr" in query:
        query["lr"] = repr(float(settings.lr))  # every digit, so the link trains the same run
    if settings.model == "tutorial":
        query = {k: v for k, v in query.items() if k not in MLP_ONLY}
    return query


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

    settings: Settings
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


def parameter_names(settings: Settings) -> list[str]:
    if settings.model == "tutorial":
        return ["weights[0,0]", "weights[1,0]", "bias[0]"]
    h = settings.hidden
    return ([f"W1[{i},{j}]" for i in range(2) for j in range(h)] + [f"b1[{j}]" for j in range(h)]
            + [f"W2[{j},0]" for j in range(h)] + ["b2[0]"])


def layers(settings: Settings, params: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(weights, biases)] per layer, input to output, as views into `params`."""
    if settings.model == "tutorial":
        return [(params[:2].reshape(2, 1), params[2:3])]
    h = settings.hidden
    return [(params[: 2 * h].reshape(2, h), params[2 * h: 3 * h]),
            (params[3 * h: 4 * h].reshape(h, 1), params[4 * h:])]


def initial_params(settings: Settings) -> np.ndarray:
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


def new_run(settings: Settings, capacity: int = 1024) -> Run:
    params = initial_params(settings)
    history = np.empty((capacity, params.size))
    history[0] = params
    losses = np.empty(capacity)
    predictions = np.empty((capacity, 4))
    run = Run(settings, params, 0, history, losses, predictions)
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
            if run.settings.model == "tutorial":
                _train_tutorial(run, k)
            else:
                _mlp_trainer(n)(run, k)
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


def train(settings: Settings) -> Run:
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
    # The tutorial's loop body, operation for operation, on views of run.params.
    inputs, outputs = TUTORIAL_INPUTS, TUTORIAL_OUTPUTS
    weights = run.params[:2].reshape(2, 1)
    bias = run.params[2:3]
    learning_rate = run.settings.lr
    history = run.history
    for e in range(run.epoch + 1, run.epoch + 1 + epochs):
        z = np.dot(inputs, weights) + bias
        predictions = 1 / (1 + np.exp(-z))
        error = outputs - predictions
        d_weights = np.dot(inputs.T, error * (predictions * (1 - predictions)))
        d_bias = np.sum(error * (predictions * (1 - predictions)))
        weights += learning_rate * d_weights
        bias += learning_rate * d_bias
        history[e] = run.params


# Importing numba and compiling (or loading) the kernel costs 0.5-2 s once per
# process: as much as the numpy loop needs for tens of thousands of epochs. So a
# short run in a fresh process (the command line, a test) does not wait for it;
# the server compiles it in the background when /xor is first opened (`warm_up`).
WAIT_FOR_KERNEL_AT = 50_000


def _mlp_trainer(epochs: int):
    """`_train_mlp_compiled` where numba compiled the kernel, else the numpy `_train_mlp`;
    compiles first only for a run of `WAIT_FOR_KERNEL_AT` epochs or more."""
    if _kernel_compiled is _KERNEL_UNSET and epochs < WAIT_FOR_KERNEL_AT:
        return _train_mlp
    return _train_mlp if _kernel() is None else _train_mlp_compiled


def warm_up() -> threading.Thread:
    """Compile the kernel in a background thread, so the page's runs use it without waiting."""
    thread = threading.Thread(target=_kernel, name="dlplay-xor-kernel", daemon=True)
    thread.start()
    return thread


def _folded_lr(settings: Settings) -> float:
    """The learning rate times the loss's 2/N (mse) or 1/N (bce), a power of two.

    dL/dz for the output is mse 2(y - t)/N · y(1 - y), bce (y - t)/N; folding
    the factor into the learning rate changes no bit of the update and saves
    an operation per epoch."""
    return settings.lr * (2 / 4 if settings.loss == "mse" else 1 / 4)


def _train_mlp(run: Run, epochs: int) -> None:
    """The same maths as `backprop`, made fast. On arrays this small each
    numpy call costs far more than its arithmetic, so the loop makes as few
    calls as it can: every buffer is allocated once; the biases ride along as
    an extra weight row fed by a constant 1; arrays are laid out neuron by
    input (H x 4), so each neuron's row is contiguous; and the update is one
    subtraction on the flat parameter vector. Agrees with `backprop` to
    rounding (tested).

    Still about 20 calls of ~1 µs each per epoch, so numba's compiled
    `_mlp_epochs` does the work where it can (`_mlp_trainer`); this loop is
    the fallback without numba, and the reference the kernel is tested against."""
    s = run.settings
    h = s.hidden
    theta = run.params
    w1_t = theta[: 3 * h].reshape(3, h).T  # column i: neuron i's weights from x1, x2 and its bias
    w2_t = theta[3 * h:].reshape(1, h + 1)  # the output's weights from each hidden neuron, and its bias
    w2 = theta[3 * h: 4 * h].reshape(h, 1)
    grad = np.empty_like(theta)
    g1 = grad[: 3 * h].reshape(3, h)
    g2 = grad[3 * h:].reshape(h + 1, 1)
    change = np.empty_like(theta)
    x1_t = np.vstack([INPUTS.T, np.ones((1, 4))])  # (3, 4): x1, x2 and the constant 1, per input
    x1 = x1_t.T
    t = TARGETS.T.copy()
    z1 = np.empty((h, 4))
    a1_with_one = np.ones((h + 1, 4))
    a1 = a1_with_one[:h]
    y = np.empty((1, 4))
    d2 = np.empty((1, 4))
    d2_t = d2.T
    s2 = np.empty((1, 4))
    d1 = np.empty((h, 4))
    d1_t = d1.T
    f1 = np.empty((h, 4))
    one_out = np.ones((1, 4))
    one_hidden = np.ones((h, 4))
    lr = np.full(theta.shape, _folded_lr(s))
    act, mse = s.activation, s.loss == "mse"
    dot, sub, mul, exp, neg, rec = np.dot, np.subtract, np.multiply, np.exp, np.negative, np.reciprocal
    history = run.history
    for e in range(run.epoch + 1, run.epoch + 1 + epochs):
        dot(w1_t, x1_t, z1)
        if act == "tanh":
            np.tanh(z1, a1)
        elif act == "sigmoid":
            neg(z1, a1)
            exp(a1, a1)
            a1 += one_hidden
            rec(a1, a1)
        else:
            np.maximum(z1, 0.0, out=a1)
        dot(w2_t, a1_with_one, y)
        neg(y, y)
        exp(y, y)
        y += one_out
        rec(y, y)
        sub(y, t, d2)
        if mse:
            sub(one_out, y, s2)
            s2 *= y
            d2 *= s2
        dot(a1_with_one, d2_t, g2)
        dot(w2, d2, d1)
        if act == "tanh":
            mul(a1, a1, f1)
            sub(one_hidden, f1, f1)
        elif act == "sigmoid":
            sub(one_hidden, a1, f1)
            f1 *= a1
        else:
            np.greater(a1, 0.0, f1)
        d1 *= f1
        dot(x1_t, d1_t, g1)
        mul(grad, lr, change)
        theta -= change
        history[e] = theta


def _train_mlp_compiled(run: Run, epochs: int) -> None:
    """`_train_mlp` by the numba kernel: the same history rows, to rounding."""
    s = run.settings
    _kernel()(run.params, run.history, run.epoch + 1, epochs, ACTIVATIONS.index(s.activation),
              s.loss == "mse", _folded_lr(s), INPUTS, TARGETS[:, 0])


def _mlp_epochs(theta, history, first, epochs, activation, mse, lr, inputs, targets):
    """`_train_mlp`'s loop, one number at a time, for numba to compile (`_kernel`).

    Run as Python it would be slow; compiled, an epoch of the 2-4-1 net takes
    well under a microsecond, where numpy spends one on each of its ~20 calls.
    The operations are `_train_mlp`'s, in its order, so the two agree to
    rounding (tested): numpy's tanh and the C library's may differ in the last
    bit, and a BLAS may add in another order. Non-finite numbers flow through
    as in numpy, for `step` to find: the ReLU keeps a NaN, and division
    follows numpy (`_kernel`).

    theta: the flat parameters, updated in place; history[first + i] gets them
    after epoch i; activation: an index into ACTIVATIONS; lr: `_folded_lr`.
    """
    h = (theta.size - 1) // 4
    n = targets.size
    a = np.empty((h, n))  # hidden activations, neuron by input
    slope = np.empty((h, n))  # f'(z), written in terms of a as ACTIVATION_DERIVATIVES
    delta = np.empty(n)  # the output's dL/dz, without the factor folded into lr
    grad = np.empty(theta.size)
    for e in range(first, first + epochs):
        for j in range(h):
            for m in range(n):
                z = theta[j] * inputs[m, 0] + theta[h + j] * inputs[m, 1] + theta[2 * h + j]
                if activation == 0:  # sigmoid
                    a[j, m] = 1.0 / (math.exp(-z) + 1.0)
                    slope[j, m] = (1.0 - a[j, m]) * a[j, m]
                elif activation == 1:  # tanh
                    a[j, m] = math.tanh(z)
                    slope[j, m] = 1.0 - a[j, m] * a[j, m]
                else:  # relu, as np.maximum(z, 0.0): a NaN stays NaN
                    a[j, m] = 0.0 if z < 0.0 else z
                    slope[j, m] = 1.0 if a[j, m] > 0.0 else 0.0
        for m in range(n):
            z = 0.0
            for j in range(h):
                z += theta[3 * h + j] * a[j, m]
            z += theta[4 * h]
            y = 1.0 / (math.exp(-z) + 1.0)
            delta[m] = y - targets[m]
            if mse:
                delta[m] *= (1.0 - y) * y
        for j in range(h):
            g_x1 = g_x2 = g_bias = g_out = 0.0
            for m in range(n):
                d = theta[3 * h + j] * delta[m] * slope[j, m]
                g_x1 += inputs[m, 0] * d
                g_x2 += inputs[m, 1] * d
                g_bias += d
                g_out += a[j, m] * delta[m]
            grad[j], grad[h + j], grad[2 * h + j], grad[3 * h + j] = g_x1, g_x2, g_bias, g_out
        grad[4 * h] = 0.0
        for m in range(n):
            grad[4 * h] += delta[m]
        for i in range(theta.size):
            theta[i] -= grad[i] * lr
            history[e, i] = theta[i]


# The kernel's argument types, given up front so that numba compiles it (or
# loads it from its cache) inside `_kernel`, where a failure can fall back.
_KERNEL_SIGNATURE = "void(f8[:], f8[:, :], i8, i8, i8, b1, f8, f8[:, :], f8[:])"
_KERNEL_UNSET = object()
_kernel_compiled = _KERNEL_UNSET
_kernel_lock = threading.Lock()


def _kernel():
    """`_mlp_epochs` compiled by numba, or None: numba missing or failing, or DLPLAY_NO_NUMBA=1.

    Compiled once per process, on the first MLP training, and under a lock
    because a server trains from several threads. cache=True keeps the machine
    code in __pycache__ (or, where that is read-only, numba's user-wide cache
    or NUMBA_CACHE_DIR), so later processes load it instead of compiling.
    error_model="numpy" lets a division give inf or NaN as numpy's does, not
    raise; nogil lets other threads run while it trains.
    """
    global _kernel_compiled
    if os.environ.get("DLPLAY_NO_NUMBA") == "1":
        return None
    if _kernel_compiled is _KERNEL_UNSET:
        with _kernel_lock:
            if _kernel_compiled is _KERNEL_UNSET:
                _kernel_compiled = _compile_kernel()
    return _kernel_compiled


def _compile_kernel():
    try:
        import numba
    except Exception:  # not installed, or built for another numpy
        return None
    options = {"error_model": "numpy", "nogil": True}
    try:
        try:
            return numba.njit(_KERNEL_SIGNATURE, cache=True, **options)(_mlp_epochs)
        except RuntimeError:  # no writable cache directory anywhere: compile in every process
            return numba.njit(_KERNEL_SIGNATURE, **options)(_mlp_epochs)
    except Exception as error:  # a numba that cannot compile it: the numpy loop still trains
        warnings.warn(f"dlplay.xor.network: numba could not compile the training loop, numpy trains instead: {error!r}")
        return None


def _record_outputs(run: Run, start: int, stop: int) -> None:
    """Loss and predictions for history rows start..stop-1, all at once."""
    thetas = run.history[start:stop]
    with np.errstate(all="ignore"):
        z, y = _forward_many(run.settings, thetas)
        run.predictions[start:stop] = y
        run.losses[start:stop] = _loss(run.settings, z, y, TARGETS[:, 0])


def _forward_many(settings: Settings, thetas: np.ndarray, inputs: np.ndarray = INPUTS):
    """Output z and prediction for each input under each parameter vector: (n, m) each."""
    if settings.model == "tutorial":
        z = thetas[:, None, 0] * inputs[None, :, 0] + thetas[:, None, 1] * inputs[None, :, 1] + thetas[:, None, 2]
        return z, _sigmoid(z)
    h = settings.hidden
    w1 = thetas[:, : 2 * h].reshape(-1, 2, h)
    b1 = thetas[:, 2 * h: 3 * h]
    w2 = thetas[:, 3 * h: 4 * h]
    b2 = thetas[:, 4 * h]
    hidden = ACTIVATION_FUNCTIONS[settings.activation](np.matmul(inputs, w1) + b1[:, None, :])
    z = np.einsum("nmh,nh->nm", hidden, w2) + b2[:, None]
    return z, _sigmoid(z)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _relu(z):
    return np.maximum(z, 0.0)


ACTIVATION_FUNCTIONS = {"sigmoid": _sigmoid, "tanh": np.tanh, "relu": _relu}

# Each derivative is written in terms of the activation a = f(z), as the
# tutorial writes sigmoid_derivative(predictions).
ACTIVATION_DERIVATIVES = {
    "sigmoid": lambda a: a * (1 - a),
    "tanh": lambda a: 1 - a**2,
    "relu": lambda a: (a > 0) * 1.0,
}


def _loss_per_input(settings: Settings, z, y, t):
    if settings.model == "tutorial":
        return 0.5 * (t - y) ** 2
    if settings.loss == "mse":
        return (y - t) ** 2
    return np.logaddexp(0, z) - t * z


def _loss(settings: Settings, z, y, t):
    per_input = _loss_per_input(settings, z, y, t)
    total = np.sum(per_input, axis=-1)
    return total if settings.model == "tutorial" else total / t.shape[-1]


def backprop(settings: Settings, params: np.ndarray) -> dict:
    """The backprop ledger: every number one gradient-descent step computes, for `params`.

    Plain data for a page to lay out as equations (N = 4 inputs, rows in the
    order [0,0], [0,1], [1,0], [1,1]; a layer of n_in -> n_out neurons):

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
    if settings.model == "tutorial":
        return _tutorial_ledger(settings, params)
    n = len(INPUTS)
    t = TARGETS
    (w1, b1), (w2, b2) = layers(settings, params)
    f = ACTIVATION_FUNCTIONS[settings.activation]
    f_prime = ACTIVATION_DERIVATIVES[settings.activation]
    with np.errstate(all="ignore"):
        z1 = np.dot(INPUTS, w1) + b1
        hidden = f(z1)
        z2 = np.dot(hidden, w2) + b2
        predictions = _sigmoid(z2)
        error = predictions - t
        out_derivative = predictions * (1 - predictions)
        if settings.loss == "mse":
            d_predictions = 2 * error / n
            d_output = d_predictions * out_derivative
        else:
            d_predictions = -(t / predictions - (1 - t) / (1 - predictions)) / n
            # Sigmoid and cross-entropy cancel: ∂L/∂z = (y - t)/N.
            d_output = error / n
        d_hidden_a = np.dot(d_output, w2.T)
        hidden_derivative = f_prime(hidden)
        d_hidden = d_hidden_a * hidden_derivative
        per_input = _loss_per_input(settings, z2, predictions, t)
    lr = settings.lr
    hidden_layer = _layer("hidden", settings.activation, w1, b1, INPUTS, z1, hidden,
                          d_hidden_a, hidden_derivative, d_hidden, lr)
    output_layer = _layer("output", "sigmoid", w2, b2, hidden, z2, predictions,
                          d_predictions, out_derivative, d_output, lr)
    return {
        "model": "mlp", "loss_name": settings.loss, "learning_rate": lr,
        "inputs": INPUTS.copy(), "targets": t[:, 0].copy(),
        "layers": [hidden_layer, output_layer],
        "predictions": predictions[:, 0], "error": error[:, 0],
        "loss_per_input": per_input[:, 0], "loss": float(np.sum(per_input) / n),
    }


def _layer(name, activation, weights, biases, inputs, z, a, d_a, derivative, delta, lr) -> dict:
    weight_gradients = np.dot(inputs.T, delta)
    bias_gradients = np.sum(delta, axis=0)
    return {
        "name": name, "activation": activation,
        "weights": weights.copy(), "biases": biases.copy(), "inputs": np.array(inputs, dtype=float),
        "z": z, "a": a, "d_loss_d_a": d_a, "activation_derivative": derivative, "delta": delta,
        "weight_gradients": weight_gradients, "bias_gradients": bias_gradients,
        "weight_changes": -(lr * weight_gradients), "bias_changes": -(lr * bias_gradients),
    }


def _tutorial_ledger(settings: Settings, params: np.ndarray) -> dict:
    # The tutorial's own expressions, so its variables come out bit for bit.
    inputs, outputs = TUTORIAL_INPUTS, TUTORIAL_OUTPUTS
    weights, bias = params[:2].reshape(2, 1), params[2:3]
    lr = settings.lr
    with np.errstate(all="ignore"):
        z = np.dot(inputs, weights) + bias
        predictions = 1 / (1 + np.exp(-z))
        error = outputs - predictions
        derivative = predictions * (1 - predictions)
        d_weights = np.dot(inputs.T, error * derivative)
        d_bias = np.sum(error * derivative)
        # L = 1/2 Σ (t - y)², so ∂L/∂y = -(t - y) and ∂L/∂z = -(error · σ').
        delta = -(error * derivative)
        per_input = 0.5 * error**2
    layer = {
        "name": "output", "activation": "sigmoid",
        "weights": weights.copy(), "biases": bias.copy(), "inputs": INPUTS.copy(),
        "z": z, "a": predictions, "d_loss_d_a": -error, "activation_derivative": derivative, "delta": delta,
        "weight_gradients": -d_weights, "bias_gradients": np.array([-d_bias]),
        "weight_changes": lr * d_weights, "bias_changes": np.array([lr * d_bias]),
    }
    return {
        "model": "tutorial", "loss_name": "tutorial", "learning_rate": lr,
        "inputs": INPUTS.copy(), "targets": TARGETS[:, 0].copy(),
        "layers": [layer],
        "predictions": predictions[:, 0], "error": -error[:, 0],
        "loss_per_input": per_input[:, 0], "loss": float(np.sum(per_input)),
        "tutorial": {"error": error[:, 0], "sigmoid_derivative": derivative[:, 0],
                     "d_weights": d_weights, "d_bias": float(d_bias)},
    }


def ledger(run: Run) -> dict:
    """`backprop` for the run's current parameters."""
    return backprop(run.settings, run.params)


def loss_and_gradient(settings: Settings, params: np.ndarray) -> tuple[float, np.ndarray]:
    """L and ∂L/∂params (flat, in `parameter_names` order), by hand-written backprop."""
    book = backprop(settings, params)
    grads = []
    for layer in book["layers"]:
        grads += [layer["weight_gradients"].ravel(), layer["bias_gradients"].ravel()]
    return book["loss"], np.concatenate(grads)


def loss_at(settings: Settings, params: np.ndarray) -> float:
    z, y = _forward_many(settings, np.asarray(params, dtype=float)[None, :])
    return float(_loss(settings, z, y, TARGETS[:, 0])[0])


def gradient_check(settings: Settings, params: np.ndarray, eps: float = 1e-6) -> dict:
    """Analytic gradients beside central finite differences (L(p+ε) - L(p-ε)) / 2ε, per parameter.

    relative_error = |analytic - numeric| / max(|analytic| + |numeric|, 1e-12):
    about 1e-8 or less means the backprop is right; ReLU can disagree where a
    z sits within ε of its kink at 0.
    """
    params = np.asarray(params, dtype=float)
    _, analytic = loss_and_gradient(settings, params)
    shifted = np.repeat(params[None, :], 2 * params.size, axis=0)
    index = np.arange(params.size)
    shifted[2 * index, index] += eps
    shifted[2 * index + 1, index] -= eps
    z, y = _forward_many(settings, shifted)
    losses = _loss(settings, z, y, TARGETS[:, 0])
    numeric = (losses[0::2] - losses[1::2]) / (2 * eps)
    relative = np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), 1e-12)
    return {"names": parameter_names(settings), "analytic": analytic, "numeric": numeric,
            "relative_error": relative}


def decision_grid(settings: Settings, params: np.ndarray, size: int = 50,
                  low: float = -0.5, high: float = 1.5) -> dict:
    """The network over a size x size grid on [low, high]²: rows are x2, columns x1 (a heat map's layout).

    ``axis`` (size,): the grid's coordinates on both axes; ``output`` (size, size):
    the prediction; ``hidden`` (H, size, size): each hidden neuron's activation
    (empty for the tutorial's neuron).
    """
    axis = np.linspace(low, high, size)
    x1, x2 = np.meshgrid(axis, axis)
    points = np.column_stack([x1.ravel(), x2.ravel()])
    params = np.asarray(params, dtype=float)
    with np.errstate(all="ignore"):
        _, y = _forward_many(settings, params[None, :], points)
        if settings.model == "tutorial":
            hidden = np.empty((0, size, size))
        else:
            (w1, b1), _ = layers(settings, params)
            a = ACTIVATION_FUNCTIONS[settings.activation](np.dot(points, w1) + b1)
            hidden = a.T.reshape(-1, size, size)
    return {"axis": axis, "output": y[0].reshape(size, size), "hidden": hidden}


def solved(predictions: np.ndarray, tol: float = 0.1) -> bool:
    """Whether every prediction is within `tol` of its XOR target."""
    predictions = np.asarray(predictions, dtype=float).ravel()
    return bool(np.all(np.abs(predictions - TARGETS[:, 0]) <= tol))


def first_solved_epoch(run: Run, tol: float = 0.1) -> int | None:
    """The first epoch after which all four predictions were within `tol`, or None."""
    ok = np.all(np.abs(run.predictions_history - TARGETS[:, 0]) <= tol, axis=1)
    return int(np.argmax(ok)) if ok.any() else None


def summary(run: Run) -> dict:
    """What the command line prints and the page shows: JSON-ready plain lists and numbers."""
    book = ledger(run)
    weights = [layer["weights"].tolist() for layer in book["layers"]]
    biases = [layer["biases"].tolist() for layer in book["layers"]]
    if run.settings.model == "tutorial":
        weights, biases = weights[0], biases[0]
    d = run.diverged
    return {
        "model": run.settings.model,
        "settings": {k: getattr(run.settings, k) for k in Settings.__dataclass_fields__
                     if run.settings.model == "mlp" or k not in MLP_ONLY},
        "epochs": run.epoch,
        "weights": weights,
        "biases": biases,
        "loss": book["loss"],
        "predictions": book["predictions"].tolist(),
        "solved": solved(book["predictions"]),
        "diverged": None if d is None else {"epoch": d.epoch, "quantity": d.quantity, "value": str(d.value),
                                            "stopped_at_epoch": run.epoch},
    }


TUTORIAL_CODE = '''\
import numpy as np

def sigmoid(x):
    return 1 / (1 + np.exp(-x))

def sigmoid_derivative(x):
    return x * (1 - x)

inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
outputs = np.array([[0], [1], [1], [0]]) # XOR 问题

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

# Added by dlplay: the final predictions and the loss the update descends,
# L = 1/2 * sum((outputs - predictions)**2), printed at full precision.
predictions = sigmoid(np.dot(inputs, weights) + bias)
print("weights:", weights.tolist())
print("bias:", bias.tolist())
print("loss:", float(np.sum(0.5 * (outputs - predictions) ** 2)))
print("predictions:", predictions.ravel().tolist())
'''

MLP_CODE = '''\
"""XOR with one hidden layer, trained by hand-written backpropagation.

2 inputs -> {hidden} {activation} neurons -> 1 sigmoid output; loss {loss_title};
learning rate {lr!r}, {epochs} epochs of full-batch gradient descent, seed {seed},
{init_title} initialisation. Generated by dlplay for the settings on the page.
"""

import numpy as np

# ## The data: the four XOR points

inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
targets = np.array([[0], [1], [1], [0]], dtype=float)

# ## Activations, with derivatives written in terms of the output a = f(z)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_derivative(a):
    return a * (1 - a)

{activation_code}
# ## Initial weights ({init_title})

rng = np.random.default_rng({seed})
{init_code}
# ## Training

learning_rate = {lr!r}
for epoch in range({epochs}):
    # Forward: every neuron's z and activation, for all four inputs at once.
    hidden = {activation}(np.dot(inputs, W1) + b1)
    predictions = sigmoid(np.dot(hidden, W2) + b2)

    # Backward: the chain rule, from the loss back to each weight.
    error = predictions - targets
{output_delta}
    d_W2 = np.dot(hidden.T, d_output)
    d_b2 = np.sum(d_output, axis=0)
    d_hidden = np.dot(d_output, W2.T) * {activation}_derivative(hidden)
    d_W1 = np.dot(inputs.T, d_hidden)
    d_b1 = np.sum(d_hidden, axis=0)

    # Update: one step downhill.
    W1 -= learning_rate * d_W1
    b1 -= learning_rate * d_b1
    W2 -= learning_rate * d_W2
    b2 -= learning_rate * d_b2

# ## Result

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
    "relu": "\n\ndef relu(z):\n    return np.maximum(z, 0.0)\n\n\ndef relu_derivative(a):\n    return (a > 0) * 1.0\n\n",
}

_INIT_CODE = {
    "uniform": (
        "# As the tutorial: uniform in [-0.5, 0.5), weights and biases alike.\n"
        "W1 = rng.random((2, {h})) - 0.5\n"
        "b1 = rng.random({h}) - 0.5\n"
        "W2 = rng.random(({h}, 1)) - 0.5\n"
        "b2 = rng.random(1) - 0.5\n"),
    "xavier": (
        "# Glorot (Xavier) uniform, Keras' default: limit sqrt(6 / (fan_in + fan_out)).\n"
        "W1 = rng.uniform(-np.sqrt(6 / (2 + {h})), np.sqrt(6 / (2 + {h})), size=(2, {h}))\n"
        "b1 = np.zeros({h})\n"
        "W2 = rng.uniform(-np.sqrt(6 / ({h} + 1)), np.sqrt(6 / ({h} + 1)), size=({h}, 1))\n"
        "b2 = np.zeros(1)\n"),
    "he": (
        "# He uniform, made for ReLU: limit sqrt(6 / fan_in).\n"
        "W1 = rng.uniform(-np.sqrt(6 / 2), np.sqrt(6 / 2), size=(2, {h}))\n"
        "b1 = np.zeros({h})\n"
        "W2 = rng.uniform(-np.sqrt(6 / {h}), np.sqrt(6 / {h}), size=({h}, 1))\n"
        "b2 = np.zeros(1)\n"),
}

_OUTPUT_DELTA = {
    "mse": ("    # L = mean((predictions - targets)**2), so dL/dprediction = 2 * error / N.\n"
            "    d_predictions = 2 * error / len(inputs)\n"
            "    d_output = d_predictions * sigmoid_derivative(predictions)"),
    "bce": ("    # Cross-entropy and sigmoid cancel: dL/dz = (prediction - target) / N.\n"
            "    d_output = error / len(inputs)"),
}

_LOSS_CODE = {
    "mse": "loss = np.mean((predictions - targets) ** 2)\n",
    "bce": ("# Cross-entropy from z: softplus(z) - t*z = -(t log y + (1-t) log(1-y)), finite even if y rounds to 0 or 1.\n"
            "loss = np.mean(np.logaddexp(0, z) - targets * z)\n"),
}

_TITLES = {"mse": "mean squared error", "bce": "binary cross-entropy",
           "uniform": "uniform, as the tutorial", "xavier": "Glorot (Xavier) uniform", "he": "He uniform"}


def code(settings: Settings) -> str:
    """A runnable numpy script for `settings` that prints what the page shows.

    For the tutorial model it is the tutorial's §2.2 code with dlplay's print
    lines added. It trains all `settings.epochs` epochs: it does not stop at a
    non-finite number as dlplay does.
    """
    s = settings
    if s.model == "tutorial":
        return TUTORIAL_CODE.format(seed=s.seed, lr=float(s.lr), epochs=s.epochs)
    return MLP_CODE.format(
        hidden=s.hidden, activation=s.activation, loss_title=_TITLES[s.loss], lr=float(s.lr),
        epochs=s.epochs, seed=s.seed, init_title=_TITLES[s.init],
        activation_code=_ACTIVATION_CODE[s.activation],
        init_code=_INIT_CODE[s.init].format(h=s.hidden),
        output_delta=_OUTPUT_DELTA[s.loss], loss_code=_LOSS_CODE[s.loss],
    )
