"""Many sessions at once: python -m bench load [--sessions 1,5,10,20] [--replicas 1,2] [--seconds 90]

Each session is what a browser tab sends and receives over Streamlit's own websocket protocol, without the
browser (a browser per session saturates a 2-core machine by itself): it opens the page through haproxy
(python -m replicas, sticky by cookie), then clicks every 1-3 s for the run's length. On the dashboard a click
is a page switch (Overview and Priority explorer), a quarter, an area, or the explorer's view; on the minimal
page (bench/minimal_app.py: one select box, one chart), served the same way in the same run, it is a quarter.
A click is settled when the server's script_finished message arrives. The clicking starts once what the
replicas' first runs set going in the background (the paper, the Overview warm-up) is done, as it would be before
the public arrive after a publication; its time and CPU are printed.

Printed per app, replicas and sessions: clicks, median and p95 click-to-settled, the replicas' CPU per click,
bytes and messages per click, the replicas' resident memory at the end, and the load average (1 min). Then the
same clicks by kind, to show where the p95 comes from: each kind's median and p95, KB per click, how many of its
clicks were slower than the app's p95, and how many were the first of their choices on their replica (the page
and every control's value, as the session sent them: a read no session of that replica had asked for yet, so
one its caches could not answer) with those clicks' median beside the others'.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import connect

import replicas
from bench.apptest import percentile

APPS = {"minimal": "bench/minimal_app.py", "dashboard": "serve.py"}
PAGES = ("Overview", "Priority explorer")  # the dashboard's pages a session switches between
SETTLE_TIMEOUT_S = 120
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Widget:
    id: str
    kind: str  # "selectbox" or "segmented" (a single-select button group)
    options: tuple[str, ...]


@dataclass
class Click:
    kind: str
    seconds: float
    messages: int
    bytes: int
    choices: tuple = ()  # the replica, page and control values the click asked for (Session.choices)
    first: bool = False  # the first click on its replica with these choices (set by drive)


@dataclass
class Run:
    """What the last rerun drew: its widgets by label and the app's pages by name."""
    widgets: dict[str, Widget] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)


class Session:
    """One visitor: a websocket to the front, sticky to one replica by haproxy's cookie."""

    def __init__(self, front: str, rng: random.Random, cookies: dict[str, str] | None = None):
        """`cookies`: sent besides those the front sets (bench/clicks.py signs a visitor in with one)."""
        opened = urllib.request.urlopen(f"{front}/", timeout=60)
        sent = [value.split(";", 1)[0] for value in opened.headers.get_all("Set-Cookie") or []]
        sent += [f"{name}={value}" for name, value in (cookies or {}).items()]
        cookie = "; ".join(sent)
        # as the browser does: the XSRF cookie's token as the second subprotocol (the server reads a sign-in only then)
        xsrf = [value.split("=", 1)[1] for value in sent if value.startswith("_streamlit_xsrf=")]
        self.socket = connect(f"ws{front.removeprefix('http')}/_stcore/stream", subprotocols=["streamlit", *xsrf[:1]],
                              additional_headers={"Cookie": cookie} if cookie else None, max_size=None,
                              open_timeout=60, origin=front)
        self.rng, self.values, self.page = rng, {}, ""
        self.replica = next((value.split("=", 1)[1] for value in sent
                             if value.startswith(f"{replicas.STICKY_COOKIE}=")), "")
        self.last = Run()

    def choices(self) -> tuple:
        """What the next rerun asks for: its replica, page (by name: the first page is "" until a switch) and every
        control's value sent."""
        page = next((name for name, hash_ in self.last.pages.items() if hash_ == self.page), PAGES[0])
        return (self.replica, page, *sorted((i, state.SerializeToString()) for i, state in self.values.items()))

    def rerun(self, kind: str) -> Click:
        message = BackMsg()
        message.rerun_script.page_script_hash = self.page
        message.rerun_script.widget_states.widgets.extend(self.values.values())
        choices = self.choices()
        started = time.perf_counter()
        self.socket.send(message.SerializeToString())
        run, count, size = Run(pages=self.last.pages), 0, 0
        while True:
            data = self.socket.recv(timeout=SETTLE_TIMEOUT_S)
            count, size = count + 1, size + len(data)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind_of = forward.WhichOneof("type")
            if kind_of == "delta" and forward.delta.WhichOneof("type") == "new_element":
                note_widget(run, forward.delta.new_element)
            elif kind_of == "navigation":
                run.pages = {page.page_name: page.page_script_hash for page in forward.navigation.app_pages}
            elif kind_of == "script_finished":
                self.last = run
                return Click(kind, time.perf_counter() - started, count, size, choices)

    def click(self, dashboard: bool, kind: str | None = None) -> Click:
        """One click of `kind` (a page switch, or a widget by its label), or of one chosen at random."""
        choices = ["Quarter"] + (["page", "Area"] if dashboard else []) + (["View"] if "View" in self.last.widgets else [])
        kind = kind or self.rng.choice([c for c in choices if c == "page" or c in self.last.widgets] or ["rerun"])
        if kind == "page":
            here = next((name for name, hash_ in self.last.pages.items() if hash_ == self.page), PAGES[0])
            self.page = self.last.pages.get(PAGES[1] if here == PAGES[0] else PAGES[0], "")
        elif kind != "rerun":
            widget = self.last.widgets[kind]
            option = self.rng.choice(widget.options)
            if widget.kind == "selectbox":
                self.values[widget.id] = WidgetState(id=widget.id, string_value=option)
            else:
                self.values[widget.id] = WidgetState(id=widget.id, string_array_value={"data": [option]})
        return self.rerun(kind)

    def close(self) -> None:
        self.socket.close()


