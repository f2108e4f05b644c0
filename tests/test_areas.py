"""Comparing areas fairly: rates per 1,000 people, pooled survey rates, a period's figure by area."""
import pandas as pd
import pytest

from analysis import calendar as cal
from analysis.areas import comparable_rates, force_of, period_by_area, same_force, undercount_note, unlocated_months

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


def unlocated(months, unlocated_counts, totals) -> pd.DataFrame:
    return pd.DataFrame({"month": pd.to_datetime(months), "unlocated": unlocated_counts, "force_total": totals})


def test_force_of_climbs_to_the_area_with_no_parent():
    assert [force_of(AREAS, a) for a in ("F1", "C1", "D2", "U1", "D3")] == ["F1", "F1", "F1", "F1", "F2"]


def test_a_month_with_over_twice_the_usual_unlocated_share_is_flagged_with_both_shares():
    # Shares 5%, 6%, 7%, 15%, 5%: the median is 6%; 15% is over 12%, so only April is flagged.
    months = ["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01", "2020-05-01"]
    found = unlocated_months(unlocated(months, [50, 60, 70, 150, 50], [1000] * 5))
    assert list(found["month"]) == [pd.Timestamp("2020-04-01")]
    assert found["share"].tolist() == pytest.approx([0.15])
    assert found["usual_share"].tolist() == pytest.approx([0.06])


def test_exactly_twice_the_usual_share_is_not_flagged():
    # Shares 5%, 5%, 10%: the median is 5%, and 10% is not over twice it.
    found = unlocated_months(unlocated(["2020-01-01", "2020-02-01", "2020-03-01"], [50, 50, 100], [1000] * 3))
    assert found.empty


def test_a_month_with_no_records_at_all_is_left_out_not_divided_by_zero():
    # Shares 5%, 5%, 30% and an empty month: the median is 5%, so 30% is flagged and the empty month ignored.
    found = unlocated_months(unlocated(["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"],
                                       [50, 50, 300, 0], [1000, 1000, 1000, 0]))
    assert list(found["month"]) == [pd.Timestamp("2020-03-01")]


def test_the_undercount_note_names_the_months_in_runs_and_the_worst_share():
    found = pd.DataFrame({"month": pd.to_datetime(["2019-12-01", "2020-01-01", "2020-03-01", "2022-04-01"]),
                          "share": [0.076, 0.092, 0.163, 0.040], "usual_share": [0.0066] * 4})
    assert undercount_note(found) == (
        "police.uk gave no location to an unusual share of the force's records in 4 months (December 2019 to "
        "January 2020, March 2020, April 2022; the most in March 2020, 16.3% against a usual 0.7%). Those records "
        "count toward the force area but no area below it, so this area's figures for those months are too low: "
        "a dip there may be missing locations, not less crime.")


def test_no_undercounted_month_gives_no_note():
    assert undercount_note(pd.DataFrame({"month": [], "share": [], "usual_share": []})) is None


def test_one_undercounted_month_is_said_in_the_singular():
    found = pd.DataFrame({"month": pd.to_datetime(["2020-03-01"]), "share": [0.2], "usual_share": [0.01]})
    assert "in 1 month (March 2020; the most in March 2020, 20.0% against a usual 1.0%)" in undercount_note(found)


def test_a_share_under_one_percent_is_not_flagged_however_unusual():
    # Usual share 0 (a rare crime type): 1 of 200 (0.5%) is not flagged; 2 of 200 (1%) is.
    found = unlocated_months(unlocated(["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"],
                                       [0, 0, 1, 2], [200] * 4))
    assert list(found["month"]) == [pd.Timestamp("2020-04-01")]


def test_just_under_one_percent_is_not_flagged():
    # 19 of 2,000 is 0.95%: under the 1% floor, though over twice a usual share of 0.
    found = unlocated_months(unlocated(["2020-01-01", "2020-02-01", "2020-03-01"], [0, 0, 19], [2000] * 3))
    assert found.empty


def test_a_month_with_no_force_total_is_never_flagged_even_with_unlocated_records():
    # Inconsistent data (5 unlocated of 0) must not divide by zero into an infinite share; a month of one
    # record, unlocated, is a real 100% and is flagged.
    found = unlocated_months(unlocated(["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01", "2020-05-01"],
                                       [0, 0, 0, 5, 1], [100, 100, 100, 0, 1]))
    assert list(found["month"]) == [pd.Timestamp("2020-05-01")]
    assert list(found.columns) == ["month", "unlocated", "force_total", "share", "usual_share"]
    assert list(found.index) == [0]
