"""Play mode on /xor in a real browser: frames a second, and how fast Play and Pause answer, idle and while a
/digits-training run trains on the same server.

Starts `streamlit run app.py` on a free port, opens /xor with the 2-4-1 net in headless Chromium and presses the
view's Play (ui/components/xor_view/). Frames a second: the frames the view showed (its `data-frames` counter) over
`seconds`, in each of `repeats` runs; epochs a second from its epoch read-out. Then `cycles` presses of Play and
of Pause, each timed in the page from the click: to the painted frame that shows the button's new state
("answers"), to the first new frame after Play ("moves"), and to the server's answer (the view's next data says
playing or paused: the run is where the screen is, and the ledger follows). The server's CPU time over the frame
runs, and the browser's (Chromium and Playwright's driver), tell which holds the frame rate down: they share the
two cores.

    python bench/bench_xor_play.py [--seconds 10] [--repeats 3] [--cycles 10] [--no-training]
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
from bench.stats import summary  # noqa: E402
from dlplay import i18n  # noqa: E402
from dlplay.xor import play  # noqa: E402
from tests.browser.helpers import wait_for_app  # noqa: E402

SPEED = 50  # epochs per frame, the page's default
TRAINING = "/digits-training?lang=en&train_size=60000&epochs=3"  # a run of a few minutes, all of MNIST
# The view inside its shadow root, found again each time: a rerun may give Streamlit a new host element.
FIND_VIEW = """() => {
  for (const host of document.querySelectorAll('[data-testid=stBidiComponentIsolated]')) {
    const view = host.shadowRoot && host.shadowRoot.querySelector('.xor-view');
    if (view) return view;
  }
  return null;
}"""
# One press of Play or Pause, timed from the click in the page's own clock (ms).
PRESS = """async ([findView, timeout]) => {
  const find = eval(findView);
  const view = find();
  const was = view.dataset.playing, epoch = view.dataset.epoch, wanted = String(was !== 'true');
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const started = performance.now();
  view.querySelector('button.play').click();
  await frame();  // the first frame painted after the click
  const answered = find()?.dataset.playing === wanted ? performance.now() - started : null;
  let moved = null, server = null;
  while (performance.now() - started < timeout && (server === null || (wanted === 'true' && moved === null))) {
    await frame();
    const now = find();
    if (!now) continue;
    if (moved === null && wanted === 'true' && now.dataset.epoch !== epoch) moved = performance.now() - started;
    if (server === null && now.dataset.serverPlaying === wanted) server = performance.now() - started;
  }
  return {playing: wanted === 'true', answered, moved, server};
}"""


def view_number(page, name: str) -> float:
    return float(page.evaluate(f"(find => eval(find)().dataset.{name})", FIND_VIEW) or 0)


def start_training(browser, url: str) -> None:
    """A second visitor presses Train on /digits-training; returns once its curves are drawing."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(url + TRAINING)
    wait_for_app(page)
    page.get_by_role("button", name=i18n.text("en", "digits_training.train"), exact=True).click()
    page.wait_for_selector("[data-testid=stProgress]", timeout=120_000)
    page.wait_for_timeout(3000)  # past TensorFlow's start, into the batches


