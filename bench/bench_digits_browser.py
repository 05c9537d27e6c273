"""Draw to prediction on /digits in a real browser: the reading while the pen moves, and once it lifts.

Starts `streamlit run app.py`, opens /digits in headless Chromium and draws
alternately a "1" and a "0" with the mouse at a hand's pace (a point every
16 ms, as a mouse reports them: about a second a stroke), pressing Clear in
between. The page itself keeps the times: a
capturing listener for the pointer, a wrapper round the websocket that notes
each send of the drawing (its JSON rides in the protobuf as text) and each
message received that starts a script run or carries the Prediction metric,
and a MutationObserver on the metric and its probability bars.

- pen-up → Prediction: from the mouse-up to the reading of the whole drawing
  on screen: the first change of the metric or its bars after the metric of
  the run that answers the pen-up's send arrived (that arrival, when the
  reading was already right and nothing changed). That run is told by what
  follows its metric: the steps from drawing to input, which only a pen-up
  redraws. Split into pen-up → sent and sent → shown.
- updates while the pen moves: the times between the Prediction metrics of
  successive runs arriving while the mouse is down, and from the first move
  to the first of them.

    python bench/bench_digits_browser.py [--drawings 30] [--model ours]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stats import summary  # noqa: E402
from dlplay import i18n  # noqa: E402
from tests.browser.helpers import chromium_page, device_stroke, streamlit_server, wait_for_app  # noqa: E402

PAUSE_MS = 16  # between moves: a pointer reports about 60 times a second

SOCKET = """((STEPS) => {
  window.__log = [];
  const log = (what) => window.__log.push([what, performance.now()]);
  const text = new TextDecoder();
  const Native = window.WebSocket;
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    const sent = text.decode(data);
    if (sent.includes('"live":false')) log('final');
    else if (sent.includes('"live":true')) log('live');
    return send.call(this, data);
  };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {  // added before Streamlit's own: it sees each message first
        if (!(event.data instanceof ArrayBuffer) || event.data.byteLength > 65536) return;
        const received = text.decode(event.data);
        if (received.includes('app.py')) log('run');  // new_session names the main script
        if (received.includes('Prediction')) log('metric');
        if (received.includes(STEPS)) log('steps');  // only a pen-up's run redraws the steps under the reading
      });
    }
  };
})(""" + json.dumps(i18n.text("en", "digits.steps.header")) + ");"

WATCH = """() => {
  const log = (what) => window.__log.push([what, performance.now()]);
  const reading = (node) => node && node.closest && node.closest('[data-testid=stMetric], [data-testid=stMarkdown]');
  new MutationObserver((records) => {
    if (records.some((r) => reading(r.target.nodeType === 1 ? r.target : r.target.parentElement))) log('shown');
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
  window.addEventListener('pointerdown', () => log('down'), true);
  window.addEventListener('pointermove', (e) => { if (e.buttons) log('move'); }, true);
  window.addEventListener('pointerup', () => log('up'), true);
}"""


def one(box: dict) -> list[tuple[float, float]]:
    """A "1": one vertical stroke down the middle of the canvas (`box`: its bounding box), 40 points."""
    x, y, side = box["x"], box["y"], box["width"]
    return [(x + side / 2, y + side * (0.15 + 0.7 * k / 39)) for k in range(40)]


def zero(box: dict) -> list[tuple[float, float]]:
    """A "0": an upright ellipse, drawn in one stroke of 49 points."""
    x, y, side = box["x"], box["y"], box["width"]
    return [(x + side * (0.5 + 0.21 * math.sin(2 * math.pi * k / 48)),
             y + side * (0.5 - 0.34 * math.cos(2 * math.pi * k / 48)))
            for k in range(49)]


def first(log: list, what: str, after: float) -> float | None:
    return next((t for kind, t in log if kind == what and t > after), None)


def timings(log: list) -> dict:
    """One drawing's figures (ms) from the page's log: pen-up to the reading shown, and the updates while drawing."""
    down, up = first(log, "down", -1), first(log, "up", -1)
    moved = first(log, "move", down)
    sent = first(log, "final", up)
    steps = first(log, "steps", sent)
    answer = max(t for kind, t in log if kind == "metric" and sent < t < steps)  # the reading just before the steps
    shown = first(log, "shown", answer)
    shown = shown if shown is not None and shown - answer < 300 else answer
    runs = [t for kind, t in log if kind == "run"] + [math.inf]
    answers = (first(log, "metric", start) for start in runs[:-1])  # a run's Prediction (its first, if it sent two)
    updates = [t for t, after in zip(answers, runs[1:]) if t is not None and t < after and moved < t < up]
    return {"settle": shown - up, "to_send": sent - up, "after_send": shown - sent,
            "first_update": updates[0] - moved if updates else None,
            "gaps": [b - a for a, b in zip(updates, updates[1:])], "updates": len(updates),
            "stroke": up - down, "changed_screen": shown != answer}


ANSWERED = """(() => { const at = (what, from) => window.__log.findIndex((e, i) => i > from && e[0] === what);
  const final = at('final', at('up', -1));
  return final >= 0 && at('steps', final) >= 0; })()"""


def measure(drawings: int = 30, model: str = "ours", width: int = 1400, height: int = 1000) -> dict:
    """Pen-up → Prediction and the updates while drawing, for `drawings` drawings after one warm-up."""
    results = []
    with streamlit_server() as url, chromium_page(width, height) as page:
        page.add_init_script(SOCKET)
        page.goto(f"{url}/digits?lang=en&model={model}")
        wait_for_app(page)
        box = page.locator("canvas").first.bounding_box()
        page.evaluate(WATCH)
        clear = page.get_by_role("button", name="Clear")
        cdp = page.context.new_cdp_session(page)
        for k in range(drawings + 1):  # the first drawing warms up and is not counted
            page.evaluate("window.__log.length = 0")
            device_stroke(page, one(box) if k % 2 else zero(box), "mouse", pause_ms=PAUSE_MS, cdp=cdp)
            page.wait_for_function(ANSWERED, timeout=30_000)
            wait_for_app(page)
            results.append(timings(page.evaluate("window.__log")))
            clear.click()
            page.wait_for_function("document.querySelector('[data-testid=stMetricValue]').innerText === '—'")
            wait_for_app(page)
    counted = results[1:]
    gaps = [gap for r in counted for gap in r["gaps"]]
    settle = [r["settle"] for r in counted]
    return {"model": model, "ms": settle, **summary(settle),  # pen-up → Prediction, as bench/__main__.py reads it
            **{key: summary([r[key] for r in counted if r[key] is not None])
               for key in ("to_send", "after_send", "first_update", "stroke", "updates")},
            "gaps": summary(gaps), "gaps_over_250": sum(gap > 250 for gap in gaps),
            "unchanged_screen": sum(not r["changed_screen"] for r in counted)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=30)
    parser.add_argument("--model", default="ours")
    args = parser.parse_args()
    result = measure(args.drawings, args.model)
    g = result["gaps"]
    print(f"/digits, model {args.model}, {result['n']} drawings of {result['stroke']['median']:.0f} ms each: "
          f"pen-up to Prediction, median {result['median']:.0f} ms, 95th percentile {result['p95']:.0f} ms "
          f"(min {result['min']:.0f}, max {result['max']:.0f})")
    for part, what in (("to_send", "pen-up to the drawing sent"), ("after_send", "sent to Prediction shown"),
                       ("first_update", "first move to the first reading")):
        if result[part]["n"]:
            print(f"  {what}: median {result[part]['median']:.0f} ms, 95th percentile {result[part]['p95']:.0f} ms")
    print(f"while the pen moves: {result['updates']['median']:.0f} readings a stroke (median), "
          f"{g['median']:.0f} ms apart (median), 95th percentile {g['p95']:.0f} ms, max {g['max']:.0f} ms; "
          f"{result['gaps_over_250']} of {g['n']} gaps over 250 ms")


if __name__ == "__main__":
    main()
