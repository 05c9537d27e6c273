"""Play mode on /xor in a real browser: frames per second and epochs per second.

Starts `streamlit run app.py` on a free port, opens /xor with the 2-4-1 net in
headless Chromium, presses Play and counts how far the epoch counter moves.
Each frame trains `speed` epochs (the page's "epochs per frame", 50 by
default), so frames per second = epochs per second / speed. The server's CPU
time over the same seconds, and the browser's (Chromium and Playwright's
driver), tell which of them holds the frame rate down: here they share the
two cores.

    python bench/bench_xor_play.py [--seconds 10] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.server import browser_cpu_seconds, streamlit_server  # noqa: E402
from dlplay import i18n  # noqa: E402
from tests.browser.helpers import chromium_page, click, metric_value, wait_for_app  # noqa: E402

SPEED = 50  # epochs per frame, the page's default


def epoch(page, lang) -> int:
    return int(metric_value(page, i18n.text(lang, "xor.epoch")).replace(",", ""))


def measure(seconds: float = 10.0, repeats: int = 3) -> dict:
    """Epochs per second of play mode on /xor, in each of `repeats` runs of `seconds`, and their median;
    and the CPU used meanwhile by the server and by the browser, in cores."""
    with streamlit_server() as server, chromium_page() as page:
        page.goto(f"{server.url}/xor?lang=en&model=mlp&epochs=100000")
        wait_for_app(page)
        rates, cores, browser_cores = [], [], []
        for _ in range(repeats):
            click(page, "▶ Play")
            page.wait_for_timeout(1500)  # let the first frames settle
            start_epoch, start = epoch(page, "en"), time.perf_counter()
            cpu, browser_cpu = server.cpu_seconds(), browser_cpu_seconds(server)
            page.wait_for_timeout(seconds * 1000)
            rates.append((epoch(page, "en") - start_epoch) / (time.perf_counter() - start))
            cores.append((server.cpu_seconds() - cpu) / (time.perf_counter() - start))
            browser_cores.append((browser_cpu_seconds(server) - browser_cpu) / (time.perf_counter() - start))
            click(page, "⏸ Pause")
            page.wait_for_selector("[data-testid='stButton'] button:has-text('▶ Play')")
            wait_for_app(page)
    epochs_per_second = statistics.median(rates)
    return {"epochs_per_second": epochs_per_second, "frames_per_second": epochs_per_second / SPEED,
            "frames_per_second_each_run": [rate / SPEED for rate in rates], "epochs_per_frame": SPEED,
            "server_cpu_cores": statistics.median(cores), "browser_cpu_cores": statistics.median(browser_cores)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    result = measure(args.seconds, args.repeats)
    print(f"play mode, {args.repeats} runs of {args.seconds:g} s: median {result['epochs_per_second']:.1f} epochs/s "
          f"= {result['frames_per_second']:.2f} frames/s at {SPEED} epochs per frame "
          f"(each run: {', '.join(f'{r:.2f}' for r in result['frames_per_second_each_run'])} frames/s); "
          f"CPU: server {result['server_cpu_cores']:.2f} cores, browser {result['browser_cpu_cores']:.2f} cores")


if __name__ == "__main__":
    main()
