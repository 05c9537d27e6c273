"""What the browser tests and the benchmarks share: a `streamlit run app.py` on a
free port, headless Debian Chromium, and the gestures and readings of our pages.

Chromium comes from Debian (`apt-get install -y chromium`, giving
/usr/bin/chromium); Playwright drives it, never downloading a browser of its own.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DLPLAY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60, poll: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(poll)
    raise TimeoutError(f"{url} not healthy after {timeout} s")


def spawn_streamlit(log=subprocess.DEVNULL, options=(), port: int | None = None) -> tuple[str, subprocess.Popen]:
    """Start `streamlit run app.py` on a free port (or `port`), loopback only: (its URL, the process).

    `options`: more Streamlit config options as "name=value" (the benchmarks try
    a setting this way before the app adopts it in .streamlit/config.toml). `port`: a server started again
    where the last one was, so that its pages reconnect."""
    port = port or free_port()
    extra = [arg for option in options for arg in ("--" + option.split("=", 1)[0], option.split("=", 1)[1])]
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", *extra],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    return f"http://127.0.0.1:{port}", process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def streamlit_server(log=subprocess.DEVNULL):
    """`streamlit run app.py` on a free port, healthy; yields its URL and stops it afterwards."""
    url, process = spawn_streamlit(log)
    try:
        wait_healthy(url, process)
        yield url
    finally:
        stop(process)


@contextlib.contextmanager
def chromium_page(width: int = 1400, height: int = 1000):
    """A page in headless Debian Chromium driven by Playwright (for the benchmarks; tests use the fixtures)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has connected and finished running the script, as Streamlit's own e2e tests do."""
    done = "[data-testid='stApp'][data-test-connection-state='CONNECTED'][data-test-script-state='notRunning']"
    page.wait_for_selector(done, timeout=timeout)
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=timeout)
    # Bounded on purpose: a second run (a bound widget correcting the URL) shows only by starting, so no condition
    # says "none is coming"; 200 ms is the span in which one starts, then the script state is read again.
    page.wait_for_timeout(200)
    page.wait_for_selector(done, timeout=timeout)


# The boxes of `selector`'s matches, in the document and in our components' shadow roots, compared with the last
# animation frame's; true once they have kept their size and place for `frames` frames in a row.
STILL = """([selector, frames, call]) => {
  const roots = [document, ...[...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]
    .map(host => host.shadowRoot).filter(Boolean)];
  const boxes = roots.flatMap(root => [...root.querySelectorAll(selector)]).map(element => {
    const r = element.getBoundingClientRect();
    return [r.x, r.y, r.width, r.height].map(Math.round).join(',');
  }).join(' ');
  const state = window.dlplayStill && window.dlplayStill.call === call
    ? window.dlplayStill : (window.dlplayStill = {call, boxes: null, same: 0});
  state.same = boxes === state.boxes ? state.same + 1 : 0;
  state.boxes = boxes;
  return boxes !== '' && state.same >= frames;
}"""
_still_calls = itertools.count()


def wait_until_still(page, selector: str = "[data-testid=stMain] [data-testid=stElementContainer]",
                     frames: int = 5, timeout: float | None = None) -> None:
    """Wait until the page has laid itself out: every match of `selector` (by default each element of the page;
    our components' shadow roots included) kept its box for `frames` animation frames in a row."""
    page.wait_for_function(STILL, arg=[selector, frames, next(_still_calls)], polling="raf", timeout=timeout)


def wait_for_charts(page, timeout: float | None = None) -> None:
    """Wait until every Plotly chart on the page has drawn its SVG."""
    page.wait_for_function(
        "[...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))", timeout=timeout)


@contextlib.contextmanager
def device_page(browser, app_url: str, **context_options):
    """A page in a browser context of its own (a phone's, a projector's: `context_options`, as for
    browser.new_context), opened at the home page first: a fresh server's first visitor of a lesson's address
    sees Streamlit's "Page not found"."""
    context = browser.new_context(**{"locale": "en-US", **context_options})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(app_url)
        wait_for_app(page)
        yield page
    finally:
        context.close()


def home_first(page, app_url: str):
    """`page` after a visit of the home page: a fresh server's first visitor of a lesson's address sees Streamlit's
    "Page not found"."""
    page.goto(app_url)
    wait_for_app(page)
    return page


def metric_value(page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has=page.get_by_text(label, exact=True))
    return metric.locator("[data-testid='stMetricValue']").inner_text()


def click(page, text):
    page.locator("[data-testid='stButton'] button", has_text=text).first.click()


def stroke(page, points, pause_ms: float = 0):
    """A mouse stroke through `points` (page pixels), waiting `pause_ms` after each move."""
    page.mouse.move(*points[0])
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*point, steps=4)
        if pause_ms:  # the gesture's own pace (a hand takes time), not a wait for the page: no condition to await
            page.wait_for_timeout(pause_ms)
    page.mouse.up()


DEVICE_EVENTS = {"touch": ("Input.dispatchTouchEvent", "touchStart", "touchMove", "touchEnd"),
                 "mouse": ("Input.dispatchMouseEvent", "mousePressed", "mouseMoved", "mouseReleased")}


