"""Training leaves the cores to the pages: a training thread runs in the background, and TensorFlow
loads before anyone presses Train. (bench/bench_queue.py measures what a waiting student sees.)"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading

import numpy as np

BACKGROUND_NICE = 10  # a Linux nice value: a CPU share of ~1/10 against any page's script on a busy core


def in_background() -> None:
    """Training yields the cores to the pages: this thread and TensorFlow's compute threads get
    ``BACKGROUND_NICE``, so a page's rerun (a place in line, a drawing read) is not kept waiting
    behind two fits on two cores (bench/bench_queue.py). Linux threads only; elsewhere a no-op.
    Raising one's own nice value needs no privilege and is never undone: the pool serves only training.
    (Only Linux takes a thread's id for PRIO_PROCESS; macOS and the BSDs would take it for a process's.)"""
    if not sys.platform.startswith("linux") or not hasattr(os, "setpriority"):
        return
    threads = [threading.get_native_id()]
    with contextlib.suppress(OSError):
        for task in os.listdir("/proc/self/task"):
            with contextlib.suppress(OSError), open(f"/proc/self/task/{task}/comm", errors="replace") as comm:
                if comm.read().startswith("tf_"):
                    threads.append(int(task))
    for thread in threads:
        with contextlib.suppress(OSError):
            if os.getpriority(os.PRIO_PROCESS, thread) < BACKGROUND_NICE:
                os.setpriority(os.PRIO_PROCESS, thread, BACKGROUND_NICE)


@functools.cache
def prepare() -> threading.Thread:
    """Load TensorFlow in the background, once per process, before anyone presses Train.

    Its first import holds Python's GIL for seconds at a time: started by the first Train press, it would stall
    every page of the server just as a class presses Train together (bench/bench_queue.py). The training page
    calls this after its own imports, so the two never import the same modules at once."""

    def load() -> None:
        with contextlib.suppress(Exception):  # a job that trains later loads it again and reports what fails
            import keras

            keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])(
                np.zeros((1, 28, 28, 1), np.float32))

    thread = threading.Thread(target=load, name="dlplay-prepare", daemon=True)
    thread.start()
    return thread
