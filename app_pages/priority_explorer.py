"""Priority explorer: one measure of a priority at a time, in one of five views, with the
narrative beside it. The measure and the view live in the URL, so any view can be shared.

Only the chosen view is drawn, which keeps a rerun fast whatever the priority's size.
"""
from types import SimpleNamespace

import numpy as np
import pandas as pd
import streamlit as st

from access import public_name
from analysis import calendar, comparisons, narrative
from analysis.areas import same_force, undercount_note
from analysis.disclosure import SUPPRESSED
from analysis.forecast import describe_coverage, forecast_series
from analysis.formatting import format_value
from analysis.overview import PROVISIONAL, OverviewRow, overview_rows
from analysis.spc import SpcOptions
from components.cached_chart import show_chart
from components.chrome import end_page
from components.commentary_view import commentary_markdown
from components.connection import current_version, home_force_id
from components.control_chart import has_later_months, period_reading, show_control_chart
from components.downloads import chart_downloads
from components.filters import current_filters
from components.overview_data import overview_table
from components.readers import catalogue
from components.readers.commentary import published_commentary
from components.readers.series import (
    areas_in_period,
    chart_withheld_points,
    charted_series,
    measure_comparisons,
    measure_series,
    monthly_by_area,
    rolling_series,
    undercounted_months,
    withheld_points,
)
from components.rebase_form import rebase_form
from components.target_form import target_form
from components.trend_charts import forecast_chart, progress_chart, rolling_chart, small_multiples, tile_map, year_on_year_chart
from dashboard_data import disclosure_threshold
from render.safe_text import plain

VIEWS = ["Control chart", "Year on year", "Rolling 12 months", "Forecast", "Areas"]

filters = current_filters()
priorities = catalogue.priorities().set_index("id")
priority_id = filters.priority_id or int(priorities.index[0])
st.title("Priority explorer")
st.header(f"{priority_id}. {priorities.loc[priority_id, 'title']}")

measures = catalogue.measures()
measures = measures[measures["priority_id"] == priority_id].set_index("id", drop=False)
if measures.empty:
    st.info("This priority has no measures yet: they are in development with partners.")
    end_page()


@st.cache_data(max_entries=256, show_spinner=False)
def cached_forecast(version, measure_id, area_id, months, values, horizon, upper_bound):
    return forecast_series(list(months), np.asarray(values), horizon, upper_bound=upper_bound)


def spc_options() -> SpcOptions:
    with st.expander("SPC options (defaults follow NHS Making Data Count)"):
        columns = st.columns(4)
        run_length = columns[0].radio("Points in a trend or shift", [7, 6], horizontal=True, key="run_length")
        # wrap: a checkbox straight in a column is otherwise cut to one line with an ellipsis
        variant = columns[1].checkbox("Two-in-three counts points beyond the limit (MDC November 2023)",
                                      key="two_in_three", wrap=True)
        screen = columns[2].checkbox("Screen large moving ranges", value=True, key="screen",
                                     help="Off reproduces the MDC Excel tool", wrap=True)
        fix_after = columns[3].number_input("Fix limits after N points (0 = all)", min_value=0, max_value=60, value=0,
                                            step=1, key="fix_after", help="At least 12 when set")
        show_near = st.toggle("Show 2-sigma near limits", key="near_limits")
    if 0 < fix_after < 12:
        st.warning("Limits are fixed only from 12 points or more; using every point.")
    options = SpcOptions(run_length=int(run_length), two_in_three_counts_beyond_limits=variant, screen_outliers=screen,
                         fix_after_n_points=int(fix_after) if fix_after >= 12 else None)
    return options, show_near


def withheld(measure, points: pd.DataFrame | None = None, *, chart_area: str | None = None) -> bool:
    """Disclosure control: a chart of missing-person counts that would show a withheld count is not drawn
    (points: area_id, first, last, value; or chart_area: the area's control chart as charted). Says so."""
    if chart_area is not None:
        count = chart_withheld_points(measure.id, chart_area, filters.period)
    else:  # months as text: plain values for the cache key
        points = points[["area_id", "first", "last", "value"]].astype({"first": str, "last": str})
        count = withheld_points(measure.id, points.reset_index(drop=True))
    if count:
        st.info(f"Not charted: {count} of the figures this chart would show {'is' if count == 1 else 'are'} withheld "
                f"({SUPPRESSED}) to protect small numbers (fewer than {disclosure_threshold()} people or reports, or "
                "a figure one could be worked out from).")
    return bool(count)


