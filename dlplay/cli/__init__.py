"""The ``dlplay`` command: one subcommand per lesson, and ``serve``, the app.

Each lesson has a module here with ``register(subparsers)``, which adds its
parser and sets ``run`` to a function taking the parsed arguments and returning
an exit code. Heavy imports (TensorFlow) happen inside ``run``, so ``dlplay
activations`` starts fast.

One error path: every failure, expected or not, ends as one line on stderr
and a non-zero exit code (2 for a bad argument or input file, 1 for a run that
failed or an unexpected error), never a traceback unless DLPLAY_DEBUG=1 asks
for it. With ``--json``, stdout holds only the JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import stat
import sys
import tempfile
import traceback
import warnings
from pathlib import Path

from dlplay.plain import shorten, visible

LESSONS = ("activations", "xor", "digits", "text")
COMMANDS = [*LESSONS, "serve", "school", "worker"]
LONGEST_LINE = 400  # characters of one error line; the rest of a long argument is cut
SEED_MAX = 2**32 - 1  # the largest seed keras.utils.set_random_seed takes (and the smallest is 0)


class UsageError(Exception):
    """A bad argument or input file: one line, exit code 2."""


class Failed(Exception):
    """A run that could not finish (training diverged, a file could not be written): one line, exit code 1."""


class Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line like every other error (its default adds the usage lines)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def integer(low: int, high: int):
    """An argparse type: an integer from ``low`` to ``high``. Anything else ("-1" for a seed, "1e23", "nan",
    a 5,000-digit number) is argparse's one-line error, before anything runs."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:  # not an integer, or more digits than int() reads
            number = None
        if number is None or not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be an integer from {low} to {high}, got {shorten(value, 40)!r}")
        return number

    return parse


def one_line(message: object) -> str:
    """``message`` on one line, with no control characters, shortened."""
    return shorten(visible(str(message)), LONGEST_LINE)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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
    prefix = f"dlplay {args.command}"
    try:
        with warnings.catch_warnings():
            if args.command in LESSONS and not os.environ.get("DLPLAY_DEBUG"):
                # A library's warning about a user's file (zipfile skipping a member named "../x") is not ours
                # to print: stderr holds our one line. DLPLAY_DEBUG=1 shows them; a worker's log keeps them.
                warnings.simplefilter("ignore")
            return args.run(args)
    except UsageError as error:
        print(f"{prefix}: error: {one_line(error)}", file=sys.stderr)
        return 2
    except Failed as error:
        print(f"{prefix}: {one_line(error)}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `dlplay ... | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(f"{prefix}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the CLI's one line for anything unforeseen
        if os.environ.get("DLPLAY_DEBUG"):
            traceback.print_exc()
        print(f"{prefix}: unexpected error: {one_line(f'{type(error).__name__}: {error}')} "
              "(DLPLAY_DEBUG=1 shows where)", file=sys.stderr)
        return 1


def file_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be read as a file, in a few words, or None if it can.

    Looked at before it is opened: a FIFO would make a read wait forever. Its first byte is read: some
    "regular" files cannot be read at all (/proc/self/mem, /proc/self/pagemap)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "no such file"
    except OSError as error:
        return f"cannot be read ({error.strerror or type(error).__name__})"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        kind = "a pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or socket"
        return f"is {kind}, not a regular file"
    try:
        with open(path, "rb") as handle:
            handle.read(1)
            return None
    except OSError as error:
        return f"cannot be read ({(error.strerror or type(error).__name__).lower()})"


def readable_file(path: str | Path, option: str = "") -> Path:
    """``path`` if it is a regular file this process may read, else UsageError saying what it is."""
    problem = file_problem(path)
    if problem:
        raise UsageError(f"{option + ' ' if option else ''}{shorten(str(path), 120)}: {problem}")
    return Path(path)


def load_tensorflow() -> None:
    """Import TensorFlow and Keras with their start-up lines hidden.

    Its C++ logging writes to the process's stderr (file descriptor 2) before
    TF_CPP_MIN_LOG_LEVEL is read (oneDNN, "Could not find cuda drivers", CPU
    features), so descriptor 2 points into a temporary file meanwhile. If the
    import fails, what was written there is shown with DLPLAY_DEBUG=1; the
    error itself reaches the one error line as any other.
    """
    # Level 3 also hides the C++ "errors" it logs while training that are none (a NodeDef
    # attribute its own data pipeline sets); what fails reaches Python as an exception.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "keras" in sys.modules:
        return
    failure, log = None, b""
    with _stderr_to_file() as captured:
        try:
            import keras  # noqa: F401
            import tensorflow as tf

            tf.config.list_logical_devices()  # initialises the devices now, which logs once more
        except Exception as error:  # noqa: BLE001 - kept, and said after the captured output
            failure = error
            captured.seek(0)
            log = captured.read()
    if failure is not None:
        if os.environ.get("DLPLAY_DEBUG"):
            sys.stderr.write(log.decode(errors="replace"))
        raise failure


@contextlib.contextmanager
def _stderr_to_file():
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield captured
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
