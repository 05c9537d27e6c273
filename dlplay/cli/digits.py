"""``dlplay digits``: read, evaluate and train the digit readers of §3.1.

- ``predict IMAGE...``: read each image as the page does. A file that cannot
  be read as an image gets an entry with an ``error`` (label and
  probabilities null) and the exit code is 1; the other files are still read.
- ``evaluate --data PATH.npz``: accuracy on the test split of an npz in the
  keras.datasets.mnist layout (or ``sample``, the shipped MNIST); ``--data
  drawn``: how it reads held-out drawn digits, flagged 1s and not-digits.
- ``train``: train ``tutorial`` or ``ours`` (their recipes, in
  ``dlplay.digits.keras_net``) on MNIST alone and save it without optimizer state.
- ``train-ours``: the shipped ``ours``: MNIST, drawn digits and "not a digit"
  (``dlplay.digits.ours``).

TensorFlow is imported inside the run functions only, with its start-up lines
hidden (``load_tensorflow``). Files are checked as the page checks uploads.
"""

from __future__ import annotations

import argparse
import json
import sys

from dlplay.cli import SEED_MAX, Failed, UsageError, file_problem, integer, load_tensorflow, readable_file
from dlplay.digits.data import KEYS
from dlplay.plain import shorten


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "digits",
        help="§3.1: read hand-drawn digits with a CNN (predict, evaluate, train)",
        description="§3.1: read hand-drawn digits with a CNN trained on MNIST.",
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
    evaluate.add_argument("--data", required=True, help="PATH.npz, 'sample' for the shipped MNIST, or 'drawn' for "
                          "drawings no training saw (digits, flagged 1s, letters, symbols, scribbles)")
    evaluate.add_argument("--model", default="ours", help=model_help)
    evaluate.add_argument("--n", type=int, default=300, help="with --data drawn: drawings of each digit and each "
                          "kind of not-digit (default 300)")
    evaluate.add_argument("--json", action="store_true", help="print accuracy and n as JSON")
    evaluate.set_defaults(run=run_evaluate)

    train = commands.add_parser(
        "train",
        help="train a model and save it",
        description="Train 'tutorial' (the tutorial's network, its way) or 'ours' (deeper, with augmentation) "
        "and save it without optimizer state. Defaults are each architecture's recipe; "
        "seeds are fixed, so the same command gives the same weights.",
    )
    train.add_argument("--data", default="sample", help="sample (the shipped MNIST, default) or PATH.npz")
    train.add_argument("--arch", choices=["tutorial", "ours"], default="ours")
    train.add_argument("--epochs", type=int, help="default: 5 for tutorial, 12 for ours")
    train.add_argument("--batch-size", type=int, help="default: 32 for tutorial, 128 for ours")
    train.add_argument("--lr", type=float, help="Adam's learning rate; default 0.001 for tutorial, 0.002 for ours")
    train.add_argument("--seed", type=integer(0, SEED_MAX), default=0)
    train.add_argument("--out", required=True, help="where to save the model (.keras)")
    train.add_argument("--json", action="store_true", help="print the final metrics as JSON")
    train.set_defaults(run=run_train)

    ours = commands.add_parser(
        "train-ours",
        help="train the shipped 'ours': MNIST, drawn digits and 'not a digit'",
        description="Train the shipped 'ours': the ours recipe with an eleventh class, 'not a digit', on every MNIST "
        "training image mixed with digits drawn as people write them and with drawn letters, symbols and scribbles. "
        "Seeds are fixed, so the same command gives the same weights.",
    )
    ours.add_argument("--data", default="sample", help="sample (the shipped MNIST, default), PATH.npz, or a folder "
                      "holding mnist/mnist.npz (the shared data folder)")
    ours.add_argument("--epochs", type=int, help="default 12")
    ours.add_argument("--drawn", type=int, default=3000, help="drawings of each digit (default 3000)")
    ours.add_argument("--not-digits", type=int, default=4000, help="drawings of each kind of not-digit: letters, "
                      "symbols, scribbles (default 4000)")
    ours.add_argument("--seed", type=integer(0, SEED_MAX), default=0)
    ours.add_argument("--out", required=True, help="where to save the model (.keras)")
    ours.add_argument("--json", action="store_true", help="print the final metrics as JSON")
    ours.set_defaults(run=run_train_ours)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _load(name_or_path: str):
    """A shipped model, or a .keras file checked as the page checks an upload (``files.check_reader``)."""
    from dlplay.digits import files
    from dlplay.digits.reading import MODELS, load_model
    from dlplay.i18n import text

    path = None if name_or_path in MODELS else readable_file(name_or_path, "--model")
    load_tensorflow()
    if path is None:
        return load_model(name_or_path)
    try:
        return files.model_from_path(path)
    except files.UploadError as error:
        message = text("en", f"digits_training.upload.{error.reason}", detail=error.detail)
        raise UsageError(f"--model {shorten(str(path), 120)}: {message}") from None
    except OSError as error:  # readable at first, then not (a file that changed, a disk that failed)
        raise UsageError(f"--model {shorten(str(path), 120)}: cannot be read "
                         f"({(error.strerror or type(error).__name__).lower()})") from None


