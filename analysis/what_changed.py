"""What changed since a reference: the data as it stood after one load (the last Panel's, or just before a load).

The database keeps every value a load replaced (observation_history, with the load that replaced it) and numbers
its loads in the order they were made (submissions), so the data as it stood after load N is: the values loaded by
N that nothing replaced since, and the values loads after N replaced. Comparing that with the data now gives the
values changed (old -> new), the months added, each measure's SPC reading and RAG then and now, and the partner
returns received since or still missing. Pure: frames in, frames and words out; no Streamlit, no database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd

from analysis import calendar
from analysis.overview import OverviewRow, overview_rows
from analysis.series import as_stood, measure_spc, rebase_positions
from analysis.spc import SPECIAL_CAUSE_WORDS

QUARTER_DAYS = 91  # the Panel meets each quarter: by default it last saw the data as it stood this long ago
SINCE_QUARTER, SINCE_START = "quarter", "start"
READING_COLUMNS = ["priority_id", "measure_id", "measure", "then", "now", "became_special_cause",
                   "no_longer_special_cause", "rag_changed", "rated_change", "change"]
NOT_RATED = "Not rated"
NEW_SPECIAL_COLUMNS = ["priority_id", "measure_id", "measure", "month", "variation", "rule"]
RETURN_COLUMNS = ["partner", "month", "change", "rows", "received_at"]
RECEIVED_SINCE, STILL_MISSING = "received since", "still missing (late)"


@dataclass(frozen=True)
class Reference:
    """The data as it stood after load `through` (0: before any load), the moment that was, and how to say it."""

    key: str  # "quarter", "start" or "load-N": what the address keeps
    through: int
    moment: datetime
    words: str  # "the data as it stood on 7 September 2026 at 10:02, a quarter ago"
    demo_snapshot: bool = False  # the untouched demo: its fixed clock decided what the public saw


def _on(moment: datetime) -> str:
    return f"{moment:%-d %B %Y at %H:%M}"


def references(submissions: pd.DataFrame, now: datetime) -> list[Reference]:
    """What a change can be measured from, the default first: the data as it stood a quarter ago (the last Panel,
    which meets each quarter; the demo as built when nothing is that old), the start (the demo as built, or before
    the first load), then just before each load, newest first.

    submissions: id, loaded_at, kind, file_name (app/submissions)."""
    loads = submissions.assign(loaded_at=pd.to_datetime(submissions["loaded_at"])).sort_values("id")
    demo = loads[loads["kind"] == "demo"]
    if len(demo):
        built = demo.iloc[-1]
        start = Reference(SINCE_START, int(built["id"]), built["loaded_at"].to_pydatetime(),
                          f"the demo data as built on {_on(built['loaded_at'])}",
                          demo_snapshot=not (loads[loads["id"] <= built["id"]]["kind"] != "demo").any())
    else:
        first = loads["loaded_at"].min() if len(loads) else now
        start = Reference(SINCE_START, 0, first - timedelta(microseconds=1), "the empty database, before any load")
    cutoff = now.replace(tzinfo=None) - timedelta(days=QUARTER_DAYS)
    before = loads[(loads["loaded_at"] <= cutoff) & (loads["id"] >= start.through)]
    if len(before):
        last = before.iloc[-1]
        default = Reference(SINCE_QUARTER, int(last["id"]), last["loaded_at"].to_pydatetime(),
                            f"the data as it stood a quarter ago, after the load of {_on(last['loaded_at'])}")
    else:
        default = Reference(SINCE_QUARTER, start.through, start.moment,
                            f"{start.words} (nothing was loaded before that, a quarter ago)", start.demo_snapshot)
    each = [Reference(f"load-{int(r.id)}", int(r.id) - 1, r.loaded_at.to_pydatetime() - timedelta(microseconds=1),
                      f"the data just before load {int(r.id)} ({r.file_name}, {_on(r.loaded_at)})")
            for r in loads.iloc[::-1].itertuples() if r.kind != "demo"]
    return [default, start, *each]


def latest_month(series: pd.DataFrame) -> pd.Period | None:
    return None if series.empty else pd.Period(pd.to_datetime(series["month"]).max(), "M")


def period_then(now_period: calendar.Period, latest_then: pd.Period | None) -> calendar.Period | None:
    """The period the last Panel read: the latest one of the same kind as now_period (a quarter before a quarter)
    whose months had all arrived by then; None when no data had."""
    if latest_then is None:
        return None
    period = now_period
    while period.last > latest_then:
        period = calendar.preceding(period)
    return period


def catalogue_as_stood(catalogue: pd.DataFrame, series: pd.DataFrame, period: calendar.Period) -> pd.DataFrame:
    """The Overview's catalogue rows (app/overview) with the months with data, and those provisional, counted from
    the series as it stood (measure_id, month, provisional) instead of from the data now."""
    months = pd.to_datetime(series["month"])
    inside = series[(months >= period.first.start_time) & (months <= period.last.start_time)]
    counts = inside.groupby("measure_id").agg(months_with_data=("month", "size"),
                                              provisional_months=("provisional", "sum"))
    frame = catalogue.copy()
    frame["months_with_data"] = frame["measure_id"].map(counts["months_with_data"]).fillna(0).astype(int)
    frame["provisional_months"] = frame["measure_id"].map(counts["provisional_months"]).fillna(0).astype(int)
    return frame


def variation_words(icon: str | None) -> str:
    """An Overview row's variation icon in words: "special cause concern (high)", "common cause", "no SPC"."""
    if icon is None:
        return "no SPC reading"
    if icon == "common_cause":
        return "common cause"
    stem, side = icon.rsplit("_", 1)
    state = "neither" if stem == "neutral" else stem  # the icon's name for it (spc.variation_icon)
    return f"{SPECIAL_CAUSE_WORDS[state].lower()} ({side})"


