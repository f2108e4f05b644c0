"""The returns calendar (#18 item 2), the reason data is not available (set on the command line or the Returns
page, audited, shown by the Overview), and templates a partner fills in (#18 item 3)."""
from __future__ import annotations

import csv
import getpass
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd
import pytest
from conftest import COORDINATOR_EMAIL, FORCE, PROJECT_ROOT, coordinator, open_page, shown, signed_in_app

import dashboard_data
from access import PUBLIC, NotAllowed
from analysis import calendar
from analysis import returns_calendar as rc
from core.settings import SETTINGS_FILE, from_toml
from ingest.__main__ import main
from ingest.availability import set_availability
from ingest.returns import ReturnRejected, load_return_file
from ingest.templates import template_csv, template_from_db

YOS, PROBATION, SURVEY = "Youth Offending Services", "Probation / IOM", "Police survey"
CHARNWOOD = "E07000130"
CATALOGUE = PROJECT_ROOT / "data" / "catalogue"
# England and Wales bank holidays used below, from gov.uk/bank-holidays: the early May bank holiday 2022, and
# the New Year's Day holiday of 2023 (1 January was a Sunday, so Monday 2 January).
MAY_DAY_2022, NEW_YEAR_2023 = date(2022, 5, 2), date(2023, 1, 2)


