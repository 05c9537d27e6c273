"""`streamlit run app.py` for the benchmarks, with what they need to see of the process.

The same command as tests/browser/helpers.py's `streamlit_server()` (free
port, headless, loopback only), but the context manager yields a `Server`
that keeps the process, its spawn time and its pid, because the benchmarks
time the spawn itself (cold start), look at its memory maps (is TensorFlow
loaded?) and sum the memory and CPU time of the process and its children
(a class of 30), through psutil.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

import psutil

from tests.browser import helpers


def process_tree(pid: int) -> list[psutil.Process]:
    """The process `pid` and all its descendants (those already gone are left out)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def cpu_seconds(processes: Sequence[psutil.Process]) -> float:
    """User + system CPU time the processes have used so far (those gone count nothing)."""
    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def browser_cpu_seconds(server: Server) -> float:
    """CPU seconds used so far by this process's descendants other than the server: Playwright's driver
    and Chromium, which share the laptop's cores with the server in these benchmarks."""
    server_pids = {process.pid for process in server.processes()}
    return cpu_seconds([p for p in process_tree(os.getpid())[1:] if p.pid not in server_pids])


@dataclasses.dataclass
class Server:
    """A running `streamlit run app.py`: its URL, its process, and what the OS tells of it."""
    url: str
    process: subprocess.Popen
    spawned_at: float  # time.perf_counter() just before the process was spawned

    @property
    def pid(self) -> int:
        return self.process.pid

    def processes(self) -> list[psutil.Process]:
        """The server and its descendants (Streamlit runs scripts in threads, but a page may spawn)."""
        return process_tree(self.pid)

    def rss_bytes(self) -> int:
        """Resident memory of the process tree now."""
        total = 0
        for process in self.processes():
            with contextlib.suppress(psutil.Error):
                total += process.memory_info().rss
        return total

    def peak_rss_bytes(self) -> int:
        """The server process's own high-water mark of resident memory since it started
        (Linux's VmHWM; elsewhere the current RSS, the best psutil offers)."""
        with contextlib.suppress(psutil.Error, OSError):
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        with contextlib.suppress(psutil.Error):
            return psutil.Process(self.pid).memory_info().rss
        return 0

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process tree so far."""
        return cpu_seconds(self.processes())

    def tensorflow_objects(self) -> list[str]:
        """TensorFlow's shared objects mapped into the server process: empty until something imported it."""
        with contextlib.suppress(psutil.Error):
            return sorted({Path(m.path).name for m in psutil.Process(self.pid).memory_maps()
                           if "/tensorflow/" in m.path and ".so" in m.path})
        return []


def wait_healthy(server: Server, timeout: float = 60) -> None:
    """Poll /_stcore/health every 20 ms (the tests' 0.2 s is too coarse to time a cold start)."""
    helpers.wait_healthy(server.url, server.process, timeout, poll=0.02)


@contextlib.contextmanager
def streamlit_server(log=subprocess.DEVNULL, wait: bool = True, options: Sequence[str] = ()):
    """The tests' `streamlit run app.py` on a free port; yields a `Server` (healthy if `wait`) and always stops it.

    `options`: more Streamlit config options as "name=value" (e.g. "runner.postScriptGC=false").
    """
    spawned_at = time.perf_counter()
    url, process = helpers.spawn_streamlit(log, options)
    server = Server(url, process, spawned_at)
    try:
        if wait:
            wait_healthy(server)
        yield server
    finally:
        helpers.stop(process)
