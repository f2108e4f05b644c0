"""Forecasts of the next months with calibrated 80% and 95% intervals.

Two candidates give the point forecast: seasonal naive (next April = last April)
and ETS (statsmodels, additive errors and damped trend). A rolling-origin
back-test forecasts 1 to 3 months ahead from every origin from month 12 (the
first at which both can forecast), and its errors do two jobs:

- Choice: the lower mean absolute error over origins from month 18 wins.
- Intervals (split conformal): each error is divided by sqrt(months ahead);
  the half-width at h months ahead is q * sqrt(h), where q is the
  ceil((n + 1) * level)-th smallest of the n scaled errors. Horizons beyond the
  back-test's 3 follow the same sqrt(h) law, i.e. the 3-month width times
  sqrt(h / 3). Errors are pooled over horizons because 29 months give only
  15 to 17 errors at each, and a 95% conformal interval needs at least 19.

Coverage is measured out of sample: the interval for a forecast made at origin
t uses only errors whose actual month was known at t, from origins with at
least 19 such errors, so calibrating and scoring never share an error.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from threadpoolctl import threadpool_limits

SEASON = 12
FIRST_ORIGIN = SEASON  # seasonal naive needs a year of history
SELECTION_ORIGIN = 18  # origins from here score the methods
BACKTEST_HORIZON = 3
LEVELS = (80, 95)
# The fewest errors for a finite 95% interval: ceil((19 + 1) * 0.95) = 19 <= 19, while 18 errors would need the 19th.
MIN_ERRORS = 19
# 20 months give origins 12..19 and 8 + 7 + 6 = 21 errors; 19 months give only 18.
MIN_HISTORY = 20


@dataclass(frozen=True)
class Forecast:
    mean: np.ndarray
    lower80: np.ndarray
    upper80: np.ndarray
    lower95: np.ndarray
    upper95: np.ndarray


@dataclass(frozen=True)
class Coverage:
    """How many back-test forecasts fell inside their interval, out of how many."""
    inside: int
    forecasts: int

    @property
    def rate(self) -> float:
        return self.inside / self.forecasts if self.forecasts else math.nan

    def __str__(self) -> str:
        return f"{self.inside} of {self.forecasts} ({self.rate:.0%})" if self.forecasts else "not measurable"


@dataclass(frozen=True)
class BacktestScore:
    method: str
    forecasts: int  # scored for the choice (origins from SELECTION_ORIGIN)
    mae: float
    coverage80: Coverage
    coverage95: Coverage


@dataclass(frozen=True)
class ForecastResult:
    method: str
    months: list[pd.Timestamp]
    forecast: Forecast
    scores: dict[str, BacktestScore]

    @property
    def chosen(self) -> BacktestScore:
        return self.scores[self.method]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({
            "month": self.months, "forecast": self.forecast.mean,
            "lower80": self.forecast.lower80, "upper80": self.forecast.upper80,
            "lower95": self.forecast.lower95, "upper95": self.forecast.upper95,
        })


def seasonal_naive(history: np.ndarray, horizon: int, season: int = SEASON) -> np.ndarray:
    history = np.asarray(history, dtype=float)
    if len(history) < season:
        raise ValueError(f"seasonal naive needs at least {season} months of history")
    steps = np.arange(1, horizon + 1)
    return history[len(history) - season + (steps - 1) % season]


def ets(history: np.ndarray, horizon: int) -> np.ndarray:
    history = np.asarray(history, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short histories; the back-test judges the fit
        fitted = ETSModel(pd.Series(history), error="add", trend="add", damped_trend=True).fit(disp=False)
        return np.asarray(fitted.forecast(horizon), dtype=float)


METHODS = {"seasonal naive": seasonal_naive, "ETS (damped trend)": ets}


def conformal_quantile(scores: np.ndarray, level: int) -> float:
    """The ceil((n + 1) * level / 100)-th smallest of n scores; infinite when n is too few for the level."""
    ordered = np.sort(np.asarray(scores, dtype=float))
    rank = -(-(len(ordered) + 1) * level // 100)  # integer ceiling: no float rounding at the boundary
    return float(ordered[rank - 1]) if rank <= len(ordered) else math.inf


def half_widths(errors: pd.DataFrame, level: int, steps: int) -> np.ndarray:
    """Interval half-widths 1..steps months ahead from back-test errors (columns horizon, error)."""
    scaled = np.abs(errors["error"].to_numpy(dtype=float)) / np.sqrt(errors["horizon"].to_numpy(dtype=float))
    return conformal_quantile(scaled, level) * np.sqrt(np.arange(1, steps + 1))


def backtest_errors(history: np.ndarray, method: str, horizon: int = BACKTEST_HORIZON,
                    first_origin: int = FIRST_ORIGIN) -> pd.DataFrame:
    """Rolling origin: fit on the first t months and forecast the next `horizon`, for every t from first_origin.

    One row per forecast: origin (months of history used), horizon (months ahead), error (actual - forecast).
    """
    history = np.asarray(history, dtype=float)
    rows = []
    for origin in range(first_origin, len(history)):
        steps = min(horizon, len(history) - origin)
        errors = history[origin:origin + steps] - METHODS[method](history[:origin], steps)
        rows.extend((origin, ahead, error) for ahead, error in enumerate(errors, start=1))
    return pd.DataFrame(rows, columns=["origin", "horizon", "error"]).astype({"origin": int, "horizon": int})


def sequential_coverage(errors: pd.DataFrame, level: int, min_errors: int = MIN_ERRORS) -> Coverage:
    """Out-of-sample coverage of the conformal intervals over a back-test (columns origin, horizon, error).

    The interval for each forecast made at origin t is built only from errors whose actual month was
    known at t (origin + horizon <= t); origins with fewer than min_errors such errors are not scored.
    """
    inside = forecasts = 0
    for origin, made in errors.groupby("origin", sort=True):
        known = errors[errors["origin"] + errors["horizon"] <= origin]
        if len(known) < min_errors:
            continue
        widths = half_widths(known, level, int(made["horizon"].max()))
        inside += int((np.abs(made["error"].to_numpy()) <= widths[made["horizon"].to_numpy() - 1]).sum())
        forecasts += len(made)
    return Coverage(inside, forecasts)


def score(method: str, errors: pd.DataFrame) -> BacktestScore:
    scored = errors[errors["origin"] >= SELECTION_ORIGIN]
    mae = float(np.abs(scored["error"]).mean()) if len(scored) else math.inf
    return BacktestScore(method, len(scored), mae, sequential_coverage(errors, 80), sequential_coverage(errors, 95))


def describe_coverage(chosen: BacktestScore) -> str:
    """One sentence on the intervals' out-of-sample coverage, for beside the chart."""
    calibrated = "The intervals are calibrated on the back-test's own errors"
    if not chosen.coverage80.forecasts:
        return (f"{calibrated}; there are too few months yet to test their coverage out of sample "
                f"(each test needs {MIN_ERRORS} earlier errors).")
    return (f"{calibrated}. Tested out of sample (each interval built only from errors known when its forecast was "
            f"made), the 80% interval held the actual value in {chosen.coverage80.inside} of "
            f"{chosen.coverage80.forecasts} forecasts ({chosen.coverage80.rate:.0%}) and the 95% interval in "
            f"{chosen.coverage95}.")