def device_stroke(page, points, device: str = "touch", pause_ms: float = 0, cdp=None):
    """A stroke through `points` (page pixels) sent as the device itself would, through Chromium's DevTools
    protocol: "touch" a finger (the context needs has_touch; Playwright's touchscreen only taps), "mouse" a
    button pressed where the stroke starts, with no move before it to hover there."""
    cdp = cdp or page.context.new_cdp_session(page)
    method, *kinds = DEVICE_EVENTS[device]

    def send(kind, x, y):
        if device == "touch":
            cdp.send(method, {"type": kind, "touchPoints": [] if kind == "touchEnd" else [{"x": x, "y": y}]})
        else:
            cdp.send(method, {"type": kind, "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1})

    for kind, (x, y) in zip([kinds[0], *[kinds[1]] * (len(points) - 1)], points):
        send(kind, x, y)
        if pause_ms and kind == kinds[1]:  # the gesture's own pace, not a wait for the page: nothing to await
            page.wait_for_timeout(pause_ms)
    send(kinds[2], *points[-1])


def wait_for_prediction(page, lang, expected, timeout=60_000):
    """The /digits Prediction metric once it starts with `expected`."""
    from dlplay import i18n

    label = i18n.text(lang, "digits.prediction")
    page.wait_for_function(
        "([label, expected]) => [...document.querySelectorAll('[data-testid=stMetric]')]"
        ".some(m => m.innerText.includes(label) && m.querySelector('[data-testid=stMetricValue]')"
        ".innerText.trim().startsWith(expected))",
        arg=[label, expected], timeout=timeout,
    )
    return metric_value(page, label)


# A class, as its teacher and students meet it in Chromium (the class's browser tests and tests/school share these).
SHOWN_WITHIN_MS = 5_000  # the teacher's screen refreshes itself every 2 s


@contextlib.contextmanager
def class_server_in(folder: Path):
    """A server of its own whose database lives in `folder`/data (the environment it inherits), its log in
    `folder`/streamlit.log: yields its URL."""
    saved = {name: os.environ.get(name) for name in ("DLPLAY_DATA_DIR", "DLPLAY_DATABASE_URL")}
    os.environ["DLPLAY_DATA_DIR"] = str(folder / "data")
    os.environ.pop("DLPLAY_DATABASE_URL", None)
    try:
        with (folder / "streamlit.log").open("w") as log, streamlit_server(log) as url:
            yield url
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class People:
    """Chromium profiles on disk, one per person a test has at once (a teacher and three students: four), each a
    browser of its own: a teacher's key and a student's seat are cookies, so two people never share a profile.

    Streamlit's scripts are several MB: a page in a fresh browser context fetches and compiles them again, ~6 s of
    CPU for /xor (Chromium, server and driver, read from /proc), where a profile that loaded them before takes
    ~3.4 s, from its HTTP cache and V8's code cache on disk. Between tests a profile forgets its person (`forget`):
    its tabs, cookies and the storage of every origin it visited.
    """

    def __init__(self, playwright, folder: Path):
        self.playwright, self.folder = playwright, folder
        self.profiles: list = []  # (its kind, the profile)
        self.in_use: list = []
        self.origins: dict = {}  # profile -> the origins its tabs went to since it was last forgotten

    def page(self, width: int = 1400, height: int = 1000, timeout: float = 60_000, viewport: dict | None = None,
             **kind):
        """A tab in a profile no other person of this test has, `width` x `height` (or `viewport`). `kind`: what a
        browser context is made with and a tab cannot change (locale, default "en-US"; is_mobile, has_touch and
        device_scale_factor for a phone)."""
        width, height = (viewport["width"], viewport["height"]) if viewport else (width, height)
        kind = {"locale": "en-US", **kind}
        free = [profile for made, profile in self.profiles if made == kind and profile not in self.in_use]
        profile = free[0] if free else self._launch(kind)
        self.in_use.append(profile)
        page = profile.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.set_default_timeout(timeout)
        return page

    def _launch(self, kind: dict):
        profile = self.playwright.chromium.launch_persistent_context(
            self.folder / f"person-{len(self.profiles)}", executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000}, **kind)
        origins = self.origins[profile] = set()

        def seen(frame):
            if frame.parent_frame is None and frame.url.startswith("http"):
                origins.add("/".join(frame.url.split("/", 3)[:3]))

        profile.on("page", lambda page: page.on("framenavigated", seen))
        for page in profile.pages:  # the blank tab it opens with
            page.close()
        self.profiles.append((kind, profile))
        return profile

    def forget(self) -> None:
        """Every person of the test gone: their tabs closed, their cookies and storage cleared (not the cache)."""
        for profile in self.in_use:
            tab = profile.pages[0] if profile.pages else profile.new_page()
            cdp = profile.new_cdp_session(tab)
            for origin in self.origins[profile]:
                cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": STORAGE})
            self.origins[profile].clear()
            profile.clear_cookies()
            for page in profile.pages:
                page.close()
        self.in_use.clear()

    def close(self) -> None:
        for _, profile in self.profiles:
            profile.close()


# Everything a site may keep in a browser but the HTTP cache (CDP's Storage.StorageType).
STORAGE = "cookies,local_storage,indexeddb,websql,file_systems,service_workers,cache_storage,shared_storage"


def join(page, nickname: str, lang: str = "en") -> None:
    """On a lesson page opened from the class link: the nickname, Join, and the badge appears."""
    import re

    from dlplay import i18n

    page.get_by_role("textbox", name=i18n.text(lang, "classroom.join.nickname")).fill(nickname)
    page.get_by_role("button", name=i18n.text(lang, "classroom.join.go")).click()
    page.locator(".st-key-class_badge").get_by_text(re.compile(rf"· {re.escape(nickname)} ·")).wait_for()
    wait_for_app(page)


def shown_on(teacher, text: str, timeout: float = SHOWN_WITHIN_MS) -> None:
    """`text` appears on the teacher's screen (tables included: their cells are in the grid's accessible copy)."""
    teacher.wait_for_function("text => document.querySelector('[data-testid=stMain]').textContent.includes(text)",
                              arg=text, timeout=timeout)
