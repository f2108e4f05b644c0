"""What the pages, Panel mode and the paper read: named queries, then analysis.

Every function takes a DuckDB connection (or cursor) and returns plain data, with
no Streamlit, so the app, the command line and the paper share one code path and
tests run without a session. components/ wraps these with caches keyed by the
data version.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

import queries
from analysis import calendar
from analysis.overview import build_overview
from analysis.series import EARLIEST, LATEST, ChartedSeries, chart, month_start
from analysis.spc import SpcOptions


def overview(con, *, area_id: str, area_name: str, period: calendar.Period, priority_id: int | None = None) -> pd.DataFrame:
    """The Overview table (the Panel's Appendix A) for one area, period and priority (None: all)."""
    catalogue = queries.run(con, "app/overview", {"area_id": area_id, "first": period.start, "last": period.end,
                                                  "priority_id": priority_id})
    series = queries.run(con, "app/area_series", {"area_id": area_id, "last": LATEST})
    rebases = queries.run(con, "app/area_rebases", {"area_id": area_id})
    return build_overview(catalogue, series, period, area_name, rebases)


def charted_series(con, measure_id: str, area_id: str, *, first: str | date | None = None,
                   last: str | date | None = None, extra_rebase_months=(),
                   options: SpcOptions | None = None) -> ChartedSeries:
    """One measure and area charted with SPC and its stored rebases (and any extra ones)."""
    measure = queries.run(con, "app/measure", {"measure_id": measure_id})
    if measure.empty:
        raise LookupError(f"no measure {measure_id!r}")
    area = queries.run(con, "app/area", {"area_id": area_id})
    if area.empty:
        raise LookupError(f"no area {area_id!r}")
    start = first if isinstance(first, date) else month_start(first, EARLIEST)
    end = last if isinstance(last, date) else month_start(last, LATEST)
    series = queries.run(con, "app/series", {"measure_id": measure_id, "area_id": area_id, "first": start, "last": end})
    if series.empty:
        raise LookupError(f"no published data for {measure_id} in {area_id} between {start} and {end}")
    stored = queries.run(con, "app/spc_rebases", {"measure_id": measure_id, "area_id": area_id})
    return chart(series, measure.iloc[0].to_dict(), area.iloc[0].to_dict(), stored,
                 extra_rebase_months=extra_rebase_months, options=options)


def meta(con) -> dict[str, str]:
    """The dataset's notes: schema version, dataset kind, and the "as at" date of a snapshot."""
    return dict(queries.run(con, "app/meta")[["key", "value"]].itertuples(index=False))


def as_at(meta_values: dict[str, str]) -> date:
    """The date the published data stands at: meta('as_at') when set, else today (as published_observations)."""
    text = meta_values.get("as_at")
    return date.fromisoformat(text) if text else date.today()


def priorities(con) -> pd.DataFrame:
    """id, short_name, title of the 18 strategic priorities."""
    return queries.run(con, "app/priorities")


def published_commentary(con, *, area_id: str, period: calendar.Period, priority_id: int | None = None) -> pd.DataFrame:
    """The latest published commentary for each priority (or one) overlapping the period."""
    return queries.run(con, "app/published_commentary", {"area_id": area_id, "first": period.start,
                                                         "last": period.end, "priority_id": priority_id})


def availability_notes(con, period: calendar.Period) -> pd.DataFrame:
    """Data-availability notes (state, reason, date) that overlap the period."""
    return queries.run(con, "app/period_availability", {"first": period.start, "last": period.end})


def paper_settings(con, *, area_id: str, period: calendar.Period) -> dict | None:
    """The latest saved settings of the Panel paper for the area and period, or None."""
    rows = queries.run(con, "app/paper_settings", {"area_id": area_id, "first": period.start, "last": period.end})
    return None if rows.empty else rows.iloc[0].to_dict()


def areas(con) -> dict[str, str]:
    """The areas a user can choose, id -> name, in the filters' order."""
    return dict(queries.run(con, "app/areas")[["id", "name"]].itertuples(index=False))
