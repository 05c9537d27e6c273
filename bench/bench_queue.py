"""Ten trainers at once on /digits-training: how stale can a waiting tab's place in line get?

All press Train within a second; two jobs train, the others wait in line and
follow the page's live fragment: the server asks for an auto rerun every
second and the client sends one. Two kinds of client:

- `chromium` (the default): one headless Chromium context per trainer, all on
  this machine, as a tester opening ten tabs does. The browsers share the
  server's cores, so this is the harder case.
- `light`: bench_class.py's light clients (Streamlit's websocket protocol, the
  messages a real Chromium sent when it pressed Train), each sending the next
  auto rerun once the previous one has answered: the server alone, as in a
  class where every student has their own computer.

A waiting tab shows the place it read in its last answer. That place is at
most as old as the time from the request behind that answer to the next
answer, so per tab the worst age is max(answer[k+1] - request[k]) over the
answers that showed a place (the target: never more than 3 s). Also checked:
the places a tab sees never go up, and each tab's wait ends (it trains).

    .venv/bin/python -m bench.bench_queue [--clients chromium|light] [--trainers 10] [--train-size 10000] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from bench import machine  # noqa: E402
from bench.bench_class import DONE, LANG, LightClient, Recording, VisitorError, record_training  # noqa: E402
from bench.server import streamlit_server  # noqa: E402
from bench.stats import summary  # noqa: E402
from dlplay import i18n  # noqa: E402
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, chromium_page, wait_for_app  # noqa: E402

TARGET_S = 3.0
PLACE = re.compile(re.escape(i18n.text(LANG, "digits_training.queue.place")).replace(r"\{place\}", r"(\d+)")
                   .replace(r"\{running\}", r"\d+").replace(r"\{waiting\}", r"\d+"))


class Answers:
    """One tab's fragment answers: (its request sent, answered, the place shown: 0 once it trains)."""

    def __init__(self):
        self.rows: list[tuple[float, float, int]] = []
        self.trained, self.error = False, None
        self.pressed: float | None = None  # when Train was pressed
        self._asked: float | None = None  # the earliest request not answered yet
        self._text: str | None = None

    def asked(self) -> None:
        if self._asked is None:
            self._asked = time.perf_counter()

    def received(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            if message.delta.new_element.WhichOneof("type") == "progress":
                self._text = message.delta.new_element.progress.text
        elif kind == "script_finished" and message.script_finished in DONE and self._asked is not None:
            place = PLACE.search(self._text or "")
            self.rows.append((self._asked, time.perf_counter(), int(place[1]) if place else 0))
            self.trained = self.trained or bool(self._text and not place)
            self._asked = self._text = None


async def light_trainer(url: str, recording: Recording, query: str, start: asyncio.Event, end: float,
                        timeout: float) -> Answers:
    """One student on a light client: open the page, press Train with the others, follow the fragment."""
    client, tab = LightClient(url, "/digits-training", timeout), Answers()

    async def run(frame: bytes, follow: bool = True) -> None:
        await client.send(frame)
        if follow:
            tab.asked()
        deadline = time.perf_counter() + timeout
        while True:
            message = await client.receive(deadline)
            if follow:
                tab.received(message)
            if message.WhichOneof("type") == "script_finished" and message.script_finished in DONE:
                return

    try:
        await client.connect()
        await run(with_query(recording.open_page, query), follow=False)
        await start.wait()
        tab.pressed = time.perf_counter()
        await run(with_query(recording.actions[0][1], query), follow=False)
        while time.perf_counter() < end and client.auto_reruns and not tab.trained:
            fragment_id, every = next(iter(client.auto_reruns.items()))
            due = (tab.rows[-1][1] if tab.rows else time.perf_counter()) + every
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            await run(client.auto_rerun_frame(fragment_id))
    except VisitorError as error:
        tab.error = str(error)
    finally:
        with contextlib.suppress(Exception):
            await client.close()
    return tab


def with_query(frame: bytes, query: str) -> bytes:
    """A recorded message as if the page had been opened with `query` (only the first run reads the link)."""
    message = BackMsg()
    message.ParseFromString(frame)
    message.rerun_script.query_string = query
    return message.SerializeToString()


def light_clients(url: str, trainers: int, query: str, seconds: float, timeout: float = 60.0) -> list[Answers]:
    recording = record_training(url)
    if isinstance(recording, str):
        raise RuntimeError(recording)

    async def hold() -> list[Answers]:
        start, end = asyncio.Event(), time.perf_counter() + seconds
        tasks = [asyncio.create_task(light_trainer(url, recording, query, start, end, timeout))
                 for _ in range(trainers)]
        await asyncio.sleep(5)  # every tab open before anyone presses Train
        start.set()
        return await asyncio.gather(*tasks)

    return asyncio.run(hold())


def chromium_tabs(url: str, trainers: int, query: str, seconds: float) -> list[Answers]:
    """`trainers` Chromium contexts on this machine; each tab's websocket frames are read as they pass."""
    from playwright.sync_api import sync_playwright

    tabs = [Answers() for _ in range(trainers)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = []
            for tab in tabs:
                page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
                page.on("websocket", lambda ws, tab=tab: _listen(ws, tab))
                page.goto(f"{url}/digits-training?{query}")
                wait_for_app(page)
                pages.append(page)
            label = i18n.text(LANG, "digits_training.train")
            for page, tab in zip(pages, tabs):
                tab.pressed = time.perf_counter()
                page.get_by_role("button", name=label, exact=True).click(no_wait_after=True)
            end = time.perf_counter() + seconds
            while time.perf_counter() < end and not all(tab.trained for tab in tabs):
                pages[0].wait_for_timeout(250)  # lets Playwright deliver the frames
        finally:
            browser.close()
    return tabs


def _listen(ws, tab: Answers) -> None:
    def sent(payload) -> None:
        message = BackMsg()
        with contextlib.suppress(Exception):
            message.ParseFromString(bytes(payload))
            if message.WhichOneof("type") == "rerun_script" and message.rerun_script.fragment_id:
                tab.asked()

    def received(payload) -> None:
        message = ForwardMsg()
        with contextlib.suppress(Exception):
            message.ParseFromString(bytes(payload))
            tab.received(message)

    ws.on("framesent", sent)
    ws.on("framereceived", received)


def staleness(rows: list[tuple[float, float, int]]) -> list[float]:
    """For each answer that showed a place in line, how old that place got before the next answer replaced it."""
    return [later[1] - earlier[0] for earlier, later in zip(rows, rows[1:]) if earlier[2] > 0]


def worst_at(tab: Answers) -> float | None:
    """When a tab's stalest place was asked for, in seconds after its Train press: at the first
    training's start (TensorFlow loading) or later, when one job hands over to the next."""
    pairs = [(later[1] - earlier[0], earlier[0]) for earlier, later in zip(tab.rows, tab.rows[1:]) if earlier[2] > 0]
    return round(max(pairs)[1] - tab.pressed, 1) if pairs and tab.pressed is not None else None


def measure(clients: str = "chromium", trainers: int = 10, train_size: int = 10_000, seconds: float = 600) -> dict:
    """Start a server and let `trainers` clients press Train at once; every figure as one dict."""
    query = f"lang={LANG}&train_size={train_size}"
    with streamlit_server() as server:
        with chromium_page() as page:  # a fresh server's first visitor to a page gets a "Page not found" dialog
            page.goto(server.url)
            wait_for_app(page)
        load_before, started = machine.load(), time.perf_counter()
        follow = chromium_tabs if clients == "chromium" else light_clients
        tabs = follow(server.url, trainers, query, seconds)
        wall = time.perf_counter() - started
    ages = [age for tab in tabs for age in staleness(tab.rows)]
    waits = [next((row[1] for row in tab.rows if row[2] == 0), math.nan) - tab.pressed for tab in tabs if tab.rows]
    return {
        "clients": clients, "trainers": trainers, "train_size": train_size, "wall_s": wall, "target_s": TARGET_S,
        "staleness_s": summary(ages), "worst_by_tab_s": [max(staleness(tab.rows), default=0.0) for tab in tabs],
        "worst_at_s": [worst_at(tab) for tab in tabs],
        "press_to_first_answer_s": summary([tab.rows[0][1] - tab.pressed for tab in tabs if tab.rows]),
        "places_seen": [sorted({row[2] for row in tab.rows}, reverse=True) for tab in tabs],
        "places_never_rose": all(all(b[2] <= a[2] for a, b in zip(tab.rows, tab.rows[1:])) for tab in tabs),
        "tabs_trained": sum(tab.trained for tab in tabs), "longest_wait_s": max(waits, default=0.0),
        "errors": [tab.error for tab in tabs if tab.error],
        "load_before": load_before, "load_after": machine.load(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", choices=("chromium", "light"), default="chromium")
    parser.add_argument("--trainers", type=int, default=10)
    parser.add_argument("--train-size", type=int, default=10_000, help="images each run trains on (1 epoch)")
    parser.add_argument("--seconds", type=float, default=600, help="give up on the line after this long")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.clients, args.trainers, args.train_size, args.seconds)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    s = result["staleness_s"]
    print(f"{args.trainers} trainers ({args.clients}), {args.train_size:,} images each: "
          f"{result['tabs_trained']}/{args.trainers} trained, errors {result['errors'] or 'none'}; "
          f"a waiting tab's place at most {s.get('max', math.nan):.2f} s old (p95 {s.get('p95', math.nan):.2f} s, "
          f"{s['n']} answers; target <= {TARGET_S:g} s); Train to the first answer at most "
          f"{result['press_to_first_answer_s'].get('max', math.nan):.1f} s; "
          f"places never rose: {result['places_never_rose']}; "
          f"longest wait {result['longest_wait_s']:.0f} s; load {result['load_before'][0]:.1f} -> "
          f"{result['load_after'][0]:.1f}")


if __name__ == "__main__":
    main()
