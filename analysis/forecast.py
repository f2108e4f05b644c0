"""Forecasts of the next months with calibrated 80% and 95% intervals.

Two candidates give the point forecast: seasonal naive (next April = last April)
and ETS (statsmodels, additive errors and damped trend). A rolling-origin
back-test forecasts 1 to 3 months ahead from every origin from month 12 (the
first at which both can forecast), and its errors do two jobs:

- Choice: the lower mean absolute error over the back-test errors known at the
  time wins (ties go to seasonal naive): for the live forecast, all of them.
- Intervals (split conformal): each error is divided by sqrt(months ahead);
  the half-width at h months ahead is q * sqrt(h), where q is the
  ceil((n + 1) * level)-th smallest of the n scaled errors. Horizons beyond the
  back-test's 3 follow the same sqrt(h) law, i.e. the 3-month width times
  sqrt(h / 3). Errors are pooled over horizons because 29 months give only
  15 to 17 errors at each, and a 95% conformal interval needs at least 19.

Coverage is measured without hindsight: at each origin t with at least 19
errors known (their actual month is at or before t), the back-test does what
the live forecast would have done then: it chooses the method from the errors
known at t and builds that method's intervals from them, so choosing,
calibrating and scoring never share an error.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

SEASON = 12
FIRST_ORIGIN = SEASON  # seasonal naive needs a year of history
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

    def binomial_interval(self, confidence: float = 0.95) -> tuple[float, float]:
        """Clopper-Pearson (exact binomial) interval for the coverage rate, treating forecasts as independent."""
        if not self.forecasts:
            return math.nan, math.nan
        from statsmodels.stats.proportion import proportion_confint  # imported here, as in ets()

        low, high = proportion_confint(self.inside, self.forecasts, alpha=1 - confidence, method="beta")
        return float(low), float(high)

    def with_interval(self) -> str:
        """e.g. "18 of 24 (75%; 53%-90%)": the count, the rate and its 95% binomial interval."""
        if not self.forecasts:
            return str(self)
        low, high = self.binomial_interval()
        return f"{self.inside} of {self.forecasts} ({self.rate:.0%}; {low:.0%}-{high:.0%})"

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(self.inside + other.inside, self.forecasts + other.forecasts)


@dataclass(frozen=True)
class BacktestScore:
    """One method's back-test errors known now: how many, and their mean absolute error (the live choice)."""
    method: str
    forecasts: int
    mae: float


@dataclass(frozen=True)
class ForecastResult:
    method: str
    months: list[pd.Timestamp]
    forecast: Forecast
    scores: dict[str, BacktestScore]
    backtest: pd.DataFrame  # see hindsight_free_backtest: one row per scored back-test forecast

    @property
    def chosen(self) -> BacktestScore:
        return self.scores[self.method]

    @property
    def coverage80(self) -> Coverage:
        return backtest_coverage(self.backtest, 80)

    @property
    def coverage95(self) -> Coverage:
        return backtest_coverage(self.backtest, 95)

    @property
    def backtest_mae(self) -> float:
        """Mean absolute error of the back-test forecasts made by the method chosen at each origin."""
        return float(np.abs(self.backtest["error"]).mean()) if len(self.backtest) else math.nan

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
    # Imported here, not above: statsmodels takes about a second of CPU to import, paid by every process that imports
    # dashboard_data (the paper's worker, the command lines) though only the Explorer's forecasts use it.
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

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


def known_at(errors: pd.DataFrame, origin: int) -> pd.DataFrame:
    """The back-test errors whose actual month was known after the first `origin` months (origin + horizon <= origin)."""
    return errors[errors["origin"] + errors["horizon"] <= origin]


def choose(known: dict[str, pd.DataFrame]) -> str:
    """The method with the lower mean absolute error over the errors given (ties: the first in METHODS)."""
    mae = {name: float(np.abs(frame["error"]).mean()) if len(frame) else math.inf for name, frame in known.items()}
    return min(mae, key=mae.__getitem__)


def hindsight_free_backtest(errors: dict[str, pd.DataFrame], min_errors: int = MIN_ERRORS) -> pd.DataFrame:
    """The back-test as the forecast would have run at each origin, using nothing later.

    At each origin t with at least min_errors errors known at t (see known_at), the method is chosen from the
    errors known at t and its interval half-widths are built from its own errors known at t; the forecasts it
    made at t are then scored. One row per scored forecast: origin, method, horizon, error, half_width80,
    half_width95, and known_through (the latest actual month, as months of history, of any error used).
    """
    columns = ["origin", "method", "horizon", "error", *(f"half_width{level}" for level in LEVELS), "known_through"]
    rows = []
    origins = sorted(set().union(*(frame["origin"] for frame in errors.values())))
    for origin in origins:
        known = {name: known_at(frame, origin) for name, frame in errors.items()}
        if min(len(frame) for frame in known.values()) < min_errors:
            continue
        method = choose(known)
        made = errors[method][errors[method]["origin"] == origin]
        steps = int(made["horizon"].max())
        widths = {level: half_widths(known[method], level, steps) for level in LEVELS}
        used = pd.concat(known.values())
        known_through = int((used["origin"] + used["horizon"]).max())
        for ahead, error in zip(made["horizon"], made["error"]):
            rows.append((origin, method, int(ahead), float(error), *(widths[level][ahead - 1] for level in LEVELS),
                         known_through))
    return pd.DataFrame(rows, columns=columns)