def measure_on(page, server, seconds: float, repeats: int, cycles: int) -> dict:
    """Frame rate and press times on an open /xor page."""
    rates, epoch_rates, cores, browser_cores, paint_ms = [], [], [], [], []
    for _ in range(repeats):
        page.locator(".xor-view button.play").click()
        page.wait_for_timeout(1500)  # let the first frames settle
        shown, epoch, start = view_number(page, "frames"), view_number(page, "epoch"), time.perf_counter()
        cpu, browser_cpu = server.cpu_seconds(), browser_cpu_seconds(server)
        page.wait_for_timeout(seconds * 1000)
        elapsed = time.perf_counter() - start
        rates.append((view_number(page, "frames") - shown) / elapsed)
        epoch_rates.append((view_number(page, "epoch") - epoch) / elapsed)
        cores.append((server.cpu_seconds() - cpu) / elapsed)
        browser_cores.append((browser_cpu_seconds(server) - browser_cpu) / elapsed)
        paint_ms.append(view_number(page, "paintMs"))
        page.locator(".xor-view button.play").click()
        page.wait_for_selector(".xor-view[data-server-playing=false]")
        wait_for_app(page)
    presses = []
    for _ in range(2 * cycles):
        presses.append(page.evaluate(PRESS, [FIND_VIEW, 15_000]))
        page.wait_for_timeout(1500)
    wait_for_app(page)
    of = lambda playing, key: [p[key] for p in presses if p["playing"] == playing and p[key] is not None]  # noqa: E731
    return {
        "frames_per_second": statistics.median(rates), "frames_per_second_each_run": rates,
        "epochs_per_second": statistics.median(epoch_rates),
        "server_cpu_cores": statistics.median(cores), "browser_cpu_cores": statistics.median(browser_cores),
        "paint_ms": statistics.median(paint_ms),
        "play_answers_ms": summary(of(True, "answered")), "play_moves_ms": summary(of(True, "moved")),
        "play_server_ms": summary(of(True, "server")), "pause_answers_ms": summary(of(False, "answered")),
        "pause_server_ms": summary(of(False, "server")),
        "unanswered": sum(p["answered"] is None for p in presses),
    }


def measure(seconds: float = 10.0, repeats: int = 3, cycles: int = 10, training: bool = True) -> dict:
    """`measure_on` idle, then (with `training`) while another visitor's /digits-training run trains.
    The idle figures are also given at the top level, under the names the summary reads."""
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS

    with streamlit_server() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{server.url}/xor?lang=en&model=mlp&epochs=100000")
            wait_for_app(page)
            idle = measure_on(page, server, seconds, repeats, cycles)
            busy = None
            if training:
                start_training(browser, server.url)
                busy = measure_on(page, server, seconds, repeats, cycles)
        finally:
            browser.close()
    return {**idle, "epochs_per_frame": SPEED, "fps_target": play.FRAMES_PER_SECOND, "idle": idle,
            "while_training": busy}


def describe(name: str, result: dict) -> str:
    ms = lambda s: f"median {s['median']:.0f} ms, p95 {s['p95']:.0f} ms (n={s['n']})" if s["n"] else "none"  # noqa: E731
    return (f"{name}: {result['frames_per_second']:.2f} frames/s median (each run: "
            f"{', '.join(f'{r:.2f}' for r in result['frames_per_second_each_run'])}), "
            f"{result['epochs_per_second']:.0f} epochs/s; CPU: server {result['server_cpu_cores']:.2f} cores, "
            f"browser {result['browser_cpu_cores']:.2f} cores; a frame's drawing {result['paint_ms']:.1f} ms (mean)\n"
            f"  Play → button shows Pause: {ms(result['play_answers_ms'])}\n"
            f"  Play → first new frame: {ms(result['play_moves_ms'])}\n"
            f"  Play → server playing: {ms(result['play_server_ms'])}\n"
            f"  Pause → button shows Play (animation stopped): {ms(result['pause_answers_ms'])}\n"
            f"  Pause → server paused at that frame: {ms(result['pause_server_ms'])}\n"
            f"  presses not answered by the next painted frame: {result['unanswered']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cycles", type=int, default=10, help="Play/Pause pairs timed")
    parser.add_argument("--no-training", action="store_true", help="skip the run with a /digits-training job")
    args = parser.parse_args()
    result = measure(args.seconds, args.repeats, args.cycles, training=not args.no_training)
    print(f"play mode at {SPEED} epochs a frame, the view showing up to {play.FRAMES_PER_SECOND} frames/s")
    print(describe("idle", result["idle"]))
    if result["while_training"]:
        print(describe("while a /digits-training run trains", result["while_training"]))


if __name__ == "__main__":
    main()
