"""The server's memory while it refuses hostile uploads (a benchmark, not a test).

    .venv/bin/python -m bench.bench_hostile_memory [--json]

Starts the app, opens /digits-training in Chromium and uploads, through the
page's own uploaders, the crafted files of tests/crafted.py: the `.npz` bomb
(1.4 M blank images declared in ~1 MB) and, for scale, the largest npz the page
takes (100,000 blank images) to the data uploader; then a small valid `.keras`
model (so TensorFlow is loaded before the next measurement, as on a server in
use), the `.keras` bomb (a 300 MB config.json in ~0.3 MB), a model whose
config asks for a layer of 10 M units (31 GB of weights), and issue 27's: the
weight-free activation bombs (UpSampling2D((400, 400)), ZeroPadding2D(5000),
RepeatVector(200000), 16–50 kB each), a weights file that declares 1 GB
through an HDF5 fill value, and a valid model of 600 layers, to the model
uploader. A thread samples the resident memory of the server's process tree
every 20 ms. For each file it reports the resting level before (the median of
the 2 s before the upload), the peak from the upload until 1 s after the page
answered and its rise above rest (the issue's target: at most 300 MB), the
level after (the median of the 2 s that follow) and its rise above rest
(target: at most 100 MB), the seconds to the answer and what the page said.

Run from another checkout (e.g. a `git worktree` of an older commit) it
measures that checkout's app: the server is started from the tree this file is in.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.server import streamlit_server  # noqa: E402
from tests import crafted  # noqa: E402
from tests.browser.helpers import chromium_page, wait_for_app  # noqa: E402

MB = 2**20
TARGET_MB = 300
TARGET_AFTER_MB = 100
# What the page answers, new wording or old: a refusal, or (an older app) taking the file.
ANSWER = re.compile(r"too large|wrong shape|far more|could not load|uploaded from|not finite|too many layers|"
                    r"does not take|does not give|not an? \.|training and|does not run|weights file|"
                    r"could not run|TensorFlow cannot|at most", re.IGNORECASE)


class Sampler(threading.Thread):
    """The server tree's resident memory every 20 ms, kept with the time it was read."""

    def __init__(self, server, period: float = 0.02):
        super().__init__(daemon=True)
        self.server, self.period = server, period
        self.samples: list[tuple[float, int]] = []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.samples.append((time.monotonic(), self.server.rss_bytes()))
            time.sleep(self.period)

    def between(self, start: float, end: float) -> list[int]:
        return [rss for when, rss in list(self.samples) if start <= when <= end]


def upload(page, sampler: Sampler, which: int, name: str, content: bytes, rest_seconds: float = 2.0) -> dict:
    """Upload ``content`` to the ``which``-th uploader; memory at rest before it and at its peak after."""
    time.sleep(rest_seconds)
    rest = statistics.median(sampler.between(time.monotonic() - rest_seconds, time.monotonic()))
    answers = page.get_by_text(ANSWER)
    before = answers.all_inner_texts()
    inputs = page.locator("[data-testid=stFileUploader] input[type=file]")
    inputs.nth(1).wait_for(state="attached")
    started = time.monotonic()
    inputs.nth(which).set_input_files({"name": name, "mimeType": "application/octet-stream", "buffer": content})
    deadline = started + 300
    while answers.all_inner_texts() == before and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    answered = time.monotonic()
    wait_for_app(page)
    time.sleep(1.0)
    peak = max(sampler.between(started, time.monotonic()))
    settled = time.monotonic()
    time.sleep(rest_seconds)
    after = statistics.median(sampler.between(settled, time.monotonic()))
    said = [text for text in answers.all_inner_texts() if text not in before] or ["(no new answer in 300 s)"]
    return {"file": name, "bytes": len(content), "rest_mb": round(rest / MB), "peak_mb": round(peak / MB),
            "above_rest_mb": round((peak - rest) / MB), "after_mb": round(after / MB),
            "after_above_rest_mb": round((after - rest) / MB), "seconds": round(answered - started, 1),
            "page_said": said[-1].strip()[:160]}


