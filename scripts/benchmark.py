"""Speed targets and forecast coverage, measured and printed. Record the figures in README.md.

    python scripts/benchmark.py [demo|spc|overview|explorer|explorer-browser|import|forecast|upload|whatif|whatif-null|paper|pages
                                 |quarter|soak|sessions|charts ...]
"""
from __future__ import annotations

import functools
import json
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import numpy as np  # noqa: E402

import access  # noqa: E402
import queries  # noqa: E402
from analysis import forecast, spc  # noqa: E402
from bench import SERVE  # noqa: E402
from bench.apptest import page_reruns  # noqa: E402
from bench.browser import choose, chromium, click_option, memory, open_page, streamlit_server  # noqa: E402
from core.home_force import home_force  # noqa: E402
from ingest.demo import build_demo  # noqa: E402
from ingest.roles import grant_role  # noqa: E402


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def bench_demo_build() -> None:
    def build():
        with tempfile.TemporaryDirectory() as folder:
            build_demo(Path(folder) / "demo.duckdb")

    times = timed(build, 3)
    print(f"demo build from scratch: median {statistics.median(times):.2f} s over 3 (target < 30 s)")


def bench_spc_batch() -> None:
    values = np.random.default_rng(0).normal(100, 10, (10_000, 60))
    spc.xmr_batch(values[:10])  # warm up
    times = timed(lambda: spc.xmr_batch(values), 5)
    print(f"SPC XmR, 10,000 series x 60 points: median {statistics.median(times):.3f} s over 5 (target < 1 s)")


def bench_overview_rerun() -> None:
    """Server-side reruns of the force-area Overview through AppTest (no browser, no network)."""
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.duckdb"
        build_demo(db)
        os.environ["DASHBOARD_DB"] = str(db)
        app = str(Path(__file__).resolve().parent.parent / "app.py")
        at = AppTest.from_file(app, default_timeout=120)
        started = time.perf_counter()
        at.run()
        first = time.perf_counter() - started
        times = timed(at.run, 20)
        assert not at.exception
    print(f"Overview rerun, force area: first run {first * 1000:.0f} ms; "
          f"median rerun {statistics.median(times) * 1000:.0f} ms over 20 (target < 300 ms)")


PAGE_RERUNS = 12
ANALYST = "analyst@example.org"  # What-if is an analyst's tool
RERUN_PAGES = {  # name: (page, signed in as, query parameters)
    "Overview": (None, None, {}),
    "What-if": ("app_pages/what_if.py", ANALYST, {}),
    "What-if scenario": ("app_pages/what_if.py", ANALYST,
                         {"wi_measure": "Vehicle crime (police.uk category)", "wi_sc_on": "true"}),
    "Similar forces": ("app_pages/similar_forces.py", None, {}),
}


