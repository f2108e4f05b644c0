"""What a load says and shows (#18 item 8): progress to 100%, the months loaded with the force's figure
for each, the page refreshed at once, names in the undo preview, and the command line's summary once."""
from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest
from conftest import FORCE, PROJECT_ROOT, coordinator, raw_police_uk_files, shown, signed_in_app

from ingest.loading import ChangesNeedConfirmation, loaded_totals, months_words, submission_totals, undo_submission
from ingest.police_uk import import_files, loaded_words
from ingest.returns import load_return_file

HEADER = "measure_id,area_id,month,value,numerator,denominator,status,publish_after\n"


def april():
    return next(f for f in raw_police_uk_files() if f.name.startswith("2022-04"))


def stored_all_crime(db, month: str) -> float:
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return con.execute("SELECT value FROM observations WHERE measure_id = 'all_crime' AND area_id = ? AND month = ?",
                           [FORCE, f"{month}-01"]).fetchone()[0]
    finally:
        con.close()


def test_months_are_named_as_a_range_or_a_list():
    assert months_words(["2022-04"]) == "April 2022"
    assert months_words(["2022-10", "2022-05", "2022-06", "2022-07", "2022-08", "2022-09"]) == "May–October 2022"
    assert months_words(["2021-12", "2022-01"]) == "December 2021–January 2022"
    assert months_words(["2022-04", "2022-06"]) == "April 2022, June 2022"


def test_an_import_names_its_months_and_the_force_s_figure_for_each(demo_con):
    # The demo holds police.uk to April 2022: the words for February to April give each month's stored figure.
    months = ["2022-02", "2022-03", "2022-04"]
    held = [demo_con.execute("SELECT value FROM observations WHERE measure_id = 'all_crime' AND area_id = ? "
                             "AND month = ?", [FORCE, f"{m}-01"]).fetchone()[0] for m in months]
    words = loaded_words(demo_con, months)
    assert words == ("Loaded February–April 2022: All recorded crime (police.uk, excluding ASB) at the force "
                     + " / ".join(f"{v:,.0f}" for v in held) + ".")


def test_a_return_s_words_name_its_measures_and_force_rows(demo_copy):
    data = (HEADER + "yjs_first_time_entrants,E23000021,2022-05,30,,,published,\n"
                     "yjs_first_time_entrants,E23000021,2022-06,31,,,published,\n").encode()
    loaded = load_return_file(demo_copy, data, "may.csv", partner="Youth Offending Services", actor=coordinator("a"))
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    try:
        assert submission_totals(con, loaded.submission_id) == \
            "Loaded May–June 2022: First-time entrants to the youth justice system at the force 30 / 31."
        assert loaded_totals(con, ["yjs_first_time_entrants"], ["2022-05"], "E06000016") == \
            "Loaded May 2022: no force-area figures in this load."
    finally:
        con.close()


def test_the_command_line_prints_its_summary_once_with_the_months_and_figures(demo_before_april):
    ran = subprocess.run([sys.executable, "-m", "ingest", "police-uk", "--db", str(demo_before_april), str(april())],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, ran.stderr
    summaries = [line for line in ran.stdout.splitlines() if "rows read;" in line]
    assert len(summaries) == 1, ran.stdout
    figure = stored_all_crime(demo_before_april, "2022-04")
    assert (f"Loaded April 2022: All recorded crime (police.uk, excluding ASB) at the force {figure:,.0f}."
            in ran.stdout.splitlines()), ran.stdout
    assert "[100%]" in ran.stdout


def test_the_data_page_import_completes_refreshes_and_says_what_it_loaded(demo_before_april, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_before_april))
    at = signed_in_app(demo_before_april)
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    assert not at.exception
    assert "Published data to April 2022" not in "\n".join(str(i.value) for i in at.sidebar.info)
    uploader = next(u for u in at.get("file_uploader") if u.proto.label.startswith("Files as published on police.uk"))
    uploader.set_value([(april().name, april().read_bytes(), "application/gzip")])
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception, at.exception
    figure = stored_all_crime(demo_before_april, "2022-04")
    successes = [shown(s.value) for s in at.success]
    assert any("Loaded April 2022: All recorded crime (police.uk, excluding ASB) at the force "
               f"{figure:,.0f}." in s for s in successes), successes
    assert [p.proto.value for p in at.get("progress")] == [100]
    # Refreshed at once: the sidebar's as-at and the audit table already show the import.
    assert "Published data to April 2022" in "\n".join(str(i.value) for i in at.sidebar.info)
    audit = next(d.value for d in at.dataframe if "sha256" in d.value.columns)
    assert "police.uk" in set(audit["kind"])


def test_the_undo_preview_names_measures_and_areas(demo_before_april):
    loaded = import_files(demo_before_april, [april()], actor=coordinator("t"))
    with pytest.raises(ChangesNeedConfirmation) as asked:
        undo_submission(demo_before_april, loaded.submission_id, actor=coordinator("t"))
    preview = asked.value.preview
    table = preview.table()
    assert "All recorded crime (police.uk, excluding ASB)" in set(table["measure"])
    assert "Leicester, Leicestershire and Rutland (force area)" in set(table["area"])
    assert not set(table["area"]) & {FORCE, "E06000016"} and "all_crime" not in set(table["measure"])
    assert any(line.startswith("All recorded crime (police.uk, excluding ASB) / Leicester City / 2022-04: ")
               for line in preview.lines())


def test_publishing_provisional_data_refreshes_the_page_at_once(demo_copy, monkeypatch):
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    rows = con.execute("SELECT COUNT(*) FROM observations WHERE measure_id = 'yjs_first_time_entrants' "
                       "AND status = 'provisional'").fetchone()[0]
    con.close()
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = signed_in_app(demo_copy)
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    held = next(d.value for d in at.dataframe if "publish_after" in d.value.columns)
    assert "First-time entrants to the youth justice system" in set(held["measure"])
    next(s for s in at.selectbox if s.label == "Publish now").set_value("yjs_first_time_entrants")
    next(b for b in at.button if b.label == "Publish these provisional figures").click()
    at.run()
    assert not at.exception, at.exception
    assert any(shown(s.value).startswith(f"Published {rows} rows of First-time entrants") for s in at.success), \
        [s.value for s in at.success] + [e.value for e in at.error]
    assert not [d for d in at.dataframe if "publish_after" in d.value.columns]  # no longer listed as held back
    assert any("No data is held back as provisional." in c.value for c in at.caption)
