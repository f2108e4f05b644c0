"""analysis/peers.py: peer selection, rates per 1,000, indexing, the break, the annual control chart.

Every expected value is worked by hand in the comment beside it.
"""
from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from analysis import peers
from components.downloads import excel_bytes

FORCES = pd.DataFrame({"name": ["Derbyshire", "Kent", "Leicestershire", "Lincolnshire", "Nottinghamshire"],
                       "region": ["East Midlands", "South East", "East Midlands", "East Midlands", "East Midlands"]})
NO_GROUP = pd.DataFrame({"peer": pd.Series([], dtype=object), "source": pd.Series([], dtype=object)})
BREAK = peers.SeriesBreak(date(2017, 4, 1), "burglary definition changed", "Domestic became residential burglary.")


def test_rate_per_1000_residents():
    assert peers.rate_per_1000(2500, 1_000_000) == 2.5  # 2,500 / 1,000,000 x 1,000
    assert peers.rate_per_1000(30, 12_000) == 2.5  # 30 / 12 thousand
    assert round(peers.rate_per_1000(87167, 1017697), 2) == 85.65  # 87,167 / 1,017.697 = 85.651...


def test_population_year_is_the_latest_mid_year_on_or_before_the_period_end_else_the_earliest():
    assert peers.population_year("2003-03-31", [2011]) == 2011  # only 2011: used for every period
    assert peers.population_year("2011-03-31", [2010, 2011, 2012]) == 2010  # 30 June 2011 is after 31 March 2011
    assert peers.population_year("2011-06-30", [2012, 2010, 2011]) == 2011  # the mid-year day itself counts
    assert peers.population_year("2018-12-31", [2010, 2011, 2012]) == 2012
    assert peers.population_year("2009-12-31", [2010, 2011]) == 2010  # before every year: the earliest


def test_rates_use_each_period_population_and_leave_forces_without_one_blank():
    series = pd.DataFrame({"area": ["A", "A", "B"], "period_end": pd.to_datetime(["2010-03-31", "2012-03-31", "2012-03-31"]),
                           "offences": [300, 660, 50]})
    populations = pd.DataFrame({"area": ["A", "A"], "population_year": [2009, 2011], "population": [100_000, 110_000],
                                "basis": ["mid-2009 estimate", "mid-2011 estimate"]})
    rated = peers.with_rates(series, populations)
    assert list(rated["population"][:2]) == [100_000, 110_000]
    assert list(rated["rate_per_1000"][:2]) == [3.0, 6.0]  # 300 / 100; 660 / 110
    assert list(rated["basis"][:2]) == ["mid-2009 estimate", "mid-2011 estimate"]
    table = peers.comparison_table(peers.with_index(rated, "2010-03-31"), "A", "2012-03-31", "2010-03-31")
    assert table["Residents: source"].iloc[0] == "mid-2011 estimate"  # the year is in the source already
    assert table["Residents: source"].iloc[1] == ""  # B: no population
    assert pd.isna(rated["rate_per_1000"][2])  # B has no population row


def test_index_is_each_force_rate_against_its_own_base_rate():
    rated = pd.DataFrame({"area": ["A", "A", "A", "B", "B"],
                          "period_end": pd.to_datetime(["2003-03-31", "2004-03-31", "2005-03-31", "2003-03-31", "2004-03-31"]),
                          "rate_per_1000": [4.0, 5.0, 3.0, 0.0, 2.0]})
    indexed = peers.with_index(rated, "2003-03-31")
    assert list(indexed["index"][:3]) == [100.0, 125.0, 75.0]  # 5 / 4; 3 / 4
    assert indexed["index"][3:].isna().all()  # a base rate of 0 has no index
    later = peers.with_index(rated, "2004-03-31")
    assert list(later["index"][:3]) == [80.0, 100.0, 60.0]  # 4 / 5; 3 / 5
    assert list(later["index"][3:]) == [0.0, 100.0]  # 0 / 2


def test_the_2017_break_mixes_definitions_until_the_year_ending_march_2018():
    assert BREAK.clean_from == date(2018, 3, 31)  # April 2017 + 11 months = March 2018
    assert [BREAK.mixed(d) for d in ["2017-03-31", "2017-06-30", "2017-12-31", "2018-03-31"]] == [False, True, True, False]
    assert BREAK.like_for_like("2003-03-31", "2017-03-31")  # both wholly domestic burglary
    assert BREAK.like_for_like("2018-03-31", "2018-12-31")  # both wholly residential burglary
    assert not BREAK.like_for_like("2017-03-31", "2018-03-31")  # one each side
    assert not BREAK.like_for_like("2017-06-30", "2017-09-30")  # both mixed, in different proportions


def test_series_break_reads_a_group_row():
    assert peers.series_break(pd.Series({"break_from_month": None})) is None
    row = pd.Series({"break_from_month": pd.Timestamp("2017-04-01"), "break_short_reason": "short", "break_reason": "long"})
    assert peers.series_break(row) == peers.SeriesBreak(date(2017, 4, 1), "short", "long")


def test_default_peers_are_the_supplied_most_similar_group_in_its_order():
    group = pd.DataFrame({"peer": ["Kent", "Derbyshire"], "source": ["Example grouping 2018", "Example grouping 2018"]})
    chosen = peers.default_peers("Leicestershire", group, FORCES)
    assert chosen.peers == ("Kent", "Derbyshire") and chosen.most_similar_group
    assert "Example grouping 2018" in chosen.basis


def test_without_a_most_similar_group_the_default_is_the_region_and_says_so():
    chosen = peers.default_peers("Leicestershire", NO_GROUP, FORCES)
    assert chosen.peers == ("Derbyshire", "Lincolnshire", "Nottinghamshire")
    assert not chosen.most_similar_group
    assert "East Midlands" in chosen.basis and "most_similar_groups.csv" in chosen.basis


