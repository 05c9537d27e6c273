"""``dlplay xor``: train the XOR lesson's network and print where it ends.

Exit codes: 0 when the run finishes, 1 when it stopped at a non-finite number
(what it prints is then the last finite state), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from dlplay.cli import UsageError
from dlplay.xor import numpy_net as xor
from dlplay.xor import state


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "xor",
        help="backpropagation on XOR: the tutorial's single neuron, or a network with a hidden layer",
        description="Train on the four XOR points by full-batch gradient descent and print the final "
                    "weights, biases, loss and predictions. --model tutorial runs the tutorial's §2.2 code "
                    "(defaults: seed 42, learning rate 0.1, 10000 epochs); --model mlp is 2 -> H -> 1 "
                    "(defaults: H 4, tanh, mse, lr 0.5, 5000 epochs, seed 0, xavier). "
                    "Exit code 1 means the run stopped at a non-finite number.",
    )
    # Numbers are read as text and checked by dlplay.xor.state.parse_settings,
    # the same rules a page's URL follows.
    parser.add_argument("--model", choices=("tutorial", "mlp"), default="tutorial")
    parser.add_argument("--hidden", metavar="H", help="hidden neurons, 1-8 (mlp)")
    parser.add_argument("--activation", choices=("sigmoid", "tanh", "relu"), help="hidden activation (mlp)")
    parser.add_argument("--loss", choices=("mse", "bce"), help="mean squared error or binary cross-entropy (mlp)")
    parser.add_argument("--init", choices=("uniform", "xavier", "he"), help="initial weights (mlp)")
    parser.add_argument("--lr", metavar="F", help="learning rate")
    parser.add_argument("--epochs", metavar="N", help="epochs of gradient descent")
    parser.add_argument("--seed", metavar="S", help="random seed")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def allowed(param) -> str:
    """What a number setting must be, for the one-line message a bad value gets (argparse checks the choices)."""
    if param.kind == "int":
        return f"an integer from {int(param.low)} to {int(param.high)}"
    return f"a number from {param.low:g} to {param.high:g}"


def settings_from(args: argparse.Namespace) -> xor.Config:
    given = {name: getattr(args, name) for name in ("hidden", "activation", "loss", "init", "lr", "epochs", "seed")}
    given = {name: value for name, value in given.items() if value is not None}
    if args.model == "tutorial":
        extra = [name for name in state.MLP_ONLY if name in given]
        if extra:
            raise UsageError(f"--{extra[0]} applies to --model mlp only")
    settings, problems = state.parse_settings({"model": args.model, **given})
    if problems:
        name, value = problems[0]
        param = next(p for p in state.params_for(args.model) if p.name == name)
        raise UsageError(f"--{name} {value!r}: must be {allowed(param)}")
    return settings


def run(args: argparse.Namespace) -> int:
    trained = xor.train(settings_from(args))
    result = summary(trained)
    if args.json:
        print(json.dumps(result))
    else:
        print(describe(result))
    return 1 if trained.diverged else 0


def summary(run: xor.Run) -> dict:
    """Where a run ended, as the command line prints it: JSON-ready plain lists and numbers."""
    settings = run.settings
    with np.errstate(all="ignore"):
        z, y = xor.forward(settings, run.params)[-1]
        loss = float(xor.loss(settings, z[:, 0], y[:, 0]))
    weights = [w.tolist() for w, _ in xor.layers(settings, run.params)]
    biases = [b.tolist() for _, b in xor.layers(settings, run.params)]
    if settings.model == "tutorial":
        weights, biases = weights[0], biases[0]
    d = run.diverged
    return {
        "model": settings.model,
        "settings": {k: getattr(settings, k) for k in xor.Config.__dataclass_fields__
                     if settings.model == "mlp" or k not in state.MLP_ONLY},
        "epochs": run.epoch,
        "weights": weights,
        "biases": biases,
        "loss": loss,
        "predictions": y[:, 0].tolist(),
        "solved": xor.solved(y),
        "diverged": None if d is None else {"epoch": d.epoch, "quantity": d.quantity, "value": str(d.value),
                                            "stopped_at_epoch": run.epoch},
    }


def describe(result: dict) -> str:
    s = result["settings"]
    if result["model"] == "tutorial":
        lines = [f"XOR, the tutorial's single sigmoid neuron: seed {s['seed']}, learning rate {s['lr']}, "
                 f"{result['epochs']} epochs",
                 f"weights: {result['weights']}",
                 f"bias: {result['biases']}",
                 f"loss (1/2 · sum of squared errors): {result['loss']!r}"]
    else:
        lines = [f"XOR, 2 -> {s['hidden']} {s['activation']} -> 1 sigmoid: loss {s['loss']}, learning rate "
                 f"{s['lr']}, seed {s['seed']}, {s['init']} initialisation, {result['epochs']} epochs"]
        for i, (w, b) in enumerate(zip(result["weights"], result["biases"]), start=1):
            lines += [f"W{i}: {w}", f"b{i}: {b}"]
        lines.append(f"loss ({s['loss']}): {result['loss']!r}")
    lines.append("input   target  prediction")
    for x, t, y in zip(([0, 0], [0, 1], [1, 0], [1, 1]), (0, 1, 1, 0), result["predictions"]):
        lines.append(f"{x}  {t}       {y!r}")
    lines.append("solved (every prediction within 0.1 of its target): " + ("yes" if result["solved"] else "no"))
    d = result["diverged"]
    if d:
        lines.append(f"stopped: at epoch {d['epoch']} {d['quantity']} became {d['value']}; "
                     f"the numbers above are from epoch {d['stopped_at_epoch']}, the last finite one")
    return "\n".join(lines)
