"""Missing-person counts from the records: hand-built cases, every quarter and area, and disclosure."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from people_recount import COUNTS, area_records, counted, in_months

import dashboard_data
import queries
from analysis import calendar as cal
from analysis.disclosure import SUPPRESSED, THRESHOLD, protect
from ingest import schema

FORCE, COUNTY, CHARNWOOD, MELTON, LEICESTER = "E23000021", "E10000018", "E07000130", "E07000133", "E06000016"


@pytest.fixture
def hand_built():
    """Seven reports: person A twice in Q1 and once in Q2 (two quarters), B twice in Q2 (Melton),
    C once in Q1 (Leicester), D once in Q2 (Charnwood)."""
    con = duckdb.connect()
    schema.create_schema(con)
    schema.load_catalogue(con)
    records = [
        (1, "A", date(2021, 4, 3), CHARNWOOD, "child"),
        (2, "A", date(2021, 5, 20), CHARNWOOD, "child"),
        (3, "C", date(2021, 6, 1), LEICESTER, "adult"),
        (4, "A", date(2021, 7, 9), CHARNWOOD, "child"),
        (5, "B", date(2021, 8, 1), MELTON, "adult"),
        (6, "B", date(2021, 8, 30), MELTON, "adult"),
        (7, "D", date(2021, 9, 30), CHARNWOOD, "adult"),
    ]
    con.executemany("INSERT INTO missing_person_reports VALUES (?, ?, ?, ?, ?)", records)
    return con


def summary(con, area_id, period):
    row = queries.run(con, "app/missing_person_summary", {"area_id": area_id, "first": period.start, "last": period.end})
    return tuple(int(row.iloc[0][c]) for c in ("reports", "individuals", "repeat_individuals"))


def test_hand_built_quarters_and_areas(hand_built):
    q1, q2 = cal.quarter(2021, 1), cal.quarter(2021, 2)
    assert summary(hand_built, FORCE, q1) == (3, 2, 1)          # A twice, C once
    assert summary(hand_built, FORCE, q2) == (4, 3, 1)          # A once, B twice, D once
    assert summary(hand_built, COUNTY, q2) == (4, 3, 1)         # Leicester is not in the county
    assert summary(hand_built, CHARNWOOD, q2) == (2, 2, 0)      # A and D once each
    half = cal.month_range(cal.month("2021-04"), cal.month("2021-09"))
    assert summary(hand_built, FORCE, half) == (7, 4, 2)        # A three times and B twice over both quarters


def test_hand_built_by_quarter_and_month(hand_built):
    quarters = queries.run(hand_built, "app/missing_person_periods", {"area_id": FORCE, "grain": "quarter"})
    assert quarters[["reports", "individuals", "repeat_individuals"]].values.tolist() == [[3, 2, 1], [4, 3, 1]]
    months = queries.run(hand_built, "app/missing_person_periods", {"area_id": FORCE, "grain": "month"})
    august = months[pd.to_datetime(months["period_start"]) == "2021-08-01"].iloc[0]
    assert (august.reports, august.individuals, august.repeat_individuals) == (2, 1, 1)


def test_hand_built_breakdown(hand_built):
    q2 = cal.quarter(2021, 2)
    rows = queries.run(hand_built, "app/missing_person_breakdown", {"area_id": FORCE, "first": q2.start, "last": q2.end})
    table = {(r.area, r.age_band): (r.reports, r.individuals, r.repeat_individuals) for r in rows.itertuples()
             if r.reports}
    assert table == {("Charnwood", "adult"): (1, 1, 0), ("Charnwood", "child"): (1, 1, 0), ("Melton", "adult"): (2, 1, 1)}
    # every lowest-tier area and band is listed, zeros included, so a table shows every cell
    assert len(rows) == 2 * 9 and set(rows["age_band"]) == {"child", "adult"}


def test_people_counts_counts_each_person_once_per_group_and_a_group_with_no_one_as_zeros():
    """The one definition of counting people (people_counts in queries/schema.sql), on its own: the columns
    other than person_id are the group; a row with no person (as a LEFT JOIN leaves one) counts nothing."""
    con = duckdb.connect()
    schema.create_schema(con)
    rows = con.execute("""
        WITH records AS (SELECT * FROM (VALUES ('north', 1, 'A'), ('north', 1, 'A'), ('north', 1, 'B'),
                                               ('north', 2, 'A'), ('south', 1, NULL), ('south', 2, 'C'),
                                               ('south', 2, NULL)) AS r (area, quarter, person_id))
        SELECT * FROM people_counts(records) ORDER BY area, quarter""").fetchall()
    assert rows == [("north", 1, 3, 2, 1), ("north", 2, 1, 1, 0), ("south", 1, 0, 0, 0), ("south", 2, 1, 1, 0)]
    no_groups = con.execute("WITH records AS (SELECT NULL::VARCHAR AS person_id WHERE false) "
                            "SELECT * FROM people_counts(records)").fetchall()
    assert no_groups == [(0, 0, 0)]  # no group columns: one row for all the records, zeros when there are none


def test_no_query_counts_people_itself():
    """Every query that counts people from the records does it through people_counts, so the rule (a person
    once per group; a repeat is 2+ reports) has one definition, in queries/schema.sql and its migration."""
    root = Path(queries.QUERY_DIR)
    counting = [p for p in root.rglob("*.sql") if "person_id" in p.read_text(encoding="utf-8")
                and p.name != "schema.sql" and p.parent.name != "migrations"]
    assert len(counting) >= 8
    rule = re.compile(r">=\s*2|COUNT\s*\(\s*DISTINCT|per_person|GROUP BY[^\n]*person_id", re.IGNORECASE)
    own = [p.relative_to(root).as_posix() for p in counting
           if "people_counts(" not in p.read_text(encoding="utf-8") or rule.search(p.read_text(encoding="utf-8"))]
    assert own == []


def test_every_breakdown_cell_and_every_area_by_month_and_quarter_matches_a_recount(demo_con):
    """The breakdown by area and age band (zeros included) for every area and quarter, and the table of every
    area by month and quarter that disclosure control reads, against a recount of the records in pandas."""
    records = area_records(demo_con)
    leaves = records[records["area_id"] == records["leaf_id"]]
    areas = [r[0] for r in demo_con.execute("SELECT id FROM areas WHERE kind <> 'unallocated'").fetchall()]
    compared = 0
    for quarter in cal.quarters_between(cal.month("2019-12"), cal.month("2022-04")):
        expected = counted(in_months(leaves, quarter.first, quarter.last), ["leaf_id", "age_band"])
        expected = {(r.leaf_id, r.age_band): (r.reports, r.individuals, r.repeat_individuals)
                    for r in expected.itertuples()}
        for area_id in areas:
            shown = queries.run(demo_con, "app/missing_person_breakdown",
                                {"area_id": area_id, "first": quarter.start, "last": quarter.end})
            for row in shown.itertuples():
                assert (row.reports, row.individuals, row.repeat_individuals) == expected.get(
                    (row.area_id, row.age_band), (0, 0, 0)), (area_id, quarter.label, row.area_id, row.age_band)
                compared += 1
    assert compared == 11 * 2 * (9 + 7 + 9)  # quarters x bands x leaves: the force's 9, the county's 7, 9 leaves' own
    # financial quarters start in April, so they coincide with calendar quarters
    starts = {"month": records["month"].dt.start_time, "quarter": records["month"].dt.asfreq("Q").dt.start_time}
    for grain, period_start in starts.items():
        expected = counted(records.assign(period_start=period_start), ["area_id", "period_start"])
        shown = queries.run(demo_con, "app/missing_person_grid", {"grain": grain})
        shown["period_start"] = pd.to_datetime(shown["period_start"])
        assert shown[["area_id", "period_start", *COUNTS]].sort_values(["area_id", "period_start"]).values.tolist() \
            == expected[["area_id", "period_start", *COUNTS]].sort_values(["area_id", "period_start"]).values.tolist()


def direct_count(con, area_id, first, last):
    """An independent count straight from the records."""
    return con.execute(
        """
        WITH r AS (
            SELECT person_id FROM missing_person_reports
            WHERE report_date >= ? AND report_date < ? AND area_id IN (
                SELECT id FROM areas WHERE id = ? OR parent_id = ? OR parent_id IN (SELECT id FROM areas WHERE parent_id = ?))
        )
        SELECT COUNT(*), COUNT(DISTINCT person_id),
               (SELECT COUNT(*) FROM (SELECT person_id FROM r GROUP BY person_id HAVING COUNT(*) >= 2))
        FROM r
        """,
        [first, last, area_id, area_id, area_id],
    ).fetchone()


def test_every_quarter_and_area_matches_a_direct_count(demo_con):
    areas = [r[0] for r in demo_con.execute("SELECT id FROM areas WHERE kind <> 'unallocated'").fetchall()]
    quarters = cal.quarters_between(cal.month("2019-12"), cal.month("2022-04"))
    assert len(quarters) == 11 and len(areas) == 11
    for area_id in areas:
        for quarter in quarters:
            shown = summary(demo_con, area_id, quarter)
            end = (quarter.last + 1).start_time.date()
            assert shown == direct_count(demo_con, area_id, quarter.start, end), (area_id, quarter.label)


def test_an_area_with_a_small_count_has_its_whole_breakdown_withheld():
    frame = pd.DataFrame({
        "area_id": ["A", "A", "B", "B", "C", "C"],
        "age_band": ["child", "adult"] * 3,
        "reports": [3, 40, 0, 25, 6, 30],
        "individuals": [2, 30, 0, 20, 5, 22],
        "repeat_individuals": [1, 8, 0, 0, 0, 9],
    })
    protected, hidden = protect(frame)
    a, b, c = (protected[protected["area_id"] == x] for x in "ABC")
    # A: 3, 2 and 1 are small, so every count of A's breakdown is withheld (6 cells)
    assert a[["reports", "individuals", "repeat_individuals"]].isna().all().all()
    # B: the children's 0s are not confidential, and nothing else is small: shown as it is
    assert b["reports"].tolist() == [0, 25] and b["repeat_individuals"].tolist() == [0, 0]
    # C: nothing from 1 to 4
    assert c["individuals"].tolist() == [5, 22]
    assert hidden == 6
    assert frame["reports"].tolist() == [3, 40, 0, 25, 6, 30]  # the input is untouched


def test_a_measure_whose_area_total_is_zero_stays_shown_when_the_row_is_withheld():
    frame = pd.DataFrame({"area_id": ["A", "A"], "age_band": ["child", "adult"], "reports": [2, 9],
                          "individuals": [2, 7], "repeat_individuals": [0, 0]})
    protected, hidden = protect(frame)
    assert protected["reports"].isna().all() and protected["individuals"].isna().all()
    assert protected["repeat_individuals"].tolist() == [0, 0]  # the published total, 0, says so already
    assert hidden == 4


def test_protected_counts_stay_numbers():
    frame = pd.DataFrame({"area_id": ["A", "A"], "age_band": ["child", "adult"], "reports": [2, 9],
                          "individuals": [2, 7], "repeat_individuals": [0, 1]})
    protected, _ = protect(frame)
    assert str(protected["reports"].dtype) == "Int64"


def shown_or_withheld(rows, measure_id: str, column: str, expected: int, where) -> None:
    if rows.loc[measure_id, column] == SUPPRESSED:
        assert np.isnan(rows.loc[measure_id, f"{column}_number"]), where
    else:
        assert not 1 <= expected < THRESHOLD, where
        assert rows.loc[measure_id, f"{column}_number"] == expected, where


def test_the_overview_counts_people_once_per_period_in_every_area_and_quarter(demo_con, demo_reader):
    """Individuals and repeats on the Overview, and their rolling 12 months, against a direct count of the records."""
    areas = [r[0] for r in demo_con.execute("SELECT id FROM areas WHERE kind <> 'unallocated'").fetchall()]
    quarters = cal.quarters_between(cal.month("2019-12"), cal.month("2022-04"))
    checked = 0
    for area_id in areas:
        for quarter in quarters:
            table = dashboard_data.overview(demo_reader, area_id=area_id, area_name=area_id, period=quarter, priority_id=17)
            rows = table.set_index("measure_id")
            end = (quarter.last + 1).start_time.date()
            reports, individuals, repeats = direct_count(demo_con, area_id, quarter.start, end)
            # each figure is the direct count, or withheld ("[c]", no number) by disclosure control: always when
            # it is from 1 to 4, and where it could give such a count away
            shown_or_withheld(rows, "missing_individuals", "value", individuals, (area_id, quarter.label))
            shown_or_withheld(rows, "missing_repeat_individuals", "value", repeats, (area_id, quarter.label))
            shown_or_withheld(rows, "missing_reports", "value", reports, (area_id, quarter.label))
            rolling_first = (quarter.last - 11).start_time.date()
            if quarter.last - 11 >= cal.month("2019-12") and quarter.last <= cal.month("2022-04"):
                _, individuals_12, repeats_12 = direct_count(demo_con, area_id, rolling_first, end)
                shown_or_withheld(rows, "missing_individuals", "rolling_12", individuals_12, (area_id, quarter.label))
                shown_or_withheld(rows, "missing_repeat_individuals", "rolling_12", repeats_12, (area_id, quarter.label))
                checked += 1
            else:
                assert np.isnan(rows.loc["missing_individuals", "rolling_12_number"])
    assert checked == len(areas) * 6  # Q3 2020/21 to Q4 2021/22 end 12 or more whole months into the data


def test_force_q1_2021_22_shows_419_individuals_and_128_repeats_not_monthly_sums(demo_con):
    rows = dashboard_data.overview(demo_con, area_id=FORCE, area_name="force", period=cal.quarter(2021, 1),
                                   priority_id=17).set_index("measure_id")
    assert rows.loc["missing_individuals", "value"] == "419"  # the monthly sum was 528
    assert rows.loc["missing_repeat_individuals", "value"] == "128"  # the monthly sum was 66
    assert rows.loc["missing_individuals", "spc_point"] == "Q1 2021/22"  # charted quarter by quarter


def test_melton_q2_2020_21_withholds_its_small_totals_everywhere(app_env):
    """Melton, Q2 2020/21: 3 repeat individuals. The count is withheld ("[c]") with the area's other two counts
    (repeats <= reports - individuals would bound it), on the page, in its tables and on the Overview, and
    the chart of monthly reports, which would show withheld months, is not drawn."""
    from conftest import open_page

    con = duckdb.connect(str(app_env), read_only=True)
    try:
        assert direct_count(con, "E07000133", date(2020, 7, 1), date(2020, 10, 1))[2] == 3
        row = dashboard_data.overview(con, area_id="E07000133", area_name="Melton", period=cal.quarter(2020, 2),
                                      priority_id=17).set_index("measure_id").loc["missing_repeat_individuals"]
    finally:
        con.close()
    assert row["value"] == SUPPRESSED and np.isnan(row["value_number"]) and ": [c];" in row["narrative"]
    at = open_page("missing_persons", area="Melton", quarter="Q2 2020/21")
    assert [m.value for m in at.metric] == [SUPPRESSED] * 4
    quarters = at.dataframe[0].value.set_index("Period")
    assert quarters.loc["Q2 2020/21", ["Reports", "Individuals", "Reported 2+ times"]].isna().all()
    shown = quarters[["Reports", "Individuals", "Reported 2+ times"]].stack().dropna()
    assert ((shown == 0) | (shown >= THRESHOLD)).all()
    assert any("control chart of monthly reports is not shown for Melton" in i.value for i in at.info)
