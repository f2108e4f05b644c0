"""A measure's series and its chart: charted with SPC, as listed, by area, rolling, compared, withheld, what-if;
and what the co-ordinator has set on charts (targets, rebases, events)."""
from __future__ import annotations

import pandas as pd

import dashboard_data
import queries
from analysis import calendar
from analysis.series import ChartedSeries
from components.database import cached_reader

_charted_series = cached_reader(dashboard_data.charted_series)
chart_withheld_points = cached_reader(dashboard_data.chart_withheld_points)
withheld_points = cached_reader(dashboard_data.withheld_points)
measure_series = cached_reader(dashboard_data.measure_series)
undercounted_months = cached_reader(dashboard_data.undercounted_months)
rolling_series = cached_reader(dashboard_data.rolling_series)
monthly_by_area = cached_reader(dashboard_data.monthly_by_area)
areas_in_period = cached_reader(dashboard_data.areas_in_period)
measure_comparisons = cached_reader(dashboard_data.measure_comparisons)
what_if = cached_reader(dashboard_data.what_if)


def charted_series(measure_id: str, area_id: str, options=None, period: calendar.Period | None = None, *,
                   as_stood: bool = False) -> ChartedSeries:
    """A measure and area charted with SPC and its stored rebases, once per data version and options.

    period: counts of people are charted at its grain (see dashboard_data.charted_series).
    as_stood: only the months to the period's end, as the series stood then (the period's own reading).
    """
    if as_stood:
        return _charted_series(measure_id, area_id, options=options, period=period, last=period.end)
    return _charted_series(measure_id, area_id, options=options, period=period)


@cached_reader
def survey_series(cur, area_id: str) -> pd.DataFrame:
    """Every survey measure's monthly numerators and denominators for the area."""
    return queries.run(cur, "app/survey_series", {"area_id": area_id})


@cached_reader
def target_changes(cur, measure_id: str) -> pd.DataFrame:
    """The measure's target changes, newest first."""
    return queries.run(cur, "app/target_changes", {"measure_id": measure_id})


@cached_reader
def spc_rebases(cur, measure_id: str, area_id: str) -> pd.DataFrame:
    """The rebase points the co-ordinator set for the measure and area, oldest first."""
    return queries.run(cur, "app/spc_rebases", {"measure_id": measure_id, "area_id": area_id})


@cached_reader
def chart_annotation_log(cur) -> pd.DataFrame:
    """Every chart event ever added, with who added it and why, and who removed it and why; newest first."""
    return queries.run(cur, "app/chart_annotation_log")
