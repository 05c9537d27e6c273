"""`dlplay activations`: each activation function and its derivative at given points."""

from __future__ import annotations

import json

from dlplay.activations import functions as activations
from dlplay.settings import parse_floats


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "activations",
        help="print each activation function and its derivative (tutorial §1.2)",
        description="Print each activation function f(x) and its derivative f'(x) at the given points, "
        "and softmax of the points taken as one vector of logits.",
    )
    parser.add_argument(
        "--x", nargs="+", default=None, metavar="VALUES",
        help="points, as '--x -2 -1 0 1 2' or '--x=-2,-1,0,1,2' (default: the tutorial's -2 -1 0 1 2)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def read_points(values: list[str] | None) -> list[float]:
    from dlplay.cli import UsageError

    if values is None:
        return [float(v) for v in activations.TUTORIAL_X]
    try:
        points = parse_floats(",".join(values), limit=10_000)
    except ValueError:
        raise UsageError(f"--x wants finite numbers separated by commas or spaces, got {' '.join(values)!r}") from None
    if not points:
        raise UsageError("--x needs at least one number")
    return points


def run(args) -> int:
    x = read_points(args.x)
    table = activations.evaluate(x)
    softmax = activations.softmax(x).tolist()
    if args.json:
        print(json.dumps({"x": x, "functions": table, "softmax": softmax}))
        return 0
    width = max(len(name) for name in table) + 1
    print(f"{'x':<{width}}  " + " ".join(f"{v:>10.4g}" for v in x))
    for name, values in table.items():
        print(f"{name:<{width}}  " + " ".join(f"{v:>10.6f}" for v in values["f"]))
        print(f"{name + chr(39):<{width}}  " + " ".join(f"{v:>10.6f}" for v in values["derivative"]))
    print(f"{'softmax':<{width}}  " + " ".join(f"{v:>10.6f}" for v in softmax))
    if args.x is None:
        print("\nThe tutorial's example prints:\n" + activations.tutorial_example())
    return 0
