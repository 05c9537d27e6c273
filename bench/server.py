"""`streamlit run app.py` for the benchmarks, with what they need to see of the process.

The same command as tests/browser/conftest.py's `streamlit_server()` (free
port, headless, loopback only), but the context manager yields a `Server`
that keeps the process, its spawn time and its pid, because the benchmarks
time the spawn itself (cold start), read /proc/<pid>/maps (is TensorFlow
loaded?) and sum the memory and CPU time of the process and its children
(a class of 30).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import subprocess
import time
from pathlib import Path
from typing import Sequence

from tests.browser import helpers as conftest

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (read from /proc)."""
    found, todo = [], [pid]
    while todo:
        pid = todo.pop()
        found.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo.extend(int(child) for child in task.read_text().split())
    return found


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU time the processes `pids` have used so far (those gone count nothing)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / CLOCK_TICKS


def browser_cpu_seconds(server: Server) -> float:
    """CPU seconds used so far by this process's descendants other than the server: Playwright's driver
    and Chromium, which share the laptop's cores with the server in these benchmarks."""
    server_pids = set(server.pids())
    return cpu_seconds([pid for pid in process_tree(os.getpid())[1:] if pid not in server_pids])


@dataclasses.dataclass
class Server:
    """A running `streamlit run app.py`: its URL, its process, and what /proc tells of it."""
    url: str
    process: subprocess.Popen
    spawned_at: float  # time.perf_counter() just before the process was spawned

    @property
    def pid(self) -> int:
        return self.process.pid

    def pids(self) -> list[int]:
        """The server's pid and its descendants' (Streamlit runs scripts in threads, but a page may spawn)."""
        return process_tree(self.pid)

    def rss_bytes(self) -> int:
        """Resident memory of the process tree now."""
        total = 0
        for pid in self.pids():
            with contextlib.suppress(OSError, IndexError, ValueError):
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
        return total

    def peak_rss_bytes(self) -> int:
        """The server process's own high-water mark of resident memory (VmHWM), since it started."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        return 0

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process tree so far."""
        return cpu_seconds(self.pids())

    def tensorflow_objects(self) -> list[str]:
        """TensorFlow's shared objects mapped into the server process: empty until something imported it."""
        names = set()
        for line in Path(f"/proc/{self.pid}/maps").read_text().splitlines():
            fields = line.split(maxsplit=5)  # address, perms, offset, dev, inode, path
            if len(fields) == 6 and "/tensorflow/" in fields[5] and ".so" in fields[5]:
                names.add(Path(fields[5]).name)
        return sorted(names)


def wait_healthy(server: Server, timeout: float = 60) -> None:
    """Poll /_stcore/health every 20 ms (the tests' 0.2 s is too coarse to time a cold start)."""
    conftest.wait_healthy(server.url, server.process, timeout, poll=0.02)


@contextlib.contextmanager
def streamlit_server(log=subprocess.DEVNULL, wait: bool = True, options: Sequence[str] = ()):
    """The tests' `streamlit run app.py` on a free port; yields a `Server` (healthy if `wait`) and always stops it.

    `options`: more Streamlit config options as "name=value" (e.g. "runner.postScriptGC=false").
    """
    spawned_at = time.perf_counter()
    url, process = conftest.spawn_streamlit(log, options)
    server = Server(url, process, spawned_at)
    try:
        if wait:
            wait_healthy(server)
        yield server
    finally:
        conftest.stop(process)
