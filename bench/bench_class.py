"""A class on one laptop: N visitors drawing digits on /digits at once, through Streamlit's own protocol.

Thirty Playwright browsers would eat this laptop's two cores themselves and
measure Chromium, not the server. So each visitor here is a light client that
speaks what the browser speaks: it loads the page (which sets Streamlit's
XSRF cookie), opens the websocket `/_stcore/stream` with the browser's
subprotocol ("streamlit", then that token) and Origin, and sends protobuf
`BackMsg`s, reading `ForwardMsg`s back (both from `streamlit.proto`).

What it sends is not made up: headless Chromium opens /digits once and draws
a "1" and a "0" at a hand's pace (the strokes of bench_digits_browser.py), and
the exact `rerun_script` messages the browser sent are recorded with their
times: the page script hash, the reading fragment's id, every widget's state
with the drawing pad's value (its strokes, and whether the pen is still
down). Each visitor then opens /digits with the browser's own first message
(a full run), and every 3–5 s (jittered, never before its previous drawing's
answer is in) draws one of the two, alternating, as a one-second stroke, by
the pad's own rules: while the pen moves it sends the drawing as it is then,
150 ms after its last send and once that was read, 60 ms after the reading
arrived; when the pen lifts, the whole drawing at once. It reads what comes
back meanwhile.

Per drawing it times, from the pen-up's send: the Prediction metric of the
run that answers it (the first after it that reruns the reading and the
steps together: the page asks for both when the pen lifts, only the reading
while it moves), and that run's `script_finished`; the prediction must be
the digit drawn. It then fetches the images the runs
placed under /media, as a browser does. The light client leaves out what only
a browser pays: rendering (bench_digits_browser.py measures it) and fetching
the static files.

Errors: an exception element or an error message (the app turns exceptions
into `st.error`) in any delta, a wrong or missing prediction, a run that does
not finish within the timeout, a disconnect, a failed connect or media
fetch. Any error ends that visitor (its connection's state is then unknown)
and is counted.

Memory: the resident set of the server process and its children, sampled
twice a second; and the server's CPU time over the class.

`--trainers N` adds N visitors who open /digits-training and press its Train
button (recorded the same way, but held back from the server so recording
trains nothing), then follow the page's live updates as the browser does
(a `run_every` fragment: the server asks for auto reruns, the client sends
them). Until that page exists this reports "not available".

    .venv/bin/python -m bench.bench_class [--visitors 30] [--seconds 120] [--trainers 0] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import http.cookiejar
import json
import math
import random
import re
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import ConnectionClosed, WebSocketException  # noqa: E402

from bench import machine  # noqa: E402
from bench.bench_digits_browser import PAUSE_MS, one, zero  # noqa: E402
from bench.server import Server, streamlit_server  # noqa: E402
from bench.stats import summary  # noqa: E402
from dlplay import i18n  # noqa: E402
from tests.browser.helpers import chromium_page, stroke, wait_for_app, wait_for_prediction  # noqa: E402  # noqa: E402

DONE = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
TRIGGERS = ("trigger_value", "string_trigger_value", "json_trigger_value")  # one-shot widget values (buttons)
LANG = "en"
PREDICTION = i18n.text(LANG, "digits.prediction")  # the label of the metric that shows the digit read


class VisitorError(Exception):
    """Something a student would see as broken; its message is the kind of error, counted in the report."""


# --- recording what the browser sends -------------------------------------------------------------


@dataclasses.dataclass
class Recording:
    """BackMsgs a real browser sent: the one that opens the page, then one per action, with a label each;
    for drawings, each stroke's messages with their times from its first (seconds)."""
    open_page: bytes
    actions: list[tuple[str, bytes]]
    strokes: list[tuple[str, list[tuple[float, bytes]]]] = dataclasses.field(default_factory=list)


