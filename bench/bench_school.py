"""A school server for real: classes of students drawing through Caddy, training on the workers, teachers watching.

It brings up on this machine what README's "For a school" describes: a PostgreSQL of its own (tests/postgres.py:
Debian's binaries, as the `postgres` user when run as root), a redis-server of its own (tests/redis_server.py), and
`dlplay school --web 2 --workers 2` on them (Caddy in front of the web processes, as tests/school/conftest.py starts
it). Then, through Caddy only:

- `--classes` classes are started through the store (a teacher key each) and their seats given, as the join form
  gives them; each class's students are the light clients of bench_class.py / bench_classroom.py (Streamlit's own
  protocol, messages recorded once in Chromium, through Caddy too), opening /digits from the class link with their
  seat's cookie and drawing every 3–5 s, their badge rerunning between drawings;
- every client keeps what Caddy's first response set, as a browser does: Caddy's sticky cookie (`dlplay_web`,
  `lb_policy cookie`) goes with its websocket and its image fetches, so each student stays on one web process
  (which one is read from the X-Dlplay-Web header the Caddyfile adds);
- each class's teacher screen is open from the teacher's link, its live part rerun every 2 s as the browser asks;
- `--trainers` students (shared among the classes) press Train on /digits-training, the press recorded in
  Chromium and replayed, in pairs a few seconds apart, and follow their run on the page until it ends. The runs go
  to the workers through Redis: Train → first batch is read from the job's own published progress in Redis (its
  first `progress` with a batch done), matched to the press by the job's owner, the Streamlit session that pressed.

After the class, the students leave and the teachers stay alone for a few seconds: the web processes' CPU then is
what a teacher's screen costs, which the scaling estimate separates from the students'.

Reported: errors (must be 0), send → prediction, Train → first batch, the teacher's refresh, each process's
resident memory (psutil: web processes, workers, Caddy, PostgreSQL's processes together, Redis), each one's CPU,
the machine's load, and the figures the scaling estimate rests on.

    .venv/bin/python -m bench.bench_school [--students 60] [--classes 2] [--seconds 120] [--trainers 6] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402

from bench import machine  # noqa: E402
from bench.bench_class import (  # noqa: E402
    LANG,
    LightClient,
    Recording,
    VisitorError,
    _ms,
    record_digits,
    record_training,
)
from bench.bench_classroom import (  # noqa: E402
    ClassTally,
    auto_reruns_until,
    counting_errors,
    record_teacher,
    seat,
    with_query,
)
from bench.stats import summary  # noqa: E402
from tests import postgres, redis_server  # noqa: E402
from tests.browser.helpers import ROOT, free_port  # noqa: E402

STARTING = 300  # seconds for two web processes and two workers (TensorFlow each) to start on two busy cores
TEACHERS_ALONE_S = 15.0  # after the class: the teachers' screens alone, to price one
FOLLOW_AFTER_S = 120.0  # a run still going when the class ends is followed this much longer
SAMPLE_EVERY_S = 1.0
JOB_KEY = re.compile(rb"^dlplay:job:[0-9a-f]{32}$")  # dlplay.jobs.rq's hash of one job


# --- the set-up -------------------------------------------------------------------------------------


@dataclasses.dataclass
class School:
    """The school running: Caddy's URL, the database and Redis URLs, and where to find each process."""
    url: str
    database: str
    redis: str
    process: subprocess.Popen  # `dlplay school`
    folder: Path  # its run folder: Caddyfile and logs
    postgres_data: Path

    def processes(self) -> dict[str, list[psutil.Process]]:
        """Each role's processes now: web N (port), worker N, Caddy, PostgreSQL (all its processes), Redis."""
        roles: dict[str, list[psutil.Process]] = {}
        with contextlib.suppress(psutil.Error):
            webs, workers = 0, 0
            for child in psutil.Process(self.process.pid).children():
                words = child.cmdline()
                if any("streamlit" in w for w in words):
                    webs += 1
                    port = words[words.index("--server.port") + 1] if "--server.port" in words else "?"
                    roles[f"web {webs} (:{port})"] = [child]
                elif "worker" in words:
                    workers += 1
                    roles[f"worker {workers}"] = [child]
                elif Path(words[0]).name == "caddy":
                    roles["Caddy"] = [child]
        with contextlib.suppress(OSError, ValueError, psutil.Error):
            postmaster = psutil.Process(int((self.postgres_data / "postmaster.pid").read_text().split()[0]))
            roles["PostgreSQL"] = [postmaster, *postmaster.children(recursive=True)]
        port = self.redis.rsplit(":", 1)[1].split("/")[0]
        for process in psutil.process_iter(["name", "cmdline"]):
            if process.info["name"] == "redis-server" and f":{port}" in " ".join(process.info["cmdline"] or []):
                roles["Redis"] = [process]
        return roles


