"""Monthly missing-person measures derived from the records: a month with no report in an area is a zero."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
from people_recount import area_records, counted

import queries
from ingest import schema

FORCE, CHARNWOOD, MELTON = "E23000021", "E07000130", "E07000133"


def test_an_area_with_no_report_in_a_month_gets_zeros_for_every_measure():
    con = duckdb.connect()
    schema.create_schema(con)
    schema.load_catalogue(con)
    con.executemany("INSERT INTO missing_person_reports VALUES (?, ?, ?, ?, ?)", [
        (1, "A", date(2021, 4, 3), CHARNWOOD, "child"),
        (2, "A", date(2021, 4, 20), CHARNWOOD, "child"),
        (3, "B", date(2021, 5, 1), MELTON, "adult"),
    ])
    rows = queries.run(con, "ingest/missing_person_observations")
    assert rows["measure_id"].notna().all()
    value = {(r.measure_id, r.area_id, str(r.month)[:7]): r.value for r in rows.itertuples()}
    april = {m: (value[(m, CHARNWOOD, "2021-04")], value[(m, MELTON, "2021-04")], value[(m, FORCE, "2021-04")])
             for m in ("missing_reports", "missing_individuals", "missing_repeat_individuals")}
    assert april == {"missing_reports": (2, 0, 2), "missing_individuals": (1, 0, 1),
                     "missing_repeat_individuals": (1, 0, 1)}
    assert (value[("missing_reports", CHARNWOOD, "2021-05")], value[("missing_reports", MELTON, "2021-05")]) == (0, 1)
    # 3 measures x 2 months x the 11 areas a user can choose (the unallocated ones have no records).
    assert len(rows) == 3 * 2 * 11


def test_the_demos_monthly_measures_are_a_recount_of_its_records_in_every_area_and_month(demo_con):
    """Every monthly missing-person figure the demo stores (as the counting made it) against a recount of the
    records in pandas: each person once per area and month, a month with no one in an area a zero."""
    records = area_records(demo_con)
    expected = counted(records, ["area_id", "month"]).set_index(["area_id", "month"])
    stored = demo_con.execute("SELECT measure_id, area_id, month, value FROM observations "
                              "WHERE measure_id IN ('missing_reports', 'missing_individuals', 'missing_repeat_individuals')"
                              ).df()
    areas = [r[0] for r in demo_con.execute("SELECT id FROM areas WHERE kind <> 'unallocated'").fetchall()]
    assert len(stored) == 3 * len(areas) * records["month"].nunique()
    column = {"missing_reports": "reports", "missing_individuals": "individuals",
              "missing_repeat_individuals": "repeat_individuals"}
    for row in stored.itertuples():
        key = (row.area_id, pd.Period(row.month, "M"))
        assert row.value == (expected.loc[key, column[row.measure_id]] if key in expected.index else 0), row
