"""Savings plan arithmetic: the waterfall from target to what remains, and progress to the date."""
from __future__ import annotations

from datetime import date

import pandas as pd


def waterfall(lines: pd.DataFrame) -> pd.DataFrame:
    """Steps from the target down to what remains: start and end of each bar, in £m."""
    target = float(lines["target_m"].sum())
    banked = float(lines["banked_m"].sum())
    forecast = float(lines["forecast_m"].sum())
    remaining = target - banked - forecast
    steps = pd.DataFrame([
        {"step": "Target", "start": 0.0, "end": target, "amount": target, "kind": "total"},
        {"step": "Banked", "start": target, "end": target - banked, "amount": -banked, "kind": "saving"},
        {"step": "Forecast", "start": target - banked, "end": remaining, "amount": -forecast, "kind": "saving"},
        {"step": "Still to find", "start": 0.0, "end": remaining, "amount": remaining, "kind": "total"},
    ])
    steps["top"] = steps[["start", "end"]].max(axis=1)
    return steps


def by_year(lines: pd.DataFrame) -> pd.DataFrame:
    totals = lines.groupby("financial_year", as_index=False)[["target_m", "banked_m", "forecast_m"]].sum()
    totals["remaining_m"] = totals["target_m"] - totals["banked_m"] - totals["forecast_m"]
    return totals


def time_elapsed_share(start: date, as_at: date, target_date: date) -> float:
    """Share of the plan's time gone by as_at (0 to 1)."""
    total = (target_date - start).days
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (as_at - start).days / total))
