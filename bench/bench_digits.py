"""Server-side cost of reading one 280 × 280 canvas, as the /digits page does per stroke.

Median milliseconds (wall clock, and CPU time of the calling thread, which
other work on a shared machine inflates less) of preprocessing alone (a canvas,
and a 10,000 × 10,000 photo, which is shrunk first), and of preprocessing plus
prediction for each shipped model, with the model called three ways:
``digits.predict`` (the model called directly, ``model(x, training=False)``,
inside a compiled tf.function: what the page uses), the plain eager call
``model(x, training=False)``, and ``model.predict``.

    nice -n 10 .venv/bin/python -m bench.bench_digits [--repeats 200] [--json]   (from the checkout)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from bench.stats import timed  # noqa: E402
from dlplay.digits import model as digits  # noqa: E402
from dlplay.digits.preprocess import preprocess  # noqa: E402
from dlplay.digits.strokes import draw_digit  # noqa: E402


def median_ms(function, repeats: int) -> dict[str, float]:
    """Median wall time, and median CPU time of the calling thread (which a busy machine inflates less)."""
    wall, cpu = timed(function, repeats, warm_ups=3, clock=time.thread_time)
    return {"wall_ms": statistics.median(wall), "thread_cpu_ms": statistics.median(cpu)}


def measure(repeats: int = 200) -> dict[str, dict[str, float]]:
    """Median wall and thread-CPU milliseconds of each way of reading the canvas, keyed by what was timed."""
    canvas = draw_digit(4, 0, height=180, centre=(120, 150), width=20)
    results = {"preprocess": median_ms(lambda: preprocess(canvas), repeats)}
    huge = np.asarray(Image.fromarray(draw_digit(4, 1)[:, :, 0]).resize((10_000, 10_000), Image.NEAREST))
    results["preprocess a 10,000 × 10,000 image"] = median_ms(lambda: preprocess(huge), max(3, repeats // 20))
    for name in digits.MODELS:
        model = digits.load_model(name)

        def read(model=model):
            return digits.read_digit(model, canvas)

        def eager(model=model):
            x = preprocess(canvas).image[None, :, :, None]
            return model(x, training=False).numpy()

        def keras_predict(model=model):
            x = preprocess(canvas).image[None, :, :, None]
            return model.predict(x, verbose=0)

        results[f"{name}: preprocess + digits.read_digit"] = median_ms(read, repeats)
        results[f"{name}: preprocess + model(x) eager"] = median_ms(eager, repeats)
        results[f"{name}: preprocess + model.predict"] = median_ms(keras_predict, max(10, repeats // 10))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = measure(args.repeats)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(
            f"median of {args.repeats} runs, 280x280 RGBA canvas, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
        )
        print("    wall  thread CPU")
        for what, ms in results.items():
            print(f"{ms['wall_ms']:8.2f} {ms['thread_cpu_ms']:8.2f} ms  {what}")


if __name__ == "__main__":
    main()
