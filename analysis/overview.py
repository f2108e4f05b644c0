"""The Overview table: every priority and measure for one area and period.

Pure: takes the catalogue rows (app/overview.sql), the area's monthly series
(app/area_series.sql), and for counts of people their period figures counted from
the records, and returns one row per measure: its value, binary and rolling
comparisons (as words and as numbers), SPC icons, RAG status, availability and a
drafted sentence. One period, one story: icons, RAG and sentence all describe the
same SPC point, read from the series as it stood at the end of the period's last month.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd

from analysis import calendar, comparisons, disclosure, narrative
from analysis.availability import CellStatus, cell_status
from analysis.formatting import DASH, format_value, is_missing
from analysis.rag import NOT_RATED, SMALL_SAMPLE, rag_status
from analysis.series import SeriesPoints, SpcAtPeriod, measure_spc, measure_spc_many, rebase_positions, spc_at


@dataclass(frozen=True)
class OverviewRow:
    """One row of the Overview: a measure's figures for the area and period, or a priority whose measures are in
    development (measure_id None). Each field has one type: the figures as shown are text (a number in its unit,
    "–", "[c]" where disclosure control withholds it, or the reason there is none); the same figures as numbers
    are numbers, or None where there is no figure to give."""

    priority_id: int
    priority: str
    measure_id: str | None  # None: the priority's measures are in development
    measure: str
    unit: str | None
    synthetic: bool
    # as shown
    value: str
    last_year: str
    change: str  # the change on last year, or why there is none
    rolling_12: str
    rolling_change: str  # the change on the 12 months before, or why there is none
    spc_point: str
    spc_as_at: str
    variation_icon: str | None  # None: no SPC reading
    assurance_icon: str | None  # None: no target to assure against (or no SPC reading)
    trial_limits: bool
    rag: str
    rag_reason: str
    status: str
    status_reason: str
    narrative: str
    # the same figures as numbers, for downloads and tests
    value_number: float | None = None
    last_year_number: float | None = None
    change_number: float | None = None
    change_percent: float | None = None
    rolling_12_number: float | None = None
    previous_12_number: float | None = None
    rolling_change_number: float | None = None
    rolling_change_percent: float | None = None
    spc_special_cause: str | None = None
    spc_flag: int | None = None
    provisional: bool = False
    source: str = ""  # where the figures came from (dashboard_data.with_sources); "" in development

    @property
    def in_development(self) -> bool:
        return self.measure_id is None

    @property
    def has_spc(self) -> bool:
        return self.variation_icon is not None

    @property
    def special_cause(self) -> bool:
        return self.variation_icon is not None and self.variation_icon != "common_cause"

    @property
    def comparable(self) -> bool:
        """Compared with the same period last year (otherwise `change` says why not)."""
        return self.last_year != DASH


COLUMNS = [f.name for f in fields(OverviewRow)]
NUMBERS = ("value_number", "last_year_number", "change_number", "change_percent", "rolling_12_number",
           "previous_12_number", "rolling_change_number", "rolling_change_percent", "spc_flag")
FLAGS = ("synthetic", "trial_limits", "provisional")


def overview_frame(rows: list[OverviewRow]) -> pd.DataFrame:
    """The rows as a table (what the readers cache and filter): numbers as floats (NaN where None), flags as bools,
    text as text with None where optional text is missing."""
    dtypes = {**{c: float for c in NUMBERS}, **{c: bool for c in FLAGS}, "priority_id": int}
    # Column by column: built from records, pandas would turn a missing text's None into NaN.
    return pd.DataFrame({c: pd.Series([getattr(row, c) for row in rows], dtype=dtypes.get(c, object)) for c in COLUMNS})


def _optional(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _records(catalogue: pd.DataFrame) -> list[dict]:
    """The catalogue's rows as dicts, None where a value is missing (NaN or NaT): what replace({nan: None}) gave,
    at a quarter of its cost per read."""
    return [{column: None if value is pd.NaT else _optional(value) for column, value in row.items()}
            for row in catalogue.to_dict("records")]


def _typed(column: str, value):
    """A frame's cell as the row's field holds it."""
    value = _optional(value)
    if column in NUMBERS:
        return None if value is None else int(value) if column == "spc_flag" else float(value)
    if column in FLAGS:
        return bool(value)
    if column == "priority_id":
        return int(value)
    if column == "source":
        return value or ""
    return value


def overview_rows(table: pd.DataFrame) -> list[OverviewRow]:
    """The Overview table's rows (any of them, in order), typed; columns other readers added are left out."""
    columns = [c for c in COLUMNS if c in table.columns]
    return [OverviewRow(**{c: _typed(c, v) for c, v in zip(columns, values)})
            for values in table[columns].itertuples(index=False, name=None)]


