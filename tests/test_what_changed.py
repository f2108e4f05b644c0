"""What changed since the last Panel, or since just before a load (#18 item 4): values changed (old -> new), measures
that became special cause or changed RAG, months added, returns received or still missing; the view and the paper."""
from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import FORCE, coordinator, open_page, shown
from example_rows import example_row
from police_uk_months import months_a_year_on

import dashboard_data
from analysis import calendar, spc, what_changed
from analysis.overview import overview_frame
from ingest.police_uk import import_files
from ingest.returns import COLUMNS, load_return_file

Q4_2021, Q2_2022 = calendar.quarter(2021, 4), calendar.quarter(2022, 2)
NEW_MONTHS = pd.period_range("2022-05", "2022-10", freq="M")


def read_only(path):
    return duckdb.connect(str(path.resolve()), read_only=True)


@pytest.fixture(scope="module")
def quarter_loaded(demo_db, tmp_path_factory):
    """The demo (to April 2022; a copy of the session's), its Overview for Q4 2021/22 as the public saw it, then the
    police.uk months May–October 2022 imported as the co-ordinator's quarter does."""
    folder = tmp_path_factory.mktemp("what_changed")
    path = folder / "live" / "dashboard.duckdb"
    path.parent.mkdir()
    shutil.copy(demo_db.resolve(), path)
    con = read_only(path)
    before = dashboard_data.overview(con, area_id=FORCE, area_name="Force", period=Q4_2021)
    con.close()
    import_files(path, months_a_year_on("2022-05", "2022-10", folder), actor=coordinator("t"))
    return path, before


# --- pure: constructed cases -------------------------------------------------------------------------------------

def submissions(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "loaded_at", "kind", "file_name"])


def test_the_last_panel_is_the_data_as_it_stood_a_quarter_ago_else_the_demo_as_built():
    built = datetime(2026, 1, 5, 9, 0)
    loads = submissions((1, built, "demo", "police"), (2, built, "demo", "synthetic"),
                        (3, built + timedelta(days=10), "police.uk", "2026-01.csv"),
                        (4, built + timedelta(days=150), "partner return", "yos.csv"))
    early = what_changed.references(loads.iloc[:3], built + timedelta(days=20))
    assert [r.key for r in early] == ["quarter", "start", "load-3"]
    assert early[0].through == 2 and "demo data as built" in early[0].words  # nothing a quarter old: the demo
    assert early[2].through == 2 and early[2].moment < loads.loc[2, "loaded_at"]  # just before load 3
    late = what_changed.references(loads, built + timedelta(days=160))
    assert late[0].through == 3 and "a quarter ago" in late[0].words  # load 4 came after the last Panel
    assert [r.key for r in late] == ["quarter", "start", "load-4", "load-3"]


def overview_rows(*rows) -> pd.DataFrame:
    return overview_frame([example_row(priority_id=p, measure_id=m, measure=name, variation_icon=icon, rag=rag)
                           for p, m, name, icon, rag in rows])


def test_a_measure_that_became_special_cause_or_changed_rag_is_listed_and_one_that_did_not_is_not():
    then = overview_rows((1, "a", "A", "common_cause", "Within expected levels"), (1, "b", "B", "concern_high", "Red"),
                         (2, "c", "C", "common_cause", "Amber"), (2, "d", "D", "common_cause", "Green"))
    now = overview_rows((1, "a", "A", "concern_high", "Red"), (1, "b", "B", "concern_high", "Red"),
                        (2, "c", "C", "common_cause", "Green"), (2, "d", "D", "improvement_low", "Green"))
    changes = what_changed.reading_changes(then, now, "Q4 2021/22", "Q2 2022/23").set_index("measure_id")
    assert list(changes.index) == ["a", "c", "d"]  # b was and is special cause concern, Red
    assert changes.loc["a", "became_special_cause"] and changes.loc["a", "rag_changed"]
    assert changes.loc["a", "change"] == "Became special cause concern (high); RAG Within expected levels → Red"
    assert not changes.loc["c", "became_special_cause"] and changes.loc["c", "change"] == "RAG Amber → Green"
    assert changes.loc["d", "became_special_cause"] and not changes.loc["d", "rag_changed"]
    assert changes.loc["a", "then"] == "Q4 2021/22: common cause; Within expected levels"


