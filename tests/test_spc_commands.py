"""The SPC command line, the real demo data, rebases, and the chart the app draws."""
from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from datetime import date

import duckdb
import pandas as pd
import pytest
from conftest import FORCE, PROJECT_ROOT, REFERENCE_VECTORS, coordinator, require_fixture, signed_in_app
from streamlit.testing.v1 import AppTest

import spc_cli
from ingest.rebases import add_rebase

VECTORS = REFERENCE_VECTORS


def run_spc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "spc_cli", *args], cwd=PROJECT_ROOT, capture_output=True, text=True)


def test_check_passes_every_shared_vector():
    require_fixture(VECTORS)
    result = run_spc("check", str(VECTORS))
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1] == "16 passed, 0 failed"
    assert len(result.stdout.strip().splitlines()) == 17


def test_check_fails_a_wrong_expectation_and_names_the_difference(tmp_path):
    document = {
        "vectors": [
            {"name": "right", "values": [1, 3, 2, 4], "options": {"improvement_direction": "increase"},
             "expected": {"mean": [2.5] * 4, "special_cause": ["common_cause"] * 4, "variation_icon": "common_cause"}},
            {"name": "wrong", "values": [1, 3, 2, 4], "options": {"improvement_direction": "increase"},
             "expected": {"mean": [2.6] * 4}},
            {"name": "broken", "options": {}, "expected": {}},
        ],
        "other_chart_vectors": [],
    }
    path = tmp_path / "vectors.json"
    path.write_text(json.dumps(document))
    result = run_spc("check", str(path))
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1
    assert lines[0] == "right: pass"
    assert lines[1].startswith("wrong: FAIL, mean[0]: expected 2.6, got 2.5")
    assert lines[2].startswith("broken: FAIL, error:")
    assert lines[-1] == "1 passed, 2 failed"


def test_check_fails_on_an_empty_file(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text("{}")
    result = run_spc("check", str(path))
    assert result.returncode == 1 and result.stdout.strip() == "0 passed, 0 failed"


def series(db, *extra, as_run: bool = False) -> dict:
    """The command's JSON for ASB at force level: from `python -m spc_cli` as run, or (saving a process start-up
    that imports DuckDB and pandas, seconds of CPU) from its main() in this process."""
    argv = ["series", "--db", str(db), "--measure", "asb_incidents", "--area", FORCE, *extra]
    if as_run:
        result = run_spc(*argv)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert spc_cli.main(argv) == 0
    return json.loads(printed.getvalue())


def test_real_asb_flags_april_2020_as_concern_above_the_upper_limit(demo_db):
    payload = series(demo_db, "--from", "2019-12", "--to", "2022-04", as_run=True)
    assert payload["measure"] == "asb_incidents" and payload["area"] == FORCE
    assert payload["options"]["improvement_direction"] == "decrease"
    points = {p["month"]: p for p in payload["points"]}
    assert len(points) == 29
    april = points["2020-04"]
    assert april["value"] == 1736
    assert april["special_cause"] == "concern"
    assert april["rule"] == "Above UCL"
    assert april["value"] > april["upl"]
    # The 29 months sum to 27,885: mean 961.55. August 2021 to April 2022 (860, 865, 786, 716, 618, 726, 727,
    # 887, 882) are nine months in a row below it, a shift; ASB is better lower, so the icon is improvement, low.
    last = payload["points"][-1]
    assert last["mean"] == pytest.approx(961.55, abs=0.005)
    assert last["rule"] == "7 Points Below CL" and last["special_cause"] == "improvement"
    assert payload["variation_icon"] == "improvement_low"
    assert payload["assurance_icon"] is None  # no target


def test_series_applies_command_line_rebases(demo_db):
    payload = series(demo_db, "--rebase", "2020-04")
    means = {p["month"]: p["mean"] for p in payload["points"]}
    assert payload["options"]["rebase"] == ["2020-04"]
    assert means["2020-03"] != means["2020-04"]


def test_series_reports_unknown_measures_plainly(demo_db):
    result = run_spc("series", "--db", str(demo_db), "--measure", "nope", "--area", FORCE)
    assert result.returncode == 2 and "no measure 'nope'" in result.stderr


def test_a_stored_rebase_is_kept_with_who_when_and_why_and_applied(demo_copy):
    add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 4, 1),
               reason="Coronavirus restrictions", actor=coordinator("Co-ordinator"))
    con = duckdb.connect(str(demo_copy), read_only=True)
    row = con.execute("SELECT month, reason, created_by, created_at FROM spc_rebases").fetchall()
    con.close()
    assert len(row) == 1 and row[0][:3] == (date(2020, 4, 1), "Coronavirus restrictions", "Co-ordinator")
    assert row[0][3] is not None
    payload = series(demo_copy)
    assert payload["options"]["rebase"] == ["2020-04"]


def test_a_rebase_needs_a_reason_and_changes_nothing_without_one(demo_copy):
    before = demo_copy.read_bytes()
    with pytest.raises(ValueError, match="reason"):
        add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 4, 1), reason=" ",
                   actor=coordinator("x"))
    assert demo_copy.read_bytes() == before


def explorer_charts(priority: str, **params) -> list[dict]:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params["priority"] = priority
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("app_pages/priority_explorer.py")
    at.run()
    assert not at.exception
    return [json.loads(element.proto.spec) for element in at.get("vega_lite_chart")], at


