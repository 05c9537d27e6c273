"""The school server training for real: `dlplay school --web 2 --workers 1` (Caddy, two web processes, PostgreSQL,
a Redis of the module's own, one `dlplay worker`), and a student of a class on /digits-training in Chromium.

Where a run trained is read from Redis: its job's hash (dlplay.jobs.rq) names the RQ worker that took it, and RQ's
own hash of that worker its process id, which must be the worker `dlplay school` started; and no web process has
TensorFlow's libraries mapped, while the worker does.
"""

import os
import re
import signal
import time
from pathlib import Path

import pytest
import redis
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dlplay import i18n
from tests.browser.helpers import join, metric_value, wait_for_app

pytestmark = pytest.mark.slow

LANG = "zh"  # the student's: what the page says must come in it
# 120,000 images, a minute or more here: each run is stopped or killed seconds in, and a Stop that a busy machine
# is slow to pass on still reaches a run that trains (a run already testing its model would end as done).
IMAGES = 60_000 * 2
SETTINGS = "train_size=60000&epochs=2&batch_size=32"
TOTAL = f"{IMAGES:,}"
PROGRESS = "document.querySelector('[data-testid=stProgress]')"
POINTS = "(document.querySelector('.js-plotly-plot') || {data: [{x: []}]}).data[0].x.length"
TOLD_WITHIN = 30  # seconds from the worker's death to the page saying so (its job's `alive` key lives 5 s)
RUN_WITHIN = 180  # seconds for a run to start: the restarted worker loads TensorFlow first


def t(key, lang=LANG, **values):
    return i18n.text(lang, key, **values)


def seen(text: str) -> int:
    """The images gone through, as the progress bar's text says (its numbers are the same in every language)."""
    return int(re.search(rf"([\d,]+)/{TOTAL}", text).group(1).replace(",", ""))


def progress_text(page) -> str:
    return page.evaluate(f"({PROGRESS} || {{}}).innerText || ''")


def points(page) -> int:
    return page.evaluate(POINTS)


def the_button(page, key: str):
    """The page's own Train or Stop (not Streamlit's "Stop" beside "Running…", which comes and goes)."""
    return page.locator("[data-testid=stMain]").get_by_role("button", name=t(key), exact=True)


def wait_for_moving(page, timeout: float = RUN_WITHIN * 1000) -> None:
    """Until the run trains and its progress bar's text and its curves' points have both moved on since first
    seen."""
    page.wait_for_function(f"{PROGRESS} && /[1-9][\\d,]*\\/{TOTAL}/.test({PROGRESS}.innerText) && {POINTS} >= 3",
                           timeout=timeout)
    first_text, first_points = progress_text(page), points(page)
    page.wait_for_function(f"([text, n]) => {PROGRESS} && {PROGRESS}.innerText !== text && {POINTS} > n",
                           arg=[first_text, first_points], timeout=60_000)
    later_text, later_points = progress_text(page), points(page)
    assert seen(first_text) < seen(later_text) < IMAGES, (first_text, later_text)
    assert first_points < later_points


def wait_for_results(page) -> float:
    label = t("digits_training.test_accuracy")
    page.wait_for_function(
        "label => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => m.innerText.includes(label))",
        arg=label, timeout=120_000)
    wait_for_app(page)
    return float(metric_value(page, label).rstrip("%"))


def catalogue_pattern(key: str) -> re.Pattern:
    """The catalogue's text for `key` in the page's language, each placeholder a number (a share in %)."""
    parts = re.split(r"\{\w+(?::[^}]*)?\}", i18n.CATALOGUES[LANG][key])
    return re.compile(r"(\d[\d,]*(?:\.\d+)?%?)".join(map(re.escape, parts)))


def job_ids(connection: redis.Redis) -> set[str]:
    return {k.decode().rsplit(":", 1)[1] for k in connection.scan_iter("dlplay:job:*")
            if re.fullmatch(rb"dlplay:job:[0-9a-f]{32}", k)}


def new_job(connection: redis.Redis, before: set[str]) -> str:
    """The one job submitted since `before`."""
    (job_id,) = wait_until(lambda: job_ids(connection) - before, 30, "the run's job in Redis")
    return job_id


def job(connection: redis.Redis, job_id: str) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in connection.hgetall(f"dlplay:job:{job_id}").items()
            if k in (b"status", b"error", b"lane", b"worker")}


def worker_pid(connection: redis.Redis, job_id: str) -> int:
    """The process id of the RQ worker that ran `job_id`, as RQ registered it."""
    name = job(connection, job_id)["worker"]
    return int(connection.hget(f"rq:worker:{name}", "pid"))