PROVISIONAL = "Provisional, not for publication"


@dataclass(frozen=True)
class DistinctCounts:
    """A count of people for one measure and area, counted from the records (never summed over months).

    values: PeriodValues for "period", "last_year", "rolling" and "previous_12".
    blocks: the SPC series at the period's grain: one row per run of months as long as the
    period (quarters for a quarter), ending at the period's end; columns first, last (Periods),
    label and value.
    """

    values: dict[str, comparisons.PeriodValue]
    blocks: pd.DataFrame = field(default_factory=pd.DataFrame)


def _spc_points(series: SeriesPoints, distinct: DistinctCounts | None) -> tuple[SeriesPoints, bool]:
    """The series SPC runs on, and whether a point stands for the whole period (counts of people, at the
    period's grain, each point named by its label)."""
    if distinct is None:
        return series, False
    blocks = distinct.blocks
    nothing = np.full(len(blocks), np.nan)
    return SeriesPoints(np.array([b.start_time for b in blocks["first"]], dtype="datetime64[ns]"),
                        blocks["value"].astype(float).to_numpy(), nothing, nothing,
                        blocks["label"].to_numpy(dtype=object)), True


@dataclass(frozen=True)
class SpcInput:
    """What a row's SPC reading is made from: the series as it stood at the end of the period's last month."""

    points: SeriesPoints  # month, value, numerator, denominator (and labels, when a point is not a month)
    point_is_period: bool
    measure: dict
    rebase: tuple[int, ...]


def spc_input(row: dict, series: pd.DataFrame | SeriesPoints, period: calendar.Period, rebase_months=(),
              distinct: DistinctCounts | None = None) -> SpcInput | None:
    """The row's series as SPC reads it for the period, or None (too few points, or not charted)."""
    if row["chart_kind"] == "none":
        return None
    points, point_is_period = _spc_points(series if isinstance(series, SeriesPoints) else SeriesPoints.of(series),
                                          distinct)
    points = points.as_stood(period)
    if len(points) < 2:
        return None
    return SpcInput(points, point_is_period, {**row, "id": row["measure_id"]},
                    rebase_positions(points.month, rebase_months))


def _reading(chart: SpcInput, result, period: calendar.Period) -> SpcAtPeriod | None:
    return spc_at(result, chart.points.month, chart.points.labels, period, chart.measure["improvement_direction"],
                  chart.point_is_period)


def spc_for_row(row: dict, series: pd.DataFrame | SeriesPoints, period: calendar.Period, rebase_months=(),
                distinct: DistinctCounts | None = None) -> SpcAtPeriod | None:
    """SPC of the row's series as it stood at the end of the period's last month, and its state at the
    period, or None (too few points, or not charted). Later months never change a period's reading."""
    chart = spc_input(row, series, period, rebase_months, distinct)
    return None if chart is None else _reading(chart, measure_spc(chart.points, chart.measure, chart.rebase)[0], period)


