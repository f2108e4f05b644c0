"""Priority explorer: each measure of one priority as a control chart, with comparisons,
a forecast, areas side by side, and the narrative beside the charts."""
import numpy as np
import pandas as pd
import streamlit as st

from analysis import calendar, comparisons
from analysis.areas import comparable_rates, period_by_area
from analysis.forecast import forecast_series
from analysis.overview import draft
from analysis.spc import SpcOptions
from components.chrome import source_label
from components.control_chart import chart_frame, control_chart, describe
from components.database import charted_series, current_version, query
from components.downloads import chart_downloads
from components.filters import current_filters
from components.rebase_form import rebase_form
from components.spc_icons import icons_html
from components.trend_charts import forecast_chart, progress_chart, rolling_chart, small_multiples, tile_map, year_on_year_chart

filters = current_filters()
st.title("Priority explorer")
priorities = query("app/priorities").set_index("id")
priority_id = filters.priority_id or int(priorities.index[0])
st.subheader(f"{priority_id}. {priorities.loc[priority_id, 'title']}")
st.caption(f"{filters.area_name} · {filters.period.label} (shaded on control charts) · choose the priority, area "
           "and period in the sidebar. Control charts use every published month.")
left, right = st.columns([1, 1])
show_near = left.toggle("Show 2-sigma near limits", key="near_limits")
horizon = right.select_slider("Forecast months ahead", options=[3, 4, 5, 6], value=6, key="horizon")
with st.expander("SPC options (defaults follow NHS Making Data Count)"):
    columns = st.columns(4)
    run_length = columns[0].radio("Points in a trend or shift", [7, 6], horizontal=True, key="run_length")
    variant = columns[1].checkbox("Two-in-three counts points beyond the limit (MDC November 2023)", key="two_in_three")
    screen = columns[2].checkbox("Screen large moving ranges", value=True, key="screen",
                                 help="Off reproduces the MDC Excel tool")
    fix_after = columns[3].number_input("Fix limits after N points (0 = all)", min_value=0, max_value=60, value=0,
                                        step=1, key="fix_after", help="At least 12 when set")
spc_options = SpcOptions(run_length=int(run_length), two_in_three_counts_beyond_limits=variant, screen_outliers=screen,
                         fix_after_n_points=int(fix_after) if fix_after >= 12 else None)
if 0 < fix_after < 12:
    st.warning("Limits are fixed only from 12 points or more; using every point.")


@st.cache_data(max_entries=256, show_spinner=False)
def cached_forecast(version, measure_id, area_id, months, values, horizon, upper_bound):
    return forecast_series(list(months), np.asarray(values), horizon, upper_bound=upper_bound)


def commentary_panel(measure, sentence: str, notes: pd.DataFrame) -> None:
    st.markdown("**Narrative**")
    published = notes[notes["measure_id"].isna() | (notes["measure_id"] == measure.id)]
    for note in published.itertuples():
        st.info(f"{note.text}\n\n— {note.author}, published commentary (version {note.version})")
    st.warning(f"**Draft, not published.** {sentence}")
    st.caption("Drafted from the statistics; it stays a draft until the co-ordinator publishes commentary.")


measures = query("app/measures")
measures = measures[measures["priority_id"] == priority_id]
if measures.empty:
    st.info("This priority has no measures yet: they are in development with partners.")
notes = query("app/published_commentary", priority_id=priority_id, **filters.as_params())
period_start, period_end = pd.Timestamp(filters.period.start), pd.Timestamp(filters.period.end)

