"""Server-side cost of reading one 280 × 280 canvas, as the /digits page does per stroke.

Median milliseconds (wall clock, and CPU time of the calling thread, which
other work on a shared machine inflates less) of what /digits does with the
pad's strokes (rendered at half size, read in numpy), of preprocessing alone (a canvas,
and a 10,000 × 10,000 photo, which is shrunk first), and of preprocessing plus
prediction for each shipped model, with the model run four ways: in numpy
(``digits.load_shipped``, dlplay/digits/numpy_net.py: what the page uses), in
Keras through ``digits.predict`` (the model called directly inside a compiled
tf.function: what a visitor's own model uses), the plain eager call
``model(x, training=False)``, and ``model.predict``; and the inside of the
network (feature maps, dense activations, saliency) in numpy and in Keras.

``measure_loading`` times, each in a fresh interpreter, what the first /digits
of a server waits for: the shipped models in numpy, against TensorFlow's import
and the models loaded and traced in Keras.

    nice -n 10 .venv/bin/python -m bench.bench_digits [--repeats 200] [--json]   (from the checkout)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from bench.stats import timed  # noqa: E402
from dlplay.digits import pad  # noqa: E402
from dlplay.digits import reading as digits  # noqa: E402
from dlplay.digits.preprocess import preprocess  # noqa: E402
from dlplay.digits.strokes import HANDS, draw_digit, transform  # noqa: E402


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
    image = preprocess(canvas).image
    strokes = transform(HANDS[4][0], 180, (120, 150))
    for name in digits.MODELS:
        model, shipped = digits.load_model(name), digits.load_shipped(name)
        results[f"{name} in numpy, as /digits: the pad's strokes rendered + digits.read_digit"] = median_ms(
            lambda shipped=shipped: digits.read_digit(shipped, pad.ink(strokes), canvas=True), repeats)
        for how, reader in (("numpy", shipped), ("Keras", model)):
            def read(reader=reader):
                return digits.read_digit(reader, canvas)

            def inside(reader=reader):
                return (digits.feature_maps(reader, image), digits.dense_activations(reader, image),
                        digits.saliency(reader, image))

            results[f"{name} in {how}: preprocess + digits.read_digit"] = median_ms(read, repeats)
            results[f"{name} in {how}: feature maps, dense activations and saliency"] = median_ms(inside, repeats)

        def eager(model=model):
            x = preprocess(canvas).image[None, :, :, None]
            return model(x, training=False).numpy()

        def keras_predict(model=model):
            x = preprocess(canvas).image[None, :, :, None]
            return model.predict(x, verbose=0)

        results[f"{name}: preprocess + model(x) eager"] = median_ms(eager, repeats)
        results[f"{name}: preprocess + model.predict"] = median_ms(keras_predict, max(10, repeats // 10))
    return results


LOADING = {
    "numpy": "from dlplay.digits import reading as d; [d.load_shipped(n) for n in d.MODELS]",
    # Keras, its compiled calls traced once so that the first stroke would be fast too.
    "Keras": ("import numpy as np; from dlplay.digits import reading as d; b = np.zeros((28, 28), np.float32); "
              "b[8:20, 12:16] = 1; [(d.predict(m, b), d.layer_outputs(m, b), d.saliency(m, b)) "
              "for m in map(d.load_model, d.MODELS)]"),
}


def measure_loading(repeats: int = 3) -> dict[str, dict[str, float]]:
    """Median seconds (wall, and the process's CPU) in a fresh interpreter to get both shipped models ready
    to read a drawing and show its inside: in numpy, or in Keras (importing TensorFlow, loading, tracing)."""
    root = Path(__file__).resolve().parents[1]
    results = {}
    for how, code in LOADING.items():
        script = (f"import os, time; start = time.perf_counter()\n{code}\n"
                  "print(time.perf_counter() - start, time.process_time())")
        runs = [subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True,
                               env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}).stdout.split() for _ in range(repeats)]
        results[how] = {"wall_s": statistics.median(float(wall) for wall, _ in runs),
                        "cpu_s": statistics.median(float(cpu) for _, cpu in runs)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = measure(args.repeats)
    loading = measure_loading()
    if args.json:
        print(json.dumps({"reading": results, "loading": loading}, indent=2))
    else:
        print(
            f"median of {args.repeats} runs, 280x280 RGBA canvas, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
        )
        print("    wall  thread CPU")
        for what, ms in results.items():
            print(f"{ms['wall_ms']:8.2f} {ms['thread_cpu_ms']:8.2f} ms  {what}")
        for how, s in loading.items():
            print(f"{s['wall_s']:8.2f} {s['cpu_s']:8.2f} s   both shipped models ready in {how}, fresh interpreter")


if __name__ == "__main__":
    main()