def test_the_explorer_draws_a_control_chart_with_an_accessible_description(app_env):
    specs, at = explorer_charts("8. Anti-social behaviour")
    asb = next(s for s in specs if s["title"] == "ASB incidents")
    assert asb["description"].startswith("Control chart of ASB incidents, Leicester, Leicestershire and Rutland (force area), "
                                         "December 2019 to")
    assert "April 2020 above the upper limit" in asb["description"]
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in asb["layer"]]
    assert marks.count("line") >= 4 and "point" in marks
    point_layer = next(layer for layer in asb["layer"] if layer["mark"]["type"] == "point")
    colour, shape = point_layer["encoding"]["color"], point_layer["encoding"]["shape"]
    assert colour["scale"]["range"] == ["#12436D", "#F46A25", "#6B3FA0", "#707070"]
    assert len(set(shape["scale"]["range"])) == 4  # shape differs too, not colour alone
    titles = {t["title"] for t in point_layer["encoding"]["tooltip"]}
    assert {"Period", "Value", "Lower limit", "Upper limit", "Rule"} <= titles
    # The same words are on the page, not only in the chart.
    assert any("April 2020 above the upper limit" in c.value for c in at.caption)
    assert any("Special cause" in m.value or "Common cause" in m.value for m in at.markdown)


def test_a_survey_measure_is_drawn_with_its_target(app_env):
    specs, _ = explorer_charts("9. Victims of crime")
    chart = specs[0]
    rules = [layer for layer in chart["layer"] if layer["mark"]["type"] == "rule"]
    assert rules, "the 85% target line is drawn"


def test_a_coordinator_rebases_from_the_explorer_and_the_chart_shows_it(demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = signed_in_app(demo_copy, email="co-ordinator@example.org")
    at.query_params["priority"] = "8. Anti-social behaviour"
    at.run()
    at.switch_page("app_pages/priority_explorer.py")
    at.run()
    form_box = [s for s in at.selectbox if s.label == "New segment starts in"][0]
    form_box.set_value("2020-04")
    [t for t in at.text_input if t.label.startswith("Reason")][0].input("Coronavirus restrictions")
    [b for b in at.button if b.label == "Rebase"][0].click()
    at.run()
    assert not at.exception
    element = next(e for e in at.get("vega_lite_chart") if json.loads(e.proto.spec)["title"] == "ASB incidents")
    spec = json.loads(element.proto.spec)
    inline = [layer["data"]["values"] for layer in spec["layer"] if "values" in layer.get("data", {})]  # a rule's rows
    plotted = b"".join(dataset.data.data for dataset in element.proto.datasets) + json.dumps(inline).encode()
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    stored = con.execute("SELECT measure_id, month, reason, created_by FROM spc_rebases").fetchall()
    con.close()
    assert stored == [("asb_incidents", date(2020, 4, 1), "Coronavirus restrictions", "co-ordinator@example.org")]
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert rules, "the rebase is marked on the chart"
    assert b"Rebased April 2020: Coronavirus restrictions" in plotted


def test_series_takes_the_analyst_options(demo_db):
    default = series(demo_db)
    changed = series(demo_db, "--run-length", "6", "--no-screen", "--fix-after", "12", "--two-in-three-variant")
    assert changed["options"]["run_length"] == 6 and changed["options"]["screen_outliers"] is False
    assert changed["options"]["fix_after_n_points"] == 12
    assert changed["options"]["two_in_three_counts_beyond_limits"] is True
    # Limits from the first 12 months, December 2019 to November 2020: they sum to 13,789, mean 1,149.08;
    # their 11 moving ranges (130, 84, 232, 673, 480, 197, 88, 34, 242, 258, 31) sum to 2,449, mean 222.64;
    # upper limit 1,149.08 + 2.66 x 222.64 = 1,741.30.
    april = {p["month"]: p for p in changed["points"]}["2020-04"]
    assert april["mean"] == pytest.approx(1149.08, abs=0.005)
    assert april["upl"] == pytest.approx(1741.30, abs=0.005)
    # April 2020 (1,736) is now inside the limits. With it, April to September 2020 (1,736, 1,256, 1,453,
    # 1,365, 1,399, 1,157) are six months above the mean between March (1,063) and October (899):
    # a shift at a run length of 6, and none at 7.
    assert april["rule"] == "6 Points Above CL"
    assert {p["month"]: p for p in default["points"]}["2020-04"]["rule"] == "Above UCL"
    bad = run_spc("series", "--db", str(demo_db), "--measure", "asb_incidents", "--area", FORCE, "--fix-after", "5")
    assert bad.returncode == 2 and "at least 12" in bad.stderr


def test_the_explorer_spc_options_change_the_chart(app_env):
    def asb_caption(at):
        return [c.value for c in at.caption if c.value.startswith("Control chart of ASB incidents")][0]

    _, at = explorer_charts("8. Anti-social behaviour")
    before = asb_caption(at)
    at.checkbox(key="screen").uncheck()
    at.number_input(key="fix_after").set_value(12)
    at.run()
    assert not at.exception
    assert asb_caption(at) != before


@pytest.mark.parametrize("rebase_months, expected", [
    (["2020-03-01"], (2,)),                  # a month in the series
    (["2020-04-01"], (3,)),                  # missing: starts at the next month present (May, position 3)
    (["2020-01-01", "2019-12-01"], ()),      # at or before the first month: no effect
    (["2021-01-01"], ()),                    # after the last month: no effect
    (["2020-05-01", "2020-04-01"], (3,)),    # two rebases landing on one month count once
])
def test_rebase_positions(rebase_months, expected):
    from analysis.series import rebase_positions

    months = pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01", "2020-05-01", "2020-06-01"])
    assert rebase_positions(months, rebase_months) == expected
