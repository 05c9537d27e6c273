"""The school's line: jobs wait in Redis and run on ``dlplay worker`` processes (rq SimpleWorkers), and every web
process reads their progress, stops them and takes their result (dlplay.jobs' four calls).

What a job is lives in keys of its own under ``dlplay:job:<id>`` (read with one round trip a poll), not in RQ's
job, whose hash also holds its arguments (an upload of tens of MB):

- ``dlplay:job:<id>``: a hash of its status, lane, error and the fields its task publishes (JSON);
- ``…:task``, the task (pickled, at most MAX_TASK_BYTES) until a worker takes it; ``…:result``, the result;
- ``…:stop``: Stop was pressed; ``…:seen``: a page looked within ABANDON_AFTER (a run nobody watches stops);
- ``…:alive``: the worker running it lives; it renews the key every second and it expires ALIVE_SECONDS after the
  worker's death (SIGKILL, out of memory), when the next look at the job marks it failed (WORKER_LOST).

Fairness: the tasks wait in one list per lane (a class), and each submit queues one RQ job, a turn
(``take_turn``), which runs the next task of the lane whose turn it is. Lanes take turns, so a class's 30 Train
presses wait behind one press of every other class instead of holding every worker.
"""

from __future__ import annotations

import contextlib
import json
import logging
import pickle
import threading
import uuid

import redis
from rq import Queue, get_current_job

from dlplay.jobs.task import (
    DONE,
    DROPPED,
    FAILED,
    QUEUED,
    RUNNING,
    WORKER_LOST,
    QueueFull,
    Snapshot,
    Task,
    TooLarge,
    Unavailable,
    run,
)

log = logging.getLogger("dlplay")
QUEUE = "dlplay"  # the RQ queue of turns, which `dlplay worker` listens on
PREFIX = "dlplay:"
LANES, LANE_SET, RUNNING_SET = f"{PREFIX}lanes", f"{PREFIX}lanes:set", f"{PREFIX}running"
LANE_PREFIX, JOB_PREFIX = f"{PREFIX}lane:", f"{PREFIX}job:"
NO_CLASS = "-"  # the lane of visitors outside a class
MAX_TASK_BYTES = 64 * 2**20  # an uploaded data set travels to the worker in Redis's memory: 30 of these is 2 GB
MAX_WAITING = 40  # per lane
KEEP_SECONDS = 3600  # a job's keys outlive its last write by this much
ABANDON_AFTER = 60
ALIVE_SECONDS = 5

# Round robin over the lanes with tasks waiting: the lane whose turn it is gives its first task and goes to the back.
_TAKE = """
for i = 1, redis.call('LLEN', KEYS[1]) do
  local lane = redis.call('LPOP', KEYS[1])
  local id = redis.call('LPOP', ARGV[1] .. lane)
  if redis.call('LLEN', ARGV[1] .. lane) > 0 then redis.call('RPUSH', KEYS[1], lane)
  else redis.call('SREM', KEYS[2], lane) end
  if id then
    redis.call('HSET', ARGV[2] .. id, 'status', 'running', 'worker', ARGV[3])
    redis.call('SET', ARGV[2] .. id .. ':alive', ARGV[3], 'EX', ARGV[4])
    redis.call('SADD', KEYS[3], id)
    return id
  end
end
return false
"""
_SUBMIT = """
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[1])
if redis.call('SADD', KEYS[3], ARGV[2]) == 1 then redis.call('RPUSH', KEYS[2], ARGV[2]) end
return 1
"""
_CANCEL = """
if redis.call('LREM', KEYS[1], 0, ARGV[1]) > 0 then redis.call('HSET', KEYS[2], 'status', 'dropped') return 1 end
return 0
"""
_LOST = """
if redis.call('HGET', KEYS[1], 'status') ~= 'running' or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'status', 'failed', 'error', ARGV[2])
redis.call('SREM', KEYS[3], ARGV[1])
return 1
"""
# A task's place under the round robin: (its index + 1) in its own lane, plus from each other lane as many as take
# their turn before it: as many as its index, one more for a lane ahead of its own in the turn order.
_PLACE = """
local mine = redis.call('LPOS', ARGV[1] .. ARGV[2], ARGV[3])
local place, waiting, ahead = 0, 0, 1
for _, lane in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local n = redis.call('LLEN', ARGV[1] .. lane)
  waiting = waiting + n
  if mine then
    if lane == ARGV[2] then ahead = 0; place = place + mine + 1 else place = place + math.min(n, mine + ahead) end
  end
end
return {place, redis.call('SCARD', KEYS[2]), waiting}
"""


