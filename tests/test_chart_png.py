"""Every chart kind the app offers as a PNG renders to a picture that shows its data (vl-convert),
from the same spec as on screen: not blank, not squeezed, with bars that do not overlap."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from conftest import FORCE
from PIL import Image

import dashboard_data
import datastore
from analysis import calendar as cal
from analysis import comparisons
from analysis.forecast import forecast_series
from analysis.savings import waterfall
from components.downloads import chart_png
from components.savings_charts import banking_chart, waterfall_chart
from components.survey_charts import comparison_chart, monthly_rate_chart, rolling_rate_chart
from components.trend_charts import forecast_chart, progress_chart, rolling_chart, small_multiples, tile_map, year_on_year_chart
from render.control_chart import chart_frame, control_chart, describe


def picture(chart) -> np.ndarray:
    image = Image.open(io.BytesIO(chart_png(chart, scale=1.0))).convert("L")
    return np.asarray(image)


def assert_shows_data(chart, min_width: int = 300, min_height: int = 150) -> np.ndarray:
    pixels = picture(chart)
    height, width = pixels.shape
    assert width >= min_width and height >= min_height, (width, height)
    dark = (pixels < 200).mean()
    assert dark > 0.01, f"the picture is nearly blank ({dark:.2%} dark pixels)"
    return pixels


@pytest.fixture(scope="module")
def asb(demo_db):
    import duckdb

    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


def test_control_chart(asb):
    charted = dashboard_data.charted_series(asb, "asb_incidents", FORCE)
    frame = chart_frame(charted.points)
    assert_shows_data(control_chart(frame, title="ASB", description=describe("ASB", "force", frame),
                                    highlight=(pd.Timestamp("2021-04-01"), pd.Timestamp("2021-06-01"))))


def test_quarterly_control_chart_of_people(asb):
    charted = dashboard_data.charted_series(asb, "missing_individuals", FORCE, period=cal.quarter(2021, 1))
    frame = chart_frame(charted.points, charted.point_labels)
    assert_shows_data(control_chart(frame, title="People", description=describe("People", "force", frame)))


@pytest.mark.parametrize("year", [2021, 2022])  # 2022/23 has April alone: the chart once came out blank
def test_year_on_year(asb, year):
    series = dashboard_data.measure_series(asb, "asb_incidents", FORCE)
    table = comparisons.year_on_year(series, year)
    this, last = cal.financial_year_label(year), cal.financial_year_label(year - 1)
    assert_shows_data(year_on_year_chart(table, this, last, "ASB year on year", "count"))


def test_rolling(asb):
    rolled = dashboard_data.rolling_series(asb, {"id": "asb_incidents", "aggregation": "sum"}, FORCE)
    assert_shows_data(rolling_chart(rolled, "ASB rolling", "rolling 12-month total"))


def test_forecast(asb):
    series = dashboard_data.measure_series(asb, "asb_incidents", FORCE)
    result = forecast_series(list(series["month"]), series["value"].to_numpy(), 6)
    assert_shows_data(forecast_chart(series[["month", "value"]], result.frame(), "ASB forecast", result.method))


def test_small_multiples_and_tile_map(asb):
    measure = {"id": "asb_incidents", "aggregation": "sum"}
    rates = dashboard_data.monthly_by_area(asb, measure)
    leaves = rates[rates["kind"].isin(["district", "unitary authority"])]
    assert_shows_data(small_multiples(leaves, "ASB by area", "per 1,000 people"))
    summary = dashboard_data.areas_in_period(asb, measure, cal.quarter(2021, 1))
    assert_shows_data(tile_map(summary, "ASB Q1", "per 1,000 people"))


def test_progress(asb):
    series = dashboard_data.measure_series(asb, "mh_training_completed", FORCE)
    assert_shows_data(progress_chart(series, "Training", 90.0, "%"))


def test_savings_waterfall_bars_do_not_overlap(asb):
    position = dashboard_data.savings_position(asb, cal.quarter(2021, 4).end)
    pixels = assert_shows_data(waterfall_chart(waterfall(position), position), min_width=600)
    # Across the middle of the plot, the four bars are separate runs of colour with white between them.
    row = pixels[pixels.shape[0] * 2 // 3]
    coloured = row < 150
    runs = np.flatnonzero(np.diff(coloured.astype(int)) == 1)
    assert len(runs) >= 2  # at two-thirds height: the shortfall, forecast and still-to-find bars, apart


def test_savings_banking(asb):
    position = dashboard_data.savings_position(asb, cal.quarter(2021, 4).end)
    progress = dashboard_data.savings_progress(asb, cal.quarter(2021, 4).end)
    progress["month"] = pd.to_datetime(progress["month"])
    assert_shows_data(banking_chart(progress, position))


def test_survey_charts(asb):
    surveys = datastore.run_query(asb, "app/survey_series", {"area_id": FORCE})
    surveys["month"] = pd.to_datetime(surveys["month"])
    from analysis.proportions import rolling_pooled, with_wilson
    from analysis.satisfaction import survey_summary

    summary = survey_summary(surveys, cal.quarter(2021, 2), 50)
    assert_shows_data(comparison_chart(summary[summary["denominator"] > 0], "Surveys", 50))
    one = surveys[surveys["measure_id"] == "asb_satisfaction"].reset_index(drop=True)
    assert_shows_data(monthly_rate_chart(with_wilson(one), "ASB satisfaction", 50))
    assert_shows_data(rolling_rate_chart(rolling_pooled(one), "ASB satisfaction rolling"))
