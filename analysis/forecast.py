"""Forecasts of the next months with 80% and 95% intervals, chosen by a back-test.

Two candidates: seasonal naive (next April = last April) and an ETS model
(statsmodels, additive errors and damped trend). A rolling-origin back-test over
the history scores both on mean absolute error for 1 to 3 months ahead; the
lower error wins, and the back-test's interval coverage is reported so users
can see how far to trust the intervals.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

Z = {80: 1.2815515655446004, 95: 1.959963984540054}
SEASON = 12
MIN_TRAINING = 18  # months before the first back-test origin
BACKTEST_HORIZON = 3


@dataclass(frozen=True)
class Forecast:
    mean: np.ndarray
    lower80: np.ndarray
    upper80: np.ndarray
    lower95: np.ndarray
    upper95: np.ndarray


@dataclass(frozen=True)
class BacktestScore:
    method: str
    forecasts: int
    mae: float
    coverage80: float
    coverage95: float


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


def seasonal_naive(history: np.ndarray, horizon: int, season: int = SEASON) -> Forecast:
    history = np.asarray(history, dtype=float)
    if len(history) <= season + 1:
        raise ValueError(f"seasonal naive needs more than {season + 1} months of history")
    steps = np.arange(1, horizon + 1)
    mean = history[len(history) - season + (steps - 1) % season]
    residuals = history[season:] - history[:-season]
    sigma = float(np.std(residuals, ddof=1))
    spread = sigma * np.sqrt((steps - 1) // season + 1)
    return _with_intervals(mean, spread)


def ets(history: np.ndarray, horizon: int) -> Forecast:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    history = np.asarray(history, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = ETSModel(pd.Series(history), error="add", trend="add", damped_trend=True).fit(disp=False)
        prediction = fitted.get_prediction(start=len(history), end=len(history) + horizon - 1)
        frames = {level: prediction.summary_frame(alpha=1 - level / 100) for level in (80, 95)}
    mean = np.asarray(frames[80]["mean"], dtype=float)
    return Forecast(mean, np.asarray(frames[80]["pi_lower"]), np.asarray(frames[80]["pi_upper"]),
                    np.asarray(frames[95]["pi_lower"]), np.asarray(frames[95]["pi_upper"]))


METHODS = {"seasonal naive": seasonal_naive, "ETS (damped trend)": ets}


def _with_intervals(mean: np.ndarray, spread: np.ndarray) -> Forecast:
    return Forecast(mean, mean - Z[80] * spread, mean + Z[80] * spread, mean - Z[95] * spread, mean + Z[95] * spread)


def backtest(history: np.ndarray, method: str, horizon: int = BACKTEST_HORIZON,
             min_training: int = MIN_TRAINING) -> BacktestScore:
    """Rolling origin: fit on the first t months, forecast the next `horizon`, for every t."""
    history = np.asarray(history, dtype=float)
    errors, inside80, inside95 = [], [], []
    for origin in range(min_training, len(history)):
        steps = min(horizon, len(history) - origin)
        try:
            result = METHODS[method](history[:origin], steps)
        except ValueError:
            continue
        actual = history[origin:origin + steps]
        errors.extend(np.abs(actual - result.mean))
        inside80.extend((actual >= result.lower80) & (actual <= result.upper80))
        inside95.extend((actual >= result.lower95) & (actual <= result.upper95))
    if not errors:
        return BacktestScore(method, 0, float("inf"), float("nan"), float("nan"))
    return BacktestScore(method, len(errors), float(np.mean(errors)), float(np.mean(inside80)), float(np.mean(inside95)))


def forecast_series(months: list[pd.Timestamp], values: np.ndarray, horizon: int = 6,
                    non_negative: bool = True, upper_bound: float | None = None) -> ForecastResult:
    """Choose a method by back-test and forecast `horizon` months (3 to 6) after the last.

    Forecasts and intervals are clipped at zero (counts) and at upper_bound (100 for rates).
    """
    if not 1 <= horizon <= 12:
        raise ValueError("horizon must be between 1 and 12 months")
    values = np.asarray(values, dtype=float)
    if len(values) < MIN_TRAINING + 1:
        raise ValueError(f"a forecast needs at least {MIN_TRAINING + 1} months of history; there are {len(values)}")
    if np.isnan(values).any():
        raise ValueError("the history has missing months; a forecast needs a complete series")
    scores = {name: backtest(values, name) for name in METHODS}
    method = min(scores, key=lambda name: scores[name].mae)
    result = METHODS[method](values, horizon)
    if non_negative or upper_bound is not None:
        low = 0 if non_negative else None
        result = Forecast(*(np.clip(part, low, upper_bound) for part in (result.mean, result.lower80, result.upper80,
                                                                         result.lower95, result.upper95)))
    last = pd.Timestamp(months[-1])
    future = [last + pd.DateOffset(months=k) for k in range(1, horizon + 1)]
    return ForecastResult(method, future, result, scores)
