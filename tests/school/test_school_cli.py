"""`dlplay school` before it starts anything: its refusals, one line each and a non-zero exit, and the Caddyfile it
writes (and deploy/'s), read by the real Caddy."""

import json
import os
import socket
import subprocess
import sys

import pytest

from dlplay.cli import main
from dlplay.cli.school import COOKIE, caddyfile
from tests.browser.helpers import ROOT


def refused(argv, capsys) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as leaving:  # argparse's own refusals
        code = leaving.code
    return code, capsys.readouterr().err


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("dlplay school: ") and "Traceback" not in err


@pytest.mark.parametrize("argv", [["school"], ["school", "--web", "0"], ["school", "--web", "two"],
                                  ["school", "--web", "1", "--workers", "-1"], ["school", "--web", "1", "--port", "0"]])
def test_a_bad_argument_is_one_line_and_exit_2(argv, capsys):
    code, err = refused(argv, capsys)
    assert code == 2 and one_line(err), err


def test_several_web_processes_on_sqlite_are_refused_with_what_to_set(capsys, monkeypatch, caddy):
    monkeypatch.delenv("DLPLAY_DATABASE_URL", raising=False)
    code, err = refused(["school", "--web", "2"], capsys)
    assert code == 2 and one_line(err) and "DLPLAY_DATABASE_URL" in err and "PostgreSQL" in err
    monkeypatch.setenv("DLPLAY_DATABASE_URL", "sqlite:////tmp/class.sqlite3")
    assert refused(["school", "--web", "3"], capsys)[0] == 2


def test_workers_need_redis(capsys, monkeypatch, caddy):
    monkeypatch.delenv("DLPLAY_REDIS_URL", raising=False)
    monkeypatch.delenv("DLPLAY_DATABASE_URL", raising=False)
    code, err = refused(["school", "--web", "1", "--workers", "2"], capsys)
    assert code == 2 and one_line(err) and "DLPLAY_REDIS_URL" in err


def test_a_missing_caddy_or_a_port_in_use_is_one_line(tmp_path, capsys, monkeypatch, caddy):
    monkeypatch.setenv("PATH", str(tmp_path))  # no caddy there
    code, err = refused(["school", "--web", "1"], capsys)
    assert code == 1 and one_line(err) and "apt-get install -y caddy" in err
    monkeypatch.undo()
    monkeypatch.delenv("DLPLAY_DATABASE_URL", raising=False)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, err = refused(["school", "--web", "1", "--address", "127.0.0.1", "--port", str(port)], capsys)
    assert code == 2 and one_line(err) and f"port {port} is in use" in err


def test_an_unreachable_database_is_one_line_and_exit_1(tmp_path, capsys, monkeypatch, caddy):
    monkeypatch.setenv("DLPLAY_DATABASE_URL", f"postgresql+psycopg://dlplay:secret@/dlplay?host={tmp_path}")
    code, err = refused(["school", "--web", "2", "--address", "127.0.0.1", "--port", "1"], capsys)
    assert code in (1, 2) and one_line(err) and "secret" not in err  # port 1 may be taken; either way no password


def test_a_missing_caddy_from_the_command_line_is_one_line_on_stderr(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "dlplay", "school", "--web", "1"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and one_line(done.stderr) and done.stdout == "", done.stderr


def adapted(caddy: str, path) -> dict:
    done = subprocess.run([caddy, "adapt", "--config", str(path), "--adapter", "caddyfile"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def handlers(config: dict) -> dict:
    """Each handler of the one server, by name, subroutes (a site with a host name) included."""
    found, routes = {}, list(next(iter(config["apps"]["http"]["servers"].values()))["routes"])
    while routes:
        for handler in routes.pop().get("handle", []):
            found[handler["handler"]] = handler
            routes.extend(handler.get("routes", []))
    return found


def test_caddy_reads_both_caddyfiles_as_sticky_checked_and_compressed(tmp_path, caddy):
    written = tmp_path / "Caddyfile"
    written.write_text(caddyfile("0.0.0.0", 8080, [8601, 8602]))
    for path, ports in ((written, [8601, 8602]), (ROOT / "deploy" / "Caddyfile", [8601, 8602, 8603])):
        proxy, encode = (handlers(adapted(caddy, path))[name] for name in ("reverse_proxy", "encode"))
        assert [u["dial"] for u in proxy["upstreams"]] == [f"127.0.0.1:{p}" for p in ports]
        assert proxy["load_balancing"]["selection_policy"] == {"name": COOKIE, "policy": "cookie"}
        assert proxy["load_balancing"]["try_duration"] > 0 and proxy["health_checks"]["passive"]["fail_duration"] > 0
        assert proxy["health_checks"]["active"]["uri"] == "/_stcore/health"
        assert set(encode["encodings"]) == {"zstd", "gzip"}
    assert adapted(caddy, written)["admin"] == {"disabled": True}  # a trial never takes :2019
