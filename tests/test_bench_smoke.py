"""python -m bench at a tiny scale: two forces, 24 months, 20,000 street records, no browser.

The national run takes minutes and is not part of the test run; this checks the whole benchmark
still works end to end, from the build through the project's loaders to the printed table.
"""
from __future__ import annotations

import json

from bench.__main__ import main


def test_the_benchmark_runs_at_a_tiny_scale(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "unused.duckdb"))  # the benchmark points the app at its own
    figures = tmp_path / "figures.json"
    assert main(["--scale", "tiny", "--work", str(tmp_path / "work"), "--json", str(figures)]) == 0
    report = json.loads(figures.read_text())
    out = capsys.readouterr().out
    # Leicestershire: 9 districts and unitaries, each its own CSP, and its 2 unallocated areas, under the force (12);
    # Northamptonshire: 5 one-district CSPs, Daventry and South Northamptonshire (a CSP of 2 districts), 2 unallocated
    # and the force (11).
    assert report["build"]["files"] == 2 * 24 and report["build"]["records"] == 20_000
    assert report["import"]["files"] == 2 and report["import"]["added"] == 15 * (12 + 11)
    assert [p["page"] for p in report["pages"] if "error" in p] == []
    assert all(q["runs"] == 1 for q in report["queries"]), [q for q in report["queries"] if not q["runs"]]
    assert "| page | first run | median rerun | p95 rerun | CPU per rerun |" in out
    assert "pandas / dashboard" in out
