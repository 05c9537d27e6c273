"""The join and start limits of a school server: one bucket per writer for all its processes, in the class database
(buckets.py), on SQLite and on PostgreSQL; on the laptop (SQLite, one process) they stay in memory."""

import threading

import pytest
from sqlalchemy import create_engine, inspect

from dlplay.classroom import buckets
from dlplay.classroom.buckets import SharedRateLimiter
from dlplay.classroom.limits import ClassError, RateLimiter
from dlplay.classroom.store import Store

RATES = {"join": (1 / 30, 10), "drawing": (2, 3)}


class Clock:
    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def url(request, tmp_path):
    """A database two "processes" share; on PostgreSQL the session's server, its buckets dropped before and after."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/class.sqlite3"
        return
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    buckets.metadata.drop_all(engine)
    yield url
    buckets.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def two_processes(url):
    """Two limiters on one database, as two web processes have, on one clock; their engines disposed after."""
    clock, engines = Clock(), [create_engine(url) for _ in range(2)]
    yield clock, [SharedRateLimiter(engine, RATES, clock=clock) for engine in engines]
    for engine in engines:
        engine.dispose()


def tries(limiter, kind, writer, n):
    """How many of `n` tries passed."""
    passed = 0
    for _ in range(n):
        try:
            limiter.check(kind, writer)
            passed += 1
        except ClassError as error:
            assert error.reason == "rate_limited"
    return passed


def test_two_processes_share_one_bucket_per_writer_and_it_refills_with_time(two_processes):
    clock, (one, other) = two_processes
    assert tries(one, "join", "10.0.0.7", 6) == 6
    assert tries(other, "join", "10.0.0.7", 10) == 4  # the burst of 10 is the server's, not each process's
    assert tries(one, "join", "10.0.0.8", 10) == 10  # another address has its own
    clock.now += 30  # one try every 30 s
    assert tries(other, "join", "10.0.0.7", 3) == 1
    clock.now += 3600  # full again, never above the burst
    assert tries(one, "join", "10.0.0.7", 12) == 10


def test_the_writes_of_one_student_stay_in_each_process(two_processes):
    """A student's drawings are limited where the student is pinned (Caddy's cookie): no database round trip."""
    _clock, (one, other) = two_processes
    assert tries(one, "drawing", "K7QM2P/1", 5) == 3
    assert tries(other, "drawing", "K7QM2P/1", 5) == 3


def test_concurrent_tries_from_two_processes_take_exactly_the_burst(two_processes):
    _clock, limiters = two_processes
    passed = []
    threads = [threading.Thread(target=lambda limiter=limiter: passed.append(tries(limiter, "join", "nat", 8)))
               for limiter in limiters for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(passed) == 10


def test_a_database_that_cannot_be_reached_says_unavailable(tmp_path):
    limiter = SharedRateLimiter(create_engine(f"sqlite:///{tmp_path}/no/such/folder/class.sqlite3"), RATES)
    with pytest.raises(ClassError) as caught:
        limiter.check("join", "10.0.0.7")
    assert caught.value.reason == "unavailable"


def test_the_laptop_keeps_its_limits_in_memory_and_a_shared_database_shares_them(url):
    store = Store(url)
    try:
        shared = not url.startswith("sqlite")
        assert isinstance(store.limiter, SharedRateLimiter) is shared and isinstance(store.limiter, RateLimiter)
        invitation = store.start_class(browser="laptop", address="10.0.0.2")
        second = Store(url)  # another process of the same server
        for k in range(10):
            second.join(invitation.code, f"seat-{k}", browser=f"phone-{k}", address=f"10.0.1.{k}")
        # the same browser, from another address, on the first process: its 10 tries are already spent when shared
        passed = 0
        for k in range(10):
            try:
                store.join(invitation.code, f"again-{k}", browser="phone-0", address=f"10.0.2.{k}")
                passed += 1
            except ClassError as error:
                assert error.reason == "rate_limited"
        assert passed == (9 if shared else 10)
        second.close()
        engine = create_engine(url)
        assert ("rate_buckets" in inspect(engine).get_table_names()) is shared
        engine.dispose()
    finally:
        store.close()
