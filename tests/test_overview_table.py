"""The Overview table for every area: all 18 priorities, and no blank cell without a reason."""
import math
import types
import typing

import numpy as np
import pandas as pd
import pytest
from conftest import coordinator

import dashboard_data
import datastore
import queries
from analysis import calendar as cal
from analysis.availability import UNAVAILABLE_STATES
from analysis.overview import FLAGS, NUMBERS, OverviewRow, build_overview, overview_frame, overview_rows

AREAS = ["E23000021", "E06000016", "E10000018", "E06000017", "E07000129", "E07000130", "E07000131", "E07000132",
         "E07000133", "E07000134", "E07000135"]

OPTIONAL_TEXT = ("measure_id", "unit", "variation_icon", "assurance_icon", "spc_special_cause")  # text or None


def overview(con, area_id: str, period) -> pd.DataFrame:
    return dashboard_data.overview(con, area_id=area_id, area_name=area_id, period=period)


@pytest.mark.parametrize("area_id", AREAS)
def test_every_priority_appears_and_every_cell_has_content_or_a_reason(demo_reader, area_id):
    table = overview(demo_reader, area_id, cal.quarter(2021, 3))
    assert set(table["priority_id"]) == set(range(1, 19))
    for column in ("value", "last_year", "rolling_12", "rag", "rag_reason", "status", "status_reason", "narrative"):
        assert table[column].map(lambda v: isinstance(v, str) and v.strip() != "").all(), column
    for row in table.itertuples():
        if row.value == "–":  # a dash is never alone: the row's data note says why
            assert row.status not in ("complete", "partial") and row.status_reason and row.narrative == row.status_reason
        elif row.last_year == "–":  # no comparison: the change column says why instead
            assert len(row.change) > 10 and row.change.startswith(("No comparison", "Not compared"))
        if row.rolling_12 != "–" and np.isnan(row.previous_12_number):
            assert row.rolling_change.startswith(("No comparison", "Not compared"))
    p15 = table[table["priority_id"] == 15]
    assert len(p15) == 1 and p15.iloc[0]["status"] == "in development"


def test_the_rolling_twelve_months_show_whenever_they_are_complete(demo_reader):
    # Q1 2020/21: the 12 months to June 2020 start in July 2019, before the data; Q4 2020/21's are complete
    early = overview(demo_reader, "E23000021", cal.quarter(2020, 1)).set_index("measure_id").loc["all_crime"]
    assert early["rolling_12"] == "–" and early["rolling_change"].startswith("Not shown")
    later = overview(demo_reader, "E23000021", cal.quarter(2020, 4)).set_index("measure_id").loc["all_crime"]
    assert later["rolling_12"] != "–" and np.isnan(later["previous_12_number"])
    assert later["rolling_change"].startswith("No comparison with 12 months to March 2020 is possible")


def test_provisional_data_is_held_back_with_its_board_date(demo_reader):
    table = overview(demo_reader, "E23000021", cal.quarter(2021, 4))
    yjs = table[table["measure_id"] == "yjs_first_time_entrants"].iloc[0]
    assert yjs["status"] == "provisional"
    assert "Provisional until 15 June 2022" in yjs["status_reason"]
    assert "Youth Offending Management Board" in yjs["status_reason"]


def test_small_samples_are_amber_with_the_reason(demo_reader):
    table = overview(demo_reader, "E23000021", cal.quarter(2021, 3))
    rape = table[table["measure_id"] == "rape_victim_satisfaction"].iloc[0]
    assert rape["rag"] == "Amber" and rape["rag_reason"].startswith("Small numbers")


def test_asb_december_2021_is_green_statistically_low(demo_reader):
    december = cal.month_range(cal.month("2021-12"), cal.month("2021-12"))
    asb = overview(demo_reader, "E23000021", december).set_index("measure_id").loc["asb_incidents"]
    assert asb["variation_icon"] == "improvement_low" and asb["rag"] == "Green"
    assert "as at the end of December 2021, statistically low" in asb["narrative"]