def has_tensorflow(pid: int) -> bool:
    """Whether process `pid` has TensorFlow's shared libraries mapped (it imported TensorFlow)."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return re.search(r"/tensorflow/\S*\.so", maps) is not None


def wait_until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.1)
    return found


def test_a_students_runs_on_the_worker_stop_keeps_the_model_and_a_killed_worker_is_said(browser, school_with_worker):
    school = school_with_worker
    connection = redis.Redis.from_url(school.redis_url)
    (worker,) = school.children("dlplay", "worker")
    web = school.children("streamlit")
    assert len(web) == 2
    contexts = []
    try:
        # A teacher opens a class; the student comes by its link to /digits-training and joins.
        teacher_context = browser.new_context(locale="en-US")
        contexts.append(teacher_context)
        teacher = teacher_context.new_page()
        teacher.set_default_timeout(60_000)
        teacher.goto(f"{school.url}/class?lang=en")
        wait_for_app(teacher)
        teacher.get_by_role("button", name=t("classroom.start", "en")).click()
        teacher.get_by_text(t("classroom.here", "en"), exact=True).wait_for()
        code = metric_value(teacher, t("classroom.code", "en"))
        teacher_context.close()
        contexts.remove(teacher_context)

        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{school.url}/?lang={LANG}")  # a fresh process's first visitor of a lesson's address: not found
        wait_for_app(page)
        page.goto(f"{school.url}/digits-training?lang={LANG}&class={code}&{SETTINGS}")
        wait_for_app(page)
        join(page, "Ada", LANG)

        # 1. Train: the curves and the progress move, fed by the worker, then Stop keeps the model.
        before = job_ids(connection)
        the_button(page, "digits_training.train").click()
        first = new_job(connection, before)
        wait_for_moving(page)
        running = job(connection, first)
        assert running["status"] == "running" and running["lane"] == code, running  # in the class's lane
        assert worker_pid(connection, first) == worker  # on the worker `dlplay school` started
        the_button(page, "digits_training.stop").click()
        accuracy = wait_for_results(page)
        assert job(connection, first)["status"] == "stopped"
        stopped = catalogue_pattern("digits_training.stopped").search(page.inner_text("body"))
        asked, ended = (int(n.replace(",", "")) for n in stopped.groups())
        assert 0 < asked <= ended < IMAGES, stopped.group(0)  # 0 pressed: the run stopped itself, not by Stop
        assert accuracy > 20, "the model kept at Stop reads digits"
        # The model kept is the student's now ("Your model: trained here, …%"), and the run is on the class's board.
        assert page.get_by_text(catalogue_pattern("digits_training.mine.trained")).is_visible()
        assert page.get_by_text(t("digits_training.mine.download")).is_visible()
        assert page.get_by_text(t("classroom.shared.run", code=code)).is_visible()
        # It trained on the worker: the web processes never loaded TensorFlow (they read the model in numpy).
        assert has_tensorflow(worker)
        assert not [pid for pid in web if has_tensorflow(pid)]

        # 2. The worker killed under a second run: the student is told, in their language, and may train again.
        before = job_ids(connection)
        the_button(page, "digits_training.train").click()
        second = new_job(connection, before)
        wait_for_moving(page)
        assert worker_pid(connection, second) == worker
        os.kill(worker, signal.SIGKILL)
        lost = page.get_by_text(t("digits_training.worker_lost"), exact=True)
        try:
            lost.wait_for(timeout=TOLD_WITHIN * 1000)
        except PlaywrightTimeout:
            pytest.fail(f"not told within {TOLD_WITHIN} s that the worker was lost: job {job(connection, second)}; "
                        f"the page: {page.inner_text('[data-testid=stMain]')[:1500]}")
        wait_for_app(page)
        assert job(connection, second) | {"worker": ""} == {"status": "failed", "error": "worker_lost", "lane": code,
                                                           "worker": ""}
        assert page.locator("[data-testid=stProgress]").count() == 0  # not "running" any more
        assert the_button(page, "digits_training.stop").count() == 0
        assert the_button(page, "digits_training.train").is_enabled()

        # `dlplay school` said so and started another worker.
        wait_until(lambda: re.search(r"worker 1 ended \(signal SIGKILL\)", school.said()), 10, "the death reported")
        (restarted,) = wait_until(lambda: school.children("dlplay", "worker"), 10, "the worker started again")
        assert restarted != worker

        # 3. The next run waits in line (the new worker held: SIGSTOP, as a worker busy loading TensorFlow or
        # training would be, whichever it is now), then trains on it, the page's button turning from Leave the line
        # to Stop; and Stop gives a model again.
        os.kill(restarted, signal.SIGSTOP)
        try:
            before = job_ids(connection)
            the_button(page, "digits_training.train").click()
            third = new_job(connection, before)
            page.wait_for_function(f"pattern => {PROGRESS} && new RegExp(pattern).test({PROGRESS}.innerText)",
                                   arg=catalogue_pattern("digits_training.queue.place").pattern)
            assert the_button(page, "digits_training.cancel").is_visible()
            assert job(connection, third)["status"] == "queued"
        finally:
            os.kill(restarted, signal.SIGCONT)
        wait_for_moving(page)
        assert worker_pid(connection, third) == restarted
        the_button(page, "digits_training.stop").click()
        assert wait_for_results(page) > 20
        assert job(connection, third)["status"] == "stopped"
        assert page.get_by_text(t("digits_training.worker_lost"), exact=True).count() == 0
        assert not [pid for pid in web if has_tensorflow(pid)]
    finally:
        for context in contexts:
            context.close()
        connection.close()