def period_comparisons(row: dict, series: pd.DataFrame | comparisons.MonthlyArrays, period: calendar.Period, data_start: pd.Period,
                 distinct: DistinctCounts | None) -> tuple[comparisons.Comparison, comparisons.Comparison]:
    how = row["aggregation"]
    if distinct is None:
        return (comparisons.same_period_last_year(series, period, how, data_start),
                comparisons.rolling_twelve_months(series, period.last, how, data_start))
    values = distinct.values
    rolling, previous_12 = comparisons.rolling_periods(period.last)
    return (comparisons.compare_values(period, period.shifted_years(-1), values["period"], values["last_year"], data_start),
            comparisons.compare_values(rolling, previous_12, values["rolling"], values["previous_12"], data_start))


WITHHELD_REASON = "Not compared: a figure is withheld to protect small numbers ([c], disclosure control)."


def withhold(comparison: comparisons.Comparison, current: bool, previous: bool) -> comparisons.Comparison:
    """The comparison with its withheld figures taken out (value None), and never compared when either is."""
    if not (current or previous):
        return comparison
    blank = lambda value: replace(value, value=None, note="Withheld ([c])")  # noqa: E731
    return replace(comparison, current=blank(comparison.current) if current else comparison.current,
                   previous=blank(comparison.previous) if previous else comparison.previous,
                   comparable=False, reason=WITHHELD_REASON)


def _joined(*sentences: str) -> str:
    return " ".join(s if s.endswith((".", "!", "?")) else f"{s}." for s in sentences if s)


def _number(value) -> float | None:
    return None if is_missing(value) else float(value)


NO_FIGURES = {"value": DASH, "last_year": DASH, "change": "", "rolling_12": DASH, "rolling_change": "", "spc_point": "",
              "spc_as_at": "", "variation_icon": None, "assurance_icon": None, "trial_limits": False}


def in_development_row(base: dict, status: CellStatus) -> OverviewRow:
    """A priority without agreed measures: its reason once, in the Data column; dashes elsewhere."""
    return OverviewRow(**{**base, "measure": "Measures in development"}, **NO_FIGURES, rag=NOT_RATED,
                       rag_reason="See the data note", narrative=status.reason)


def row_status(row: dict, period: calendar.Period, is_force_area: bool) -> CellStatus:
    """Whether the row has a figure for the period, and if not why not."""
    return cell_status(
        measure_id=row["measure_id"], months_with_data=int(row["months_with_data"]),
        months_in_period=period.month_count, availability_state=row["availability_state"],
        availability_reason=row["availability_reason"], availability_date=row["availability_date"],
        force_wide=bool(row.get("force_wide")), is_force_area=is_force_area,
    )


READ_PER_ROW = object()  # overview_row's `at` when not given: the row reads its own SPC (spc_for_row)


