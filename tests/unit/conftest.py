"""Fixtures of the unit tests: `store`, the class store on a fresh SQLite file with no rate limits
(test_classroom.py has its own, on PostgreSQL too)."""

import pytest

from dlplay.classroom.limits import RateLimiter
from dlplay.classroom.store import Store


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/class.sqlite3", limiter=RateLimiter({}))
    yield store
    store.close()