def bench_page_reruns() -> None:
    """Server-side reruns (AppTest) of the pages a public reader clicks most, as they open: wall time and this
    process's CPU time per rerun (AppTest runs the script in this process), so a busy machine shows as wall > CPU."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.duckdb"
        build_demo(db)
        grant_role(db, principal=ANALYST, kind="email", role="analyst", actor=access.operator())
        os.environ["DASHBOARD_DB"] = str(db)
        print(f"page reruns (AppTest, server side), demo, default filters; median of {PAGE_RERUNS} reruns; "
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"  {'page':<16} {'first':>8} {'wall':>8} {'p95':>8} {'CPU':>8}")
        for name, (page, user, params) in RERUN_PAGES.items():
            reruns = page_reruns(page, PAGE_RERUNS, signed_in=user, **params)
            print(f"  {name:<16} {reruns.first * 1000:>6.0f}ms {reruns.median * 1000:>6.0f}ms "
                  f"{reruns.p95 * 1000:>6.0f}ms {reruns.cpu_median * 1000:>6.0f}ms")


EXPLORER_RERUNS = 20
EXPLORER_VIEWS = ["Control chart", "Year on year", "Rolling 12 months", "Forecast", "Areas"]  # as the page names them


def bench_explorer() -> None:
    """Server-side reruns of the Priority explorer (AppTest): every priority with its first measure in the
    control chart view, then each view of the priority with the most measures."""
    page = "app_pages/priority_explorer.py"
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.duckdb"
        build_demo(db)
        os.environ["DASHBOARD_DB"] = str(db)
        con = duckdb.connect(str(db), read_only=True)
        priorities = queries.run(con, "app/priorities")
        measures = queries.run(con, "app/measures")
        con.close()
        counts = measures.groupby("priority_id").size()
        print(f"Priority explorer rerun (AppTest, server side), demo, force area, default period; "
              f"median of {EXPLORER_RERUNS} reruns (target < 150 ms); CPU is this process's CPU time per rerun")
        print(f"  {'priority':<40} {'measures':>8} {'first':>8} {'median':>8} {'p95':>8} {'CPU':>8}")
        slowest = 0.0
        for row in priorities.itertuples():
            label = f"{row.id}. {row.short_name}"
            reruns = page_reruns(page, EXPLORER_RERUNS, priority=label)
            slowest = max(slowest, reruns.median)
            print(f"  {label:<40} {int(counts.get(row.id, 0)):>8} {reruns.first * 1000:>6.0f}ms "
                  f"{reruns.median * 1000:>6.0f}ms {reruns.p95 * 1000:>6.0f}ms {reruns.cpu_median * 1000:>6.0f}ms")
        heaviest = priorities.set_index("id").loc[int(counts.idxmax())]
        label = f"{int(counts.idxmax())}. {heaviest.short_name}"
        print(f"  each view of {label} ({int(counts.max())} measures), its first measure:")
        for view in EXPLORER_VIEWS:
            reruns = page_reruns(page, EXPLORER_RERUNS, priority=label, view=view)
            slowest = max(slowest, reruns.median)
            print(f"  {view:<40} {'':>8} {reruns.first * 1000:>6.0f}ms "
                  f"{reruns.median * 1000:>6.0f}ms {reruns.p95 * 1000:>6.0f}ms {reruns.cpu_median * 1000:>6.0f}ms")
        print(f"  slowest median: {slowest * 1000:.0f} ms (target < 150 ms)")


def bench_explorer_browser() -> None:
    """In Debian's chromium: from a click on a view or a measure of the priority with the most measures to the
    settled page (the last change to the page after Streamlit's rerun), on a server on 127.0.0.1."""
    with tempfile.TemporaryDirectory() as folder, socket.socket() as probe:
        db = Path(folder) / "demo.duckdb"
        build_demo(db)
        con = duckdb.connect(str(db), read_only=True)
        measures = queries.run(con, "app/measures")
        priorities = queries.run(con, "app/priorities").set_index("id")
        con.close()
        heaviest = int(measures.groupby("priority_id").size().idxmax())
        names = measures.loc[measures["priority_id"] == heaviest, "name"].tolist()
        label = f"{heaviest}. {priorities.loc[heaviest, 'short_name']}"
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        with streamlit_server(SERVE, port, db) as (url, _), chromium() as browser:
            page = open_page(browser, f"{url}/explorer?priority={label.replace(' ', '+')}")
            times = []
            for round_name in ("first time (cold caches)", "again"):
                for view in EXPLORER_VIEWS[1:] + EXPLORER_VIEWS[:1]:
                    times.append((f"{view}, {round_name}", click_option(page, view).page))
            for name in names[1:3]:
                times.append((f"measure: {name}", choose(page, "Measure", name).page))
    print(f"Priority explorer in the browser, {label} ({len(names)} measures): click to settled page (target < 2 s)")
    for what, seconds in times:
        print(f"  {what:<60} {seconds:5.2f} s")
    print(f"  slowest: {max(t for _, t in times):.2f} s")


RAW_APRIL_2022 = (Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "police_uk"
                  / "2022-04-leicestershire-street.csv.gz")


def bench_police_uk_import() -> None:
    """Import one unseen month (April 2022, about 9,500 rows) into a fresh demo, three times."""
    from ingest.police_uk import import_files

    source = Path(os.environ.get("BENCH_POLICE_UK_FILE", RAW_APRIL_2022))
    if not source.exists():
        print(f"police.uk import: skipped, {source} not found (set BENCH_POLICE_UK_FILE)")
        return
    times = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "demo.duckdb"
            build_demo(db, last_month="2022-03")
            started = time.perf_counter()
            result = import_files(db, [source], actor=access.operator())
            times.append(time.perf_counter() - started)
    print(f"police.uk import of one month ({result.rows_in_file:,} rows, {result.added} observations): "
          f"median {statistics.median(times):.2f} s over 3 (target < 2 s)")


def bench_panel_paper() -> None:
    """The quarterly paper for the force area, all 18 priorities, through the command users run."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.duckdb"
        build_demo(db)
        with duckdb.connect(str(db), read_only=True) as con:
            force = home_force(con)
        for fmt in ("pdf", "html"):
            times = []
            for _ in range(3):
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "report", "--quarter", "2021-22-Q1", "--area", force,
                                "--out", str(Path(folder) / f"r.{fmt}"), "--format", fmt, "--db", str(db)],
                               cwd=root, check=True, capture_output=True)
                times.append(time.perf_counter() - started)
            print(f"Panel paper, Q1 2021/22, force area, {fmt.upper()} (python -m report, start to finish): "
                  f"median {statistics.median(times):.1f} s over 3 (target < 30 s)")


def bench_forecast_coverage() -> None:
    """Coverage of the forecast intervals on the police.uk series at force level, without hindsight: at each
    back-test origin the method and its intervals come only from errors known then (analysis.forecast)."""
    import dashboard_data

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.duckdb"
        build_demo(db)
        con = duckdb.connect(str(db), read_only=True)
        names = queries.run(con, "app/measures").set_index("id")["name"]
        wall, cpu = time.perf_counter(), time.process_time()
        force = home_force(con)
        results = dashboard_data.police_uk_forecasts(con, force)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        con.close()
    print(f"forecasts of the {len(results)} police.uk series at force level ({force}), with back-tests: "
          f"{wall:.1f} s wall, {cpu:.1f} s CPU")
    print("coverage out of sample: count, rate; 95% binomial (Clopper-Pearson) interval")
    print()
    print("\n".join(forecast.coverage_table({names[measure_id]: result for measure_id, result in results.items()})))


def bench_worst_upload() -> None:
    """A return at the size limit made of identical rows, checked in the checker process while another
    session reruns the Overview; then a 1-million-row CSV return and an XLSX bomb."""
    import threading

    from streamlit.testing.v1 import AppTest

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from malformed_files import xlsx_bomb, xlsx_bytes  # the test corpus's builders: one way to make these files

    from core.errors import LoadRefused
    from core.settings import settings
    from ingest.isolation import run_checked
    from ingest.returns import check_size, read_catalogue

    limits = settings()
    header = b"measure_id,area_id,month,value,numerator,denominator,status,publish_after\n"
    row = b"yjs_first_time_entrants,E23000021,2022-05,30,,,published,\n"
    rows = min(limits.return_max_rows, (limits.return_max_bytes - len(header)) // len(row))
    worst = header + row * rows

    def check(data: bytes, name: str) -> LoadRefused:
        try:
            run_checked("return", data, name, catalogue, "Youth Offending Services", limits)
        except LoadRefused as refused:
            return refused
        raise AssertionError(f"{name} was accepted")

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.duckdb"
        build_demo(db)
        catalogue = read_catalogue(db)
        check(header + row * 2, "warm-up.csv")  # starts the checker process, as the first upload would
        os.environ["DASHBOARD_DB"] = str(db)
        at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
        at.run()
        idle = timed(at.run, 10)
        outcome: list[LoadRefused] = []
        checking = threading.Thread(target=lambda: outcome.append(check(worst, "worst.csv")))
        checking.start()
        during = []
        while checking.is_alive():
            during.extend(timed(at.run, 1))
        checking.join()
    refused = outcome[0]
    print(f"worst return at the size limit ({len(worst):,} bytes, {rows:,} identical rows): checked in "
          f"{refused.check_seconds:.2f} s (target < 10 s), peak memory of the checking process "
          f"{refused.check_peak_bytes / 1e6:.0f} MB (target < 300 MB). {refused.message}")
    print(f"Overview rerun in another session: idle median {statistics.median(idle) * 1000:.0f} ms; during the check "
          f"median {statistics.median(during) * 1000:.0f} ms, slowest {max(during) * 1000:.0f} ms over {len(during)} "
          "(target < 2x idle)")
    million = header + row * 1_000_000
    started = time.perf_counter()
    try:
        check_size(len(million), limits)
    except LoadRefused as refused:
        print(f"1-million-row CSV return ({len(million) / 1e6:.0f} MB): refused in {time.perf_counter() - started:.3f} s. "
              f"{refused.message}")
    workbook = xlsx_bytes([row.decode().strip().split(",")] * rows)
    refused = check(workbook, "worst.xlsx")
    print(f"the same rows as XLSX ({len(workbook) / 1e3:.0f} KB): checked in {refused.check_seconds:.2f} s, peak memory "
          f"{refused.check_peak_bytes / 1e6:.0f} MB")
    bomb = xlsx_bomb()
    started = time.perf_counter()
    refused = check(bomb, "bomb.xlsx")
    print(f"XLSX bomb ({len(bomb) / 1e3:.0f} KB): refused in {time.perf_counter() - started:.3f} s, peak memory of the "
          f"checking process {refused.check_peak_bytes / 1e6:.0f} MB. {refused.message}")
    wide = header.rstrip(b"\n") + b"".join(b",extra_column_%d" % i for i in range(40_000)) + b"\n" + row
    started = time.perf_counter()
    refused = check(wide, "wide.csv")
    print(f"a return header of 40,008 columns ({len(wide) / 1e3:.0f} KB): refused in {time.perf_counter() - started:.3f} s, "
          f"{refused.check_seconds:.3f} s in the checker (it held the checker for its whole 20 s limit when the column "
          f"check was quadratic). {refused.message}")


def bench_what_if_and_ad_hoc() -> None:
    """A 15% fall in vehicle crime from the next month (1,000 noisy runs over 24 months, as the What-if page runs it),
    and the largest ad hoc table: every measure and area, month by month over all the data."""
    import dashboard_data
    from analysis.whatif import Scenario, WhatIf

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.duckdb"
        build_demo(db)
        con = duckdb.connect(str(db), read_only=True)
        changes = WhatIf(scenario=Scenario("2022-05", change_percent=-15))
        force = home_force(con)
        times = timed(lambda: dashboard_data.what_if(con, "vehicle_crime", force, changes), 3)
        projection = dashboard_data.what_if(con, "vehicle_crime", force, changes).projection
        print(f"what-if scenario, 1,000 runs x 24 months: median {statistics.median(times):.2f} s over 3")
        print(f"  {projection.answer()}\n  {projection.distribution()}")
        measures = tuple(queries.run(con, "app/measures")["id"])
        areas = tuple(queries.run(con, "app/areas")["id"])
        started = time.perf_counter()
        table = dashboard_data.ad_hoc_table(con, measures, areas, "Months", "2019-12", "2022-04")
        print(f"ad hoc table, {len(measures)} measures x {len(areas)} areas x 29 months ({len(table):,} rows): "
              f"{time.perf_counter() - started:.1f} s")
        con.close()


def bench_what_if_null() -> None:
    """What-if on 1,000 stable simulated series with no change, against the rules' false-alarm rate on the same
    unchanged series; then 200 with a 1% fall, to show what comparing with the unchanged twin removes."""
    from bench.whatif_null import HORIZON, null_study

    started = time.perf_counter()
    null = null_study(1000, seed=2022)
    print(f"what-if on stable series with no change (seed 2022, 24-36 months of history, a 0% change followed "
          f"{HORIZON} months, one noisy run each; {time.perf_counter() - started:.0f} s)")
    print(f"  What-if credits the change with special cause: {null.rate(null.claims)}")
    print(f"  the rules' false-alarm rate on the same unchanged series: {null.rate(null.false_alarms)}")
    small = null_study(200, seed=2023, change_percent=-1)
    print(f"  with a 1% fall instead (200 series, seed 2023): the run's chart with the change flags a fall in "
          f"{small.rate(small.flagged_with_change)}; What-if credits the change in the run in "
          f"{small.rate(small.run_claims)}, on the noise-free expected path in {small.rate(small.expected_path_claims)} "
          f"(either: {small.rate(small.claims)}); false-alarm rate on the unchanged twins "
          f"{small.rate(small.false_alarms)}")


COORDINATOR = "co-ordinator@example.org"
PARTNER = "Youth Offending Services"
QUARTER = "Q2 2022/23"


def bench_quarter() -> None:
    """The co-ordinator's quarter on the demo, each step's wait: the police.uk months May-October 2022 (made from
    the fixtures by tests/police_uk_months.py) and a partner return filled in from the app's template, loaded by
    the importers the Data page runs; two commentaries published (one for a measure, one for a priority) as the
    Commentary page saves them; then, signed in as the co-ordinator in chromium on a real server (serve.py), the
    Returns page, Panel mode and the Panel paper for Q2 2022/23, each from opening to the settled page; for the
    paper also to its download button, and a click on it to the file. The server is warm (started, and its first
    page opened); after each step the co-ordinator's page reruns, as it does in the app, so the server sees the
    publication."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from browser import auth_secrets, free_port, oidc_provider, sign_in, streamlit_process
    from police_uk_months import months_a_year_on

    import dashboard_data
    from analysis import calendar
    from bench.browser import CHROMIUM, CHROMIUM_ARGS, WATCH, settle
    from ingest.commentary import save_commentary
    from ingest.police_uk import import_files
    from ingest.returns import load_return_file
    from ingest.templates import template_csv, template_from_db

    period = calendar.parse_period_label(QUARTER)
    waits: list[tuple[str, float]] = []

    def timed_step(name: str, function):
        started = time.perf_counter()
        result = function()
        waits.append((name, time.perf_counter() - started))
        return result

    with tempfile.TemporaryDirectory() as folder, oidc_provider([COORDINATOR]) as provider:
        folder = Path(folder)
        db = folder / "demo.duckdb"
        build_demo(db)
        grant_role(db, principal=COORDINATOR, kind="email", role="coordinator", actor=access.operator())
        actor = access.Actor(COORDINATOR, access.COORDINATOR, "sign-in")  # as the pages pass the signed-in user
        months = months_a_year_on("2022-05", "2022-10", folder)
        port = free_port()
        secrets = auth_secrets(folder, port, provider)
        env = {"DASHBOARD_PAPER_IN_BACKGROUND": "1"}  # tests/conftest.py (imported above) turns it off for tests
        from playwright.sync_api import sync_playwright

        with streamlit_process(Path(__file__).resolve().parent.parent, db, port=port, secrets=secrets, env=env) as (
                url, server), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()
            page.add_init_script(WATCH)
            sign_in(page, url, COORDINATOR)
            settle(page, since_click=False)

            def rerun(path: str) -> float:
                """Open the app's page at path and wait until it has settled: seconds from navigation."""
                page.goto(f"{url}/{path}")
                page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=600_000)
                return settle(page, since_click=False, timeout=600).page

            q = f"quarter={QUARTER.replace(' ', '+').replace('/', '%2F')}"
            result = timed_step("load police.uk May-October 2022 (6 files)",
                                lambda: import_files(db, months, actor=actor, confirmed=True))
            waits[-1] = (f"{waits[-1][0]}, {result.added:,} observations", waits[-1][1] + rerun("data"))
            con = duckdb.connect(str(db.resolve()), read_only=True)
            template = template_from_db(con, PARTNER, period.months)
            measures = queries.run(con, "app/measures").set_index("id")
            force = home_force(con)
            con.close()
            filled = template.assign(value=[str(10 + n % 7) for n in range(len(template))], status="published")
            timed_step(f"load a {PARTNER} return from the template ({len(filled)} rows)",
                       lambda: load_return_file(db, template_csv(filled), "return.csv", partner=PARTNER, actor=actor,
                                                confirmed=True))
            waits[-1] = (waits[-1][0], waits[-1][1] + rerun(f"data?{q}"))
            for about, measure_id in (("a measure (All recorded crime)", "all_crime"), ("a priority", None)):
                priority = int(measures.loc["all_crime", "priority_id"]) if measure_id else 1
                timed_step(f"publish a commentary for {about}",
                           functools.partial(save_commentary, db, priority_id=priority, area_id=force,
                                             period_start=period.start, period_end=period.end, measure_id=measure_id,
                                             status="published", text=f"Benchmark commentary for {about}.", actor=actor))
                waits[-1] = (waits[-1][0], waits[-1][1] + rerun(f"commentary?{q}"))
            waits.append(("open the Returns page", rerun(f"returns?{q}")))
            waits.append(("open Panel mode", rerun(f"?mode=panel&{q}")))
            for time_round in ("open the Panel paper", "open the Panel paper again"):
                started = time.perf_counter()
                page.goto(f"{url}/paper?{q}")
                button = page.get_by_role("button", name="Download PDF (tagged, PDF/UA-1)")
                button.wait_for(timeout=600_000)
                ready = time.perf_counter() - started
                settled = settle(page, since_click=False, timeout=600).page
                waits.append((f"{time_round}: its download button ready (settled {settled:.1f} s)", ready))
            started = time.perf_counter()
            with page.expect_download(timeout=600_000) as download:
                button.click()
            pdf = Path(download.value.path()).read_bytes()
            waits.append((f"click the PDF download to the file ({len(pdf):,} bytes)", time.perf_counter() - started))
            browser.close()
            rss = memory(server.pid)
        con = duckdb.connect(str(db.resolve()), read_only=True)
        as_at = dashboard_data.as_at_words(dashboard_data.meta(con))
        builds = paper_builds(con, folder / "fresh-cache", period)
        con.close()
    print(f"the co-ordinator's quarter, {QUARTER}, demo (published data as at {as_at}); load average "
          f"{os.getloadavg()[0]:.1f}; server memory at the end {rss[0] / 2**20:.0f} MiB (peak {rss[1] / 2**20:.0f})")
    for name, seconds in waits:
        print(f"  {name:<78} {seconds:6.1f} s")
    print(f"  {'total':<78} {sum(s for _, s in waits):6.1f} s")
    paper = next(s for n, s in waits if n.startswith("open the Panel paper:"))
    print(f"  the paper's download ready {paper:.1f} s after opening (target <= 10 s)")
    print("  the same paper made in this process (report/cache.py), wall and CPU:")
    for name, (wall, cpu) in builds.items():
        print(f"    {name:<76} {wall:6.1f} s  CPU {cpu:5.1f} s")


