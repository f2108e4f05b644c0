"""The Overview table: every priority and measure for one area and period.

Pure: takes the catalogue rows (app/overview.sql) and the area's monthly series
(app/area_series.sql) and returns one row per measure with its value, binary and
rolling comparisons, SPC icons, RAG status, availability and a drafted sentence.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import calendar, comparisons, narrative, spc
from analysis.availability import cell_status, format_value
from analysis.rag import rag_status
from analysis.series import measure_spc, rebase_positions

COLUMNS = [
    "priority_id", "priority", "measure_id", "measure", "unit", "synthetic", "value", "last_year", "change",
    "rolling_12", "rolling_change", "variation_icon", "assurance_icon", "trial_limits", "rag", "rag_reason",
    "status", "status_reason", "narrative",
]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def spc_points(series: pd.DataFrame, measure: dict, rebase_months=()) -> spc.SpcResult | None:
    """SPC on the whole series given, or None for too few points or a cumulative measure."""
    if len(series) < 2 or measure["chart_kind"] == "none":
        return None
    measure = {**measure, "id": measure["measure_id"]}
    return measure_spc(series, measure, rebase_positions(series["month"], rebase_months))[0]


def draft(measure_name: str, unit: str, improvement_direction: str, points: pd.DataFrame | None,
          binary: comparisons.Comparison, period: calendar.Period, area_name: str) -> str:
    """The drafted sentence for a measure, area and period (points in display units, with months)."""
    return narrative.draft_sentence(
        measure_name=measure_name, area_name=area_name, period_label=period.label,
        value_text=format_value(binary.current.value, unit), points=points, period_first=period.first.start_time,
        period_last=period.last.start_time, improvement_direction=improvement_direction, comparison=binary, unit=unit,
        period_noun=narrative.period_noun(period.label),
    )


@dataclass(frozen=True)
class PeriodIcons:
    variation: str | None
    assurance: str | None
    trial_limits: bool


def icons_at(result: spc.SpcResult, months: pd.Series, month: pd.Timestamp) -> PeriodIcons:
    """The variation and assurance icons as they stood at `month` (the last point on or before it)."""
    index = int(np.searchsorted(months.to_numpy(), np.datetime64(month), side="right")) - 1
    if index < 0:
        return PeriodIcons(None, None, False)
    point = result.points.iloc[index]
    return PeriodIcons(
        variation=spc.variation_icon(point["special_cause"], int(point["flag"])),
        assurance=spc.assurance_icon(point["lpl"], point["upl"], result.options.target,
                                     result.options.improvement_direction),
        trial_limits=bool(point["trial_limits"]),
    )


def overview_row(row: dict, series: pd.DataFrame, period: calendar.Period, area_name: str, rebase_months=()) -> dict:
    unit = row["unit"]
    status = cell_status(
        measure_id=row["measure_id"], months_with_data=int(row["months_with_data"]),
        months_in_period=len(period.months), availability_state=row["availability_state"],
        availability_reason=row["availability_reason"], availability_date=row["availability_date"],
    )
    base = {key: row.get(key) for key in ("priority_id", "priority", "measure_id", "measure", "unit", "synthetic")}
    base.update(status=status.state, status_reason=status.reason)
    if _missing(row["measure_id"]):
        reason = status.reason
        return {**base, "measure": "Measures in development", "value": "–", "last_year": reason, "change": reason,
                "rolling_12": reason, "rolling_change": reason, "variation_icon": None, "assurance_icon": None,
                "trial_limits": False, "rag": "Not rated", "rag_reason": reason, "narrative": reason}
    has_value = status.state in ("complete", "partial")
    series = series.sort_values("month").reset_index(drop=True)
    data_start = pd.Period(series["month"].min(), "M") if len(series) else period.first
    how = comparisons.aggregation(unit, row["chart_kind"])
    binary = comparisons.same_period_last_year(series, period, how, data_start)
    rolling = comparisons.rolling_twelve_months(series, period.last, how, data_start)
    # SPC runs on the whole published series, as the explorer charts it; the icons are
    # those of the period's last month.
    result = spc_points(series, row, rebase_months) if has_value else None
    points, icons = None, PeriodIcons(None, None, False)
    if result is not None:
        points = result.points.assign(month=pd.to_datetime(series["month"]).to_numpy())
        if unit == "percentage" and result.chart != "xmr":
            points[["value", "mean", "lpl", "upl"]] = points[["value", "mean", "lpl", "upl"]] * 100
        icons = icons_at(result, pd.to_datetime(series["month"]), period.last.start_time)
    unavailable = None if has_value else status.reason
    rag = rag_status(
        variation_icon=icons.variation,
        assurance_icon=icons.assurance,
        improvement_direction=row["improvement_direction"],
        denominator=binary.current.denominator if how == "pooled" else None,
        trial_limits=icons.trial_limits,
        unavailable_reason=unavailable,
        progress=None if row["chart_kind"] != "none" else (binary.current.value, row["target"]),
    )
    value_text = format_value(binary.current.value, unit) if has_value else "–"
    sentence = status.reason if not has_value else draft(row["measure"], unit, row["improvement_direction"], points,
                                                          binary, period, area_name)
    return {
        **base,
        "value": value_text if has_value else f"– ({status.state})",
        "last_year": format_value(binary.previous.value, unit) if binary.comparable else "–",
        "change": comparisons.format_change(binary, unit),
        "rolling_12": format_value(rolling.current.value, unit) if rolling.comparable else "–",
        "rolling_change": comparisons.format_change(rolling, unit),
        "variation_icon": icons.variation,
        "assurance_icon": icons.assurance,
        "trial_limits": icons.trial_limits,
        "rag": rag.status,
        "rag_reason": rag.reason,
        "narrative": sentence,
    }


def build_overview(catalogue: pd.DataFrame, area_series: pd.DataFrame, period: calendar.Period,
                   area_name: str, rebases: pd.DataFrame | None = None) -> pd.DataFrame:
    """rebases: the area's stored SPC rebases (measure_id, month), applied as the charts apply them."""
    by_measure = {key: frame for key, frame in area_series.groupby("measure_id")}
    rebase_months = {} if rebases is None else rebases.groupby("measure_id")["month"].apply(list).to_dict()
    empty = area_series.iloc[0:0]
    rows = [overview_row(row, by_measure.get(row["measure_id"], empty), period, area_name,
                         rebase_months.get(row["measure_id"], ()))
            for row in catalogue.replace({np.nan: None}).to_dict("records")]
    return pd.DataFrame(rows, columns=COLUMNS)
