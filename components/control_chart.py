"""How a page shows the control chart (render/control_chart.py draws it): the chart with the period shaded, its
SPC icons and words for the period, and its downloads."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import calendar
from analysis.series import ChartedSeries, SpcAtPeriod
from components.cached_chart import show_chart
from components.downloads import chart_downloads
from render.control_chart import chart_frame, control_chart, describe, describe_events
from render.spc_icons import ASSURANCE, VARIATION, icons_html

CHART_NAMES = {"xmr": "XmR chart", "p": "p-chart", "p'": "Laney p′ chart (the plain p-chart flagged most points)"}


def has_later_months(charted: ChartedSeries, stood: ChartedSeries | None) -> bool:
    """Whether the whole series goes on past the period's end (so "with later data" can differ)."""
    return stood is not None and len(charted.months) > len(stood.months)


def period_reading(charted: ChartedSeries, stood: ChartedSeries | None, period: calendar.Period,
                   with_later_data: bool = False) -> SpcAtPeriod | None:
    """The period's SPC reading: from the series as it stood at the period's end (as the Overview, Panel mode
    and the paper read it), or, with_later_data, from the whole charted series."""
    if stood is None or (with_later_data and has_later_months(charted, stood)):
        return charted.at(period)
    return stood.at(period)


def reading_words(at: SpcAtPeriod) -> str:
    return f"{VARIATION[at.variation][2].lower()}; {ASSURANCE[at.assurance][2].lower()}"


def later_data_note(charted: ChartedSeries, stood: ChartedSeries | None, period: calendar.Period,
                    with_later_data: bool) -> str:
    """How the whole series reads the same point, where later months are charted: the same, or what differs."""
    if not has_later_months(charted, stood):
        return ""
    own, later = stood.at(period), charted.at(period)
    if own is None or later is None:
        return ""
    if (own.variation, own.assurance, own.point.phrase) == (later.variation, later.assurance, later.point.phrase):
        return f" Later months (to {later.as_at}) do not change this reading."
    if with_later_data:
        return (f" This is the reading with later data. As the series stood at the end of {own.as_at}, the period's "
                f"own reading (the Overview's) is: {reading_words(own)}.")
    return (f" With later data (to the end of {later.as_at}) the same point reads: {reading_words(later)}; "
            "switch on “With later data” to show it.")


def show_control_chart(charted: ChartedSeries, period: calendar.Period, *, title: str, area_name: str, y_title: str,
                       key: str, target: float | None = None, show_near_limits: bool = False,
                       stood: ChartedSeries | None = None, with_later_data: bool = False) -> pd.DataFrame:
    """The one way a page shows an SPC chart: the chart with the period shaded, its icons and words
    for the period (the same point the Overview and the sentence describe), and its downloads.

    charted: the whole series, drawn. stood: the same series to the period's end, whose reading the icons
    show (the period's reading never changes when later months arrive); with_later_data shows the whole
    series' reading instead. Returns the plotted frame."""
    frame = chart_frame(charted.points, charted.point_labels if charted.labels is not None else None)
    description = describe(title, area_name, frame)
    inside = frame["month"][(frame["month"] >= period.first.start_time) & (frame["month"] <= period.last.start_time)]
    own = stood.at(period) if stood is not None else None
    mark = ((own.month, f"{period.label} reading as at the end of {own.as_at}")
            if own is not None and has_later_months(charted, stood) else None)
    chart = show_chart(control_chart, frame, title=title, description=description, target=target,
                       rebases=charted.rebases, show_near_limits=show_near_limits, y_title=y_title,
                       annotations=charted.annotations, highlight=(inside.min(), inside.max()) if len(inside) else None,
                       reading=mark, width="stretch")
    at = period_reading(charted, stood, period, with_later_data)
    if at is not None:
        st.markdown(icons_html(at.variation, at.assurance, provisional=at.trial_limits), unsafe_allow_html=True)
        which = f"{at.point.label}" + (f", {at.context}" if at.context else "")
        shading = (f"{period.label} is shaded." if len(inside) else
                   f"{period.label} has no points on this chart, so nothing is shaded.")
        marked = f" A solid line marks where {period.label}'s reading comes from." if mark else ""
        st.caption(f"{description} {CHART_NAMES[charted.result.chart]}. The icons describe {which}, as at the end "
                   f"of {at.as_at}.{later_data_note(charted, stood, period, with_later_data)}{marked} "
                   f"{shading}{describe_events(charted.annotations)}")
    chart_downloads(chart, frame.drop(columns=["classification", "month_label", "limits"]), f"{key} control chart",
                    f"{key}-spc")
    return frame