def monthly_points(area_id: str, series: pd.DataFrame) -> pd.DataFrame:
    months = pd.to_datetime(series["month"]).dt.to_period("M")
    return pd.DataFrame({"area_id": area_id, "first": months, "last": months, "value": series["value"]})


def control_chart_view(measure, area_id: str, y_title: str, target: float | None):
    """The control chart (or, for a cumulative measure, progress against its target). Returns its SPC state."""
    if measure.chart_kind == "none":
        series = measure_series(measure.id, area_id)
        chart = show_chart(progress_chart, series, measure.name, target, y_title, width="stretch")
        st.caption("A cumulative progress measure: rated against its target, not with SPC.")
        chart_downloads(chart, series, f"{measure.id} {filters.area_name}", f"{measure.id}-progress")
        return None
    options, show_near = spc_options()
    if withheld(measure, chart_area=area_id):  # the icons and the sentence stay: they show no count
        return charted_series(measure.id, area_id, options, filters.period, as_stood=True).at(filters.period)
    charted = charted_series(measure.id, area_id, options, filters.period)
    # The period's reading comes from the series as it stood at the period's end (as on the Overview);
    # the switch shows how the whole series, later months included, reads the same point.
    stood = charted_series(measure.id, area_id, options, filters.period, as_stood=True)
    with_later_data = has_later_months(charted, stood) and st.toggle(
        "With later data", key="later_data", bind="query-params",
        help=f"Off: the reading as at the end of {calendar.month_label(filters.period.last)}, as the Overview, "
             "Panel mode and the paper show it. On: the same point read from every published month.")
    frame = show_control_chart(charted, filters.period, title=measure.name, area_name=filters.area_name,
                               y_title=y_title, key=f"{measure.id}-{area_id}", target=target, show_near_limits=show_near,
                               stood=stood, with_later_data=with_later_data)
    missing_locations_note(measure, area_id)
    if charted.labels is not None:
        st.caption("A count of people is charted one point per period as long as the one chosen, each counted from "
                   "the records, because monthly counts of people cannot be added up.")
    st.page_link("app_pages/what_if.py", label="What-if", query_params={"wi_measure": measure.name, "wi_area": filters.area_name})
    rebase_form(measure, frame, area_id)
    target_form(measure)
    return period_reading(charted, stood, filters.period, with_later_data)


def missing_locations_note(measure, area_id: str) -> None:
    """Below force level, months that police.uk left without a location for many records are too low: say so."""
    note = undercount_note(undercounted_months(measure.id, area_id))
    if note:
        st.caption(f"**Missing locations.** {note}")


def year_on_year_view(measure, series: pd.DataFrame, binary, y_title: str) -> None:
    if withheld(measure, monthly_points(area_id, series)):
        return
    year = calendar.financial_year_start(filters.period.last)
    yoy = comparisons.year_on_year(series, year)
    this_label, last_label = calendar.financial_year_label(year), calendar.financial_year_label(year - 1)
    chart = show_chart(year_on_year_chart, yoy, this_label, last_label,
                       f"{measure.name}: {this_label} against {last_label}", y_title, width="stretch")
    st.markdown(f"**{filters.period.label} against the same period last year:** "
                f"{comparisons.format_change(binary, measure.unit)}")
    chart_downloads(chart, yoy, f"{measure.id} {filters.area_name} year on year", f"{measure.id}-yoy")


def rolling_view(measure, area_id: str, rolling) -> None:
    rolled = rolling_series(vars(measure), area_id)
    ends = pd.to_datetime(rolled["month"]).dt.to_period("M")
    if withheld(measure, pd.DataFrame({"area_id": area_id, "first": ends - 11, "last": ends,
                                       "value": rolled["rolling_12_months"]})):
        return
    label = {"sum": "rolling 12-month total", "pooled": "rolling 12-month rate (%)",
             "distinct": "people in the rolling 12 months"}.get(measure.aggregation, "value")
    chart = show_chart(rolling_chart, rolled, f"{measure.name}: {label}", label, width="stretch")
    st.markdown(f"**{rolling.current_label} against the 12 months before:** "
                f"{comparisons.format_change(rolling, measure.unit)}")
    chart_downloads(chart, rolled, f"{measure.id} {filters.area_name} rolling", f"{measure.id}-rolling")