def backtest_coverage(backtest: pd.DataFrame, level: int) -> Coverage:
    inside = int((np.abs(backtest["error"]) <= backtest[f"half_width{level}"]).sum())
    return Coverage(inside, len(backtest))


def sequential_coverage(errors: pd.DataFrame, level: int, min_errors: int = MIN_ERRORS) -> Coverage:
    """Out-of-sample coverage of one method's conformal intervals over its back-test (columns origin, horizon, error).

    The interval for each forecast made at origin t is built only from errors whose actual month was
    known at t (origin + horizon <= t); origins with fewer than min_errors such errors are not scored.
    """
    return backtest_coverage(hindsight_free_backtest({"one method": errors}, min_errors), level)


def pooled_coverage(results) -> dict[int, Coverage]:
    """Coverage at each level over several series' back-tests taken together."""
    return {level: sum((getattr(result, f"coverage{level}") for result in results), Coverage(0, 0))
            for level in LEVELS}


# The criterion for the 80% and 95% intervals, pooled over the police.uk series at force level.
POOLED_TARGETS = {80: (0.75, 0.85), 95: (0.90, 0.98)}


def coverage_table(results: dict[str, ForecastResult]) -> list[str]:
    """The coverage report, as Markdown lines, for series named by the keys of `results`: per series the method
    chosen at the last back-test origin, the MAE of the back-test's forecasts (each by the method chosen at its
    origin) and the coverage with 95% binomial intervals; then the pooled coverage and whether it meets the
    criterion."""
    lines = ["| series | method at the last origin | MAE | 80% interval | 95% interval |", "|---|---|---|---|---|"]
    for name, result in results.items():
        lines.append(f"| {name} | {result.backtest['method'].iloc[-1]} | {result.backtest_mae:.1f} | "
                     f"{result.coverage80.with_interval()} | {result.coverage95.with_interval()} |")
    pooled = pooled_coverage(results.values())
    lines.append(f"| all {len(results)} series, pooled | | | {pooled[80].with_interval()} | "
                 f"{pooled[95].with_interval()} |")
    verdicts = [f"{level}% intervals {pooled[level].rate:.1%}, "
                f"{'inside' if low <= pooled[level].rate <= high else 'OUTSIDE'} {low:.0%}-{high:.0%}"
                for level, (low, high) in POOLED_TARGETS.items()]
    lines.append("")
    lines.append(f"Pooled criterion: {'; '.join(verdicts)}.")
    return lines


def score(method: str, errors: pd.DataFrame) -> BacktestScore:
    mae = float(np.abs(errors["error"]).mean()) if len(errors) else math.inf
    return BacktestScore(method, len(errors), mae)


def describe_coverage(coverage80: Coverage, coverage95: Coverage) -> str:
    """One sentence on the intervals' out-of-sample coverage, for beside the chart."""
    calibrated = "The intervals are calibrated on the back-test's own errors"
    if not coverage80.forecasts:
        return (f"{calibrated}; there are too few months yet to test their coverage out of sample "
                f"(each test needs {MIN_ERRORS} earlier errors).")
    low80, high80 = coverage80.binomial_interval()
    low95, high95 = coverage95.binomial_interval()
    return (f"{calibrated}. Tested out of sample (at each month, the method chosen and its intervals built only "
            f"from errors known then), the 80% interval held the actual value in {coverage80.inside} of "
            f"{coverage80.forecasts} forecasts ({coverage80.rate:.0%}) and the 95% interval in {coverage95}; "
            f"with so few forecasts the true rates could lie anywhere in {low80:.0%}-{high80:.0%} and "
            f"{low95:.0%}-{high95:.0%} (95% binomial intervals).")


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
        method = choose(errors)  # every back-test error is known now
        mean = METHODS[method](values, horizon)
    scores = {name: score(name, errors[name]) for name in METHODS}
    width = {level: half_widths(errors[method], level, horizon) for level in LEVELS}
    low = 0.0 if non_negative else None
    parts = (mean, mean - width[80], mean + width[80], mean - width[95], mean + width[95])
    if low is not None or upper_bound is not None:
        parts = tuple(np.clip(part, low, upper_bound) for part in parts)
    last = pd.Timestamp(months[-1])
    future = [last + pd.DateOffset(months=k) for k in range(1, horizon + 1)]
    return ForecastResult(method, future, Forecast(*parts), scores, hindsight_free_backtest(errors))
