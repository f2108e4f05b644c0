"""Two wording defects of #18 item 2.

A measure whose data is not available says so, with the reason recorded on the Returns page or by
`python -m ingest availability` ("not available: <reason>"), on the Overview, in Panel mode and in the paper,
never the bare state ("not yet received"). The demo's synthetic returns show a plausible received time (their due
date), labelled synthetic, not the moment the demo was built.
"""
from __future__ import annotations

import re
from datetime import date, datetime

import duckdb
import pandas as pd
from conftest import FORCE, coordinator, signed_in_app

import dashboard_data
from analysis import calendar
from analysis import returns_calendar as rc
from analysis.overview import overview_rows
from ingest.availability import set_availability
from render.overview_table import overview_html, plain_table
from render.panel_deck import headline
from report.content import Notes, appendix_row, availability_lines

IOM, IOM_NAME = "iom_reoffending_rate", "Re-offending rate, IOM cohort (%)"
DRUGS = "drug_treatment_completions"
REASON = "Awaiting the Reducing Re-offending Board on 20 July"


def force_april(db) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, str]]:
    """The force's Overview for April 2022, the period's availability notes, and the priorities' labels."""
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        april = calendar.month_range(calendar.month("2022-04"), calendar.month("2022-04"))
        table = dashboard_data.overview(con, area_id=FORCE, area_name="Force", period=april)
        notes = dashboard_data.availability_notes(con, april, FORCE)
        labels = {int(p.id): f"{p.id}. {p.short_name}" for p in dashboard_data.priorities(con).itertuples()}
    finally:
        con.close()
    return table, notes, labels


def test_a_measure_not_available_says_so_with_its_reason_everywhere(demo_copy):
    set_availability(demo_copy, measure_id=IOM, area_id=None, first="2022-04", last="2022-04", reason=REASON,
                     state="not yet received", actor=coordinator())
    table, notes, labels = force_april(demo_copy)
    rows = {row.measure_id: row for row in overview_rows(table)}
    iom, drugs = rows[IOM], rows[DRUGS]
    assert iom.status == "not yet received" and drugs.status == "nationally unavailable"  # the states behind

    # The Overview: its Data column and the downloads say "not available", the reason beside it
    html = overview_html(table, "April 2022", {}, labels)
    # a row with its figures says it in the Data cell; a row without any, once across the row
    assert re.search(rf'not available(</b>)?: (<span class="why">)?{re.escape(REASON)}', html), html
    assert not re.search(r"(not yet received|nationally unavailable)(</b>)?:", html)
    data = plain_table(table, "April 2022").set_index("Measure id")
    assert data.loc[IOM, "Data"] == "not available" and data.loc[IOM, "Data note"] == REASON
    assert data.loc[DRUGS, "Data"] == "not available"

    # Panel mode
    assert headline(iom, "").note == f"not available: {REASON}"
    assert headline(drugs, "").note == f"not available: {drugs.status_reason}"

    # The paper: Appendix A and the priority's data-availability notes
    appendix_notes = Notes([], always=[REASON])
    assert appendix_row(iom, appendix_notes)["cells"][-1] == "Not available, note 1" and appendix_notes.notes == [REASON]
    lines = availability_lines(notes[notes["measure_id"] == IOM], [iom])
    assert lines and all(line.startswith(f"{IOM_NAME}: not available: {REASON}") for line in lines), lines
    assert not any("not yet received" in line for line in lines)


def test_a_priority_without_measures_stays_in_development_and_figures_keep_their_state(demo_copy):
    table, _, labels = force_april(demo_copy)
    undeveloped = next(row for row in overview_rows(table) if row.in_development)
    notes = Notes([], always=[undeveloped.status_reason])
    assert appendix_row(undeveloped, notes)["cells"][-1] == "In development, note 1"
    complete = next(row for row in overview_rows(table) if row.status == "complete")
    assert appendix_row(complete, notes, complete=complete.status_reason)["cells"][-1] == "Complete"


def test_a_synthetic_return_is_received_on_its_due_date_labelled_synthetic():
    cells = pd.DataFrame([
        ("P", 1, "m", "M", "A1", "Area 1", "2022-04", date(2022, 5, 23)),
        ("P", 1, "m", "M", "A2", "Area 2", "2022-04", date(2022, 5, 23)),
        ("P", 1, "m", "M", "A1", "Area 1", "2022-05", date(2022, 6, 22)),
    ], columns=rc.CELL_COLUMNS)
    built, loaded = pd.Timestamp("2026-12-07 05:39"), pd.Timestamp("2022-05-20 14:02")
    held = pd.DataFrame({"measure_id": ["m", "m", "m"], "area_id": ["A1", "A2", "A1"],
                         "month": ["2022-04-01", "2022-04-01", "2022-05-01"], "loaded_at": [built, loaded, built],
                         "loaded_by": ["demo build", "jane.smith@example.org", "demo build"],
                         "kind": ["demo", "partner return", "demo"]})
    status = rc.cell_status(cells, held, pd.DataFrame(), date(2022, 5, 31))
    assert status["loaded_at"].tolist() == [pd.Timestamp("2022-05-23 09:00"), loaded,
                                            pd.Timestamp("2022-05-31 09:00")]  # never after today
    assert status["loaded_by"].tolist() == [rc.SYNTHETIC_RECEIVED_BY, "jane.smith@example.org",
                                            rc.SYNTHETIC_RECEIVED_BY]
    assert "Synthetic (demo)" in rc.SYNTHETIC_RECEIVED_BY
    assert (status["status"] == rc.RECEIVED).all()


def test_the_demo_returns_page_shows_synthetic_returns_received_when_due(app_env, monkeypatch):
    monkeypatch.delenv("DASHBOARD_NOW", raising=False)
    at = signed_in_app(app_env, role=None)
    at.run()
    at.switch_page("app_pages/returns.py")
    at.run()
    assert not at.exception
    quarter = at.selectbox(key="returns_quarter")
    quarter.set_value(quarter.options.index("Q4 2021/22")).run()
    table = [d.value for d in at.dataframe if "partner" in d.value.columns][0]
    received = table[table["status"] == "Received"]
    assert len(received)
    built = datetime.now() - pd.Timedelta(days=1)
    assert (pd.to_datetime(received["received_at"]) < pd.Timestamp("2022-06-01")).all()  # not the build time
    assert not (pd.to_datetime(received["received_at"]) > built).any()
    due_at_nine = [pd.Timestamp(datetime.combine(d, rc.SYNTHETIC_RECEIVED_AT)) for d in received["due"]]
    assert pd.to_datetime(received["received_at"]).tolist() == due_at_nine
    assert set(received["received_by"]) == {rc.SYNTHETIC_RECEIVED_BY}
