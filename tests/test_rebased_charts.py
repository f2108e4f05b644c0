"""A stored rebase must not break the drawn charts: the paper, Panel mode and the Panel paper page (issue 23, 1)."""
from __future__ import annotations

import base64
import re
import subprocess
import sys
from datetime import date

import duckdb
from conftest import FORCE, PROJECT_ROOT, open_page, signed_in_app

README_REBASE = ["--measure", "asb_incidents", "--area", FORCE, "--month", "2020-04", "--reason",
                 "Coronavirus restrictions"]


def svg_pictures(html: str) -> list[str]:
    return [base64.b64decode(data).decode() for data in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)]


def rebase_as_the_readme_does(db) -> None:
    run = subprocess.run([sys.executable, "-m", "ingest", "rebase", "--db", str(db), *README_REBASE],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr


def test_the_paper_is_written_after_the_readmes_rebase_example(demo_copy, tmp_path):
    rebase_as_the_readme_does(demo_copy)
    out = tmp_path / "r.pdf"
    run = subprocess.run([sys.executable, "-m", "report", "--quarter", "2021-22-Q1", "--area", FORCE,
                          "--out", str(out), "--db", str(demo_copy)],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_panel_mode_and_the_paper_page_draw_a_rebased_chart(demo_copy, monkeypatch):
    from access import operator
    from ingest.rebases import add_rebase

    # Every measure rebased: Panel mode charts ASB (its priority has no measure needing attention), while the
    # paper charts only the measures needing attention, so whichever chart either draws is a rebased one.
    with duckdb.connect(str(demo_copy), read_only=True) as con:
        measure_ids = [row[0] for row in con.execute("SELECT id FROM measures").fetchall()]
    assert "asb_incidents" in measure_ids
    for measure_id in measure_ids:
        add_rebase(demo_copy, measure_id=measure_id, area_id=FORCE, month=date(2020, 4, 1),
                   reason="Coronavirus restrictions", actor=operator())
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    monkeypatch.chdir(PROJECT_ROOT)
    at = open_page(mode="panel", quarter="Q1 2021/22")  # fails on any exception
    deck = "".join(h.proto.body for h in at.get("html") if 'id="panel-deck"' in h.proto.body)
    assert "Traceback" not in deck and "JSON serializable" not in deck
    assert any("Rebased April 2020" in svg for svg in svg_pictures(deck))  # the rebased chart is drawn, with its rule

    at = signed_in_app(demo_copy)
    at.query_params["quarter"] = "Q1 2021/22"
    at.run()
    at.switch_page("app_pages/paper.py")
    at.run()
    assert not at.exception, at.exception
    assert any("Rebased April 2020" in svg for svg in svg_pictures(at.get("iframe")[0].proto.srcdoc))