def overview_row(row: dict, series: pd.DataFrame | SeriesPoints, period: calendar.Period, area_name: str, rebase_months=(), *,
                 distinct: DistinctCounts | None = None, is_force_area: bool = True,
                 small_sample: int = SMALL_SAMPLE, note: str = "", withheld: frozenset[str] = frozenset(),
                 at: SpcAtPeriod | None | object = READ_PER_ROW) -> OverviewRow:
    """series: the measure's monthly series for the area (a frame, or its points in month order as build_overview
    takes them once). note: more about the figure, added to the data note (e.g. the savings position).
    withheld: the figures disclosure control withholds ("period", "last_year", "rolling", "previous_12"):
    shown as "[c]", left out of every number, change and sentence.
    at: the row's SPC reading when already made (build_overview reads every row's in one pass)."""
    unit = row["unit"]
    status = row_status(row, period, is_force_area)
    base = {"priority_id": int(row["priority_id"]), "priority": row["priority"], "measure_id": _optional(row.get("measure_id")),
            "measure": row["measure"], "unit": row.get("unit"), "synthetic": bool(row.get("synthetic"))}
    provisional = bool(row.get("provisional_months") or 0)
    held_back = (f"{PROVISIONAL}: {int(row['provisional_months'])} of the period's months are not yet released "
                 f"({row['availability_reason'] or 'awaiting the partner board'}).") if provisional else ""
    base.update(status=status.state, provisional=provisional,
                status_reason=_joined(held_back, status.reason, note) if status.has_value else status.reason)
    if is_missing(row["measure_id"]):
        return in_development_row(base, status)
    series = series if isinstance(series, SeriesPoints) else _by_month(series)
    data_start = pd.Period(series.month[0], "M") if len(series) else period.first
    monthly = _monthly(series) if distinct is None else None
    binary, rolling = period_comparisons(row, monthly, period, data_start, distinct)
    binary = withhold(binary, "period" in withheld, "last_year" in withheld)
    rolling = withhold(rolling, "rolling" in withheld, "previous_12" in withheld)
    if at is READ_PER_ROW:
        at = spc_for_row(row, series, period, rebase_months, distinct) if status.has_value else None
    elif not status.has_value:
        at = None
    progress = None if row["chart_kind"] != "none" else (binary.current.value, row["target"])
    rag = rag_status(
        variation_icon=at.variation if at else None,
        assurance_icon=at.assurance if at else None,
        improvement_direction=row["improvement_direction"],
        denominator=binary.current.denominator if row["aggregation"] == "pooled" else None,
        trial_limits=at.trial_limits if at else False,
        unavailable_reason=None if status.has_value else status.reason,
        progress=progress,
        small_sample=small_sample,
        unit=unit,
    )
    if not status.has_value:
        # Withheld or empty: one reason, in the Data column and the sentence; no figures to compare.
        return OverviewRow(**base, **NO_FIGURES, rag=rag.status, rag_reason="No figure to rate: see the data note",
                           narrative=status.reason)
    value = binary.current.value
    value_text = disclosure.SUPPRESSED if "period" in withheld else format_value(value, unit) if value is not None else DASH
    sentence = narrative.draft_sentence(
        measure_name=row["measure"], area_name=area_name, period_label=period.label,
        value_text=value_text if value is not None or "period" in withheld else binary.current.note.rstrip("."),
        point=at.point if at else None, point_context=at.context if at else "", as_at=at.as_at if at else "",
        comparison=binary, unit=unit, period_noun=narrative.period_noun(period.label),
    )
    return OverviewRow(
        **base,
        value=value_text,
        last_year=disclosure.SUPPRESSED if "last_year" in withheld else
        format_value(binary.previous.value, unit) if binary.comparable else DASH,
        change=comparisons.format_change(binary, unit),
        # The 12 months are shown whenever they are complete; only the comparison says why it is missing.
        rolling_12=disclosure.SUPPRESSED if "rolling" in withheld else
        format_value(rolling.current.value, unit) if rolling.current.complete else DASH,
        rolling_change=comparisons.format_change(rolling, unit) if rolling.current.complete or {"rolling", "previous_12"} & withheld else
        f"Not shown: the 12 months to {calendar.month_label(period.last)} have data for "
        f"{rolling.current.months_present} of 12 months.",
        spc_point=at.point.label if at else "",
        spc_as_at=at.as_at if at else "",
        variation_icon=at.variation if at else None,
        assurance_icon=at.assurance if at else None,
        trial_limits=bool(at.trial_limits) if at else False,
        rag=rag.status,
        rag_reason=rag.reason,
        narrative=sentence,
        value_number=_number(value),
        last_year_number=_number(binary.previous.value) if binary.comparable else None,
        change_number=_number(binary.change),
        change_percent=_number(binary.percent_change),
        rolling_12_number=_number(rolling.current.value) if rolling.current.complete else None,
        previous_12_number=_number(rolling.previous.value) if rolling.comparable else None,
        rolling_change_number=_number(rolling.change),
        rolling_change_percent=_number(rolling.percent_change),
        spc_special_cause=at.point.special_cause if at else None,
        spc_flag=int(at.point.flag) if at else None,
    )


