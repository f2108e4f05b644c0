"""Survey rates: Wilson score intervals and rolling pooled rates."""
from __future__ import annotations

import numpy as np
import pandas as pd

Z95 = 1.959963984540054


def wilson_interval(successes, trials, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion, as proportions (0-1). NaN where trials is 0.

    centre = (p + z²/2n) / (1 + z²/n); half-width = z sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n)
    """
    successes = np.asarray(successes, dtype=float)
    trials = np.asarray(trials, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / trials
        denominator = 1 + z**2 / trials
        centre = (p + z**2 / (2 * trials)) / denominator
        half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / denominator
    # Exactly, 0 <= lower and upper <= 1; rounding can step past them by 1e-16 (0 of 21, 16 of 16).
    lower, upper = np.maximum(centre - half, 0), np.minimum(centre + half, 1)
    empty = trials <= 0
    return np.where(empty, np.nan, lower), np.where(empty, np.nan, upper)


def with_wilson(frame: pd.DataFrame, successes: str = "numerator", trials: str = "denominator") -> pd.DataFrame:
    """Add rate, lower95 and upper95 (percent) to a frame of successes and trials."""
    out = frame.copy()
    lower, upper = wilson_interval(out[successes], out[trials])
    out["rate"] = 100 * out[successes] / out[trials]
    out["lower95"], out["upper95"] = 100 * lower, 100 * upper
    return out


def rolling_pooled(frame: pd.DataFrame, months: int = 12) -> pd.DataFrame:
    """Rolling pooled numerators and denominators over `months` complete calendar months."""
    monthly = frame.set_index(pd.to_datetime(frame["month"]))[["numerator", "denominator"]].asfreq("MS")
    # A window with a missing month (or a missing figure) sums to NaN, and is dropped.
    rolled = monthly.rolling(months).sum().dropna().reset_index()
    return with_wilson(rolled)


def small_numbers(trials: float | None, threshold: int) -> bool:
    return trials is not None and trials == trials and trials < threshold
