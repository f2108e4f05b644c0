"""What a click costs the server, page by page: python -m bench clicks [--clicks 12] [--rounds 3] [--firsts 5]

One Streamlit server for the dashboard (serve.py, over a fresh demo) and one for the minimal page
(bench/minimal_app.py: one select box, one chart), each clicked by one visitor speaking Streamlit's websocket
protocol (bench/load.py's Session), one click at a time. A click picks another option in one of the page's own
controls (the Overview's quarter and area; the explorer's, on priority 11, quarter, view and measure; What-if's
measure and area, signed in as an analyst; Similar forces' offence group, comparison period and year end; the
minimal page's quarter), among the first few options, so after a first pass (its cost printed apart, as
"first") the clicks are those of a server many visitors keep warm. The figure is the server process's CPU time
over the click (utime + stime from /proc), which other work on the machine does not inflate as it does the wall
time printed beside it. Pages and the minimal page take turns, round by round, so both see the same machine.
The mean counts the clicks that found a combination of choices not yet cached (a new area and quarter on the
Overview); the median is a typical click.

Then the first settled page: the Overview and an app that shows only a title (bench/title_app.py) opened
alternately in chromium, each in a new tab, from navigation to the last change of the page (bench/browser.py);
medians, and their ratio; beside them the browser's CPU time (all its processes) and the app's server CPU over
each load.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import access
from bench import PROJECT_ROOT
from bench.browser import chromium, open_page_busy, streamlit_server
from bench.load import Session, cpu_seconds

ANALYST = "analyst@example.org"  # What-if is an analyst's tool
EXPLORER_PRIORITY = "11."  # the priority with the most measures
OPTIONS_USED = 4  # a click picks among a control's first few options: after one pass, a warm server's click
PORTS = (8704, 8705, 8706)  # the dashboard, the minimal page, the title-only app (8700-8709 are the benchmarks')
COOKIE_SECRET = secrets.token_urlsafe(48)  # the sign-in cookie is signed with it, as the server would


@dataclass(frozen=True)
class Target:
    name: str
    page: str | None  # the dashboard page's name in its navigation; None: the app's own (only) page
    controls: tuple[str, ...]  # labels of the select boxes and segmented controls a click changes
    signed_in: bool = False


TARGETS = (
    Target("minimal page", None, ("Quarter",)),
    Target("Overview", "Overview", ("Quarter", "Area")),
    Target("Priority explorer (11)", "Priority explorer", ("Quarter", "View", "Measure")),
    Target("What-if", "What-if", ("Measure", "Area"), signed_in=True),
    Target("Similar forces", "Similar forces", ("Offence group", "Compare in", "Years ending in")),
)


@dataclass
class Figures:
    first_cpu: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    kb: list[float] = field(default_factory=list)


class Visitor:
    """One session on one page of one server, clicking its controls in turn."""

    def __init__(self, url: str, pid: int, target: Target, seed: int):
        self.pid, self.target = pid, target
        self.rng = random.Random(seed)
        self.session = Session(url, self.rng, cookies=signed_in_cookie(url) if target.signed_in else None)
        self.session.rerun("open")
        if target.page is not None:
            if target.page == "Priority explorer":
                self.choose("Priority", next(o for o in self.session.last.widgets["Priority"].options
                                            if o.startswith(EXPLORER_PRIORITY)))
            self.session.page = self.session.last.pages[target.page]
            self.session.rerun("page")
        missing = set(target.controls) - set(self.session.last.widgets)
        if missing:
            raise RuntimeError(f"{target.name} drew no {', '.join(sorted(missing))}")
        self.turn = 0

    def choose(self, label: str, option: str) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        widget = self.session.last.widgets[label]
        if widget.kind == "selectbox":
            self.session.values[widget.id] = WidgetState(id=widget.id, string_value=option)
        else:
            self.session.values[widget.id] = WidgetState(id=widget.id, string_array_value={"data": [option]})

    def click(self) -> tuple[float, float, float]:
        """One click: the server's CPU seconds, the wall seconds to settled, and the KB sent."""
        label = self.target.controls[self.turn % len(self.target.controls)]
        self.turn += 1
        widget = self.session.last.widgets[label]
        self.choose(label, self.rng.choice(widget.options[:OPTIONS_USED]))
        before = cpu_seconds([self.pid])
        click = self.session.rerun(label)
        return cpu_seconds([self.pid]) - before, click.seconds, click.bytes / 1024

    def close(self) -> None:
        self.session.close()


