"""The class's tables, where the database lives, and the migrations that bring any database to this schema.

SQLAlchemy Core only, with portable types, so that `DLPLAY_DATABASE_URL` can
point at PostgreSQL with no change of code. Every column and table says in
`info["since"]` the schema version that added it: version n's migration creates
the tables added in n and adds (ALTER TABLE) the columns added in n, so a
database made by any earlier dlplay is brought up to date in order, and a new one
passes through the same steps.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateColumn

VERSION = 3
FILE_NAME = "dlplay.sqlite3"

metadata = MetaData()

version_table = Table("dlplay_schema", metadata, Column("version", Integer, nullable=False))

classes = Table(
    "classes", metadata,
    Column("code", String(8), primary_key=True),
    Column("teacher_hash", String(64), nullable=False),  # sha256 of the teacher key: the key itself is never stored
    Column("created", Float, nullable=False),
    Column("expires", Float, nullable=False),
    Column("keep", Boolean, nullable=False, default=False),
    Column("locked", Boolean, nullable=False, default=False),
    Column("ended", Boolean, nullable=False, default=False),
    Column("next_number", Integer, nullable=False, default=1),  # the n of the next "Student n"
    Column("question", Text),  # the poll; None when there is none
    Column("choices", Text),  # JSON list
    Column("poll_number", Integer, nullable=False, default=0),
    Column("revealed", Boolean, nullable=False, default=False),
    # sha256 of who started it (their browser's id, their address): what one starter holds is bounded
    Column("browser_hash", String(64), info={"since": 2}),
    Column("address_hash", String(64), info={"since": 2}),
    Column("preset", String(20), info={"since": 2}),  # the poll's question is one of board.POLLS: each reads its own
)

students = Table(
    "students", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(8), ForeignKey("classes.code"), nullable=False),
    Column("session", String(100), nullable=False),
    Column("nickname", String(40), nullable=False),
    Column("number", Integer, nullable=False),
    Column("page", String(40), nullable=False, default=""),
    Column("joined", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
    Column("removed", Boolean, nullable=False, default=False),
    # sha256 of the address the seat was taken from: the seats one address holds in a class are bounded
    Column("address_hash", String(64), info={"since": 3}),
    Index("students_session", "code", "session", unique=True),
)


def entry_table(name: str, *columns: Column) -> Table:
    """A table of what students send: an id, the class and the student, its own columns, and when."""
    return Table(
        name, metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("code", String(8), ForeignKey("classes.code"), nullable=False),
        Column("student_id", Integer, ForeignKey("students.id"), nullable=False),
        *columns,
        Column("at", Float, nullable=False),
        Index(f"{name}_student", "code", "student_id"),
    )


drawings = entry_table(
    "drawings",
    Column("image", LargeBinary, nullable=False),  # 28×28 uint8, row by row: what the model saw
    Column("reading", Integer),
    Column("confidence", Float, nullable=False),
    Column("probabilities", Text, nullable=False),  # JSON list of 10
    Column("model", String(40), nullable=False),
    Column("marked_right", Boolean),  # None until the student marks it
    Column("label", Integer),  # the right digit, when known
)

runs = entry_table(
    "runs",
    Column("settings", Text, nullable=False),  # JSON
    Column("accuracy", Float, nullable=False),
    Column("seconds", Float, nullable=False),
    Column("curves", Text, nullable=False),  # JSON {name: [values]}
)

texts = entry_table(
    "texts",
    Column("text", Text, nullable=False),
    Column("lang", String(8), nullable=False),
    Column("model", String(40), nullable=False),
    Column("probability", Float, nullable=False),  # the model's probability of "positive"
    Column("wrong", Boolean, nullable=False),
)

answers = Table(
    "answers", metadata,
    Column("code", String(8), ForeignKey("classes.code"), primary_key=True),
    Column("student_id", Integer, ForeignKey("students.id"), primary_key=True),
    Column("choice", Integer, nullable=False),
)

class_models = Table(
    "class_models", metadata,
    Column("code", String(8), ForeignKey("classes.code"), primary_key=True),
    Column("model", LargeBinary, nullable=False),  # a .keras file
    Column("summary", Text, nullable=False),  # JSON
    Column("at", Float, nullable=False),
)

# What belongs to one class, children first (deleting in this order never breaks a foreign key).
CLASS_TABLES = (answers, class_models, drawings, runs, texts, students, classes)


def since(item) -> int:
    return item.info.get("since", 1)


def data_dir() -> Path:
    """Where dlplay keeps its database: `DLPLAY_DATA_DIR`, or ~/.local/share/dlplay."""
    return Path(os.environ.get("DLPLAY_DATA_DIR") or Path.home() / ".local" / "share" / "dlplay")


def database_url() -> str:
    """`DLPLAY_DATABASE_URL`, or an SQLite file in the data folder."""
    return os.environ.get("DLPLAY_DATABASE_URL") or f"sqlite:///{data_dir() / FILE_NAME}"


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite database URL (`sqlite:///path`), None for any other database or form of URL."""
    if not url.startswith("sqlite:///") or "?" in url or url.removeprefix("sqlite:///").startswith(("file:", ":")):
        return None
    return Path(url.removeprefix("sqlite:///"))