def test_special_causes_are_listed_in_the_new_months_only():
    months = pd.period_range("2020-01", "2022-06", freq="M").to_timestamp()
    rng = np.random.default_rng(1)
    values = np.r_[100 + rng.normal(0, 3, len(months) - 4), [160, 162, 158, 161]]  # a step in the last four months
    series = pd.DataFrame({"measure_id": "m", "month": months, "value": values, "numerator": np.nan,
                           "denominator": np.nan})
    catalogue = pd.DataFrame([{"priority_id": 1, "measure_id": "m", "measure": "M", "chart_kind": "xmr",
                               "aggregation": "sum", "unit": "count", "improvement_direction": "decrease",
                               "target": None}])
    then = series.iloc[:-2]  # the last two months arrived since
    arrived = what_changed.new_months(then, series)
    assert list(arrived["month"]) == list(months[-2:])
    found = what_changed.new_special_causes(series, catalogue, pd.DataFrame(columns=["measure_id", "month"]), arrived,
                                            calendar.month_range(pd.Period(months[-1], "M"), pd.Period(months[-1], "M")))
    engine = spc.xmr(values, spc.SpcOptions(improvement_direction="decrease")).points
    flagged = {pd.Period(m, "M") for m, f in zip(months, engine["flag"]) if f != 0}
    assert set(found["month"]) == flagged & {pd.Period(m, "M") for m in months[-2:]} != set()
    assert set(found["variation"]) == {"special cause concern (high)"}
    # the rule in plain words, as every page says it; the NHSRplotthedots names stay in the method notes
    assert set(found["rule"]) <= {spc.rule_words(r, f, 7) for r, f in zip(engine["rule"], engine["flag"]) if f != 0}
    assert not found["rule"].str.contains("CL").any()
    # a changed value counts as arrived too
    revised = series.assign(value=series["value"].where(series["month"] != months[0], 999.0))
    assert months[0] in set(what_changed.new_months(series, revised)["month"])


def test_returns_received_since_and_still_missing():
    moment = datetime(2022, 8, 1, 12, 0)
    after, before = moment + timedelta(days=3), moment - timedelta(days=3)
    cells = pd.DataFrame([  # one row per measure, area and month owed, with its status (returns_calendar.cell_status)
        ("YOS", "2022-06", "received", after), ("YOS", "2022-06", "received", before),  # completed since
        ("YOS", "2022-05", "received", before),  # received before the moment
        ("Probation", "2022-06", "received", after), ("Probation", "2022-06", "late", None),  # still missing
        ("Probation", "2022-07", "due", None), ("Survey", "2022-06", "not expected", None)],
        columns=["partner", "month", "status", "loaded_at"])
    changes = what_changed.returns_changes(cells, moment)
    assert list(zip(changes["partner"], changes["month"], changes["change"], changes["rows"])) == [
        ("YOS", "2022-06", what_changed.RECEIVED_SINCE, "2 of 2"),
        ("Probation", "2022-06", what_changed.STILL_MISSING, "1 of 2")]


# --- the database: as it stood, and now ---------------------------------------------------------------------------

def test_a_value_a_load_replaced_is_shown_old_and_new(demo_copy):
    con = read_only(demo_copy)
    old = con.execute("SELECT value FROM observations WHERE measure_id = 'yjs_first_time_entrants' AND area_id = ? "
                      "AND month = DATE '2021-06-01'", [FORCE]).fetchone()[0]
    con.close()
    data = (",".join(COLUMNS) + "\nyjs_first_time_entrants,E23000021,2021-06,99,,,,\n").encode()
    loaded = load_return_file(demo_copy, data, "yos.csv", partner="Youth Offending Services", actor=coordinator("a"),
                              confirmed=True)
    con = read_only(demo_copy)
    try:
        choices = {r.key: r for r in dashboard_data.change_references(con, datetime.now())}
        before_load = choices[f"load-{loaded.submission_id}"]
        changed = dashboard_data.changes_since(con, before_load, area_id=FORCE, area_name="Force", period=Q4_2021,
                                               today=date.today())
    finally:
        con.close()
    values = changed.values
    assert list(zip(values["measure_id"], values["area_id"], values["old_value"], values["new_value"])) == [
        ("yjs_first_time_entrants", FORCE, old, 99.0)]
    assert any("1 value changed (old → new)" in line and "99" in line for line in changed.lines())


