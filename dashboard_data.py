"""What the pages, Panel mode and the paper read: named queries, then analysis.

Every function takes a DuckDB connection (or cursor) and returns plain data, with
no Streamlit, so the app, the command line and the paper share one code path and
tests run without a session. components/ wraps these with caches keyed by the
data version.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

import access
import datastore
import queries
from analysis import adhoc, calendar, comparisons, disclosure, forecast, returns_calendar, sources, what_changed, whatif
from analysis.areas import comparable_rates, force_of, period_by_area, unlocated_months
from analysis.overview import DistinctCounts, build_overview, period_comparisons
from analysis.rag import SMALL_SAMPLE
from analysis.savings import SavingsPosition
from analysis.series import EARLIEST, LATEST, ChartedSeries, chart, month_start
from analysis.spc import SpcOptions
from analysis.whatif import SeriesInputs, WhatIf, WhatIfChart
from core.home_force import home_force
from core.settings import settings


def reads(function):
    """Run a reader on a connection that sees what the caller's role allows: the public's, unless the
    caller (the app's data-access layer) hands in a datastore.VisibleCursor for another role."""
    @functools.wraps(function)
    def wrapped(con, *args, **kwargs):
        return function(datastore.as_reader(con), *args, **kwargs)
    return wrapped


SAVINGS_MEASURE = "savings_delivered"

# Measures that count people, and the column of the records queries that counts them.
PEOPLE_COUNTS = {"missing_individuals": "individuals", "missing_repeat_individuals": "repeat_individuals"}
# Every missing-person total under disclosure control (reports too: they are counted from the same records).
DISCLOSED_COUNTS = {"missing_reports": "reports", **PEOPLE_COUNTS}


def disclosure_threshold() -> int:
    """Counts from 1 to this - 1 are withheld (core/settings.toml, [disclosure])."""
    return settings().disclosure_threshold


def period_key(period: calendar.Period) -> tuple[str, str]:
    return str(period.first), str(period.last)


@reads
def withheld_totals(con, periods=()) -> set[tuple[str, tuple[str, str], str]]:
    """The missing-person totals withheld by disclosure control: (area_id, period key, column) for every area, for
    every month and financial quarter of the records and for the periods given (any range of months).

    Small counts are withheld, then whatever could give one away by subtraction: another area under the same
    parent (people and reports), another month of the same quarter (reports, which add up over months).
    A period other than a month or quarter is tied to nothing but its own areas' figures, so it is protected on
    its own, with the same result as all at once; each part is worked out once per snapshot where the reader
    keeps derived results (every Overview read asked for them all again: about 70 ms)."""
    grid = datastore.derived_once(con, ("withheld_totals",), functools.partial(_withheld_months_and_quarters, con))
    hidden = set(grid.hidden)
    for period in periods:
        key = period_key(period)
        if key not in grid.keys:
            hidden |= datastore.derived_once(con, ("withheld_totals", key),
                                             functools.partial(_withheld_in_range, con, period, grid.children))
    return hidden


@dataclass(frozen=True)
class _WithheldGrid:
    hidden: frozenset  # (area_id, period key, column) withheld among the months and quarters of the records
    keys: frozenset  # the period keys of those months and quarters
    children: dict  # parent area id -> its children with a population


def _withheld_months_and_quarters(con) -> _WithheldGrid:
    children: dict[str, list[str]] = {}
    for row in queries.run(con, "app/areas").itertuples():
        if isinstance(row.parent_id, str) and not pd.isna(row.population):
            children.setdefault(row.parent_id, []).append(row.id)
    values, keys, quarters = {}, set(), {}
    for grain in ("month", "quarter"):
        grid = queries.run(con, "app/missing_person_grid", {"grain": grain})
        for row in grid.itertuples():
            first = pd.Period(row.period_start, "M")
            key = (str(first), str(first + (2 if grain == "quarter" else 0)))
            keys.add(key)
            if grain == "quarter":
                quarters[key] = tuple((str(m), str(m)) for m in pd.period_range(first, first + 2, freq="M"))
            for column in disclosure.MEASURES:
                values[(row.area_id, key, column)] = float(getattr(row, column))
    areas = sorted({area for area, _, _ in values})
    groups = disclosure.area_groups(children, sorted(keys)) + disclosure.time_groups(areas, quarters)
    links = disclosure.row_links({(area, period) for area, period, _ in values})
    hidden = disclosure.protect_totals(values, groups, disclosure_threshold(), links)
    return _WithheldGrid(frozenset(hidden), frozenset(keys), children)


def _withheld_in_range(con, period: calendar.Period, children: dict[str, list[str]]) -> frozenset:
    """The totals withheld for one range of months that is not a month or quarter: its areas' groups only."""
    key, values = period_key(period), {}
    for row in queries.run(con, "app/missing_person_by_area", {"first": period.start, "last": period.end}).itertuples():
        for column in disclosure.MEASURES:
            values[(row.area_id, key, column)] = float(getattr(row, column))
    links = disclosure.row_links({(area, key) for area, _, _ in values})
    return frozenset(disclosure.protect_totals(values, disclosure.area_groups(children, [key]),
                                               disclosure_threshold(), links))


@reads
def overview(con, *, area_id: str, area_name: str, period: calendar.Period, priority_id: int | None = None,
             small_sample: int = SMALL_SAMPLE) -> pd.DataFrame:
    """The Overview table (the Panel's Appendix A) for one area, period and priority (None: all)."""
    catalogue = queries.run(con, "app/overview", {"area_id": area_id, "first": period.start, "last": period.end,
                                                  "priority_id": priority_id})
    series = queries.run(con, "app/area_series", {"area_id": area_id, "last": LATEST})
    rebases = queries.run(con, "app/area_rebases", {"area_id": area_id})
    people = set(catalogue["aggregation"]) & {"distinct"}
    notes = {}
    is_force_area = area_id == home_force(con)
    if SAVINGS_MEASURE in set(catalogue["measure_id"]) and is_force_area:
        notes[SAVINGS_MEASURE] = savings_position(con, period.end).sentence()
    withheld = (withheld_figures(con, area_id, period) if set(catalogue["measure_id"]) & set(DISCLOSED_COUNTS)
                else {})
    table = build_overview(catalogue, series, period, area_name, rebases,
                           distinct=people_counts(con, area_id, period) if people else None,
                           is_force_area=is_force_area, small_sample=small_sample, notes=notes,
                           withheld=withheld)
    return with_sources(table, measure_sources(con, area_id=area_id, period=period))


@reads
def missing_person_summary(con, area_id: str, period: calendar.Period) -> pd.Series:
    """An area's reports, individuals and repeats for the period, counted from the records; a count
    disclosure control withholds is missing (pd.NA)."""
    row = queries.run(con, "app/missing_person_summary", {"area_id": area_id, "first": period.start,
                                                          "last": period.end}).iloc[0]
    hidden = withheld_totals(con, (period,))
    counts = pd.Series({c: pd.NA if (area_id, period_key(period), c) in hidden else int(row[c])
                        for c in disclosure.MEASURES}, dtype="Int64")
    return pd.concat([counts, row.drop(list(disclosure.MEASURES))])


@reads
def missing_person_breakdown(con, area_id: str, period: calendar.Period) -> tuple[pd.DataFrame, int]:
    """The breakdown by lowest-tier area and age band under disclosure control (analysis.disclosure.protect), with
    the rows of areas whose totals are withheld hidden too; and how many cells are hidden."""
    breakdown = queries.run(con, "app/missing_person_breakdown", {"area_id": area_id, "first": period.start,
                                                                  "last": period.end})
    hidden = withheld_totals(con, (period,))
    withheld_areas = {area for area, key, _ in hidden if key == period_key(period)}
    return disclosure.protect(breakdown, disclosure_threshold(), withheld_areas)


@reads
def missing_person_periods(con, area_id: str, grain: str) -> pd.DataFrame:
    """An area's reports, individuals and repeats per month or quarter (grain), counted from the records; counts
    disclosure control withholds are missing (pd.NA, in nullable integer columns, so they stay numbers)."""
    frame = queries.run(con, "app/missing_person_periods", {"area_id": area_id, "grain": grain})
    hidden = withheld_totals(con)
    step = 2 if grain == "quarter" else 0
    keys = [(str(m), str(m + step)) for m in pd.to_datetime(frame["period_start"]).dt.to_period("M")]
    for column in disclosure.MEASURES:
        withheld = pd.Series([(area_id, k, column) in hidden for k in keys], index=frame.index, dtype=bool)
        frame[column] = frame[column].astype("Int64").mask(withheld)  # bool dtype: an empty frame too
    return frame


@reads
def withheld_points(con, measure_id: str, points: pd.DataFrame) -> int:
    """How many of a chart's points disclosure control withholds (0: it may be drawn): points has area_id,
    first and last (months, as text or Periods: a month, or a period of people counted as one point) and value.
    Only the missing-person measures are controlled."""
    column = DISCLOSED_COUNTS.get(measure_id)
    if column is None or points.empty:
        return 0
    hidden, threshold = withheld_totals(con), disclosure_threshold()
    return int(sum((area, (str(first), str(last)), column) in hidden or disclosure.is_small(value, threshold)
                   for area, first, last, value in zip(points["area_id"], points["first"], points["last"],
                                                       points["value"])))


@reads
def chart_withheld_points(con, measure_id: str, area_id: str, period: calendar.Period | None = None) -> int:
    """How many points of the measure's control chart for the area (as charted_series draws it) are withheld."""
    if measure_id not in DISCLOSED_COUNTS:
        return 0
    if measure_id in PEOPLE_COUNTS and period is not None:
        blocks = people_blocks(con, area_id, period)
        points = pd.DataFrame({"first": blocks["first"], "last": blocks["last"], "value": blocks[PEOPLE_COUNTS[measure_id]]})
    else:
        series = measure_series(con, measure_id, area_id)
        months = series["month"].dt.to_period("M")
        points = pd.DataFrame({"first": months, "last": months, "value": series["value"]})
    return withheld_points(con, measure_id, points.assign(area_id=area_id))


@reads
def withheld_figures(con, area_id: str, period: calendar.Period) -> dict[str, frozenset[str]]:
    """For each missing-person measure, which of an Overview row's figures disclosure control withholds:
    "period", "last_year", "rolling", "previous_12"."""
    rolling, previous_12 = comparisons.rolling_periods(period.last)
    ranges = {"period": period, "last_year": period.shifted_years(-1), "rolling": rolling, "previous_12": previous_12}
    hidden = withheld_totals(con, tuple(ranges.values()))
    return {measure_id: frozenset(name for name, r in ranges.items() if (area_id, period_key(r), column) in hidden)
            for measure_id, column in DISCLOSED_COUNTS.items()}


@reads
def measure_sources(con, *, area_id: str, period: calendar.Period) -> dict[str, sources.Source]:
    """measure_id -> where its figures for the area and period came from (the loads that wrote them)."""
    return sources.figure_sources(queries.run(con, "app/measure_sources",
                                              {"area_id": area_id, "first": period.start, "last": period.end}))


def with_sources(table: pd.DataFrame, found: dict[str, sources.Source]) -> pd.DataFrame:
    """The Overview with each figure's source label, and `synthetic` true only where the demo generator made
    some of its rows (a figure loaded from a file is never "Synthetic (demo)")."""
    # Two columns set in place of the table rebuilt row by row (a tenth of an Overview read); a row in
    # development (no measure) keeps its own.
    synthetic, source = [], []
    for measure_id, was_synthetic, was_source in zip(table["measure_id"].tolist(), table["synthetic"].tolist(),
                                                     table["source"].tolist()):
        picked = None if measure_id is None else found.get(measure_id) or sources.catalogue_source(was_synthetic)
        synthetic.append(was_synthetic if picked is None else bool(picked.synthetic))
        source.append(was_source if picked is None else picked.label)
    return table.assign(synthetic=pd.Series(synthetic, index=table.index, dtype=bool),
                        source=pd.Series(source, index=table.index, dtype=object))


@reads
def savings_position(con, as_of: date) -> SavingsPosition:
    """The savings plan's position as at the end of the month as_of (its first day)."""
    return SavingsPosition.from_row(queries.run(con, "app/savings_position", {"as_of": as_of}).iloc[0], as_of)


@reads
def savings_lines(con, as_of: date) -> pd.DataFrame:
    return queries.run(con, "app/savings_lines", {"as_of": as_of})


@reads
def people_counts(con, area_id: str, period: calendar.Period) -> dict[str, DistinctCounts]:
    """Counts of people for the period, last year, the rolling 12 months and the 12 before,
    and the SPC series at the period's grain, all counted from the records."""
    rolling, previous_12 = comparisons.rolling_periods(period.last)
    ranges = {"period": period, "last_year": period.shifted_years(-1), "rolling": rolling, "previous_12": previous_12}
    counts = {key: queries.run(con, "app/missing_person_summary",
                               {"area_id": area_id, "first": r.start, "last": r.end}).iloc[0]
              for key, r in ranges.items()}
    blocks = people_blocks(con, area_id, period)
    result = {}
    for measure_id, column in PEOPLE_COUNTS.items():
        values = {key: comparisons.PeriodValue(float(counts[key][column]) if counts[key]["months_with_data"] else None,
                                               int(counts[key]["months_with_data"]), len(r.months))
                  for key, r in ranges.items()}
        result[measure_id] = DistinctCounts(values, blocks[["first", "last", "label", column]].rename(columns={column: "value"}))
    return result


@reads
def people_blocks(con, area_id: str, period: calendar.Period) -> pd.DataFrame:
    """Reports, individuals and repeats per run of months as long as the period, ending at its end."""
    blocks = queries.run(con, "app/missing_person_blocks",
                         {"area_id": area_id, "last": period.end, "block_months": len(period.months)})
    blocks["first"] = pd.to_datetime(blocks["block_first"]).dt.to_period("M")
    blocks["last"] = pd.to_datetime(blocks["block_last"]).dt.to_period("M")
    blocks["label"] = [calendar.range_label(f, la) for f, la in zip(blocks["first"], blocks["last"])]
    return blocks


@reads
def charted_series(con, measure_id: str, area_id: str, *, first: str | date | None = None,
                   last: str | date | None = None, extra_rebase_months=(),
                   options: SpcOptions | None = None, period: calendar.Period | None = None) -> ChartedSeries:
    """One measure and area charted with SPC and its stored rebases (and any extra ones).

    A count of people is charted at the period's grain (one point per quarter for a quarter),
    counted from the records, because monthly counts of people cannot be added up.
    """
    measure_row, area_row, stored, annotations = chart_context(con, measure_id, area_id)
    if measure_row["aggregation"] == "distinct" and period is not None:
        blocks = people_blocks(con, area_id, period)
        series = pd.DataFrame({"month": [b.start_time for b in blocks["first"]],
                               "value": blocks[PEOPLE_COUNTS[measure_id]].astype(float),
                               "numerator": float("nan"), "denominator": float("nan")})
        return chart(series, measure_row, area_row, stored, extra_rebase_months=extra_rebase_months, options=options,
                     labels=list(blocks["label"]), annotations=annotations)
    start = first if isinstance(first, date) else month_start(first, EARLIEST)
    end = last if isinstance(last, date) else month_start(last, LATEST)
    series = queries.run(con, "app/series", {"measure_id": measure_id, "area_id": area_id, "first": start, "last": end})
    if series.empty:
        raise LookupError(f"no published data for {measure_id} in {area_id} between {start} and {end}")
    return chart(series, measure_row, area_row, stored, extra_rebase_months=extra_rebase_months, options=options,
                 annotations=annotations)


@reads
def chart_context(con, measure_id: str, area_id: str) -> tuple[dict, dict, pd.DataFrame, pd.DataFrame]:
    """What a chart of a measure and area needs besides its points: the measure, the area,
    its stored rebases and the dated events (annotations) that apply to it."""
    measure = queries.run(con, "app/measure", {"measure_id": measure_id})
    if measure.empty:
        raise LookupError(f"no measure {measure_id!r}")
    area = queries.run(con, "app/area", {"area_id": area_id})
    if area.empty:
        raise LookupError(f"no area {area_id!r}")
    stored = queries.run(con, "app/spc_rebases", {"measure_id": measure_id, "area_id": area_id})
    annotations = queries.run(con, "app/chart_annotations", {"measure_id": measure_id, "area_id": area_id})
    return measure.iloc[0].to_dict(), area.iloc[0].to_dict(), stored, annotations


@reads
def what_if_inputs(con, measure_id: str, area_id: str) -> SeriesInputs:
    """A measure's whole published monthly series for an area with what charting it needs, for a what-if
    (counts of people month by month: each month's own count, from the published series)."""
    measure_row, area_row, stored, annotations = chart_context(con, measure_id, area_id)
    series = queries.run(con, "app/series", {"measure_id": measure_id, "area_id": area_id, "first": EARLIEST,
                                             "last": LATEST})
    if series.empty:
        raise LookupError(f"no published data for {measure_id} in {area_id}")
    return SeriesInputs(series, measure_row, area_row, stored, annotations)


@reads
def what_if(con, measure_id: str, area_id: str, changes: WhatIf) -> WhatIfChart:
    """The what-if chart of a measure and area: the engine run on the series as the analyst changed it.
    Reads only; nothing is written."""
    return whatif.apply(what_if_inputs(con, measure_id, area_id), changes)


@reads
def savings_progress(con, as_of: date) -> pd.DataFrame:
    return queries.run(con, "app/savings_progress", {"as_of": as_of})


@reads
def undercounted_months(con, measure_id: str, area_id: str) -> pd.DataFrame:
    """For an area below its force, the months in which police.uk gave no location to an unusual share of the
    force's records of this measure, so the area's count is too low (see analysis.areas.unlocated_months).
    Empty for a force, and for a measure with no records without a location."""
    force = force_of(queries.run(con, "app/areas"), area_id)
    if force == area_id:
        return unlocated_months(pd.DataFrame({"month": [], "unlocated": [], "force_total": []}))
    monthly = queries.run(con, "app/unlocated_by_month", {"measure_id": measure_id, "force_id": force})
    monthly["month"] = pd.to_datetime(monthly["month"])
    return unlocated_months(monthly)


@reads
def measure_series(con, measure_id: str, area_id: str) -> pd.DataFrame:
    """A measure's whole published monthly series for an area (month as a timestamp)."""
    series = queries.run(con, "app/series", {"measure_id": measure_id, "area_id": area_id, "first": EARLIEST,
                                             "last": LATEST})
    series["month"] = pd.to_datetime(series["month"])
    return series


@reads
def police_uk_forecasts(con, area_id: str, horizon: int = 6) -> dict[str, forecast.ForecastResult]:
    """The forecast of every police.uk measure (the real, not synthetic, series) for an area, by measure id, from
    the whole published series the explorer forecasts; its back-test gives the coverage the README reports."""
    measures = queries.run(con, "app/measures")
    police_uk = measures.loc[~measures["synthetic"].astype(bool), "id"]
    results = {}
    for measure_id in police_uk:
        series = measure_series(con, measure_id, area_id)
        results[measure_id] = forecast.forecast_series(list(series["month"]), series["value"].to_numpy(dtype=float),
                                                       horizon)
    return results


@reads
def measure_comparisons(con, measure: dict, area_id: str, period: calendar.Period):
    """This period against last year, and the 12 months to its end against the 12 before: as the Overview."""
    series = measure_series(con, measure["id"], area_id)
    data_start = pd.Period(series["month"].min(), "M") if len(series) else period.first
    people = people_counts(con, area_id, period)[measure["id"]] if measure["aggregation"] == "distinct" else None
    return period_comparisons(measure, series, period, data_start, people)


@reads
def rolling_series(con, measure: dict, area_id: str) -> pd.DataFrame:
    """The rolling 12-month figure for every month with 12 months behind it (people counted from the records)."""
    if measure["aggregation"] == "distinct":
        rolled = queries.run(con, "app/missing_person_rolling", {"area_id": area_id})
        return pd.DataFrame({"month": pd.to_datetime(rolled["month"]),
                             "rolling_12_months": rolled[PEOPLE_COUNTS[measure["id"]]].astype(float)})
    return comparisons.rolling_totals(measure_series(con, measure["id"], area_id), measure["aggregation"])


@reads
def areas_in_period(con, measure: dict, period: calendar.Period) -> pd.DataFrame:
    """Each area's figure for the period with a fair rate (per 1,000 people for counts)."""
    if measure["aggregation"] == "distinct":
        counts = queries.run(con, "app/missing_person_by_area", {"first": period.start, "last": period.end})
        counts = counts.rename(columns={PEOPLE_COUNTS[measure["id"]]: "value"})
        counts["rate"] = 1000 * counts["value"] / counts["population"]
        counts["months"] = len(period.months)
        return counts[["area_id", "area", "kind", "population", "value", "rate", "months"]]
    by_area = queries.run(con, "app/measure_by_area", {"measure_id": measure["id"]})
    return period_by_area(by_area, period, measure["aggregation"])


@reads
def monthly_by_area(con, measure: dict) -> pd.DataFrame:
    """Every area's monthly figure with a fair rate, for small multiples (monthly counts of people are
    each month's own count, so they are fair to show month by month)."""
    by_area = queries.run(con, "app/measure_by_area", {"measure_id": measure["id"]})
    by_area["month"] = pd.to_datetime(by_area["month"])
    how = "sum" if measure["aggregation"] == "distinct" else measure["aggregation"]
    return comparable_rates(by_area, how)


@reads
def ad_hoc_table(con, measure_ids: tuple[str, ...], area_ids: tuple[str, ...], grain: str, first: str,
                 last: str) -> pd.DataFrame:
    """Any measures, areas and periods in one long table (analysis/adhoc.py says how each figure is made).
    Counts of people come from the records for each period as a whole (missing_person_summary), never
    from adding up months."""
    chosen = adhoc.periods(calendar.month(first), calendar.month(last), grain)
    measures = queries.run(con, "app/measures").set_index("id", drop=False)
    areas = queries.run(con, "app/areas").set_index("id", drop=False)
    unknown = [m for m in measure_ids if m not in measures.index] + [a for a in area_ids if a not in areas.index]
    if unknown:
        raise LookupError(f"no measure or area {unknown[0]!r}")
    measures, areas = measures.loc[list(measure_ids)], areas.loc[list(area_ids)]
    force_id = home_force(con)
    with_force = sorted({*area_ids, force_id})
    observations = queries.run(con, "app/adhoc_observations", {
        "measure_ids": list(measure_ids), "area_ids": with_force,
        "first": min(p.start for p in chosen), "last": max(p.end for p in chosen)})
    people = {}
    counted = [m for m in measure_ids if measures.loc[m, "aggregation"] == "distinct"]
    for area_id in with_force if counted else ():
        for period in chosen:
            row = queries.run(con, "app/missing_person_summary",
                              {"area_id": area_id, "first": period.start, "last": period.end}).iloc[0]
            for measure_id in counted:
                people[(measure_id, area_id, period.label)] = adhoc.PeopleCount(
                    float(row[PEOPLE_COUNTS[measure_id]]), int(row["months_with_data"]))
    withheld = set()
    if set(measure_ids) & set(DISCLOSED_COUNTS):
        hidden = withheld_totals(con, tuple(chosen))
        withheld = {(m, a, p.label) for m in measure_ids if m in DISCLOSED_COUNTS for a in with_force for p in chosen
                    if (a, period_key(p), DISCLOSED_COUNTS[m]) in hidden}
    return adhoc.build_table(observations, measures, areas, chosen, people, withheld, force_id=force_id)


@reads
def meta(con) -> dict[str, str]:
    """The dataset's notes (schema version, dataset kind, ...) and what "as at" is worked out from:
    snapshot_as_at (the untouched demo only), published_through, last_load and last_release_day."""
    values = dict(queries.run(con, "app/meta")[["key", "value"]].itertuples(index=False))
    snapshot = datastore.snapshot_date(con)
    return {**values, "snapshot_as_at": snapshot} if snapshot else values


def is_snapshot(meta_values: dict[str, str]) -> bool:
    """The untouched demo: a snapshot whose fixed date stands for today."""
    return bool(meta_values.get("snapshot_as_at"))


def last_published(meta_values: dict[str, str]) -> datetime | None:
    """When data was last published: the later of the last load (or early publication) and the last
    09:30 release of provisional rows; the build time when neither has happened."""
    moments = []
    if meta_values.get("last_load"):
        moments.append(datetime.fromisoformat(meta_values["last_load"]))
    if meta_values.get("last_release_day"):
        moments.append(datetime.combine(date.fromisoformat(meta_values["last_release_day"]),
                                        settings().release_time))
    if not moments and meta_values.get("built_at"):
        moments.append(datetime.fromisoformat(meta_values["built_at"]))
    return max(moments) if moments else None


def as_at(meta_values: dict[str, str]) -> date:
    """The date the published data stands at: the untouched demo's fixed date; else the day data was last
    published (today when that is unknown)."""
    if is_snapshot(meta_values):
        return date.fromisoformat(meta_values["snapshot_as_at"][:10])
    published = last_published(meta_values)
    return published.date() if published else date.today()


def published_through(meta_values: dict[str, str]) -> date | None:
    """The first day of the latest month the public can see, or None when nothing is published."""
    text = meta_values.get("published_through")
    return date.fromisoformat(text[:10]) if text else None


def as_at_words(meta_values: dict[str, str]) -> str:
    """What follows "published data as at": "31 May 2022 (demo snapshot)" for the untouched demo, else
    the day data was last published and its latest month, e.g. "7 December 2026 (latest month October 2022)"."""
    if is_snapshot(meta_values):
        return f"{as_at(meta_values):%-d %B %Y} (demo snapshot)"
    latest = published_through(meta_values)
    return f"{as_at(meta_values):%-d %B %Y}" + (f" (latest month {latest:%B %Y})" if latest else "")


@reads
def priorities(con) -> pd.DataFrame:
    """id, short_name, title of the 18 strategic priorities."""
    return queries.run(con, "app/priorities")


@reads
def published_commentary(con, *, area_id: str, period: calendar.Period, priority_id: int | None = None) -> pd.DataFrame:
    """The latest published commentary for each priority (or one) overlapping the period."""
    return queries.run(con, "app/published_commentary", {"area_id": area_id, "first": period.start,
                                                         "last": period.end, "priority_id": priority_id})


@reads
def availability_notes(con, period: calendar.Period, area_id: str | None = None) -> pd.DataFrame:
    """Data-availability notes (state, reason, date) that overlap the period, for every area or this one."""
    return queries.run(con, "app/period_availability", {"first": period.start, "last": period.end, "area_id": area_id})


@reads
def paper_settings(con, *, area_id: str, period: calendar.Period) -> dict | None:
    """The latest saved settings of the Panel paper for the area and period, or None."""
    rows = queries.run(con, "app/paper_settings", {"area_id": area_id, "first": period.start, "last": period.end})
    return None if rows.empty else rows.iloc[0].to_dict()


@reads
def areas(con) -> dict[str, str]:
    """The areas a user can choose, id -> name, in the filters' order."""
    return dict(queries.run(con, "app/areas")[["id", "name"]].itertuples(index=False))


@reads
def change_references(con, now: datetime) -> list[what_changed.Reference]:
    """What a change can be measured from, the default (the last Panel: a quarter ago) first."""
    return what_changed.references(queries.run(con, "app/submissions"), now)


def _then_released_through(con, reference: what_changed.Reference) -> date:
    """The last release day the public had seen at the reference: the untouched demo's fixed clock, else the day."""
    snapshot = meta(con).get("as_at") if reference.demo_snapshot else None  # the demo's date, kept after loads too
    return access.released_through(access.clock(snapshot) if snapshot else
                                   reference.moment.replace(tzinfo=access.UK))


@reads
def series_as_stood(con, reference: what_changed.Reference, area_id: str) -> pd.DataFrame:
    """An area's monthly series (every measure) as the reader would have seen it at the reference."""
    return queries.run(con, "app/area_series_as_stood", {"area_id": area_id, "through": reference.through,
                                                         "then_released_through": _then_released_through(con, reference)})


@reads
def overview_as_stood(con, reference: what_changed.Reference, *, area_id: str, area_name: str, period: calendar.Period,
                      series: pd.DataFrame | None = None, small_sample: int = SMALL_SAMPLE) -> pd.DataFrame:
    """The Overview for the area and period as it stood at the reference (series: the area's series then, when the
    caller has it), read with today's catalogue, targets, rebases and availability notes."""
    series = series_as_stood(con, reference, area_id) if series is None else series
    catalogue = queries.run(con, "app/overview", {"area_id": area_id, "first": period.start, "last": period.end,
                                                  "priority_id": None})
    catalogue = what_changed.catalogue_as_stood(catalogue, series, period)
    rebases = queries.run(con, "app/area_rebases", {"area_id": area_id})
    people = set(catalogue["aggregation"]) & {"distinct"}
    withheld = withheld_figures(con, area_id, period) if set(catalogue["measure_id"]) & set(DISCLOSED_COUNTS) else {}
    return build_overview(catalogue, series, period, area_name, rebases,
                          distinct=people_counts(con, area_id, period) if people else None,
                          is_force_area=area_id == home_force(con), small_sample=small_sample, withheld=withheld)


@reads
def changes_since(con, reference: what_changed.Reference, *, area_id: str, area_name: str, period: calendar.Period,
                  today: date, with_returns: bool = False, small_sample: int = SMALL_SAMPLE,
                  now_table: pd.DataFrame | None = None) -> what_changed.WhatChanged:
    """What changed since the reference for an area: values (old -> new, every area), months added, SPC readings
    and RAG (the period now against the period the last Panel read), and partner returns (with_returns).
    now_table: the Overview of the area and period now, when the caller has it already."""
    params = {"through": reference.through, "then_released_through": _then_released_through(con, reference)}
    then_series = series_as_stood(con, reference, area_id)
    now_series = queries.run(con, "app/area_series", {"area_id": area_id, "last": LATEST})
    then_period = what_changed.period_then(period, what_changed.latest_month(then_series))
    if now_table is None:
        now_table = overview(con, area_id=area_id, area_name=area_name, period=period, small_sample=small_sample)
    then_table = None if then_period is None else overview_as_stood(
        con, reference, area_id=area_id, area_name=area_name, period=then_period, series=then_series,
        small_sample=small_sample)
    catalogue = queries.run(con, "app/overview", {"area_id": area_id, "first": period.start, "last": period.end,
                                                  "priority_id": None})
    arrived = what_changed.new_months(then_series, now_series)
    returns = None
    if with_returns:
        first = then_period.first if then_period is not None else period.first
        months = list(pd.period_range(first, min(period.last, pd.Period(today, "M") - 1), freq="M"))
        returns = pd.DataFrame(columns=what_changed.RETURN_COLUMNS)
        if months:
            window = {"first": months[0].start_time.date(), "last": months[-1].start_time.date()}
            cells = returns_calendar.owed(queries.run(con, "app/returns_measures"), queries.run(con, "app/areas"),
                                          months, settings().return_due_working_days)
            status = returns_calendar.cell_status(cells, queries.run(con, "app/returns_held", window),
                                                  queries.run(con, "app/returns_notes", window), today)
            returns = what_changed.returns_changes(status, reference.moment)
    return what_changed.WhatChanged(
        reference=reference, area_name=area_name, now_period=period, then_period=then_period,
        values=queries.run(con, "app/values_changed_since", params),
        months_added=what_changed.months_added_table(then_series, now_series, catalogue),
        readings=what_changed.reading_changes(then_table, now_table, then_period.label if then_period else None,
                                              period.label),
        special_causes=what_changed.new_special_causes(now_series, catalogue,
                                                       queries.run(con, "app/area_rebases", {"area_id": area_id}),
                                                       arrived, period),
        returns=returns)


@reads
def changes_by_load(con, submission_id: int, *, area_id: str | None = None, area_name: str | None = None,
                    now: datetime, small_sample: int = SMALL_SAMPLE) -> what_changed.WhatChanged:
    """What one load changed: the data just before it against the data now, the latest month then against the
    latest month now (the Data page and `python -m ingest` say it after each load), for the home force unless an
    area is given."""
    area_id = area_id or home_force(con)
    reference = next(r for r in change_references(con, now.replace(tzinfo=None)) if r.key == f"load-{submission_id}")
    latest = calendar.month(str(queries.run(con, "app/month_span").iloc[0]["last_month"])[:7])
    return changes_since(con, reference, area_id=area_id, area_name=area_name or areas(con)[area_id],
                         period=calendar.month_range(latest, latest), today=now.date(), small_sample=small_sample)