class HeldFile:
    """An SQLite database's file, held open once the store is ready: the inode stays the store's, so a file
    removed (its link count 0) or replaced at the same path (another inode there) is told apart."""

    def __init__(self, url: str):
        self.path, self._held = sqlite_file(url), None

    def hold(self) -> None:
        if self.path is not None and self._held is None:
            self._held = os.open(self.path, os.O_RDONLY)

    def still_there(self) -> bool:
        if self._held is None:
            return True
        held = os.fstat(self._held)
        try:
            found = os.stat(self.path)
        except OSError:
            return False
        return held.st_nlink > 0 and (found.st_dev, found.st_ino) == (held.st_dev, held.st_ino)

    def release(self) -> None:
        if self._held is not None:
            os.close(self._held)
            self._held = None


def make_engine(url: str) -> tuple[Engine, Engine]:
    """(reader, writer) engines on one pool; on SQLite the writer's transactions take the write lock at BEGIN.

    SQLite's default deferred transaction takes the lock at its first write; when
    another writer committed since its first read, it fails at once ("database is
    locked") instead of waiting. BEGIN IMMEDIATE waits its turn (the busy timeout).
    """
    sqlite = url.startswith("sqlite")
    engine = create_engine(url, connect_args={"timeout": 30} if sqlite else {})
    if sqlite:
        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # we say when a transaction begins
            try:
                dbapi_connection.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
                dbapi_connection.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, fewer fsyncs
            except Exception:  # noqa: BLE001 - a read-only file keeps its journal mode; reading still works
                pass

        @event.listens_for(engine, "begin")
        def _begin(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get("write")
                                       else "BEGIN")

    return engine, engine.execution_options(write=True)


def create_folder(url: str) -> None:
    """The folder of an SQLite file, made on first use."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///file:"):
        path = url.removeprefix("sqlite:///").split("?")[0]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


def current_version(conn: Connection) -> int:
    """The schema version of the database behind `conn` (0: empty)."""
    if not inspect(conn).has_table(version_table.name):
        return 0
    return conn.execute(select(version_table.c.version)).scalar() or 0


# The key of the PostgreSQL advisory lock that migrations take: "dlplay" in ASCII, then the lock's number (1).
MIGRATION_LOCK = 0x646C706C61790001


def migrate(conn: Connection, target: int = VERSION, tables: MetaData = metadata) -> int:
    """Bring the database to version `target`, one step at a time; the version it was at.

    Step n creates the tables added in n and adds the columns added in n that a
    table lacks (a table created in this same run already has them). Call it in
    a writer's transaction: on SQLite that holds the write lock from BEGIN; on
    PostgreSQL nothing stops two server processes from both finding an empty
    database and both creating its tables (the second fails), so the first
    statement takes an advisory lock held until the transaction ends, and the
    version is read after it: the second finds the first's tables.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    found = current_version(conn)
    if found == 0:
        version_table.create(conn, checkfirst=True)
        conn.execute(version_table.insert().values(version=0))
    for step in range(found + 1, target + 1):
        for table in tables.sorted_tables:
            if table.name == version_table.name or since(table) > step:
                continue
            if since(table) == step:
                table.create(conn, checkfirst=True)
                continue
            present = {c["name"] for c in inspect(conn).get_columns(table.name)}
            for column in table.columns:
                if since(column) == step and column.name not in present:
                    ddl = CreateColumn(column).compile(dialect=conn.dialect)
                    conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))
            for index in table.indexes:
                if max(since(c) for c in index.columns) == step:
                    index.create(conn, checkfirst=True)
        conn.execute(version_table.update().values(version=step))
    return found
