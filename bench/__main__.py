"""The national-scale benchmark: python -m bench [--scale national|small|tiny] [--work DIR] [--no-browser]

Builds a database of every Community Safety Partnership in England and Wales under its force, ten
years of months, the whole measure catalogue and 20 million synthetic street-level records, through
the project's own loaders; then times every page's server-side rerun, every named query, SPC of every
series, the same aggregations in pandas, a police.uk month import, the browser's filter change beside
a minimal Streamlit page, and the server's memory with 10 sessions. Prints a table (Markdown).
Everything in the database is synthetic and labelled so.

`python -m bench load ...` is the load benchmark instead: many sessions over the websocket protocol (bench/load.py);
`python -m bench clicks ...` the server's CPU per click, page by page, beside the minimal page (bench/clicks.py).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import numpy as np
import pandas as pd

import access
import datastore
import queries
from analysis import calendar, what_changed
from bench import PROJECT_ROOT
from bench.apptest import Reruns, page_reruns, percentile
from bench.browser import choose, chromium, memory, open_page, streamlit_server
from bench.build import build_national
from bench.catalogue import national_catalogue
from bench.measure import areas_baseline, counting_baseline, derivation_baseline, named_queries, overview_baseline, spc_of_every_series
from bench.street_files import file_name, records_per_file, street_table, synthetic_lsoas, write_street_file
from ingest.police_uk import check_files, load_checked

SEED = 20140701
LAST_MONTH = "2023-03"  # ten financial years: April 2013 to March 2023
PRIORITY = 11  # the priority with the most measures
EXPLORER_VIEWS = ["Year on year", "Rolling 12 months", "Forecast", "Areas"]  # besides the default, the control chart
PORTS = (8702, 8703)  # the dashboard and the minimal page (8700-8709 are this benchmark's)
TARGETS = {"explorer": 0.5, "overview": 1.0, "browser_ratio": 2.0, "server_memory": 2 * 1024 ** 3, "minutes": 10}


@dataclass(frozen=True)
class Scale:
    forces: tuple[str, ...] | None  # ONS codes; None: all 43
    months: int
    records: int
    reruns: int
    query_runs: int
    browser: bool
    changes: int  # filter changes timed on each page in the browser
    sessions: int


SCALES = {
    "national": Scale(None, 120, 20_000_000, reruns=20, query_runs=10, browser=True, changes=10, sessions=10),
    "small": Scale(None, 24, 1_000_000, reruns=5, query_runs=3, browser=True, changes=3, sessions=10),
    "tiny": Scale(("E23000021", "E23000022"), 24, 20_000, reruns=1, query_runs=1, browser=False, changes=0,
                  sessions=0),
}


def log(message: str) -> None:
    with open("/proc/self/status") as status:
        rss = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
    print(f"{message} [{time.strftime('%H:%M:%S')}, this process {rss / 1024 ** 2:,.0f} MB]", file=sys.stderr,
          flush=True)


def peak_rss() -> int:
    """Peak resident memory of this process, in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def cpu_seconds() -> float:
    """CPU time of this process and the processes it waited for (workers, servers, the browser)."""
    return sum(usage.ru_utime + usage.ru_stime for usage in (resource.getrusage(resource.RUSAGE_SELF),
                                                                resource.getrusage(resource.RUSAGE_CHILDREN)))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["load"]:  # the load benchmark: many sessions over the websocket protocol (bench/load.py)
        from bench.load import main as load

        return load(argv[1:])
    if argv[:1] == ["clicks"]:  # what a click costs the server, page by page, beside the minimal page (bench/clicks.py)
        from bench.clicks import main as clicks

        return clicks(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    parser.add_argument("--work", type=Path, help="folder for the database and files (default: a temporary one)")
    parser.add_argument("--keep-files", action="store_true", help="keep the generated street files")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser and memory measurements")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    started = time.perf_counter()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        report = run(scale, work, args, started)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    report["total_minutes"] = (time.perf_counter() - started) / 60
    report["cpu_minutes"] = cpu_seconds() / 60
    report["machine"]["load_at_end"] = os.getloadavg()[0]
    print(render(report, args.scale))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    return 0


def run(scale: Scale, work: Path, args, started: float) -> dict:
    report: dict = {"machine": machine(), "scale": asdict(scale)}
    months = pd.period_range(end=LAST_MONTH, periods=scale.months, freq="M")
    catalogue = national_catalogue(SEED, list(scale.forces) if scale.forces else None)
    db = work / "national.duckdb"
    log(f"building {db} ({len(catalogue.areas)} areas, {scale.records:,} records, {len(months)} months)")
    build = build_national(db, catalogue, months, scale.records, SEED, work, workers=args.workers,
                           keep_files=args.keep_files, log=log)
    report["build"] = asdict(build)
    report["build_minutes"] = (time.perf_counter() - started) / 60

    areas = catalogue.areas
    forces = areas[areas["kind"] == "force"].sort_values("population", ascending=False)
    area = forces.iloc[0]
    # Read as the public reads (datastore.VisibleCursor supplies the release date to every query that asks).
    con = datastore.as_reader(duckdb.connect(str(db), read_only=True))
    priority = queries.run(con, "app/priorities").set_index("id").loc[PRIORITY, "short_name"]
    quarter = calendar.quarter_of(months[-1])
    context = {"area": area["name"], "area_id": area["id"], "priority": f"{PRIORITY}. {priority}",
               "quarter": quarter.label}
    report["context"] = context

    log("named queries")
    report["queries"] = [asdict(t) for t in named_queries(con, standard_params(con, area["id"], quarter, months),
                                                          scale.query_runs)]
    log("SPC of every series")
    report["spc"] = asdict(spc_of_every_series(con, max(3, scale.query_runs)))
    log("pandas baselines")
    loading = time.perf_counter()
    observations = queries.run(con, "bench/published_values")
    observations["month"] = pd.to_datetime(observations["month"])
    report["pandas_load_seconds"] = time.perf_counter() - loading
    baselines = [overview_baseline(con, observations, area["id"], quarter.start, quarter.end, scale.query_runs),
                 areas_baseline(con, observations, queries.run(con, "bench/areas"), "all_crime", scale.query_runs)]
    del observations

    os.environ["DASHBOARD_DB"] = str(db)
    log("pages (AppTest)")
    report["pages"] = page_figures(scale, context)

    if scale.browser and not args.no_browser:
        log("browser")
        report["browser"] = browser_figures(scale, db, context, catalogue)

    log("police.uk month import")
    import_month = months[-1] + 1
    files = month_files(catalogue, import_month, len(months), scale, work / "import")
    baselines.append(counting_baseline(files, scale.query_runs))
    counted = check_files([(path, path.name) for path in files])
    baselines.append(derivation_baseline(con, counted.counts, scale.query_runs))
    con.close()
    report["baselines"] = [{**asdict(b), "ratio": b.ratio} for b in baselines]
    loading = time.perf_counter()
    result = load_checked(db, counted, actor=access.operator())
    report["import"] = {"month": str(import_month), "files": len(files), "records": counted.rows,
                        "check_seconds": counted.check_seconds, "check_peak_bytes": counted.check_peak_bytes,
                        "load_seconds": time.perf_counter() - loading, "added": result.added,
                        "database_bytes": db.resolve().stat().st_size}
    report["peak_bytes"] = peak_rss()
    return report


def machine() -> dict:
    with open("/proc/meminfo") as meminfo:
        memory = int(meminfo.readline().split()[1]) * 1024
    return {"cores": os.cpu_count(), "memory_bytes": memory, "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(), "load_at_start": os.getloadavg()[0]}


def standard_params(con, area_id: str, quarter: calendar.Period, months: pd.PeriodIndex) -> dict:
    groups = queries.run(con, "app/home_office_offence_groups")
    # What changed's default reference: the data as it stood at the last Panel, a quarter ago
    since = what_changed.references(queries.run(con, "app/submissions"), access.clock())[0]
    return {"area_id": area_id, "force_id": area_id, "measure_id": "all_crime", "first": quarter.start, "last": quarter.end,
            "priority_id": PRIORITY, "as_of": months[-1].start_time.date(), "block_months": 3, "grain": "quarter",
            "forces": ["Leicestershire", "Derbyshire", "Lincolnshire", "Northamptonshire", "Nottinghamshire"],
            "force": "Leicestershire", "group_id": groups["group_id"].iloc[0],
            # the largest ad hoc table: every measure, for the force and the areas directly under it
            "measure_ids": list(queries.run(con, "app/measures")["id"]),
            "area_ids": [area_id, *queries.run(con, "bench/areas").query("parent_id == @area_id")["id"]],
            "through": since.through, "then_released_through": access.released_through(since.moment)}


def page_figures(scale: Scale, context: dict) -> list[dict]:
    """Every page's server-side rerun with the national area chosen; the explorer also in each view."""
    runs = [(page.stem, f"app_pages/{page.name}", {}) for page in sorted((PROJECT_ROOT / "app_pages").glob("*.py"))
            if page.stem != "panel"]
    runs += [("panel", None, {"mode": "panel", "quarter": context["quarter"]})]  # Panel mode is a URL, not a page
    runs += [(f"priority_explorer: {view}", "app_pages/priority_explorer.py", {"view": view})
             for view in EXPLORER_VIEWS]
    figures = []
    for name, page, extra in runs:
        try:
            reruns: Reruns = page_reruns(page, scale.reruns, area=context["area"], priority=context["priority"],
                                         **extra)
        except Exception as error:  # a page that fails is reported, and the others still measured
            figures.append({"page": name, "error": str(error).splitlines()[0][:120]})
            continue
        figures.append({"page": name, "first": reruns.first, "median": reruns.median, "p95": reruns.p95,
                        "cpu_median": reruns.cpu_median, "reruns": len(reruns.wall)})
    return figures


def browser_figures(scale: Scale, db: Path, context: dict, catalogue) -> dict:
    """A quarter changed in the sidebar until the chart is redrawn, on the explorer and on a minimal page
    (alternately, so both see the same load), then the server's memory with 10 sessions open."""
    quarters = [context["quarter"], calendar.parse_period_label(context["quarter"]).shifted_years(-1).label]
    dashboard, minimal_page = [], []
    with streamlit_server(PROJECT_ROOT / "serve.py", PORTS[0], db) as (url, server), \
            streamlit_server(Path(__file__).resolve().parent / "minimal_app.py", PORTS[1]) as (minimal_url, _), \
            chromium() as browser:
        params = urlencode({"area": context["area"], "priority": context["priority"]})
        explorer = open_page(browser, f"{url}/explorer?{params}")
        minimal = open_page(browser, minimal_url)
        for change in range(scale.changes):
            quarter = quarters[(change + 1) % 2]
            dashboard.append(choose(explorer, "Quarter", quarter))
            minimal_page.append(choose(minimal, "Quarter", quarter))
        one_session = memory(server.pid)[0]
        others = session_urls(url, context, catalogue)[: max(0, scale.sessions - 1)]
        pages = [explorer] + [open_page(browser, address) for address in others]
        rss, peak = memory(server.pid)
        for page in pages:
            page.close()
    chart = [s.chart for s in dashboard]
    return {"dashboard_chart": chart, "dashboard_page": [s.page for s in dashboard],
            "minimal_chart": [s.chart for s in minimal_page], "minimal_page": [s.page for s in minimal_page],
            "dashboard_median": statistics.median(chart), "dashboard_p95": percentile(chart, 95),
            "minimal_median": statistics.median(s.chart for s in minimal_page),
            "dashboard_page_median": statistics.median(s.page for s in dashboard),
            "minimal_page_median": statistics.median(s.page for s in minimal_page),
            "sessions": len(pages), "server_rss_one_session": one_session, "server_rss": rss, "server_peak": peak}


def session_urls(url: str, context: dict, catalogue) -> list[str]:
    """Nine more sessions, each on a different page or area."""
    areas = catalogue.areas
    other_force = areas[(areas["kind"] == "force") & (areas["name"] != context["area"])]["name"].iloc[0]
    csp = areas[areas["kind"].isin(["district", "unitary authority"])]["name"].iloc[0]

    def at(path: str, **params) -> str:
        return f"{url}/{path}?{urlencode({'area': context['area'], **params})}"

    return [at(""), at("explorer", priority="8. Anti-social behaviour", area=other_force), at("satisfaction"),
            at("missing-persons"), at("savings"), at("similar-forces"), at("commentary"), at("data"),
            at("", area=csp)]


def month_files(catalogue, month: pd.Period, month_index: int, scale: Scale, folder: Path) -> list[Path]:
    """Every force's street file for the month after the data, from the same generator as the build."""
    folder.mkdir(parents=True, exist_ok=True)
    forces = catalogue.police_uk_forces
    lsoas = synthetic_lsoas(catalogue.districts)
    populations = catalogue.areas.set_index("id").loc[list(forces["force_area_id"]), "population"]
    per_force = records_per_file(SEED + 1, populations.to_numpy(dtype=float), 1, scale.records // scale.months)
    files = []
    for index, force in enumerate(forces.itertuples()):
        table = street_table(np.random.default_rng([SEED, 3, index]), force.name, str(month), int(per_force[index, 0]),
                             lsoas.of_force(force.force_area_id))
        path = folder / file_name(str(month), force.name)
        write_street_file(path, table)
        files.append(path)
    return files


def render(report: dict, scale_name: str) -> str:
    """The figures as Markdown tables."""
    ms = lambda seconds: f"{seconds * 1000:,.0f} ms"  # noqa: E731
    mb = lambda count: f"{count / 1024 ** 2:,.0f} MB"  # noqa: E731
    build, context, machine_ = report["build"], report["context"], report["machine"]
    lines = [f"National benchmark, scale {scale_name}: {report['total_minutes']:.1f} minutes in all "
             f"(target < {TARGETS['minutes']}), {report['cpu_minutes']:.1f} minutes of CPU; {machine_['cores']} cores, "
             f"{mb(machine_['memory_bytes'])}, Python {machine_['python']}; load average "
             f"{machine_['load_at_start']:.1f} at the start, {machine_['load_at_end']:.1f} at the end.", "",
             f"Built in {report['build_minutes']:.1f} minutes: {build['records']:,} street records in "
             f"{build['files']:,} files ({mb(build['file_bytes'])}), {build['observations']:,} observations, "
             f"database {mb(build['database_bytes'])}.", "",
             "| build step | seconds |", "|---|---|"]
    lines += [f"| {step} | {seconds:.1f} |" for step, seconds in build["seconds"].items()]
    lines += ["", f"Pages (AppTest, server side), area {context['area']}, {context['quarter']}, priority "
              f"{context['priority']}:", "",
              "| page | first run | median rerun | p95 rerun | CPU per rerun |", "|---|---|---|---|---|"]
    for page in report["pages"]:
        if "error" in page:
            lines.append(f"| {page['page']} | failed: {page['error']} | | | |")
        else:
            lines.append(f"| {page['page']} | {ms(page['first'])} | {ms(page['median'])} | {ms(page['p95'])} | "
                         f"{ms(page['cpu_median'])} |")
    lines += ["", "| named query | median | p95 | result |", "|---|---|---|---|"]
    for timing in report["queries"]:
        if timing["runs"]:
            lines.append(f"| {timing['what']} | {ms(timing['median'])} | {ms(timing['p95'])} | {timing['note']} |")
        else:
            lines.append(f"| {timing['what']} | | | {timing['note']} |")
    spc = report["spc"]
    lines += ["", f"SPC of every series: {spc['series']:,} series of {spc['points']} months in "
              f"{ms(spc['xmr'])} (analysis.spc.xmr_batch; fetching them {ms(spc['fetch'])}, arranging "
              f"{ms(spc['arrange'])}; {spc['left_out']:,} series with a gap left out).", "",
              f"The same in pandas (observations loaded into a DataFrame first, in "
              f"{report['pandas_load_seconds']:.1f} s, not counted):", "",
              "| aggregation | dashboard | pandas | pandas / dashboard | checked |", "|---|---|---|---|---|"]
    for baseline in report["baselines"]:
        lines.append(f"| {baseline['what']} | {ms(baseline['dashboard'])} | {ms(baseline['pandas'])} | "
                     f"{baseline['ratio']:.1f}x | {baseline['checked']} |")
    imported = report["import"]
    lines += ["", f"police.uk month import ({imported['month']}, {imported['files']} files, {imported['records']:,} "
              f"records): checked in {imported['check_seconds']:.1f} s (checker peak {mb(imported['check_peak_bytes'])}), "
              f"loaded and published in {imported['load_seconds']:.1f} s ({imported['added']:,} observations added; "
              f"snapshot {mb(imported['database_bytes'])})."]
    if "browser" in report:
        b = report["browser"]
        lines += ["", f"Browser (chromium), a quarter changed in the sidebar until the chart is redrawn, "
                  f"{len(b['dashboard_chart'])} times each: explorer median {ms(b['dashboard_median'])} (p95 "
                  f"{ms(b['dashboard_p95'])}), minimal Streamlit page (one select box, one chart) median "
                  f"{ms(b['minimal_median'])}: {b['dashboard_median'] / b['minimal_median']:.1f}x (target < "
                  f"{TARGETS['browser_ratio']:.0f}x). Until the whole page settled: explorer median "
                  f"{ms(b['dashboard_page_median'])}, minimal page {ms(b['minimal_page_median'])}.",
                  f"Server memory: {mb(b['server_rss_one_session'])} with one session; {mb(b['server_rss'])} with "
                  f"{b['sessions']} sessions open (peak {mb(b['server_peak'])}; target < 2 GB)."]
    lines += ["", f"Peak memory of the benchmark process (build, queries, pandas, AppTest): {mb(report['peak_bytes'])}; "
              f"of a file-writing worker {mb(build['worker_peak_bytes'])}."]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