def read_catalogue(name: str) -> list[dict]:
    with open(CATALOGUE / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def weekdays_after(day: date, count: int, closed: set[date]) -> date:
    """A second count of working days, written out independently of the module under test."""
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            count -= 1
    return day


# ---------------------------------------------------------------------------------------------------------------
# Due dates and statuses
# ---------------------------------------------------------------------------------------------------------------

def test_a_due_date_skips_weekends_and_bank_holidays():
    april = pd.Period("2022-04", "M")  # ends Saturday 30 April; Monday 2 May is a bank holiday
    assert rc.due_date(april, "monthly", 1) == date(2022, 5, 3)
    assert rc.due_date(april, "monthly", 15) == weekdays_after(date(2022, 4, 30), 15, {MAY_DAY_2022})
    assert rc.due_date(april, "monthly", 15) != weekdays_after(date(2022, 4, 30), 15, set())  # the holiday counts
    assert rc.working_days_after(date(2022, 12, 31), 1) == date(2023, 1, 3)  # over New Year's Day (observed)
    assert NEW_YEAR_2023 in rc.bank_holidays(2023)
    # a quarterly measure's months are all due after the quarter ends
    assert rc.due_date(pd.Period("2022-07", "M"), "quarterly", 1) == date(2022, 10, 3)


def test_the_rule_is_read_from_the_settings():
    text = SETTINGS_FILE.read_text(encoding="utf-8")
    assert from_toml(text).return_due_working_days == 15
    assert from_toml(text.replace("due_working_days = 15", "due_working_days = 5")).return_due_working_days == 5


def cells_for(months: list[str], due: list[date]) -> pd.DataFrame:
    return pd.DataFrame({"partner": YOS, "priority_id": 1, "measure_id": "m", "measure_name": "M", "area_id": "A",
                         "area_name": "Area A", "month": months, "due": due})


def test_received_late_due_and_not_expected_on_a_fixed_day():
    today = date(2022, 6, 1)
    cells = cells_for(["2022-03", "2022-04", "2022-05", "2022-02"],
                      [date(2022, 4, 21), date(2022, 5, 23), date(2022, 6, 21), date(2022, 3, 21)])
    held = pd.DataFrame({"measure_id": ["m"], "area_id": ["A"], "month": [date(2022, 3, 1)],
                         "loaded_at": [datetime(2022, 4, 20, 10)], "loaded_by": ["someone@example.org"]})
    notes = pd.DataFrame({"measure_id": ["m"], "area_id": [None], "period_start": [date(2022, 2, 1)],
                          "period_end": [date(2022, 2, 1)], "state": ["nationally unavailable"], "reason": ["Gone"]})
    status = rc.cell_status(cells, held, notes, today)
    assert status["status"].tolist() == [rc.RECEIVED, rc.LATE, rc.DUE, rc.NOT_EXPECTED]
    # the day a return is due it is still due; the day after, late
    on_the_day = rc.cell_status(cells.iloc[[1]], held, notes, date(2022, 5, 23))
    assert on_the_day["status"].tolist() == [rc.DUE]
    by_month = rc.partner_returns(status).set_index("month")
    assert by_month.loc["2022-03", "received_by"] == "someone@example.org"
    assert by_month.loc["2022-02", "not_available"] == "M: not available: Gone"
    assert by_month.loc["2022-04", "status"] == rc.LATE


def test_an_areas_own_note_comes_before_one_for_every_area():
    cells = cells_for(["2022-04", "2022-04"], [date(2022, 5, 23)] * 2).assign(area_id=["A", "B"])
    notes = pd.DataFrame({"measure_id": ["m", "m"], "area_id": [None, "B"], "period_start": [date(2022, 1, 1)] * 2,
                          "period_end": [None, date(2022, 4, 1)], "state": ["not yet received"] * 2,
                          "reason": ["Everywhere", "Only B"]})
    status = rc.cell_status(cells, pd.DataFrame(columns=["measure_id", "area_id", "month", "loaded_at", "loaded_by"]),
                            notes, date(2022, 5, 1))
    assert status["note_reason"].tolist() == ["Everywhere", "Only B"]


# ---------------------------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------------------------

def expected_rows(partner: str, months: int) -> list[tuple[str, str]]:
    """(measure id, area id) pairs owed each month, counted from the catalogue's CSV files."""
    areas = [a for a in read_catalogue("areas") if a["kind"] != "unallocated"]
    measures = [m for m in read_catalogue("measures") if m["partner"] == partner and not m["police_uk_crime_type"]]
    pairs = [(m["id"], a["id"]) for m in measures for a in areas if m["force_wide"] != "true" or a["kind"] == "force"]
    return pairs * months


@pytest.mark.parametrize("partner", [YOS, SURVEY, "Force / OPCC", "Police"])
def test_a_template_has_a_row_per_measure_area_and_month_owed_with_names(demo_con, partner):
    quarter = calendar.quarter(2022, 2)
    frame = template_from_db(demo_con, partner, quarter.months)
    assert len(frame) == len(expected_rows(partner, 3)) > 0
    assert sorted(zip(frame["measure_id"], frame["area_id"])) == sorted(expected_rows(partner, 3))
    assert sorted(set(frame["month"])) == ["2022-07", "2022-08", "2022-09"]
    measure_names = {m["id"]: m["name"] for m in read_catalogue("measures")}
    area_names = {a["id"]: a["name"] for a in read_catalogue("areas")}
    assert all(measure_names[i] == n for i, n in zip(frame["measure_id"], frame["measure_name"]))
    assert all(area_names[i] == n for i, n in zip(frame["area_id"], frame["area_name"]))
    assert set(frame["status"]) == {"example"} and set(frame["value"]) == {""}


def test_a_filled_in_template_loads_and_an_unedited_row_is_refused(demo_copy):
    con = duckdb.connect(str(demo_copy), read_only=True)
    frame = template_from_db(con, YOS, calendar.quarter(2022, 2).months)
    con.close()
    with pytest.raises(ReturnRejected) as rejected:  # as downloaded: every row refused
        load_return_file(demo_copy, template_csv(frame), "t.csv", partner=YOS, actor=coordinator(), confirmed=True)
    example_rows = {p.row for p in rejected.value.problems if "example row" in p.reason}
    assert example_rows == set(range(2, len(frame) + 2))
    filled = frame.assign(value=[str(n) for n in range(len(frame))], status="published")
    half = filled.copy()
    half.loc[5, ["value", "status"]] = ["", "example"]  # one row left as it came
    with pytest.raises(ReturnRejected) as rejected:
        load_return_file(demo_copy, template_csv(half), "t.csv", partner=YOS, actor=coordinator(), confirmed=True)
    assert {p.row for p in rejected.value.problems} == {7}  # row 7: the header, then the 6th row
    assert (rejected.value.problems[0].column, rejected.value.problems[0].row) == ("status", 7)
    assert "example row" in rejected.value.problems[0].reason
    result = load_return_file(demo_copy, template_csv(filled), "t.csv", partner=YOS, actor=coordinator(), confirmed=True)
    assert result.added == len(frame)
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    held = con.execute("SELECT COUNT(*), SUM(value) FROM observations WHERE measure_id = 'yjs_first_time_entrants' "
                       "AND month BETWEEN DATE '2022-07-01' AND DATE '2022-09-01'").fetchone()
    con.close()
    assert held == (len(frame), sum(range(len(frame))))


def test_a_value_that_is_not_a_number_says_row_column_and_what_to_write(demo_copy):
    con = duckdb.connect(str(demo_copy), read_only=True)
    frame = template_from_db(con, SURVEY, [pd.Period("2022-07", "M")]).assign(
        numerator="30", denominator="40", status="published")
    yos = template_from_db(con, YOS, [pd.Period("2022-07", "M")]).assign(value="12", status="published")
    con.close()
    frame.loc[2, ["value", "numerator", "denominator"]] = ["23.5%", "", ""]
    with pytest.raises(ReturnRejected) as rejected:
        load_return_file(demo_copy, template_csv(frame), "t.csv", partner=SURVEY, actor=coordinator(), check_only=True)
    value_problems = [p for p in rejected.value.problems if p.column == "value"]
    assert [p.row for p in value_problems] == [4]  # the header is row 1
    assert "write 23.5 without the % sign" in value_problems[0].reason
    assert "numerator and denominator" in value_problems[0].reason
    assert "row 4, value: '23.5%' is not a number: write 23.5 without the % sign" in str(value_problems[0])
    for text, words in (("n/a", "write the figure in digits"), ("1,5", "not a number")):
        odd = yos.copy()
        odd.loc[0, "value"] = text
        with pytest.raises(ReturnRejected) as rejected:
            load_return_file(demo_copy, template_csv(odd), "t.csv", partner=YOS, actor=coordinator(), check_only=True)
        assert [(p.row, p.column) for p in rejected.value.problems] == [(2, "value")]
        assert words in rejected.value.problems[0].reason
    grouped = yos.copy()
    grouped.loc[0, "value"] = "1,234"  # a comma between thousands is a number
    rows = load_return_file(demo_copy, template_csv(grouped), "t.csv", partner=YOS, actor=coordinator(), check_only=True)
    assert rows["value"].iloc[0] == 1234


# ---------------------------------------------------------------------------------------------------------------
# The reason data is not available
# ---------------------------------------------------------------------------------------------------------------

def overview_row(db, area_id: str, month: str, measure_id: str) -> dict:
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        name = dashboard_data.areas(con)[area_id]
        table = dashboard_data.overview(con, area_id=area_id, area_name=name,
                                        period=calendar.month_range(calendar.month(month), calendar.month(month)))
    finally:
        con.close()
    assert table["measure_id"].tolist().count(measure_id) == 1
    return table[table["measure_id"] == measure_id].iloc[0].to_dict()


def changes(db) -> list[dict]:
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return con.execute("SELECT * FROM availability_changes ORDER BY changed_at").df().to_dict("records")
    finally:
        con.close()


def test_the_command_line_sets_a_reason_audited_and_the_overview_shows_it(demo_copy, capsys):
    before = overview_row(demo_copy, FORCE, "2022-04", "iom_reoffending_rate")
    assert before["status"] == "not yet received"
    reason = "The cohort goes to the Reducing Re-offending Board on 20 July"
    assert main(["availability", "--db", str(demo_copy), "--measure", "iom_reoffending_rate", "--area", "all",
                 "--from", "2022-04", "--to", "2022-04", "--reason", reason]) == 0
    assert reason in capsys.readouterr().out
    after = overview_row(demo_copy, FORCE, "2022-04", "iom_reoffending_rate")
    assert after["status_reason"] == reason
    audit = changes(demo_copy)
    assert len(audit) == 1 and audit[0]["changed_by"] == getpass.getuser() and audit[0]["reason"] == reason
    assert before["status_reason"].split(";")[0] in audit[0]["replaced"]  # what it replaced is kept
    assert datetime.now() - audit[0]["changed_at"] < timedelta(minutes=5)

    # one area's own reason, for that area only; the force keeps the reason for every area
    assert main(["availability", "--db", str(demo_copy), "--measure", "iom_reoffending_rate", "--area", CHARNWOOD,
                 "--from", "2022-04", "--to", "2022-06", "--reason", "Charnwood's cohort is re-counted"]) == 0
    assert overview_row(demo_copy, CHARNWOOD, "2022-04", "iom_reoffending_rate")["status_reason"] == \
        "Charnwood's cohort is re-counted"
    assert overview_row(demo_copy, FORCE, "2022-04", "iom_reoffending_rate")["status_reason"] == reason
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    notes = dashboard_data.availability_notes(con, calendar.quarter(2022, 1), FORCE)
    con.close()
    assert reason in set(notes["reason"]) and "Charnwood's cohort is re-counted" not in set(notes["reason"])

    # cleared: the Overview falls back to saying no data was received; the clearing is audited too
    assert main(["availability", "--db", str(demo_copy), "--measure", "iom_reoffending_rate", "--area", "all",
                 "--from", "2022-04", "--to", "2022-04", "--clear"]) == 0
    assert overview_row(demo_copy, FORCE, "2022-04", "iom_reoffending_rate")["status"] == "no data"
    assert [c["state"] if isinstance(c["state"], str) else None for c in changes(demo_copy)] == [
        "not yet received", "not yet received", None]


def test_a_reason_splits_a_longer_note_and_only_a_coordinator_may_set_one(demo_copy, capsys):
    # drug treatment is nationally unavailable from October 2021 with no end: a reason for two months keeps the rest
    set_availability(demo_copy, measure_id="drug_treatment_completions", area_id=None, first="2022-01", last="2022-02",
                     reason="A local extract was agreed for these months", actor=coordinator())
    row = {m: overview_row(demo_copy, FORCE, m, "drug_treatment_completions") for m in ("2021-12", "2022-01", "2022-03")}
    assert row["2022-01"]["status_reason"] == "A local extract was agreed for these months"
    assert row["2021-12"]["status"] == row["2022-03"]["status"] == "nationally unavailable"
    with pytest.raises(NotAllowed):
        set_availability(demo_copy, measure_id="drug_treatment_completions", area_id=None, first="2022-01",
                         last="2022-01", reason="x", actor=PUBLIC)
    assert main(["availability", "--db", str(demo_copy), "--measure", "no_such_measure", "--area", "all",
                 "--from", "2022-04", "--to", "2022-04", "--reason", "x"]) == 2
    assert "error: There is no measure 'no_such_measure'" in capsys.readouterr().err
    assert len(changes(demo_copy)) == 1


# ---------------------------------------------------------------------------------------------------------------
# The Returns page
# ---------------------------------------------------------------------------------------------------------------

def returns_table(at) -> pd.DataFrame:
    return [d.value for d in at.dataframe if "Partner" in d.value.columns or "partner" in d.value.columns][0]


def test_the_returns_page_shows_a_return_received_and_another_late(demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_NOW", "2022-11-01T12:00:00")  # every Q2 2022/23 return is past its due date
    con = duckdb.connect(str(demo_copy), read_only=True)
    frame = template_from_db(con, YOS, calendar.quarter(2022, 2).months).assign(value="7", status="published")
    con.close()
    load_return_file(demo_copy, template_csv(frame), "yos-q2.csv", partner=YOS, actor=coordinator(COORDINATOR_EMAIL),
                     confirmed=True)
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = signed_in_app(demo_copy, role=None)
    at.run()
    at.switch_page("app_pages/returns.py")
    at.run()
    assert not at.exception
    quarter = at.selectbox(key="returns_quarter")
    quarter.set_value(quarter.options.index("Q2 2022/23")).run()
    table = returns_table(at)
    yos = table[table["partner"] == YOS]
    assert yos["status"].tolist() == ["Received"] * 3
    assert set(yos["received_by"]) == {COORDINATOR_EMAIL}
    assert yos["rows"].tolist() == [f"{len(frame) // 3} of {len(frame) // 3}"] * 3
    probation = table[table["partner"] == PROBATION]
    assert all(s.startswith("Late") for s in probation["status"])
    assert list(probation["due"]) == [rc.due_date(m, "monthly", 15) for m in calendar.quarter(2022, 2).months]

    # the reason is edited here too, and audited with the signed-in co-ordinator
    form = {s.label: s for s in at.selectbox}
    form["Measure"].set_value("iom_reoffending_rate")
    at.text_input[0].input("Awaiting the board")
    [b for b in at.button if b.label == "Save the reason"][0].click()
    at.run()
    assert not at.exception
    assert any("Saved: not available: Awaiting the board" in shown(s.value) for s in at.success)
    audit = changes(demo_copy)
    assert [(c["measure_id"], c["area_id"], c["reason"], c["changed_by"]) for c in audit] == [
        ("iom_reoffending_rate", None, "Awaiting the board", COORDINATOR_EMAIL)]
    table = returns_table(at)
    assert "Re-offending rate, IOM cohort (%): not available: Awaiting the board" in \
        table[table["partner"] == PROBATION]["not_available"].tolist()


def test_the_returns_page_explains_the_role_needed(app_env):
    at = open_page("returns")
    assert any("see the returns calendar, sign in as a co-ordinator" in shown(i.value) for i in at.info)
    assert not at.dataframe


def test_the_data_page_offers_a_template_for_the_partner_and_period_chosen(app_env):
    at = open_page("data")
    at.selectbox(key="template_partner").set_value(YOS).run()
    quarter = at.selectbox(key="template_quarter")
    quarter.set_value(quarter.options.index("Q3 2021/22")).run()
    assert not at.exception
    rows = len(expected_rows(YOS, 3))
    assert any(c.value == f"{rows:,} rows for Q3 2021/22: 1 measure, {rows // 3} areas, 3 months." for c in at.caption)
    names = [b.proto.label for b in at.get("download_button")]
    assert "Template (CSV)" in names and "Template (Excel)" in names
