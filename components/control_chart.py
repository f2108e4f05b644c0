"""The control chart: an Altair layer chart of an SPC result, segment by segment.

Colour keeps the NHS meanings (improvement blue, concern orange, common cause
grey, neither purple) in shades with at least 3:1 contrast on white, and every
class has its own marker shape, so colour is never the only cue.
"""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from analysis import calendar
from analysis.calendar import month_label
from analysis.series import ChartedSeries
from components.cached_chart import show_chart
from components.downloads import chart_downloads
from components.spc_icons import icons_html

CLASSES = {
    "improvement": ("Special cause: improvement", "#12436D", "square"),
    "concern": ("Special cause: concern", "#F46A25", "diamond"),
    "neither": ("Special cause: neither", "#6B3FA0", "triangle-up"),
    "common_cause": ("Common cause", "#707070", "circle"),
}
TARGET_COLOUR = "#28A197"
NO_ZERO = alt.Scale(zero=False)  # limits and values are what matter: the axis need not start at zero
REBASE_LABEL_CHARS = 40
REBASE_LABEL_PIXELS = 220
LIMIT_COLOUR = "#3D3D3D"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chart_frame(points: pd.DataFrame, labels: pd.Series | None = None) -> pd.DataFrame:
    """The plotted data: one row per point with labels ready for legend and tooltip.

    labels: what each point is called when it is not a single month (e.g. "Q1 2021/22").
    """
    frame = points.copy()
    frame["month"] = pd.to_datetime(frame["month"])
    frame["classification"] = frame["special_cause"].map(lambda c: CLASSES[c][0])
    frame["month_label"] = frame["month"].dt.strftime("%B %Y") if labels is None else list(labels)
    frame["limits"] = frame["trial_limits"].map({True: "trial limits (fewer than 13 points)", False: "firm limits"})
    return frame


def describe(measure_name: str, area_name: str, frame: pd.DataFrame) -> str:
    """A sentence for screen readers, naming every point outside the limits and other signals."""
    if frame.empty:
        return f"Control chart of {measure_name}, {area_name}: no data."
    span = f"{frame['month_label'].iloc[0]} to {frame['month_label'].iloc[-1]}"
    outside = [f"{row.month_label} {'above the upper' if row.value > row.upl else 'below the lower'} limit"
               for row in frame.itertuples() if row.rule_label in ("Above UCL", "Below LCL")]
    others = frame[(frame["special_cause"] != "common_cause") & ~frame["rule_label"].isin(["Above UCL", "Below LCL"])]
    parts = outside[:]
    if len(others):
        rules = ", ".join(sorted(set(others["rule_label"])))
        parts.append(f"{len(others)} other special-cause points ({rules})")
    detail = "; ".join(parts) if parts else "all points common cause variation"
    return f"Control chart of {measure_name}, {area_name}, {span}: {detail}."