def paper_builds(con, folder: Path, period) -> dict[str, tuple[float, float]]:
    """The force's paper made from nothing kept, then again for another settings version with its charts kept."""
    import datastore
    from report.cache import PaperFiles, paper_key

    files = PaperFiles(folder)
    cur = datastore.reader(con, datastore.public_visibility(con))
    force = home_force(cur)
    builds = {}
    for name, version in (("every chart drawn (nothing kept)", 1), ("every chart kept (a new settings version)", 2)):
        key = paper_key(data_version=None, visibility=None, area_id=force, period=period, settings_version=version)
        wall, cpu = time.perf_counter(), time.process_time()
        files.make(cur, key, area_id=force, period=period)
        builds[name] = (time.perf_counter() - wall, time.process_time() - cpu)
    cur.close()
    return builds


SOAK_WARM_UP = 100  # advances at the meeting's pace (about 50 s, 10 refreshes): Panel mode's memory levels off within them


def bench_panel_soak() -> None:
    """Panel mode through a 500-advance meeting (bench/panel_soak.py) in chromium on a real server over a copy of
    the demo, with a publication and a rebase mid-run: the server's resident memory after the warm-up (every screen
    twice, then SOAK_WARM_UP advances at the meeting's pace; no publication), every 50 advances and at the end
    (target: within 5%), beside the advances and the refresh messages seen."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from browser import chromium_page, close_shared_chromium, streamlit_process

    from bench.panel_soak import SAMPLE_EVERY, meeting

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "dashboard.duckdb"
        build_demo(db)
        try:
            # As the test ran it: no paper made in the background, whose build would be in the memory figures.
            with streamlit_process(Path(__file__).resolve().parent.parent, db,
                                   env={"DASHBOARD_PAPER_IN_BACKGROUND": "0"}) as (url, server), \
                    chromium_page(1920, 1080) as page:
                held = meeting(page, url, server, db, advances=500, warm_up_advances=SOAK_WARM_UP)
        finally:
            close_shared_chromium()
    growth = (held.final_kib - held.baseline_kib) / held.baseline_kib
    print(f"Panel mode soak: {held.steps} advances in {held.elapsed_s:.0f} s, {held.refresh_frames} server messages, "
          f"longest without one {held.longest_quiet_s:.0f} s, {len(held.errors)} page errors, server up at the end: "
          f"{held.server_alive}, note shown after the publication: {held.note_shown}, "
          f"chart redrawn after the rebase: {held.chart_redrawn}; load average {os.getloadavg()[0]:.1f}; server RSS "
          f"{held.baseline_kib / 1024:.0f} MiB after warm-up ({SOAK_WARM_UP} advances), "
          f"{held.final_kib / 1024:.0f} MiB at the end ({growth:+.1%}; target ≤ +5%: {'met' if growth <= 0.05 else 'NOT met'})")
    print(f"  every {SAMPLE_EVERY} advances (the publication after {500 * 7 // 20}, the rebase after {500 * 7 // 10}): "
          + ", ".join(f"{kib / 1024:.0f}" for kib in held.samples_kib) + " MiB")

# One session on each of ten pages, the Panel paper last (issue #22: the server's memory with 10 sessions
# including the paper page).
SESSION_PAGES = ("Overview", "Priority explorer", "Victim satisfaction", "Missing persons", "Savings",
                 "Similar forces", "Ad hoc tables", "Commentary", "Data", "Panel paper")


def bench_sessions() -> None:
    """The server's resident memory with 10 sessions open, one on each of SESSION_PAGES, over Streamlit's websocket
    protocol (bench/load.py's visitor); served as in production (the paper made in the background after the
    start), read once the server is quiet (target: at most 450 MB)."""
    from bench.clicks import wait_quiet
    from bench.load import Session

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "dashboard.duckdb"
        build_demo(db)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with streamlit_server(SERVE, port, db) as (url, server):
            sessions, readings = [], []
            try:
                for name in SESSION_PAGES:
                    session = Session(url, random.Random(0))
                    sessions.append(session)
                    session.rerun("open")  # the Overview, the default page, as a visitor lands
                    if name != "Overview":
                        session.page = session.last.pages[name]
                        session.rerun(name)
                    wait_quiet(server.pid)
                    readings.append((name, memory(server.pid)[0]))
                rss, peak = memory(server.pid)
            finally:
                for session in sessions:
                    session.close()
    print(f"Server memory with {len(sessions)} sessions open (one a page, the Panel paper last; demo; load average "
          f"{os.getloadavg()[0]:.1f}): {rss / 2**20:.0f} MiB, peak {peak / 2**20:.0f} MiB (target <= 450 MB, read as MiB: "
          f"{'met' if rss <= 450 * 2**20 else 'NOT met'})")
    for number, (name, reading) in enumerate(readings, start=1):
        print(f"  {number:>2} sessions, the last on {name:<22} {reading / 2**20:6.0f} MiB")


def clocks() -> tuple[float, float]:
    """Wall and this process's CPU time (all its threads: AppTest's script thread, vl-convert's)."""
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = clocks()
    return wall - start[0], cpu - start[1]


