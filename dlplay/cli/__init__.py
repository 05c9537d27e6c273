"""The ``dlplay`` command: one subcommand per lesson.

Each lesson has a module here with ``register(subparsers)``, which adds its
parser and sets ``run`` to a function taking the parsed arguments and returning
an exit code. Heavy imports (TensorFlow) happen inside ``run``, so ``dlplay
activations`` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ["activations", "xor", "digits", "text"]


class UsageError(Exception):
    """A bad argument: printed as one line, exit code 2, never a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dlplay",
        description="dlplay: a visual deep-learning playground (command-line side).",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"dlplay.cli.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except UsageError as error:
        print(f"dlplay {args.command}: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `dlplay ... | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
