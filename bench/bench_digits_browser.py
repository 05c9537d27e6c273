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
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stats import summary  # noqa: E402
from tests.browser.helpers import chromium_page, streamlit_server, stroke, wait_for_app  # noqa: E402

# Before the app loads: note when the browser last sent a websocket frame, so that each
# drawing splits into the canvas component's own delay (mouse-up to the stroke sent) and
# the part dlplay controls (stroke sent to the metric changed: rerun, model, the delta drawn).
SENDS = """(() => {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (window.__up !== undefined && window.__sent === undefined) window.__sent = performance.now();
    return send.call(this, data);
  };
})();"""

WATCH = """() => {
  window.__marks = [];
  window.__splits = [];
  window.addEventListener('mouseup', () => { window.__up = performance.now(); window.__sent = undefined; }, true);
  const value = () => (document.querySelector('[data-testid=stMetricValue]') || {}).innerText;
  window.__last = value();
  new MutationObserver(() => {
    const v = value();
    if (v !== undefined && v !== window.__last) {
      window.__last = v;
      if (window.__up !== undefined && v !== '—') {
        const now = performance.now();
        window.__marks.push(now - window.__up);
        if (window.__sent !== undefined) window.__splits.push([window.__sent - window.__up, now - window.__sent]);
      }
      window.__up = undefined;
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def one(x: float, y: float) -> list[tuple[float, float]]:
    """A "1": one vertical stroke down the middle of the canvas whose top-left corner is (x, y)."""
    return [(x + 140, y + 40), (x + 140, y + 140), (x + 140, y + 240)]


def zero(x: float, y: float) -> list[tuple[float, float]]:
    """A "0": an upright ellipse, drawn in one stroke."""
    return [(x + 140 + 60 * math.cos(2 * math.pi * k / 24), y + 140 + 95 * math.sin(2 * math.pi * k / 24))
            for k in range(25)]


def measure(drawings: int = 30, model: str = "ours") -> dict:
    """Milliseconds from mouse-up to the Prediction metric changing, for `drawings` drawings after one warm-up."""
    with streamlit_server() as url, chromium_page() as page:
        page.add_init_script(SENDS)
        page.goto(f"{url}/digits?lang=en&model={model}")
        wait_for_app(page)
        box = page.locator("canvas").last.bounding_box()
        x, y = box["x"], box["y"]
        page.evaluate(WATCH)
        for k in range(drawings + 1):  # the first drawing warms up and is not counted
            stroke(page, one(x, y) if k % 2 else zero(x, y))
            page.wait_for_function(f"window.__marks.length >= {k + 1}", timeout=30_000)
            page.get_by_role("button", name="Reset canvas & history").click()
            page.wait_for_function("document.querySelector('[data-testid=stMetricValue]').innerText === '—'")
            wait_for_app(page)
        marks = page.evaluate("window.__marks")[1:]
        splits = page.evaluate("window.__splits")[1:]
    return {"model": model, "ms": marks, **summary(marks),
            "component_delay": summary([a for a, _ in splits]), "after_send": summary([b for _, b in splits])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=30)
    parser.add_argument("--model", default="ours")
    args = parser.parse_args()
    result = measure(args.drawings, args.model)
    print(f"/digits, model {args.model}, {result['n']} drawings: mouse-up to Prediction changed, "
          f"median {result['median']:.0f} ms, 95th percentile {result['p95']:.0f} ms "
          f"(min {result['min']:.0f}, max {result['max']:.0f})")
    for part, what in (("component_delay", "mouse-up to the stroke sent (the canvas component's own delay)"),
                       ("after_send", "stroke sent to Prediction changed (rerun, model, delta drawn)")):
        if result[part]["n"]:
            print(f"  {what}: median {result[part]['median']:.0f} ms, 95th percentile {result[part]['p95']:.0f} ms")


if __name__ == "__main__":
    main()