def key(job_id: str, part: str = "") -> str:
    return f"{JOB_PREFIX}{job_id}" + (f":{part}" if part else "")


class RQBackend:
    """dlplay.jobs' four calls on Redis. A Redis that cannot be reached raises Unavailable."""

    trains_here = False  # the workers train: a web process never imports TensorFlow for it

    def __init__(self, connection: redis.Redis):
        self.redis = connection
        self.queue = Queue(QUEUE, connection=connection)
        self._take, self._submit, self._cancel, self._lost, self._place = (
            connection.register_script(script) for script in (_TAKE, _SUBMIT, _CANCEL, _LOST, _PLACE))

    @classmethod
    def from_url(cls, url: str) -> RQBackend:
        """A web process's: a page waits at most a second or two for a Redis that is gone."""
        return cls(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2))

    @contextlib.contextmanager
    def _reachable(self):
        try:
            yield
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
            raise Unavailable(f"Redis cannot be reached ({error})") from None

    def submit(self, task: Task) -> str:
        data = pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) > MAX_TASK_BYTES:
            raise TooLarge(len(data), MAX_TASK_BYTES)
        job_id, lane = uuid.uuid4().hex, task.lane or NO_CLASS
        with self._reachable():
            with self.redis.pipeline() as pipe:
                pipe.set(key(job_id, "task"), data, ex=KEEP_SECONDS)
                pipe.hset(key(job_id), mapping={"status": QUEUED, "lane": lane, "kind": task.kind, "owner": task.owner})
                pipe.expire(key(job_id), KEEP_SECONDS)
                pipe.set(key(job_id, "seen"), 1, ex=ABANDON_AFTER)
                pipe.execute()
            if not self._submit(keys=[LANE_PREFIX + lane, LANES, LANE_SET], args=[job_id, lane, MAX_WAITING]):
                self.redis.delete(key(job_id), key(job_id, "task"), key(job_id, "seen"))
                raise QueueFull(f"{MAX_WAITING} jobs of lane {lane} already waiting")
            self.queue.enqueue(take_turn, job_timeout=-1, result_ttl=0, failure_ttl=KEEP_SECONDS)
        return job_id

    def snapshot(self, job_id: str, fields: tuple[str, ...] = ()) -> Snapshot | None:
        """The job as it is now, with the published ``fields``; None for a job Redis does not know (any more).
        A look keeps the job wanted (ABANDON_AFTER); a running job whose worker is gone is marked failed."""
        with self._reachable():
            with self.redis.pipeline(transaction=False) as pipe:
                pipe.hmget(key(job_id), ["status", "error", "lane", *fields])
                pipe.exists(key(job_id, "alive"))
                pipe.exists(key(job_id, "stop"))
                pipe.set(key(job_id, "seen"), 1, ex=ABANDON_AFTER)
                values, alive, stop, _ = pipe.execute()
            status, error, lane, *published = [None if v is None else v.decode() for v in values]
            if status is None:
                return None
            if status == RUNNING and not alive and self._lost(
                    keys=[key(job_id), key(job_id, "alive"), RUNNING_SET], args=[job_id, WORKER_LOST]):
                status, error = FAILED, WORKER_LOST
            line = (0, 0, 0)
            if status == QUEUED:
                line = self._place(keys=[LANES, RUNNING_SET], args=[LANE_PREFIX, lane, job_id])
        state = {name: json.loads(value) for name, value in zip(fields, published) if value is not None}
        return Snapshot(status, state, *map(int, line), stopping=bool(stop), error=error or "")

    def stop(self, job_id: str) -> None:
        """Stop asked: a running task ends within a batch (its reporter looks), a waiting one leaves the line."""
        with self._reachable():
            with self.redis.pipeline() as pipe:
                pipe.set(key(job_id, "stop"), 1, ex=KEEP_SECONDS)
                pipe.hget(key(job_id), "lane")
                _, lane = pipe.execute()
            if lane:
                self._cancel(keys=[LANE_PREFIX + lane.decode(), key(job_id)], args=[job_id])

    def result(self, job_id: str) -> dict | None:
        with self._reachable():
            data = self.redis.get(key(job_id, "result"))
        return None if data is None else pickle.loads(data)  # written by our workers, in our Redis

    def take(self, worker: str) -> str | None:
        """The next task's id, its lane's turn taken, marked running on ``worker``; None if none waits."""
        taken = self._take(keys=[LANES, LANE_SET, RUNNING_SET], args=[LANE_PREFIX, JOB_PREFIX, worker, ALIVE_SECONDS])
        return taken.decode() if taken else None

    def work(self, job_id: str, worker: str) -> None:
        """Run a taken task to its end, keeping it alive meanwhile; its end is written in one transaction."""
        data, reporter, result = self.redis.getdel(key(job_id, "task")), RedisReporter(self.redis, job_id), None
        with reporter.alive(worker):
            if data is None:
                status, error = FAILED, "its task had expired"
            elif reporter.stop_asked():  # stopped, or its page gone, before its turn came
                status, error = DROPPED, ""
            else:
                task = pickle.loads(data)
                try:
                    result = run(task, reporter)
                    status, error = result.pop("status", DONE), result.pop("error", "")
                except Exception as failure:  # the page says it failed; the worker's log says why
                    log.exception("%s job %s (session %s) failed", task.kind, job_id, task.owner or "?")
                    status, error = FAILED, f"{type(failure).__name__}: {failure}"[:300]
        with self.redis.pipeline() as pipe:
            if result is not None:
                pipe.set(key(job_id, "result"), pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL),
                         ex=KEEP_SECONDS)
            pipe.hset(key(job_id), mapping={"status": status, "error": error})
            pipe.expire(key(job_id), KEEP_SECONDS)
            pipe.srem(RUNNING_SET, job_id)
            pipe.delete(key(job_id, "alive"))
            pipe.execute()