def measure() -> dict:
    import numpy as np

    # A small valid data set first, as on a server in use: the first file read loads the code that reads any, and
    # that is not the bomb's cost.
    tiny = crafted.npz_bytes(x_train=np.zeros((10, 28, 28), np.uint8), y_train=np.arange(10, dtype=np.uint8),
                             x_test=np.zeros((10, 28, 28), np.uint8), y_test=np.arange(10, dtype=np.uint8))
    files = [(0, "small.npz", tiny), (0, "bomb.npz", crafted.npz_bomb()), (0, "limit.npz", crafted.npz_bomb(100_000)),
             (1, "small.keras", crafted.keras_model()), (1, "bomb.keras", crafted.keras_config_bomb()),
             (1, "wide.keras", crafted.keras_huge_layer()),
             (1, "upsampling.keras", crafted.keras_activation_bomb("upsampling")),
             (1, "padding.keras", crafted.keras_activation_bomb("padding")),
             (1, "repeat.keras", crafted.keras_activation_bomb("repeat")),
             (1, "lying.keras", crafted.keras_lying_weights()), (1, "deep.keras", crafted.keras_deep(600))]
    with streamlit_server() as server, chromium_page() as page:
        sampler = Sampler(server)
        sampler.start()
        try:
            page.goto(f"{server.url}/digits-training?lang=en&data=upload")
            wait_for_app(page)
            results = [upload(page, sampler, which, name, content) for which, name, content in files]
        finally:
            sampler.done.set()
    return {"checkout": str(Path(__file__).resolve().parents[1]), "target_above_rest_mb": TARGET_MB,
            "target_after_above_rest_mb": TARGET_AFTER_MB, "uploads": results, "cli_tsv": cli_peak_on_a_big_tsv()}


def cli_peak_on_a_big_tsv(megabytes: int = 240) -> dict:
    """`dlplay text evaluate` on a TSV of `megabytes` made in a temporary folder (one short labelled sentence a line,
    as a careless export would be): its peak resident memory (the child's ru_maxrss), seconds, exit code and line."""
    import os
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.tsv"
        line = b"1\tthe film was good and the actors were fine\n"
        with path.open("wb") as out:
            block = line * (2**20 // len(line))
            for _ in range(megabytes):
                out.write(block)
        size = path.stat().st_size
        # A fresh Python between us and the CLI: RUSAGE_CHILDREN's peak counts every child waited for, and this
        # process has had a Streamlit server as one.
        watcher = ("import resource, subprocess, sys, time; started = time.monotonic(); "
                   "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
                   "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.monotonic() - started, "
                   "done.returncode); print(done.stderr.strip()[-200:])")
        done = subprocess.run([sys.executable, "-c", watcher, sys.executable, "-m", "dlplay", "text", "evaluate",
                               "--data", str(path), "--lang", "en"], capture_output=True, text=True,
                              env={**os.environ, "DLPLAY_DEBUG": ""})
        figures, said = (done.stdout.split("\n", 1) + [""])[:2]
        peak_kb, seconds, code = figures.split()
    return {"tsv_mb": round(size / MB), "peak_mb": round(int(peak_kb) / 1024), "seconds": round(float(seconds), 1),
            "exit": int(code), "stderr": said.strip()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    result = measure()
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    print(f"server memory while refusing hostile uploads ({result['checkout']}; targets: peak at most "
          f"{TARGET_MB} MB above rest, after at most {TARGET_AFTER_MB} MB)")
    for r in result["uploads"]:
        print(f"  {r['file']:<16} {r['bytes'] / MB:5.2f} MB: before {r['rest_mb']} MB, peak {r['peak_mb']} MB "
              f"(+{r['above_rest_mb']}), after {r['after_mb']} MB (+{r['after_above_rest_mb']}), answered in "
              f"{r['seconds']} s: {r['page_said']!r}")
    c = result["cli_tsv"]
    print(f"  dlplay text evaluate on a {c['tsv_mb']} MB TSV: peak {c['peak_mb']} MB, {c['seconds']} s, exit "
          f"{c['exit']}: {c['stderr']!r}")


if __name__ == "__main__":
    main()