def bench_charts() -> None:
    """The control chart's cost where it is built most (issue #22): the Panel paper's spec of every measure's chart
    for the force at Q1 2021/22 (as the paper and Panel mode chart it, to the quarter's end), built (median of 3)
    and drawn as SVG by vl-convert (once); then Panel mode opened cold for three quarters (AppTest, after the
    Overview of another quarter has warmed up the imports and shared caches). Wall and CPU time."""
    from streamlit.testing.v1 import AppTest

    import dashboard_data
    from analysis import calendar
    from analysis.series import NotCharted
    from render.static_chart import PAPER_STYLE, control_chart_spec, svg_from_spec

    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.duckdb"
        build_demo(db)
        period = calendar.quarter(2021, 1)
        charted = []
        with duckdb.connect(str(db), read_only=True) as con:
            force = home_force(con)
            table = dashboard_data.overview(con, area_id=force, area_name="Force", period=period)
            for measure_id in table["measure_id"].dropna().unique():
                try:
                    charted.append(dashboard_data.charted_series(con, measure_id, force, period=period, last=period.end))
                except (LookupError, NotCharted):
                    continue  # no data at the force, or a measure shown as progress, not charted
        builds, specs = [], []
        for _ in range(3):
            start = clocks()
            specs = [control_chart_spec(c, area_name="Force", period=period, style=PAPER_STYLE) for c in charted]
            builds.append(since(start))
        wall, cpu = (statistics.median(b[i] for b in builds) for i in (0, 1))
        datasets = sum(len(json.loads(spec).get("datasets", {})) for spec in specs)
        print(f"every measure's chart: {len(specs)} specs built in {wall:.2f} s wall, {cpu:.2f} s CPU (median of 3; "
              f"{cpu / len(specs) * 1000:.1f} ms CPU a chart; {datasets} datasets)")
        start = clocks()
        for spec in specs:
            svg_from_spec(spec)
        wall, cpu = since(start)
        print(f"  drawn as SVG by vl-convert: {wall:.2f} s wall, {cpu:.2f} s CPU")
        os.environ["DASHBOARD_DB"] = str(db)
        app = str(Path(__file__).resolve().parent.parent / "app.py")
        warm = AppTest.from_file(app, default_timeout=300)
        warm.query_params["quarter"] = "Q4 2020/21"
        warm.run()
        for quarter in ("Q1 2021/22", "Q2 2021/22", "Q3 2021/22"):
            at = AppTest.from_file(app, default_timeout=300)
            at.query_params["mode"], at.query_params["quarter"] = "panel", quarter
            start = clocks()
            at.run()
            wall, cpu = since(start)
            assert not at.exception, at.exception
            print(f"  Panel mode opened cold, {quarter}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


BENCHMARKS = {"demo": bench_demo_build, "spc": bench_spc_batch, "overview": bench_overview_rerun,
              "explorer": bench_explorer, "explorer-browser": bench_explorer_browser,
              "import": bench_police_uk_import, "forecast": bench_forecast_coverage, "upload": bench_worst_upload,
              "whatif": bench_what_if_and_ad_hoc, "whatif-null": bench_what_if_null, "paper": bench_panel_paper,
              "pages": bench_page_reruns, "quarter": bench_quarter, "soak": bench_panel_soak,
              "sessions": bench_sessions, "charts": bench_charts}

if __name__ == "__main__":
    for name in sys.argv[1:] or BENCHMARKS:
        BENCHMARKS[name]()
