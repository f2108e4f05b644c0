"""The control chart: a plain Vega-Lite layer chart of an SPC result, segment by segment (no Streamlit: the pages
show it through components/control_chart.py, Panel mode and the paper draw it as SVG through render/static_chart.py).

Colour keeps the NHS meanings (improvement blue, concern orange, common cause
grey, neither purple) in shades with at least 3:1 contrast on white, and every
class has its own marker shape, so colour is never the only cue.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import spc
from analysis.calendar import month_label
from analysis.formatting import change_words, chart_number
from analysis.narrative import limits_undefined
from render.chart_theme import DARK_BLUE, DARK_GREY, MID_GREY, ORANGE, PURPLE, TEXT, TURQUOISE
from render.safe_text import plain
from render.vega_lite import VegaLite, VegaLiteChart, field, json_value, layer, layered, records, tooltip

CLASSES = {
    "improvement": (spc.SPECIAL_CAUSE_WORDS["improvement"], DARK_BLUE, "square"),
    "concern": (spc.SPECIAL_CAUSE_WORDS["concern"], ORANGE, "diamond"),
    "neither": (spc.SPECIAL_CAUSE_WORDS["neither"], PURPLE, "triangle-up"),
    "common_cause": (spc.COMMON_CAUSE_WORDS, MID_GREY, "circle"),
}
TARGET_COLOUR = TURQUOISE
NO_ZERO = {"zero": False}  # limits and values are what matter: the axis need not start at zero
REBASE_LABEL_CHARS = 40
REBASE_LABEL_PIXELS = 220
LIMIT_COLOUR = DARK_GREY
PERIOD_SHADE = "#E8EEF4"  # decoration (aria=False): the caption names the shaded period
CHART_HEIGHT = 440  # the whole chart: title, axes and the five-row legend take about 250 px of it in the browser
EVENT_COLOUR = "#5A4A00"  # dark olive: apart from the SPC classes, the target and the limits (7:1 on white)
EVENT_LABEL_CHARS = 24  # an event's label on the chart; the tooltip has the whole text
EVENT_LABEL_PIXELS = 150  # and never wider than this, so a label cannot stretch the chart
EVENT_ROWS = 3  # labels of events close together step up through this many rows
EVENT_ROW_PIXELS = 13


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chart_frame(points: pd.DataFrame, labels: pd.Series | None = None) -> pd.DataFrame:
    """The plotted data: one row per point with labels ready for legend and tooltip.

    labels: what each point is called when it is not a single month (e.g. "Q1 2021/22").
    """
    # The rule's NHSRplotthedots name stays with the method notes: people read rule_words.
    frame = points.drop(columns=["rule_label"], errors="ignore")
    frame["month"] = pd.to_datetime(frame["month"])
    frame["classification"] = frame["special_cause"].map(lambda c: CLASSES[c][0])
    frame["month_label"] = frame["month"].dt.strftime("%B %Y") if labels is None else list(labels)
    if labels is not None and "rule_words" in frame:  # points by period, not by month: "seven points in a row …"
        frame["rule_words"] = frame["rule_words"].str.replace(" months ", " points ", regex=False)
    frame["limits"] = frame["trial_limits"].map({True: spc.PROVISIONAL_LIMITS, False: "firm limits"})
    undefined = frame["upl"].isna() | frame["lpl"].isna()
    if undefined.any():
        frame.loc[undefined, "limits"] = [limits_undefined(frame, i) for i in np.flatnonzero(undefined.to_numpy())]
    return frame


def describe(measure_name: str, area_name: str, frame: pd.DataFrame) -> str:
    """What the chart shows, for screen readers: the latest point and its change, the mean and
    limits there, every point outside the limits and the other signals."""
    if frame.empty:
        return f"Control chart of {measure_name}, {area_name}: no data."
    span = f"{frame['month_label'].iloc[0]} to {frame['month_label'].iloc[-1]}"
    last = frame.iloc[-1]
    latest = f"Latest, {last.month_label}: {chart_number(last.value)}"
    if len(frame) > 1:
        before = frame.iloc[-2]
        latest += f", {change_words(last.value, before.value)} on {before.month_label}"
    undefined = limits_undefined(frame, len(frame) - 1)
    latest += (f"; mean {chart_number(last['mean'])}, " + (undefined if undefined else
               f"process limits {chart_number(last.lpl)} to {chart_number(last.upl)}"
               + (f" ({spc.PROVISIONAL_LIMITS})" if last.trial_limits else "")) + ".")
    beyond = frame["rule"] == spc.OUTSIDE_LIMITS
    outside = [f"{row.month_label} {'above the upper' if row.value > row.upl else 'below the lower'} limit"
               for row in frame[beyond].itertuples()]
    others = frame[(frame["special_cause"] != "common_cause") & ~beyond]
    parts = outside[:]
    if len(others):
        rules = ", ".join(sorted(set(others["rule_words"])))
        parts.append(f"{len(others)} other special-cause points ({rules})")
    detail = f"Special cause: {'; '.join(parts)}." if parts else "All points common cause variation."
    return f"Control chart of {measure_name}, {area_name}, {span}. {latest} {detail}"


def control_chart(frame: pd.DataFrame, *, title: str, description: str, target: float | None = None,
                  rebases: pd.DataFrame | None = None, show_near_limits: bool = False,
                  highlight: tuple[pd.Timestamp, pd.Timestamp] | None = None, y_title: str = "Value",
                  annotations: pd.DataFrame | None = None, mark_scale: float = 1.0,
                  highlight_outline: str | None = None, legend_columns: int = 1,
                  reading: tuple[pd.Timestamp, str] | None = None, highlight_label: str | None = None,
                  legend_drawn_only: bool = False) -> VegaLiteChart:
    """The chart as a plain Vega-Lite spec (render/vega_lite.py): the plotted frame is its one dataset, shared by
    the lines and points; the theme's config is in it.

    annotations: dated events (month, text) drawn as labelled vertical rules; they never move the limits.
    mark_scale thickens lines and enlarges points for a big screen (Panel mode uses 2);
    highlight_outline draws the shaded period's edges in that colour (the pale fill alone is under 3:1).
    legend_columns: one on the pages, so the legend fits at 400% zoom; two on a fixed-size picture (Panel
    mode, the paper), where each legend row is taken from the plot's height.
    reading: (month, label) of the point a period's reading came from, when later months are charted too:
    a solid rule there, labelled e.g. "Q2 2022/23 reading as at the end of September 2022".
    highlight_label: the shaded period's name, written above the plot at the shading's right edge.
    legend_drawn_only: the legend lists only the kinds of point drawn (a picture has no tooltip to explain the rest)."""
    classes = list(CLASSES.values())
    if legend_drawn_only:
        drawn = set(frame["classification"])
        classes = [c for c in classes if c[0] in drawn] or classes
    thin, thick, limit = 1.0 * mark_scale, 1.5 * mark_scale, 2.0 * mark_scale  # limit: Vega-Lite's default line width
    x = field("month", "temporal", title="Month", axis={"format": "%b %Y"})
    month = field("month", "temporal")
    layers: list[VegaLite] = []
    if highlight is not None:
        # Centred on the points: from half a month before the period's first point to half a month after its last.
        band = pd.DataFrame({"start": [highlight[0] - pd.Timedelta(days=15)], "end": [highlight[1] + pd.Timedelta(days=15)]})
        outline = {} if highlight_outline is None else {"stroke": highlight_outline, "strokeWidth": thin}
        layers.append(layer({"type": "rect", "color": PERIOD_SHADE, "aria": False, **outline},
                            {"x": field("start", "temporal"), "x2": {"field": "end"}}, band))
        if highlight_label:
            layers.append(layer({"type": "text", "align": "right", "baseline": "bottom", "dy": -6, "color": TEXT,
                                 "fontWeight": "bold"},
                                {"x": field("end", "temporal"), "y": {"value": 0}, "text": field("label", "nominal")},
                                band.assign(label=highlight_label)))
    line = {"x": x, "detail": field("segment", "nominal")}
    dashed = {"type": "line", "color": LIMIT_COLOUR, "strokeWidth": limit, "strokeDash": [6 * mark_scale, 4 * mark_scale]}
    layers += [
        layer({"type": "line", "color": LIMIT_COLOUR, "strokeWidth": thick}, {**line, "y": value_axis("mean")}),
        layer(dashed, {**line, "y": value_axis("upl")}),
        layer(dashed, {**line, "y": value_axis("lpl")}),
    ]
    if show_near_limits:
        near = {"type": "line", "color": MID_GREY, "strokeDash": [2, 3]}
        layers += [layer(near, {**line, "y": value_axis("near_upl")}), layer(near, {**line, "y": value_axis("near_lpl")})]
    layers.append(layer({"type": "line", "color": "#505050", "strokeWidth": thin},
                        {"x": x, "y": value_axis("value", title=y_title)}))
    domain = [c[0] for c in classes]
    layers.append(layer(
        {"type": "point", "size": 90 * mark_scale ** 2, "filled": True, "opacity": 1},
        {"x": x, "y": value_axis("value"),
         "color": field("classification", "nominal", title="Point", scale={"domain": domain, "range": [c[1] for c in classes]},
                        legend={"orient": "bottom", "columns": legend_columns, "labelLimit": 0,
                                "symbolSize": 90 * mark_scale ** 2}),
         "shape": field("classification", "nominal", title="Point", scale={"domain": domain, "range": [c[2] for c in classes]}),
         "tooltip": [tooltip("month_label", "Period"), tooltip("value", "Value", "quantitative", ",.1f"),
                     tooltip("mean", "Mean", "quantitative", ",.1f"), tooltip("lpl", "Lower limit", "quantitative", ",.1f"),
                     tooltip("upl", "Upper limit", "quantitative", ",.1f"), tooltip("rule_words", "Rule"),
                     tooltip("limits", "Limits")]}))
    if frame["trial_limits"].any():  # (grouping costs more than the rest of a chart: only where there is something)
        trial = frame[frame["trial_limits"]].groupby("segment", as_index=False).agg(month=("month", "first"),
                                                                                     upl=("upl", "max"))
        layers.append(layer({"type": "text", "align": "left", "dy": -8, "fontStyle": "italic", "color": LIMIT_COLOUR},
                            {"x": month, "y": value_axis("upl"), "text": {"value": "Provisional limits"}}, trial))
    if target is not None:
        target = json_value(target)
        layers.append(layer({"type": "rule", "color": TARGET_COLOUR, "strokeWidth": limit, "strokeDash": [1, 0]},
                            {"y": value_axis("target")}, [{"target": target}]))
        layers.append(layer({"type": "text", "align": "left", "dy": -6, "color": TEXT},
                            {"x": month, "y": value_axis("target"), "text": {"value": "Target"}},
                            [{"target": target, "month": json_value(frame["month"].iloc[0])}]))
    if rebases is not None and not rebases.empty:
        # The label is cut short (and limited in pixels) so the chart's size never depends on the reason;
        # the whole text is in the tooltip and in the captions under the chart.
        full = [f"Rebased {month_label(pd.Period(m, 'M'))}: {r}" for m, r in zip(rebases["month"], rebases["reason"])]
        # Only the columns drawn: the stored rebase's other columns (created_at, an object column of
        # Timestamps once a rebase from the command line joins it) are not the chart's.
        marks = records(pd.DataFrame({"month": pd.to_datetime(rebases["month"]).to_numpy(), "full": full,
                                      "label": [shorten(text, REBASE_LABEL_CHARS) for text in full]}))
        tip = [tooltip("full", "Rebase")]
        dash = [2 * mark_scale, 2 * mark_scale]
        layers.append(layer({"type": "rule", "color": LIMIT_COLOUR, "strokeWidth": thin, "strokeDash": dash},
                            {"x": month, "tooltip": tip}, marks))
        layers.append(layer({"type": "text", "align": "left", "baseline": "top", "dx": 4, "dy": 4, "color": LIMIT_COLOUR,
                             "limit": REBASE_LABEL_PIXELS},
                            {"x": month, "y": {"value": 0}, "text": field("label", "nominal"), "tooltip": tip}, marks))
    layers += event_layers(annotations, frame["month"])
    if reading is not None:
        mark = [{"month": json_value(pd.Timestamp(reading[0])), "label": reading[1]}]
        layers.append(layer({"type": "rule", "color": TEXT, "strokeWidth": thick},
                            {"x": month, "tooltip": field("label", "nominal")}, mark))
        layers.append(layer({"type": "text", "align": "right", "baseline": "top", "dx": -4, "dy": 18, "color": TEXT,
                             "fontWeight": "bold"},
                            {"x": month, "y": {"value": 0}, "text": field("label", "nominal")}, mark))
    return layered(layers, frame, title=title, description=description, height=CHART_HEIGHT)


def value_axis(name: str, **properties) -> VegaLite:
    """A value on the y axis: limits and values are what matter, so the axis need not start at zero."""
    return field(name, "quantitative", scale=NO_ZERO, **properties)


def event_layers(annotations: pd.DataFrame | None, months: pd.Series) -> list[VegaLite]:
    """Events as dashed vertical rules with a short label near the foot of the plot, inside it: only events
    within the charted months are drawn, and a label reads away from the nearer edge and is cut to a fixed
    width, so the chart keeps its size. The tooltip gives the whole text."""
    if annotations is None or annotations.empty or months.empty:
        return []
    first, last = pd.Timestamp(months.min()), pd.Timestamp(months.max())
    events = annotations.assign(month=pd.to_datetime(annotations["month"]))
    events = events[(events["month"] >= first) & (events["month"] <= last)].sort_values("month", kind="stable")
    if events.empty:
        return []
    span = max((last - first).days, 1)
    events = events.assign(
        label=[shorten(t, EVENT_LABEL_CHARS) for t in events["text"]],
        when=events["month"].dt.strftime("%B %Y"),
        row=[i % EVENT_ROWS for i in range(len(events))],
        right_half=[(m - first).days / span > 0.6 for m in events["month"]],
    )[["month", "text", "label", "when", "row", "right_half"]]
    tip = [tooltip("text", "Event"), tooltip("when", "From")]
    month = field("month", "temporal")
    layers = [layer({"type": "rule", "color": EVENT_COLOUR, "strokeDash": [8, 3, 2, 3], "strokeWidth": 1.5},
                    {"x": month, "tooltip": tip}, events)]
    for (right_half, row), group in events.groupby(["right_half", "row"]):
        layers.append(layer(
            {"type": "text", "align": "right" if right_half else "left", "dx": -4 if right_half else 4,
             "baseline": "bottom", "color": EVENT_COLOUR, "fontSize": 11, "limit": EVENT_LABEL_PIXELS,
             "y": {"expr": f"height - {4 + EVENT_ROW_PIXELS * row}"}},  # from the plot's foot
            {"x": month, "text": field("label", "nominal"), "tooltip": tip}, group))
    return layers


def describe_events(annotations: pd.DataFrame | None) -> str:
    """The events on a chart in words, for its caption: "Events marked: March 2020, Coronavirus restrictions begin."."""
    if annotations is None or annotations.empty:
        return ""
    # the captions are markdown: an event's own words are shown as written, never as a link or image
    events = "; ".join(f"{pd.Timestamp(m):%B %Y}, {plain(t)}" for m, t in zip(annotations["month"], annotations["text"]))
    return f" Events marked (not rebased): {events}."
