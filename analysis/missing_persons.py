"""Missing-person figures derived from the record counts: shares and rates, and period names."""
from __future__ import annotations

import pandas as pd

from analysis import calendar


def with_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """Add repeat_share (% of individuals reported 2+ times) and reports_per_individual; NaN with no individuals."""
    out = frame.copy()
    individuals = out["individuals"].where(out["individuals"] > 0)
    out["repeat_share"] = (100 * out["repeat_individuals"] / individuals).round(1)
    out["reports_per_individual"] = (out["reports"] / individuals).round(2)
    return out


def period_names(period_starts: pd.Series, grain: str) -> list[str]:
    """"Q1 2021/22" for quarters, "April 2021" for months."""
    months = pd.to_datetime(period_starts).dt.to_period("M")
    if grain == "quarter":
        return [calendar.quarter_of(m).label for m in months]
    if grain == "month":
        return [calendar.month_label(m) for m in months]
    raise ValueError(f"grain must be 'quarter' or 'month', not {grain!r}")


def partial_quarters(period_starts: pd.Series, first_month: pd.Period, last_month: pd.Period) -> list[str]:
    """The quarters the data covers only in part (at either end), by name."""
    names = []
    for start in pd.to_datetime(period_starts).dt.to_period("M"):
        quarter = calendar.quarter_of(start)
        if quarter.first < first_month or quarter.last > last_month:
            names.append(quarter.label)
    return names


def is_quarter(period: calendar.Period) -> bool:
    """Breakdowns by age band are published for financial quarters only (see analysis/disclosure.py)."""
    return calendar.range_label(period.first, period.last).startswith("Q")


