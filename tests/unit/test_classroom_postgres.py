"""One empty database, three server processes, their first requests at the same moment: all three are served.

A school runs several server processes on one PostgreSQL database (DLPLAY_DATABASE_URL); on the first day each
finds no schema and migrates. SQLite's writer lines them up at BEGIN IMMEDIATE; on PostgreSQL, schema.migrate's
advisory lock does: without it they race to CREATE TABLE and the losers fail ("unavailable").
"""

import multiprocessing
import traceback

import pytest
from sqlalchemy import create_engine, func, inspect, select

from dlplay.classroom import schema
from dlplay.classroom.store import Store
from tests import postgres

NAMES = ("Ann", "Bo", "Cy")  # one a process
WAIT = 120  # seconds for a process to start (spawn imports everything again) and do its part


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/class.sqlite3"
    return postgres.empty(request.getfixturevalue("postgres_url"))


def first_use(url: str, barrier, results, name: str) -> None:
    """One server process: its store made (no database touched yet), then, once every process is there, its
    first request, a class started and joined. Sends back (its name, the class's code, what went wrong)."""
    try:
        store = Store(url)
        barrier.wait(WAIT)
        invitation = store.start_class()
        store.join(invitation.code, f"session-{name}", name)
        store.close()
        results.put((name, invitation.code, None))
    except Exception:  # noqa: BLE001 - every failure goes back to the test, whatever it is
        results.put((name, None, traceback.format_exc()))


@pytest.mark.slow
def test_three_processes_using_an_empty_database_at_once_are_all_served(empty_url):
    spawn = multiprocessing.get_context("spawn")  # a process of its own, as a server's: nothing inherited
    barrier, results = spawn.Barrier(len(NAMES)), spawn.Queue()
    processes = [spawn.Process(target=first_use, args=(empty_url, barrier, results, name)) for name in NAMES]
    for process in processes:
        process.start()
    try:
        outcomes = [results.get(timeout=WAIT) for _ in processes]
    finally:
        for process in processes:
            process.join(WAIT)

    failed = [f"{name}: {error}" for name, _code, error in outcomes if error]
    assert not failed, "\n".join(failed)
    assert len({code for _name, code, _error in outcomes}) == len(NAMES)
    engine = create_engine(empty_url)
    with engine.connect() as conn:
        assert schema.current_version(conn) == schema.VERSION
        assert set(schema.metadata.tables) <= set(inspect(conn).get_table_names())
        assert conn.execute(select(func.count()).select_from(schema.students)).scalar() == len(NAMES)
    engine.dispose()
