"""Comparisons case by case: each expected figure and sentence is worked by hand from the series given."""
import math

import numpy as np
import pandas as pd
import pytest

from analysis import calendar as cal
from analysis import comparisons as cmp

Q1_2021 = cal.quarter(2021, 1)  # April to June 2021
Q1_2020 = cal.quarter(2020, 1)


def monthly(first: str, values, numerators=None, denominators=None) -> pd.DataFrame:
    frame = pd.DataFrame({"month": pd.date_range(first, periods=len(values), freq="MS"), "value": values})
    if numerators is not None:
        frame["numerator"], frame["denominator"] = numerators, denominators
    return frame


# --- one period's figure ----------------------------------------------------

def test_a_quarter_sums_its_own_three_months_only():
    # March and July 2021 lie either side of Q1 2021/22: 10 + 20 + 40 = 70.
    value = cmp.period_value(monthly("2021-03-01", [1000, 10, 20, 40, 2000]), Q1_2021.first, Q1_2021.last, "sum")
    assert (value.value, value.months_present, value.months_expected, value.complete) == (70.0, 3, 3, True)


def test_latest_takes_the_last_month_of_the_period():
    # April 10, May 20, June 40: the latest is June's 40, not April's 10 or July's 2000.
    value = cmp.period_value(monthly("2021-03-01", [1000, 10, 20, 40, 2000]), Q1_2021.first, Q1_2021.last, "latest")
    assert value.value == 40.0 and value.months_present == 3


def test_latest_of_a_partial_period_is_its_last_month_present():
    series = monthly("2021-04-01", [10, 20, 40]).drop(index=2)  # June missing
    value = cmp.period_value(series, Q1_2021.first, Q1_2021.last, "latest")
    assert (value.value, value.months_present, value.complete) == (20.0, 2, False)


def test_a_rate_is_pooled_from_numerators_and_denominators():
    # 8 of 10, 9 of 10 and 10 of 20: 27 of 40 = 67.5%, not the mean of 80%, 90% and 50% (73.3%).
    series = monthly("2021-04-01", [80.0, 90.0, 50.0], numerators=[8, 9, 10], denominators=[10, 10, 20])
    value = cmp.period_value(series, Q1_2021.first, Q1_2021.last, "pooled")
    assert value.value == pytest.approx(67.5, rel=1e-12)
    assert (value.numerator, value.denominator, value.months_present) == (27.0, 40.0, 3)


def test_a_pooled_rate_with_no_responses_has_no_value():
    series = monthly("2021-04-01", [0.0, 0.0, 0.0], numerators=[0, 0, 0], denominators=[0, 0, 0])
    value = cmp.period_value(series, Q1_2021.first, Q1_2021.last, "pooled")
    assert value.value is None and value.months_present == 3


def test_a_period_without_data_has_no_value_and_is_not_complete():
    value = cmp.period_value(monthly("2020-01-01", [5, 5]), Q1_2021.first, Q1_2021.last, "sum")
    assert (value.value, value.months_present, value.months_expected, value.complete) == (None, 0, 3, False)


def test_a_month_with_no_figure_is_not_present():
    value = cmp.period_value(monthly("2021-04-01", [10, np.nan, 40]), Q1_2021.first, Q1_2021.last, "sum")
    assert (value.value, value.months_present, value.complete) == (50.0, 2, False)


def test_a_financial_year_expects_twelve_months():
    year = cal.financial_year(2021)
    value = cmp.period_value(monthly("2021-04-01", [1] * 12), year.first, year.last, "sum")
    assert (value.value, value.months_expected, value.complete) == (12.0, 12, True)


# --- comparing two periods --------------------------------------------------

def test_a_partial_previous_period_is_flagged_not_compared():
    # April 2020 to June 2021 with May 2020 missing: last year's quarter has 2 of its 3 months.
    series = monthly("2020-04-01", [10] * 15).drop(index=1)
    result = cmp.same_period_last_year(series, Q1_2021, "sum", cal.month("2020-04"))
    assert not result.comparable
    assert result.reason == "Not compared: Q1 2020/21 is a partial period, with data for 2 of 3 months."
    assert result.current.value == 30.0 and result.previous.value == 20.0
    assert result.change is None and result.percent_change is None