def reading(row: OverviewRow | None, period_label: str | None) -> str:
    if row is None or period_label is None:
        return "no reading"
    return f"{period_label}: {variation_words(row.variation_icon)}; {row.rag}"


def reading_changes(then: pd.DataFrame | None, now: pd.DataFrame, then_label: str | None, now_label: str) -> pd.DataFrame:
    """Each measure whose SPC reading or RAG differs between the Overview the last Panel read (then) and the
    Overview now (analysis/overview.py columns), in catalogue order, with the change in words."""
    before = {} if then is None else {r.measure_id: r for r in overview_rows(then) if not r.in_development}
    rows = []
    for row in overview_rows(now):
        if row.in_development:
            continue
        old = before.get(row.measure_id)
        was_special = old is not None and old.special_cause
        old_icon = None if old is None else old.variation_icon
        became = row.special_cause and old_icon != row.variation_icon
        no_longer = was_special and not row.special_cause
        rag_changed = old is not None and old.rag != row.rag
        words = []
        if became:
            words.append(f"became {variation_words(row.variation_icon)}"
                         + (f" (was {variation_words(old_icon)})" if was_special else ""))
        if no_longer:
            words.append(f"no longer special cause (was {variation_words(old_icon)})")
        if rag_changed:
            words.append(f"RAG {old.rag} → {row.rag}")
        if words:
            rows.append({"priority_id": row.priority_id, "measure_id": row.measure_id, "measure": row.measure,
                         "then": reading(old, then_label), "now": reading(row, now_label),
                         "became_special_cause": became, "no_longer_special_cause": no_longer,
                         "rag_changed": rag_changed,
                         "rated_change": became or no_longer or (rag_changed and NOT_RATED not in (old.rag, row.rag)),
                         "change": _capital("; ".join(words))})
    return pd.DataFrame(rows, columns=READING_COLUMNS)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def new_months(then: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """The (measure_id, month) rows of `now` that `then` did not hold, or held with another value."""
    keys = ["measure_id", "month"]
    old = then.assign(month=pd.to_datetime(then["month"]))[keys + ["value"]]
    new = now.assign(month=pd.to_datetime(now["month"]))[keys + ["value"]]
    joined = new.merge(old, on=keys, how="left", suffixes=("", "_then"))
    changed = joined["value_then"].isna() | (joined["value_then"] != joined["value"])
    return joined.loc[changed, keys].reset_index(drop=True)


def new_special_causes(series: pd.DataFrame, catalogue: pd.DataFrame, rebases: pd.DataFrame, arrived: pd.DataFrame,
                       period: calendar.Period) -> pd.DataFrame:
    """The special-cause points, in the months that arrived or changed since (`arrived`: measure_id, month), of
    each measure's control chart as it stands now to the end of `period` (the chart Panel mode and the paper draw).

    series: the area's monthly series now (measure_id, month, value, numerator, denominator); catalogue: app/overview
    rows; rebases: measure_id, month. Counts of people (charted per period) and cumulative measures are left out."""
    wanted = arrived.groupby("measure_id")["month"].apply(set).to_dict()
    rebase_months = rebases.groupby("measure_id")["month"].apply(list).to_dict() if len(rebases) else {}
    by_measure = {key: frame for key, frame in series.groupby("measure_id")}
    rows = []
    for measure in catalogue.to_dict("records"):
        measure_id = measure["measure_id"]
        if (not isinstance(measure_id, str) or measure_id not in wanted or measure_id not in by_measure
                or measure["chart_kind"] == "none" or measure["aggregation"] == "distinct"):
            continue
        frame = by_measure[measure_id].assign(month=lambda f: pd.to_datetime(f["month"]))
        frame = as_stood(frame.sort_values("month").reset_index(drop=True), period)[0]
        if len(frame) < 2:
            continue
        result = measure_spc(frame, {**measure, "id": measure_id},
                             rebase_positions(frame["month"], rebase_months.get(measure_id, ())))[0]
        points = result.points.assign(month=frame["month"].to_numpy())
        for point in points[points["month"].isin(wanted[measure_id]) & (points["flag"] != 0)].itertuples():
            rows.append({"priority_id": measure["priority_id"], "measure_id": measure_id, "measure": measure["measure"],
                         "month": pd.Period(point.month, "M"),
                         "variation": f"{SPECIAL_CAUSE_WORDS[point.special_cause].lower()} "
                                      f"({'high' if point.flag == 1 else 'low'})",
                         "rule": point.rule_words})
    return pd.DataFrame(rows, columns=NEW_SPECIAL_COLUMNS)


def returns_changes(cells: pd.DataFrame, moment: datetime) -> pd.DataFrame:
    """Partner returns (a partner's month) received since the moment, and those still missing now (late: past due
    and not all received), from the owed cells with their status (analysis.returns_calendar.cell_status rows), by the
    calendar's rules: received when every cell owed is, late when any is late."""
    owed = cells[cells["status"] != "not expected"]
    if owed.empty:
        return pd.DataFrame(columns=RETURN_COLUMNS)
    grouped = owed.assign(got=owed["status"] == "received", late=owed["status"] == "late",
                          loaded_at=pd.to_datetime(owed["loaded_at"])).groupby(["partner", "month"], sort=False)
    summary = grouped.agg(rows_received=("got", "sum"), rows_owed=("got", "size"), late=("late", "any"),
                          received_at=("loaded_at", "max")).reset_index()
    complete = summary["rows_received"] == summary["rows_owed"]
    summary["change"] = None
    summary.loc[complete & (summary["received_at"] > pd.Timestamp(moment)), "change"] = RECEIVED_SINCE
    summary.loc[summary["late"], "change"] = STILL_MISSING
    summary = summary[summary["change"].notna()]
    summary = pd.concat([summary[summary["change"] == RECEIVED_SINCE], summary[summary["change"] == STILL_MISSING]])
    return pd.DataFrame({"partner": summary["partner"], "month": summary["month"], "change": summary["change"],
                         "rows": [f"{int(g):,} of {int(o):,}" for g, o in zip(summary["rows_received"], summary["rows_owed"])],
                         "received_at": summary["received_at"]}, columns=RETURN_COLUMNS).reset_index(drop=True)


@dataclass(frozen=True)
class WhatChanged:
    """Everything that changed since a reference, for one area: what the view, the Data page and the paper show."""

    reference: Reference
    area_name: str
    now_period: calendar.Period
    then_period: calendar.Period | None
    values: pd.DataFrame  # values_changed_since rows: measure, area, month, old and new value
    months_added: pd.DataFrame  # measure_id, measure, months (words), rows: new months at the area
    readings: pd.DataFrame  # READING_COLUMNS
    special_causes: pd.DataFrame  # NEW_SPECIAL_COLUMNS
    returns: pd.DataFrame | None = field(default=None)  # RETURN_COLUMNS; None: not the reader's to see

    def lines(self, limit: int = 8) -> list[str]:
        """The changes in words, one sentence each."""
        return summary_lines(self, limit)


def _names(items: list[str], limit: int) -> str:
    shown = items[:limit]
    more = len(items) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more else "")


