"""One drafted sentence per rule, and no significance SPC does not show."""
import pandas as pd
import pytest

from analysis import calendar as cal
from analysis import comparisons as cmp
from analysis import narrative, spc


def points_for(values, direction="decrease", first="2020-01-01"):
    result = spc.xmr(values, spc.SpcOptions(improvement_direction=direction))
    return result.points.assign(month=pd.date_range(first, periods=len(values), freq="MS"))


def phrase(values, index, direction="decrease"):
    return narrative.spc_phrase(points_for(values, direction), index, direction)


def test_common_cause_is_within_expected_levels():
    assert phrase([10, 12, 9, 11, 10, 12, 9, 11, 10, 12, 9, 11], 11) == "within expected levels (common cause variation)"


def test_outside_the_limits_is_statistically_high():
    text = phrase([10, 12, 9, 11, 10, 12, 9, 11, 10, 12, 9, 30, 10], 11)
    assert text.startswith("statistically high (above the upper process limit")
    assert "special cause concern" in text


def test_below_the_limit_is_statistically_low_and_an_improvement_when_lower_is_better():
    text = phrase([20, 22, 19, 21, 20, 23, 21, 20, 22, 19, 21, 20, 22, 21, 13], 14)
    assert text.startswith("statistically low") and "special cause improvement" in text


def test_a_shift_is_a_sustained_reduction_since_its_first_month():
    values = [10, 11, 9, 10, 11, 9, 10, 11, 7, 7.5, 7, 7.5, 7, 7.5, 7, 7.5]
    text = phrase(values, 15)
    assert text.startswith("a sustained reduction since September 2020")


def test_a_trend_is_rising_for_seven_months():
    values = [10, 12, 9, 11, 10, 12, 9, 11, 6, 7, 8, 9, 10, 11, 12, 10, 11, 9, 12, 10]
    assert phrase(values, 14, "increase").startswith("rising for seven months")


def test_two_in_three_is_close_to_a_limit():
    values = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 11, 13, 13.5, 11, 10, 9, 10, 11]
    assert phrase(values, 13, "increase").startswith("close to the upper process limit in two of three months")


def comparison(current, previous):
    series = pd.DataFrame({"month": pd.date_range("2020-04-01", periods=15, freq="MS"),
                           "value": [previous / 3] * 3 + [1] * 9 + [current / 3] * 3})
    return cmp.same_period_last_year(series, cal.quarter(2021, 1), "sum", cal.month("2020-04"))


def point(special_cause: str, flag: int) -> narrative.SpcPoint:
    return narrative.SpcPoint("June 2021", special_cause, flag, "a phrase")


def test_binary_comparison_is_not_called_significant_without_special_cause():
    text = narrative.comparison_phrase(comparison(537, 480), "count", "quarter", is_significant=False)
    assert text == "up 12% (+57) on the same quarter last year, not a significant change"
    assert not narrative.significant(point("common_cause", 0), comparison(537, 480))


def test_significance_needs_special_cause_in_the_same_direction_as_the_change():
    up = comparison(537, 480)
    assert narrative.significant(point("concern", +1), up)
    assert not narrative.significant(point("improvement", -1), up)  # special cause low, but the quarter is up
    text = narrative.comparison_phrase(up, "count", "quarter", is_significant=True)
    assert text == ("up 12% (+57) on the same quarter last year, a statistically significant change "
                    "(SPC shows special cause in the same direction)")


def test_no_spc_means_nothing_is_said_of_significance():
    assert narrative.comparison_phrase(comparison(537, 480), "count", "quarter", is_significant=None) == \
        "up 12% (+57) on the same quarter last year"


def test_small_changes_are_written_honestly():
    assert narrative.comparison_phrase(comparison(481, 480), "count", "quarter", False) == \
        "up 0.2% (+1) on the same quarter last year, not a significant change"
    assert narrative.comparison_phrase(comparison(480, 480), "count", "quarter", False) == \
        "unchanged on the same quarter last year"


def test_a_point_beyond_the_limit_is_the_highest_since_the_last_higher_one():
    values = [30, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 25]
    points = points_for(values, "increase")
    # Screening drops the moving ranges 20 and 14 (>= 3.267 x 45/13), so the mean moving range is 1, the mean is
    # 181/14 = 12.93 and the upper limit 15.59: 25 is above it. The last value at least as high is 30, January 2020.
    assert narrative.spc_phrase(points, 13, "increase") == (
        "statistically high (above the upper process limit; special cause improvement), "
        "the highest since January 2020")
    points = points_for([10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 25], "increase")
    assert narrative.spc_phrase(points, 12, "increase").endswith("the highest since the data began in January 2020")


def test_a_full_sentence_for_asb_in_april_2020():
    values = [785, 915, 831, 1063, 1736, 1250, 1450, 1370, 1400, 1150, 900, 930, 750, 690, 680]
    points = points_for(values, first="2019-12-01")
    series = pd.DataFrame({"month": points["month"], "value": values})
    april = cal.month_range(cal.month("2020-04"), cal.month("2020-04"))
    binary = cmp.same_period_last_year(series, april, "sum", cal.month("2019-12"))
    sentence = narrative.draft_sentence(
        measure_name="ASB incidents", area_name="force area", period_label=april.label, value_text="1,736",
        point=narrative.spc_point(points, 4, "decrease"), point_context="", comparison=binary, unit="count",
        period_noun="month")
    assert sentence == ("ASB incidents, force area, April 2020: 1,736; statistically high (above the upper process "
                        "limit; special cause concern); no comparison with April 2019 is possible, because the "
                        "data starts in 2019-12 (December 2019).")


def test_a_quarter_names_its_last_month_as_the_spc_point():
    sentence = narrative.draft_sentence(
        measure_name="ASB incidents", area_name="force area", period_label="Q1 2021/22", value_text="2,969",
        point=point("common_cause", 0), point_context="the period's last month", comparison=None, unit="count")
    assert sentence == "ASB incidents, force area, Q1 2021/22: 2,969; in June 2021 (the period's last month), a phrase."


@pytest.mark.parametrize("label, noun", [("Q1 2021/22", "quarter"), ("2021/22", "financial year"),
                                         ("April 2020", "month"), ("May 2021 to April 2022", "months")])
def test_period_nouns(label, noun):
    assert narrative.period_noun(label) == noun


def test_the_forecast_is_said_only_where_the_statistics_support_it():
    months = list(pd.date_range("2022-05-01", periods=6, freq="MS"))
    lower, upper = [2650.4, 2700.0, 2600.2, 2500.0, 2400.0, 2300.0], [3000.0, 3120.4, 3050.0, 3500.0, 3600.0, 3700.0]
    count = "{:,.0f}".format
    assert narrative.forecast_clause(months, lower, upper, count, stable=True, coverage80=0.8) == \
        "predicted to lie between 2,600 and 3,120 a month from May to July 2022 (80% intervals)"
    assert narrative.forecast_clause(months, lower, upper, count, stable=False, coverage80=0.8) == ""  # special cause
    assert narrative.forecast_clause(months, lower, upper, count, stable=True, coverage80=0.6) == ""  # intervals missed
    assert narrative.forecast_clause(months, lower, upper, count, stable=True, coverage80=None) == ""  # not measured
    assert narrative.forecast_clause(months[:1], lower, upper, count, stable=True, coverage80=0.75) == \
        "predicted to lie between 2,650 and 3,000 a month from May 2022 (80% intervals)"
