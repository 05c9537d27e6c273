"""A class with its teacher: N joined students drawing on /digits, a few training, the teacher's screen open.

The light clients of bench_class.py (Streamlit's own websocket protocol, messages recorded from Chromium),
with what a class adds:

- every student has joined the class (a seat each, given through the store before the class begins) and
  opens the class link with the seat's cookie, as their browser does (`/digits?class=K7QM2P`), so every
  pen-up's reading is written to the class's database (`ui.class_drawing`), and, as a browser does, the
  student's badge reruns every 5 s (`ui.CLASS_EVERY`: who is here, the poll) between drawings;
- `--trainers` students of the class press Train on /digits-training (recorded as bench_class.py does) and
  follow their run; a finished run goes to the leaderboard;
- the teacher opens /class from the teacher's link (recorded in Chromium) and, as the browser asks
  (`run_every`), reruns its live fragment every 2 s: each refresh is timed from its send to its
  script_finished, and the pictures it shows are fetched once each, as a browser's cache would.

Reported: errors (bench_class.py's kinds, the teacher's too), pen-up's send to prediction (target p95 ≤
1.5 s), the teacher's refresh (target p95 ≤ 2 s), server memory and CPU, what reached the database, and the
database's size on disk (file and write-ahead log) at the end. The server keeps its database in a
temporary data folder.

    .venv/bin/python -m bench.bench_classroom [--students 30] [--seconds 600] [--trainers 3] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from websockets.exceptions import WebSocketException  # noqa: E402

from bench import machine  # noqa: E402
from bench.bench_class import (  # noqa: E402
    LANG,
    FrameRecorder,
    LightClient,
    Recording,
    Tally,
    VisitorError,
    _ms,
    record_digits,
    record_training,
    trainer,
    watch_memory,
)
from bench.server import Server, streamlit_server  # noqa: E402
from bench.stats import summary  # noqa: E402
from tests.browser.helpers import chromium_page, wait_for_app  # noqa: E402

BADGE_EVERY_S = 5.0  # ui.CLASS_EVERY


@dataclasses.dataclass
class ClassTally(Tally):
    teacher_refresh_s: list[float] = dataclasses.field(default_factory=list)
    teacher_open_s: list[float] = dataclasses.field(default_factory=list)
    badge_s: list[float] = dataclasses.field(default_factory=list)  # a student's badge rerun, send to finished


def with_query(frame: bytes, query: str) -> bytes:
    """A recorded page-opening message as if the page had been opened with `?query`."""
    message = BackMsg()
    message.ParseFromString(frame)
    message.rerun_script.query_string = query
    return message.SerializeToString()


def record_teacher(url: str, code: str, teacher_key: str) -> bytes:
    """The message Chromium sends to open the teacher's screen from the teacher's link."""
    with chromium_page() as page:
        recorder = FrameRecorder(page)
        page.goto(f"{url}/class?lang={LANG}&class={code}&teacher={teacher_key}")
        wait_for_app(page)
        return recorder.reruns()[0].SerializeToString()


async def auto_reruns_until(client: LightClient, until: float, due: dict[str, float], runs: list) -> None:
    """Send the `run_every` reruns the server asked for that fall due before `until`, one at a time, as the
    browser does; each one's `Run` (seconds from send to finished, media) goes to `runs`."""
    while True:
        for fragment_id, every in list(client.auto_reruns.items()):
            due.setdefault(fragment_id, time.perf_counter() + every)
        for gone in [f for f in due if f not in client.auto_reruns]:
            del due[gone]
        fragment_id = min(due, key=due.get) if due else None
        if fragment_id is None or due[fragment_id] >= until:
            await asyncio.sleep(max(0.0, until - time.perf_counter()))
            return
        await asyncio.sleep(max(0.0, due[fragment_id] - time.perf_counter()))
        due[fragment_id] = max(due[fragment_id] + client.auto_reruns[fragment_id], time.perf_counter())
        runs.append(await client.run(client.auto_rerun_frame(fragment_id)))


@contextlib.asynccontextmanager
async def counting_errors(tally: Tally, who: str = ""):
    """A student who meets an error stops and it is counted by kind (bench_class.py's kinds)."""
    try:
        yield
    except VisitorError as error:
        tally.error(f"{who}{error}")
    except (OSError, WebSocketException) as error:
        tally.error(f"{who}connection failed: {type(error).__name__}")
    except Exception as error:  # noqa: BLE001 - one broken client is an error to count, not the end of the class
        tally.error(f"{who}unexpected: {type(error).__name__}: {error}"[:120])