def _resident(processes: list[psutil.Process]) -> tuple[int, int]:
    """RSS and PSS (shared pages divided among their sharers: PostgreSQL's shared buffers once) summed, in bytes."""
    rss = pss = 0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            info = process.memory_full_info()
            rss, pss = rss + info.rss, pss + getattr(info, "pss", info.rss)
    return rss, pss


def _cpu(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            total += times.user + times.system
    return total


@contextlib.contextmanager
def school_running(web: int, workers: int, log_folder: Path):
    """PostgreSQL, Redis and `dlplay school --web N --workers M` (Caddy on a free port of 127.0.0.1), ready, with
    every worker listening; all stopped afterwards."""
    import redis
    from rq import Worker

    bin_folder = postgres.binaries()
    binary = shutil.which(redis_server.BINARY)
    if bin_folder is None or binary is None or shutil.which("caddy") is None:
        raise RuntimeError("needs Debian's postgresql, redis-server and caddy (apt-get install -y postgresql "
                           "redis-server caddy)")
    with postgres.server(bin_folder) as database, redis_server.server(binary) as redis_url:
        postgres.empty(database)
        port = free_port()
        env = {**os.environ, "DLPLAY_DATABASE_URL": database, "DLPLAY_REDIS_URL": redis_url,
               "DLPLAY_DATA_DIR": str(log_folder / "data")}
        env.pop("DLPLAY_PUBLIC_URL", None)
        command = [sys.executable, "-m", "dlplay", "school", "--web", str(web), "--workers", str(workers),
                   "--port", str(port), "--address", "127.0.0.1", "--folder", str(log_folder / "run")]
        out, err = log_folder / "school.out", log_folder / "school.err"
        with out.open("w") as out_file, err.open("w") as err_file:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out_file, stderr=err_file)
        pg_data = Path(database.rsplit("host=", 1)[1]) / "data"
        school = School(f"http://127.0.0.1:{port}", database, redis_url, process, log_folder / "run", pg_data)
        try:
            deadline = time.monotonic() + STARTING
            connection = redis.Redis.from_url(redis_url)
            while ("Students: open" not in out.read_text(errors="replace")
                   or len(Worker.all(connection=connection)) < workers):
                if process.poll() is not None:
                    raise RuntimeError(f"dlplay school ended ({process.returncode}): {err.read_text()[-1500:]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"dlplay school not ready after {STARTING} s: {err.read_text()[-1500:]}")
                time.sleep(0.5)
            os.environ["DLPLAY_DATABASE_URL"] = database  # this process's Store: the classes and their seats
            yield school
        finally:
            os.environ.pop("DLPLAY_DATABASE_URL", None)
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


# --- a client through Caddy --------------------------------------------------------------------------


class CaddyClient(LightClient):
    """A light client as a browser behind Caddy: the cookies of its first response (Caddy's sticky `dlplay_web`,
    Streamlit's XSRF cookie) kept and sent with its websocket and its image fetches, so it stays on one process."""

    def __init__(self, url: str, path: str, timeout: float, cookies: dict[str, str] | None = None):
        super().__init__(url, path, timeout, dict(cookies or {}))
        self.served_by: str | None = None  # the web process's port, as Caddy's answer names it
        self.session_id: str | None = None

    def _load_page(self) -> str | None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        request = urllib.request.Request(f"{self.url}{self.path}?lang={LANG}", headers=self._cookie_header())
        with opener.open(request, timeout=self.timeout) as response:
            response.read()
            self.served_by = response.headers.get("X-Dlplay-Web")
        self.cookies.update({cookie.name: cookie.value for cookie in jar})
        return self.cookies.get("_streamlit_xsrf")

    def _cookie_header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    async def receive(self, deadline: float):
        message = await super().receive(deadline)
        if message.WhichOneof("type") == "new_session" and message.new_session.initialize.session_id:
            self.session_id = message.new_session.initialize.session_id
        return message

    async def fetch_media(self, paths: list[str]) -> int:
        def get(path: str) -> int:
            request = urllib.request.Request(self.url + path, headers=self._cookie_header())
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return len(response.read())
        try:
            return sum(await asyncio.gather(*(asyncio.to_thread(get, path) for path in paths)))
        except OSError as error:
            raise VisitorError(f"media fetch failed: {type(error).__name__}") from None


# --- the classes -------------------------------------------------------------------------------------


@dataclasses.dataclass
class SchoolTally(ClassTally):
    teacher_refreshes: list[tuple[float, float]] = dataclasses.field(default_factory=list)  # (when, seconds)
    presses: list[dict] = dataclasses.field(default_factory=list)  # a Train press: session, when, class
    served_by: dict[str, int] = dataclasses.field(default_factory=dict)  # web process port -> clients

    def served(self, client: CaddyClient) -> None:
        self.served_by[client.served_by or "?"] = self.served_by.get(client.served_by or "?", 0) + 1


async def student(url: str, recording: Recording, query: str, end: float, interval: tuple[float, float],
                  tally: SchoolTally, rng: random.Random, timeout: float, cookies: dict[str, str]) -> None:
    """bench_classroom.py's student, through Caddy: open /digits from the class link with the seat, then draw every
    few seconds, rerunning the badge when it falls due in between."""
    client = CaddyClient(url, "/digits", timeout, cookies)
    async with counting_errors(tally):
        try:
            started = time.perf_counter()
            await client.connect()
            tally.served(client)
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


async def teacher(url: str, frame: bytes, leave: asyncio.Event, tally: SchoolTally, timeout: float) -> None:
    """A class's teacher screen, open until `leave`: its live part rerun every 2 s as the browser asks, timed."""
    client = CaddyClient(url, "/class", timeout)
    async with counting_errors(tally, "teacher: "):
        try:
            started = time.perf_counter()
            await client.connect()
            tally.served(client)
            run = await client.run(frame)
            tally.teacher_open_s.append(time.perf_counter() - started)
            if not client.auto_reruns:
                raise VisitorError("the teacher's screen asked for no refresh (not the teacher?)")
            fetched, due = set(run.media), {}
            while not leave.is_set():
                refreshes: list = []
                await auto_reruns_until(client, time.perf_counter() + 1.0, due, refreshes)
                for refresh in refreshes:
                    tally.teacher_refreshes.append((time.perf_counter(), refresh.to_finished))
                    new = [path for path in refresh.media if path not in fetched]
                    tally.media_bytes += await client.fetch_media(new)
                    fetched.update(new)
        finally:
            with contextlib.suppress(Exception):
                await client.close()


async def trainer(url: str, recording: Recording, query: str, press_at: float, end: float, tally: SchoolTally,
                  timeout: float, cookies: dict[str, str], code: str) -> None:
    """A student of class `code` on /digits-training: presses Train at `press_at`, then follows the run on the page
    (its progress and curves, polled as the browser does) until it has ended and the page shows its results; a run
    still going FOLLOW_AFTER_S after the class's `end` is an error."""
    client = CaddyClient(url, "/digits-training", timeout, cookies)
    async with counting_errors(tally, "trainer: "):
        try:
            await client.connect()
            tally.served(client)
            await client.run(with_query(recording.open_page, query))
            badge = set(client.auto_reruns)  # a student's badge reruns every 5 s, run or not
            await asyncio.sleep(max(0.0, press_at - time.perf_counter()))
            pressed = time.perf_counter()
            press = {"session": client.session_id, "pressed": pressed, "class": code, "ended_on_page": None}
            tally.presses.append(press)
            await client.run(recording.actions[0][1])
            if not set(client.auto_reruns) - badge:
                raise VisitorError("Train pressed, but the page follows no run")
            due: dict[str, float] = {}
            while set(client.auto_reruns) - badge:  # the page stops the run's timers once its results are shown
                if time.perf_counter() > end + FOLLOW_AFTER_S:
                    raise VisitorError("a run that did not end")
                await auto_reruns_until(client, time.perf_counter() + 1.0, due, [])
            press["ended_on_page"] = time.perf_counter()
        finally:
            with contextlib.suppress(Exception):
                await client.close()


class JobWatch(threading.Thread):
    """Reads every job's hash in Redis every 50 ms (dlplay.jobs.rq: status, owner, the progress its task
    publishes) and notes when each was first queued, running, past its first batch, and ended."""

    def __init__(self, url: str):
        super().__init__(name="bench-job-watch", daemon=True)
        import redis

        self.redis, self.halt, self.jobs = redis.Redis.from_url(url), threading.Event(), {}

    def run(self) -> None:
        while not self.halt.wait(0.05):
            with contextlib.suppress(Exception):  # a look that fails is retried 50 ms later
                self.look()

    def look(self) -> None:
        ids = [k for k in self.redis.scan_iter(b"dlplay:job:*", count=1000) if JOB_KEY.match(k)]
        with self.redis.pipeline(transaction=False) as pipe:
            for k in ids:
                pipe.hmget(k, ["status", "owner", "progress"])
            values = pipe.execute()
        now = time.perf_counter()
        for k, (status, owner, progress) in zip(ids, values):
            job = self.jobs.setdefault(k.decode(), {"owner": (owner or b"").decode(), "queued": now})
            status = (status or b"").decode()
            if status != "queued":
                job.setdefault("running", now)
            if progress and json.loads(progress).get("seen", 0) > 0:
                if "first_batch" not in job:
                    job["first_batch"], job["first_progress"] = now, json.loads(progress)
            if status not in ("queued", "running", ""):
                job.setdefault("ended", now)
                job["status"] = status
                if progress:
                    job["progress"] = json.loads(progress)


async def watch_processes(school: School, samples: list[tuple[float, dict]], stop: asyncio.Event) -> None:
    """Every second: each role's RSS, PSS and CPU seconds so far."""
    while not stop.is_set():
        roles = await asyncio.to_thread(school.processes)
        at = time.perf_counter()
        sample = {}
        for role, processes in roles.items():
            rss, pss = await asyncio.to_thread(_resident, processes)
            sample[role] = {"rss": rss, "pss": pss, "cpu": _cpu(processes), "n": len(processes)}
        samples.append((at, sample))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), SAMPLE_EVERY_S)