def forecast_view(measure, area_id: str, series: pd.DataFrame, horizon: int, y_title: str):
    """The forecast chart with its method and coverage; returns the forecast (or None)."""
    if withheld(measure, monthly_points(area_id, series)):
        return None
    values = series["value"].to_numpy(dtype=float)
    try:
        result = cached_forecast(current_version(), measure.id, area_id, tuple(series["month"]), tuple(values), horizon,
                                 100.0 if measure.unit == "percentage" else None)
    except ValueError as reason:
        st.info(f"No forecast: {reason}.")
        return None
    ahead = result.frame()
    chart = show_chart(forecast_chart, series[["month", "value"]], ahead, f"{measure.name}: forecast", result.method,
                       y_title, width="stretch")
    chosen, other = result.chosen, [s for name, s in result.scores.items() if name != result.method][0]
    st.caption(
        f"Method: {result.method}, chosen by a rolling back-test over {chosen.forecasts} forecasts 1 to 3 "
        f"months ahead (mean absolute error {chosen.mae:,.1f}, against {other.mae:,.1f} for {other.method}). "
        f"{describe_coverage(result.coverage80, result.coverage95)}")
    chart_downloads(chart, ahead, f"{measure.id} {filters.area_name} forecast", f"{measure.id}-forecast")
    return result


def areas_view(measure, y_title: str) -> None:
    if measure.force_wide:
        st.info("This measure is reported for the force area as a whole, not by area.")
        return
    rates = monthly_by_area(vars(measure))
    if rates.empty:
        st.info("This measure is reported for the force area only.")
        return
    rate_label = rates["rate_label"].iloc[0] or y_title
    in_force = same_force(catalogue.areas(), area_id)
    rates = rates[rates["area_id"].isin(in_force)]
    leaves = rates[rates["kind"].isin(["district", "unitary authority"])]
    months = pd.to_datetime(leaves["month"]).dt.to_period("M")
    if withheld(measure, pd.DataFrame({"area_id": leaves["area_id"], "first": months, "last": months,
                                       "value": leaves["value"]})):
        return
    chart = show_chart(small_multiples, leaves, f"{measure.name} by area, each month ({rate_label})", rate_label)
    chart_downloads(chart, leaves, f"{measure.id} by area", f"{measure.id}-areas")
    if not leaves.empty:
        missing_locations_note(measure, leaves["area_id"].iloc[0])
    summary = areas_in_period(vars(measure), filters.period)
    summary = summary[summary["rate"].notna() & summary["area_id"].isin(in_force)]
    if withheld(measure, summary.assign(first=filters.period.first, last=filters.period.last)):
        return
    if summary.empty:
        st.info(f"No area has data for {filters.period.label}.")
        return
    tiles = show_chart(tile_map, summary, f"{measure.name}, {filters.period.label}", rate_label)
    chart_downloads(tiles, summary, f"{measure.id} tile map {filters.period.label}", f"{measure.id}-tiles")


def narrative_panel(measure, row: OverviewRow, at, binary, notes: pd.DataFrame, forecast=None) -> None:
    st.markdown("**Narrative**")
    for note in notes[notes["measure_id"].isna() | (notes["measure_id"] == measure.id)].itertuples():
        about = "this measure" if isinstance(note.measure_id, str) else "the priority"
        author = public_name(note.author, "write commentary")  # a name and role, never an e-mail address
        st.info(f"{commentary_markdown(note.text)}\n\n— {plain(author)}, published commentary on {about} for "
                f"{plain(filters.period.label)} (version {note.version})")
    if at is None:
        sentence = row.narrative
    else:  # the chart's own SPC state (its options may differ from the defaults the Overview uses)
        sentence = narrative.draft_sentence(
            measure_name=measure.name, area_name=filters.area_name, period_label=filters.period.label,
            value_text=row.value, point=at.point, point_context=at.context, as_at=at.as_at, comparison=binary,
            unit=measure.unit,
            period_noun=narrative.period_noun(filters.period.label), forecast_clause=ahead_clause(measure, forecast))
    st.warning(f"**Draft, not published.** {sentence}")
    st.caption("Drafted from the statistics; it stays a draft until the co-ordinator publishes commentary.")


