"""How long the XOR lesson's training takes (a benchmark, not a test).

    .venv/bin/python bench/bench_xor.py [--repeats 15]

Prints medians of wall-clock and CPU time for: 10,000 epochs of the 2-4-1
network with its history recorded (the issue asks for under 100 ms), the
tutorial's model for 10,000 epochs, and one frame of the page's play mode
(step 1 epoch, the backprop ledger, the 50 x 50 decision grid). Also the cost
of one numpy call on a 4 x 4 array, because at these sizes the training time
is that cost times the calls per epoch, and the machine's load average, which
inflates both.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dlplay import xor  # noqa: E402


def measure(task, repeats: int) -> tuple[float, float, float]:
    """Median wall-clock, median CPU and best wall-clock milliseconds of `task()`
    over `repeats` runs (after one warm-up). On a busy machine the best run is
    the one least slowed by other processes."""
    task()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        task()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return 1000 * statistics.median(walls), 1000 * statistics.median(cpus), 1000 * min(walls)


def one_numpy_call_us() -> float:
    a, b = np.ones((4, 4)), np.empty((4, 4))
    start = time.perf_counter()
    for _ in range(100_000):
        np.multiply(a, a, b)
    return (time.perf_counter() - start) * 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    mlp = dataclasses.replace(xor.MLP_DEFAULTS, epochs=10_000)
    tutorial = xor.TUTORIAL_DEFAULTS

    def play_frame(run=xor.run_to(xor.new_run(xor.MLP_DEFAULTS), 500)):
        xor.step(run, 1)
        xor.ledger(run)
        xor.decision_grid(run.settings, run.params, size=50)

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"one numpy call on a 4x4 array: {one_numpy_call_us():.2f} µs")
    rows = [
        ("2-4-1 tanh mse, 10,000 epochs with history (target < 100 ms)", lambda: xor.train(mlp)),
        ("tutorial model, 10,000 epochs with history", lambda: xor.train(tutorial)),
        ("one play frame: step(run, 1) + ledger + 50x50 decision grid", play_frame),
    ]
    for name, task in rows:
        wall, cpu, best = measure(task, args.repeats)
        print(f"{name}: median {wall:.1f} ms wall, {cpu:.1f} ms CPU; best {best:.1f} ms wall")


if __name__ == "__main__":
    main()