def test_a_partial_current_period_is_flagged_not_compared():
    series = monthly("2020-04-01", [10] * 14)  # ends May 2021
    result = cmp.same_period_last_year(series, Q1_2021, "sum", cal.month("2020-04"))
    assert not result.comparable
    assert result.reason == "Not compared: Q1 2021/22 is a partial period, with data for 2 of 3 months."


def test_data_starting_on_the_first_month_of_last_year_is_enough():
    # April 2020 to June 2021: April-June 2020 130, April-June 2021 100 + 110 + 120 = 330.
    series = monthly("2020-04-01", [40, 50, 40] + [0] * 9 + [100, 110, 120])
    result = cmp.same_period_last_year(series, Q1_2021, "sum", cal.month("2020-04"))
    assert result.comparable and result.reason == ""
    assert (result.current_label, result.previous_label) == ("Q1 2021/22", "Q1 2020/21")
    assert result.change == 200.0
    assert result.percent_change == pytest.approx(153.846154, abs=1e-6)  # 100 x 200/130


def test_data_starting_a_month_into_last_year_is_not_compared():
    series = monthly("2020-05-01", [10] * 14)
    result = cmp.same_period_last_year(series, Q1_2021, "sum", cal.month("2020-05"))
    assert not result.comparable
    assert result.reason == "No comparison with Q1 2020/21 is possible, because the data starts in 2020-05 (May 2020)."


@pytest.mark.parametrize("previous, current, change, percent, count_text", [
    (120, 90, -30.0, -25.0, "-30 (-25.0%)"),      # 100 x -30/120
    (100, 110, 10.0, 10.0, "+10 (+10.0%)"),
    (1600, 1657, 57.0, 3.5625, "+57 (+3.6%)"),      # 100 x 57/1600 = 3.5625
    (0, 15, 15.0, None, "+15 (no percentage: the earlier figure is 0)"),              # no percentage change from zero
])
def test_change_and_percentage_change(previous, current, change, percent, count_text):
    series = monthly("2020-04-01", [previous, 0, 0] + [0] * 9 + [current, 0, 0])
    result = cmp.same_period_last_year(series, Q1_2021, "sum", cal.month("2020-04"))
    assert result.change == change
    assert result.percent_change == (None if percent is None else pytest.approx(percent, rel=1e-12))
    assert cmp.format_change(result, "count") == count_text


def test_rates_compare_in_percentage_points_and_money_in_millions():
    series = monthly("2020-04-01", [0] * 15, numerators=[8, 8, 8] + [1] * 9 + [9, 9, 7],
                     denominators=[10] * 15)
    rates = cmp.same_period_last_year(series, Q1_2021, "pooled", cal.month("2020-04"))
    # 25 of 30 (83.3%) against 24 of 30 (80.0%): +3.3 points
    assert rates.change == pytest.approx(100 / 30, rel=1e-12)
    assert cmp.format_change(rates, "percentage") == "+3.3 percentage points"
    money = cmp.same_period_last_year(monthly("2020-04-01", [1.0, 1.5, 2.0] + [0] * 9 + [3.0, 3.1, 3.25]), Q1_2021,
                                      "latest", cal.month("2020-04"))
    assert money.change == 1.25  # June 2021 3.25 against June 2020 2.0
    assert cmp.format_change(money, "currency") == "+£1.25m"


def test_a_comparison_not_made_is_explained_in_place_of_the_change():
    series = monthly("2020-05-01", [10] * 14)
    result = cmp.same_period_last_year(series, Q1_2021, "sum", cal.month("2020-05"))
    assert cmp.format_change(result, "count") == result.reason


# --- rolling 12 months -------------------------------------------------------