for measure in measures.itertuples():
    st.markdown(f"### {measure.name}")
    direction = {"increase": "higher is better", "decrease": "lower is better"}.get(measure.improvement_direction,
                                                                                       "no improvement direction")
    st.caption(f"{source_label(bool(measure.synthetic))} · {measure.partner} · {direction}"
               + (f" · {measure.note}" if isinstance(measure.note, str) else ""))
    series = query("app/series", measure_id=measure.id, area_id=filters.area_id, first=pd.Timestamp("1900-01-01").date(),
                   last=pd.Timestamp("9999-12-01").date())
    if series.empty:
        st.info(f"No published data for {measure.name} in {filters.area_name}.")
        continue
    series["month"] = pd.to_datetime(series["month"])
    how = comparisons.aggregation(measure.unit, measure.chart_kind)
    y_title = {"percentage": "%", "currency": "£m"}.get(measure.unit, "count")
    target = None if pd.isna(measure.target) else float(measure.target)
    data_start = pd.Period(series["month"].min(), "M")
    binary = comparisons.same_period_last_year(series, filters.period, how, data_start)
    charts, narrative_column = st.columns([3, 1])

    with charts:
        spc_tab, yoy_tab, rolling_tab, forecast_tab, areas_tab = st.tabs(
            ["Control chart", "Year on year", "Rolling 12 months", "Forecast", "Areas"])
        points = None
        with spc_tab:
            if measure.chart_kind == "none":
                chart = progress_chart(series, measure.name, target, y_title)
                st.altair_chart(chart, width="stretch")
                st.caption("A cumulative progress measure: rated against its target, not with SPC.")
                chart_downloads(chart, series, f"{measure.id} {filters.area_name}", f"{measure.id}-progress")
            else:
                charted = charted_series(measure.id, filters.area_id, spc_options)
                points = charted.points
                frame = chart_frame(points)
                description = describe(measure.name, filters.area_name, frame)
                chart = control_chart(frame, title=measure.name, description=description, target=target,
                                      rebases=charted.rebases, show_near_limits=show_near,
                                      highlight=(period_start, period_end), y_title=y_title)
                st.altair_chart(chart, width="stretch")
                st.markdown(icons_html(charted.result.variation_icon, charted.result.assurance_icon,
                                       provisional=charted.result.trial_limits), unsafe_allow_html=True)
                chart_name = {"xmr": "XmR chart", "p": "p-chart", "p'": "Laney p′ chart"}[charted.result.chart]
                st.caption(f"{description} {chart_name}; icons are for the latest month.")
                chart_downloads(chart, frame.drop(columns=["classification", "month_label", "limits"]),
                                f"{measure.id} {filters.area_name} control chart", f"{measure.id}-spc")
                rebase_form(measure, frame, filters.area_id)
        with yoy_tab:
            year = calendar.financial_year_start(filters.period.last)
            yoy = comparisons.year_on_year(series, year)
            this_label, last_label = calendar.financial_year_label(year), calendar.financial_year_label(year - 1)
            chart = year_on_year_chart(yoy, this_label, last_label, f"{measure.name}: {this_label} against {last_label}")
            st.altair_chart(chart, width="stretch")
            st.markdown(f"**{filters.period.label} against the same period last year:** "
                        f"{comparisons.format_change(binary, measure.unit)}")
            chart_downloads(chart, yoy, f"{measure.id} {filters.area_name} year on year", f"{measure.id}-yoy")
        with rolling_tab:
            rolled = comparisons.rolling_totals(series, how)
            label = {"sum": "rolling 12-month total", "pooled": "rolling 12-month rate (%)"}.get(how, "value")
            chart = rolling_chart(rolled, f"{measure.name}: {label}", label)
            st.altair_chart(chart, width="stretch")
            rolling = comparisons.rolling_twelve_months(series, filters.period.last, how, data_start)
            st.markdown(f"**{rolling.current_label} against the 12 months before:** "
                        f"{comparisons.format_change(rolling, measure.unit)}")
            chart_downloads(chart, rolled, f"{measure.id} {filters.area_name} rolling", f"{measure.id}-rolling")
        with forecast_tab:
            values = series["value"].to_numpy(dtype=float)
            try:
                result = cached_forecast(current_version(), measure.id, filters.area_id,
                                         tuple(series["month"]), tuple(values), horizon,
                                         100.0 if measure.unit == "percentage" else None)
            except ValueError as reason:
                st.info(f"No forecast: {reason}.")
            else:
                ahead = result.frame()
                chart = forecast_chart(series[["month", "value"]], ahead, f"{measure.name}: forecast", result.method)
                st.altair_chart(chart, width="stretch")
                chosen, other = result.chosen, [s for name, s in result.scores.items() if name != result.method][0]
                st.caption(
                    f"Method: {result.method}, chosen by a rolling back-test over {chosen.forecasts} forecasts 1 to 3 "
                    f"months ahead (mean absolute error {chosen.mae:,.1f}, against {other.mae:,.1f} for {other.method}). "
                    f"In the back-test the 80% interval held the actual value {chosen.coverage80:.0%} of the time "
                    f"and the 95% interval {chosen.coverage95:.0%}.")
                chart_downloads(chart, ahead, f"{measure.id} {filters.area_name} forecast", f"{measure.id}-forecast")
        with areas_tab:
            by_area = query("app/measure_by_area", measure_id=measure.id)
            if by_area.empty:
                st.info("This measure is reported for the force area only.")
            else:
                by_area["month"] = pd.to_datetime(by_area["month"])
                rates = comparable_rates(by_area, how)
                rate_label = rates["rate_label"].iloc[0] or y_title
                leaves = rates[rates["kind"].isin(["district", "unitary authority"])]
                chart = small_multiples(leaves, f"{measure.name} by area ({rate_label})", rate_label)
                st.altair_chart(chart)
                chart_downloads(chart, leaves, f"{measure.id} by area", f"{measure.id}-areas")
                summary = period_by_area(by_area, filters.period, how)
                if summary.empty:
                    st.info(f"No area has data for {filters.period.label}.")
                else:
                    tiles = tile_map(summary, f"{measure.name}, {filters.period.label}", rate_label)
                    st.altair_chart(tiles)
                    chart_downloads(tiles, summary, f"{measure.id} tile map {filters.period.label}", f"{measure.id}-tiles")
    with narrative_column:
        commentary_panel(measure, draft(measure.name, measure.unit, measure.improvement_direction, points, binary,
                                        filters.period, filters.area_name), notes)
