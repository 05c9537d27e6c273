"""``dlplay school``: a school server on one machine, for a trial (deploy/ has the systemd form).

N Streamlit web processes of the installed app, each on 127.0.0.1 on a port of its own; Caddy in front of them
on the public port (its Caddyfile written in the run folder), pinning each browser to one process by a cookie
(Streamlit keeps a session and its uploads in one process; a school shares one NAT address, so never by IP);
and M training workers (``dlplay worker``). Every child gets the class database (DLPLAY_DATABASE_URL), Redis
(DLPLAY_REDIS_URL), the address students open (DLPLAY_PUBLIC_URL) and Caddy as the trusted proxy whose
X-Forwarded-For the join limits read. A child that ends is said on stderr and started again (at once, then
waiting longer each time it ends within a minute of its start). Ctrl+C or SIGTERM stops them all.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from dlplay.cli import Failed, UsageError
from dlplay.cli.serve import STOPPING, announce, app_path, port_free, port_number, streamlit_command

DEFAULT_PORT = 8080
STARTING = 180  # seconds the web processes and Caddy may take to be ready (N Streamlits importing on few cores)
CHECK_EVERY = 0.5  # seconds between two looks at the children
STEADY = 60  # seconds a child must have lived for its next restart to be immediate
LONGEST_WAIT = 60  # seconds between two restarts of a child that keeps ending
COOKIE = "dlplay_web"  # Caddy's sticky cookie: an HMAC of the web process's address
TRUSTED_PROXIES = "127.0.0.1"  # Caddy, as the web processes see it


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "school", help="a school server on this machine: N web processes behind Caddy, M training workers",
        description="Start N web processes of the app behind Caddy (sticky by cookie, compressed) and M training "
                    "workers, on one machine, for a trial. Needs Caddy, and PostgreSQL in DLPLAY_DATABASE_URL "
                    "when N > 1. deploy/ in the source has the same set-up as systemd units.")
    parser.add_argument("--web", type=count(1), required=True, metavar="N", help="web processes (1 to 64)")
    parser.add_argument("--workers", type=count(0), default=0, metavar="M",
                        help="training workers (dlplay worker; needs DLPLAY_REDIS_URL), default 0")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT, help=f"Caddy's port (default {DEFAULT_PORT})")
    parser.add_argument("--address", default="0.0.0.0", help="Caddy's address (default 0.0.0.0: every network)")
    parser.add_argument("--folder", type=Path, help="where the Caddyfile and the logs go (default: the data folder's "
                                                    "school/)")
    parser.set_defaults(run=run)


def count(least: int, most: int = 64):
    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text[:20]!r}") from None
        if not least <= number <= most:
            raise argparse.ArgumentTypeError(f"{least} to {most}, not {number}")
        return number
    return parse


def caddyfile(address: str, port: int, web_ports: list[int]) -> str:
    """Caddy's configuration: plain HTTP on `address`:`port` to the web processes on 127.0.0.1:`web_ports`.

    The admin endpoint is off (two Caddys on one machine would both want :2019; this one is stopped by a signal),
    and Caddy keeps its own files in the run folder (XDG_DATA_HOME, XDG_CONFIG_HOME)."""
    upstreams = " ".join(f"127.0.0.1:{p}" for p in web_ports)
    host = f"[{address}]" if ":" in address else address
    return f"""# Written by `dlplay school`; deploy/Caddyfile is the production form, with every line explained.
{{
\tadmin off
\tauto_https off
}}

http://:{port} {{
\tbind {host}
\tencode zstd gzip
\treverse_proxy {upstreams} {{
\t\tlb_policy cookie {COOKIE}
\t\tlb_try_duration 5s
\t\tlb_try_interval 250ms
\t\tfail_duration 10s
\t\thealth_uri /_stcore/health
\t\thealth_interval 2s
\t\thealth_timeout 2s
\t\theader_down X-Dlplay-Web {{http.reverse_proxy.upstream.port}}
\t}}
}}
"""


def _die_with_parent() -> None:
    """In a child before exec: SIGTERM when `dlplay school` itself dies, even by SIGKILL (Linux's
    PR_SET_PDEATHSIG), so that no web process outlives it holding its port."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass


