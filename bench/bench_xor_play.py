"""Play mode on /xor in a real browser: frames per second and epochs per second.

Starts `streamlit run app.py` on a free port, opens /xor with the 2-4-1 net in
headless Chromium, presses Play and counts how far the epoch counter moves.
Each frame trains `speed` epochs (the page's "epochs per frame", 10 by
default), so frames per second = epochs per second / speed.

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

from tests.browser.conftest import chromium_page, streamlit_server, wait_for_app  # noqa: E402
from tests.browser.test_xor_browser import click, epoch  # noqa: E402

SPEED = 50  # epochs per frame, the page's default


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with streamlit_server() as url, chromium_page() as page:
        page.goto(f"{url}/xor?lang=en&model=mlp&epochs=100000")
        wait_for_app(page)
        rates = []
        for _ in range(args.repeats):
            click(page, "▶ Play")
            page.wait_for_timeout(1500)  # let the first frames settle
            start_epoch, start = epoch(page, "en"), time.perf_counter()
            page.wait_for_timeout(args.seconds * 1000)
            rates.append((epoch(page, "en") - start_epoch) / (time.perf_counter() - start))
            click(page, "⏸ Pause")
            page.wait_for_selector("[data-testid='stButton'] button:has-text('▶ Play')")
            wait_for_app(page)
    epochs_per_second = statistics.median(rates)
    print(f"play mode, {args.repeats} runs of {args.seconds:g} s: median {epochs_per_second:.1f} epochs/s "
          f"= {epochs_per_second / SPEED:.2f} frames/s at {SPEED} epochs per frame "
          f"(each run: {', '.join(f'{r / SPEED:.2f}' for r in rates)} frames/s)")


if __name__ == "__main__":
    main()
