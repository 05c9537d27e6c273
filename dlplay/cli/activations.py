"""`dlplay activations`: each activation function and its derivative at given points."""

from __future__ import annotations

import json

from dlplay.activations import functions as activations
from dlplay.cli import UsageError
from dlplay.plain import shorten
from dlplay.url_state import parse_floats


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


MAX_POINTS = 10_000
# The functions are exact and warning-free up to here (tests/unit/test_activations.py);
# beyond, squares and exponentials overflow.
MAX_ABS_X = 1e6


def read_points(values: list[str] | None) -> list[float]:
    if values is None:
        return [float(v) for v in activations.TUTORIAL_X]
    given = ",".join(values)
    try:
        points = parse_floats(given, limit=MAX_POINTS)
    except ValueError:
        count = len([p for p in given.replace(" ", ",").split(",") if p])
        if count > MAX_POINTS:
            raise UsageError(f"--x takes at most {MAX_POINTS:,} numbers (got {count:,})") from None
        raise UsageError(f"--x wants finite numbers separated by commas or spaces, "
                         f"got {shorten(' '.join(values), 60)!r}") from None
    if not points:
        raise UsageError("--x needs at least one number")
    outside = [x for x in points if abs(x) > MAX_ABS_X]
    if outside:
        raise UsageError(f"--x values must lie between {-MAX_ABS_X:g} and {MAX_ABS_X:g} (got {outside[0]:g})")
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
