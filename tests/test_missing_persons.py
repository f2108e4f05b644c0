"""Missing-person counts from the records: hand-built cases, every quarter and area, and disclosure."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

import queries
from analysis import calendar as cal
from analysis.disclosure import SUPPRESSED, suppress
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
    return tuple(int(v) for v in row.iloc[0])


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
    table = {(r.area, r.age_band): (r.reports, r.individuals, r.repeat_individuals) for r in rows.itertuples()}
    assert table == {("Charnwood", "adult"): (1, 1, 0), ("Charnwood", "child"): (1, 1, 0), ("Melton", "adult"): (2, 1, 1)}


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


def test_primary_and_secondary_suppression():
    frame = pd.DataFrame({"area": ["A", "B", "C", "D"], "reports": [0, 3, 12, 40], "individuals": [0, 2, 4, 30]})
    protected, hidden = suppress(frame, ["reports", "individuals"])
    # reports: only 3 is small, so the next smallest (12) is hidden too; zero reveals nothing
    assert protected["reports"].tolist() == [0, SUPPRESSED, SUPPRESSED, 40]
    # individuals: 2 and 4 are both small: no secondary suppression needed
    assert protected["individuals"].tolist() == [0, SUPPRESSED, SUPPRESSED, 30]
    assert hidden == 4
    assert frame["reports"].tolist() == [0, 3, 12, 40]  # the input is untouched


def test_nothing_to_suppress():
    protected, hidden = suppress(pd.DataFrame({"n": [5, 9, 100]}), ["n"])
    assert hidden == 0 and protected["n"].tolist() == [5, 9, 100]