def _by_month(series: pd.DataFrame) -> SeriesPoints:
    """A measure's series as its points in month order (already in order as app/area_series reads it)."""
    return _in_month_order(SeriesPoints.of(series))


def _in_month_order(points: SeriesPoints) -> SeriesPoints:
    """The points sorted by month, or themselves when already in order."""
    in_order = bool((points.month[1:] >= points.month[:-1]).all())
    return points if in_order else points.taken(np.argsort(points.month, kind="stable"))


def _monthly(points: SeriesPoints) -> comparisons.MonthlyArrays:
    """The series as the comparisons read it (a month without a sample size has a NaN one, as if the frame had no
    such column)."""
    return comparisons.MonthlyArrays(points.month.astype("datetime64[M]"), points.value, points.numerator,
                                     points.denominator)


def _each_measure(area_series: pd.DataFrame) -> dict[str, SeriesPoints]:
    """Each measure's series as its points in month order, the area's columns converted once for all of them."""
    if not area_series["measure_id"].is_monotonic_increasing:
        area_series = area_series.sort_values("measure_id", kind="stable")
    points = SeriesPoints.of(area_series)
    ids = area_series["measure_id"].to_numpy()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.zeros(0, dtype=int)
    return {ids[start]: _in_month_order(points.taken(slice(start, end)))
            for start, end in zip(starts, np.r_[starts[1:], len(ids)].astype(int))}


def build_overview(catalogue: pd.DataFrame, area_series: pd.DataFrame, period: calendar.Period,
                   area_name: str, rebases: pd.DataFrame | None = None, *,
                   distinct: dict[str, DistinctCounts] | None = None, is_force_area: bool = True,
                   small_sample: int = SMALL_SAMPLE, notes: dict[str, str] | None = None,
                   withheld: dict[str, frozenset[str]] | None = None) -> pd.DataFrame:
    """rebases: the area's stored SPC rebases (measure_id, month), applied as the charts apply them.
    distinct: counts of people from the records, by measure id (measures whose aggregation is distinct).
    notes: more about a measure's figure, by measure id, added to its data note.
    withheld: by measure id, the figures disclosure control withholds (see overview_row)."""
    # Each measure's series as arrays in month order, once: rows read them point by point.
    by_measure = _each_measure(area_series)
    rebase_months = {} if rebases is None else rebases.groupby("measure_id")["month"].apply(list).to_dict()
    distinct = distinct or {}
    empty = SeriesPoints.of(area_series.iloc[0:0])
    records = _records(catalogue)
    for row in records:
        if row.get("aggregation") == "distinct" and row["measure_id"] not in distinct:
            raise ValueError(f"{row['measure_id']} counts people: give its counts from the records (distinct=...)")
    series_of = [by_measure.get(row["measure_id"], empty) for row in records]
    # Every row's SPC in one pass of the engine (one series at a time was most of a cold Overview's CPU).
    charts = [spc_input(row, series, period,
                        rebase_months.get(row["measure_id"], ()), distinct.get(row["measure_id"]))
              if not is_missing(row["measure_id"]) and row_status(row, period, is_force_area).has_value else None
              for row, series in zip(records, series_of)]
    charted = [chart for chart in charts if chart is not None]
    results = iter(measure_spc_many([(chart.points, chart.measure, chart.rebase) for chart in charted]))
    readings = [None if chart is None else _reading(chart, next(results)[0], period) for chart in charts]
    rows = [overview_row(row, series, period, area_name, rebase_months.get(row["measure_id"], ()),
                         distinct=distinct.get(row["measure_id"]), is_force_area=is_force_area,
                         small_sample=small_sample, note=(notes or {}).get(row["measure_id"], ""),
                         withheld=(withheld or {}).get(row["measure_id"], frozenset()), at=at)
            for row, series, at in zip(records, series_of, readings)]
    return overview_frame(rows)
