"""Speed targets, measured and printed. Record the figures in README.md.

    python scripts/benchmark.py
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from analysis import spc  # noqa: E402
from ingest.demo import build_demo  # noqa: E402


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
            result = import_files(db, [source], loaded_by="benchmark")
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
        for fmt in ("pdf", "html"):
            times = []
            for _ in range(3):
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "report", "--quarter", "2021-22-Q1", "--area", "E23000021",
                                "--out", str(Path(folder) / f"r.{fmt}"), "--format", fmt, "--db", str(db)],
                               cwd=root, check=True, capture_output=True)
                times.append(time.perf_counter() - started)
            print(f"Panel paper, Q1 2021/22, force area, {fmt.upper()} (python -m report, start to finish): "
                  f"median {statistics.median(times):.1f} s over 3 (target < 30 s)")


BENCHMARKS = {"demo": bench_demo_build, "spc": bench_spc_batch, "overview": bench_overview_rerun,
              "import": bench_police_uk_import, "paper": bench_panel_paper}

if __name__ == "__main__":
    for name in sys.argv[1:] or BENCHMARKS:
        BENCHMARKS[name]()