def test_valid_peers_drop_unknown_names_the_force_itself_and_repeats():
    asked = ["Kent", "Leicestershire", "Nowhere", "Kent", "Derbyshire"]
    assert peers.valid_peers(asked, FORCES["name"], "Leicestershire") == ["Kent", "Derbyshire"]


def comparison_input() -> pd.DataFrame:
    # L: 500 offences / 100,000 = 5.0 per 1,000 (base 4.0); P1: 4.0 (base 5.0); P2: 6.0 (base 3.0)
    return pd.DataFrame({
        "area": ["L", "P1", "P2"], "period_end": pd.to_datetime(["2018-12-31"] * 3), "offences": [500, 800, 300],
        "population": [100_000, 200_000, 50_000], "population_year": [2011] * 3, "basis": ["Census 2011"] * 3,
        "rate_per_1000": [5.0, 4.0, 6.0], "base_rate_per_1000": [4.0, 5.0, 3.0], "index": [125.0, 80.0, 200.0]})


def test_comparison_table_puts_the_force_first_then_peers_by_rate_and_their_average():
    table = peers.comparison_table(comparison_input(), "L", "2018-12-31", "2003-03-31", {"P2": "small area"})
    assert list(table["Force"]) == ["L", "P1", "P2", "Average of the 3 forces (unweighted)"]
    assert list(table["Rank by rate (1 = lowest)"][:3]) == [2, 1, 3]
    assert list(table["Rate per 1,000 residents"]) == [5.0, 4.0, 6.0, 5.0]  # mean of 5, 4, 6
    assert list(table["Base rate per 1,000"]) == [4.0, 5.0, 3.0, 4.0]  # mean of 4, 5, 3
    assert list(table["Index (base = 100)"]) == [125.0, 80.0, 200.0, 125.0]  # 5 / 4
    assert list(table["Note"]) == ["", "", "small area", ""]
    assert table["12 months ending"].iloc[0] == date(2018, 12, 31)


def test_comparison_table_says_when_base_and_period_straddle_the_break():
    straddling = peers.comparison_table(comparison_input(), "L", "2018-12-31", "2003-03-31", brk=BREAK)
    assert straddling["Note"].str.startswith("Not like for like").all()
    same_side = peers.comparison_table(comparison_input(), "L", "2018-12-31", "2018-03-31", brk=BREAK)
    assert (same_side["Note"] == "").all()


def test_comparison_download_keeps_numbers_as_numbers_in_csv_and_excel():
    table = peers.comparison_table(comparison_input(), "L", "2018-12-31", "2003-03-31")
    assert str(table["Offences"].dtype) == "Int64" and table["Rate per 1,000 residents"].dtype == float
    sheet = openpyxl.load_workbook(io.BytesIO(excel_bytes(table))).active
    header = [cell.value for cell in sheet[1]]
    first = {name: cell for name, cell in zip(header, sheet[2])}
    assert first["Offences"].value == 500 and first["Offences"].data_type == "n"
    assert first["Rate per 1,000 residents"].value == 5.0 and first["Rate per 1,000 residents"].data_type == "n"
    assert first["Index (base = 100)"].value == 125.0
    assert first["12 months ending"].is_date
    csv_text = table.to_csv(index=False).splitlines()[1]
    assert csv_text.startswith("L,2018-12-31,500,100000,Census 2011,5.0,2003-03-31,4.0,125.0,2,")


def quarterly(values_by_end: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"period_end": pd.to_datetime(list(values_by_end)), "offences": list(values_by_end.values())})


def test_annual_totals_keep_one_non_overlapping_total_a_year():
    series = quarterly({"2016-03-31": 10, "2016-06-30": 11, "2016-12-31": 12, "2017-03-31": 13, "2017-06-30": 14})
    assert list(peers.annual_totals(series, 3)["offences"]) == [10, 13]
    assert list(peers.annual_totals(series, 6)["offences"]) == [11, 14]
    with pytest.raises(ValueError, match="not month 5"):
        peers.annual_totals(series, 5)


def test_annual_control_chart_rebases_at_the_first_year_the_break_touches_with_its_reason():
    ends = [f"{year}-03-31" for year in range(2013, 2019)] + ["2016-06-30", "2017-06-30", "2018-06-30"]
    series = quarterly(dict(zip(ends, [10, 12, 11, 13, 12, 30, 99, 99, 99])))
    chart = peers.annual_control_chart(series, "decrease", 3, BREAK)
    assert list(chart.points["value"]) == [10, 12, 11, 13, 12, 30]  # the March totals only
    assert list(chart.points["segment"]) == [0, 0, 0, 0, 0, 1]  # year ending March 2018 starts a new segment
    assert list(chart.points["mean"]) == [11.6, 11.6, 11.6, 11.6, 11.6, 30.0]  # 58 / 5; 30 / 1
    assert list(chart.rebases["month"]) == [pd.Timestamp("2018-03-31")]
    assert list(chart.rebases["reason"]) == ["burglary definition changed"]
    june = peers.annual_control_chart(series, "decrease", 6, BREAK)
    assert list(june.rebases["month"]) == [pd.Timestamp("2017-06-30")]  # the first June year touching April 2017
    assert list(june.points["segment"]) == [0, 1, 1]


def test_annual_control_chart_without_a_break_has_one_segment():
    series = quarterly({f"{year}-03-31": value for year, value in zip(range(2010, 2016), [5, 7, 6, 8, 7, 9])})
    chart = peers.annual_control_chart(series, "decrease", 3)
    assert chart.rebases.empty and set(chart.points["segment"]) == {0}
    assert chart.points["mean"].iloc[0] == 7.0  # 42 / 6

