"""``dlplay digits``: read, evaluate and train the digit readers of lesson 3a.

- ``predict IMAGE...``: read each image as the page does. A file that cannot
  be read as an image gets an entry with an ``error`` (label and
  probabilities null) and the exit code is 1; the other files are still read.
- ``evaluate --data PATH.npz``: accuracy on the test split of an npz in the
  keras.datasets.mnist layout (or ``sample``, the shipped one).
- ``train``: train ``tutorial`` or ``ours`` and save it without optimizer state.

TensorFlow is imported inside the run functions only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from dlplay.cli import UsageError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "digits",
        help="lesson 3a: read hand-drawn digits with a CNN (predict, evaluate, train)",
        description="Lesson 3a: read hand-drawn digits with a CNN trained on MNIST.",
    )
    commands = parser.add_subparsers(dest="digits_command", metavar="SUBCOMMAND")
    parser.set_defaults(run=lambda args: _help(parser))

    model_help = "tutorial, ours (default) or the path of a .keras file"

    predict = commands.add_parser(
        "predict",
        help="read the digit in each image",
        description="Read the digit in each image (PNG, JPEG, any size, either polarity) as the /digits page does. "
        "A file that is not an image gets an 'error' entry and makes the exit code 1.",
    )
    predict.add_argument("images", nargs="+", metavar="IMAGE")
    predict.add_argument("--model", default="ours", help=model_help)
    predict.add_argument("--json", action="store_true", help="print a JSON list, one object per image")
    predict.set_defaults(run=run_predict)

    evaluate = commands.add_parser(
        "evaluate",
        help="accuracy on the test split of an MNIST npz",
        description="Accuracy on x_test, y_test of an npz in the keras.datasets.mnist layout.",
    )
    evaluate.add_argument("--data", required=True, help="PATH.npz, or 'sample' for the shipped sample")
    evaluate.add_argument("--model", default="ours", help=model_help)
    evaluate.add_argument("--json", action="store_true", help="print accuracy and n as JSON")
    evaluate.set_defaults(run=run_evaluate)

    train = commands.add_parser(
        "train",
        help="train a model and save it",
        description="Train 'tutorial' (the tutorial's network, its way) or 'ours' (deeper, with augmentation) "
        "and save it without optimizer state. Defaults are each architecture's recipe; "
        "seeds are fixed, so the same command gives the same weights.",
    )
    train.add_argument("--data", default="sample", help="sample (shipped, default), mnist (download) or PATH.npz")
    train.add_argument("--arch", choices=["tutorial", "ours"], default="ours")
    train.add_argument("--epochs", type=int, help="default: 5 for tutorial, 12 for ours")
    train.add_argument("--batch-size", type=int, help="default: 32 for tutorial, 128 for ours")
    train.add_argument("--lr", type=float, help="Adam's learning rate; default 0.001 for tutorial, 0.002 for ours")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--out", required=True, help="where to save the model (.keras)")
    train.add_argument("--json", action="store_true", help="print the final metrics as JSON")
    train.set_defaults(run=run_train)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _quiet_tensorflow() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _load(name_or_path: str):
    from dlplay.digits import model as digits

    try:
        return digits.load_model(name_or_path)
    except (FileNotFoundError, ValueError) as error:
        raise UsageError(f"--model {name_or_path}: {error}") from None


def run_predict(args) -> int:
    _quiet_tensorflow()
    from dlplay.digits import model as digits

    model = _load(args.model)
    results, failed = [], False
    for path in args.images:
        try:
            reading = digits.read_digit(model, digits.read_image(path))
        except digits.ImageError as error:
            failed = True
            results.append({"file": path, "label": None, "probabilities": None, "error": str(error)})
            continue
        results.append(
            {
                "file": path,
                "label": reading.label,
                "probabilities": [round(float(p), 6) for p in reading.probabilities],
                "guess": reading.guess,
                "confidence": round(reading.confidence, 6),
                "reason": reading.reason,
            }
        )
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for result in results:
            if "error" in result:
                print(f"{result['file']}: error: {result['error']}")
            elif result["label"] is None:
                print(
                    f"{result['file']}: not a digit ({result['reason']}; "
                    f"best guess {result['guess']}, p={result['confidence']:.2f})"
                )
            else:
                print(f"{result['file']}: {result['label']} (p={result['confidence']:.2f})")
    return 1 if failed else 0


def run_evaluate(args) -> int:
    _quiet_tensorflow()
    from dlplay.digits import model as digits
    from dlplay.digits.data import DataError, load_sample, read_npz

    try:
        arrays = load_sample() if args.data == "sample" else read_npz(args.data, ("x_test", "y_test"))
    except DataError as error:
        raise UsageError(f"--data: {error}") from None
    model = _load(args.model)
    n = int(len(arrays["y_test"]))
    if n == 0:
        raise UsageError(f"--data {args.data}: the test split is empty")
    accuracy = digits.accuracy(model, arrays["x_test"], arrays["y_test"])
    if args.json:
        print(json.dumps({"model": args.model, "data": args.data, "accuracy": accuracy, "n": n}))
    else:
        print(f"{args.model} on {args.data}: accuracy {accuracy:.4f} on {n} test images")
    return 0


def run_train(args) -> int:
    _quiet_tensorflow()
    from dlplay.digits.data import DataError, load_mnist
    from dlplay.digits.recipes import RECIPES, check_settings

    recipe = RECIPES[args.arch]
    epochs = recipe.epochs if args.epochs is None else args.epochs
    batch_size = recipe.batch_size if args.batch_size is None else args.batch_size
    learning_rate = recipe.learning_rate if args.lr is None else args.lr
    try:
        check_settings(epochs, batch_size, learning_rate)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if not args.out.endswith(".keras"):
        raise UsageError(f"--out must end in .keras (got {args.out})")
    try:
        load_mnist(args.data)  # fail fast on bad data, before TensorFlow starts
    except DataError as error:
        raise UsageError(f"--data: {error}") from None

    from dlplay.digits.train import TrainingDiverged, save_model, train

    def report(epoch: int, logs: dict) -> None:
        print(
            f"epoch {epoch}/{epochs}: loss {logs['loss']:.4f}, accuracy {logs['accuracy']:.4f} "
            f"({logs['seconds']:.0f} s)",
            file=sys.stderr,
            flush=True,
        )

    try:
        model, metrics = train(args.data, args.arch, epochs, batch_size, learning_rate, args.seed, on_epoch=report)
    except TrainingDiverged as error:
        print(f"dlplay digits train: {error}; nothing saved", file=sys.stderr)
        return 1
    path = save_model(model, args.out)
    metrics["out"] = str(path)
    if args.json:
        print(json.dumps(metrics))
    else:
        print(f"saved {path}: test accuracy {metrics['test_accuracy']:.4f} on {metrics['n_test']} images")
    return 0