def test_after_the_quarter_s_months_every_special_cause_in_them_is_listed_and_then_is_as_it_was(quarter_loaded):
    path, before = quarter_loaded
    con = read_only(path)
    try:
        reference = dashboard_data.change_references(con, datetime.now())[0]
        changed = dashboard_data.changes_since(con, reference, area_id=FORCE, area_name="Force", period=Q2_2022,
                                               today=date.today(), with_returns=True)
        then = dashboard_data.overview_as_stood(con, reference, area_id=FORCE, area_name="Force", period=Q4_2021)
        police = con.execute("SELECT id, improvement_direction FROM measures WHERE police_uk_crime_type IS NOT NULL").fetchall()
        expected = set()
        for measure_id, direction in police:  # the engine on each series to September 2022, no rebases in the demo
            rows = con.execute("SELECT month, value FROM observations WHERE measure_id = ? AND area_id = ? "
                               "AND month <= DATE '2022-09-01' ORDER BY month", [measure_id, FORCE]).fetchall()
            flags = spc.xmr(np.array([v for _, v in rows]), spc.SpcOptions(improvement_direction=direction)).points["flag"]
            expected |= {(measure_id, pd.Period(m, "M")) for (m, _), f in zip(rows, flags)
                         if f != 0 and pd.Period(m, "M") in NEW_MONTHS}
    finally:
        con.close()
    assert expected  # the quarter has special causes to find
    assert set(zip(changed.special_causes["measure_id"], changed.special_causes["month"])) == expected
    assert changed.then_period == Q4_2021  # the quarter the last Panel read
    # The Overview as it stood is the Overview the public saw before the import, reading for reading.
    columns = ["measure_id", "value", "variation_icon", "rag"]
    pd.testing.assert_frame_equal(then[columns].reset_index(drop=True), before[columns].reset_index(drop=True))
    added = changed.months_added.set_index("measure_id")
    assert added.loc["all_crime", "months"] == "May–October 2022"
    line = next(li for li in changed.lines() if li.startswith("Special cause in the new months"))
    assert all(name in line for name in changed.special_causes["measure"])
    assert changed.returns is not None and set(changed.returns["change"]) <= {what_changed.RECEIVED_SINCE,
                                                                              what_changed.STILL_MISSING}


def test_the_view_lists_the_new_months_special_causes(quarter_loaded, monkeypatch):
    path, _ = quarter_loaded
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    at = open_page("what_changed")
    assert [t.value for t in at.title] == ["What changed"]
    headers = [h.value for h in at.header]
    assert "Since the last Panel" in headers and "Special cause in the new months" in headers
    con = read_only(path)
    try:
        reference = dashboard_data.change_references(con, datetime.now())[0]
        changed = dashboard_data.changes_since(con, reference, area_id=FORCE, area_name="x", period=Q2_2022,
                                               today=date.today())
    finally:
        con.close()
    table = next(d.value for d in at.dataframe if "Variation" in d.value.columns)
    assert list(table["Measure"]) == list(changed.special_causes["measure"])
    assert list(table["Month"]) == [calendar.month_label(m) for m in changed.special_causes["month"]]
    words = "\n".join(shown(m.value) for m in at.markdown)
    assert "Special cause in the new months" in words and "May–October 2022" in words


