"""Comparing areas fairly: rates per 1,000 people, pooled survey rates, a period's figure by area."""
import pandas as pd
import pytest

from analysis import calendar as cal
from analysis.areas import comparable_rates, period_by_area, same_force

# Listed in the order the query gives (the areas' sort order), not by code or name.
OADBY = ("E07000135", "Oadby and Wigston", "district", 57_800)
LEICESTER = ("E06000016", "Leicester", "unitary authority", 368_600)
RUTLAND = ("E06000017", "Rutland", "unitary authority", 41_000)


def rows(area, months, values, numerators=None, denominators=None) -> pd.DataFrame:
    area_id, name, kind, population = area
    frame = pd.DataFrame({"area_id": area_id, "area": name, "kind": kind, "population": population,
                          "month": pd.to_datetime(months), "value": values})
    frame["numerator"] = numerators if numerators is not None else None
    frame["denominator"] = denominators if denominators is not None else None
    return frame


def test_counts_become_rates_per_thousand_people():
    # 289 crimes among 57,800 people: 289/57.8 = 5.0 per 1,000; 1,843 among 368,600: 1843/368.6 = 5.0;
    # 123 among 41,000: 123/41 = 3.0.
    by_area = pd.concat([rows(OADBY, ["2021-04-01"], [289]), rows(LEICESTER, ["2021-04-01"], [1843]),
                         rows(RUTLAND, ["2021-04-01"], [123])], ignore_index=True)
    rated = comparable_rates(by_area, "sum")
    assert rated["rate"].tolist() == pytest.approx([5.0, 5.0, 3.0], rel=1e-12)
    assert rated["rate_label"].tolist() == ["per 1,000 people"] * 3
    assert rated["value"].tolist() == [289, 1843, 123]  # the count itself is kept
    assert "rate" not in by_area  # the caller's frame is not changed


def test_survey_rates_are_satisfied_over_responses():
    # 45 of 60 = 75%; 9 of 40 = 22.5%.
    by_area = pd.concat([rows(OADBY, ["2021-04-01"], [0.0], [45], [60]),
                         rows(RUTLAND, ["2021-04-01"], [0.0], [9], [40])], ignore_index=True)
    rated = comparable_rates(by_area, "pooled")
    assert rated["rate"].tolist() == pytest.approx([75.0, 22.5], rel=1e-12)
    assert rated["rate_label"].tolist() == ["%", "%"]


def test_other_measures_are_compared_as_they_are():
    rated = comparable_rates(rows(RUTLAND, ["2021-04-01", "2021-05-01"], [12.5, 14.0]), "latest")
    assert rated["rate"].tolist() == [12.5, 14.0] and rated["rate_label"].tolist() == ["", ""]


QUARTER = cal.quarter(2021, 1)  # April to June 2021
MONTHS = ["2021-03-01", "2021-04-01", "2021-05-01", "2021-06-01", "2021-07-01"]


def test_period_by_area_sums_the_quarter_per_thousand_people():
    by_area = pd.concat([
        # March and July lie outside the quarter: 100 + 120 + 69 = 289 in it, 289/57.8 = 5.0 per 1,000.
        rows(OADBY, MONTHS, [999, 100, 120, 69, 999]),
        # May missing: 600 + 1243 = 1843 over 2 of 3 months, 1843/368.6 = 5.0 per 1,000.
        rows(LEICESTER, ["2021-04-01", "2021-06-01"], [600, 1243]),
        # Nothing in the quarter: Rutland is left out, not shown as 0.
        rows(RUTLAND, ["2021-03-01", "2021-07-01"], [5, 5]),
    ], ignore_index=True)
    summary = period_by_area(by_area, QUARTER, "sum")
    assert summary.columns.tolist() == ["area_id", "area", "kind", "population", "value", "rate", "months"]
    assert summary["area_id"].tolist() == ["E07000135", "E06000016"]  # the order given, not sorted
    assert summary["area"].tolist() == ["Oadby and Wigston", "Leicester"]
    assert summary["kind"].tolist() == ["district", "unitary authority"]
    assert summary["population"].tolist() == [57_800, 368_600]
    assert summary["value"].tolist() == [289.0, 1843.0]
    assert summary["rate"].tolist() == pytest.approx([5.0, 5.0], rel=1e-12)
    assert summary["months"].tolist() == [3, 2]


def test_period_by_area_pools_survey_responses():
    # Oadby: 30 + 15 + 9 = 54 satisfied of 40 + 20 + 12 = 72 responses, 75%.
    # Rutland: 9 of 10 and 1 of 30 pool to 10 of 40, 25% (the mean of 90% and 3.3% would be 46.7%).
    by_area = pd.concat([
        rows(OADBY, MONTHS[1:4], [75.0, 75.0, 75.0], [30, 15, 9], [40, 20, 12]),
        rows(RUTLAND, MONTHS[1:3], [90.0, 3.3], [9, 1], [10, 30]),
    ], ignore_index=True)
    summary = period_by_area(by_area, QUARTER, "pooled")
    assert summary["area"].tolist() == ["Oadby and Wigston", "Rutland"]
    assert summary["value"].tolist() == pytest.approx([75.0, 25.0], rel=1e-12)
    assert summary["rate"].tolist() == pytest.approx([75.0, 25.0], rel=1e-12)  # a rate already: not per 1,000
    assert summary["months"].tolist() == [3, 2]


def test_period_by_area_takes_the_latest_month_of_a_cumulative_measure():
    summary = period_by_area(rows(LEICESTER, MONTHS, [1.0, 2.0, 3.5, 4.25, 9.0]), QUARTER, "latest")
    assert summary["value"].tolist() == [4.25] and summary["rate"].tolist() == [4.25]  # June, not per 1,000


def test_period_by_area_with_no_data_at_all_is_an_empty_table():
    summary = period_by_area(rows(RUTLAND, ["2020-01-01"], [5]), QUARTER, "sum")
    assert summary.empty
    assert summary.columns.tolist() == ["area_id", "area", "kind", "population", "value", "rate", "months"]


AREAS = pd.DataFrame({  # two forces: F1 with a county and its districts and a unitary; F2 with one district
    "id": ["F1", "C1", "D1", "D2", "U1", "F2", "D3"],
    "parent_id": [None, "F1", "C1", "C1", "F1", None, "F2"],
})


@pytest.mark.parametrize("chosen", ["F1", "C1", "D2", "U1"])
def test_same_force_is_the_force_and_everything_below_it_wherever_one_starts(chosen):
    assert same_force(AREAS, chosen) == {"F1", "C1", "D1", "D2", "U1"}


def test_same_force_of_another_force_leaves_the_first_out():
    assert same_force(AREAS, "D3") == {"F2", "D3"}


def test_same_force_of_an_unknown_area_says_so():
    with pytest.raises(LookupError, match="no area 'X'"):
        same_force(AREAS, "X")
