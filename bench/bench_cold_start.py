"""Cold start: from spawning `streamlit run app.py` to the home page, then /activations, rendered in Chromium.

What a teacher waits for at the start of a lesson. Chromium is launched first
and not counted; the clock starts just before the server process is spawned.
A page counts as rendered when its title (h1) is on screen and Streamlit says
the script has finished and the connection is up (the state
tests/browser/conftest.py's `wait_for_app` waits for, without its extra 200 ms
settling pause). /activations is opened as a fresh page load, as a student
opening the shared link does.

It also checks the promise that reading a drawing never loads TensorFlow
(seconds of import and hundreds of MiB per process; the shipped CNNs run in
numpy, dlplay/digits/numpy_net.py): after home, /activations and /digits no
TensorFlow shared object may be mapped in the server process (/proc/<pid>/maps).

Then three more fresh servers each time: one whose first visitor opens /digits
straight away (spawn to /digits ready), one where /digits is first opened 10 s
after the spawn, as when a teacher starts the server before the lesson, and for
comparison one where home is first opened 10 s after the spawn. These three
servers all listen on one port, which the browser has visited once before the
runs, as a teacher's browser has: Streamlit's own scripts come from its cache
(for a browser that never saw the address, every first page, home too, costs
about a second more: the first runs above).

The operating system's file cache is warm after the first repeat (and usually
before it), so this is "cold" for the process, not for the disk.

    .venv/bin/python -m bench.bench_cold_start [--repeats 3] [--json]   (from the checkout)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.server import browser_cpu_seconds, streamlit_server, wait_healthy  # noqa: E402
from dlplay import i18n  # noqa: E402
from tests.browser.helpers import chromium_page, free_port  # noqa: E402

DONE = "[data-testid='stApp'][data-test-connection-state='CONNECTED'][data-test-script-state='notRunning']"
PAGES = [("home", "/", "home.title"), ("activations", "/activations", "activations.title"),
         ("digits", "/digits", "digits.title")]


def open_and_time(page, url: str, title: str, timeout_ms: float = 120_000) -> tuple[float, float]:
    """Seconds from navigating to `url` until its title is shown, and until the page is rendered (script done)."""
    start = time.perf_counter()
    page.goto(url, timeout=timeout_ms)
    page.locator("[data-testid='stMainBlockContainer'] h1", has_text=title).first.wait_for(timeout=timeout_ms)
    titled = time.perf_counter() - start
    page.wait_for_selector(DONE, timeout=timeout_ms)
    return titled, time.perf_counter() - start


def measure_once(page) -> dict:
    """One cold start in an already launched browser page: seconds per step (wall clock to the title and to
    the page done, and the CPU time of the server and of the browser), the TensorFlow objects mapped and the
    server's memory after each page."""
    result: dict = {}
    with streamlit_server(wait=False) as server:
        wait_healthy(server)
        result["healthy_s"] = time.perf_counter() - server.spawned_at
        result["healthy_cpu_s"] = server.cpu_seconds()
        for name, path, title_key in PAGES:
            cpu, browser_cpu = server.cpu_seconds(), browser_cpu_seconds(server)
            navigated = time.perf_counter() - server.spawned_at
            title_s, done_s = open_and_time(page, f"{server.url}{path}?lang=en", i18n.text("en", title_key))
            result[f"{name}_title_s"], result[f"{name}_s"] = title_s, done_s
            result[f"spawn_to_{name}_title_s"], result[f"spawn_to_{name}_s"] = navigated + title_s, navigated + done_s
            # CPU time, which the machine's load inflates less than wall time: the server's and the browser's.
            result[f"{name}_cpu_s"] = server.cpu_seconds() - cpu
            result[f"{name}_browser_cpu_s"] = browser_cpu_seconds(server) - browser_cpu
            result[f"tensorflow_after_{name}"] = server.tensorflow_objects()
            result[f"rss_after_{name}_mib"] = server.rss_bytes() / 2**20
    return result


def first_visit(page, port: int, path: str = "/digits", title_key: str = "digits.title", after_s: float = 0.0) -> dict:
    """A fresh server on `port` whose first page is `path`, opened `after_s` seconds after the spawn: seconds
    from the spawn and from navigating to the page rendered, the server's CPU seconds for it, and whether
    TensorFlow got loaded."""
    with streamlit_server(wait=False, options=[f"server.port={port}"]) as server:
        server.url = f"http://127.0.0.1:{port}"  # the option given last wins over the free port the helper chose
        wait_healthy(server)
        time.sleep(max(0.0, server.spawned_at + after_s - time.perf_counter()))
        navigated, cpu = time.perf_counter() - server.spawned_at, server.cpu_seconds()
        _, done_s = open_and_time(page, f"{server.url}{path}?lang=en", i18n.text("en", title_key))
        return {"navigated_s": navigated, "done_s": done_s, "spawn_to_done_s": navigated + done_s,
                "cpu_s": server.cpu_seconds() - cpu, "tensorflow": server.tensorflow_objects()}


def measure(repeats: int = 3) -> dict:
    """`repeats` cold starts (each a new server process) in one Chromium; every run and the medians."""
    with chromium_page() as page:
        runs, port = [], free_port()
        first_visit(page, port, "/", "home.title")  # the browser has been here before
        for _ in range(repeats):
            run = measure_once(page)
            first, later = first_visit(page, port), first_visit(page, port, after_s=10.0)
            home = first_visit(page, port, "/", "home.title", after_s=10.0)
            run.update(spawn_to_digits_first_s=first["spawn_to_done_s"], digits_first_s=first["done_s"],
                       digits_after_10s_s=later["done_s"], digits_after_10s_cpu_s=later["cpu_s"],
                       home_after_10s_s=home["done_s"], home_after_10s_cpu_s=home["cpu_s"],
                       tensorflow_after_digits_first=first["tensorflow"] + later["tensorflow"])
            runs.append(run)
    keys = [key for key in runs[0] if key.endswith(("_s", "_mib"))]
    return {"runs": runs, "median": {key: statistics.median(run[key] for run in runs) for key in keys}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.repeats)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for k, run in enumerate(result["runs"], 1):
        print(f"run {k}: healthy {run['healthy_s']:.2f} s, home rendered {run['spawn_to_home_s']:.2f} s "
              f"after spawn (target < 3 s), then /activations {run['activations_s']:.2f} s "
              f"(spawn to /activations {run['spawn_to_activations_s']:.2f} s), first /digits {run['digits_s']:.2f} s")
        print(f"       spawn to /digits as the first page {run['spawn_to_digits_first_s']:.2f} s (target <= 5 s), "
              f"/digits opened 10 s after spawn {run['digits_after_10s_s']:.2f} s (target <= 1.5 s; "
              f"server CPU {run['digits_after_10s_cpu_s']:.2f} s), home opened 10 s after spawn "
              f"{run['home_after_10s_s']:.2f} s (server CPU {run['home_after_10s_cpu_s']:.2f} s)")
        print(f"       TensorFlow after home + /activations: {run['tensorflow_after_activations'] or 'not loaded'}; "
              f"after /digits: {run['tensorflow_after_digits'] or 'not loaded'}")


if __name__ == "__main__":
    main()
