"""A class arriving at a freshly started server: 32 visitors open lessons in its first 8 seconds, in both
languages, and none of them sees the app's error notice, even for a moment; the server logs no traceback.

The race this guards against: pandas is first imported either by the start-up warm-up (ui.server._warm, in a
thread, `WARM_AFTER` s after the start) or by a visitor's page that uses it (/xor, /text). A page drawing a Plotly
chart meanwhile found it half imported (Plotly's validators look pandas up in sys.modules without importing it):
"partially initialized module 'pandas' has no attribute 'Series'", and its visitor saw "Something went wrong".
ui.charts.graph_objects makes every figure wait for such an import to finish.

The visitors come staggered on purpose (the stagger is the point of the test):
- at the bell, two on /activations (four charts a run) who, once their session is open, keep asking for the page
  again (Streamlit's R key, every 0.25 s) until 8 s after the start: /activations draws its charts all through the
  seconds in which pandas is first imported, whenever that comes;
- the class, one every 0.23 s from 1 s on, through every page, the Plotly lessons first, every fourth in Chinese.

One 2-core machine runs all 32 browsers, where a class has a device each: a tab takes ~0.5 s of a core to open
its session and 1.5-3 s to show /activations, so when a first run reaches the server depends on the load, by
seconds, while the first import of pandas lasts ~0.3 s on a server that is not busy. Against the code before
the fix, visitors who only opened pages, however many came around WARM_AFTER, met the race in 1 or 2 runs of 5
(more tabs only load slower); with the two who rerun and the measures below, in 11 runs of 12. So:
- the two at the bell have a browser of their own; the class's browser yields the processor to it and to the
  server (nice 19, its tabs with it);
- the browsers' cache is filled first (Streamlit's scripts, several MB: the same files), from a server started
  earlier on the same port; each visitor still asks the fresh server for its page and opens a session of its own,
  in a tab of its own;
- the tabs do not draw charts or code: Plotly's and the code highlighter's scripts are refused them (Chromium's
  own blocking, which keeps the cache; Playwright's routing would switch it off). The server builds and sends every
  chart all the same, and the race is there; drawing them was ~1.5 s and ~0.6 s of a core per /activations tab;
- a tab closes as soon as its visitor has been read.
The summary printed (and shown on failure) gives, per visitor, when it asked, when the server answered its page,
when its session opened and when its run was done.

Playwright's async API holds the schedule: a visitor's address is asked for at its time whatever the others are
doing. It runs in a thread of its own, apart from the sync Playwright of the session's other browser tests.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from dlplay import i18n

from .helpers import CHROMIUM, CHROMIUM_ARGS, free_port, spawn_streamlit, stop, wait_healthy

pytestmark = pytest.mark.slow

SPAN = 8.0  # seconds after the server is healthy in which the visitors come
RERUNNING = 2  # visitors at the bell who keep asking /activations again for the first SPAN s
PAGES = ["/activations", "/xor", "/", "/class", "/digits", "/text", "/digits-training"]
UNDRAWN = ["*/static/js/PlotlyChart.*", "*/static/js/StreamlitSyntaxHighlighter.*"]  # see the module's docstring
NOTICES = [i18n.text(lang, "app.error", error="")[:12] for lang in i18n.LANGUAGES]
TIMEOUT = 150_000  # ms for one visitor's page: generous, for a 2-core machine other tests share
# Every error notice a page shows, even for a moment (a visitor who reruns may have it replaced by the next run).
WATCH = """notices => {
  window.dlplayNotices = [];
  new MutationObserver(() => {
    const text = document.body ? document.body.textContent : '';
    for (const notice of notices) {
      const at = text.indexOf(notice);
      if (at >= 0 && !window.dlplayNotices.includes(text.slice(at, at + 80))) {
        window.dlplayNotices.push(text.slice(at, at + 80));
      }
    }
  }).observe(document, {childList: true, subtree: true, characterData: true});
}"""
# helpers.wait_for_app's conditions, for Playwright's async API.
CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
DONE = CONNECTED + "[data-test-script-state='notRunning']"
HEADING = "[data-testid='stMainBlockContainer'] h1"


def schedule() -> list[tuple[float, str]]:
    """(seconds after healthy, address) of each visitor, as the module's docstring says (the first RERUNNING
    rerun); every fourth visitor reads Chinese."""
    visits = [(0.0, "/activations")] * RERUNNING
    visits += [(1.0 + i * 0.23, PAGES[i % len(PAGES)]) for i in range(30)]
    return [(at, f"{address}?lang={'zh' if i % 4 == 1 else 'en'}") for i, (at, address) in enumerate(visits)]


async def wait_for_app(page) -> None:
    """helpers.wait_for_app: connected, the script run finished, a heading; again after the span in which a
    second run (a widget correcting the URL) would start."""
    await page.wait_for_selector(DONE, timeout=TIMEOUT)
    await page.wait_for_selector(HEADING, timeout=TIMEOUT)
    await page.wait_for_timeout(200)
    await page.wait_for_selector(DONE, timeout=TIMEOUT)


async def tab(context):
    """A visitor's tab, blank until its time; it draws no charts or code (UNDRAWN)."""
    page = await context.new_page()
    await page.add_init_script(f"({WATCH})({json.dumps(NOTICES)})")
    devtools = await context.new_cdp_session(page)
    await devtools.send("Network.enable")
    await devtools.send("Network.setBlockedURLs", {"urls": UNDRAWN})
    return page


