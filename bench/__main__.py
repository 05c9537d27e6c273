"""Run dlplay's benchmarks and write docs/benchmarks.md: `.venv/bin/python -m bench` (from the checkout).

Sections, in the order they run (pick some with --only):

  cold      spawn of `streamlit run app.py` to home, then /activations, then /digits, rendered in
            Chromium, TensorFlow never loaded; /digits as the first page, and 10 s after the spawn
                                                                               (bench_cold_start.py)
  transfer  bytes a first and a second visit to /digits and /activations cost, in Chromium, with
            ui.compression and without                                         (bench_transfer.py)
  draw      /digits in Chromium: mouse-up to the prediction shown              (bench_digits_browser.py)
  class     30 visitors drawing on /digits for two minutes, light websocket
            clients: errors, latency, server memory                            (bench_class.py)
  typing    /text in Chromium: the last keystroke to the sentiment shown     (bench_text_browser.py)
  xor-play  /xor play mode in Chromium: frames per second                      (bench_xor_play.py)
  classroom 30 joined students drawing for ten minutes, 3 training, the teacher's screen
            open: errors, latency, the teacher's refresh, the database's size    (bench_classroom.py)
  school    `dlplay school --web 2 --workers 2` on a PostgreSQL and a Redis of its own: 60 students
            in 2 classes through Caddy, 6 runs on the workers, both teachers' screens open: errors,
            latency, Train → first batch, each process's memory, a scaling estimate (bench_school.py)
  hostile   the server's memory before, at its peak and after each crafted upload to
            /digits-training; the CLI's peak on a 240 MB TSV                   (bench_hostile_memory.py)
  xor       the XOR trainer's own timings, run as a script, output kept as is  (bench_xor.py)
  digits    server-side cost of reading one canvas                             (bench_digits.py)
  text      server-side text to prediction                                     (bench_text.py)
  training  /digits-training's live curves against a bare model.fit            (bench_training.py)

The browser and server sections come first; `digits` and `text` load
TensorFlow into this process, so they come last. A section that fails is
reported as failed and the others still run. `--quick` uses small counts to
check the harness in a few minutes; its figures are marked as such.

Every section starts its own `streamlit run` on a free port and stops it. On
a 2-core machine run it when nothing else is busy; the load average is
recorded beside each section.
"""

from __future__ import annotations

import argparse
import datetime
import re
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import machine, report  # noqa: E402
from bench.report import Figure  # noqa: E402

ORDER = ["cold", "transfer", "draw", "class", "typing", "xor-play", "classroom", "school", "hostile", "xor", "digits",
         "text", "training"]
TITLES = {
    "cold": "Cold start", "transfer": "Bytes transferred",
    "draw": "Draw to prediction in the browser", "class": "A class of visitors on /digits",
    "typing": "Typing to sentiment in the browser", "xor-play": "XOR play mode in the browser",
    "classroom": "A class with its teacher (/class)",
    "school": "A school server: classes through Caddy, training on workers (dlplay school)",
    "hostile": "Hostile uploads: the server's memory (bench_hostile_memory.py)",
    "xor": "XOR training (bench_xor.py)",
    "digits": "Draw to prediction, server side", "text": "Text to prediction, server side",
    "training": "Live training charts against a bare model.fit",
}


def _ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"


def _tf(objects: list[str]) -> str:
    return f"loaded ({len(objects)} shared objects)" if objects else "not loaded"