def ahead_clause(measure, forecast) -> str:
    """The forecast in words, where the statistics support it (see narrative.forecast_clause)."""
    if forecast is None:
        return ""
    charted = charted_series(measure.id, area_id)
    return narrative.forecast_clause(
        forecast.months, forecast.forecast.lower80, forecast.forecast.upper80,
        lambda v: format_value(v, measure.unit), stable=charted.result.variation_icon == "common_cause",
        coverage80=forecast.coverage80.rate if forecast.coverage80.forecasts else None)


summary = {row.measure_id: row for row in overview_rows(
    overview_table(filters.area_id, filters.area_name, filters.period, priority_id, filters.small_sample))}
names = dict(zip(measures["id"], measures["name"]))
# Open on the first measure, in catalogue order, with a figure for the period (as this session may see it);
# a measure chosen in the URL stays chosen.
with_data = [m for m in names if m in summary and summary[m].status in ("complete", "partial")]
measure_id = st.columns([3, 2])[0].selectbox("Measure", list(names), format_func=names.__getitem__, key="measure",
                                             index=list(names).index(with_data[0]) if with_data else 0,
                                             bind="query-params")
if not with_data:
    st.info(f"No measure of this priority has data for {filters.period.label} in {filters.area_name}.")
view = st.segmented_control("View", VIEWS, default=VIEWS[0], key="view", bind="query-params") or VIEWS[0]
measure = SimpleNamespace(**measures.loc[measure_id].to_dict())  # attributes, so .name is the measure's name
row = summary[measure_id]
direction = {"increase": "higher is better", "decrease": "lower is better"}.get(measure.improvement_direction,
                                                                                   "no improvement direction")
st.caption(f"{filters.area_name} · {filters.period.label} (shaded on control charts) · "
           f"{row.source} · {measure.partner} · {direction}"
           + (f" · {measure.note}" if isinstance(measure.note, str) else ""))
st.markdown(f"**{filters.period.label}: {row.value}**"
            + (f" **({PROVISIONAL})**" if row.provisional else "")  # as the Overview marks it
            + f" · same period last year: {row.last_year} · change: {row.change or '–'} · "
            f"RAG: **{row.rag}** ({row.rag_reason})")
if row.status not in ("complete", "partial"):
    st.info(f"{filters.period.label}: {plain(row.status_reason)}")  # why there is no figure, in the partner's words

area_id = home_force_id() if measure.force_wide else filters.area_id
if measure.force_wide and filters.area_id != area_id:
    st.info(f"{measure.name} is reported for the force area as a whole; the force area's figures are shown.")
series = measure_series(measure.id, area_id)
if series.empty:
    st.info(f"No published data for {measure.name} in {filters.area_name}. {plain(row.status_reason)}")
    end_page()
binary, rolling = measure_comparisons(vars(measure), area_id, filters.period)
y_title = {"percentage": "%", "currency": "£m"}.get(measure.unit, "count")
target = None if pd.isna(measure.target) else float(measure.target)
notes = published_commentary(area_id=filters.area_id, period=filters.period, priority_id=priority_id)

charts, narrative_column = st.columns([3, 1])
at = forecast = None
with charts:
    if view == "Control chart":
        at = control_chart_view(measure, area_id, y_title, target)
    elif view == "Year on year":
        year_on_year_view(measure, series, binary, y_title)
    elif view == "Rolling 12 months":
        rolling_view(measure, area_id, rolling)
    elif view == "Forecast":
        horizon = st.select_slider("Forecast months ahead", options=[3, 4, 5, 6], value=6, key="horizon")
        forecast = forecast_view(measure, area_id, series, horizon, y_title)
    else:
        areas_view(measure, y_title)
with narrative_column:
    if at is None and forecast is not None and measure.chart_kind != "none":
        at = charted_series(measure.id, area_id, None, filters.period, as_stood=True).at(filters.period)
    narrative_panel(measure, row, at, binary, notes, forecast)
