"""Draw to prediction on /digits in a real browser: mouse-up to the "Prediction" metric changing.

Starts `streamlit run app.py`, opens /digits in headless Chromium and draws
alternately a "1" and a "0" with the mouse, clearing the canvas in between.
The page itself timestamps the mouse-up (a capturing listener) and the moment
the metric's text changes (a MutationObserver), so the figure is what a
student sees, including the canvas component's own ~200 ms send delay.

    python bench/bench_digits_browser.py [--drawings 30] [--model ours]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import chromium_page, streamlit_server, wait_for_app  # noqa: E402
from tests.browser.test_digits_browser import stroke  # noqa: E402

WATCH = """() => {
  window.__marks = [];
  window.addEventListener('mouseup', () => { window.__up = performance.now(); }, true);
  const value = () => (document.querySelector('[data-testid=stMetricValue]') || {}).innerText;
  window.__last = value();
  new MutationObserver(() => {
    const v = value();
    if (v !== undefined && v !== window.__last) {
      window.__last = v;
      if (window.__up !== undefined && v !== '—') window.__marks.push(performance.now() - window.__up);
      window.__up = undefined;
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=30)
    parser.add_argument("--model", default="ours")
    args = parser.parse_args()
    with streamlit_server() as url, chromium_page() as page:
        page.goto(f"{url}/digits?lang=en&model={args.model}")
        wait_for_app(page)
        box = page.locator("canvas").last.bounding_box()
        x, y = box["x"], box["y"]
        page.evaluate(WATCH)
        one = [(x + 140, y + 40), (x + 140, y + 140), (x + 140, y + 240)]
        zero = [(x + 140 + 60 * math.cos(2 * math.pi * k / 24), y + 140 + 95 * math.sin(2 * math.pi * k / 24))
                for k in range(25)]
        for k in range(args.drawings + 1):  # the first drawing warms up and is not counted
            stroke(page, one if k % 2 else zero)
            page.wait_for_function(f"window.__marks.length >= {k + 1}", timeout=30_000)
            page.get_by_role("button", name="Reset canvas & history").click()
            page.wait_for_function("document.querySelector('[data-testid=stMetricValue]').innerText === '—'")
            wait_for_app(page)
        marks = page.evaluate("window.__marks")[1:]
    marks.sort()
    p95 = marks[min(len(marks) - 1, math.ceil(0.95 * len(marks)) - 1)]
    print(f"/digits, model {args.model}, {len(marks)} drawings: mouse-up to Prediction changed, "
          f"median {statistics.median(marks):.0f} ms, 95th percentile {p95:.0f} ms "
          f"(min {marks[0]:.0f}, max {marks[-1]:.0f})")


if __name__ == "__main__":
    main()