def signed_in_cookie(url: str) -> dict[str, str]:
    """Streamlit's sign-in cookie for the analyst, as its /oauth2callback would set it (same secret, same form),
    with the XSRF cookie the server wants beside it (its token goes back as a subprotocol, bench/load.py)."""
    from streamlit.web.server.starlette.starlette_app_utils import create_signed_value, generate_xsrf_token_string

    payload = {"origin": url, "is_logged_in": True, "email": ANALYST, "name": "analyst", "email_verified": True,
               "iat": int(time.time())}
    return {"_streamlit_user": create_signed_value(COOKIE_SECRET, "_streamlit_user", json.dumps(payload)).decode(),
            "_streamlit_xsrf": generate_xsrf_token_string()}


def auth_secrets(folder: Path, port: int) -> Path:
    """An [auth] section (the provider is never called: the visitor brings its cookie)."""
    path = folder / "secrets.toml"
    path.write_text("[auth]\n"
                    f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
                    f'cookie_secret = "{COOKIE_SECRET}"\n'
                    'client_id = "dashboard-bench"\nclient_secret = "bench-only"\n'
                    'server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"\n', encoding="utf-8")
    return path


def wait_quiet(pid: int, timeout_s: float = 300) -> None:
    """Until the server uses under a twentieth of a core for a second (its background paper build is done)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        before = cpu_seconds([pid])
        time.sleep(1)
        if cpu_seconds([pid]) - before < 0.05:
            return


def clicks(servers: dict[str, tuple[str, int]], per_round: int, rounds: int,
           targets: tuple[Target, ...] = TARGETS) -> dict[str, Figures]:
    figures = {target.name: Figures() for target in targets}
    visitors = {}
    for index, target in enumerate(targets):
        url, pid = servers["minimal" if target.page is None else "dashboard"]
        visitors[target.name] = visitor = Visitor(url, pid, target, seed=index)
        for _ in range(OPTIONS_USED * len(target.controls)):  # the first pass: every option used, once or so
            figures[target.name].first_cpu.append(visitor.click()[0])
    for _ in range(rounds):
        for target in targets:
            for _ in range(per_round):
                cpu, wall, kb = visitors[target.name].click()
                figures[target.name].cpu.append(cpu)
                figures[target.name].wall.append(wall)
                figures[target.name].kb.append(kb)
    for visitor in visitors.values():
        visitor.close()
    return figures


@dataclass
class FirstLoads:
    settled: list[float] = field(default_factory=list)  # seconds from navigation to the page's last change
    browser: list[float] = field(default_factory=list)  # the browser's CPU seconds meanwhile (every process)
    server: list[float] = field(default_factory=list)  # the app's server CPU seconds meanwhile (page, files, run)


def first_settled(servers: dict[str, tuple[str, int]], times: int) -> dict[str, FirstLoads]:
    """Each app (url, server pid) opened `times` times in turn, a new tab each time: wall seconds to settled, and
    the browser's and the server's CPU beside them (a busy machine inflates the wall time far more)."""
    loads = {name: FirstLoads() for name in servers}
    with chromium() as browser:
        for _ in range(times):
            for name, (url, pid) in servers.items():
                before = cpu_seconds([pid])
                page, busy = open_page_busy(browser, url)
                loads[name].server.append(cpu_seconds([pid]) - before)
                loads[name].settled.append(page.evaluate("window.__bench.last") / 1000)
                loads[name].browser.append(busy)
                page.close()
    return loads


def render(figures: dict[str, Figures], settled: dict[str, FirstLoads]) -> str:
    floor = statistics.mean(figures["minimal page"].cpu)
    median_floor = statistics.median(figures["minimal page"].cpu)
    lines = ["| page | clicks | server CPU ms/click | × minimal page | median CPU ms | × minimal page's median "
             "| first pass CPU ms/click | wall ms/click (median) | KB/click |", "|---" * 9 + "|"]
    for name, f in figures.items():
        cpu, median = statistics.mean(f.cpu), statistics.median(f.cpu)
        lines.append(f"| {name} | {len(f.cpu)} | {cpu * 1000:.0f} | {cpu / floor:.1f} | {median * 1000:.0f} | "
                     f"{median / median_floor:.1f} | {statistics.mean(f.first_cpu) * 1000:.0f} | "
                     f"{statistics.median(f.wall) * 1000:.0f} | {statistics.mean(f.kb):.1f} |")
    if settled:
        first, base = settled["Overview"], settled["title only"]
        title, overview = (statistics.median(loads.settled) for loads in (base, first))
        lines += ["", f"first settled page in chromium, median of {len(first.settled)} each, opened in turn: "
                  f"Overview {overview:.2f} s, title-only app {title:.2f} s: {overview / title:.2f}× "
                  f"(Overview {', '.join(f'{s:.2f}' for s in first.settled)}; "
                  f"title {', '.join(f'{s:.2f}' for s in base.settled)})"]
        for what, label in (("browser", "browser CPU ms"), ("server", "server CPU ms")):
            title, overview = (statistics.median(getattr(loads, what)) * 1000 for loads in (base, first))
            lines.append(f"{label} per first load, median: Overview {overview:.0f}, title-only app {title:.0f}: "
                         f"{overview / max(title, 1):.2f}×")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench clicks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clicks", type=int, default=12, help="clicks per page per round (default 12)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every page in turn (default 3)")
    parser.add_argument("--firsts", type=int, default=5, help="first loads of each app in chromium (0: none)")
    parser.add_argument("--db", type=Path, help="the dashboard's database (default: a fresh demo)")
    parser.add_argument("--pages", type=lambda text: [n.strip() for n in text.split(",")],
                        help="only these of the dashboard's pages, comma-separated (default: all four)")
    args = parser.parse_args(argv)
    targets = tuple(t for t in TARGETS if t.page is None or not args.pages or t.name.split(" (")[0] in args.pages)
    from ingest.demo import build_demo
    from ingest.roles import grant_role

    with tempfile.TemporaryDirectory(prefix="bench-clicks-") as work:
        db = args.db
        if db is None:
            db = Path(work) / "dashboard.duckdb"
            build_demo(db)
            grant_role(db, principal=ANALYST, kind="email", role="analyst", actor=access.operator())
        secrets_file = auth_secrets(Path(work), PORTS[0])
        with (streamlit_server(PROJECT_ROOT / "serve.py", PORTS[0], db, "--secrets.files", str(secrets_file)) as (dash, dp),
              streamlit_server(PROJECT_ROOT / "bench" / "minimal_app.py", PORTS[1]) as (minimal, mp),
              streamlit_server(PROJECT_ROOT / "bench" / "title_app.py", PORTS[2]) as (title, tp)):
            print(f"load average {os.getloadavg()[0]:.1f} at the start", file=sys.stderr, flush=True)
            Session(dash, random.Random(0)).rerun("open")  # the server's first run starts its background paper
            wait_quiet(dp.pid)
            figures = clicks({"dashboard": (dash, dp.pid), "minimal": (minimal, mp.pid)}, args.clicks, args.rounds, targets)
            settled = (first_settled({"title only": (title, tp.pid), "Overview": (dash, dp.pid)}, args.firsts)
                       if args.firsts else {})
        print(render(figures, settled))
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0
