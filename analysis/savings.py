"""Savings plan arithmetic: the position as at a date, the waterfall, years, and progress to the date.

Every figure comes from the plan lines (app/savings_lines.sql, app/savings_position.sql),
so the Savings page and the Overview say the same thing. Two targets are never confused:
the financial plan's shortfall (the plan lines' targets, e.g. £23.0m) and the Police and
Crime Plan's headline target (e.g. over £20m).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analysis.formatting import format_value

PARTS = ("banked_m", "forecast_m", "still_to_find_m")


@dataclass(frozen=True)
class SavingsPosition:
    as_of: date
    shortfall_m: float  # the financial plan's target: the sum of the plan lines
    banked_m: float
    forecast_m: float
    still_to_find_m: float
    plan_target_m: float | None  # the Police and Crime Plan's headline target
    target_date: date | None  # None: no plan lines are held (a database without the savings plan)

    @classmethod
    def from_row(cls, row, as_of: date) -> "SavingsPosition":
        return cls(as_of, float(row["shortfall_m"]), float(row["banked_m"]), float(row["forecast_m"]),
                   float(row["still_to_find_m"]), None if pd.isna(row["plan_target_m"]) else float(row["plan_target_m"]),
                   None if pd.isna(row["target_date"]) else pd.Timestamp(row["target_date"]).date())

    @property
    def has_plan(self) -> bool:
        return self.target_date is not None

    def sentence(self) -> str:
        """The position in words, naming which target each figure is against."""
        if not self.has_plan:
            return f"No savings plan lines are held as at {self.as_of:%B %Y}, so there is no savings position to show."
        text = (f"Financial plan, as at {self.as_of:%B %Y}: a {_money(self.shortfall_m)} shortfall = "
                f"{_money(self.banked_m)} banked + {_money(self.forecast_m)} forecast + "
                f"{_money(self.still_to_find_m)} still to find, by {self.target_date:%-d %B %Y}.")
        if self.plan_target_m is not None:
            share = self.banked_m / self.plan_target_m
            text += (f" Police and Crime Plan headline target: over {_money(self.plan_target_m)}; "
                     f"{_money(self.banked_m)} banked is {share:.0%} of it.")
        return text


def _money(value: float) -> str:
    return format_value(value, "currency")


def waterfall(position: SavingsPosition) -> pd.DataFrame:
    """Steps from the shortfall down to what is still to find: start and end of each bar, in £m."""
    shortfall, banked, forecast = position.shortfall_m, position.banked_m, position.forecast_m
    remaining = shortfall - banked - forecast
    steps = pd.DataFrame([
        {"step": "Shortfall", "start": 0.0, "end": shortfall, "amount": shortfall, "bar_kind": "total"},
        {"step": "Banked", "start": shortfall, "end": shortfall - banked, "amount": -banked, "bar_kind": "saving"},
        {"step": "Forecast", "start": shortfall - banked, "end": remaining, "amount": -forecast, "bar_kind": "saving"},
        {"step": "Still to find", "start": 0.0, "end": remaining, "amount": remaining, "bar_kind": "total"},
    ])
    steps["top"] = steps[["start", "end"]].max(axis=1)
    return steps


def by_year(lines: pd.DataFrame) -> pd.DataFrame:
    """Target, banked, forecast and still to find per financial year of the plan lines."""
    return lines.groupby("financial_year", as_index=False)[["target_m", *PARTS]].sum()


def time_elapsed_share(start: date, as_at: date, target_date: date) -> float:
    """Share of the plan's time gone by as_at (0 to 1)."""
    total = (target_date - start).days
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (as_at - start).days / total))