def test_rolling_twelve_months_are_twelve_months_against_the_twelve_before():
    # January 2020 to December 2021, valued 1..24: the last 12 sum 13+..+24 = 222, the 12 before 1+..+12 = 78.
    series = monthly("2020-01-01", list(range(1, 25)))
    result = cmp.rolling_twelve_months(series, cal.month("2021-12"), "sum", cal.month("2020-01"))
    assert result.comparable
    assert (result.current_label, result.previous_label) == ("12 months to December 2021", "12 months to December 2020")
    assert (result.current.value, result.previous.value) == (222.0, 78.0)
    assert (result.current.months_expected, result.previous.months_expected) == (12, 12)
    assert result.change == 144.0


def test_rolling_twelve_months_with_eleven_months_is_not_compared():
    series = monthly("2020-01-01", list(range(1, 25))).drop(index=12)  # January 2021 missing
    result = cmp.rolling_twelve_months(series, cal.month("2021-12"), "sum", cal.month("2020-01"))
    assert not result.comparable
    assert result.reason == "Not compared: 12 months to December 2021 is a partial period, with data for 11 of 12 months."


def test_rolling_twelve_months_before_the_data_starts():
    series = monthly("2020-02-01", list(range(1, 24)))
    result = cmp.rolling_twelve_months(series, cal.month("2021-12"), "sum", cal.month("2020-02"))
    assert not result.comparable
    assert result.reason == ("No comparison with 12 months to December 2020 is possible, because the data starts in "
                             "2020-02 (February 2020).")


def test_rolling_totals_sum_twelve_complete_months():
    # January 2020 to February 2021, valued 1..14: to December 78, to January 90, to February 102.
    rolled = cmp.rolling_totals(monthly("2020-01-01", list(range(1, 15))), "sum")
    assert rolled.columns.tolist() == ["month", "rolling_12_months"]
    assert rolled["month"].tolist() == [pd.Timestamp("2020-12-01"), pd.Timestamp("2021-01-01"), pd.Timestamp("2021-02-01")]
    assert rolled["rolling_12_months"].tolist() == [78.0, 90.0, 102.0]


def test_rolling_totals_skip_windows_with_a_missing_month():
    # January 2020 to July 2021 valued 1..19, July 2020 without a figure: every window to December 2020
    # .. June 2021 holds July 2020; the one to July 2021 (August 2020 to July 2021) is 8+..+19 = 162.
    series = monthly("2020-01-01", list(range(1, 20)))
    series.loc[6, "value"] = np.nan
    rolled = cmp.rolling_totals(series, "sum")
    assert rolled["month"].tolist() == [pd.Timestamp("2021-07-01")]
    assert rolled["rolling_12_months"].tolist() == [162.0]


def test_rolling_totals_pool_rates():
    # 6 of 10 for twelve months, then 10 of 10: 72 of 120 = 60%, then 76 of 120 = 63.33%.
    series = monthly("2020-01-01", [60.0] * 12 + [100.0], numerators=[6] * 12 + [10], denominators=[10] * 13)
    rolled = cmp.rolling_totals(series, "pooled")
    assert rolled["rolling_12_months"].tolist() == pytest.approx([60.0, 63.333333], abs=1e-6)


def test_rolling_totals_of_a_cumulative_measure_are_its_own_values():
    rolled = cmp.rolling_totals(monthly("2020-01-01", [float(v) for v in range(1, 14)]), "latest")
    assert rolled["rolling_12_months"].tolist() == [12.0, 13.0]


# --- year on year -----------------------------------------------------------

def test_year_on_year_lines_up_april_to_march():
    # April 2020 to February 2022, valued 1..23: 2021/22 is 13..23 and no March; 2020/21 is 1..12.
    table = cmp.year_on_year(monthly("2020-04-01", list(range(1, 24))), 2021)
    assert table.columns.tolist() == ["month_of_year", "order", "2021/22", "2020/21"]
    assert table["month_of_year"].tolist() == ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan",
                                               "Feb", "Mar"]
    assert table["order"].tolist() == list(range(12))
    assert table["2020/21"].tolist() == list(range(1, 13))
    assert table["2021/22"].tolist()[:11] == list(range(13, 24))
    assert math.isnan(table["2021/22"].iloc[11])


