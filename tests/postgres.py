"""A PostgreSQL server of the tests' own, from Debian's binaries (`apt-get install -y postgresql`).

initdb makes a cluster in a temporary folder and pg_ctl starts it there, listening
on a unix socket in that folder only (no TCP port to collide with, nothing
reachable from outside), with trust authentication. PostgreSQL refuses to run as
root: as root, the cluster belongs to the `postgres` user the package creates.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine

from dlplay.classroom import schema

INSTALLED = Path("/usr/lib/postgresql")
OWNER = "postgres"  # the system user of Debian's package, and the server's superuser in ours
# Test data is thrown away: never wait for the disk.
SETTINGS = {"listen_addresses": "''", "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def binaries() -> Path | None:
    """The bin folder of the newest PostgreSQL installed (Debian keeps each version apart), or None."""
    found = [folder for folder in INSTALLED.glob("*/bin") if (folder / "pg_ctl").exists()]
    return max(found, key=lambda folder: int(folder.parent.name), default=None)


def as_owner(command: list) -> list[str]:
    """`command` run as the cluster's owner: as root, the `postgres` user; otherwise ourselves."""
    command = [str(part) for part in command]
    return ["runuser", "-u", OWNER, "--", *command] if os.geteuid() == 0 else command


def _run(command: list, folder: Path) -> None:
    """`command` as the owner, run in `folder` (the owner may have no right to enter the tests' working folder);
    what it and the server said, when it fails."""
    done = subprocess.run(as_owner(command), cwd=folder, capture_output=True, text=True)
    if done.returncode:
        log = folder / "server.log"
        said = done.stdout + done.stderr + (log.read_text(errors="replace")[-2000:] if log.exists() else "")
        raise RuntimeError(f"{Path(command[0]).name} failed ({done.returncode}):\n{said}")


@contextlib.contextmanager
def server(bin_folder: Path) -> Iterator[str]:
    """A running server in a new temporary folder, stopped and removed afterwards, even on failure: its URL.

    The folder comes from tempfile, not pytest's: pytest's base folder is private to
    root, and the `postgres` user must reach its socket and data. It is short too,
    as a socket's path must be (at most 107 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="dlplay-pg-"))
    data = folder / "data"
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, OWNER, OWNER)
        _run([bin_folder / "initdb", "-D", data, "-U", OWNER, "-A", "trust", "-E", "UTF8", "--no-sync"], folder)
        settings = {**SETTINGS, "unix_socket_directories": f"'{folder}'"}
        with (data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        _run([bin_folder / "pg_ctl", "-D", data, "-l", folder / "server.log", "-w", "start"], folder)
        yield f"postgresql+psycopg://{OWNER}@/postgres?host={folder}"
    finally:
        if (data / "postmaster.pid").exists():  # started, even if pg_ctl gave up waiting for it
            _run([bin_folder / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], folder)
        shutil.rmtree(folder, ignore_errors=True)


def empty(url: str) -> str:
    """`url`, with the class's tables dropped, the shared join limits' among them (made outside the versioned
    schema, dlplay.classroom.buckets): a database as a new school server finds it."""
    from dlplay.classroom import buckets

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            schema.metadata.drop_all(conn)
            buckets.metadata.drop_all(conn)
    finally:
        engine.dispose()
    return url
