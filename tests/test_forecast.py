"""Forecasts: the methods, the back-test, calibrated intervals and their out-of-sample coverage."""
import math

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import FORCE, PROJECT_ROOT, open_page
from streamlit.testing.v1 import AppTest

import dashboard_data
import queries
from analysis import forecast

# A strongly seasonal year of integers; each later year is 10 higher, so seasonal naive misses by exactly 10.
YEAR = [100, 120, 150, 170, 160, 140, 110, 90, 70, 60, 70, 85]


def stepped_years(months: int) -> np.ndarray:
    return np.array([YEAR[m % 12] + 10 * (m // 12) for m in range(months)], dtype=float)


def errors_frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["origin", "horizon", "error"])


# --- the conformal quantile ---------------------------------------------------------------------------------------

def test_conformal_quantile_takes_the_ceil_n_plus_one_times_level_th_smallest():
    scores = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]  # sorted 1 1 2 3 3 4 5 5 6 9
    assert forecast.conformal_quantile(scores, 80) == 6  # rank ceil(11 * 0.8) = 9
    assert forecast.conformal_quantile(scores, 50) == 4  # rank ceil(11 * 0.5) = 6


def test_conformal_quantile_is_infinite_when_there_are_too_few_errors_for_the_level():
    assert forecast.conformal_quantile(list(range(1, 11)), 95) == math.inf  # rank ceil(11 * 0.95) = 11 > 10
    assert forecast.conformal_quantile(list(range(1, 19)), 95) == math.inf  # 18 errors: rank 19
    assert forecast.conformal_quantile(list(range(1, 20)), 95) == 19  # 19 errors: rank ceil(20 * 0.95) = 19
    assert forecast.MIN_ERRORS == 19


def test_conformal_quantile_rank_uses_exact_integer_arithmetic():
    # (24 + 1) * 0.56 is 14.000000000000002 in floating point; the rank is 14, not 15.
    assert forecast.conformal_quantile(list(range(1, 25)), 56) == 14


def test_half_widths_pool_horizons_by_sqrt_h_and_extend_beyond_the_back_test_by_the_same_law():
    # Scaled by 1/sqrt(h): 1 2 3 4 at one month ahead, 2/2 4/2 6/2 8/2 at four: 1 1 2 2 3 3 4 4.
    errors = errors_frame([(0, 1, 1), (1, 1, -2), (2, 1, 3), (3, 1, -4), (0, 4, 2), (1, 4, -4), (2, 4, 6), (3, 4, 8)])
    widths = forecast.half_widths(errors, 50, 12)  # rank ceil(9 * 0.5) = 5: q = 3
    assert widths[0] == 3 and widths[3] == 6 and widths[8] == 9
    # Beyond the largest back-test horizon (3), the width is the 3-month width times sqrt(h / 3).
    assert widths[11] == pytest.approx(2 * widths[2]) and widths[2] == pytest.approx(3 * math.sqrt(3))
    assert list(forecast.half_widths(errors, 80, 1)) == [4]  # rank ceil(9 * 0.8) = 8


# --- the back-test ------------------------------------------------------------------------------------------------

def test_backtest_errors_are_actual_minus_forecast_for_every_origin_and_horizon():
    errors = forecast.backtest_errors(stepped_years(15), "seasonal naive")
    assert errors.values.tolist() == [[12, 1, 10], [12, 2, 10], [12, 3, 10], [13, 1, 10], [13, 2, 10], [14, 1, 10]]


def test_sequential_coverage_counts_only_forecasts_whose_interval_had_enough_earlier_errors():
    # One month ahead, origins 0..14: error 1 up to origin 9, then 5. At origin t the t earlier errors are known.
    errors = errors_frame([(origin, 1, 1 if origin < 10 else 5) for origin in range(15)])
    # Scored from origin 4 (4 known errors): origins 4..9 inside (width 1); at 10 and 11 the 80% rank
    # (ceil(11 * 0.8) = 9, ceil(12 * 0.8) = 10) still falls on a 1, so the 5 is outside; from 12 the rank is 11
    # or more, a 5, so inside. 6 + 3 = 9 of 11.
    assert forecast.sequential_coverage(errors, 80, min_errors=4) == forecast.Coverage(9, 11)
    # A forecast's own error never calibrates its interval: a huge last error is simply a miss.
    errors.loc[errors["origin"] == 14, "error"] = 1000
    assert forecast.sequential_coverage(errors, 80, min_errors=4) == forecast.Coverage(8, 11)


def test_sequential_coverage_waits_until_a_forecasts_actual_month_is_known():
    # At origin 5 the two-months-ahead forecast from origin 4 (month 5) is not yet known, so its error of 50 is left
    # out: the 80% width from five errors of 1 is 1 (rank ceil(6 * 0.8) = 5) and the error of 3 is outside.
    # Had it leaked in, the rank-6 score 50 / sqrt(2) would have covered it.
    errors = errors_frame([(origin, 1, 1) for origin in range(5)] + [(4, 2, 50), (5, 1, 3)])
    assert forecast.sequential_coverage(errors, 80, min_errors=5) == forecast.Coverage(0, 1)
    assert forecast.sequential_coverage(errors, 80, min_errors=6) == forecast.Coverage(0, 0)


def test_sequential_coverage_is_near_the_level_when_errors_are_exchangeable():
    rng = np.random.default_rng(7)
    rows = [(origin, h, rng.normal(0, math.sqrt(h))) for origin in range(400) for h in (1, 2, 3)]
    errors = errors_frame(rows)
    assert 0.77 <= forecast.sequential_coverage(errors, 80).rate <= 0.83
    assert 0.93 <= forecast.sequential_coverage(errors, 95).rate <= 0.97


def test_coverage_says_when_it_cannot_be_measured():
    assert str(forecast.Coverage(23, 24)) == "23 of 24 (96%)"
    assert math.isnan(forecast.Coverage(0, 0).rate)
    assert "too few months" in forecast.describe_coverage(forecast.Coverage(0, 0), forecast.Coverage(0, 0))
    sentence = forecast.describe_coverage(forecast.Coverage(19, 24), forecast.Coverage(24, 24))
    assert "the 80% interval held the actual value in 19 of 24 forecasts (79%) and the 95% interval in 24 of 24 " \
           "(100%)" in sentence
    assert sentence.endswith("and 86%-100% (95% binomial intervals).")  # 0.025 ** (1 / 24) = 0.858


def test_coverage_has_an_exact_binomial_interval():
    # Clopper-Pearson: with every forecast inside, the lower end is (alpha / 2) ** (1 / n) and the upper end 1;
    # with none inside, 0 and 1 - (alpha / 2) ** (1 / n).
    low, high = forecast.Coverage(24, 24).binomial_interval()
    assert low == pytest.approx(0.025 ** (1 / 24)) and high == 1
    low, high = forecast.Coverage(0, 10).binomial_interval()
    assert low == 0 and high == pytest.approx(1 - 0.025 ** (1 / 10))
    low, high = forecast.Coverage(18, 24).binomial_interval()
    assert low < 0.75 < high
    assert all(math.isnan(end) for end in forecast.Coverage(0, 0).binomial_interval())
    assert forecast.Coverage(24, 24).with_interval() == "24 of 24 (100%; 86%-100%)"
    assert forecast.Coverage(3, 4) + forecast.Coverage(1, 6) == forecast.Coverage(4, 10)


# --- choosing the method without hindsight ------------------------------------------------------------------------

def flipping_errors() -> dict[str, pd.DataFrame]:
    """One month ahead from origins 0..39. "early" misses by 1 until origin 29, then by 100; "steady" always by 5.
    Over all 40 errors "steady" is better (MAE 5 against 25.75); known by origin t are the errors of origins < t."""
    early = errors_frame([(origin, 1, 1 if origin < 30 else 100) for origin in range(40)])
    steady = errors_frame([(origin, 1, -5) for origin in range(40)])
    return {"early": early, "steady": steady}


def test_the_method_at_each_origin_is_chosen_only_from_errors_known_then():
    errors = flipping_errors()
    assert forecast.choose(errors) == "steady"  # with hindsight
    backtest = forecast.hindsight_free_backtest(errors)
    chosen = backtest.set_index("origin")["method"]
    # From origin 19 (19 known errors). Up to origin 31 "early" leads on what is known: at 31 its 30 errors of 1 and
    # one of 100 average 4.2 < 5; at 32, (30 + 200) / 32 = 7.2 > 5.
    assert chosen.index.min() == 19 and chosen.index.max() == 39
    assert (chosen.loc[19:31] == "early").all() and (chosen.loc[32:] == "steady").all()
    assert (backtest["known_through"] <= backtest["origin"]).all()
    # Each scored error is the chosen method's own: "early" misses its first 100 at origin 30, outside its intervals
    # (calibrated on errors of 1), and is scored with it.
    assert backtest.set_index("origin").loc[30, "error"] == 100
    assert forecast.backtest_coverage(backtest, 80) == forecast.Coverage(40 - 19 - 2, 40 - 19)  # misses at 30, 31


def test_the_live_forecast_chooses_from_every_error_known_now():
    # Seasonal naive is exact for a repeating year until a late break (the last six months 300 higher) makes its
    # recent errors large: the live choice, which knows them, is ETS; back-test origins that did not yet know of
    # the break keep seasonal naive (with hindsight they would all have used ETS).
    months = list(pd.date_range("2019-01-01", periods=36, freq="MS"))
    values = np.array([YEAR[m % 12] for m in range(36)], dtype=float)
    values[30:] += 300
    result = forecast.forecast_series(months, values, horizon=3)
    # Its scores are over every back-test error (origins 12..35, up to 3 months ahead), and it chose the lowest.
    assert all(s.forecasts == 24 + 23 + 22 for s in result.scores.values())
    assert result.method == "ETS (damped trend)" == min(result.scores, key=lambda name: result.scores[name].mae)
    assert (result.backtest["known_through"] <= result.backtest["origin"]).all()
    before_the_break_was_known = result.backtest[result.backtest["origin"] <= 30]
    assert (before_the_break_was_known["method"] == "seasonal naive").all()


# --- the forecast -------------------------------------------------------------------------------------------------

def test_seasonal_naive_repeats_last_year():
    history = stepped_years(30)
    assert list(forecast.seasonal_naive(history, 14)) == [history[m] for m in range(18, 30)] + [history[18], history[19]]
    with pytest.raises(ValueError, match="12 months"):
        forecast.seasonal_naive(np.arange(11.0), 3)


def test_forecast_intervals_are_the_calibrated_widths_around_the_chosen_method():
    # Seasonal naive misses by exactly 10 at every origin and horizon: scaled errors 10, 10/sqrt(2), 10/sqrt(3).
    # 18 + 17 + 16 = 51 errors; the 80% rank ceil(52 * 0.8) = 42 and the 95% rank 50 both fall among the eighteen 10s.
    months = list(pd.date_range("2020-01-01", periods=30, freq="MS"))
    history = stepped_years(30)
    result = forecast.forecast_series(months, history, horizon=4)
    assert result.method == "seasonal naive" and result.chosen.mae == 10 and result.backtest_mae == 10
    f = result.forecast
    assert list(f.mean) == [history[18], history[19], history[20], history[21]]
    assert f.upper80 - f.mean == pytest.approx([10, 10 * math.sqrt(2), 10 * math.sqrt(3), 20])
    assert f.mean - f.lower95 == pytest.approx([10, 10 * math.sqrt(2), 10 * math.sqrt(3), 20])
    # Scored from origin 20, the first with 19 known errors (8 + 7 + 6 = 21): 8 origins of 3, then 2 and 1 = 27,
    # every one inside, since each width is at least 10.
    assert result.coverage80 == forecast.Coverage(27, 27) == result.coverage95


def test_forecast_refuses_gaps_and_short_histories():
    months = list(pd.date_range("2020-01-01", periods=20, freq="MS"))
    # 19 months give origins 12..18 and 7 + 6 + 5 = 18 errors, one too few for a 95% interval; 20 give 21.
    with pytest.raises(ValueError, match="at least 20 months"):
        forecast.forecast_series(months[:19], stepped_years(19))
    assert len(forecast.backtest_errors(stepped_years(20), "seasonal naive")) == 21
    assert len(forecast.forecast_series(months, stepped_years(20), horizon=3).months) == 3
    values = stepped_years(20)
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


def test_rate_forecasts_stay_within_zero_and_one_hundred():
    months = list(pd.date_range("2020-01-01", periods=30, freq="MS"))
    values = np.clip(95 + np.linspace(0, 6, 30) + np.random.default_rng(1).normal(0, 2, 30), 0, 100)
    result = forecast.forecast_series(months, values, horizon=6, upper_bound=100.0)
    f = result.forecast
    assert np.all(f.upper95 <= 100) and np.all(f.lower95 >= 0) and f.upper95.max() == 100


def test_count_forecasts_are_clipped_at_zero():
    months = list(pd.date_range("2020-01-01", periods=30, freq="MS"))
    values = np.abs(np.random.default_rng(5).normal(0, 3, 30)).round()
    f = forecast.forecast_series(months, values, horizon=6).forecast
    assert np.all(f.lower95 >= 0) and f.lower95.min() == 0 and np.all(f.mean >= 0)


# --- the real police.uk series at force level ---------------------------------------------------------------------

POLICE_UK_FORCE_SERIES = ["all_crime", "asb_incidents", "burglary", "violence_sexual", "vehicle_crime", "shoplifting",
                          "criminal_damage_arson", "drugs", "public_order", "robbery", "theft_from_person",
                          "bicycle_theft", "other_theft", "possession_weapons", "other_crime"]


# The tests of the real series share one forecast of them, so they run on one worker (it costs seconds of CPU).
REAL_SERIES = pytest.mark.xdist_group("forecast-real-series")


@pytest.fixture(scope="module")
def force_forecasts(demo_db):
    """Forecast once per module, through the reader the benchmark uses (its own connection: demo_con is per test)."""
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        return dashboard_data.police_uk_forecasts(con, FORCE)
    finally:
        con.close()


@REAL_SERIES
def test_the_police_uk_series_are_the_real_ones(force_forecasts):
    assert sorted(force_forecasts) == sorted(POLICE_UK_FORCE_SERIES)


@REAL_SERIES
@pytest.mark.parametrize("measure_id", ["all_crime", "asb_incidents", "burglary", "violence_sexual", "vehicle_crime"])
def test_backtest_on_the_real_police_uk_series(force_forecasts, demo_con, measure_id):
    result = force_forecasts[measure_id]
    values = dashboard_data.measure_series(demo_con, measure_id, FORCE)["value"].to_numpy()
    assert len(values) == 29
    for score in result.scores.values():
        assert score.forecasts == 17 + 16 + 15  # the live choice: every error, origins 12..28, up to 3 months ahead
    assert result.chosen.mae == min(s.mae for s in result.scores.values())
    # Coverage: origins 20..28, the first with 19 known errors (8 + 7 + 6 = 21 at 20; 18 at 19): 7 * 3 + 2 + 1.
    assert result.coverage80.forecasts == result.coverage95.forecasts == 24
    assert result.coverage80.inside <= result.coverage95.inside
    assert (result.backtest["known_through"] <= result.backtest["origin"]).all()
    f = result.forecast
    assert np.all(f.lower95 <= f.lower80) and np.all(f.lower80 <= f.mean) and np.all(f.mean <= f.upper80)
    assert np.all(f.upper80 <= f.upper95) and np.all(f.lower95 >= 0)
    assert result.backtest_mae < 0.2 * values.mean()


@REAL_SERIES
def test_real_force_series_are_calibrated_taken_together(force_forecasts):
    """Over the 15 police.uk series at force level (360 out-of-sample forecasts), pooled coverage is on target."""
    pooled = forecast.pooled_coverage(force_forecasts.values())
    assert pooled[80].forecasts == pooled[95].forecasts == 15 * 24
    for level, (low, high) in forecast.POOLED_TARGETS.items():
        assert low <= pooled[level].rate <= high, (level, pooled[level])


@REAL_SERIES
def test_the_readme_s_forecast_table_is_what_the_benchmark_prints(force_forecasts, demo_con):
    names = queries.run(demo_con, "app/measures").set_index("id")["name"]
    table = forecast.coverage_table({names[m]: result for m, result in force_forecasts.items()})
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    printed = "\n".join(f"  {line}".rstrip() for line in table)  # indented under the Forecasts bullet
    assert printed in readme
    pooled = [cell.strip() for cell in table[-3].strip("|").split("|")]
    benchmarks = readme[readme.index("## Benchmarks"):]
    assert f"| {pooled[-2]} / {pooled[-1]} |" in benchmarks


def test_the_explorer_states_the_out_of_sample_coverage_beside_the_forecast(app_env):
    at = open_page("priority_explorer", priority="8. Anti-social behaviour", view="Forecast")
    captions = [c.value for c in at.caption if c.value.startswith("Method: ETS (damped trend)")]
    assert len(captions) == 1  # ASB incidents, the priority's first measure; one view is drawn at a time
    assert "over 48 forecasts" in captions[0] and "calibrated on the back-test's own errors" in captions[0]
    assert "held the actual value in 24 of 24 forecasts" in captions[0]  # 24: origins 20..28, as above
    assert "86%-100% and 86%-100% (95% binomial intervals)" in captions[0]


def test_the_explorer_s_draft_gives_the_forecast_only_for_a_stable_well_covered_series(app_env):
    def draft(priority: str) -> str:
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
        at.query_params.update({"priority": priority, "view": "Forecast", "period": "Months", "from": "2022-04",
                                "to": "2022-04"})
        at.run()
        at.switch_page("app_pages/priority_explorer.py")
        at.run()
        assert not at.exception, at.exception
        return next(w.value for w in at.warning if w.value.startswith("**Draft, not published.**"))

    # vehicle crime: common cause in April 2022, and its 80% intervals held 18 of 24 times out of sample
    vehicle_crime = draft("14. Vehicle crime")
    assert "predicted to lie between" in vehicle_crime and "(80% intervals)" in vehicle_crime
    # all recorded crime shows special cause in April 2022: no prediction is drafted for it
    assert "predicted" not in draft("11. Reduce all crime")
