"""What the figures were measured on: CPU, cores, memory, OS, versions, and how busy the machine was.

Benchmarks on a 2-core laptop mean little without the load average beside
them (someone else's training run doubles every latency), so every section
records it before and after. Versions are read from the installed packages'
metadata: importing TensorFlow just to print its version would cost seconds
and hundreds of MiB in the harness.
"""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import psutil


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float:
    return psutil.virtual_memory().total / 2**30


def _os_name() -> str:
    try:
        return platform.freedesktop_os_release()["PRETTY_NAME"] + f" (kernel {platform.release()})"
    except (OSError, KeyError):
        return platform.platform()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> dict[str, str]:
    """The machine and software, as short strings for the report's header."""
    return {
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "RAM": f"{_memory_gib():.1f} GiB",
        "OS": _os_name(),
        "Python": platform.python_version(),
        "Streamlit": _version("streamlit"),
        # On Linux x86-64 the CPU-only wheel (pyproject.toml): the same `import tensorflow`, another name.
        "TensorFlow": next((v for v in (_version("tensorflow"), _version("tensorflow-cpu")) if v != "not installed"),
                           "not installed"),
        "Keras": _version("keras"),
        "Chromium": _chromium_version(),
    }


def _chromium_version() -> str:
    from tests.browser.helpers import CHROMIUM

    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return f"not found at {CHROMIUM}"


def load() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages (runnable processes; 2.0 keeps both cores of this laptop busy)."""
    return psutil.getloadavg()
