"""Hostile command lines: each row runs ``python -m dlplay ...`` as a user would, and states the clean outcome:
the exit code, stderr (exactly one line holding the given words, or nothing at all: no TensorFlow start-up lines,
no warnings, no traceback), and stdout (empty, or pure JSON).

Rows in IN_PROCESS are bad arguments or input files caught before TensorFlow loads (exit 2, one line): they
call ``dlplay.cli.main([...])`` in this process, which is what ``python -m dlplay`` runs. Every other row runs
in a fresh process (slow): it loads TensorFlow, so its start-up lines must stay off stderr, or it needs a FIFO,
a process without root's rights, or a run to the end.

Paths in a row are names in a folder of crafted files (tests/crafted.py) made once for the module. Run
as root, the commands run without the right to bypass file permissions (setpriv), so an unreadable file
and a read-only folder are what they are for any user. A new hostile case is one row.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

from dlplay.digits.data import load_sample
from dlplay.digits.strokes import draw_digit
from tests import crafted

ROOT = Path(__file__).resolve().parents[2]
LINK = "[Session expired](https://evil.example/login) **bold** $x^2$"
MANY = ",".join(["1"] * 10_001)


class Row(NamedTuple):
    case: str
    args: tuple[str, ...]
    code: int
    err: tuple[str, ...] | None  # words of the one stderr line; None: stderr stays empty
    out: str = ""  # "": stdout empty; "json": stdout is JSON; "text": anything
    out_words: tuple[str, ...] = ()  # words stdout must hold


def row(case, command: str | list[str], code, err=None, out="", out_words=()):
    """``command`` split at spaces (or given as a list); ``{name}`` stands for the path of a crafted file."""
    args = tuple(command.split() if isinstance(command, str) else command)
    return Row(case, args, code, None if err is None else tuple(err), out, tuple(out_words))


TRAIN = "digits train --data {tiny.npz} --arch tutorial --epochs 1"
ROWS = [
    row("x beyond a million", "activations --x=1e308", 2, ["--x", "between", "1e+308"]),
    row("x as NaN", "activations --x nan", 2, ["--x", "finite numbers"]),
    row("x not a number", "activations --x=1,,abc", 2, ["--x", "finite numbers"]),
    row("10,001 points", f"activations --x={MANY}", 2, ["at most 10,000", "10,001"]),
    row("x at a million, JSON", "activations --x=-1e6,1e6 --json", 0, out="json"),
    row("unknown option", "activations --nope", 2, ["unrecognized arguments", "--nope"]),
    row("unknown command", "nosuchlesson", 2, ["invalid choice", "nosuchlesson"]),
    row("xor: epochs out of range", "xor --epochs 1e9", 2, ["--epochs", "integer"]),
    row("xor: learning rate NaN", "xor --lr nan", 2, ["--lr"]),
    row("xor: a 20 kB learning rate", f"xor --lr {'1' * 20_000}", 2, ["--lr", "…"]),
    row("xor: mlp option for the tutorial", "xor --model tutorial --hidden 3", 2, ["--hidden", "mlp"]),
    row("predict: model input 32x32x3", "digits predict {digit.png} --model {m32.keras}", 2,
        ["--model", "28 × 28", "(None, 32, 32, 3)"]),
    row("predict: model with 5 outputs", "digits predict {digit.png} --model {m5.keras}", 2,
        ["--model", "10 digit probabilities", "(None, 5)"]),
    row("predict: NaN weights", "digits predict {digit.png} --model {nan.keras}", 2, ["--model", "not finite"]),
    row("predict: config bomb", "digits predict {digit.png} --model {bomb.keras}", 2,
        ["--model", "far more", "config.json"]),
    row("predict: a layer of 10 M units", "digits predict {digit.png} --model {huge_layer.keras}", 2,
        ["--model", "far more", "weights"]),
    row("predict: crafted class name", "digits predict {digit.png} --model {classname.keras}", 2,
        ["--model", "does not run", "evil.example"]),
    row("predict: Lambda layer", "digits predict {digit.png} --model {lambda.keras}", 2,
        ["--model", "does not run", "keras.layers.Lambda"]),
    row("predict: model missing", "digits predict {digit.png} --model {missing.keras}", 2,
        ["--model", "no such file"]),
    row("predict: model is a folder", "digits predict {digit.png} --model {folder}", 2, ["--model", "is a folder"]),
    row("predict: model is a FIFO", "digits predict {digit.png} --model {fifo}", 2, ["--model", "pipe"]),
    row("predict: model unreadable", "digits predict {digit.png} --model {unreadable.keras}", 2,
        ["--model", "permission denied"]),
    row("predict: a good drawing, JSON", "digits predict {digit.png} --json", 0, out="json", out_words=['"label": 3']),
    row("predict: 20000 x 20000 PNG", "digits predict {huge.png} --json", 1, out="json", out_words=["too large"]),
    row("predict: folder, FIFO, missing, unreadable",
        "digits predict {folder} {fifo} {missing.png} {unreadable.png} {digit.png} --json", 1,
        out="json", out_words=["is a folder", "pipe", "no such file", "permission denied", '"label": 3']),
    row("predict: text named .png", "digits predict {notes.png}", 1, out="text", out_words=["not an image"]),
    row("evaluate: test labels 10-19", "digits evaluate --data {test_labels.npz} --model tutorial --json", 2,
        ["--data", "y_test holds 10 to 19", "0 to 9"]),
    row("evaluate: model input 32x32x3", "digits evaluate --data sample --model {m32.keras}", 2,
        ["--model", "28 × 28"]),
    row("evaluate: 200,000 test images in 0.2 MB", "digits evaluate --data {bomb.npz} --json", 2,
        ["--data", "200,000 images", "100,000"]),
    row("evaluate: data is a FIFO", "digits evaluate --data {fifo}", 2, ["--data", "pipe"]),
    row("evaluate: data is a folder", "digits evaluate --data {folder}", 2, ["--data", "is a folder"]),
    row("evaluate: pickled labels", "digits evaluate --data {pickled.npz}", 2, ["--data", "Python objects"]),
    row("evaluate: a .npy, not .npz", "digits evaluate --data {single.npy}", 2, ["--data", "not an .npz"]),
    row("evaluate: shipped, JSON", "digits evaluate --data {tiny.npz} --model tutorial --json", 0, out="json",
        out_words=['"n": 50']),
    row("train: labels 5-14", "digits train --data {labels.npz} --out {out}/a.keras", 2,
        ["--data", "y_train holds 5 to 14", "0 to 9"]),
    row("train: into a read-only folder", f"{TRAIN} --out {{readonly}}/m.keras", 2,
        ["--out", "cannot write", "permission denied"]),
    row("train: into a missing folder", f"{TRAIN} --out {{out}}/no/such/m.keras", 2, ["--out", "no such folder"]),
    row("train: onto a folder", f"{TRAIN} --out {{folder.keras}}", 2, ["--out", "is a folder"]),
    row("train: not .keras", f"{TRAIN} --out {{out}}/m.h5", 2, ["--out", ".keras"]),
    row("train: unknown architecture", "digits train --arch resnet --out {out}/m.keras", 2,
        ["--arch", "invalid choice"]),
    row("train: zero epochs", "digits train --epochs 0 --out {out}/m.keras", 2, ["--epochs", "1 to 200"]),
    row("train: diverges, JSON", "digits train --data {tiny.npz} --arch tutorial --epochs 2 --lr 1e30 --json "
        "--out {out}/nan.keras", 1, ["diverged", "nothing saved"]),
    row("text: unreadable file", "text evaluate --data {unreadable.tsv} --lang en", 2, ["--data", "permission denied"]),
    row("text: a folder", "text evaluate --data {folder} --lang en", 2, ["--data", "is a folder"]),
    row("text: a FIFO", "text evaluate --data {fifo} --lang en --json", 2, ["--data", "pipe"]),
    row("text: label 7", "text evaluate --data {label7.tsv} --lang en", 2, ["label 7", "0 or 1"]),
    row("text: binary file", "text evaluate --data {binary.tsv} --lang en", 2, ["utf-8"]),
    row("text: 100 kB header", "text evaluate --data {longheader.tsv} --lang en", 2,
        ["--data", "expected a header", "…"]),
    row("text: missing folder", "text train --data {out}/nothing", 2, ["no such folder"]),
    row("text: empty and 20 kB sentences, JSON", ["text", "predict", "", "good " * 4000, "--json"], 0, out="json"),
    # Round two (issue 27): numbers argparse now checks, files that are not what they seem, labels of any type.
    row("train: seed -1", "digits train --seed -1 --out {out}/m.keras", 2, ["--seed", "0 to 4294967295", "'-1'"]),
    row("train: seed 1e23", "digits train --seed 1e23 --out {out}/m.keras", 2, ["--seed", "an integer", "1e23"]),
    row("train: seed nan", "digits train --seed nan --out {out}/m.keras", 2, ["--seed", "an integer"]),
    row("train: seed inf", "digits train --seed inf --out {out}/m.keras", 2, ["--seed", "an integer"]),
    row("train: seed 2^32", f"digits train --seed {2**32} --out {{out}}/m.keras", 2, ["--seed", "4294967295"]),
    row("train: seed of 5,000 digits", f"digits train --seed {'9' * 5000} --out {{out}}/m.keras", 2,
        ["--seed", "an integer", "…"]),
    row("train-ours: seed -1", "digits train-ours --seed -1 --out {out}/m.keras", 2, ["--seed", "0 to 4294967295"]),
    row("text train: seed -1", "text train --data {folder} --seed -1", 2, ["--seed", "0 to 4294967295"]),
    row("text train: seed 1e23", "text train --data {folder} --seed 1e23", 2, ["--seed", "an integer"]),
    row("text train: threads -1", "text train --data {folder} --threads -1", 2, ["--threads", "1 to 256"]),
    row("text train: threads 0", "text train --data {folder} --threads 0", 2, ["--threads", "1 to 256"]),
    row("text train: threads 10^9", f"text train --data {{folder}} --threads {10**9}", 2, ["--threads", "1 to 256"]),
    row("text train: threads nan", "text train --data {folder} --threads nan", 2, ["--threads", "an integer"]),
    row("xor: seed -1", "xor --seed -1", 2, ["--seed", "0 to 4294967295"]),
    row("evaluate: n nan", "digits evaluate --data drawn --n nan", 2, ["--n", "invalid int value"]),
    row("text: /proc/self/mem", "text evaluate --data /proc/self/mem --lang en", 2,
        ["--data", "cannot be read", "input/output error"]),
    row("evaluate: /proc/self/mem", "digits evaluate --data /proc/self/mem", 2, ["--data", "cannot be read"]),
    row("predict: model /proc/self/mem", "digits predict {digit.png} --model /proc/self/mem", 2,
        ["--model", "cannot be read"]),
    row("text: /dev/zero", "text evaluate --data /dev/zero --lang en", 2, ["--data", "not a regular file"]),
    row("text: /dev/urandom", "text evaluate --data /dev/urandom --lang en", 2, ["--data", "not a regular file"]),
    row("evaluate: /dev/zero", "digits evaluate --data /dev/zero", 2, ["--data", "not a regular file"]),
    row("evaluate: /dev/urandom", "digits evaluate --data /dev/urandom", 2, ["--data", "not a regular file"]),
    row("predict: model /dev/urandom", "digits predict {digit.png} --model /dev/urandom", 2,
        ["--model", "not a regular file"]),
    row("train: data a folder", "digits train --data {folder} --out {out}/m.keras", 2, ["--data", "is a folder"]),
    row("text: a 240 MB TSV", "text evaluate --data {huge.tsv} --lang en", 2, ["--data", "larger than 64 MB"]),
    row("text: a line of 2 MB", "text evaluate --data {longline.tsv} --lang en", 2,
        ["--data", "longer than 1,048,576 characters"]),
    row("evaluate: timedelta labels", "digits evaluate --data {timedelta.npz} --model tutorial", 2,
        ["--data", "y_test is of type <m8[s]", "integers"]),
    row("train: timedelta labels", "digits train --data {timedelta.npz} --out {out}/m.keras", 2,
        ["--data", "y_train is of type <m8[s]"]),
    row("evaluate: datetime labels", "digits evaluate --data {datetime.npz}", 2, ["--data", "<M8[D]"]),
    row("evaluate: complex labels", "digits evaluate --data {complex.npz}", 2, ["--data", "<c16"]),
    row("evaluate: bool labels", "digits evaluate --data {bool.npz}", 2, ["--data", "|b1"]),
    row("train: float labels that look whole", "digits train --data {float.npz} --out {out}/m.keras", 2,
        ["--data", "y_train is of type <f8"]),
    row("evaluate: structured labels named like a link", "digits evaluate --data {structured.npz}", 2,
        ["--data", "y_test is of type |V4"]),
    row("evaluate: void images", "digits evaluate --data {void.npz}", 2, ["--data", "x_test is of type |V1", "uint8"]),
    row("predict: a model with a member outside the archive, JSON",
        "digits predict {digit.png} --model {escaping.keras} --json", 0, out="json", out_words=['"label"']),
]


# Bad arguments, or input files refused before TensorFlow loads: exit 2 and one line, checked in-process.
IN_PROCESS = {
    "x beyond a million", "x as NaN", "x not a number", "10,001 points", "unknown option", "unknown command",
    "xor: epochs out of range", "xor: learning rate NaN", "xor: a 20 kB learning rate",
    "xor: mlp option for the tutorial", "predict: model missing", "predict: model is a folder",
    "evaluate: test labels 10-19", "evaluate: 200,000 test images in 0.2 MB", "evaluate: data is a folder",
    "evaluate: pickled labels", "evaluate: a .npy, not .npz", "train: labels 5-14", "train: into a missing folder",
    "train: onto a folder", "train: not .keras", "train: unknown architecture", "train: zero epochs",
    "text: a folder", "text: label 7", "text: binary file", "text: 100 kB header", "text: missing folder",
    "train: seed -1", "train: seed 1e23", "train: seed nan", "train: seed inf", "train: seed 2^32",
    "train: seed of 5,000 digits", "train-ours: seed -1", "text train: seed -1", "text train: seed 1e23",
    "text train: threads -1", "text train: threads 0", "text train: threads 10^9", "text train: threads nan",
    "xor: seed -1", "evaluate: n nan", "text: /proc/self/mem", "evaluate: /proc/self/mem",
    "predict: model /proc/self/mem", "text: /dev/zero", "text: /dev/urandom", "evaluate: /dev/zero",
    "evaluate: /dev/urandom", "predict: model /dev/urandom", "train: data a folder", "text: a 240 MB TSV",
    "text: a line of 2 MB", "evaluate: timedelta labels", "train: timedelta labels", "evaluate: datetime labels",
    "evaluate: complex labels", "evaluate: bool labels", "train: float labels that look whole",
    "evaluate: structured labels named like a link", "evaluate: void images",
}
IN_PROCESS_ROWS = [r for r in ROWS if r.case in IN_PROCESS]
PROCESS_ROWS = [r for r in ROWS if r.case not in IN_PROCESS]


def labelled_as(labels: np.ndarray, key: str = "y") -> bytes:
    """A small npz whose labels (key "y") or images (key "x"), both splits, are ``labels``."""
    n = len(labels)
    return crafted.npz_bytes(**crafted.mnist_like(n, **{f"{key}_train": labels, f"{key}_test": labels}))


def escaping_keras() -> bytes:
    """A valid small model with one more member, named to land outside the folder it is unpacked into."""
    import io
    import zipfile

    buffer = io.BytesIO(crafted.keras_model())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("../../escaped.txt", b"out of the archive")
    return buffer.getvalue()


def tiny_npz() -> bytes:
    sample = load_sample()
    return crafted.npz_bytes(x_train=sample.x_train[:200], y_train=sample.y_train[:200],
                             x_test=sample.x_test[:50], y_test=sample.y_test[:50])


FILES = {  # name: how to make it (called only for the files a workspace needs)
    "digit.png": lambda: crafted.png(255 - draw_digit(3)[:, :, 0]),
    "huge.png": crafted.huge_png,
    "notes.png": lambda: b"not an image at all",
    "unreadable.png": lambda: crafted.png(np.zeros((28, 28))),
    "tiny.npz": tiny_npz,
    "labels.npz": lambda: crafted.npz_with_labels(5, 14, split="train"),
    "test_labels.npz": lambda: crafted.npz_with_labels(10, 19, split="test"),
    "bomb.npz": lambda: crafted.npz_bomb(200_000, member="x_test"),
    "pickled.npz": crafted.npz_pickled,
    "single.npy": crafted.npy_not_npz,
    "m32.keras": lambda: crafted.keras_model(input_shape=(32, 32, 3)),
    "m5.keras": lambda: crafted.keras_model(outputs=5),
    "nan.keras": lambda: crafted.keras_model(nan_weights=True),
    "bomb.keras": crafted.keras_config_bomb,
    "huge_layer.keras": crafted.keras_huge_layer,
    "classname.keras": lambda: crafted.keras_with_class_name(LINK),
    "lambda.keras": crafted.keras_lambda,
    "unreadable.keras": crafted.keras_model,
    "unreadable.tsv": lambda: crafted.labelled_tsv([(1, "good")]),
    "label7.tsv": lambda: crafted.labelled_tsv([(1, "good"), (7, "great")]),
    "binary.tsv": lambda: bytes(range(256)) * 8,
    "longheader.tsv": lambda: b"x" * 100_000 + b"\n1\tgood\n",
    "longline.tsv": lambda: b"label\tsentence\n1\t" + b"good " * 2**19 + b"\n",
    "timedelta.npz": lambda: labelled_as(np.arange(20).astype("m8[s]")),
    "datetime.npz": lambda: labelled_as(np.arange(20).astype("M8[D]")),
    "complex.npz": lambda: labelled_as(np.zeros(20, complex)),
    "bool.npz": lambda: labelled_as(np.ones(20, bool)),
    "float.npz": lambda: labelled_as(np.arange(20) % 10 * 1.0),
    "structured.npz": lambda: labelled_as(np.zeros(20, [(LINK, "<i4")])),
    "void.npz": lambda: labelled_as(np.zeros((20, 28, 28), "V1"), key="x"),
    "escaping.keras": escaping_keras,
}
SPARSE = {"huge.tsv": 240 * 2**20}  # name: size; a header, then holes: no disk, no time to write


def names_in(rows: list[Row]) -> set[str]:
    return {name for r in rows for part in r.args for name in re.findall(r"\{([\w.]+)\}", part)}


def make_workspace(folder: Path, only: set[str] | None = None) -> dict[str, str]:
    """The files the rows name (or only those in `only`; folders and the FIFO always), made once;
    returns {name: path}."""
    paths = {}
    for name, make in FILES.items():
        if only is None or name in only:
            (folder / name).write_bytes(make())
            paths[name] = str(folder / name)
    for name, size in SPARSE.items():
        if only is None or name in only:
            with (folder / name).open("wb") as file:
                file.write(b"label\tsentence\n")
                file.truncate(size)
            paths[name] = str(folder / name)
    for name in ("unreadable.png", "unreadable.keras", "unreadable.tsv"):
        if name in paths:
            os.chmod(paths[name], 0)
    for name in ("folder", "folder.keras", "readonly", "out"):
        (folder / name).mkdir()
        paths[name] = str(folder / name)
    os.chmod(paths["readonly"], 0o555)
    os.mkfifo(folder / "fifo")
    paths["fifo"] = str(folder / "fifo")
    paths["missing.png"], paths["missing.keras"] = str(folder / "missing.png"), str(folder / "missing.keras")
    return paths


def as_user() -> list[str] | None:
    """The prefix that runs a command without root's power over file permissions ([] when not root)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"] if setpriv else None