def _data(source: str, keys: tuple[str, ...] = KEYS) -> dict:
    """The arrays of ``sample`` or an npz, checked as the page checks an upload (``data.read_npz``)."""
    from dlplay.digits.data import DataError, load_sample, read_npz

    if source == "sample":
        return load_sample()._asdict()
    path = readable_file(source, "--data")
    try:
        return read_npz(path, keys)
    except DataError as error:
        raise UsageError(f"--data {shorten(source, 120)}: {error}") from None


def run_predict(args) -> int:
    from dlplay.digits.preprocess import ImageError, read_image
    from dlplay.digits.reading import read_digit

    model = _load(args.model)
    results, failed = [], False
    for path in args.images:
        try:
            problem = file_problem(path)
            if problem:
                raise ImageError(problem)
            reading = read_digit(model, read_image(path))
        except ImageError as error:
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
                "not_digit": None if reading.not_digit is None else round(reading.not_digit, 6),
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
    from dlplay.digits.reading import evaluate

    if args.data == "drawn":
        return _evaluate_drawn(args)
    arrays = _data(args.data, ("x_test", "y_test"))
    model = _load(args.model)
    n = int(len(arrays["y_test"]))
    accuracy = evaluate(model, arrays["x_test"], arrays["y_test"]).accuracy
    if args.json:
        print(json.dumps({"model": args.model, "data": args.data, "accuracy": accuracy, "n": n}))
    else:
        print(f"{args.model} on {args.data}: accuracy {accuracy:.4f} on {n} test images")
    return 0


def _evaluate_drawn(args) -> int:
    from dlplay.digits.ours import held_out

    if not 1 <= args.n <= 10_000:
        raise UsageError(f"--n must be 1 to 10000 (got {args.n})")
    model = _load(args.model)
    report = {"model": args.model, "data": "drawn", **held_out(model, args.n)}
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key}: {value:.4f}" if isinstance(value, float) else f"{key}: {value}")
    return 0


def run_train(args) -> int:
    from dataclasses import replace

    from dlplay.digits.data import Data
    from dlplay.digits.keras_net import RECIPES, SettingError, TrainingDiverged, check, check_model_path, train

    recipe = RECIPES[args.arch]
    changes = {"epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr}
    try:
        config = check(replace(recipe, **{key: value for key, value in changes.items() if value is not None}))
    except SettingError as error:
        raise UsageError(f"--{error.key.replace('_', '-')}: {error}") from None
    try:
        check_model_path(args.out)  # before hours of training, not after
    except ValueError as error:
        raise UsageError(f"--out {shorten(args.out, 120)}: {error}") from None
    data = Data(**_data(args.data))  # bad data fails fast, before TensorFlow starts
    load_tensorflow()

    try:
        model, metrics = train(data, config, args.seed, on_epoch=_reporter(config.epochs))
    except TrainingDiverged as error:
        raise Failed(f"{error}; nothing saved") from None
    return _save(model, metrics, args, f"test accuracy {metrics['test_accuracy']:.4f} on {metrics['n_test']} images")


def _reporter(epochs: int):
    """Each epoch's loss and accuracy on stderr (stdout may be the JSON)."""
    def report(epoch: int, logs: dict) -> None:
        print(f"epoch {epoch}/{epochs}: loss {logs['loss']:.4f}, accuracy {logs['accuracy']:.4f} "
              f"({logs['seconds']:.0f} s)", file=sys.stderr, flush=True)

    return report


def _save(model, metrics: dict, args, summary: str) -> int:
    from dlplay.digits.keras_net import save_model

    try:
        path = save_model(model, args.out)
    except (OSError, ValueError) as error:
        raise Failed(f"trained, but could not save {shorten(args.out, 120)}: {error}") from None
    metrics["out"] = str(path)
    print(json.dumps(metrics) if args.json else f"saved {path}: {summary}")
    return 0


def run_train_ours(args) -> int:
    from dataclasses import replace
    from pathlib import Path

    from dlplay.digits.data import Data
    from dlplay.digits.keras_net import SettingError, check, check_model_path
    from dlplay.digits.ours import RECIPE

    try:
        config = check(replace(RECIPE, epochs=args.epochs or RECIPE.epochs))
    except SettingError as error:
        raise UsageError(f"--{error.key}: {error}") from None
    for name, value in (("--drawn", args.drawn), ("--not-digits", args.not_digits)):
        if not 0 <= value <= 100_000:
            raise UsageError(f"{name} must be 0 to 100000 (got {value})")
    try:
        check_model_path(args.out)
    except ValueError as error:
        raise UsageError(f"--out {shorten(args.out, 120)}: {error}") from None
    folder = Path(args.data) / "mnist" / "mnist.npz"
    data = Data(**_data(str(folder) if Path(args.data).is_dir() else args.data))
    load_tensorflow()
    from dlplay.digits.ours import train

    model, metrics = train(data, config, args.drawn, args.not_digits, args.seed, on_epoch=_reporter(config.epochs))
    return _save(model, metrics, args, f"MNIST test accuracy {metrics['mnist_test_accuracy']:.4f}")
