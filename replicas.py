"""Serve the dashboard as several processes behind haproxy: `python -m replicas --replicas 2`.

One Streamlit process keeps to about one core (the GIL), so the dashboard runs as N replicas, each
`streamlit run serve.py` on its own port on 127.0.0.1, behind Debian's haproxy on the port asked for
(8501 by default). Streamlit keeps a session's websocket, its uploads and its media in the process that
started it, so haproxy is sticky by a cookie (DASHBOARD_REPLICA, naming the replica) and passes the
websocket upgrade through; replicas are checked on Streamlit's /_stcore/health.

Every replica reads the same published snapshot read-only (DASHBOARD_DB) and looks at the live link on
each rerun (components/database.current_version), so a snapshot published by any of them, or by the
command line, is seen by all on their next rerun. A write takes the publish lock (ingest/publish), which
the kernel holds across processes on this machine.

Ctrl-C or SIGTERM stops haproxy and every replica; if any of them (haproxy included) exits, the others are
stopped too and the command exits non-zero, so a service manager can restart the whole set.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

PROJECT_ROOT = Path(__file__).resolve().parent
STICKY_COOKIE = "DASHBOARD_REPLICA"
HEALTH = "/_stcore/health"
STOP_GRACE_S = 10


class ReplicasFailed(RuntimeError):
    """A replica or the load balancer did not start, or stopped; the message says which."""


@dataclass(frozen=True)
class Replica:
    name: str  # the value of the sticky cookie for sessions it serves
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def replica_name(index: int) -> str:
    return f"replica{index + 1}"


def haproxy_config(address: str, port: int, replica_ports: Sequence[int]) -> str:
    """haproxy's configuration: the front on address:port, each replica on 127.0.0.1, sticky by cookie."""
    servers = "\n".join(f"    server {replica_name(i)} 127.0.0.1:{p} check cookie {replica_name(i)}"
                        for i, p in enumerate(replica_ports))
    return f"""\
global
    maxconn 2000

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    # a Streamlit session is one long websocket: it stays open while the tab is
    timeout tunnel 8h

frontend dashboard
    bind {address}:{port}
    default_backend replicas

backend replicas
    balance roundrobin
    # a browser stays on one replica for its visit (websocket, uploads, media); a dead one's visitors move on
    cookie {STICKY_COOKIE} insert indirect nocache httponly attr "SameSite=Lax"
    option redispatch
    option httpchk GET {HEALTH}
    http-check expect status 200
    default-server inter 2s fall 3 rise 2
{servers}
"""


def require_haproxy() -> str:
    found = shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)
    if not found:
        raise ReplicasFailed("haproxy is not installed: install Debian's package (apt-get install haproxy).")
    return found