async def student(url: str, recording: Recording, query: str, end: float, interval: tuple[float, float],
                  tally: ClassTally, rng: random.Random, timeout: float, cookies: dict[str, str]) -> None:
    """One student of the class: open /digits from the class link with the seat their browser holds (joined),
    then draw every few seconds, rerunning the badge when it falls due in between."""
    client = LightClient(url, "/digits", timeout, cookies)
    async with counting_errors(tally):
        try:
            started = time.perf_counter()
            await client.connect()
            await client.run(with_query(recording.open_page, query))
            tally.page_open_s.append(time.perf_counter() - started)
            planned, due, k = time.perf_counter() + rng.uniform(0, interval[1]), {}, 0
            while planned < end:
                badges: list = []
                await auto_reruns_until(client, planned, due, badges)
                tally.badge_s.extend(run.to_finished for run in badges)
                expected, frames = recording.strokes[k % len(recording.strokes)]
                tally.drawings_sent += 1
                run = await client.draw(frames)
                tally.live_sends += run.live_sends
                if run.prediction != expected:
                    raise VisitorError(f"wrong or no prediction: {run.prediction} for {expected}")
                tally.to_prediction_s.append(run.to_prediction)
                tally.to_finished_s.append(run.to_finished)
                tally.media_bytes += await client.fetch_media(run.media)
                planned += rng.uniform(*interval)
                k += 1
        finally:
            with contextlib.suppress(Exception):
                await client.close()


async def teacher(url: str, frame: bytes, end: float, tally: ClassTally, timeout: float) -> None:
    """The teacher's screen open all along: its live fragment rerun every 2 s as the browser asks, timed."""
    client = LightClient(url, "/class", timeout)
    async with counting_errors(tally, "teacher: "):
        try:
            started = time.perf_counter()
            await client.connect()
            run = await client.run(frame)
            tally.teacher_open_s.append(time.perf_counter() - started)
            if not client.auto_reruns:
                raise VisitorError("the teacher's screen asked for no refresh (not the teacher?)")
            fetched = set(run.media)
            due: dict[str, float] = {}
            while time.perf_counter() < end:
                refreshes: list = []
                await auto_reruns_until(client, min(end, time.perf_counter() + 2.5), due, refreshes)
                for refresh in refreshes:
                    tally.teacher_refresh_s.append(refresh.to_finished)
                    new = [path for path in refresh.media if path not in fetched]
                    tally.media_bytes += await client.fetch_media(new)
                    fetched.update(new)
        finally:
            with contextlib.suppress(Exception):
                await client.close()


async def hold_class(server: Server, drawings: Recording, training: Recording | None, teacher_frame: bytes,
                     code: str, students: int, seconds: float, interval: tuple[float, float], trainers: int,
                     seed: int, timeout: float) -> tuple[ClassTally, list[tuple[float, int]]]:
    tally, samples, stop = ClassTally(), [], asyncio.Event()
    rng = random.Random(seed)
    memory = asyncio.create_task(watch_memory(server, samples, stop))
    end = time.perf_counter() + seconds
    tasks = [teacher(server.url, teacher_frame, end, tally, timeout)]
    tasks += [student(server.url, drawings, f"lang={LANG}&model=ours&class={code}", end, interval, tally,
                      random.Random(rng.random()), timeout, seat(code, f"bench-{k}")) for k in range(students)]
    if training is not None:
        for k in range(trainers):
            joined = Recording(with_query(training.open_page, f"lang={LANG}&class={code}"), training.actions)
            tasks.append(trainer(server.url, joined, end, tally, timeout, seat(code, f"bench-train-{k}")))
    await asyncio.gather(*tasks)
    stop.set()
    await memory
    return tally, samples


def seat(code: str, name: str) -> dict[str, str]:
    """The cookie of a browser that joined class `code` as `name` (measure() gave each seat through the store,
    as the join form does)."""
    return {f"dlplay_seat_{code}": name}


def database_figures(folder: Path, code: str, teacher_key: str) -> dict:
    from dlplay.classroom.store import Store

    store = Store()
    try:
        runs = store.runs(code, teacher_key)
        figures = {"students": len(store.students(code, teacher_key)),
                   "drawings_kept": len(store.drawings(code, teacher_key)),
                   "runs": len(runs), "run_accuracies": [round(r.accuracy, 4) for r in runs]}
    finally:
        store.close()
    files = {path.name: path.stat().st_size for path in folder.glob("dlplay.sqlite3*")}
    return {**figures, "files_bytes": files, "size_mib": sum(files.values()) / 2**20}