class RedisReporter:
    """dlplay.jobs.Reporter in Redis: what the task publishes goes into its job's hash, and Stop (or its page gone)
    is read from its keys, one round trip per look (a Keras callback looks after every batch)."""

    def __init__(self, connection: redis.Redis, job_id: str):
        self.redis, self.job_id = connection, job_id

    def publish(self, **fields) -> None:
        self.redis.hset(key(self.job_id), mapping={name: json.dumps(value) for name, value in fields.items()})

    def stop_asked(self) -> bool:
        stop, seen = self.redis.mget(key(self.job_id, "stop"), key(self.job_id, "seen"))
        return stop is not None or seen is None

    @contextlib.contextmanager
    def alive(self, worker: str):
        """Renew the job's ``alive`` key every second while the task runs (a thread: a batch may take longer)."""
        done = threading.Event()

        def beat() -> None:
            while not done.wait(1.0):
                with contextlib.suppress(redis.exceptions.RedisError):  # the next beat tries again
                    self.redis.set(key(self.job_id, "alive"), worker, ex=ALIVE_SECONDS)

        thread = threading.Thread(target=beat, name="dlplay-alive", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()


def take_turn() -> None:
    """An RQ job, one per submitted task: run the task whose lane's turn it is (none if it was stopped meanwhile)."""
    current = get_current_job()
    backend = RQBackend(current.connection)
    worker = current.worker_name or "worker"
    job_id = backend.take(worker)
    if job_id is not None:
        backend.work(job_id, worker)
