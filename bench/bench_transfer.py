"""Bytes transferred: what one visit to /digits and to /activations costs the classroom's Wi-Fi, in Chromium.

Thirty students joining at the bell share one access point, so what counts is the bytes on the wire. Chromium
reports them through its DevTools protocol: each HTTP response's `Network.loadingFinished` carries
`encodedDataLength`, the bytes received for it (headers and body, compressed as sent; 0 for what came from the
browser's cache). The websocket's frames (`Network.webSocketFrameSent` / `Received`) carry their payloads,
which Chromium shows unmasked and decoded; Streamlit leaves the websocket uncompressed
(`server.enableWebsocketCompression` is off), so payload plus each frame's RFC 6455 header (2 to 14 bytes) is
what went over the wire. TCP/IP and TLS overheads are not counted (the server speaks plain HTTP on the LAN).

A first visit is a fresh browser context (an empty cache, as a student's first scan of the QR code); the second
visit opens the same address in a new tab of that context after the first tab is closed, its cache warm. A visit
is over once the page is rendered (`wait_for_app`), its charts drawn, and no HTTP request has started or ended for
`QUIET_S` (a page fetches some of Streamlit's scripts only when it draws what needs them). Each visit is repeated
`repeats` times against one server, warmed up by an untimed visit to home first; the figures are the medians.

With `compressed=False` (`--plain`) the server runs without ui.compression's middleware, taken out in the server
process as it starts (the app has no switch for it): Streamlit as it serves itself, for comparison.

    .venv/bin/python -m bench.bench_transfer [--repeats 3] [--plain] [--json]   (from the checkout)
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.browser import helpers  # noqa: E402
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, wait_for_app, wait_for_charts  # noqa: E402

PAGES = {"digits": "/digits?lang=en", "activations": "/activations?lang=en"}
QUIET_S = 2.0  # no HTTP request started or finished for this long: the page has fetched what it needs
MB = 1e6  # decimal megabytes, as a network's speed is quoted
# `streamlit run` with app.py's st.App given no middleware: ui.compression.middleware replaced before app.py imports it.
WITHOUT_COMPRESSION = ("import sys, ui.compression; ui.compression.middleware = list; "
                       "from streamlit.web.cli import main; sys.argv[0] = 'streamlit'; main()")


def frame_header_bytes(payload: int, masked: bool) -> int:
    """RFC 6455: 2 bytes, 2 or 8 more for a payload's length over 125 or 65,535 bytes, 4 for a client's mask."""
    return 2 + (0 if payload <= 125 else 2 if payload <= 0xFFFF else 8) + (4 if masked else 0)


class Traffic:
    """What one tab sends and receives, from the DevTools protocol's Network events."""

    def __init__(self, page):
        self.responses: dict[str, dict] = {}  # request id → what the response was
        self.http_bytes = 0
        self.websocket = Counter()
        self.last_event = time.perf_counter()
        cdp = page.context.new_cdp_session(page)
        for event, handler in (("Network.requestWillBeSent", self._started),
                               ("Network.responseReceived", self._response),
                               ("Network.loadingFinished", self._finished), ("Network.loadingFailed", self._started),
                               ("Network.webSocketFrameSent", self._frame_sent),
                               ("Network.webSocketFrameReceived", self._frame_received)):
            cdp.on(event, handler)
        cdp.send("Network.enable")

    def _started(self, _event: dict) -> None:
        self.last_event = time.perf_counter()

    def _response(self, event: dict) -> None:
        headers = {name.lower(): value for name, value in event["response"]["headers"].items()}
        self.responses[event["requestId"]] = {"url": event["response"]["url"], "type": event["type"],
                                              "encoding": headers.get("content-encoding", ""),
                                              "cache_control": headers.get("cache-control", "")}

    def _finished(self, event: dict) -> None:
        self.last_event = time.perf_counter()
        self.http_bytes += event["encodedDataLength"]
        if event["requestId"] in self.responses:
            self.responses[event["requestId"]]["bytes"] = event["encodedDataLength"]

    def _frame(self, event: dict, direction: str, masked: bool) -> None:
        frame = event["response"]
        payload = len(base64.b64decode(frame["payloadData"]) if frame["opcode"] == 2 else
                      frame["payloadData"].encode())
        self.websocket[direction] += payload + frame_header_bytes(payload, masked)
        self.websocket[f"{direction}_frames"] += 1

    def _frame_sent(self, event: dict) -> None:
        self._frame(event, "sent", masked=True)

    def _frame_received(self, event: dict) -> None:
        self._frame(event, "received", masked=False)

    def wait_quiet(self, page, quiet_s: float = QUIET_S, timeout_s: float = 30) -> None:
        """Until no HTTP request has started or finished for `quiet_s` (bounded: the page fetches what it draws,
        and no event says it has drawn everything)."""
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() - self.last_event < quiet_s and time.perf_counter() < deadline:
            page.wait_for_timeout(100)  # lets Playwright deliver the events meanwhile

    def summary(self) -> dict:
        """Bytes over HTTP and the websocket, the requests that went to the network, and the biggest of them."""
        fetched = [r for r in self.responses.values() if r.get("bytes", 0) > 0]
        by_type = Counter()
        for response in fetched:
            by_type[response["type"]] += response["bytes"]
        websocket = self.websocket["sent"] + self.websocket["received"]
        return {"total_bytes": self.http_bytes + websocket, "http_bytes": self.http_bytes, "websocket_bytes": websocket,
                "websocket": dict(self.websocket), "requests": len(self.responses), "from_network": len(fetched),
                "gzip_bytes": sum(r["bytes"] for r in fetched if r["encoding"]),
                "by_type": dict(by_type.most_common()),
                "biggest": [{"path": r["url"].split("//", 1)[-1].split("/", 1)[-1], **{k: r[k] for k in
                             ("bytes", "encoding", "cache_control")}}
                            for r in sorted(fetched, key=lambda r: -r["bytes"])[:5]]}


