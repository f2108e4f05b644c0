"""Binary, rolling and year-on-year comparisons on hand-computed cases."""
import math

import pandas as pd
import pytest

from analysis import calendar as cal
from analysis import comparisons as cmp


def monthly(first: str, values, numerators=None, denominators=None) -> pd.DataFrame:
    months = pd.date_range(first, periods=len(values), freq="MS")
    frame = pd.DataFrame({"month": months, "value": values})
    if numerators is not None:
        frame["numerator"], frame["denominator"] = numerators, denominators
    return frame


def test_financial_quarter_against_the_same_quarter_last_year():
    # April 2020 .. June 2021: 15 months valued 1..15
    series = monthly("2020-04-01", list(range(1, 16)))
    result = cmp.same_period_last_year(series, cal.quarter(2021, 1), "sum", cal.month("2020-04"))
    assert result.comparable
    assert result.current.value == 13 + 14 + 15
    assert result.previous.value == 1 + 2 + 3
    assert result.change == 36
    assert result.percent_change == pytest.approx(600.0)
    assert cmp.format_change(result, "count") == "+36 (+600.0%)"


def test_no_comparison_before_the_data_starts():
    series = monthly("2019-12-01", [100] * 8)
    result = cmp.same_period_last_year(series, cal.quarter(2020, 1), "sum", cal.month("2019-12"))
    assert not result.comparable
    assert result.reason == ("No comparison with Q1 2019/20 is possible, because the data starts in 2019-12 "
                             "(December 2019).")
    assert result.change is None and result.percent_change is None


def test_a_missing_month_makes_a_partial_period_that_is_flagged_not_compared():
    series = monthly("2020-04-01", [10] * 15).drop(index=13)  # May 2021 missing
    result = cmp.same_period_last_year(series, cal.quarter(2021, 1), "sum", cal.month("2020-04"))
    assert not result.comparable
    assert "partial period" in result.reason and "2 of 3 months" in result.reason


def test_a_partial_current_period_at_the_end_of_the_data_is_flagged():
    series = monthly("2020-04-01", [10] * 13)  # ends April 2021
    result = cmp.same_period_last_year(series, cal.quarter(2021, 1), "sum", cal.month("2020-04"))
    assert not result.comparable and "Q1 2021/22 is a partial period" in result.reason


def test_rates_are_pooled_and_compared_in_percentage_points():
    series = monthly("2020-04-01", [0] * 15, numerators=[8] * 3 + [0] * 9 + [9, 9, 9],
                     denominators=[10] * 3 + [1] * 9 + [10, 10, 10])
    result = cmp.same_period_last_year(series, cal.quarter(2021, 1), "pooled", cal.month("2020-04"))
    assert result.current.value == pytest.approx(90.0)
    assert result.previous.value == pytest.approx(80.0)
    assert cmp.format_change(result, "percentage") == "+10.0 percentage points"


def test_a_zero_last_year_has_no_percentage_change():
    series = monthly("2020-04-01", [0, 0, 0] + [1] * 9 + [5, 5, 5])
    result = cmp.same_period_last_year(series, cal.quarter(2021, 1), "sum", cal.month("2020-04"))
    assert result.comparable and result.percent_change is None
    assert cmp.format_change(result, "count") == "+15 (no percentage: the earlier figure is 0)"


def test_rolling_twelve_months_needs_twenty_four():
    series = monthly("2020-01-01", list(range(24)))
    result = cmp.rolling_twelve_months(series, cal.month("2021-12"), "sum", cal.month("2020-01"))
    assert result.comparable
    assert result.current.value == sum(range(12, 24)) and result.previous.value == sum(range(12))
    short = cmp.rolling_twelve_months(series, cal.month("2021-06"), "sum", cal.month("2020-01"))
    assert not short.comparable and "data starts in 2020-01" in short.reason