def measure(students: int = 30, seconds: float = 600, interval: tuple[float, float] = (3.0, 5.0), trainers: int = 3,
            seed: int = 0, timeout: float = 30.0, log=None) -> dict:
    """Start a class in a temporary data folder and a server on it (its output to `log`), record the messages in
    Chromium, then hold the class; all figures as one dict."""
    with tempfile.TemporaryDirectory(prefix="dlplay-class-bench-") as folder:
        os.environ["DLPLAY_DATA_DIR"] = folder  # the server inherits it; so does this process's Store
        os.environ.pop("DLPLAY_DATABASE_URL", None)
        from dlplay.classroom.store import Store

        store = Store()
        invitation = store.start_class()
        for name in [f"bench-{k}" for k in range(students)] + [f"bench-train-{k}" for k in range(trainers)]:
            store.join(invitation.code, name, name)
        store.close()
        with streamlit_server(log or subprocess.DEVNULL) as server:
            drawings = record_digits(server.url)
            training = record_training(server.url) if trainers else None
            trainers_note = training if isinstance(training, str) else None
            training = training if isinstance(training, Recording) else None
            teacher_frame = record_teacher(server.url, invitation.code, invitation.teacher_key)
            time.sleep(2)
            rss_before, cpu_before, load_before = server.rss_bytes(), server.cpu_seconds(), machine.load()
            started = time.perf_counter()
            tally, samples = asyncio.run(hold_class(server, drawings, training, teacher_frame, invitation.code,
                                                    students, seconds, interval, trainers, seed, timeout))
            wall = time.perf_counter() - started
            server_cpu, load_after = server.cpu_seconds() - cpu_before, machine.load()
            peak_hwm = server.peak_rss_bytes()
            database = database_figures(Path(folder), invitation.code, invitation.teacher_key)  # the log not yet merged
    rss = [sample for _, sample in samples] or [rss_before]
    return {
        "students": students, "seconds": seconds, "interval_s": list(interval), "trainers": trainers,
        "trainers_note": trainers_note, "seed": seed, "timeout_s": timeout, "wall_s": wall,
        "drawings_sent": tally.drawings_sent, "drawings_answered": len(tally.to_prediction_s),
        "errors": sum(tally.errors.values()), "errors_by_kind": tally.errors,
        "page_open_ms": _ms(summary(tally.page_open_s)), "to_prediction_ms": _ms(summary(tally.to_prediction_s)),
        "to_finished_ms": _ms(summary(tally.to_finished_s)), "badge_rerun_ms": _ms(summary(tally.badge_s)),
        "teacher_open_ms": _ms(summary(tally.teacher_open_s)),
        "teacher_refresh_ms": _ms(summary(tally.teacher_refresh_s)),
        "media_mib": tally.media_bytes / 2**20, "trainer_runs": tally.trainers, "database": database,
        "rss_mib": {"before": rss_before / 2**20, "peak": max(rss) / 2**20, "server_high_water_mark": peak_hwm / 2**20},
        "server_cpu_cores": server_cpu / wall, "load_before": load_before, "load_after": load_after,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--interval", default="3,5", help="seconds between one student's drawings: low,high")
    parser.add_argument("--trainers", type=int, default=3, help="students of the class training meanwhile")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--log", help="a file for the server's output")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    low, high = map(float, args.interval.split(","))
    with open(args.log or os.devnull, "w") as log:
        result = measure(args.students, args.seconds, (low, high), args.trainers, args.seed, args.timeout, log)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    p, r, db = result["to_prediction_ms"], result["teacher_refresh_ms"], result["database"]
    print(f"{args.students} students for {args.seconds:g} s, a drawing every {low:g}-{high:g} s each, "
          f"{args.trainers} training, the teacher's screen open: {result['drawings_answered']}/"
          f"{result['drawings_sent']} answered, {result['errors']} errors {result['errors_by_kind'] or ''}")
    if p["n"]:
        print(f"pen-up's send to prediction: median {p['median']:.0f} ms, p95 {p['p95']:.0f} ms (target p95 ≤ 1500 ms)")
    if r["n"]:
        print(f"teacher's refresh: median {r['median']:.0f} ms, p95 {r['p95']:.0f} ms, max {r['max']:.0f} ms "
              f"over {r['n']} (target p95 ≤ 2000 ms)")
    print(f"database after {args.seconds:g} s: {db['size_mib']:.2f} MiB {db['files_bytes']}; "
          f"{db['students']} students, {db['drawings_kept']} drawings kept, {db['runs']} runs")
    print(f"server memory peak {result['rss_mib']['peak']:.0f} MiB, CPU {result['server_cpu_cores']:.2f} cores; "
          f"load {result['load_before'][0]:.2f} -> {result['load_after'][0]:.2f}")


if __name__ == "__main__":
    main()