def summary_lines(changed: WhatChanged, limit: int = 8) -> list[str]:
    lines = []
    if len(changed.months_added):
        lines.append(f"New months for {changed.area_name}: "
                     + _names([f"{r.measure} ({r.months})" for r in changed.months_added.itertuples()], limit) + ".")
    else:
        lines.append(f"No new months for {changed.area_name}.")
    special = changed.special_causes
    if len(special):
        grouped = [f"{measure} (" + ", ".join(f"{v}: {months_words(list(by['month']))}"
                                             for v, by in g.groupby("variation", sort=False)) + ")"
                   for measure, g in special.groupby("measure", sort=False)]
        lines.append(f"Special cause in the new months ({len(grouped)} measure{'s' if len(grouped) != 1 else ''}): "
                     + _names(grouped, limit) + ".")
    else:
        lines.append("No special cause in the new months.")
    readings = changed.readings
    became = readings[readings["became_special_cause"]]
    if len(became):
        lines.append(f"Became special cause ({changed.then_period.label if changed.then_period else 'no reading'} → "
                     f"{changed.now_period.label}): " + _names(list(became["measure"] + ": " + became["change"]), limit)
                     + ".")
    rag = readings[readings["rag_changed"] & readings["rated_change"]]
    if len(rag):
        lines.append("RAG changed: " + _names([f"{r.measure} ({r.change.split('RAG ')[-1]})" for r in rag.itertuples()],
                                              limit) + ".")
    unrated = readings[readings["rag_changed"] & ~readings["rated_change"]]
    if len(unrated):
        lines.append(f"Rated then, not rated now or the other way round (a figure missing in one of the periods): "
                     f"{len(unrated)} measure{'s' if len(unrated) != 1 else ''}.")
    if changed.then_period is None:
        lines.append("No reading then: no data had arrived.")
    elif not len(became) and not len(rag):
        lines.append(f"No measure became special cause or changed RAG ({changed.then_period.label} → "
                     f"{changed.now_period.label}).")
    values = changed.values
    if len(values):
        lines.append(f"{len(values):,} value{'s' if len(values) != 1 else ''} changed (old → new) in "
                     f"{values['measure'].nunique()} measure{'s' if values['measure'].nunique() != 1 else ''}: "
                     + _names([f"{r.measure}, {r.area}, {calendar.month_label(pd.Period(r.month, 'M'))}: "
                               f"{_number(r.old_value)} → {_number(r.new_value)}" for r in values.itertuples()], 3) + ".")
    else:
        lines.append("No value held then has changed.")
    if changed.returns is not None:
        got = changed.returns[changed.returns["change"] == RECEIVED_SINCE]
        missing = changed.returns[changed.returns["change"] == STILL_MISSING]
        lines.append(f"Partner returns received since: {len(got)}"
                     + (" (" + _names([f"{r.partner}, {_month(r.month)}" for r in got.itertuples()], limit) + ")"
                        if len(got) else "")
                     + f"; still missing (late): {len(missing)}"
                     + (" (" + _names([f"{r.partner}, {_month(r.month)}" for r in missing.itertuples()], limit) + ")"
                        if len(missing) else "") + ".")
    return lines


