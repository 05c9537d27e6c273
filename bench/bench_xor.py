"""How long the XOR lesson's training takes (a benchmark, not a test).

    .venv/bin/python bench/bench_xor.py [--repeats 15]

Prints medians of wall-clock and CPU time for: 10,000 epochs of the 2-4-1
network with its history recorded (the issue asks for under 100 ms), once by
the numba kernel and once by the numpy loop it falls back to
(DLPLAY_NO_NUMBA=1); the tutorial's model for 10,000 epochs; and one frame of
the page's play mode (step 1 epoch, the backprop ledger, the 50 x 50 decision
grid). Also the cost of one numpy call on a 4 x 4 array, because at these
sizes the numpy loop's time is that cost times its ~20 calls per epoch, and
the machine's load average, which inflates everything.

Then what the kernel costs once per process, measured in fresh interpreters
with NUMBA_CACHE_DIR set to a new temporary directory: the first MLP training
on a cold cache (import numba, compile), and in the next process on the warm
cache (import numba, load the compiled code). `import dlplay.xor.network` itself never
imports numba; its time is printed beside.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dlplay.xor import network as xor  # noqa: E402


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


def numpy_fallback(task):
    """`task`, run with DLPLAY_NO_NUMBA=1 so the MLP trains by the numpy loop."""
    def run():
        before = os.environ.get("DLPLAY_NO_NUMBA")
        os.environ["DLPLAY_NO_NUMBA"] = "1"
        try:
            task()
        finally:
            if before is None:
                del os.environ["DLPLAY_NO_NUMBA"]
            else:
                os.environ["DLPLAY_NO_NUMBA"] = before
    return run


# Run in a fresh interpreter: how long importing dlplay.xor.network takes, and then
# `_kernel()`, which the first MLP training calls (importing numba, then
# compiling or loading from the cache).
FIRST_CALL = """
import json, time
start = time.perf_counter()
from dlplay.xor import network as xor
imported, imported_cpu = time.perf_counter(), time.process_time()
kernel = xor._kernel()
done, done_cpu = time.perf_counter(), time.process_time()
print(json.dumps({"import_ms": 1000 * (imported - start), "kernel_ms": 1000 * (done - imported),
                  "kernel_cpu_ms": 1000 * (done_cpu - imported_cpu), "numba": kernel is not None}))
"""


def first_calls() -> list[dict]:
    """FIRST_CALL's figures on a cold numba cache, then on the cache that run left."""
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "DLPLAY_NO_NUMBA"}
        env["NUMBA_CACHE_DIR"] = cache
        return [json.loads(subprocess.run([sys.executable, "-c", FIRST_CALL], cwd=ROOT, env=env, check=True,
                                          capture_output=True, text=True).stdout)
                for _ in range(2)]


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
    trainer = "numba kernel" if xor._kernel() is not None else "numpy loop (no numba, or DLPLAY_NO_NUMBA=1)"
    rows = [
        (f"2-4-1 tanh mse, 10,000 epochs with history, {trainer} (target < 100 ms)", lambda: xor.train(mlp)),
        ("2-4-1 tanh mse, 10,000 epochs with history, numpy fallback", numpy_fallback(lambda: xor.train(mlp))),
        ("tutorial model, 10,000 epochs with history", lambda: xor.train(tutorial)),
        ("one play frame: step(run, 1) + ledger + 50x50 decision grid", play_frame),
    ]
    for name, task in rows:
        wall, cpu, best = measure(task, args.repeats)
        print(f"{name}: median {wall:.1f} ms wall, {cpu:.1f} ms CPU; best {best:.1f} ms wall")
    for cache, figures in zip(("cold", "warm"), first_calls()):
        what = "import numba + compile" if cache == "cold" else "import numba + load from cache"
        if not figures["numba"]:
            what = "numba is not available, nothing to do"
        print(f"first MLP training in a fresh process, {cache} numba cache: {figures['kernel_ms']:.0f} ms wall, "
              f"{figures['kernel_cpu_ms']:.0f} ms CPU ({what}); import dlplay.xor.network before it: "
              f"{figures['import_ms']:.0f} ms wall")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