def wait_healthy(url: str, process: subprocess.Popen, what: str, timeout_s: float = 90) -> None:
    """Until the server at url answers its health check; ReplicasFailed (a RuntimeError) if it exits or the time
    runs out. The benchmark and the browser tests start their servers with it too."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            urllib.request.urlopen(f"{url}{HEALTH}", timeout=2)
            return
        except OSError:
            if process.poll() is not None:
                raise ReplicasFailed(f"{what} stopped while starting (exit status {process.returncode}).") from None
            if time.monotonic() > deadline:
                raise ReplicasFailed(f"{what} did not answer {HEALTH} within {timeout_s:.0f} s.") from None
            time.sleep(0.3)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def started(command: list[str], env: dict | None = None, output=None) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=output)
    try:
        yield process
    finally:
        stop(process)


def replica_env() -> dict:
    # One XSRF cookie secret for the set: a visitor moved to another replica (theirs stopped) can still upload.
    env = dict(os.environ)
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_urlsafe(32))
    return env


@contextmanager
def serving(replicas: int, address: str = "127.0.0.1", port: int = 8501, replica_ports: Sequence[int] = (),
            streamlit_options: Sequence[str] = (), script: str = "serve.py",
            output=None) -> Iterator[tuple[list[Replica], subprocess.Popen]]:
    """Start the replicas, wait until each is healthy, then haproxy in front: yields the replicas and haproxy's
    process, and stops them all on leaving. `script`: another Streamlit script served the same way (the load
    benchmark's minimal page); `output`: where the replicas' and haproxy's output goes (default: this one's)."""
    haproxy = require_haproxy()
    ports = list(replica_ports) or [free_port() for _ in range(replicas)]
    if len(ports) != replicas:
        raise ReplicasFailed(f"{replicas} replicas need {replicas} replica ports, not {len(ports)}.")
    require_free(address, port, "the front")
    for replica_port in ports:
        require_free("127.0.0.1", replica_port, "a replica")
    env = replica_env()
    with ExitStack() as stack:
        started_replicas = []
        for index, replica_port in enumerate(ports):
            process = stack.enter_context(started(
                [sys.executable, "-m", "streamlit", "run", script, "--server.address", "127.0.0.1",
                 "--server.port", str(replica_port), "--server.headless", "true", *streamlit_options], env, output))
            started_replicas.append(Replica(replica_name(index), replica_port, process))
        for replica in started_replicas:
            wait_healthy(replica.url, replica.process, replica.name)
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dashboard-haproxy-")))
        config = folder / "haproxy.cfg"
        config.write_text(haproxy_config(address, port, ports), encoding="utf-8")
        front = stack.enter_context(started([haproxy, "-db", "-f", str(config)], output=output))
        wait_healthy(f"http://{'127.0.0.1' if address in ('0.0.0.0', '') else address}:{port}", front, "haproxy")
        yield started_replicas, front
        # leaving the with block stops haproxy first, then the replicas (ExitStack unwinds in reverse)


def require_free(address: str, port: int, what: str) -> None:
    """Refuse a port already taken: the server started there would fail, and whatever holds it could answer
    the health check in its place."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers bind: a closed port's TIME_WAIT is no clash
        try:
            s.bind((address, port))
        except OSError as error:
            raise ReplicasFailed(f"{address}:{port} cannot be used for {what} ({error.strerror}).") from None


def watch(processes: dict[str, subprocess.Popen]) -> str:
    """Wait until one of the processes (by name) exits; returns which, in words."""
    while True:
        for name, process in processes.items():
            if process.poll() is not None:
                return f"{name} stopped (exit status {process.returncode})"
        time.sleep(1)


def stop_on_signal(signum, frame):
    # once: a second Ctrl-C or SIGTERM must not cut short the stopping of the others
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m replicas", description="Serve the dashboard as several Streamlit processes behind haproxy.",
        epilog="Options after -- go to every `streamlit run serve.py`, e.g. -- --secrets.files /etc/dashboard/secrets.toml")
    parser.add_argument("--replicas", type=int, default=2, help="how many Streamlit processes (default 2)")
    parser.add_argument("--address", default="127.0.0.1", help="address haproxy listens on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8501, help="port haproxy listens on (default 8501)")
    parser.add_argument("--replica-ports", default="",
                        help="comma-separated ports for the replicas on 127.0.0.1 (default: free ports)")
    parser.add_argument("streamlit_options", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    options = args.streamlit_options[1:] if args.streamlit_options[:1] == ["--"] else args.streamlit_options
    ports = [int(p) for p in args.replica_ports.split(",") if p.strip()]
    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGINT, stop_on_signal)
    try:
        with serving(args.replicas, args.address, args.port, ports, options) as (replicas, front):
            print(f"Serving {len(replicas)} replicas at http://{args.address}:{args.port} ("
                  + ", ".join(f"{r.name} on 127.0.0.1:{r.port}" for r in replicas) + ")", flush=True)
            stopped = watch({"haproxy": front, **{r.name: r.process for r in replicas}})
            print(f"error: {stopped}; stopping the others.", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        return 0
    except ReplicasFailed as failed:
        print(f"error: {failed}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
