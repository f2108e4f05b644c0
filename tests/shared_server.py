"""A Streamlit server for a whole test run, shared by its pytest-xdist workers (started by conftest.shared_server,
under a lock, by the first worker that asks; the others read its address). Run as

    python tests/shared_server.py STATE WATCHED_PID DB [--users EMAIL ...] [--unverified EMAIL ...]

It serves DB (with sign-in through a local OpenID Connect provider offering --users, when given), runs the
Overview once so the first test does not pay for the cold imports and caches, then writes STATE (JSON: the URL,
the server's process id). It stops the server when the process WATCHED_PID (the run's pytest) has gone, however
that ended, or on SIGTERM.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent
PROJECT_ROOT = TESTS.parent
sys.path[:0] = [str(TESTS), str(PROJECT_ROOT)]
os.environ.setdefault("DASHBOARD_PAPER_IN_BACKGROUND", "0")  # as conftest sets it for the servers tests start
os.environ.setdefault("DASHBOARD_OVERVIEW_WARM_UP", "0")  # likewise

from browser import auth_secrets, free_port, oidc_provider, streamlit_process  # noqa: E402

WATCH_EVERY_S = 0.2


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def run_overview(url: str) -> None:
    """As a browser's first visit: open a session and run the Overview to its end."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async with websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None) as socket:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        await socket.send(rerun.SerializeToString())
        while ForwardMsg.FromString(await socket.recv()).WhichOneof("type") != "script_finished":
            pass


def serve(state: Path, watched: int, db: Path, secrets: Path | None, port: int) -> None:
    with streamlit_process(PROJECT_ROOT, db, port=port, secrets=secrets) as (url, process):
        asyncio.run(asyncio.wait_for(run_overview(url), timeout=300))
        partial = state.with_name(state.name + ".partial")
        partial.write_text(json.dumps({"url": url, "pid": process.pid, "host": os.getpid()}), encoding="utf-8")
        os.replace(partial, state)  # whole or not at all, for the workers waiting on it
        while alive(watched) and process.poll() is None:
            time.sleep(WATCH_EVERY_S)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("state", type=Path)
    parser.add_argument("watched", type=int)
    parser.add_argument("db", type=Path)
    parser.add_argument("--users", nargs="*", default=[])
    parser.add_argument("--unverified", nargs="*", default=[])
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # leaves the with blocks: the server and provider stop
    port = free_port()
    try:
        if not args.users:
            serve(args.state, args.watched, args.db, None, port)
            return
        with oidc_provider(args.users, unverified=tuple(args.unverified)) as provider:
            serve(args.state, args.watched, args.db, auth_secrets(args.db.parent, port, provider), port)
    finally:
        used = os.times()  # for measuring the suite: this CPU is not counted in pytest's own
        print(f"stopped: the server used {used.children_user + used.children_system:.1f} s of CPU, its host "
              f"{used.user + used.system:.1f} s", flush=True)


if __name__ == "__main__":
    main()