def arguments(command: tuple[str, ...], paths: dict[str, str]) -> list[str]:
    return [re.sub(r"\{([\w.]+)\}", lambda name: paths[name[1]], part) for part in command]


def run(command: tuple[str, ...], paths: dict[str, str], tmp: Path) -> subprocess.CompletedProcess:
    prefix = as_user()
    args = arguments(command, paths)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "DLPLAY_"))}
    env["HOME"] = str(tmp)  # Keras may write its settings there
    return subprocess.run([*(prefix or []), sys.executable, "-m", "dlplay", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Every row run once, a few at a time (each process that loads TensorFlow takes seconds to start)."""
    folder = tmp_path_factory.mktemp("hostile")
    paths = make_workspace(folder)
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = {r.case: pool.submit(run, r.args, paths, folder) for r in PROCESS_ROWS}
        return {case: future.result() for case, future in done.items()}


def needs_user_rights(r: Row) -> bool:
    return any(word in ("permission denied", "cannot write") for word in r.err or ()) or any(
        "permission denied" in word for word in r.out_words)


def assert_ends_cleanly(r: Row, returncode: int, stdout: str, stderr: str) -> None:
    assert "Traceback" not in stderr and "Warning" not in stderr
    assert returncode == r.code, stderr
    if r.err is None:
        assert stderr == ""
    else:
        lines = stderr.splitlines()
        assert len(lines) == 1, stderr
        assert len(lines[0]) < 600 and lines[0].startswith("dlplay")
        for word in r.err:
            assert word in lines[0]
    if r.out == "":
        assert stdout == ""
    elif r.out == "json":
        json.loads(stdout)
    for word in r.out_words:
        assert word in stdout


@pytest.mark.slow
@pytest.mark.parametrize("r", PROCESS_ROWS, ids=[r.case for r in PROCESS_ROWS])
def test_a_hostile_command_line_ends_cleanly(results, r):
    if needs_user_rights(r) and as_user() is None:
        pytest.skip("runs as root without setpriv: every file is readable")
    done = results[r.case]
    assert_ends_cleanly(r, done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def light_paths(tmp_path_factory) -> dict[str, str]:
    """The files the in-process rows name (no Keras model among them)."""
    return make_workspace(tmp_path_factory.mktemp("hostile_light"), only=names_in(IN_PROCESS_ROWS))


@pytest.mark.parametrize("r", IN_PROCESS_ROWS, ids=[r.case for r in IN_PROCESS_ROWS])
def test_a_bad_argument_or_input_ends_cleanly_in_process(light_paths, r, capsys, monkeypatch):
    """What ``python -m dlplay`` runs (dlplay/__main__.py calls cli.main), called here: exit 2 and one line."""
    from dlplay import cli

    for name in [name for name in os.environ if name.startswith("DLPLAY_")]:
        monkeypatch.delenv(name)  # as the subprocess rows do: DLPLAY_DEBUG would add a traceback
    try:
        code = cli.main(arguments(r.args, light_paths))
    except SystemExit as exit:  # argparse's own errors exit from parse_args
        code = exit.code
    captured = capsys.readouterr()
    assert_ends_cleanly(r, code, captured.out, captured.err)


def test_the_table_is_long_enough():
    assert len(ROWS) >= 30 and len({r.case for r in ROWS}) == len(ROWS)
    assert IN_PROCESS <= {r.case for r in ROWS}  # no stale name in IN_PROCESS
    for r in IN_PROCESS_ROWS:  # in-process rows are exit-2 errors with one line, needing no FIFO nor user rights
        assert r.code == 2 and r.err and r.out == "" and not needs_user_rights(r), r.case
        assert not names_in([r]) & {"fifo"} and not any(name.endswith(".keras") and name in FILES
                                                          for name in names_in([r])), r.case


@pytest.mark.slow
def test_training_prints_only_its_epochs_and_json(tmp_path):
    paths = make_workspace(tmp_path, only={"tiny.npz"})
    done = run(tuple(f"{TRAIN} --json --out {{out}}/m.keras".split()), paths, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [line for line in done.stderr.splitlines() if line.startswith("epoch 1/1: ")]
    assert json.loads(done.stdout)["n_test"] == 50 and Path(paths["out"], "m.keras").is_file()


def test_an_unexpected_error_is_one_line_and_the_traceback_waits_for_dlplay_debug(monkeypatch, capsys):
    from dlplay import cli
    from dlplay.cli import activations

    def broken(args):
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setattr(activations, "run", broken)
    assert cli.main(["activations"]) == 1
    err = capsys.readouterr().err
    assert err == "dlplay activations: unexpected error: RuntimeError: a bug over two lines " \
                  "(DLPLAY_DEBUG=1 shows where)\n"
    monkeypatch.setenv("DLPLAY_DEBUG", "1")
    assert cli.main(["activations"]) == 1
    assert "Traceback" in capsys.readouterr().err