class FrameRecorder:
    """Sits between the page and the server (Playwright's websocket routing) and keeps what the page sends.

    While `hold` is true the page's messages are kept but not passed on, so an
    action (a Train press) can be recorded without the server acting on it.
    """

    def __init__(self, page):
        self.sent: list[bytes] = []
        self.times: list[float] = []  # when each was sent (time.perf_counter())
        self.hold = False
        page.route_web_socket("**/_stcore/stream", self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()

        def from_page(message) -> None:
            if isinstance(message, bytes):
                self.sent.append(message)
                self.times.append(time.perf_counter())
            if not self.hold:
                server.send(message)

        ws.on_message(from_page)
        server.on_message(ws.send)

    def reruns(self, since: int = 0, times: bool = False) -> list:
        """The rerun messages sent since the `since`-th message; with `times`, as (time sent, message)."""
        found = []
        for frame, sent_at in zip(self.sent[since:], self.times[since:]):
            message = BackMsg()
            message.ParseFromString(frame)
            if message.WhichOneof("type") == "rerun_script":
                found.append((sent_at, message) if times else message)
        return found


def drawing_of(message: BackMsg) -> dict | None:
    """The drawing pad's value in this message's widget states ({"strokes": [...], "live": bool}), or None.

    The pad is found by its value, not by its widget id, which the page may change."""
    for widget in message.rerun_script.widget_states.widgets:
        if widget.HasField("json_value"):
            with contextlib.suppress(ValueError, AttributeError, TypeError):
                drawing = json.loads(widget.json_value)["drawing"]
                if isinstance(drawing, dict) and "strokes" in drawing:
                    return drawing
    return None


STROKE_S = 1.0  # a student draws a digit's stroke in about a second
# How the pad (ui/components/drawing_pad/drawing_pad.js) sends while the pen moves: SEND_EVERY ms after its last send,
# and only once that was read, AFTER_ANSWER ms after the reading arrived (after NO_ANSWER ms, whatever).
SEND_EVERY_S, AFTER_ANSWER_S, NO_ANSWER_S = 0.15, 0.06, 1.0


def at_a_hands_pace(sent: list[bytes]) -> list[tuple[float, bytes]]:
    """A recorded stroke's messages timed as a one-second stroke: the drawing as it grew, spread evenly over the
    second (Playwright draws slower on a busy machine, and the pad sent each), then the pen-up's at its end."""
    live, lifted = sent[:-1], sent[-1]
    return [(k * STROKE_S / len(live), frame) for k, frame in enumerate(live)] + [(STROKE_S, lifted)]


def record_digits(url: str) -> Recording:
    """Open /digits in Chromium, draw a "1" then a "0" (Clear in between); keep each stroke's messages, timed."""
    with chromium_page() as page:
        recorder = FrameRecorder(page)
        page.goto(f"{url}/digits?lang={LANG}&model=ours")
        wait_for_app(page)
        box = page.locator("canvas").first.bounding_box()
        strokes = []
        for digit, shape in (("1", one), ("0", zero)):
            mark = len(recorder.sent)
            stroke(page, shape(box), pause_ms=PAUSE_MS)
            wait_for_prediction(page, LANG, digit)
            sent = [(at, m) for at, m in recorder.reruns(mark, times=True) if (drawing_of(m) or {}).get("strokes")]
            if not sent or drawing_of(sent[-1][1])["live"]:
                raise RuntimeError(f"the pen-up of the drawn {digit} was not recorded")
            strokes.append((digit, at_a_hands_pace([m.SerializeToString() for _, m in sent])))
            page.get_by_role("button", name=i18n.text(LANG, "digits.pad.clear")).click()
            wait_for_prediction(page, LANG, "—")
            wait_for_app(page)
        return Recording(recorder.reruns()[0].SerializeToString(), [], strokes)


def record_training(url: str) -> Recording | str:
    """Open /digits-training and record a press of Train, held back from the server; or why that is not possible."""
    title, label = i18n.text(LANG, "digits_training.title"), i18n.text(LANG, "digits_training.train")
    with chromium_page() as page:
        recorder = FrameRecorder(page)
        page.goto(f"{url}/digits-training?lang={LANG}")
        wait_for_app(page)
        if page.locator("[data-testid='stMainBlockContainer'] h1", has_text=title).count() == 0:
            return "not available: /digits-training does not exist yet (or does not show its title)"
        button = page.get_by_role("button", name=re.compile(rf"(^|\s){re.escape(label)}$"))
        with contextlib.suppress(PlaywrightTimeout):
            button.first.wait_for(timeout=30_000)
        if button.count() != 1 or not button.is_enabled():
            return (f"not available: {button.count()} buttons {label!r} on /digits-training"
                    + (", disabled" if button.count() == 1 else ""))
        mark = len(recorder.sent)
        recorder.hold = True
        button.click()
        page.wait_for_timeout(1000)
        pressed = [m for m in recorder.reruns(mark)
                   if any(w.WhichOneof("value") in TRIGGERS for w in m.rerun_script.widget_states.widgets)]
        if not pressed:
            return f"not available: pressing {label!r} sent no button press"
        return Recording(recorder.reruns()[0].SerializeToString(), [("train", pressed[-1].SerializeToString())])


# --- the light client -----------------------------------------------------------------------------


@dataclasses.dataclass
class Run:
    """What one script run sent back: seconds from the send to the prediction and to the end, and its media."""
    to_prediction: float | None = None
    to_finished: float | None = None
    prediction: str | None = None
    media: list[str] = dataclasses.field(default_factory=list)
    live_sends: int = 0  # for a drawing: the messages sent while the pen moved


class LightClient:
    """One visitor's session over Streamlit's websocket, as the browser holds it."""

    def __init__(self, url: str, path: str, timeout: float, cookies: dict[str, str] | None = None):
        self.url, self.path, self.timeout = url, path, timeout
        self.cookies = cookies or {}  # what this browser keeps (a class seat), sent with the websocket's handshake
        self.ws = None
        self.last_state = None  # the last ClientState sent, the base of auto reruns
        self.auto_reruns: dict[str, float] = {}  # fragment id -> interval (s), as the server asked

    async def connect(self) -> None:
        token = await asyncio.to_thread(self._load_page)
        protocols = ["streamlit", token] if token else ["streamlit"]
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else None
        self.ws = await connect(self.url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=protocols,
                                origin=self.url, max_size=None, open_timeout=self.timeout, ping_interval=None,
                                additional_headers=headers)

    def _load_page(self) -> str | None:
        """GET the page as a browser's first request does; Streamlit answers with its XSRF cookie."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(f"{self.url}{self.path}?lang={LANG}", timeout=self.timeout) as response:
            response.read()
        return next((cookie.value for cookie in jar if cookie.name == "_streamlit_xsrf"), None)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def send(self, frame: bytes) -> float:
        message = BackMsg()
        message.ParseFromString(frame)
        self.last_state = message.rerun_script
        sent_at = time.perf_counter()
        await self.ws.send(frame)
        return sent_at

    async def receive(self, deadline: float) -> ForwardMsg:
        try:
            data = await asyncio.wait_for(self.ws.recv(), max(0.0, deadline - time.perf_counter()))
        except asyncio.TimeoutError:
            raise VisitorError("timeout") from None
        except ConnectionClosed:
            raise VisitorError("disconnected") from None
        message = ForwardMsg()
        message.ParseFromString(data)
        self._check(message)
        return message

    def _check(self, message: ForwardMsg) -> None:
        """Raise on what a student would see as an error; note auto-rerun requests."""
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "exception":
                raise VisitorError(f"exception on the page: {element.exception.type}")
            if element.WhichOneof("type") == "alert" and element.alert.format == Alert.ERROR:
                raise VisitorError(f"error message on the page: {element.alert.body[:80]}")
        elif kind == "page_not_found":
            raise VisitorError("page not found")
        elif kind == "script_finished" and message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            raise VisitorError("script compile error")
        elif kind == "new_session" and not message.metadata.run.fragment_ids:
            self.auto_reruns.clear()  # a full run starts: as the browser, drop the timers; the run declares its own
        elif kind == "auto_rerun":
            self.auto_reruns[message.auto_rerun.fragment_id] = message.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            for fragment_id in message.stop_auto_rerun.fragment_ids:
                self.auto_reruns.pop(fragment_id, None)

    async def run(self, frame: bytes) -> Run:
        """Send one rerun message and read until its run finished (a rerun the script asked for is followed)."""
        sent_at = await self.send(frame)
        deadline, run = sent_at + self.timeout, Run()
        while True:
            message = await self.receive(deadline)
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                if (element.WhichOneof("type") == "metric" and element.metric.label == PREDICTION
                        and run.prediction is None and element.metric.body != "—"):
                    run.prediction, run.to_prediction = element.metric.body, time.perf_counter() - sent_at
                if element.WhichOneof("type") == "imgs":
                    run.media.extend(image.url for image in element.imgs.imgs if image.url.startswith("/media/"))
            elif kind == "script_finished" and message.script_finished in DONE:
                run.to_finished = time.perf_counter() - sent_at
                return run

    async def draw(self, frames: list[tuple[float, bytes]]) -> Run:
        """Draw a stroke as the pad sends it, reading what comes back meanwhile: while the pen moves, the drawing
        as it is then (the latest of `frames` whose time has come), by the pad's rules (SEND_EVERY_S, ...);
        when it lifts, the last frame. Timed from that last send to the Prediction of the run that answers it:
        the first after it to rerun the reading and the steps together (the page asks for both when the pen
        lifts; while it moves, only the reading reruns)."""
        received: list[tuple[float, str, ForwardMsg]] = []
        lifted: list[float] = []  # the pen-up's send time, once sent
        started = time.perf_counter()
        listener = asyncio.create_task(self._listen(started + frames[-1][0] + self.timeout, received, lifted))
        try:
            sends, last_sent, waiting, answered, sent = 0, -math.inf, None, -math.inf, None
            while (now := time.perf_counter()) < started + frames[-1][0]:
                if waiting is not None and (done := [at for at, kind, _ in received
                                                     if kind == "finished" and at > waiting]):
                    waiting, answered = None, done[0]
                if waiting is not None and now - waiting >= NO_ANSWER_S:
                    waiting = None
                drawing = next((frame for offset, frame in reversed(frames[:-1]) if started + offset <= now), None)
                if (drawing is not None and drawing is not sent and waiting is None
                        and now >= max(last_sent + SEND_EVERY_S, answered + AFTER_ANSWER_S)):
                    await self.send(drawing)
                    sent, sends, last_sent = drawing, sends + 1, now
                    waiting = now
                await asyncio.sleep(0.005)
            lifted.append(time.perf_counter())  # before the send: its answer may be read while it drains
            await self.send(frames[-1][1])
            # The listener ends by itself with the answer (cancelling it could lose a message: one reader at a time).
            run = await listener
            run.live_sends = sends
            return run
        except BaseException:
            listener.cancel()
            raise

    @staticmethod
    def _answer(received: list, lifted: float) -> Run | None:
        """The pen-up's answer once its run has finished, from the messages received so far; None before."""
        after = [(at, kind, m) for at, kind, m in received if at > lifted]
        start = next((k for k, (_, kind, m) in enumerate(after)
                      if kind == "new_session" and len(m.metadata.run.fragment_ids) >= 2), None)
        if start is None:
            return None
        run_id = after[start][2].metadata.run.script_run_id
        end = next((k for k, (_, kind, m) in enumerate(after)
                    if k > start and kind == "finished" and m.metadata.run.script_run_id == run_id), None)
        if end is None:
            return None
        run = Run(to_finished=after[end][0] - lifted)
        for at, kind, m in after[start:end]:
            if kind == "prediction" and run.prediction is None:
                run.prediction, run.to_prediction = m.delta.new_element.metric.body, at - lifted
            elif kind == "images":
                run.media.extend(image.url for image in m.delta.new_element.imgs.imgs
                                 if image.url.startswith("/media/"))
        return run

    async def _listen(self, deadline: float, received: list, lifted: list) -> Run:
        """Note every message from the server with its time and what it is to a drawing, until the pen-up's
        answer is in (`lifted` holds the pen-up's send time once it is sent)."""
        while True:
            message = await self.receive(deadline)
            kind, element = message.WhichOneof("type"), None
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
            if element is not None and element.WhichOneof("type") == "metric" and element.metric.label == PREDICTION:
                kind = "prediction"
            elif element is not None and element.WhichOneof("type") == "imgs":
                kind = "images"
            elif kind == "script_finished" and message.script_finished in DONE:
                kind = "finished"
            received.append((time.perf_counter(), kind, message))
            if lifted and (answer := self._answer(received, lifted[0])) is not None:
                return answer

    def auto_rerun_frame(self, fragment_id: str) -> bytes:
        """What the browser sends for a `run_every` fragment: its last state, buttons released, marked automatic."""
        message = BackMsg()
        message.rerun_script.CopyFrom(self.last_state)
        kept = [w for w in message.rerun_script.widget_states.widgets if w.WhichOneof("value") not in TRIGGERS]
        del message.rerun_script.widget_states.widgets[:]
        message.rerun_script.widget_states.widgets.extend(kept)
        message.rerun_script.fragment_id = fragment_id
        message.rerun_script.is_auto_rerun = True
        return message.SerializeToString()

    async def fetch_media(self, paths: list[str]) -> int:
        """GET the run's images, as the browser does when it shows them; the bytes received."""
        def get(path: str) -> int:
            with urllib.request.urlopen(self.url + path, timeout=self.timeout) as response:
                return len(response.read())
        try:
            return sum(await asyncio.gather(*(asyncio.to_thread(get, path) for path in paths)))
        except OSError as error:
            raise VisitorError(f"media fetch failed: {type(error).__name__}") from None


# --- the class ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Tally:
    """Everything the visitors measured, shared by their tasks (one event loop, so no locks)."""
    page_open_s: list[float] = dataclasses.field(default_factory=list)
    to_prediction_s: list[float] = dataclasses.field(default_factory=list)
    to_finished_s: list[float] = dataclasses.field(default_factory=list)
    drawings_sent: int = 0
    live_sends: int = 0  # the messages sent while the pen moved, before each drawing's last
    late_sends: int = 0  # a drawing sent later than planned, because the previous answer was not in yet
    media_bytes: int = 0
    errors: dict[str, int] = dataclasses.field(default_factory=dict)
    trainers: list[dict] = dataclasses.field(default_factory=list)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def visitor(url: str, recording: Recording, end: float, interval: tuple[float, float], tally: Tally,
                  rng: random.Random, timeout: float, media: bool) -> None:
    """One student: open /digits, then draw every few seconds until the class ends."""
    client = LightClient(url, "/digits", timeout)
    try:
        started = time.perf_counter()
        await client.connect()
        await client.run(recording.open_page)
        tally.page_open_s.append(time.perf_counter() - started)
        planned = time.perf_counter() + rng.uniform(0, interval[1])  # students do not all start at once
        k = 0
        while planned < end:
            await asyncio.sleep(max(0.0, planned - time.perf_counter()))
            if time.perf_counter() - planned > 0.05:
                tally.late_sends += 1
            expected, frames = recording.strokes[k % len(recording.strokes)]
            tally.drawings_sent += 1
            run = await client.draw(frames)
            tally.live_sends += run.live_sends
            if run.prediction is None:
                raise VisitorError("no prediction")
            if run.prediction != expected:
                raise VisitorError(f"wrong prediction: {run.prediction} for {expected}")
            tally.to_prediction_s.append(run.to_prediction)
            tally.to_finished_s.append(run.to_finished)
            if media:
                tally.media_bytes += await client.fetch_media(run.media)
            planned += rng.uniform(*interval)
            k += 1
    except VisitorError as error:
        tally.error(str(error))
    except (OSError, WebSocketException) as error:
        tally.error(f"connection failed: {type(error).__name__}")
    except Exception as error:  # noqa: BLE001 - one broken visitor is an error to count, not the end of the class
        tally.error(f"unexpected: {type(error).__name__}: {error}"[:120])
    finally:
        with contextlib.suppress(Exception):
            await client.close()


async def trainer(url: str, recording: Recording, end: float, tally: Tally, timeout: float,
                  cookies: dict[str, str] | None = None) -> None:
    """One student training: open /digits-training, press Train, follow the live updates until the class ends."""
    client = LightClient(url, "/digits-training", timeout, cookies)
    record = {"press_to_first_answer_s": None, "runs_finished": 0}
    try:
        await client.connect()
        await client.run(recording.open_page)
        record["press_to_first_answer_s"] = (await client.run(recording.actions[0][1])).to_finished
        due: dict[str, float] = {}
        while time.perf_counter() < end:
            for fragment_id, every in list(client.auto_reruns.items()):
                due.setdefault(fragment_id, time.perf_counter() + every)
            if not client.auto_reruns:
                await asyncio.sleep(0.2)
                continue
            fragment_id = min(due, key=due.get)
            await asyncio.sleep(max(0.0, due.pop(fragment_id) - time.perf_counter()))
            if fragment_id in client.auto_reruns:
                await client.run(client.auto_rerun_frame(fragment_id))
                record["runs_finished"] += 1
    except VisitorError as error:
        tally.error(f"trainer: {error}")
    except (OSError, WebSocketException) as error:
        tally.error(f"trainer: connection failed: {type(error).__name__}")
    except Exception as error:  # noqa: BLE001 - as for visitors
        tally.error(f"trainer: unexpected: {type(error).__name__}: {error}"[:120])
    finally:
        tally.trainers.append(record)
        with contextlib.suppress(Exception):
            await client.close()


async def watch_memory(server: Server, samples: list[tuple[float, int]], stop: asyncio.Event) -> None:
    while not stop.is_set():
        samples.append((time.perf_counter(), server.rss_bytes()))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def hold_class(server: Server, drawings: Recording, training: Recording | None, visitors: int,
                     seconds: float, interval: tuple[float, float], trainers: int, seed: int, timeout: float,
                     media: bool) -> tuple[Tally, list[tuple[float, int]]]:
    tally, samples, stop = Tally(), [], asyncio.Event()
    rng = random.Random(seed)
    memory = asyncio.create_task(watch_memory(server, samples, stop))
    end = time.perf_counter() + seconds
    tasks = [visitor(server.url, drawings, end, interval, tally, random.Random(rng.random()), timeout, media)
             for _ in range(visitors)]
    if training is not None:
        tasks += [trainer(server.url, training, end, tally, timeout) for _ in range(trainers)]
    await asyncio.gather(*tasks)
    stop.set()
    await memory
    return tally, samples


def measure(visitors: int = 30, seconds: float = 120, interval: tuple[float, float] = (3.0, 5.0),
            trainers: int = 0, seed: int = 0, timeout: float = 30.0, media: bool = True,
            options: Sequence[str] = ()) -> dict:
    """Start a server (with Streamlit config `options`, "name=value"), record the drawings in Chromium,
    then hold the class; all figures as one dict."""
    with streamlit_server(options=options) as server:
        drawings = record_digits(server.url)  # also loads the model, as the teacher's own visit would
        training = record_training(server.url) if trainers else None
        trainers_note = training if isinstance(training, str) else None
        training = training if isinstance(training, Recording) else None
        time.sleep(2)  # let Chromium's exit settle before the clock starts
        rss_before, cpu_before, load_before = server.rss_bytes(), server.cpu_seconds(), machine.load()
        started, harness_cpu = time.perf_counter(), time.process_time()
        tally, samples = asyncio.run(hold_class(server, drawings, training, visitors, seconds, interval,
                                                trainers, seed, timeout, media))
        wall = time.perf_counter() - started
        server_cpu, harness_cpu = server.cpu_seconds() - cpu_before, time.process_time() - harness_cpu
        load_after = machine.load()
        time.sleep(5)
        rss_after_leaving, peak_hwm = server.rss_bytes(), server.peak_rss_bytes()
    rss = [sample for _, sample in samples] or [rss_before]
    return {
        "visitors": visitors, "seconds": seconds, "interval_s": list(interval), "trainers": trainers,
        "trainers_note": trainers_note, "options": list(options), "seed": seed, "timeout_s": timeout,
        "fetch_media": media,
        "wall_s": wall, "drawings_sent": tally.drawings_sent, "drawings_answered": len(tally.to_prediction_s),
        "live_sends": tally.live_sends,
        "late_sends": tally.late_sends, "errors": sum(tally.errors.values()), "errors_by_kind": tally.errors,
        "page_open_ms": _ms(summary(tally.page_open_s)),
        "to_prediction_ms": _ms(summary(tally.to_prediction_s)),
        "to_finished_ms": _ms(summary(tally.to_finished_s)),
        "media_mib": tally.media_bytes / 2**20,
        "rss_mib": {"before": rss_before / 2**20, "peak": max(rss) / 2**20, "end": rss[-1] / 2**20,
                    "5_s_after_leaving": rss_after_leaving / 2**20, "server_high_water_mark": peak_hwm / 2**20},
        "server_cpu_cores": server_cpu / wall, "harness_cpu_cores": harness_cpu / wall,
        "load_before": load_before, "load_after": load_after, "trainer_runs": tally.trainers,
    }


def _ms(stats: dict) -> dict:
    return {key: (value if key == "n" else value * 1000) for key, value in stats.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--interval", default="3,5", help="seconds between one visitor's drawings: low,high")
    parser.add_argument("--trainers", type=int, default=0, help="visitors training on /digits-training meanwhile")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before an unanswered run is an error")
    parser.add_argument("--no-media", action="store_true", help="do not fetch the images each run shows")
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="a Streamlit config option for the server, e.g. runner.postScriptGC=false")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    low, high = map(float, args.interval.split(","))
    result = measure(args.visitors, args.seconds, (low, high), args.trainers, args.seed, args.timeout,
                     not args.no_media, args.option)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    p, rss = result["to_prediction_ms"], result["rss_mib"]
    print(f"{args.visitors} visitors for {args.seconds:g} s, a drawing every {low:g}-{high:g} s each: "
          f"{result['drawings_answered']}/{result['drawings_sent']} answered ({result['live_sends']} more messages "
          f"sent while the pens moved), {result['errors']} errors "
          f"{result['errors_by_kind'] or ''}")
    if p["n"]:
        print(f"pen-up's send to prediction: median {p['median']:.0f} ms, p95 {p['p95']:.0f} ms, max {p['max']:.0f} ms "
              f"(target p95 < 1500 ms)")
    print(f"server memory: {rss['before']:.0f} MiB before, peak {rss['peak']:.0f} MiB (target < 2048 MiB); "
          f"server CPU {result['server_cpu_cores']:.2f} cores, harness {result['harness_cpu_cores']:.2f} cores; "
          f"load {result['load_before'][0]:.2f} -> {result['load_after'][0]:.2f}")
    if args.trainers:
        print(f"trainers: {result['trainers_note'] or result['trainer_runs']}")


if __name__ == "__main__":
    main()