def _month(text: str) -> str:
    return calendar.month_label(calendar.month(str(text)))


def _number(value) -> str:
    return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"


def months_words(months) -> str:
    """ "April 2022", "May–October 2022", or a list when months are missing between."""
    periods = sorted({pd.Period(m, "M") for m in months})
    if len(periods) == 1:
        return calendar.month_label(periods[0])
    first, last = periods[0], periods[-1]
    if len(periods) != (last - first).n + 1:
        return ", ".join(calendar.month_label(p) for p in periods)
    return f"{first:%B}{'' if first.year == last.year else f' {first.year}'}–{calendar.month_label(last)}"


def months_added_table(then: pd.DataFrame, now: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """By measure in catalogue order, the months held now that were not held then: measure_id, measure, months
    (in words), rows."""
    old = set(zip(then["measure_id"], pd.to_datetime(then["month"])))
    added = now[[key not in old for key in zip(now["measure_id"], pd.to_datetime(now["month"]))]]
    names = dict(zip(catalogue["measure_id"], catalogue["measure"]))
    rows = [{"measure_id": m, "measure": names[m], "months": months_words(group["month"]), "rows": len(group)}
            for m, group in added.groupby("measure_id", sort=False) if m in names]
    order = {m: i for i, m in enumerate(catalogue["measure_id"])}
    return pd.DataFrame(sorted(rows, key=lambda r: order[r["measure_id"]]), columns=["measure_id", "measure", "months", "rows"])