@dataclass
class Child:
    """One process of the set, started again when it ends."""

    name: str
    command: list[str]
    log: Path
    env: dict[str, str]
    cwd: Path | None = None
    process: subprocess.Popen | None = None
    started: float = 0.0
    wait: float = 0.0  # seconds before the next restart
    due: float = 0.0  # monotonic time of the next restart, once ended
    ready_url: str | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            # A session of its own: the terminal's Ctrl+C reaches `dlplay school` alone, which stops the children in
            # order (Caddy first) instead of all at once.
            self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True, preexec_fn=_die_with_parent)
        self.started = time.monotonic()

    def ended(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait_stopped(self, timeout: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Stopping(Exception):
    """SIGTERM: stop as for Ctrl+C."""


def _on_sigterm(_signum, _frame):
    raise Stopping


def database_problem(url: str) -> str | None:
    """Why the class database at `url` cannot be used now, in a few words, or None."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    try:
        shown = make_url(url).render_as_string(hide_password=True)
        engine = create_engine(url)
    except ArgumentError:
        return "DLPLAY_DATABASE_URL is not a database URL"
    except ModuleNotFoundError as error:
        return f"{shown}: its driver is not installed ({error.name}; pip install 'dlplay[postgres]')"
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        said = str(getattr(error, "orig", error)).strip().splitlines()
        return f"cannot reach {shown}: {said[0] if said else type(error).__name__}"
    finally:
        engine.dispose()
    return None


def check(args) -> tuple[str, str]:
    """The refusals before anything starts; (Caddy's program, the database URL)."""
    caddy = shutil.which("caddy")
    if caddy is None:
        raise Failed("Caddy is not installed (sudo apt-get install -y caddy)")
    url = os.environ.get("DLPLAY_DATABASE_URL", "")
    if args.web > 1 and (not url or url.startswith("sqlite")):
        # SQLite lets one process write at a time: N processes would wait on its file lock, polling, and the
        # class's writes would queue across the whole school.
        raise UsageError(f"--web {args.web} needs PostgreSQL: set DLPLAY_DATABASE_URL (e.g. "
                         "postgresql+psycopg://dlplay@/dlplay), or use --web 1 with SQLite")
    if args.workers and not os.environ.get("DLPLAY_REDIS_URL"):
        raise UsageError("--workers needs Redis: set DLPLAY_REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    if args.workers and importlib.util.find_spec("dlplay.cli.worker") is None:
        raise UsageError("this dlplay has no `dlplay worker` to start: use --workers 0")
    if not port_free(args.address, args.port):
        raise UsageError(f"port {args.port} is in use on {args.address} (try --port {args.port + 1})")
    if url and (problem := database_problem(url)):
        raise Failed(problem)
    return caddy, url


def free_ports(count: int) -> list[int]:
    """`count` ports free on 127.0.0.1 now, all different."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def run(args) -> int:
    from dlplay.classroom import invite, schema

    caddy, _url = check(args)
    app = app_path()
    folder = (args.folder or schema.data_dir() / "school").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    public = invite.public_url() or invite.base_url(args.address, args.port)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(DLPLAY_PUBLIC_URL=public, DLPLAY_TRUSTED_PROXIES=TRUSTED_PROXIES)
    web_ports = free_ports(args.web)
    config = folder / "Caddyfile"
    config.write_text(caddyfile(args.address, args.port, web_ports))
    caddy_env = {**env, "XDG_DATA_HOME": str(folder / "caddy-data"), "XDG_CONFIG_HOME": str(folder / "caddy-config")}

    web = [Child(f"web {k + 1} (port {p})", streamlit_command(app, "127.0.0.1", p, browser=False),
                 folder / f"web-{k + 1}.log", env, cwd=app.parent, ready_url=f"http://127.0.0.1:{p}/_stcore/health")
           for k, p in enumerate(web_ports)]
    workers = [Child(f"worker {k + 1}", [sys.executable, "-m", "dlplay", "worker"], folder / f"worker-{k + 1}.log",
                     env) for k in range(args.workers)]
    proxy = Child("Caddy", [caddy, "run", "--config", str(config), "--adapter", "caddyfile"], folder / "caddy.log",
                  caddy_env, cwd=folder)
    children = [*web, *workers, proxy]

    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        for child in children:
            child.start()
        wait_ready(web, proxy, args)
        print(f"dlplay school: {args.web} web process(es) on 127.0.0.1:{','.join(map(str, web_ports))}, "
              f"{args.workers} worker(s), Caddy on {args.address}:{args.port}; Caddyfile and logs in {folder}",
              file=sys.stderr, flush=True)
        print(announce(public, args.port), flush=True)
        supervise(children)
    except (KeyboardInterrupt, Stopping):
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM does not cut the stopping short
        stop_all(proxy, [*workers, *web])
        signal.signal(signal.SIGTERM, previous)
    print("dlplay school: stopped", file=sys.stderr)
    return 0


def wait_ready(web: list[Child], proxy: Child, args) -> None:
    """Until every web process answers its health check and Caddy its port; Failed if one ends meanwhile."""
    deadline = time.monotonic() + STARTING
    waiting = list(web)
    caddy_up = False
    while waiting or not caddy_up:
        for child in [*waiting, proxy]:
            if child.ended() is not None:
                raise Failed(f"{child.name} ended at its start ({last_line(child.log)}; see {child.log})")
        waiting = [child for child in waiting if not ready(child.ready_url)]
        caddy_up = caddy_up or not port_free("127.0.0.1" if args.address in ("0.0.0.0", "") else args.address,
                                             args.port)
        if time.monotonic() > deadline:
            raise Failed(f"not ready after {STARTING} s: {', '.join(c.name for c in waiting) or 'Caddy'}")
        time.sleep(CHECK_EVERY)


def last_line(log: Path) -> str:
    try:
        lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    return lines[-1][:200] if lines else "said nothing"


def supervise(children: list[Child]) -> None:
    """Forever: a child that ended is said on stderr and started again, soon if it had run a while."""
    while True:
        now = time.monotonic()
        for child in children:
            code = child.ended()
            if code is None:
                continue
            if not child.due:
                lived = now - child.started
                child.wait = 0.0 if lived > STEADY else min(LONGEST_WAIT, max(1.0, child.wait * 2))
                child.due = now + child.wait
                print(f"dlplay school: {child.name} ended ({describe(code)}) after {lived:.0f} s; starting it again"
                      + (f" in {child.wait:.0f} s" if child.wait else ""), file=sys.stderr, flush=True)
            if now >= child.due:
                child.due = 0.0
                child.start()
        time.sleep(CHECK_EVERY)


def describe(code: int) -> str:
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def stop_all(proxy: Child, others: list[Child]) -> None:
    """Caddy first (no new requests), then the rest together, each given STOPPING s."""
    proxy.stop()
    proxy.wait_stopped(STOPPING)
    for child in others:
        child.stop()
    for child in others:
        child.wait_stopped(STOPPING)
