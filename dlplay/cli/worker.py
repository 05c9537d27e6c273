"""``dlplay worker``: a school server's training worker. It runs the training and teaching jobs the web processes
queue in Redis (``DLPLAY_REDIS_URL``, dlplay.jobs.rq), one at a time, until stopped (SIGTERM or Ctrl+C: the job
under way ends first).

An rq SimpleWorker: each job runs in this process, which loaded TensorFlow once, at start (a first batch 1.4–2 s
after Train, against 14–18 s for a fresh process per job; a fork after TensorFlow loads is unsafe,
tensorflow#27074). Its memory grows 15–20 MiB a job even so: after ``--max-jobs`` jobs it starts itself again (the
same process id, for whatever supervises it). The worker needs what the web processes have: the class's database
(``DLPLAY_DATABASE_URL``) for teaching a class's model.
"""

from __future__ import annotations

import argparse
import os
import sys

from dlplay.cli import UsageError, load_tensorflow
from dlplay.jobs import REDIS_URL

MAX_JOBS = 50


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "worker", help="a school server's training worker: runs the jobs queued in Redis (DLPLAY_REDIS_URL)",
        description="Run the training and teaching jobs that dlplay's web processes queue in Redis.")
    parser.add_argument("--redis", default=os.environ.get(REDIS_URL),
                        help=f"the Redis URL, e.g. redis://localhost:6379/0 (default: ${REDIS_URL})")
    parser.add_argument("--max-jobs", type=positive, default=MAX_JOBS,
                        help=f"start again after this many jobs, giving back the memory they kept (default {MAX_JOBS})")
    parser.set_defaults(run=run)


def positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text[:20]!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def run(args) -> int:
    import redis
    from rq import Queue, SimpleWorker

    from dlplay.jobs.rq import QUEUE

    if not args.redis:
        raise UsageError(f"no Redis to take jobs from: set {REDIS_URL} or give --redis")
    connection = redis.Redis.from_url(args.redis, socket_connect_timeout=5)
    try:
        connection.ping()
    except redis.exceptions.RedisError as error:
        raise UsageError(f"Redis at {args.redis} cannot be reached ({error})") from None
    load_tensorflow()
    from dlplay.digits.background import prepare

    prepare().join()  # Keras' first model built before the first job, not in it
    worker = SimpleWorker([Queue(QUEUE, connection=connection)], connection=connection)
    worker.work(max_jobs=args.max_jobs, logging_level="WARNING")
    if worker.successful_job_count + worker.failed_job_count >= args.max_jobs:
        os.environ[REDIS_URL] = args.redis  # not on the command line, where `ps` would show a password
        sys.stdout.flush()
        os.execv(sys.executable, [sys.executable, "-m", "dlplay", "worker", "--max-jobs", str(args.max_jobs)])
    return 0
