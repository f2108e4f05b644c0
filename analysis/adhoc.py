"""Ad hoc tables: any measures, areas and periods in one table, long or pivoted.

Each figure is the period's own: counts are totals of the months, survey rates are pooled
from their numerators and denominators, cumulative figures are the period's latest, and
counts of people are counted from the records for the period as a whole (given here, never
added up from months). Rates per 1,000 people and shares of the force area's figure are for
counts only. Plain data in, plain data out.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import calendar, comparisons

GRAINS = ("Months", "Quarters", "Financial years", "The whole range")
FIGURES = {"value": "Value", "rate": "Rate per 1,000 people", "share": "Share of force area (%)"}
COLUMNS = ["Measure", "Area", "Period", "Value", "Unit", "Rate per 1,000 people", "Share of force area (%)", "Note",
           "First month", "Months with data", "Months in period"]
UNITS = {"count": "count", "percentage": "%", "currency": "£m"}
DECIMALS = {"Value": 2, "Rate per 1,000 people": 3, "Share of force area (%)": 1}  # as shown and downloaded


def periods(first: pd.Period, last: pd.Period, grain: str) -> list[calendar.Period]:
    """The periods at a grain from the month `first` to the month `last`. Quarters and financial years
    are whole: every one the months touch, with all its months."""
    if last < first:
        first, last = last, first
    if grain == "Months":
        return [calendar.month_range(m, m) for m in pd.period_range(first, last, freq="M")]
    if grain == "Quarters":
        return calendar.quarters_between(first, last)
    if grain == "Financial years":
        return [calendar.financial_year(y) for y in calendar.financial_years_between(first, last)]
    if grain == "The whole range":
        return [calendar.month_range(first, last)]
    raise ValueError(f"unknown grain {grain!r}: choose one of {', '.join(GRAINS)}")


@dataclass(frozen=True)
class PeopleCount:
    """A count of people for an area and period, from the records."""

    value: float
    months_with_data: int


def _figure(series: pd.DataFrame, measure: dict, period: calendar.Period,
            people: dict | None, area_id: str) -> comparisons.PeriodValue:
    if measure["aggregation"] == "distinct":
        count = people[(measure["id"], area_id, period.label)]
        expected = len(period.months)
        return comparisons.PeriodValue(count.value if count.months_with_data else None, count.months_with_data, expected)
    return comparisons.period_value(series, period.first, period.last, measure["aggregation"])


def _note(measure: dict, area: dict, figure: comparisons.PeriodValue, force_id: str) -> str:
    if measure["force_wide"] and area["id"] != force_id:
        return "Reported for the force area only."
    if figure.months_present == 0:
        return "No data for this period."
    if figure.value is None:
        return figure.note
    if not figure.complete:
        return f"Partial: data for {figure.months_present} of {figure.months_expected} months."
    return ""


WITHHELD_NOTE = "Withheld to protect small numbers ([c], disclosure control)."


def build_table(observations: pd.DataFrame, measures: pd.DataFrame, areas: pd.DataFrame,
                chosen_periods: list[calendar.Period], people: dict | None = None,
                withheld: set | frozenset = frozenset(), *, force_id: str) -> pd.DataFrame:
    """One row per measure, area and period (in the order given).

    observations: measure_id, area_id, month, value, numerator, denominator (the chosen areas and the force area).
    force_id: the home force's area id (core.home_force), whose figure each count is a share of.
    measures, areas: the chosen catalogue rows (id, name, unit, aggregation, force_wide; id, name, population).
    people: (measure_id, area_id, period label) -> PeopleCount, for measures with aggregation "distinct".
    withheld: (measure_id, area_id, period label) of the figures disclosure control withholds: no value, rate or
    share (a rate or share would give the count away), and the note says so.
    """
    observations = observations.assign(month=pd.to_datetime(observations["month"]))
    by_series = {key: frame for key, frame in observations.groupby(["measure_id", "area_id"], sort=False)}
    empty = observations.iloc[:0]
    rows = []
    area_rows = areas.to_dict("records")
    for measure in measures.to_dict("records"):
        counts = measure["unit"] == "count"
        for period in chosen_periods:
            force = _figure(by_series.get((measure["id"], force_id), empty), measure, period, people,
                            force_id) if counts else None
            if (measure["id"], force_id, period.label) in withheld:
                force = None  # every share would give the force's count away
            for area in area_rows:
                figure = _figure(by_series.get((measure["id"], area["id"]), empty), measure, period, people, area["id"])
                hidden = (measure["id"], area["id"], period.label) in withheld
                value = None if hidden else figure.value
                population = area.get("population")
                rate = (1000 * value / population if counts and value is not None and population and
                        not pd.isna(population) else np.nan)
                share = (100 * value / force.value if counts and value is not None and force is not None
                         and force.value else np.nan)
                rows.append({
                    "Measure": measure["name"], "Area": area["name"], "Period": period.label,
                    "First month": str(period.first), "Value": np.nan if value is None else value,
                    "Unit": UNITS[measure["unit"]], "Rate per 1,000 people": rate, "Share of force area (%)": share,
                    "Months with data": figure.months_present, "Months in period": figure.months_expected,
                    "Note": WITHHELD_NOTE if hidden else _note(measure, area, figure, force_id),
                })
    return pd.DataFrame(rows, columns=COLUMNS).round(DECIMALS)


def pivot(table: pd.DataFrame, by: str, figure: str) -> pd.DataFrame:
    """The long table pivoted: by "area" (a column per area) or by "period" (a column per period), of one figure
    (a column name of FIGURES). Rows and columns keep the long table's order."""
    if figure not in FIGURES.values():
        raise ValueError(f"unknown figure {figure!r}")
    if by == "area":
        index, columns = ["Measure", "Period"], "Area"
    elif by == "period":
        index, columns = ["Measure", "Area"], "Period"
    else:
        raise ValueError("pivot by 'area' or 'period'")
    order = list(dict.fromkeys(table[columns]))
    rows = table[index].drop_duplicates()
    wide = table.pivot(index=index, columns=columns, values=figure)
    wide = wide.reindex(pd.MultiIndex.from_frame(rows))[order]
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index()