async def visit(page, url: str, at: float, start: float, reruns: bool = False) -> dict:
    """One visitor: opens `url` `at` s after `start` (and if it `reruns`, asks for the page again every 0.25 s
    until SPAN s after `start`), waits for the app's run, reads what the page says."""
    from playwright.async_api import Error as PlaywrightError

    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, start + at - loop.time()))  # the stagger itself
    seen = {"address": url.split("/", 3)[-1], "asked": loop.time() - start, "answered": None, "session": None,
            "problem": None, "reruns": 0}
    page.on("websocket", lambda _: seen.update(session=seen["session"] or loop.time() - start))
    try:
        await page.goto(url, wait_until="commit", timeout=TIMEOUT)
        seen["answered"] = loop.time() - start
        if reruns:
            await page.wait_for_selector(CONNECTED, timeout=TIMEOUT)
        while reruns:
            await page.keyboard.press("r")  # Streamlit's "rerun", whether or not the last run is over
            seen["reruns"] += 1
            if loop.time() - start > SPAN:
                break
            await page.wait_for_timeout(250)  # the pace of the asking, not a wait for the page
        await wait_for_app(page)
    except PlaywrightError as error:
        seen["problem"] = f"never finished its run ({str(error).splitlines()[0]})"
    seen["ready"] = loop.time() - start
    text = await page.locator("body").inner_text()
    shown = [text[text.index(n):][:80] for n in NOTICES if n in text] + await page.evaluate("window.dlplayNotices")
    if shown:
        seen["problem"] = f"error notice: {shown[0]!r}"
    # Streamlit's own dialog for an address it could not resolve on a fresh server is not our error notice (see
    # helpers.device_page); it is reported here, and test_first_visit_browser is the test that fails on it.
    seen["not found"] = "Page not found" in text
    await page.close()  # a visitor read leaves the machine to the others
    return seen


def spawn(log, data: Path, port: int):
    os.environ["DLPLAY_DATA_DIR"] = str(data)  # the test's monkeypatch puts it back
    return spawn_streamlit(log, port=port)


async def a_class_arrives(tmp_path: Path) -> list[dict]:
    from playwright.async_api import async_playwright

    visits = schedule()
    port = free_port()
    # The class's browser yields the processor (nice 19, its tabs with it) to the server and to the browser of the
    # visitors at the bell: on a real class each device has its own.
    yielding = tmp_path / "chromium-yielding"
    yielding.write_text(f'#!/bin/sh\nexec nice -n 19 "{CHROMIUM}" "$@"\n' if shutil.which("nice") else
                        f'#!/bin/sh\nexec "{CHROMIUM}" "$@"\n')
    yielding.chmod(0o755)
    async with async_playwright() as playwright:
        browsers = [await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
                    for executable in (CHROMIUM, str(yielding))]
        try:
            contexts = [await browser.new_context(viewport={"width": 1200, "height": 900}) for browser in browsers]
            # Fill the browsers' cache: the same scripts, from a server of their own on the same port.
            with (tmp_path / "earlier.log").open("w") as log:
                url, earlier = spawn(log, tmp_path / "earlier-data", port)
                try:
                    await asyncio.to_thread(wait_healthy, url, earlier, 60, 0.05)

                    async def fill(context):
                        page = await tab(context)
                        await page.goto(f"{url}/activations", timeout=TIMEOUT)
                        await wait_for_app(page)
                        await page.close()

                    await asyncio.gather(*(fill(context) for context in contexts))
                finally:
                    stop(earlier)
            pages = await asyncio.gather(*(tab(contexts[i >= RERUNNING]) for i in range(len(visits))))
            with (tmp_path / "streamlit.log").open("w") as log:
                url, process = spawn(log, tmp_path / "data", port)
                try:
                    await asyncio.to_thread(wait_healthy, url, process, 60, 0.05)
                    start = asyncio.get_running_loop().time()
                    return await asyncio.gather(*(visit(page, url + address, at, start, i < RERUNNING)
                                                  for i, (page, (at, address)) in enumerate(zip(pages, visits))))
                finally:
                    stop(process)
        finally:
            for browser in browsers:
                await browser.close()


def test_a_class_arriving_at_a_fresh_server_sees_no_error(tmp_path, monkeypatch):
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with `sudo apt-get install -y chromium`")
    pytest.importorskip("playwright.async_api")
    monkeypatch.setenv("DLPLAY_DATA_DIR", str(tmp_path / "data"))  # fresh data folders, not ~/.local
    monkeypatch.delenv("DLPLAY_DATABASE_URL", raising=False)
    visits = schedule()
    assert len(visits) >= 30 and max(at for at, _ in visits) < SPAN
    assert {address.split("?")[0] for _, address in visits} == set(PAGES)
    assert {address.rsplit("=", 1)[1] for _, address in visits} == set(i18n.LANGUAGES)
    began = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        seen = thread.submit(asyncio.run, a_class_arrives(tmp_path)).result()
    logged = (tmp_path / "streamlit.log").read_text()

    def at(seconds):
        return "   - " if seconds is None else f"{seconds:5.1f}"

    summary = "\n".join(
        f"asked {s['asked']:4.1f} s, page {at(s['answered'])} s, session {at(s['session'])} s, "
        f"done {at(s['ready'])} s  {s['address']:<26} {'Page not found ' if s['not found'] else ''}"
        f"{str(s['reruns']) + ' reruns asked, ' if s['reruns'] else ''}{s['problem'] or 'ok'}" for s in seen)
    print(f"{len(seen)} visitors, {time.monotonic() - began:.0f} s in all\n{summary}")
    assert all(s["asked"] < SPAN + 1 for s in seen), summary  # the schedule was held, give or take a busy second
    failed = [s for s in seen if s["problem"]]
    assert not failed, f"{len(failed)} of {len(seen)} visitors met a problem:\n{summary}\n\n{logged[-3000:]}"
    assert "Traceback" not in logged, f"{summary}\n\n{logged[-3000:]}"
