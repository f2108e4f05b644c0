"""Forecasts: the methods, the back-test, and the real police.uk series."""
import numpy as np
import pandas as pd
import pytest
from conftest import FORCE

from analysis import forecast


def test_seasonal_naive_repeats_last_year_with_widening_intervals():
    history = np.array([float(m % 12) for m in range(30)])
    result = forecast.seasonal_naive(history + np.r_[np.zeros(12), np.ones(18) * 0.5], 14)
    assert result.mean[0] == history[18] + 0.5
    width = result.upper95 - result.lower95
    assert width[12] > width[11]
    assert np.all(result.lower80 >= result.lower95) and np.all(result.upper80 <= result.upper95)


def test_seasonal_naive_needs_more_than_a_year():
    with pytest.raises(ValueError):
        forecast.seasonal_naive(np.arange(13.0), 3)


def test_forecast_refuses_gaps_and_short_histories():
    months = list(pd.date_range("2020-01-01", periods=20, freq="MS"))
    with pytest.raises(ValueError, match="at least"):
        forecast.forecast_series(months[:10], np.arange(10.0))
    values = np.arange(20.0)
    values[5] = np.nan
    with pytest.raises(ValueError, match="missing"):
        forecast.forecast_series(months, values)


def test_backtest_on_a_strongly_seasonal_series_prefers_seasonal_naive():
    rng = np.random.default_rng(3)
    months = list(pd.date_range("2018-01-01", periods=48, freq="MS"))
    values = 100 + 40 * np.sin(2 * np.pi * np.arange(48) / 12) + rng.normal(0, 2, 48)
    result = forecast.forecast_series(months, values, horizon=6)
    assert result.method == "seasonal naive"
    assert result.months[0] == pd.Timestamp("2022-01-01") and len(result.months) == 6


@pytest.mark.parametrize("measure_id", ["all_crime", "asb_incidents", "burglary", "vehicle_crime"])
def test_backtest_on_the_real_police_uk_series(demo_con, measure_id):
    frame = demo_con.execute(
        "SELECT month, value FROM observations WHERE measure_id = ? AND area_id = ? ORDER BY month", [measure_id, FORCE]
    ).df()
    result = forecast.forecast_series(list(pd.to_datetime(frame["month"])), frame["value"].to_numpy(), horizon=6)
    for score in result.scores.values():
        assert score.forecasts == 30  # origins 18..28, up to 3 months ahead each
        assert 0 <= score.coverage80 <= score.coverage95 <= 1
    assert result.chosen.mae == min(s.mae for s in result.scores.values())
    # Intervals are nested, counts never forecast below zero, and the chosen method holds up.
    f = result.forecast
    assert np.all(f.lower95 <= f.lower80) and np.all(f.lower80 <= f.mean) and np.all(f.mean <= f.upper80)
    assert np.all(f.lower95 >= 0)
    assert result.chosen.coverage95 >= 0.8
    assert result.chosen.mae < 0.2 * frame["value"].mean()


def test_rate_forecasts_stay_within_zero_and_one_hundred():
    months = list(pd.date_range("2020-01-01", periods=30, freq="MS"))
    values = np.clip(95 + np.linspace(0, 6, 30) + np.random.default_rng(1).normal(0, 2, 30), 0, 100)
    result = forecast.forecast_series(months, values, horizon=6, upper_bound=100.0)
    assert np.all(result.forecast.upper95 <= 100) and np.all(result.forecast.lower95 >= 0)