def test_asb_april_2020_reads_as_it_stood_then_not_with_hindsight(demo_reader):
    """April 2020 was Red (statistically high) only on the chart of later months; as the series stood at the end
    of April 2020 (five months, trial limits) it was common cause, and that is what the Overview shows."""
    april = cal.month_range(cal.month("2020-04"), cal.month("2020-04"))
    asb = overview(demo_reader, "E23000021", april).set_index("measure_id").loc["asb_incidents"]
    assert asb["variation_icon"] == "common_cause" and asb["trial_limits"] and asb["rag"] != "Red"
    later = dashboard_data.charted_series(demo_reader, "asb_incidents", "E23000021").at(april)
    assert later.variation == "concern_high"


def test_the_overview_uses_the_same_rebased_segments_as_the_chart(demo_copy):
    from datetime import date

    import duckdb

    from analysis import spc
    from dashboard_data import charted_series
    from ingest.rebases import add_rebase

    add_rebase(demo_copy, measure_id="asb_incidents", area_id="E23000021", month=date(2020, 6, 1),
               reason="Coronavirus restrictions", actor=coordinator("test"))
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    rebases = queries.run(con, "app/area_rebases", {"area_id": "E23000021"})
    series = datastore.run_query(con, "app/area_series", {"area_id": "E23000021",
                                                          "last": pd.Timestamp("9999-12-01").date()})
    icons = []
    for month in ("2020-04", "2020-06", "2020-09", "2021-03", "2022-01"):
        period = cal.month_range(cal.month(month), cal.month(month))
        catalogue = datastore.run_query(con, "app/overview", {"area_id": "E23000021", "first": period.start, "last": period.end,
                                                      "priority_id": 8})
        row = build_overview(catalogue, series, period, "force", rebases).set_index("measure_id").loc["asb_incidents"]
        assert row["spc_point"] == f"{pd.Timestamp(month + '-01'):%B %Y}"
        # the chart as the series stood at the month's end, as the Overview reads it
        chart = charted_series(con, "asb_incidents", "E23000021", last=period.end).points.set_index("month")
        assert chart["segment"].nunique() == (2 if month >= "2020-06" else 1)
        point = chart.loc[pd.Timestamp(f"{month}-01")]
        assert row["variation_icon"] == spc.variation_icon(point["special_cause"], int(point["flag"])), month
        icons.append(row["variation_icon"])
    con.close()
    assert len(set(icons)) > 1


def of_type(value, hint) -> bool:
    """Whether a value is exactly of a field's declared type: a number is never text or NaN, text never a number."""
    if isinstance(hint, types.UnionType):
        return any(value is None if arg is type(None) else of_type(value, arg) for arg in typing.get_args(hint))
    if hint is float:
        return type(value) is float and not math.isnan(value)
    return type(value) is hint


def test_every_field_of_every_row_is_of_its_declared_type_withheld_and_unavailable_rows_too(demo_reader):
    """#21.1: the row's figures as numbers are numbers or None, never a dash, "[c]" or a reason; its icons text or
    None, never NaN: readers read the fields without guessing their type (tests/test_seams.py checks they don't)."""
    hints = typing.get_type_hints(OverviewRow)
    quarter, april = cal.quarter(2022, 1), cal.month_range(cal.month("2022-04"), cal.month("2022-04"))
    tables = [overview(demo_reader, area_id, period) for area_id in AREAS for period in (quarter, april)]
    rows = [row for table in tables for row in overview_rows(table)]
    for row in rows:
        wrong = {name: getattr(row, name) for name, hint in hints.items() if not of_type(getattr(row, name), hint)}
        assert wrong == {}, row.measure_id
    # Not vacuous: the rows include every kind whose cells hold words instead of figures
    assert any(row.value == "[c]" and row.value_number is None for row in rows)  # withheld by disclosure control
    assert any(row.last_year == "[c]" and row.last_year_number is None for row in rows)
    assert any(row.status in UNAVAILABLE_STATES and not row.in_development for row in rows)
    assert any(row.in_development and row.variation_icon is None for row in rows)
    assert any(not row.comparable and row.change_number is None for row in rows)
    # and the table they come from keeps one type a column: numbers as floats, flags as bools, no NaN as text
    for table in tables:
        assert all(table[name].dtype == float for name in NUMBERS), table.dtypes
        assert all(table[name].dtype == bool for name in FLAGS), table.dtypes
        assert all(v is None or type(v) is str for name in OPTIONAL_TEXT for v in table[name])
        assert overview_rows(table) == overview_rows(overview_frame(overview_rows(table)))  # the frame keeps the rows