def test_rolling_totals_only_where_twelve_months_are_complete():
    series = monthly("2020-01-01", [1] * 14)
    rolled = cmp.rolling_totals(series, "sum")
    assert rolled["rolling_12_months"].tolist() == [12, 12, 12]
    assert rolled["month"].iloc[0] == pd.Timestamp("2020-12-01")


def test_year_on_year_lines_up_months_of_the_financial_year():
    series = monthly("2020-04-01", list(range(1, 25)))
    table = cmp.year_on_year(series, 2021)
    assert table["month_of_year"].tolist()[:3] == ["Apr", "May", "Jun"]
    assert table["2021/22"].tolist()[0] == 13 and table["2020/21"].tolist()[0] == 1
    assert math.isnan(cmp.year_on_year(series, 2022)["2022/23"].iloc[0])


def test_the_catalogue_says_how_each_measure_combines_months():
    import pandas as pd

    from ingest import CATALOGUE_DIR

    measures = pd.read_csv(CATALOGUE_DIR / "measures.csv").set_index("id")["aggregation"]
    assert measures["all_crime"] == "sum"
    assert measures["asb_satisfaction"] == "pooled"
    assert measures["savings_delivered"] == "latest" and measures["mh_training_completed"] == "latest"
    assert measures["missing_individuals"] == "distinct" and measures["missing_repeat_individuals"] == "distinct"
    assert measures["missing_reports"] == "sum"  # reports are events: they add up


def test_people_are_never_added_up_from_monthly_values():
    series = monthly("2021-04-01", [10, 12, 11])
    with pytest.raises(ValueError, match="counted from the records"):
        cmp.period_value(series, cal.month("2021-04"), cal.month("2021-06"), "distinct")
    with pytest.raises(ValueError, match="counted from the records"):
        cmp.rolling_totals(series, "distinct")


def test_a_rate_with_a_month_missing_its_sample_size_is_not_computed_never_added():
    # 80%, 82% and 84% with the middle month's sample size missing: the old code reported 246.0
    series = monthly("2021-04-01", [80.0, 82.0, 84.0], numerators=[80, None, 84], denominators=[100, None, 100])
    value = cmp.period_value(series, cal.month("2021-04"), cal.month("2021-06"), "pooled")
    assert value.value is None and value.months_present == 3
    assert "cannot be computed" in value.note
    assert cmp.rolling_totals(monthly("2020-04-01", [80.0] * 12), "pooled").empty


def test_a_rate_is_pooled_from_numerators_and_denominators_not_averaged():
    series = monthly("2021-04-01", [90.0, 50.0, 80.0], numerators=[9, 50, 80], denominators=[10, 100, 100])
    value = cmp.period_value(series, cal.month("2021-04"), cal.month("2021-06"), "pooled")
    assert value.value == pytest.approx(100 * 139 / 210)  # 66.19%, not the mean of the percentages (73.3%)


@pytest.mark.parametrize("change, percent, unit, text", [
    (0.0, 0.0, "count", "no change (0)"),
    (0.4, 0.1, "count", "no change (0)"),
    (1.0, 0.2, "count", "+1 (+0.2%)"),
    (-0.04, None, "percentage", "no change (0.0 percentage points)"),
    (-3.24, None, "percentage", "-3.2 percentage points"),
    (0.18, 2.4, "currency", "+£0.18m"),
    (-1.0, -50.0, "count", "-1 (-50.0%)"),
])
def test_changes_that_round_to_nothing_say_no_change(change, percent, unit, text):
    from analysis.formatting import format_change

    assert format_change(change, percent, unit) == text


def test_a_month_with_no_data_is_named_not_counted_as_zero_of_one():
    series = monthly("2020-04-01", [10] * 12)
    month = cal.month_range(cal.month("2021-04"), cal.month("2021-04"))
    result = cmp.same_period_last_year(series, month, "sum", cal.month("2020-04"))
    assert result.reason == "Not compared: April 2021 has no data."
