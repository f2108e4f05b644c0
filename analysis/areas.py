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


def same_force(areas: pd.DataFrame, area_id: str) -> set[str]:
    """The ids of the areas in area_id's force (the force and everything below it), from an areas table
    with id and parent_id, where a force has no parent. Comparing areas stays within one force: the
    national benchmark's catalogue holds 43."""
    parents = dict(zip(areas["id"], areas["parent_id"]))
    if area_id not in parents:
        raise LookupError(f"no area {area_id!r}")

    def force_of(area: str) -> str:
        seen = set()
        while isinstance(parents.get(area), str) and area not in seen:  # a loop in bad data stops, not hangs
            seen.add(area)
            area = parents[area]
        return area

    force = force_of(area_id)
    return {area for area in parents if force_of(area) == force}
