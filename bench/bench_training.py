"""What the live page costs a training run (a benchmark, not a test).

    .venv/bin/python bench/bench_training.py [--images 10000] [--repeats 3]

The same model (the tutorial's CNN) on the same data (the shipped sample's
first 10,000 images, one epoch, batch 32, Adam 0.001), trained three ways, in
turn, so that a change in the machine's load falls on all three alike:

- bare: `model.fit` and nothing else;
- callback: with /digits-training's Keras callback (every batch's logs
  recorded, validation on 300 test images (at most 2 % of the run, and at
  each epoch's end), the progress,
  the Stop check);
- page: the callback, and a thread that polls the job once a second and
  builds the two live plotly figures from it, as the page's fragment does.

Prints the median fit time of each and the overheads as ratios (the issue
aims under 5 %), and the machine's load average, which inflates all three.
Run to run, a fit here varies by ±10 %, more than the overhead; so it also
adds up the time spent inside the callback, which is the overhead itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dlplay.digits import jobs  # noqa: E402
from dlplay.digits.data import load_sample  # noqa: E402
from dlplay.digits.keras_net import Config, build_model  # noqa: E402


def fit_seconds(config: Config, mode: str) -> tuple[float, float]:
    """(seconds in `fit`, seconds inside the callback) for one run; `mode` is bare, callback or page."""
    job = jobs.Job(config, load_sample())
    model = build_model(config)
    trainer = jobs.trainer(model, config, len(job.x_train))
    callbacks = []
    if mode != "bare":
        callbacks = [jobs.live_curves(job, model)]
        inside = timed(callbacks[0])
    done = threading.Event()
    poller = threading.Thread(target=poll, args=(job, done), daemon=True) if mode == "page" else None
    if poller:
        poller.start()
    x = job.x_train.reshape(-1, 28, 28, 1)
    trainer.fit(x[:64], job.y_train[:64], epochs=1, batch_size=32, verbose=0)  # tracing, outside the timing
    started = time.perf_counter()
    trainer.fit(x, job.y_train, epochs=config.epochs, batch_size=config.batch_size, shuffle=True, verbose=0,
                callbacks=callbacks)
    seconds = time.perf_counter() - started
    done.set()
    return seconds, (sum(inside) if callbacks else 0.0)


def timed(callback) -> list[float]:
    """Wrap the callback's per-batch and per-epoch methods to add up the time spent in them."""
    spent = []
    for name in ("on_train_begin", "on_epoch_begin", "on_train_batch_end"):
        method = getattr(callback, name)

        def wrapper(*args, _method=method, **kwargs):
            started = time.perf_counter()
            try:
                return _method(*args, **kwargs)
            finally:
                spent.append(time.perf_counter() - started)

        setattr(callback, name, wrapper)
    return spent


def poll(job: jobs.Job, done: threading.Event) -> None:
    """What the page's fragment does every second while a run trains."""
    import plotly.graph_objects as go

    while not done.wait(1.0):
        job.seen()
        snapshot = job.snapshot()
        curves = snapshot["curves"]
        for train, val in ((curves.loss, curves.val_loss), (curves.accuracy, curves.val_accuracy)):
            x, y = jobs.thin(curves.train_at, train)
            figure = go.Figure(data=[dict(type="scattergl", x=x, y=y),
                                     dict(type="scatter", x=curves.val_at, y=val)], _validate=False)
            figure.to_json()


def measure(images: int = 10_000, repeats: int = 5) -> dict:
    """Fit seconds of each mode, run in turn (the order rotating) `repeats` times; medians, the
    wall-clock overheads against bare, and the time spent inside the callback itself."""
    config = Config(train_size=images, epochs=1)
    modes = ["bare", "callback", "page"]
    times = {mode: [] for mode in modes}
    inside = []
    fit_seconds(Config(train_size=1000), "page")  # warm-up: TensorFlow's first graphs
    for k in range(repeats):
        for mode in modes[k % 3:] + modes[: k % 3]:
            seconds, in_callback = fit_seconds(config, mode)
            times[mode].append(seconds)
            if mode == "callback":
                inside.append(in_callback)
    medians = {mode: statistics.median(runs) for mode, runs in times.items()}
    return {"images": images, "runs_s": times, "median_s": medians,
            "overhead_percent": {mode: 100 * (medians[mode] / medians["bare"] - 1) for mode in modes},
            "inside_callback_s": statistics.median(inside),
            "inside_callback_percent": 100 * statistics.median(inside) / medians["bare"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    result = measure(args.images, args.repeats)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; tutorial CNN, {args.images:,} images, "
          f"1 epoch, batch 32, {args.repeats} runs each, interleaved")
    for mode, runs in result["runs_s"].items():
        listed = ", ".join(f"{t:.2f}" for t in runs)
        print(f"{mode:>8}: median {result['median_s'][mode]:.2f} s (runs {listed}); "
              f"overhead {result['overhead_percent'][mode]:+.1f} %")
    print(f"time inside the callback: {result['inside_callback_s']:.2f} s, "
          f"{result['inside_callback_percent']:.1f} % of a bare fit")


if __name__ == "__main__":
    main()