def cold(args) -> tuple[dict, dict, list[Figure], str]:
    from bench import bench_cold_start

    params = {"repeats": 1 if args.quick else 5}  # a median of 5 (issue 24)
    result = bench_cold_start.measure(**params)
    median, runs = result["median"], result["runs"]
    tf_light = [run["tensorflow_after_activations"] for run in runs]
    tf_digits = [run["tensorflow_after_digits"] for run in runs]
    figures = [
        Figure("spawn → home page rendered (median)", f"{median['spawn_to_home_s']:.2f} s", "< 3 s",
               median["spawn_to_home_s"] < 3),
        Figure("spawn → home page's title first shown (median)", f"{median['spawn_to_home_title_s']:.2f} s"),
        Figure("then /activations opened → rendered (median)", f"{median['activations_s']:.2f} s"),
        Figure("spawn → /activations rendered (median)", f"{median['spawn_to_activations_s']:.2f} s"),
        Figure("TensorFlow in the server after home + /activations", "; ".join(map(_tf, tf_light)),
               "not loaded", not any(tf_light)),
        Figure("TensorFlow in the server after /digits (the shipped CNNs run in numpy)",
               "; ".join(map(_tf, tf_digits)), "not loaded", not any(tf_digits)),
        Figure("then first /digits opened → rendered (median)", f"{median['digits_s']:.2f} s"),
        Figure("spawn → /digits as the first page rendered (median)", f"{median['spawn_to_digits_first_s']:.2f} s",
               "≤ 5 s", median["spawn_to_digits_first_s"] <= 5),
        Figure("/digits first opened 10 s after the spawn → rendered (median)",
               f"{median['digits_after_10s_s']:.2f} s ({median['digits_after_10s_cpu_s']:.2f} s server CPU)",
               "≤ 1.5 s", median["digits_after_10s_s"] <= 1.5),
        Figure("home first opened 10 s after the spawn → rendered (median; what any first visit costs)",
               f"{median['home_after_10s_s']:.2f} s ({median['home_after_10s_cpu_s']:.2f} s server CPU)"),
        Figure("server memory after /digits (median)", f"{median['rss_after_digits_mib']:.0f} MiB"),
    ]
    rows = ["| Run | server healthy | home: title shown, done (from navigating) | /activations: title, done "
            "| first /digits: title, done | server CPU: start, home, /activations, /digits "
            "| browser CPU: home, /activations, /digits | server RSS after home, /activations, /digits |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for k, run in enumerate(runs, 1):
        rows.append(
            f"| {k} | {run['healthy_s']:.2f} s | {run['home_title_s']:.2f}, {run['home_s']:.2f} s "
            f"| {run['activations_title_s']:.2f}, {run['activations_s']:.2f} s "
            f"| {run['digits_title_s']:.2f}, {run['digits_s']:.2f} s "
            f"| {run['healthy_cpu_s']:.1f}, {run['home_cpu_s']:.1f}, {run['activations_cpu_s']:.1f}, "
            f"{run['digits_cpu_s']:.1f} s "
            f"| {run['home_browser_cpu_s']:.1f}, {run['activations_browser_cpu_s']:.1f}, "
            f"{run['digits_browser_cpu_s']:.1f} s "
            f"| {run['rss_after_home_mib']:.0f}, {run['rss_after_activations_mib']:.0f}, "
            f"{run['rss_after_digits_mib']:.0f} MiB |")
    details = ("Each run is a new server process, timed from just before its spawn, in one already launched "
               "Chromium; each page is a fresh page load, times from navigating to it. A page is rendered when its "
               "title is shown and Streamlit reports the script done. Headless Chromium renders in software on "
               "the same two cores as the server: its CPU time is given beside the server's. TensorFlow is looked "
               "for in /proc/<pid>/maps of the server.\n\n" + "\n".join(rows))
    return params, result, figures, details


def transfer(args) -> tuple[dict, dict, list[Figure], str]:
    from bench import bench_transfer

    params = {"repeats": 1 if args.quick else 3}
    result = {"compressed": bench_transfer.measure(**params),
              "plain": bench_transfer.measure(**params, compressed=False)}
    figures, rows = [], ["| Page, visit | with ui.compression: total (HTTP, websocket) | each run | without: total "
                         "(HTTP, websocket) | each run |", "| --- | --- | --- | --- | --- |"]
    for name in bench_transfer.PAGES:
        after, before = result["compressed"]["median"][name], result["plain"]["median"][name]
        figures += [Figure(f"first visit to /{name}, median (without ui.compression: "
                           f"{before['first_total_mb']:.2f} MB)", f"{after['first_total_mb']:.2f} MB", "≤ 3 MB",
                           after["first_total_mb"] <= 3),
                    Figure(f"second visit to /{name}, its cache warm, median", f"{after['second_total_mb']:.2f} MB",
                           "≤ 0.5 MB", after["second_total_mb"] <= 0.5)]
        for when in ("first", "second"):
            cells = [f"{m[f'{when}_total_mb']:.2f} MB ({m[f'{when}_http_mb']:.2f}, {m[f'{when}_websocket_mb']:.3f}) | "
                     + ", ".join(f"{run[when]['total_bytes'] / 1e6:.2f}" for run in result[how]["runs"][name])
                     for how, m in (("compressed", after), ("plain", before))]
            rows.append(f"| /{name}, {when} | {cells[0]} | {cells[1]} |")
    last = result["compressed"]["runs"]["activations"][-1]["first"]
    details = ("A visit's bytes are what Chromium's DevTools protocol reports: each HTTP response's encoded size "
               "(headers and body as received; nothing for what came from the cache) and the websocket's frames "
               "both ways (payload and frame header; Streamlit leaves the websocket uncompressed). A first visit is "
               "a fresh browser context; the second opens the same address in a new tab of it, after the first tab "
               "closed. A visit ends once the page is rendered, its charts drawn, and no request has started or "
               "ended for 2 s. Without ui.compression: the same server with its middleware taken out as it "
               "starts (Streamlit as it serves itself). The server answers gzip only, which is all Chromium asks "
               "for over http:// to a room's address (brotli and zstd only over HTTPS or to localhost). "
               "MB are 10^6 bytes.\n\n" + "\n".join(rows)
               + "\n\nA first visit to /activations by kind: " + ", ".join(
                   f"{kind} {size / 1e6:.2f} MB" for kind, size in last["by_type"].items()) + "; the biggest: "
               + "; ".join(f"{b['path'].rsplit('/', 1)[-1]} {b['bytes'] / 1e6:.2f} MB ({b['encoding'] or 'plain'})"
                           for b in last["biggest"]) + ".")
    raw = {how: {"median": r["median"], "runs_total_bytes": {
        name: [[run["first"]["total_bytes"], run["second"]["total_bytes"]] for run in runs]
        for name, runs in r["runs"].items()}} for how, r in result.items()}
    return params, raw, figures, details


def draw(args) -> tuple[dict, dict, list[Figure], str]:
    from bench import bench_digits_browser

    params = {"drawings": 5 if args.quick else 30, "model": "ours"}
    result = bench_digits_browser.measure(**params)
    gaps = result["gaps"]
    figures = [
        Figure("pen-up → Prediction shown, 95th percentile", _ms(result["p95"]), "≤ 150 ms", result["p95"] <= 150),
        Figure("pen-up → Prediction shown, median", _ms(result["median"])),
        Figure("readings while the pen moves, apart, 95th percentile", _ms(gaps["p95"]), "≤ 250 ms",
               gaps["p95"] <= 250),
        Figure("readings while the pen moves, apart, median", _ms(gaps["median"])),
    ]
    details = (f"{result['n']} drawings (a \"1\" and a \"0\" in turn, each one stroke of a point every 16 ms, "
               f"one warm-up not counted), pen-up → Prediction min {_ms(result['min'])}, max {_ms(result['max'])}; "
               f"pen-up → sent {_ms(result['to_send']['median'])}, sent → shown {_ms(result['after_send']['median'])} "
               f"(medians). While the pen moved: {result['updates']['median']:.0f} readings a stroke (median), "
               f"{result['gaps_over_250']} of {gaps['n']} gaps over 250 ms, the longest {_ms(gaps['max'])}; "
               f"first move → first reading {_ms(result['first_update']['median'])} (median).")
    return params, result, figures, details


def class_(args) -> tuple[dict, dict, list[Figure], str]:
    from bench import bench_class

    params = {"visitors": args.visitors or (5 if args.quick else 30),
              "seconds": args.seconds or (20 if args.quick else 120),
              "interval": (3.0, 5.0),
              "trainers": args.trainers if args.trainers is not None else (1 if args.quick else 3)}
    result = bench_class.measure(**params)
    p, rss = result["to_prediction_ms"], result["rss_mib"]
    peak = rss["peak"]
    figures = [
        Figure("errors", f"{result['errors']} in {result['drawings_sent']} drawings"
               + (f" {result['errors_by_kind']}" if result["errors"] else ""), "0", result["errors"] == 0),
        Figure("send → prediction, 95th percentile",
               _ms(p["p95"]) if p["n"] else "no answer", "< 1500 ms", bool(p["n"]) and p["p95"] < 1500),
        Figure("send → prediction, median", _ms(p["median"]) if p["n"] else "no answer"),
        Figure("server memory (process and children), peak", f"{peak:.0f} MiB", "< 2048 MiB", peak < 2048),
        Figure(f"{params['visitors']} pages opened at once, 95th percentile",
               _ms(result["page_open_ms"]["p95"]) if result["page_open_ms"]["n"] else "none opened"),
    ]
    if params["trainers"]:
        trainers = result["trainers_note"] or "; ".join(
            f"press answered in {_ms(1000 * run['press_to_first_answer_s'])}, {run['runs_finished']} live updates"
            if run["press_to_first_answer_s"] is not None else "press not answered" for run in result["trainer_runs"])
        figures.append(Figure(f"{params['trainers']} training on /digits-training meanwhile", trainers))
    f = result["to_finished_ms"]
    details = "\n".join([
        f"{params['visitors']} light websocket clients (bench_class.py: Streamlit's own protocol, messages recorded "
        f"from Chromium), each drawing every {params['interval'][0]:g}–{params['interval'][1]:g} s (jittered) for "
        f"{params['seconds']:g} s; {result['drawings_answered']} of {result['drawings_sent']} drawings answered, "
        f"{result['late_sends']} sent late because the previous answer was not in yet; "
        f"{result['live_sends']} more messages sent while the pens moved (the pad's rules, one-second strokes).",
        "",
        "| | median | 95th percentile | max |",
        "| --- | --- | --- | --- |",
        *(f"| {name} | {_ms(s['median'])} | {_ms(s['p95'])} | {_ms(s['max'])} |"
          for name, s in (("send → prediction", p), ("send → run finished", f),
                          ("page opened (HTTP + websocket + first run)", result["page_open_ms"])) if s["n"]),
        "",
        f"Server memory: {rss['before']:.0f} MiB before the class, peak {rss['peak']:.0f} MiB, "
        f"{rss['5_s_after_leaving']:.0f} MiB 5 s after everyone left; the server process's own high-water mark "
        f"{rss['server_high_water_mark']:.0f} MiB. Server CPU {result['server_cpu_cores']:.2f} cores on average; "
        f"the clients themselves {result['harness_cpu_cores']:.2f} cores. Images fetched: "
        f"{result['media_mib']:.1f} MiB.",
        "",
        "Not included (a browser pays them, bench_digits_browser.py measures them): rendering, and loading the "
        "static files. Send → prediction is from the pen-up's send.",
    ])
    return {**params, "interval": f"{params['interval'][0]:g}–{params['interval'][1]:g} s"}, result, figures, details


def xor_play(args) -> tuple[dict, dict, list[Figure], str]:
    from bench import bench_xor_play

    params = {"seconds": 3.0 if args.quick else 10.0, "repeats": 1 if args.quick else 3,
              "cycles": 3 if args.quick else 10, "training": True}
    result = bench_xor_play.measure(**params)
    busy = result["while_training"]
    figures = [Figure(f"play mode, frames per second ({result['epochs_per_frame']} epochs a frame), median",
                      f"{result['frames_per_second']:.2f} /s", "≥ 10 /s", result["frames_per_second"] >= 10),
               Figure("the same while a /digits-training run trains", f"{busy['frames_per_second']:.2f} /s",
                      "≥ 10 /s", busy["frames_per_second"] >= 10)]
    for name, key in (("Pause", "pause_answers_ms"), ("Play", "play_answers_ms")):
        s = busy[key]
        figures.append(Figure(f"{name} → the button and picture answer, while training, 95th percentile",
                              _ms(s["p95"]), "≤ 300 ms", s["p95"] <= 300))
    details = "\n".join(bench_xor_play.describe(name, r) for name, r in
                        (("idle", result["idle"]), ("while a /digits-training run trains", busy)))
    return params, result, figures, details


def classroom(args) -> tuple[dict, dict, list[Figure], str]:
    from bench import bench_classroom

    params = {"students": args.visitors or (5 if args.quick else 30),
              "seconds": 60 if args.quick else 600, "interval": (3.0, 5.0),
              "trainers": args.trainers if args.trainers is not None else (1 if args.quick else 3)}
    result = bench_classroom.measure(**params)
    p, r, db = result["to_prediction_ms"], result["teacher_refresh_ms"], result["database"]
    figures = [
        Figure("errors", f"{result['errors']} in {result['drawings_sent']} drawings"
               + (f" {result['errors_by_kind']}" if result["errors"] else ""), "0", result["errors"] == 0),
        Figure("send → prediction (the reading also written to the class), 95th percentile",
               _ms(p["p95"]) if p["n"] else "no answer", "≤ 1500 ms", bool(p["n"]) and p["p95"] <= 1500),
        Figure("send → prediction, median", _ms(p["median"]) if p["n"] else "no answer"),
        Figure("the teacher's screen refreshed (every 2 s), 95th percentile",
               _ms(r["p95"]) if r["n"] else "no refresh", "≤ 2000 ms", bool(r["n"]) and r["p95"] <= 2000),
        Figure("the teacher's screen refreshed, median", _ms(r["median"]) if r["n"] else "no refresh"),
        Figure(f"database after {params['seconds'] / 60:g} minutes (file and write-ahead log)",
               f"{db['size_mib']:.2f} MiB"),
        Figure("server memory, peak", f"{result['rss_mib']['peak']:.0f} MiB"),
    ]
    badge = result["badge_rerun_ms"]
    details = "\n".join([
        f"{params['students']} light websocket clients joined to one class (bench_classroom.py), each drawing every "
        f"{params['interval'][0]:g}–{params['interval'][1]:g} s for {params['seconds']:g} s, its badge rerunning "
        f"every 5 s; {params['trainers']} of them training on /digits-training; the teacher's /class open, its live "
        f"part rerun every 2 s. {result['drawings_answered']} of {result['drawings_sent']} drawings answered.",
        "",
        "| | median | 95th percentile | max |",
        "| --- | --- | --- | --- |",
        *(f"| {name} | {_ms(s['median'])} | {_ms(s['p95'])} | {_ms(s['max'])} |"
          for name, s in (("send → prediction", p), ("teacher's refresh", r), ("a student's badge rerun", badge),
                          ("teacher's page opened", result["teacher_open_ms"])) if s["n"]),
        "",
        f"Database at the end: {db['students']} students, {db['drawings_kept']} drawings kept, {db['runs']} runs; "
        f"files {db['files_bytes']}. Server CPU {result['server_cpu_cores']:.2f} cores on average.",
    ])
    return {**params, "interval": f"{params['interval'][0]:g}–{params['interval'][1]:g} s"}, result, figures, details


def school(args) -> tuple[dict, dict, list[Figure], str]:
    from bench import bench_school

    params = {"students": args.visitors or (10 if args.quick else 60), "classes": 2,
              "seconds": args.seconds or (30 if args.quick else 120), "interval": (3.0, 5.0),
              "trainers": args.trainers if args.trainers is not None else (2 if args.quick else 6),
              "web": 2, "workers": 2}
    result = bench_school.measure(**params)
    plan = result["estimate"] = bench_school.estimate(result)
    p, r, f = result["to_prediction_ms"], result["teacher_refresh_ms"], result["press_to_first_batch_ms"]
    taken, b = result["taken_to_first_batch_ms"], result["basis"]
    shown = lambda s: _ms(s["p95"]) if s["n"] else "none"  # noqa: E731
    figures = [
        Figure("errors", f"{result['errors']} in {result['drawings_sent']} drawings, {len(result['runs'])} runs, "
               f"{params['classes']} teachers' screens" + (f" {result['errors_by_kind']}" if result["errors"] else ""),
               "0", result["errors"] == 0),
        Figure("send → prediction (the reading also written to the class), 95th percentile", shown(p), "≤ 1500 ms",
               bool(p["n"]) and p["p95"] <= 1500),
        Figure("send → prediction, median", _ms(p["median"]) if p["n"] else "none"),
        Figure(f"Train → first batch (the job's published progress; {result['runs_finished']} of "
               f"{len(result['runs'])} runs finished), 95th percentile, waiting in line included", shown(f)),
        Figure("a worker taking the run → its first batch, 95th percentile", shown(taken)),
        Figure("the teacher's screen refreshed (every 2 s), 95th percentile", shown(r), "≤ 2000 ms",
               bool(r["n"]) and r["p95"] <= 2000),
        Figure("the teacher's screen refreshed, median", _ms(r["median"]) if r["n"] else "none"),
        *(Figure(f"{role}: memory (RSS), peak", f"{m['rss_peak_mib']:.0f} MiB"
                 + (f" ({m['processes']} processes; PSS {m['pss_peak_mib']:.0f} MiB)" if m["processes"] > 1 else ""))
          for role, m in result["memory"].items()),
        Figure("machine load (1 min) before → after the class",
               f"{result['load_before'][0]:.2f} → {result['load_after'][0]:.2f}"),
        Figure(f"estimate: {plan['students']} students and {plan['teachers']} teachers on {plan['cores']} cores",
               f"{plan['web_cores']:.1f} cores of web processes ({plan['web_processes']} processes at ≤ 50 % each), "
               f"{plan['caddy_postgres_redis_cores']:.1f} for Caddy, PostgreSQL and Redis; "
               + (f"{plan['spare_cores']:.1f} left to train: 30 Train presses cleared in ~"
                  f"{plan['presses_cleared_s']:.0f} s" if plan["presses_cleared_s"] else "no cores left to train")),
    ]
    rows = ["| Process | RSS peak | RSS at the end | CPU while the students drew | CPU, teachers alone |",
            "| --- | --- | --- | --- | --- |"]
    window = result["seconds"]
    for role, m in result["memory"].items():
        rows.append(f"| {role} | {m['rss_peak_mib']:.0f} MiB | {m['rss_end_mib']:.0f} MiB "
                    f"| {m['cpu_cores_in_class']:.2f} cores "
                    f"| {result['cpu_seconds_teachers_alone'].get(role, 0.0) / result['teachers_alone_s']:.2f} cores |")
    run_rows = ["| Run (class) | press → queued | → worker took it | → first batch | run on the worker | images/s | "
                "press → results on the page |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for k, run in enumerate(result["runs"], 1):
        cells = [f"{run[key]:.1f} s" if run[key] is not None else "—" for key in
                 ("press_to_queued_s", "press_to_running_s", "press_to_first_batch_s", "running_to_ended_s")]
        rate = f"{run['images_per_second']:.0f}" if run["images_per_second"] else "—"
        page = f"{run['press_to_ended_on_page_s']:.1f} s" if run["press_to_ended_on_page_s"] else "—"
        run_rows.append(f"| {k} ({run['class']}, {run['status']}) | {' | '.join(cells)} | {rate} | {page} |")
    others = b["others_cpu_per_student_second"]
    details = "\n".join([
        f"`dlplay school --web {params['web']} --workers {params['workers']}` on a PostgreSQL and a redis-server of "
        f"the bench's own (tests/postgres.py, tests/redis_server.py), up and every worker listening in "
        f"{result['school_up_s']:.0f} s. Through Caddy only: {params['students']} light websocket clients "
        f"(bench_school.py; the messages recorded in Chromium through Caddy) joined to {params['classes']} classes, "
        f"each drawing every {params['interval'][0]:g}–{params['interval'][1]:g} s for {params['seconds']:g} s, its "
        f"badge rerunning every 5 s; each keeps the cookies of its first response, Caddy's sticky `dlplay_web` "
        f"among them, for its websocket and its images. Clients per web process (port: clients, teachers and "
        f"trainers included): {result['served_by']}. {params['trainers']} more students press the recorded Train "
        f"on /digits-training in pairs (one per class) 10 s apart, and follow their run on the page until its "
        f"results show; each class's teacher screen is open, its live part rerun every 2 s. After the class the "
        f"teachers stay alone {result['teachers_alone_s']:.0f} s. {result['drawings_answered']} of "
        f"{result['drawings_sent']} drawings answered.",
        "",
        "| | median | 95th percentile | max |",
        "| --- | --- | --- | --- |",
        *(f"| {name} | {_ms(s['median'])} | {_ms(s['p95'])} | {_ms(s['max'])} |"
          for name, s in (("send → prediction", p), ("send → run finished", result["to_finished_ms"]),
                          ("teacher's refresh, students in class", r),
                          ("teacher's refresh, teachers alone", result["teacher_refresh_alone_ms"]),
                          ("a student's badge rerun", result["badge_rerun_ms"]),
                          ("page opened (HTTP + websocket + first run)", result["page_open_ms"]),
                          ("Train → first batch (waiting in line included)", f),
                          ("worker took the run → first batch", taken)) if s["n"]),
        "",
        "Train → first batch is read from Redis: the job's hash (dlplay.jobs.rq) looked at every 50 ms, its first "
        "published `progress` with images seen, matched to the press by the job's owner (the pressing session).",
        "",
        *run_rows,
        "",
        "Memory is psutil's RSS of each process (PostgreSQL: its processes summed, so its shared buffers count once "
        "per process; PSS counts them once), sampled every second; CPU is user + system time over the "
        f"{window:g} s the students drew, in cores. The clients themselves used "
        f"{result['harness_cpu_cores']:.2f} cores of the same machine.",
        "",
        *rows,
        "",
        f"Database at the end: {result['database']}.",
        "",
        f"**Scaling estimate** to {plan['students']} students and {plan['teachers']} teachers on {plan['cores']} "
        f"cores, from this run's CPU, not its latencies (which a shared 2-core machine inflates): a student drawing "
        f"every 3–5 s cost the web processes {b['web_cpu_per_student_second'] * 1000:.1f} ms of CPU a second "
        f"({b['web_cpu_per_drawing_s'] * 1000:.0f} ms per drawing, badge reruns and the trainers' page polls "
        f"included), the teachers' share taken out; a teacher's screen {b['web_cpu_per_teacher_second'] * 1000:.1f} "
        f"ms a second (measured with the teachers alone); Caddy, PostgreSQL and Redis "
        f"{others['Caddy'] * 1000:.1f}, {others['PostgreSQL'] * 1000:.1f} and {others['Redis'] * 1000:.1f} ms a "
        f"second per student. So {plan['students']} × {b['web_cpu_per_student_second']:.4f} + {plan['teachers']} × "
        f"{b['web_cpu_per_teacher_second']:.4f} = {plan['web_cores']:.1f} cores of web processes: one Streamlit "
        f"process uses one core at most (the GIL), and kept at most half busy for the latencies above, that is "
        f"{plan['web_processes']} web processes (`--web {plan['web_processes']}`); plus "
        f"{plan['caddy_postgres_redis_cores']:.1f} cores for Caddy, PostgreSQL and Redis. "
        + (f"The {plan['spare_cores']:.1f} cores left train: a run of the page's default (the tutorial's CNN, "
           f"10,000 images, one epoch) cost a worker {plan['worker_cpu_s_per_run']:.1f} CPU seconds here (median "
           f"{b['worker_wall_s_per_run_median']:.1f} s on the worker, two runs sharing two busy cores), so 30 "
           f"presses at once clear in about 30 × {plan['worker_cpu_s_per_run']:.1f} / {plan['spare_cores']:.1f} ≈ "
           f"{plan['presses_cleared_s']:.0f} s with one worker per spare core (each ~"
           f"{max(m['rss_peak_mib'] for role, m in result['memory'].items() if role.startswith('worker')):.0f} MiB "
           f"resident)."
           if plan["presses_cleared_s"] else "No cores are left to train on: more cores, or a second machine.")
        + " Linear in students, which holds while PostgreSQL and Redis stay far from busy; memory is not the limit "
        "(web processes and workers above times their counts).",
    ])
    return {**params, "interval": f"{params['interval'][0]:g}–{params['interval'][1]:g} s"}, result, figures, details


# bench_xor.py's lines read "<what> [(target < N ms)]: median <ms> ms wall, ..."; others are kept in the details.
LINE = re.compile(r"^(?P<what>.+?)(?: \((?P<target>target [^)]*)\))?: median (?P<ms>[\d.]+) ms", re.M)


def xor(args) -> tuple[dict, dict, list[Figure], str]:
    """bench_xor.py runs as a script, its output kept as it is (it is being reworked; its lines are not ours)."""
    params = {"repeats": 3 if args.quick else 15}
    command = [sys.executable, str(ROOT / "bench" / "bench_xor.py"), "--repeats", str(params["repeats"])]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if done.returncode:
        raise RuntimeError(f"bench_xor.py exited with {done.returncode}: {done.stderr.strip()[-300:]}")
    output = done.stdout.strip()
    figures = []
    for m in LINE.finditer(output):
        target = m["target"].removeprefix("target ") if m["target"] else ""
        limit = re.fullmatch(r"< ([\d.]+) ms", target)
        figures.append(Figure(m["what"], f"{m['ms']} ms (median)", target,
                              float(m["ms"]) < float(limit[1]) if limit else None))
    return params, {"output": output}, figures, f"```\n{output}\n```"


def digits(args) -> tuple[dict, dict, list[Figure], str]:
    from bench import bench_digits

    params = {"repeats": 20 if args.quick else 200}
    result = bench_digits.measure(**params)
    figures = [Figure(f"{what}, median", f"{ms['wall_ms']:.2f} ms ({ms['thread_cpu_ms']:.2f} ms thread CPU)",
                      "< 5 ms", ms["wall_ms"] < 5)
               for what, ms in result.items() if what.endswith("digits.read_digit")]
    loading = bench_digits.measure_loading(repeats=1 if args.quick else 3)
    figures += [Figure(f"both shipped models ready in a fresh interpreter, {how} (median)",
                       f"{s['wall_s']:.2f} s ({s['cpu_s']:.2f} s CPU)") for how, s in loading.items()]
    rows = ["| | wall | thread CPU |", "| --- | --- | --- |"]
    rows += [f"| {what} | {ms['wall_ms']:.2f} ms | {ms['thread_cpu_ms']:.2f} ms |" for what, ms in result.items()]
    details = ("Medians for one 280 × 280 canvas; `digits.read_digit` on the numpy models is what the page calls "
               "per stroke (Keras for a visitor's own model). Ready in Keras means TensorFlow imported and both "
               "models loaded and traced; in numpy, both .keras files read with h5py.\n\n" + "\n".join(rows))
    return params, {"reading": result, "loading": loading}, figures, details


def text(args) -> tuple[dict, dict, list[Figure], str]:
    from bench import bench_text

    params = {"repeat": 10 if args.quick else 200}
    result = bench_text.measure(**params)
    figures = [Figure(f"text.predict {what}, median", _ms(ms)) for what, ms in result["predict_median_ms"].items()]
    figures += [Figure(f"text.predict on {what}, median", _ms(ms))
                for what, ms in result["predict_long_text_median_ms"].items()]
    figures.append(Figure("tokenize 100,000 characters up to the 61 words read, median",
                          _ms(result["tokenize_100k_chars_median_ms"])))
    details = f"Loading every shipped text model: {result['load_all_models_ms']:.0f} ms."
    return params, result, figures, details


def training(args) -> tuple[dict, dict, list[Figure], str]:
    from bench import bench_training

    params = {"images": 2000 if args.quick else 10_000, "repeats": 1 if args.quick else 5}
    result = bench_training.measure(**params)
    overhead = result["overhead_percent"]
    figures = [
        Figure("time inside the page's callback (live curves, validation, progress, Stop check), "
               "as a share of a bare fit", f"{result['inside_callback_percent']:.1f} %", "< 5 %",
               result["inside_callback_percent"] < 5),
        Figure("fit with the page's callback, wall-clock overhead (median)",
               f"{overhead['callback']:+.1f} %"),
        Figure("fit with the callback and the page's once-a-second poll building both charts, "
               "wall-clock overhead (median)", f"{overhead['page']:+.1f} %", "< 5 %", overhead["page"] < 5),
    ]
    rows = ["| | median fit | fastest fit | runs |", "| --- | --- | --- | --- |"]
    rows += [f"| {mode} | {result['median_s'][mode]:.2f} s | {min(runs):.2f} s | "
             f"{', '.join(f'{t:.2f}' for t in runs)} |"
             for mode, runs in result["runs_s"].items()]
    details = (f"The tutorial's CNN, the shipped sample's first {params['images']:,} images, one epoch, batch 32, "
               "Adam 0.001; the three modes run in turn, the order rotating, so that the machine's load falls on each "
               "alike. A fit varies ±10 % run to run, more than the overhead, so the time spent inside the "
               "callback is added up too: that is the overhead itself.\n\n"
               + "\n".join(rows))
    return params, result, figures, details


def typing(args) -> tuple[dict, dict, list[Figure], str]:
    from bench import bench_text_browser

    params = {"sentences": 5 if args.quick else 30}
    result = bench_text_browser.measure(**params)
    figures = [
        Figure("last keystroke → sentiment shown, median", _ms(result["median"]), "≤ 300 ms", result["median"] <= 300),
        Figure("last keystroke → sentiment shown, 95th percentile", _ms(result["p95"]), "≤ 300 ms",
               result["p95"] <= 300),
    ]
    details = (f"{result['n']} sentences typed key by key into the emptied box, no Enter (one warm-up not counted); "
               f"the box's own pause (keystroke to text sent) median {_ms(result['keystroke_to_sent']['median'])}, "
               f"then text sent to sentiment shown median {_ms(result['sent_to_shown']['median'])}, p95 "
               f"{_ms(result['sent_to_shown']['p95'])}. Before, /text answered only on Enter.")
    return params, result, figures, details


def hostile(args) -> tuple[dict, dict, list[Figure], str]:
    from bench import bench_hostile_memory as b

    result = b.measure()
    # The small valid files load the code that reads any file (as on a server in use): no target for them.
    figures = [Figure(f"{r['file']} ({r['bytes'] / b.MB:.2f} MB): peak above rest, then after",
                      f"+{r['above_rest_mb']} MB, +{r['after_above_rest_mb']} MB; answered in {r['seconds']} s",
                      *(("", None) if r["file"].startswith("small.") else (
                          f"≤ +{b.TARGET_MB} MB, ≤ +{b.TARGET_AFTER_MB} MB",
                          r["above_rest_mb"] <= b.TARGET_MB and r["after_above_rest_mb"] <= b.TARGET_AFTER_MB)))
               for r in result["uploads"]]
    c = result["cli_tsv"]
    figures.append(Figure(f"`dlplay text evaluate` on a {c['tsv_mb']} MB TSV: peak memory (exit {c['exit']})",
                          f"{c['peak_mb']} MB in {c['seconds']} s"))
    rows = ["| File | Size | Before | Peak | After | Answered in | The page said |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    rows += [f"| {r['file']} | {r['bytes'] / b.MB:.2f} MB | {r['rest_mb']} MB | {r['peak_mb']} MB "
             f"(+{r['above_rest_mb']}) | {r['after_mb']} MB (+{r['after_above_rest_mb']}) | {r['seconds']} s "
             f"| {r['page_said'][:90]} |"
             for r in result["uploads"]]
    details = "\n".join([
        "The server's process tree, sampled every 20 ms, while /digits-training refuses (or takes) each file through "
        "its own uploaders in Chromium (bench/bench_hostile_memory.py; the files are tests/crafted.py's). Before: "
        "the median of the 2 s before the upload; after: the median of the 2 s after the answer.", "", *rows, "",
        f"The CLI: {c['stderr'] or '(nothing on stderr)'}"])
    return {"files": len(result["uploads"])}, result, figures, details


SECTIONS = {"cold": cold, "transfer": transfer,
            "draw": draw, "class": class_, "typing": typing, "xor-play": xor_play, "classroom": classroom,
            "school": school, "hostile": hostile,
            "xor": xor, "digits": digits, "text": text, "training": training}


def run_section(name: str, args, command: str) -> dict:
    """One section, timed and with the load around it; a failure is recorded, not raised."""
    print(f"[bench] {name} ...", flush=True)
    started, load_before = time.perf_counter(), machine.load()
    section = {"title": TITLES[name], "date": _now(), "command": command, "quick": args.quick,
               "load_before": load_before, "params": {}}
    try:
        params, raw, figures, details = SECTIONS[name](args)
        section.update(params=params, raw=raw, figures=[f.__dict__ for f in figures], details=details)
    except Exception as error:  # noqa: BLE001 - one broken section must not lose the others' figures
        traceback.print_exc()
        section.update(error=f"{type(error).__name__}: {error}"[:300], figures=[])
    section.update(load_after=machine.load(), seconds=time.perf_counter() - started)
    for figure in section["figures"]:
        mark = {True: "ok", False: "MISSED", None: ""}[figure["met"]]
        target = f" (target {figure['target']})" if figure["target"] else ""
        print(f"    {figure['what']}: {figure['measured']}{target} {mark}", flush=True)
    return section


def _now() -> str:
    return datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts, to check the harness (a few minutes)")
    parser.add_argument("--only", default=",".join(ORDER), help=f"comma-separated sections: {','.join(ORDER)}")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md",
                        help="the report (default: %(default)s)")
    parser.add_argument("--visitors", type=int, help="class: visitors (default 30, --quick 5); classroom: students; "
                                                      "school: students (default 60, --quick 10)")
    parser.add_argument("--seconds", type=float, help="class: seconds (default 120, --quick 20); school: seconds the "
                                                      "students draw (default 120, --quick 30)")
    parser.add_argument("--trainers", type=int,
                        help="class: visitors training on /digits-training meanwhile (default 3, --quick 1); "
                             "school: runs (default 6, --quick 2)")
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(ORDER))
    if unknown:
        parser.error(f"unknown sections {unknown}; choose from {','.join(ORDER)}")

    command = " ".join([".venv/bin/python -m bench", *sys.argv[1:]])
    sections, described = report.load(args.out), machine.describe()
    for name in ORDER:
        if name in chosen:
            sections[name] = run_section(name, args, command)
            # Written after every section, so a long run interrupted late keeps what it measured.
            args.out.write_text(report.render(described, command, _now(), sections, ORDER), encoding="utf-8")
    print(f"[bench] wrote {args.out}")
    failed = [name for name in chosen if sections[name].get("error")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
