"""Comparing areas of different size fairly: rates per 1,000 people, and survey rates as they are."""
from __future__ import annotations

import pandas as pd

from analysis import calendar, comparisons


def comparable_rates(by_area: pd.DataFrame, how: str) -> pd.DataFrame:
    """Add `rate`: per 1,000 residents for counts; the pooled percentage for surveys; the value otherwise."""
    frame = by_area.copy()
    if how == "sum":
        frame["rate"] = 1000 * frame["value"] / frame["population"]
        frame["rate_label"] = "per 1,000 people"
    elif how == "pooled":
        frame["rate"] = 100 * frame["numerator"] / frame["denominator"]
        frame["rate_label"] = "%"
    else:
        frame["rate"] = frame["value"]
        frame["rate_label"] = ""
    return frame


def period_by_area(by_area: pd.DataFrame, period: calendar.Period, how: str) -> pd.DataFrame:
    """Each area's value over the period and its comparable rate."""
    rows = []
    for (area_id, area, kind, population), series in by_area.groupby(["area_id", "area", "kind", "population"], sort=False):
        value = comparisons.period_value(series, period.first, period.last, how)
        if value.value is None:
            continue
        if how == "sum":
            rate = 1000 * value.value / population
        else:
            rate = value.value
        rows.append({"area_id": area_id, "area": area, "kind": kind, "population": population, "value": value.value,
                     "rate": rate, "months": value.months_present})
    return pd.DataFrame(rows, columns=["area_id", "area", "kind", "population", "value", "rate", "months"])


def force_of(areas: pd.DataFrame, area_id: str) -> str:
    """The force an area belongs to (itself for a force), from an areas table with id and parent_id,
    where a force has no parent."""
    parents = dict(zip(areas["id"], areas["parent_id"]))
    if area_id not in parents:
        raise LookupError(f"no area {area_id!r}")
    return _root(parents, area_id)


def _root(parents: dict, area: str) -> str:
    seen = set()
    while isinstance(parents.get(area), str) and area not in seen:  # a loop in bad data stops, not hangs
        seen.add(area)
        area = parents[area]
    return area


def same_force(areas: pd.DataFrame, area_id: str) -> set[str]:
    """The ids of the areas in area_id's force (the force and everything below it). Comparing areas stays
    within one force: the national benchmark's catalogue holds 43."""
    force = force_of(areas, area_id)
    parents = dict(zip(areas["id"], areas["parent_id"]))
    return {area for area in parents if _root(parents, area) == force}


UNLOCATED_FACTOR = 2  # a month whose unlocated share is over twice the usual one
UNLOCATED_MIN_SHARE = 0.01  # and at least 1%: below that the undercount is too small to mislead


def unlocated_months(monthly: pd.DataFrame, factor: float = UNLOCATED_FACTOR) -> pd.DataFrame:
    """The months in which police.uk gave no location to an unusual share of a force's records, so every
    area's count below the force is too low that month. monthly: month, unlocated, force_total.

    Adds `share` (unlocated / force_total) and `usual_share` (the median share over the months given),
    and keeps the months whose share is over `factor` times the usual one and at least UNLOCATED_MIN_SHARE
    (a rare crime type's usual share is often 0, so one unlocated record would otherwise count)."""
    frame = monthly[monthly["force_total"] > 0].copy()
    frame["share"] = frame["unlocated"] / frame["force_total"]
    frame["usual_share"] = frame["share"].median()
    unusual = (frame["share"] > factor * frame["usual_share"]) & (frame["share"] >= UNLOCATED_MIN_SHARE)
    return frame[unusual].reset_index(drop=True)


def undercount_note(found: pd.DataFrame) -> str | None:
    """The months unlocated_months found, in words for beside a chart below force level (None when there are none)."""
    if found.empty:
        return None
    months = sorted(pd.to_datetime(found["month"]))
    runs, start = [], months[0]
    for before, month in zip(months, months[1:] + [None]):
        if month is None or (month.year - before.year) * 12 + month.month - before.month != 1:
            runs.append(f"{start:%B %Y}" if start == before else f"{start:%B %Y} to {before:%B %Y}")
            start = month
    worst = found.loc[found["share"].idxmax()]
    count = f"{len(months)} month{'s' if len(months) != 1 else ''}"
    return (f"police.uk gave no location to an unusual share of the force's records in {count} "
            f"({', '.join(runs)}; the most in {pd.Timestamp(worst['month']):%B %Y}, {worst['share']:.1%} against a usual "
            f"{worst['usual_share']:.1%}). Those records count toward the force area but no area below it, so this "
            "area's figures for those months are too low: a dip there may be missing locations, not less crime.")
