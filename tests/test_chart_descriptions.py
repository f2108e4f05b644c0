"""Every chart's text alternative (Vega-Lite `description`, read out as its aria-label) says what the
data shows: the latest figure, the change and any special cause, not only the chart's layout
(WCAG 1.1.1). Each case is a small hand-built frame; the expected sentence is worked out by hand."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import spc
from analysis.formatting import change_words, chart_number
from analysis.savings import SavingsPosition
from components.peer_charts import peer_trend_chart
from components.savings_charts import banking_chart
from components.survey_charts import monthly_rate_chart, rolling_rate_chart
from components.trend_charts import forecast_chart, progress_chart, rolling_chart, small_multiples, tile_map, year_on_year_chart
from render.control_chart import chart_frame, control_chart, describe

MONTHS = pd.to_datetime(["2022-01-01", "2022-02-01", "2022-03-01"])


def description(chart) -> str:
    return chart.to_dict()["description"]


@pytest.mark.parametrize("value, words", [(512.0, "512"), (85.234, "85.2"), (3.271, "3.27"), (1234.5, "1,234.5"),
                                          (-4.0, "-4"), (float("nan"), "–")])
def test_chart_numbers(value, words):
    assert chart_number(value) == words


@pytest.mark.parametrize("now, before, words", [
    (512, 478, "up 34 (7.1%)"),  # 34 / 478 = 0.0711
    (7.5, 10, "down 2.50 (25.0%)"),
    (5, 5, "unchanged"),
    (3, 0, "up 3"),  # no percentage of nothing
    (100.004, 100, "unchanged"),  # rounds to nothing
])
def test_change_in_words(now, before, words):
    assert change_words(now, before) == words


def spc_points(**columns) -> pd.DataFrame:
    base = {"month": MONTHS, "value": [10.0, 30.0, 12.0], "mean": [12.0] * 3, "lpl": [2.0] * 3, "upl": [22.0] * 3,
            "special_cause": ["common_cause", "concern", "common_cause"],
            "rule": [0, 1, 0], "rule_words": ["common cause", "above the upper limit", "common cause"],
            "trial_limits": [True] * 3}
    return chart_frame(pd.DataFrame({**base, **columns}))


def test_control_chart_names_the_latest_point_its_change_its_limits_and_the_special_cause():
    assert describe("ASB", "Melton", spc_points()) == (
        "Control chart of ASB, Melton, January 2022 to March 2022. Latest, March 2022: 12, down 18 (60.0%) on "
        "February 2022; mean 12, process limits 2 to 22 (provisional limits: set from fewer than 13 points, to be "
        "fixed once there are enough). Special cause: February 2022 above the upper limit.")


def test_control_chart_of_common_cause_only_says_so():
    frame = spc_points(value=[10.0, 11.0, 11.0], special_cause=["common_cause"] * 3, rule=[0] * 3,
                       trial_limits=[False] * 3)
    assert describe("ASB", "Melton", frame).endswith(
        "Latest, March 2022: 11, unchanged on February 2022; mean 12, process limits 2 to 22. "
        "All points common cause variation.")


def test_control_chart_counts_other_signals_by_rule():
    frame = spc_points(special_cause=["improvement", "improvement", "common_cause"],
                       rule=[4, 4, 0], rule_words=["seven months in a row below the average"] * 2 + ["common cause"])
    assert describe("ASB", "Melton", frame).endswith(
        "Special cause: 2 other special-cause points (seven months in a row below the average).")


def test_year_on_year_gives_the_latest_month_in_both_years_and_how_many_months_are_higher():
    frame = pd.DataFrame({"month_of_year": ["Apr", "May", "Jun"], "order": [0, 1, 2],
                          "2021/22": [120.0, 90.0, None], "2020/21": [100.0, 100.0, 80.0]})
    assert description(year_on_year_chart(frame, "2021/22", "2020/21", "ASB")) == (
        "ASB: each month of 2021/22 beside the same month of 2020/21. Latest month with both, May: 90 in 2021/22 "
        "against 100 in 2020/21, down 10 (10.0%). 2021/22 is higher in 1 of 2 months with both.")


def test_rolling_compares_the_latest_12_months_with_the_12_months_a_year_before():
    months = pd.date_range("2021-01-01", "2022-01-01", freq="MS")
    frame = pd.DataFrame({"month": months, "rolling_12_months": [1000.0] + [1100.0] * 11 + [1250.0]})
    assert description(rolling_chart(frame, "ASB: rolling 12-month total", "total")) == (
        "ASB: rolling 12-month total, from January 2021 to January 2022. Latest, 12 months to January 2022: 1,250, "
        "up 250 (25.0%) on the 12 months to January 2021.")


def test_rolling_with_less_than_a_year_of_totals_compares_with_the_first():
    frame = pd.DataFrame({"month": MONTHS, "rolling_12_months": [200.0, 210.0, 190.0]})
    assert description(rolling_chart(frame, "ASB", "total")).endswith(
        "Latest, 12 months to March 2022: 190, down 10 (5.0%) on the 12 months to January 2022.")


def test_forecast_gives_the_latest_figure_and_the_next_and_last_forecasts_with_intervals():
    history = pd.DataFrame({"month": MONTHS, "value": [100.0, 110.0, 120.0]})
    ahead = pd.DataFrame({"month": pd.to_datetime(["2022-04-01", "2022-05-01"]), "forecast": [125.0, 130.0],
                          "lower80": [115.0, 112.0], "upper80": [135.0, 148.0], "lower95": [110.0, 100.5],
                          "upper95": [140.0, 159.5]})
    assert description(forecast_chart(history, ahead, "ASB: forecast", "seasonal naive")) == (
        "ASB: forecast: history to March 2022, latest 120, and a forecast by seasonal naive with 80% and 95% intervals: "
        "April 2022 125 (80% interval 115 to 135; 95% interval 110 to 140), to May 2022 130 (80% interval 112 to 148; "
        "95% interval 100.5 to 159.5).")


def test_small_multiples_rank_the_areas_in_the_latest_month():
    frame = pd.DataFrame({"area": ["Blaby", "Blaby", "Melton", "Melton"], "month": list(MONTHS[1:]) * 2,
                          "rate": [0.5, 0.75, 1.2, 0.61]})
    assert description(small_multiples(frame, "ASB by area", "per 1,000 people")) == (
        "ASB by area: one small chart per area, per 1,000 people, on a shared scale. In March 2022, the latest month, "
        "highest first: Blaby 0.75, Melton 0.61.")


def test_tile_map_lists_every_area_highest_first():
    frame = pd.DataFrame({"area_id": ["E07000129", "E07000133"], "area": ["Blaby", "Melton"], "rate": [1.25, 2.5]})
    assert description(tile_map(frame, "ASB, Q4 2021/22", "per 1,000 people")) == (
        "ASB, Q4 2021/22, per 1,000 people, highest first: Melton 2.5, Blaby 1.2.")  # 1.25 to one place: 1.2


def test_progress_gives_the_latest_figure_as_a_share_of_the_target():
    series = pd.DataFrame({"month": MONTHS, "value": [30.0, 45.0, 60.0]})
    assert description(progress_chart(series, "Training", 80.0, "%")) == (
        "Training: cumulative progress by month toward a target of 80. Latest, March 2022: 60, 75% of the target.")


def test_monthly_survey_rate_gives_the_latest_rate_interval_and_small_months():
    frame = pd.DataFrame({"month": MONTHS, "numerator": [40, 45, 30], "denominator": [50, 60, 40],
                          "rate": [80.0, 75.0, 75.0], "lower95": [67.0, 62.7, 59.8], "upper95": [88.8, 84.2, 85.8]})
    assert description(monthly_rate_chart(frame, "ASB satisfaction: monthly", 50)).endswith(
        "Latest, March 2022: 75.0% (95% interval 59.8 to 85.8, 40 responses). 1 of 3 months are small numbers.")


def test_rolling_survey_rate_gives_the_change_in_percentage_points_on_a_year_before():
    months = pd.date_range("2021-01-01", "2022-01-01", freq="MS")
    frame = pd.DataFrame({"month": months, "rate": [80.0] + [81.0] * 11 + [77.5], "lower95": [78.0] * 13,
                          "upper95": [82.0] * 13, "denominator": [600] * 13})
    assert description(rolling_rate_chart(frame, "ASB satisfaction: rolling 12 months")).endswith(
        "Latest, 12 months to January 2022: 77.5% (95% interval 78.0 to 82.0, 600 responses), -2.5 percentage points "
        "on the 12 months to January 2021.")


def test_peer_trend_adds_the_latest_period_ranked_and_the_force_change_to_the_given_description():
    frame = pd.DataFrame({"area": ["Leicestershire", "Leicestershire", "Derbyshire", "Derbyshire"],
                          "period_end": pd.to_datetime(["2017-03-31", "2018-03-31"] * 2), "value": [100.0, 90.0, 100.0, 104.0]})
    chart = peer_trend_chart(frame, "Leicestershire", value_title="Index", title="Burglary",
                             description="Burglary for Leicestershire and 1 other force.")
    assert description(chart) == (
        "Burglary for Leicestershire and 1 other force. In the 12 months to March 2018, highest first: Derbyshire 104, "
        "Leicestershire 90. Leicestershire: 90, down 10 (10.0%) on the 12 months to March 2017.")


def test_banking_gives_the_amount_banked_by_the_latest_month():
    position = SavingsPosition(as_of=pd.Timestamp("2022-03-31").date(), shortfall_m=23.0, banked_m=7.6, forecast_m=9.6,
                               still_to_find_m=5.8, target_date=pd.Timestamp("2023-03-31").date(), plan_target_m=None)
    progress = pd.DataFrame({"month": MONTHS, "banked_m": [5.0, 6.5, 7.6]})
    assert description(banking_chart(progress, position)) == (
        "Cumulative savings banked by month, reaching £7.60m by March 2022, against the £23.0m financial plan shortfall.")


def test_the_survey_charts_say_what_their_printed_figures_and_lines_are():
    """The figures printed above the monthly points and the intervals were explained only to a screen reader."""
    frame = pd.DataFrame({"month": MONTHS, "numerator": [40, 45, 30], "denominator": [50, 60, 40],
                          "rate": [80.0, 75.0, 75.0], "lower95": [67.0, 62.7, 59.8], "upper95": [88.8, 84.2, 85.8]})
    monthly = monthly_rate_chart(frame, "ASB satisfaction: monthly", 50).to_dict()
    assert monthly["layer"][0]["encoding"]["x"]["title"] == (
        "Month (figure above each point: responses; line: 95% Wilson interval)")
    rolling = rolling_rate_chart(frame, "ASB satisfaction: rolling 12 months").to_dict()
    assert rolling["layer"][0]["encoding"]["x"]["title"] == "12 months to (band: 95% Wilson interval)"


def test_the_forecast_chart_says_which_band_is_which():
    history = pd.DataFrame({"month": MONTHS, "value": [100.0, 110.0, 120.0]})
    ahead = pd.DataFrame({"month": pd.to_datetime(["2022-04-01"]), "forecast": [125.0], "lower80": [115.0],
                          "upper80": [135.0], "lower95": [110.0], "upper95": [140.0]})
    spec = forecast_chart(history, ahead, "ASB: forecast", "seasonal naive").to_dict()
    assert spec["layer"][0]["encoding"]["x"]["title"] == (
        "Month (dashed: forecast; darker band: 80% interval; lighter band: 95% interval)")
    assert [layer["mark"]["opacity"] for layer in spec["layer"][:2]] == [0.18, 0.35]  # 95% lighter, 80% darker


def test_the_forecast_chart_names_its_y_axis_by_the_measure_s_unit_as_the_other_charts_do():
    history = pd.DataFrame({"month": MONTHS, "value": [81.0, 82.0, 83.0]})
    ahead = pd.DataFrame({"month": pd.to_datetime(["2022-04-01"]), "forecast": [84.0], "lower80": [80.0],
                          "upper80": [88.0], "lower95": [78.0], "upper95": [90.0]})
    spec = forecast_chart(history, ahead, "Satisfaction: forecast", "ETS (damped trend)", "%").to_dict()

    def value_axis_titles(spec: dict) -> set:
        return {layer["encoding"]["y"].get("title") for layer in spec["layer"]
                if layer["encoding"].get("y", {}).get("field") == "value"}

    assert value_axis_titles(spec) == {"%"}
    assert value_axis_titles(forecast_chart(history, ahead, "ASB: forecast", "ETS").to_dict()) == {"count"}


def engine_points(values, **options) -> pd.DataFrame:
    points = spc.xmr(values, spc.SpcOptions(**options)).points
    return points.assign(month=pd.date_range("2021-01-01", periods=len(values), freq="MS"))


def test_the_control_chart_says_where_limits_are_undefined_and_draws():
    """A constant series, and a segment of one point after a rebase, have no limits (see test_spc_undefined_limits)."""
    frame = chart_frame(engine_points([7.0] * 15))
    assert (frame["limits"] == "limits undefined (no variation)").all()
    text = describe("Robbery", "Melton", frame)
    assert "mean 7, limits undefined (no variation)." in text and "nan" not in text.lower()
    spec = control_chart(frame, title="Robbery", description=text)
    json.dumps(spec, allow_nan=False)  # nulls, not NaN: the spec is JSON
    rows = next(iter(spec["datasets"].values()))
    assert rows[0]["close_to_limits"] is None and rows[0]["upl"] is None
    mixed = chart_frame(engine_points([10, 12, 9, 11, 13, 10, 12, 11, 9, 10, 12, 11, 30], rebase=(12,)))
    assert mixed["limits"].iloc[0] == "provisional limits: set from fewer than 13 points, to be fixed once there are enough"
    assert mixed["limits"].iloc[12].startswith("limits undefined (one point since the rebase")
