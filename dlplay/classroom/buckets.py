"""Rate limits shared by every process of a school server: the join and start token buckets in the class database.

RateLimiter (limits.py) keeps its buckets in the process's memory. Behind `dlplay school`'s Caddy, N web processes
would each give a visitor a full bucket, and a visitor who drops Caddy's cookie lands on another process at each
try: N times the join tries that make guessing a class code hopeless. So on a shared database (PostgreSQL) the
kinds in SHARED are one bucket per writer for the whole server, a row of `rate_buckets` taken in one statement
(an upsert that refills, checks and takes a token, atomic under concurrent processes). The other kinds (a
student's drawings, runs, texts; a teacher's actions) stay in memory: a student is pinned to one process by
Caddy's cookie, and a database round trip on every drawing would cost the path the class uses most. On SQLite (the
laptop: one process) every kind stays in memory, as before.

The table is not part of the class's schema (schema.py): it holds no class's data, only counters that are full
again within minutes, so it is made when first needed and never migrated; dropping it forgets nothing that matters.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import Column, Float, MetaData, String, Table, case, delete, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import CreateTable

from dlplay.classroom.limits import ClassError, RateLimiter, key_hash

SHARED = ("start", "join", "join_address")  # per browser and per address, across the whole server
PRUNE_EVERY = 600  # seconds between two removals of buckets that are full again
TABLE_LOCK = 0x646C706C61790002  # PostgreSQL advisory lock while the table is made ("dlplay", then 2)

metadata = MetaData()
rate_buckets = Table(
    "rate_buckets", metadata,
    Column("kind", String(20), primary_key=True),
    Column("writer", String(64), primary_key=True),  # sha256 of the writer, whatever it is
    Column("tokens", Float, nullable=False),
    Column("at", Float, nullable=False),  # time.time() of the last take: every process's clock is the machine's
)


def limiter_for(url: str, engine: Engine) -> RateLimiter:
    """The store's limiter: in memory on SQLite (one process), shared through `engine` on any other database."""
    return RateLimiter() if url.startswith("sqlite") else SharedRateLimiter(engine)


class SharedRateLimiter(RateLimiter):
    """RateLimiter whose SHARED kinds are buckets in the database behind `engine` (a writer's engine)."""

    def __init__(self, engine: Engine, rates: dict[str, tuple[float, float]] | None = None, clock=time.time,
                 shared: tuple[str, ...] = SHARED):
        super().__init__(rates)
        self.engine, self.wall_clock, self.shared = engine, clock, shared
        self._made, self._making = False, threading.Lock()
        self._pruned = 0.0

    def check(self, kind: str, writer: object) -> None:
        """Take one token for `writer`, or raise ClassError("rate_limited"); ClassError("unavailable") when the
        database cannot be reached."""
        if kind not in self.shared:
            return super().check(kind, writer)
        rate, burst = self.rates.get(kind, (None, None))
        if rate is None:
            return
        now = self.wall_clock()
        try:
            self._make_table()
            with self.engine.begin() as conn:
                taken = conn.execute(_take(conn.dialect.name, kind, key_hash(writer), rate, burst, now)).first()
                if now - self._pruned > PRUNE_EVERY:
                    self._pruned = now
                    conn.execute(delete(rate_buckets).where(rate_buckets.c.at < now - self.refill_time()))
        except SQLAlchemyError as error:
            raise ClassError("unavailable") from error
        if taken is None:
            raise ClassError("rate_limited")

    def refill_time(self) -> float:
        """Seconds after which any shared bucket left alone is full again: older rows can go."""
        return max((self.rates[k][1] / self.rates[k][0] for k in self.shared if k in self.rates), default=0.0)

    def _make_table(self) -> None:
        """CREATE TABLE IF NOT EXISTS, once per limiter. On PostgreSQL two processes doing so at once can still
        collide (on its catalogue of types), so they take turns on an advisory lock."""
        with self._making:
            if self._made:
                return
            with self.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": TABLE_LOCK})
                conn.execute(CreateTable(rate_buckets, if_not_exists=True))
            self._made = True


def _take(dialect: str, kind: str, writer: str, rate: float, burst: float, now: float):
    """One statement: a new writer's bucket starts full less the token taken; a known one is refilled for the time
    since its last take (up to `burst`) and loses a token if it has one. It returns a row when a token was taken,
    none when the bucket was empty (then the row is left as it was: refilling is linear, nothing is lost)."""
    b = rate_buckets.c
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    refilled = b.tokens + (now - b.at) * float(rate)
    tokens = case((refilled > float(burst), float(burst)), else_=refilled)
    return (insert(rate_buckets).values(kind=kind, writer=writer, tokens=float(burst) - 1, at=now)
            .on_conflict_do_update(index_elements=[b.kind, b.writer], set_={"tokens": tokens - 1, "at": now},
                                   where=tokens >= 1)
            .returning(b.tokens))