def note_widget(run: Run, element) -> None:
    kind = element.WhichOneof("type")
    if kind == "selectbox":
        run.widgets[element.selectbox.label] = Widget(element.selectbox.id, "selectbox", tuple(element.selectbox.options))
    elif kind == "button_group" and element.button_group.label:
        run.widgets[element.button_group.label] = Widget(
            element.button_group.id, "segmented", tuple(option.content for option in element.button_group.options))


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def with_children(pids: list[int]) -> list[int]:
    """The processes and their children (a replica's background paper, its Overview warm-up)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
    found = list(pids)
    for pid in found:  # grows as children are found: grandchildren too
        found += [child for child, parent in parents.items() if parent == pid and child not in found]
    return found


def wait_quiet(pids: list[int], timeout_s: float = 600) -> tuple[float, float]:
    """Until the replicas have no worker process left (the paper, the Overview warm-up: niced, they can take
    minutes on a busy machine) and use under a tenth of a core for 2 s: what a publication or a start sets going
    in the background is done, as it would be before the public arrive. Returns the seconds waited and the CPU
    seconds they used meanwhile."""
    started, used = time.monotonic(), 0.0
    while time.monotonic() - started < timeout_s:
        tree = with_children(pids)
        before = cpu_by_process(tree)
        time.sleep(2)
        after = cpu_by_process(list(before))
        spent = sum(after[pid] - before[pid] for pid in after)  # a child that ended meanwhile is not counted
        used += spent
        if spent < 0.2 and len(tree) == len(pids):
            break
    return time.monotonic() - started, used


def cpu_by_process(pids: list[int]) -> dict[int, float]:
    """cpu_seconds of each of those still running."""
    found = {}
    for pid in pids:
        try:
            found[pid] = cpu_seconds([pid])
        except OSError:
            continue
    return found


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def drive(front: str, sessions: int, seconds: float, dashboard: bool, seed: int, asked: set[tuple]):
    """`sessions` visitors, each with its page open, waiting for the start: returns their threads, the list their
    clicks go to, their failure count, and the event that sets them clicking every 1-3 s for `seconds`. `asked`:
    the choices of every rerun these servers have run so far (added to as they click)."""
    clicks: list[Click] = []
    failures = [0]
    lock = threading.Lock()
    opened = threading.Barrier(sessions + 1)
    go = threading.Event()

    def visitor(index: int) -> None:
        rng = random.Random(seed + index)
        session = None
        try:
            session = Session(front, rng)
            opened_with = session.rerun("open")
            with lock:
                asked.add(opened_with.choices)
        except Exception:  # noqa: BLE001 - a visitor that cannot open is counted, not fatal
            with lock:
                failures[0] += 1
        opened.wait()
        go.wait()
        end = time.monotonic() + seconds
        try:
            while session is not None and time.monotonic() < end:
                time.sleep(rng.uniform(1, 3))
                click = session.click(dashboard)
                with lock:
                    click.first = click.choices not in asked
                    asked.add(click.choices)
                    clicks.append(click)
        except Exception:  # noqa: BLE001
            with lock:
                failures[0] += 1
        finally:
            if session is not None:
                session.close()

    threads = [threading.Thread(target=visitor, args=(i,), daemon=True) for i in range(sessions)]
    for thread in threads:
        thread.start()
    opened.wait()
    return threads, clicks, failures, go


def measure(front: str, pids: list[int], sessions: int, seconds: float, dashboard: bool, seed: int,
            asked: set[tuple] | None = None) -> dict:
    """`asked`: the choices already asked of these servers (by earlier measurements), so that a click is counted
    as the first of its choices only when it is."""
    threads, clicks, failures, go = drive(front, sessions, seconds, dashboard, seed, set() if asked is None else asked)
    cpu_before, wall_before = cpu_seconds(pids), time.perf_counter()
    go.set()
    for thread in threads:
        thread.join()
    cpu = cpu_seconds(pids) - cpu_before
    times = sorted(click.seconds for click in clicks)
    count = len(clicks)
    p95 = percentile(times, 95) if times else float("nan")
    return {"sessions": sessions, "clicks": count, "failures": failures[0],
            "median_s": statistics.median(times) if times else float("nan"),
            "p95_s": p95,
            "cpu_per_click_s": cpu / count if count else float("nan"),
            "cpu_cores": cpu / (time.perf_counter() - wall_before),
            "kb_per_click": sum(c.bytes for c in clicks) / count / 1024 if count else float("nan"),
            "messages_per_click": sum(c.messages for c in clicks) / count if count else float("nan"),
            "rss_mb": rss_bytes(pids) / 1024 ** 2, "load_1min": os.getloadavg()[0],
            "kinds": dict(Counter(click.kind for click in clicks)), "by_kind": by_kind(clicks, p95)}


def by_kind(clicks: list[Click], p95: float) -> dict[str, dict]:
    """Per kind of click: median and p95 seconds, KB per click, clicks slower than the whole run's p95, and
    the first clicks of their choices on their replica (with their median and the others')."""
    kinds = {}
    for kind in sorted({click.kind for click in clicks}):
        these = [c for c in clicks if c.kind == kind]
        firsts = [c.seconds for c in these if c.first]
        others = [c.seconds for c in these if not c.first]
        kinds[kind] = {"clicks": len(these), "median_s": statistics.median(c.seconds for c in these),
                       "p95_s": percentile([c.seconds for c in these], 95),
                       "kb_per_click": sum(c.bytes for c in these) / len(these) / 1024,
                       "over_p95": sum(c.seconds > p95 for c in these), "firsts": len(firsts),
                       "first_median_s": statistics.median(firsts) if firsts else float("nan"),
                       "other_median_s": statistics.median(others) if others else float("nan")}
    return kinds


def render(rows: list[dict]) -> str:
    lines = ["| app | replicas | sessions | clicks (failed) | median s | p95 s | server CPU s/click | server cores "
             "| KB/click | messages/click | RSS MB | load | clicks by kind |", "|---" * 13 + "|"]
    for r in rows:
        lines.append(f"| {r['app']} | {r['replicas']} | {r['sessions']} | {r['clicks']} ({r['failures']}) | "
                     f"{r['median_s']:.2f} | {r['p95_s']:.2f} | {r['cpu_per_click_s']:.3f} | {r['cpu_cores']:.2f} | "
                     f"{r['kb_per_click']:.1f} | {r['messages_per_click']:.0f} | {r['rss_mb']:.0f} | {r['load_1min']:.1f} | "
                     + ", ".join(f"{kind} {n}" for kind, n in sorted(r["kinds"].items())) + " |")
    return "\n".join(lines)


def render_kinds(rows: list[dict]) -> str:
    """The clicks of each row by kind: where its p95 comes from."""
    lines = ["| app | replicas | sessions | kind | clicks | median s | p95 s | KB/click | over the app's p95 "
             "| first of their choices on the replica | median s, first | median s, others |", "|---" * 12 + "|"]
    for r in rows:
        for kind, k in r["by_kind"].items():
            lines.append(f"| {r['app']} | {r['replicas']} | {r['sessions']} | {kind} | {k['clicks']} | "
                         f"{k['median_s']:.2f} | {k['p95_s']:.2f} | {k['kb_per_click']:.1f} | {k['over_p95']} | "
                         f"{k['firsts']} | {k['first_median_s']:.2f} | {k['other_median_s']:.2f} |")
    return "\n".join(lines)


def numbers(text: str) -> list[int]:
    return [int(n) for n in text.split(",") if n.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=numbers, default=[1, 5, 10, 20])
    parser.add_argument("--replicas", type=numbers, default=[1, 2])
    parser.add_argument("--seconds", type=float, default=90, help="clicking time per measurement (default 90)")
    parser.add_argument("--db", type=Path, help="the dashboard's database (default: a fresh demo)")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as work:
        db = args.db
        if db is None:
            from ingest.demo import build_demo

            db = Path(work) / "dashboard.duckdb"
            build_demo(db)
        os.environ["DASHBOARD_DB"] = str(db)
        for count in args.replicas:
            for app, script in APPS.items():
                port = replicas.free_port()
                with replicas.serving(count, port=port, script=script, output=subprocess.DEVNULL) as (started, _):
                    front = f"http://127.0.0.1:{port}"
                    pids = [replica.process.pid for replica in started]
                    asked: set[tuple] = set()
                    measure(front, pids, count, 0, app == "dashboard", seed=0, asked=asked)  # each replica's first run, not timed
                    waited, used = wait_quiet(pids)
                    print(f"{app}, {count} replicas: background work after the first runs took {waited:.0f} s, "
                          f"{used:.1f} s of CPU", flush=True)
                    for sessions in args.sessions:
                        row = measure(front, pids, sessions, args.seconds, app == "dashboard", seed=sessions, asked=asked)
                        rows.append({"app": app, "replicas": count, **row})
                        print(render(rows[-1:]).splitlines()[-1], flush=True)
    print(render(rows))
    print()
    print(render_kinds(rows))
    return 0
