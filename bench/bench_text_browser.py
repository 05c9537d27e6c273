"""/text as you type, in a real browser: the last keystroke to the new sentiment shown, without Enter.

Starts `streamlit run app.py`, opens /text in headless Chromium and types
sentences key by key into the emptied box (a key every 60 ms, quicker than
the box's pause, so only the pause after the last key sends), a positive and a
negative one in turn. The page itself timestamps the last
keystroke (an `input` listener on the box) and the moment the metric shows the
new verdict (a MutationObserver), so the figure is what a student sees: the
box's pause (`ui.live_text_input`, 150 ms), the rerun, and the delta drawn.

    python bench/bench_text_browser.py [--sentences 20]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stats import summary  # noqa: E402
from dlplay import i18n  # noqa: E402
from dlplay.text import numpy_net as text_model  # noqa: E402
from dlplay.text import reading as text_reading  # noqa: E402
from tests.browser.helpers import chromium_page, streamlit_server, wait_for_app  # noqa: E402

SENTENCES = ("a wonderful and moving film", "a dull and boring film")
KEY_DELAY_MS = 60
LANG = "en"

# Before the app loads: note when the browser sends a websocket frame after the last keystroke, to split
# the figure into the box's own pause (keystroke to text sent) and the rest (rerun, the delta drawn).
SENDS = """(() => {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (window.__expect !== undefined && window.__sent === undefined) window.__sent = performance.now();
    return send.call(this, data);
  };
})();"""

WATCH = """(label) => {
  const input = [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]
    .map(host => host.shadowRoot?.querySelector('input')).find(Boolean);
  input.addEventListener('input', () => { window.__typed = performance.now(); window.__sent = undefined; });
  const value = () => {
    const metric = [...document.querySelectorAll('[data-testid=stMetric]')].find(m => m.innerText.includes(label));
    return metric ? metric.querySelector('[data-testid=stMetricValue]').innerText.trim() : undefined;
  };
  window.__expect = undefined;
  window.__shown = [];
  window.__splits = [];
  new MutationObserver(() => {
    if (window.__expect !== undefined && value() === window.__expect) {
      const now = performance.now();
      window.__shown.push(now - window.__typed);
      if (window.__sent !== undefined) window.__splits.push([window.__sent - window.__typed, now - window.__sent]);
      window.__expect = undefined;
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def measure(sentences: int = 20) -> dict:
    """Milliseconds from the last keystroke to the new sentiment shown, for `sentences` typed sentences
    (one warm-up not counted)."""
    label = i18n.text(LANG, "text.sentiment")
    verdicts = [text_reading.verdict(text_model.predict(s), LANG) for s in SENTENCES]
    assert verdicts[0] != verdicts[1]
    with streamlit_server() as url, chromium_page() as page:
        page.add_init_script(SENDS)
        page.goto(f"{url}/text?lang={LANG}&text=")
        wait_for_app(page)
        box = page.get_by_label(i18n.text(LANG, "text.input"))
        box.wait_for()
        page.evaluate(WATCH, label)
        for k in range(sentences + 1):
            box.fill("")
            page.wait_for_function("(label) => [...document.querySelectorAll('[data-testid=stMetric]')].some("
                                   "m => m.innerText.includes(label) && m.innerText.includes('—'))", arg=label)
            wait_for_app(page)
            page.evaluate("(v) => { window.__expect = v; window.__sent = undefined; }", verdicts[k % 2])
            box.press_sequentially(SENTENCES[k % 2], delay=KEY_DELAY_MS)
            page.wait_for_function("() => window.__expect === undefined", timeout=30_000)
            wait_for_app(page)
        shown, splits = page.evaluate("() => window.__shown")[1:], page.evaluate("() => window.__splits")[1:]
    return {"sentences": sentences, **summary(shown), "all_ms": [round(ms, 1) for ms in shown],
            "keystroke_to_sent": summary([a for a, _ in splits]), "sent_to_shown": summary([b for _, b in splits])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20)
    print(json.dumps(measure(parser.parse_args().sentences), indent=2))


if __name__ == "__main__":
    main()