def control_chart(frame: pd.DataFrame, *, title: str, description: str, target: float | None = None,
                  rebases: pd.DataFrame | None = None, show_near_limits: bool = False,
                  highlight: tuple[pd.Timestamp, pd.Timestamp] | None = None, y_title: str = "Value") -> alt.LayerChart:
    classes = list(CLASSES.values())
    x = alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y"))
    base = alt.Chart(frame)
    layers: list[alt.Chart] = []
    if highlight is not None:
        # Centred on the points: from half a month before the period's first point to half a month after its last.
        band = pd.DataFrame({"start": [highlight[0] - pd.Timedelta(days=15)], "end": [highlight[1] + pd.Timedelta(days=15)]})
        layers.append(alt.Chart(band).mark_rect(color="#E8EEF4").encode(x="start:T", x2="end:T"))
    line = base.encode(x=x, detail="segment:N")
    layers += [
        line.mark_line(color=LIMIT_COLOUR, strokeWidth=1.5).encode(y=alt.Y("mean:Q", scale=NO_ZERO)),
        line.mark_line(color=LIMIT_COLOUR, strokeDash=[6, 4]).encode(y=alt.Y("upl:Q", scale=NO_ZERO)),
        line.mark_line(color=LIMIT_COLOUR, strokeDash=[6, 4]).encode(y=alt.Y("lpl:Q", scale=NO_ZERO)),
    ]
    if show_near_limits:
        layers += [line.mark_line(color="#9E9E9E", strokeDash=[2, 3]).encode(y=alt.Y("near_upl:Q", scale=NO_ZERO)),
                   line.mark_line(color="#9E9E9E", strokeDash=[2, 3]).encode(y=alt.Y("near_lpl:Q", scale=NO_ZERO))]
    layers.append(base.mark_line(color="#505050", strokeWidth=1).encode(
        x=x, y=alt.Y("value:Q", title=y_title, scale=NO_ZERO)))
    layers.append(
        base.mark_point(size=90, filled=True, opacity=1).encode(
            x=x,
            y=alt.Y("value:Q", scale=NO_ZERO),
            color=alt.Color("classification:N", title="Point",
                            scale=alt.Scale(domain=[c[0] for c in classes], range=[c[1] for c in classes]),
                            legend=alt.Legend(orient="bottom", columns=2, labelLimit=0, symbolSize=90)),
            shape=alt.Shape("classification:N", title="Point",
                            scale=alt.Scale(domain=[c[0] for c in classes], range=[c[2] for c in classes])),
            tooltip=[
                alt.Tooltip("month_label:N", title="Period"),
                alt.Tooltip("value:Q", title="Value", format=",.1f"),
                alt.Tooltip("mean:Q", title="Mean", format=",.1f"),
                alt.Tooltip("lpl:Q", title="Lower limit", format=",.1f"),
                alt.Tooltip("upl:Q", title="Upper limit", format=",.1f"),
                alt.Tooltip("rule_label:N", title="Rule"),
                alt.Tooltip("limits:N", title="Limits"),
            ],
        )
    )
    trial = frame[frame["trial_limits"]].groupby("segment", as_index=False).agg(month=("month", "first"), upl=("upl", "max"))
    if not trial.empty:
        layers.append(alt.Chart(trial).mark_text(align="left", dy=-8, fontStyle="italic", color=LIMIT_COLOUR)
                      .encode(x="month:T", y=alt.Y("upl:Q", scale=NO_ZERO), text=alt.value("Trial limits")))
    if target is not None:
        layers.append(alt.Chart(pd.DataFrame({"target": [target]}))
                      .mark_rule(color=TARGET_COLOUR, strokeWidth=2, strokeDash=[1, 0])
                      .encode(y=alt.Y("target:Q", scale=NO_ZERO)))
        layers.append(alt.Chart(pd.DataFrame({"target": [target], "month": [frame["month"].iloc[0]]}))
                      .mark_text(align="left", dy=-6, color=TARGET_COLOUR).encode(x="month:T", y=alt.Y("target:Q", scale=NO_ZERO),
                                                                                  text=alt.value("Target")))
    if rebases is not None and not rebases.empty:
        # The label is cut short (and limited in pixels) so the chart's size never depends on the reason;
        # the whole text is in the tooltip and in the captions under the chart.
        full = [f"Rebased {month_label(pd.Period(m, 'M'))}: {r}" for m, r in zip(rebases["month"], rebases["reason"])]
        marks = rebases.assign(full=full, label=[shorten(text, REBASE_LABEL_CHARS) for text in full])
        tooltip = [alt.Tooltip("full:N", title="Rebase")]
        layers.append(alt.Chart(marks).mark_rule(color=LIMIT_COLOUR, strokeDash=[2, 2]).encode(x="month:T", tooltip=tooltip))
        layers.append(alt.Chart(marks).mark_text(align="left", baseline="top", dx=4, dy=4, color=LIMIT_COLOUR,
                                                 limit=REBASE_LABEL_PIXELS)
                      .encode(x="month:T", y=alt.value(0), text="label:N", tooltip=tooltip))
    return alt.layer(*layers).properties(title=title, description=description, height=340)


CHART_NAMES = {"xmr": "XmR chart", "p": "p-chart", "p'": "Laney p′ chart (the plain p-chart flagged most points)"}


def show_control_chart(charted: ChartedSeries, period: calendar.Period, *, title: str, area_name: str, y_title: str,
                       key: str, target: float | None = None, show_near_limits: bool = False) -> pd.DataFrame:
    """The one way a page shows an SPC chart: the chart with the period shaded, its icons and words
    for the period (the same point the Overview and the sentence describe), and its downloads.
    Returns the plotted frame."""
    frame = chart_frame(charted.points, charted.point_labels if charted.labels is not None else None)
    description = describe(title, area_name, frame)
    inside = frame["month"][(frame["month"] >= period.first.start_time) & (frame["month"] <= period.last.start_time)]
    chart = show_chart(control_chart, frame, title=title, description=description, target=target,
                       rebases=charted.rebases, show_near_limits=show_near_limits, y_title=y_title,
                       highlight=(inside.min(), inside.max()) if len(inside) else None, width="stretch")
    at = charted.at(period)
    if at is not None:
        st.markdown(icons_html(at.variation, at.assurance, provisional=at.trial_limits), unsafe_allow_html=True)
        which = f"{at.point.label}" + (f", {at.context}" if at.context else "")
        st.caption(f"{description} {CHART_NAMES[charted.result.chart]}. The icons describe {which}; "
                   f"{period.label} is shaded.")
    chart_downloads(chart, frame.drop(columns=["classification", "month_label", "limits"]), f"{key} control chart",
                    f"{key}-spc")
    return frame