def cpu_between(samples: list[tuple[float, dict]], start: float, end: float) -> tuple[dict[str, float], float]:
    """Each role's CPU seconds between the samples nearest `start` and `end`, and the seconds between them."""
    first = min(samples, key=lambda s: abs(s[0] - start))
    last = min(samples, key=lambda s: abs(s[0] - end))
    return ({role: last[1][role]["cpu"] - first[1][role]["cpu"] for role in last[1] if role in first[1]},
            last[0] - first[0])


async def hold_school(school: School, drawings: Recording, training: Recording, teacher_frames: list[bytes],
                      classes: list, students: int, seconds: float, interval: tuple[float, float], trainers: int,
                      seed: int, timeout: float) -> dict:
    tally, samples, stop, leave = SchoolTally(), [], asyncio.Event(), asyncio.Event()
    rng = random.Random(seed)
    watcher = asyncio.create_task(watch_processes(school, samples, stop))
    await asyncio.sleep(2 * SAMPLE_EVERY_S)
    harness_cpu, start = time.process_time(), time.perf_counter()
    end = start + seconds
    teachers = [asyncio.create_task(teacher(school.url, frame, leave, tally, timeout)) for frame in teacher_frames]
    tasks = [student(school.url, drawings, f"lang={LANG}&model=ours&class={classes[k % len(classes)].code}", end,
                     interval, tally, random.Random(rng.random()), timeout,
                     seat(classes[k % len(classes)].code, f"bench-{k}")) for k in range(students)]
    # In pairs (one per class) 10 s apart from 5 s in: two workers, so the later presses wait in their class's line.
    tasks += [trainer(school.url, training, f"lang={LANG}&class={classes[k % len(classes)].code}",
                      start + 5 + 10 * (k // len(classes)), end, tally, timeout,
                      seat(classes[k % len(classes)].code, f"bench-train-{k}"), classes[k % len(classes)].code)
              for k in range(trainers)]
    await asyncio.gather(*tasks)
    class_end = time.perf_counter()
    await asyncio.sleep(TEACHERS_ALONE_S)
    alone_end = time.perf_counter()
    leave.set()
    await asyncio.gather(*teachers)
    harness_cpu = time.process_time() - harness_cpu
    await asyncio.sleep(SAMPLE_EVERY_S)
    stop.set()
    await watcher
    return {"tally": tally, "samples": samples, "start": start, "end": end, "class_end": class_end,
            "alone_end": alone_end, "harness_cpu": harness_cpu}


# --- measuring -----------------------------------------------------------------------------------------


def measure(students: int = 60, classes: int = 2, seconds: float = 120, interval: tuple[float, float] = (3.0, 5.0),
            trainers: int = 6, web: int = 2, workers: int = 2, seed: int = 0, timeout: float = 30.0) -> dict:
    """Bring the school up, record the messages in Chromium through Caddy, hold the classes; all figures as one
    dict."""
    started_at = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dlplay-school-bench-") as folder:
        with school_running(web, workers, Path(folder)) as school:
            up_s = time.perf_counter() - started_at
            from dlplay.classroom.store import Store

            store = Store()
            invitations = [store.start_class() for _ in range(classes)]
            for k in range(students):
                store.join(invitations[k % classes].code, f"bench-{k}", f"bench-{k}")
            for k in range(trainers):
                store.join(invitations[k % classes].code, f"bench-train-{k}", f"bench-train-{k}")
            store.close()
            drawings = record_digits(school.url)
            training = record_training(school.url)
            if isinstance(training, str):
                raise RuntimeError(f"Train could not be recorded: {training}")
            first = record_teacher(school.url, invitations[0].code, invitations[0].teacher_key)
            teacher_frames = [with_query(first, f"lang={LANG}&class={i.code}&teacher={i.teacher_key}")
                              for i in invitations]
            time.sleep(2)
            jobs = JobWatch(school.redis)
            jobs.start()
            load_before = machine.load()
            held = asyncio.run(hold_school(school, drawings, training, teacher_frames, invitations, students,
                                           seconds, interval, trainers, seed, timeout))
            load_after = machine.load()
            jobs.halt.set()
            jobs.join()
            database = _database(invitations)
    result = _figures(held, jobs.jobs, students, classes, seconds, interval, trainers, web, workers, up_s,
                      load_before, load_after)
    result["database"] = database
    return result


def _database(invitations) -> dict:
    from dlplay.classroom.store import Store

    store = Store()
    try:
        return {i.code: {"students": len(store.students(i.code, i.teacher_key)),
                         "drawings_kept": len(store.drawings(i.code, i.teacher_key)),
                         "runs": len(store.runs(i.code, i.teacher_key))} for i in invitations}
    finally:
        store.close()


def _figures(held: dict, jobs: dict, students: int, classes: int, seconds: float, interval, trainers: int, web: int,
             workers: int, up_s: float, load_before, load_after) -> dict:
    tally: SchoolTally = held["tally"]
    samples = held["samples"]
    by_owner = {job["owner"]: job for job in jobs.values()}
    runs = []
    for press in tally.presses:
        job = by_owner.get(press["session"] or "", {})
        runs.append({
            "class": press["class"],
            "press_to_queued_s": job["queued"] - press["pressed"] if "queued" in job else None,
            "press_to_running_s": job["running"] - press["pressed"] if "running" in job else None,
            "press_to_first_batch_s": job["first_batch"] - press["pressed"] if "first_batch" in job else None,
            "running_to_first_batch_s": job["first_batch"] - job["running"] if "first_batch" in job else None,
            "running_to_ended_s": job["ended"] - job["running"] if "ended" in job else None,
            "status": job.get("status"), "images_per_second": (job.get("progress") or {}).get("per_second"),
            "press_to_ended_on_page_s": (press["ended_on_page"] - press["pressed"]) if press["ended_on_page"] else None,
        })
    first_batch = [r["press_to_first_batch_s"] for r in runs if r["press_to_first_batch_s"] is not None]
    taken_to_batch = [r["running_to_first_batch_s"] for r in runs if r["running_to_first_batch_s"] is not None]
    run_walls = [r["running_to_ended_s"] for r in runs if r["running_to_ended_s"] is not None]
    refreshes = [s for at, s in tally.teacher_refreshes if held["start"] <= at <= held["class_end"]]
    alone = [s for at, s in tally.teacher_refreshes if at > held["class_end"]]

    class_cpu, class_s = cpu_between(samples, held["start"], held["end"])  # the students drawing
    alone_cpu, alone_s = cpu_between(samples, held["class_end"], held["alone_end"])
    training_cpu, _ = cpu_between(samples, held["start"], held["class_end"])  # every run had ended by class_end
    roles = sorted({role for _, sample in samples for role in sample})
    memory = {}
    for role in roles:
        seen = [sample[role] for _, sample in samples if role in sample]
        memory[role] = {"rss_peak_mib": max(s["rss"] for s in seen) / 2**20, "rss_end_mib": seen[-1]["rss"] / 2**20,
                        "pss_peak_mib": max(s["pss"] for s in seen) / 2**20, "processes": seen[-1]["n"],
                        "cpu_cores_in_class": class_cpu.get(role, 0.0) / class_s if class_s else 0.0}
    web_roles = [r for r in roles if r.startswith("web")]
    worker_roles = [r for r in roles if r.startswith("worker")]
    web_cpu = sum(class_cpu.get(r, 0.0) for r in web_roles)
    teacher_cpu_s = sum(alone_cpu.get(r, 0.0) for r in web_roles) / alone_s / classes if alone_s else 0.0
    student_s = students * class_s
    answered = len(tally.to_prediction_s)
    finished_runs = [r for r in runs if r["status"] in ("done", "stopped")]
    basis = {
        # web CPU seconds per second of one student's class (a drawing every 3-5 s, its badge), the teachers'
        # share taken out (priced alone after the class); the trainers' page polls stay in (conservative)
        "web_cpu_per_student_second": (web_cpu - teacher_cpu_s * classes * class_s) / student_s,
        "web_cpu_per_drawing_s": (web_cpu - teacher_cpu_s * classes * class_s) / answered if answered else None,
        "web_cpu_per_teacher_second": teacher_cpu_s,
        "worker_cpu_s_per_run": (sum(training_cpu.get(r, 0.0) for r in worker_roles) / len(finished_runs)
                                 if finished_runs else None),
        "worker_wall_s_per_run_median": summary(run_walls).get("median"),
        "others_cpu_per_student_second": {r: class_cpu.get(r, 0.0) / student_s
                                          for r in ("Caddy", "PostgreSQL", "Redis")},
    }
    return {
        "students": students, "classes": classes, "seconds": seconds, "interval_s": list(interval),
        "trainers": trainers, "web": web, "workers": workers, "school_up_s": up_s,
        "class_wall_s": held["class_end"] - held["start"],
        "drawings_sent": tally.drawings_sent, "drawings_answered": answered,
        "errors": sum(tally.errors.values()), "errors_by_kind": tally.errors, "served_by": tally.served_by,
        "page_open_ms": _ms(summary(tally.page_open_s)), "to_prediction_ms": _ms(summary(tally.to_prediction_s)),
        "to_finished_ms": _ms(summary(tally.to_finished_s)), "badge_rerun_ms": _ms(summary(tally.badge_s)),
        "teacher_open_ms": _ms(summary(tally.teacher_open_s)), "teacher_refresh_ms": _ms(summary(refreshes)),
        "teacher_refresh_alone_ms": _ms(summary(alone)),
        "press_to_first_batch_ms": _ms(summary(first_batch)),
        "taken_to_first_batch_ms": _ms(summary(taken_to_batch)),
        "run_wall_s": summary(run_walls), "runs": runs, "runs_finished": len(finished_runs),
        "memory": memory, "cpu_seconds_in_class": class_cpu, "cpu_seconds_teachers_alone": alone_cpu,
        "teachers_alone_s": alone_s, "harness_cpu_cores": held["harness_cpu"] / (held["alone_end"] - held["start"]),
        "media_mib": tally.media_bytes / 2**20, "basis": basis,
        "load_before": load_before, "load_after": load_after,
    }


def estimate(result: dict, students: int = 300, teachers: int = 10, cores: int = 16, busy: float = 0.5,
             presses: int = 30) -> dict:
    """What `students` and `teachers` need, from this run's measured CPU per student-second and per teacher-second,
    each web process kept `busy` of one core at most (one Streamlit process uses one core; latency grows fast past
    half); the cores left train, at the measured worker CPU seconds per run."""
    b = result["basis"]
    web_cores = students * b["web_cpu_per_student_second"] + teachers * b["web_cpu_per_teacher_second"]
    web_processes = max(1, -(-web_cores // busy))
    others = sum(students * v for v in b["others_cpu_per_student_second"].values())
    spare = cores - web_cores - others
    per_run = b["worker_cpu_s_per_run"]
    return {"students": students, "teachers": teachers, "cores": cores, "web_cores": web_cores,
            "web_processes": int(web_processes), "caddy_postgres_redis_cores": others, "spare_cores": spare,
            "worker_cpu_s_per_run": per_run,
            "presses": presses, "presses_cleared_s": presses * per_run / spare if per_run and spare > 0 else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--classes", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--trainers", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.students, args.classes, args.seconds, trainers=args.trainers, seed=args.seed)
    result["estimate"] = estimate(result)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return
    p, r, f = result["to_prediction_ms"], result["teacher_refresh_ms"], result["press_to_first_batch_ms"]
    print(f"{result['drawings_answered']}/{result['drawings_sent']} answered, {result['errors']} errors "
          f"{result['errors_by_kind'] or ''}; served by {result['served_by']}")
    for name, s in (("send → prediction", p), ("teacher refresh", r), ("Train → first batch", f)):
        if s["n"]:
            print(f"{name}: median {s['median']:.0f} ms, p95 {s['p95']:.0f} ms (n {s['n']})")
    for role, m in result["memory"].items():
        print(f"{role}: RSS peak {m['rss_peak_mib']:.0f} MiB, CPU {m['cpu_cores_in_class']:.2f} cores")
    print(json.dumps(result["basis"], indent=1), json.dumps(result["estimate"], indent=1))


if __name__ == "__main__":
    main()