def test_the_paper_has_a_since_the_last_panel_section(quarter_loaded):
    from report.content import paper_content
    from report.render import render

    path, _ = quarter_loaded
    con = read_only(path)
    try:
        content = paper_content(con, area_id=FORCE, period=Q2_2022)
        reference = dashboard_data.change_references(con, datetime.now())[0]
        changed = dashboard_data.changes_since(con, reference, area_id=FORCE, area_name="x", period=Q2_2022,
                                               today=date.today())
    finally:
        con.close()
    section = content["since_last_panel"]
    assert section["since"].startswith(f"Since {reference.words}: Q4 2021/22 then, Q2 2022/23 now")
    special = next(line for line in section["lines"] if line.startswith("Special cause in the new months"))
    assert all(name in special for name in changed.special_causes["measure"])
    became = changed.readings[changed.readings["became_special_cause"]]
    assert set(became["measure"]) <= {row[0] for row in section["changes"]}
    html = render(content, "html").decode()
    assert "Since the last Panel" in html


def test_after_a_load_the_data_page_says_what_it_changed_and_links_to_the_view(demo_before_april, monkeypatch):
    from conftest import raw_police_uk_files, signed_in_app

    april = next(f for f in raw_police_uk_files() if f.name.startswith("2022-04"))
    monkeypatch.setenv("DASHBOARD_DB", str(demo_before_april))
    at = signed_in_app(demo_before_april)
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    uploader = next(u for u in at.get("file_uploader") if u.proto.label.startswith("Files as published on police.uk"))
    uploader.set_value([(april.name, april.read_bytes(), "application/gzip")])
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception, at.exception
    said = next(shown(m.value) for m in at.markdown if "What this load changed" in m.value)
    con = read_only(demo_before_april)
    try:
        load = con.execute("SELECT max(id) FROM submissions").fetchone()[0]
        reference = next(r for r in dashboard_data.change_references(con, datetime.now()) if r.key == f"load-{load}")
        changed = dashboard_data.changes_since(con, reference, area_id=FORCE, area_name="Leicester, Leicestershire and "
                                               "Rutland (force area)", period=calendar.month_range(
                                                   pd.Period("2022-04", "M"), pd.Period("2022-04", "M")),
                                               today=date.today())
    finally:
        con.close()
    assert all(line in said for line in changed.lines())
    assert "(April 2022)" in said  # the months it added, by measure
    link = next(p for p in at.get("page_link") if "What changed" in p.proto.label)
    assert "what-changed" in str(link.proto) and f"load-{load}" in str(link.proto)  # the view, from just before it


def test_the_command_line_says_what_a_return_changed(demo_copy, tmp_path):
    import subprocess
    import sys

    from conftest import PROJECT_ROOT

    con = read_only(demo_copy)
    old = con.execute("SELECT value FROM observations WHERE measure_id = 'yjs_first_time_entrants' AND area_id = ? "
                      "AND month = DATE '2021-06-01'", [FORCE]).fetchone()[0]
    con.close()
    file = tmp_path / "yos.csv"
    file.write_text(",".join(COLUMNS) + "\nyjs_first_time_entrants,E23000021,2021-06,99,,,,\n")
    ran = subprocess.run([sys.executable, "-m", "ingest", "return", "--db", str(demo_copy), "--partner",
                          "Youth Offending Services", "--replace", str(file)],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert lines.count("What this load changed:") == 1, ran.stdout
    assert any(line.startswith("- 1 value changed (old → new) in 1 measure: First-time entrants to the youth justice "
                               f"system, Leicester, Leicestershire and Rutland (force area), June 2021: {old:,.4g} → 99")
               for line in lines), ran.stdout


def test_on_the_untouched_demo_the_view_says_nothing_has_changed_since_it_was_built(app_env):
    at = open_page("what_changed")
    assert "Since the last Panel" in [h.value for h in at.header]
    words = "\n".join(shown(m.value) for m in at.markdown)
    assert "Since the demo data as built on" in words
    assert "No new months for" in words and "No special cause in the new months." in words
    assert "No value held then has changed." in words
    assert not any(d.value.shape[0] and "Variation" in d.value.columns for d in at.dataframe)
    # the choices are plain text (a select box shows no markdown): no escaping backslash reaches the reader
    choices = at.selectbox(key="since").options
    assert choices and any("demo data as built" in c for c in choices) and not any("\\" in c for c in choices)