def visit(context, url: str) -> dict:
    """Open `url` in a new tab of `context`, wait until it is rendered and quiet, close it: its traffic."""
    page = context.new_page()
    try:
        traffic = Traffic(page)
        page.goto(url, timeout=120_000)
        wait_for_app(page, timeout=120_000)
        wait_for_charts(page, timeout=60_000)
        traffic.wait_quiet(page)
        return traffic.summary()
    finally:
        page.close()


@contextlib.contextmanager
def app_server(compressed: bool = True):
    """The tests' `streamlit run app.py` (its URL), or the same without ui.compression's middleware."""
    if compressed:
        with helpers.streamlit_server() as url:
            yield url
        return
    port = helpers.free_port()  # helpers.spawn_streamlit's command, through WITHOUT_COMPRESSION
    url, process = f"http://127.0.0.1:{port}", subprocess.Popen(
        [sys.executable, "-c", WITHOUT_COMPRESSION, "run", str(helpers.ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=helpers.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        helpers.wait_healthy(url, process)
        yield url
    finally:
        helpers.stop(process)


def measure(repeats: int = 3, compressed: bool = True) -> dict:
    """`repeats` first and second visits of each page against one server: every visit and the medians (MB)."""
    from playwright.sync_api import sync_playwright

    runs: dict[str, list[dict]] = {name: [] for name in PAGES}
    with app_server(compressed) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            warm_up = browser.new_context(locale="en-US")
            visit(warm_up, f"{url}/?lang=en")  # the server's own first run, not a student's bytes
            warm_up.close()
            for _ in range(repeats):
                for name, path in PAGES.items():
                    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
                    try:
                        runs[name].append({"first": visit(context, url + path), "second": visit(context, url + path)})
                    finally:
                        context.close()
        finally:
            browser.close()
    median = {name: {f"{when}_{what}_mb": statistics.median(run[when][f"{what}_bytes"] for run in page_runs) / MB
                     for when in ("first", "second") for what in ("total", "http", "websocket", "gzip")}
              for name, page_runs in runs.items()}
    return {"runs": runs, "median": median}


def describe(result: dict) -> str:
    """A line per page and visit: the medians, then the biggest responses of the last first visit."""
    lines = []
    for name, m in result["median"].items():
        for when in ("first", "second"):
            lines.append(f"/{name} {when} visit: {m[f'{when}_total_mb']:.2f} MB (HTTP {m[f'{when}_http_mb']:.2f} MB, "
                         f"of it gzip-encoded {m[f'{when}_gzip_mb']:.2f} MB; websocket "
                         f"{m[f'{when}_websocket_mb']:.3f} MB), median of {len(result['runs'][name])}")
        last = result["runs"][name][-1]["first"]
        lines += [f"    {b['bytes'] / MB:.3f} MB {b['path']} [{b['encoding'] or 'identity'}; {b['cache_control']}]"
                  for b in last["biggest"]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--plain", action="store_true", help="without ui.compression's middleware")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.repeats, compressed=not args.plain)
    print(json.dumps(result, indent=2) if args.json else describe(result))


if __name__ == "__main__":
    main()
