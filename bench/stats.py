"""The few statistics the benchmarks report, defined once so every figure means the same thing."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): a value that was really measured, never an interpolation.

    With 30 drawings the 95th percentile is the 29th fastest, i.e. the second slowest.
    """
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def summary(values: Sequence[float]) -> dict[str, float]:
    """Median, 95th percentile, min and max of some measurements (in their own unit), and their count."""
    if not values:
        return {"n": 0}
    return {"n": len(values), "median": statistics.median(values), "p95": percentile(values, 95),
            "min": min(values), "max": max(values)}


def timed(task: Callable[[], object], repeats: int, warm_ups: int = 1,
          clock=time.process_time) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each of `repeats` runs of `task()`, after `warm_ups` untimed runs.

    `clock` is the CPU clock: process_time, or thread_time for work done on the calling thread alone."""
    for _ in range(warm_ups):
        task()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), clock()
        task()
        walls.append(1000 * (time.perf_counter() - wall))
        cpus.append(1000 * (clock() - cpu))
    return walls, cpus
