"""How long the XOR lesson's training takes (a benchmark, not a test).

    .venv/bin/python bench/bench_xor.py [--repeats 15]

Prints medians of wall-clock and CPU time for: 10,000 epochs of the 2-4-1
network with its history recorded, by the one numpy training loop; the
tutorial's model for 10,000 epochs; one frame of the page's play mode (train,
the backprop ledger, the 50 x 50 decision grid and the other charts' data), at
1 epoch a frame and at the page's default 50. Then, in fresh interpreters, the
first training a new process does: importing dlplay.xor and training the MLP's
defaults (5,000 epochs), and the import alone. Also the cost of one numpy call
on a 4 x 4 array, because at these sizes the loop's time is that cost times
its calls per epoch, and the machine's load average, which inflates everything.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stats import timed  # noqa: E402
from dlplay.xor import charts, ledger, state  # noqa: E402
from dlplay.xor import numpy_net as xor  # noqa: E402


def measure(task, repeats: int) -> tuple[float, float, float]:
    """Median wall-clock, median CPU and best wall-clock milliseconds of `task()`
    over `repeats` runs (after one warm-up). On a busy machine the best run is
    the one least slowed by other processes."""
    walls, cpus = timed(task, repeats)
    return statistics.median(walls), statistics.median(cpus), min(walls)


def one_numpy_call_us() -> float:
    a, b = np.ones((4, 4)), np.empty((4, 4))
    start = time.perf_counter()
    for _ in range(100_000):
        np.multiply(a, a, b)
    return (time.perf_counter() - start) * 10


def play_frame(epochs: int):
    """What the page computes for one frame of play mode, training `epochs` epochs."""
    run = xor.run_to(xor.new_run(state.MLP_DEFAULTS), 500)

    def frame():
        xor.step(run, epochs)
        book = ledger.ledger(run)
        ledger.readings(book, run.epoch)
        xor.saturated(run)
        charts.thinned_history(run)
    return frame


# Run in a fresh interpreter: importing dlplay.xor, then the first training of the MLP's defaults.
FIRST_TRAINING = """
import json, time
start, start_cpu = time.perf_counter(), time.process_time()
from dlplay.xor import numpy_net, state
imported = time.perf_counter()
numpy_net.train(state.MLP_DEFAULTS)
print(json.dumps({"import_ms": 1000 * (imported - start), "total_ms": 1000 * (time.perf_counter() - start),
                  "total_cpu_ms": 1000 * (time.process_time() - start_cpu)}))
"""


def first_trainings(repeats: int) -> list[dict]:
    return [json.loads(subprocess.run([sys.executable, "-c", FIRST_TRAINING], cwd=ROOT, check=True,
                                      capture_output=True, text=True).stdout)
            for _ in range(repeats)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    mlp = dataclasses.replace(state.MLP_DEFAULTS, epochs=10_000)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"one numpy call on a 4x4 array: {one_numpy_call_us():.2f} µs")
    rows = [
        ("2-4-1 tanh mse, 10,000 epochs with history, numpy loop (target < 100 ms)", lambda: xor.train(mlp)),
        ("tutorial model, 10,000 epochs with history", lambda: xor.train(state.TUTORIAL_DEFAULTS)),
        ("one play frame, 1 epoch + ledger + charts' data (50x50 decision grid)", play_frame(1)),
        ("one play frame, 50 epochs (the page's default) + ledger + charts' data", play_frame(50)),
    ]
    for name, task in rows:
        wall, cpu, best = measure(task, args.repeats)
        print(f"{name}: median {wall:.1f} ms wall, {cpu:.1f} ms CPU; best {best:.1f} ms wall")
    firsts = first_trainings(max(3, args.repeats // 3))
    median = {key: statistics.median(f[key] for f in firsts) for key in firsts[0]}
    print(f"first training in a fresh process, import dlplay.xor + the MLP's 5,000 default epochs: "
          f"median {median['total_ms']:.1f} ms wall, {median['total_cpu_ms']:.1f} ms CPU ({len(firsts)} processes)")
    print(f"import dlplay.xor.numpy_net in a fresh process: median {median['import_ms']:.1f} ms wall")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
