"""Binary, year-on-year and rolling 12-month comparisons, with their limits stated.

A series is a DataFrame with columns month (Timestamp, first of month), value, and
for rates numerator and denominator. Partial periods and periods before the data
starts are flagged with a reason, never silently compared.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import calendar, formatting


@dataclass(frozen=True)
class PeriodValue:
    """A period's figure. value None with months present means it cannot be computed; `note` says why."""

    value: float | None
    months_present: int
    months_expected: int
    numerator: float | None = None
    denominator: float | None = None
    note: str = ""

    @property
    def complete(self) -> bool:
        return self.months_present == self.months_expected


@dataclass(frozen=True)
class Comparison:
    """This period against an earlier one. `comparable` False means `reason` says why not."""

    current_label: str
    previous_label: str
    current: PeriodValue
    previous: PeriodValue
    comparable: bool
    reason: str

    @property
    def change(self) -> float | None:
        if not self.comparable:
            return None
        return self.current.value - self.previous.value

    @property
    def percent_change(self) -> float | None:
        if not self.comparable or not self.previous.value:
            return None
        return 100 * (self.current.value - self.previous.value) / self.previous.value


def _months(series: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(series["month"]).dt.to_period("M")


AGGREGATIONS = ("sum", "pooled", "latest", "distinct")


@dataclass(frozen=True)
class MonthlyArrays:
    """A series as plain arrays, converted once: comparing a table's forty measures four ways each converted
    their frames' months 320 times."""

    months: np.ndarray  # datetime64[M]
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray | None  # None: the series has no sample sizes

    @classmethod
    def of(cls, series: pd.DataFrame) -> MonthlyArrays:
        months = series["month"]
        if not pd.api.types.is_datetime64_dtype(months):
            months = pd.to_datetime(months)
        return cls(months.to_numpy(dtype="datetime64[M]"),
                   series["value"].to_numpy(dtype=float),
                   series["numerator"].to_numpy(dtype=float) if "numerator" in series else np.full(len(series), np.nan),
                   series["denominator"].to_numpy(dtype=float) if "denominator" in series else None)


def period_value(series: pd.DataFrame | MonthlyArrays, first: pd.Period, last: pd.Period, how: str) -> PeriodValue:
    """The period's total (sum), pooled rate (pooled) or latest value (latest) over months first..last.

    Distinct counts of people cannot be made from monthly values (a person reported in two
    months is one person): they are counted from the records and given to compare_values.
    A rate with a month lacking its sample size cannot be pooled, and monthly percentages
    are never added or averaged: the value is None and `note` says why.
    """
    if how not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {how!r}")
    if how == "distinct":
        raise ValueError("distinct counts of people are counted from the records, not from monthly values")
    arrays = series if isinstance(series, MonthlyArrays) else MonthlyArrays.of(series)
    months = arrays.months
    ordinals = np.asarray(months, dtype="datetime64[M]").view("int64")  # months since January 1970, as Period.ordinal
    inside = (ordinals >= first.ordinal) & (ordinals <= last.ordinal)
    values = arrays.value[inside]
    expected = (last - first).n + 1
    present = int(np.isfinite(values).sum())
    if present == 0:
        return PeriodValue(None, 0, expected)
    if how == "pooled":
        denominators = arrays.denominator[inside] if arrays.denominator is not None else np.full(len(values), np.nan)
        if np.isnan(denominators[np.isfinite(values)]).any():
            return PeriodValue(None, present, expected, note=(
                "The rate cannot be computed for the period: a month has no sample size, and monthly "
                "percentages are never added or averaged."))
        numerator = float(np.nansum(arrays.numerator[inside]))
        denominator = float(np.nansum(denominators))
        value = 100 * numerator / denominator if denominator else None
        return PeriodValue(value, present, expected, numerator, denominator)
    if how == "latest":
        order = np.argsort(months[inside], kind="stable")
        dated = values[order]
        return PeriodValue(float(dated[np.isfinite(dated)][-1]), present, expected)
    return PeriodValue(float(np.nansum(values)), present, expected)


def compare_values(current: calendar.Period, previous: calendar.Period, now: PeriodValue, before: PeriodValue,
                   data_start: pd.Period) -> Comparison:
    """Compare two period values, or say why they cannot be compared."""
    start = calendar.month_label(data_start)
    if previous.first < data_start:
        reason = (f"No comparison with {previous.label} is possible, because the data starts in "
                  f"{data_start} ({start}).")
        return Comparison(current.label, previous.label, now, before, False, reason)
    for label, part in ((current.label, now), (previous.label, before)):
        if part.months_present == 0:
            return Comparison(current.label, previous.label, now, before, False, f"Not compared: {label} has no data.")
        if not part.complete:
            reason = (f"Not compared: {label} is a partial period, with data for {part.months_present} "
                      f"of {part.months_expected} months.")
            return Comparison(current.label, previous.label, now, before, False, reason)
    for label, part in ((current.label, now), (previous.label, before)):
        if part.value is None:
            reason = f"Not compared: {part.note or f'{label} has no figure.'}"
            return Comparison(current.label, previous.label, now, before, False, reason)
    return Comparison(current.label, previous.label, now, before, True, "")


def compare(series: pd.DataFrame | MonthlyArrays, current: calendar.Period, previous: calendar.Period, how: str,
            data_start: pd.Period) -> Comparison:
    now = period_value(series, current.first, current.last, how)
    before = period_value(series, previous.first, previous.last, how)
    return compare_values(current, previous, now, before, data_start)


def rolling_periods(end: pd.Period) -> tuple[calendar.Period, calendar.Period]:
    """The 12 months to `end` and the 12 months before them, labelled."""
    current = calendar.Period(end - 11, end, f"12 months to {calendar.month_label(end)}")
    previous = calendar.Period(end - 23, end - 12, f"12 months to {calendar.month_label(end - 12)}")
    return current, previous


def same_period_last_year(series: pd.DataFrame | MonthlyArrays, period: calendar.Period, how: str, data_start: pd.Period) -> Comparison:
    """The binary comparison: this period against the same months a year earlier."""
    return compare(series, period, period.shifted_years(-1), how, data_start)


def rolling_twelve_months(series: pd.DataFrame | MonthlyArrays, end: pd.Period, how: str, data_start: pd.Period) -> Comparison:
    """The 12 months to `end` against the 12 months before them."""
    current, previous = rolling_periods(end)
    return compare(series, current, previous, how, data_start)


def rolling_totals(series: pd.DataFrame, how: str) -> pd.DataFrame:
    """Rolling 12-month totals (or pooled rates) for every month with 12 complete months behind it.

    A pooled rate needs every month's sample size; distinct counts come from the records.
    """
    if how == "distinct":
        raise ValueError("rolling distinct counts of people are counted from the records, not from monthly values")
    frame = series.copy()
    frame["month"] = pd.to_datetime(frame["month"])
    frame = frame.set_index("month").asfreq("MS")
    for column in ("numerator", "denominator"):
        if column not in frame:
            frame[column] = np.nan
    present = frame["denominator"] if how == "pooled" else frame["value"]
    complete = present.notna().astype(int).rolling(12).sum() == 12
    if how == "latest":
        rolled = frame["value"]
    elif how == "pooled":
        rolled = 100 * frame["numerator"].rolling(12).sum() / frame["denominator"].rolling(12).sum()
    else:
        rolled = frame["value"].rolling(12).sum()
    out = pd.DataFrame({"month": frame.index, "rolling_12_months": rolled.where(complete)})
    return out.dropna().reset_index(drop=True)


def year_on_year(series: pd.DataFrame, financial_year_start: int) -> pd.DataFrame:
    """Month by month, this financial year against the last (April first)."""
    frame = series.copy()
    frame["period"] = _months(frame)
    rows = []
    for offset in range(12):
        this_month = calendar.month(f"{financial_year_start}-04") + offset
        last_month = this_month - 12
        this_value = frame.loc[frame["period"] == this_month, "value"]
        last_value = frame.loc[frame["period"] == last_month, "value"]
        rows.append({
            "month_of_year": this_month.strftime("%b"),
            "order": offset,
            calendar.financial_year_label(financial_year_start): this_value.iloc[0] if len(this_value) else np.nan,
            calendar.financial_year_label(financial_year_start - 1): last_value.iloc[0] if len(last_value) else np.nan,
        })
    return pd.DataFrame(rows)


def format_change(comparison: Comparison, unit: str) -> str:
    """"+57 (+12.0%)" for counts; "+3.1 percentage points" for rates; the reason when not comparable."""
    if not comparison.comparable:
        return comparison.reason
    return formatting.format_change(comparison.change, comparison.percent_change, unit)