def forecast_series(months: list[pd.Timestamp], values: np.ndarray, horizon: int = 6,
                    non_negative: bool = True, upper_bound: float | None = None) -> ForecastResult:
    """Choose a method by back-test and forecast `horizon` months (3 to 6) after the last, with calibrated intervals.

    Forecasts and intervals are clipped at zero (counts) and at upper_bound (100 for rates). Clipping
    never changes coverage, since an actual value lies within the same bounds.
    """
    if not 1 <= horizon <= 12:
        raise ValueError("horizon must be between 1 and 12 months")
    values = np.asarray(values, dtype=float)
    if len(values) < MIN_HISTORY:
        raise ValueError(f"a forecast needs at least {MIN_HISTORY} months of history; there are {len(values)}")
    if np.isnan(values).any():
        raise ValueError("the history has missing months; a forecast needs a complete series")
    # ETS fits tiny matrices: a second BLAS thread only contends for the core (six times slower on a busy 2-core host).
    with threadpool_limits(limits=1, user_api="blas"):
        errors = {name: backtest_errors(values, name) for name in METHODS}
        scores = {name: score(name, errors[name]) for name in METHODS}
        method = min(scores, key=lambda name: scores[name].mae)
        mean = METHODS[method](values, horizon)
    width = {level: half_widths(errors[method], level, horizon) for level in LEVELS}
    low = 0.0 if non_negative else None
    parts = (mean, mean - width[80], mean + width[80], mean - width[95], mean + width[95])
    if low is not None or upper_bound is not None:
        parts = tuple(np.clip(part, low, upper_bound) for part in parts)
    last = pd.Timestamp(months[-1])
    future = [last + pd.DateOffset(months=k) for k in range(1, horizon + 1)]
    return ForecastResult(method, future, Forecast(*parts), scores)
