"""dlplay as a user installs it: the wheel is built, installed (not editable) into a fresh venv outside the
checkout, `dlplay serve` started from there, and every page opens in Chromium with no error.

The fresh venv takes dlplay from the wheel and nothing from the checkout; its dependencies (TensorFlow and
the rest, ~1 GB) come from the test venv's site-packages through a .pth line, a plain path: the editable
install's finder there is not run, so `import dlplay` can only find the wheel's copy.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from dlplay import i18n

from .helpers import ROOT, free_port, wait_for_app, wait_healthy

pytestmark = pytest.mark.slow

MAX_WHEEL_MB = 30
PAGES = ("", "activations", "xor", "digits", "digits-training", "text", "class")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(folder), str(ROOT)], check=True, cwd=folder)
    (found,) = folder.glob("dlplay-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv, outside the checkout, with the wheel installed in it: its `dlplay` command."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                    str(wheel)], check=True, cwd=venv)
    return venv / "bin" / "dlplay"


def test_the_wheel_is_small_and_adds_no_generic_top_level_module(wheel):
    assert wheel.stat().st_size <= MAX_WHEEL_MB * 2**20, f"{wheel.stat().st_size / 2**20:.1f} MB"
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"dlplay", wheel.name.split("-py")[0] + ".dist-info"}
    for needed in ("dlplay/_app/app.py", "dlplay/_app/pages/digits.py", "dlplay/_app/ui/__init__.py",
                   "dlplay/_app/.streamlit/config.toml", "dlplay/_app/ui/components/drawing_pad/drawing_pad.js"):
        assert needed in names


def test_dlplay_serve_from_the_wheel_opens_every_page(installed, browser, tmp_path):
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "DLPLAY_DATA_DIR": str(tmp_path / "data")}
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([str(installed), "serve", "--class", "--no-browser", "--port", str(port)],
                              cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, server, timeout=120)
        where = subprocess.run([str(installed.parent / "python"), "-c", "import dlplay; print(dlplay.__file__)"],
                               capture_output=True, text=True, cwd=tmp_path, env=env).stdout
        assert str(ROOT) not in where and "site-packages" in where, where
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
        page = context.new_page()
        page.set_default_timeout(90_000)
        for path in PAGES:
            page.goto(f"{url}/{path}?lang=en")
            wait_for_app(page)
            main = page.locator("[data-testid=stMain]").inner_text()
            assert i18n.text("en", "app.error", error="")[:12] not in main, (path, main[:300])
            assert "Page not found" not in main
        context.close()
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl+C in the terminal: the whole group
        assert server.wait(timeout=30) == 0
        log.close()
    said = (tmp_path / "serve.log").read_text()
    assert f":{port}" in said and "学生" in said and "Students" in said  # the address, in both languages
    assert "Traceback" not in said, said[-2000:]
