"""The what-if chart: the one control chart (render/control_chart.py) with what the analyst changed drawn
on top of it: projected months shaded and their points hollow, the 10th-90th percentile band of the noisy
runs, the unchanged series (dashed), the month the change first shows, and excluded points as grey crosses. Marked
"what-if, not the published figures" in its title and in every file it downloads.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.whatif import NOT_DETECTED, WHAT_IF_LABEL, Projection, WhatIfChart
from components.cached_chart import show_chart
from components.downloads import chart_downloads, slug
from render.control_chart import chart_frame, control_chart, describe, describe_events, value_axis
from render.vega_lite import VegaLite, VegaLiteChart, field, layer, tooltip

PROJECTION_FILL = "#EDEDED"
DETECTION_COLOUR = "#12436D"
EXCLUDED_COLOUR = "#505050"
MONTH = {"field": "month", "type": "temporal"}
WHAT_IF_HEIGHT = 460  # taller than the usual chart: it is the page's subject, with a subtitle


def download_context(measure_name: str, area_name: str, summary: str) -> dict[str, str]:
    """What every what-if file says about itself, first."""
    return {"Status": WHAT_IF_LABEL, "Measure": measure_name, "Area": area_name, "What-if": summary}


def what_if_frame(result: WhatIfChart) -> pd.DataFrame:
    """The plotted points with a column saying what each is: observed, projected or excluded (with why)."""
    charted = result.projection.charted if result.projection is not None else result.charted
    frame = chart_frame(charted.points)
    first_projected = result.projection.first_projected if result.projection is not None else None
    frame["what_if"] = ["projected (expected path)" if first_projected is not None and m >= first_projected
                        else "observed" for m in frame["month"]]
    return frame


def _projection_layers(projection: Projection) -> list[VegaLite]:
    """Under the chart: the projected months shaded, and the band 80% of the noisy runs fall in."""
    shade = pd.DataFrame({"start": [projection.first_projected - pd.Timedelta(days=15)],
                          "end": [projection.end + pd.Timedelta(days=15)]})
    layers = [layer({"type": "rect", "color": PROJECTION_FILL, "aria": False},
                    {"x": field("start", "temporal"), "x2": {"field": "end"}}, shade)]
    if len(projection.band):
        layers.append(layer({"type": "area", "color": "#9EB3C8", "opacity": 0.35, "aria": False},
                            {"x": MONTH, "y": value_axis("low"), "y2": {"field": "high"},
                             "tooltip": [tooltip("month", "Month", "temporal", "%B %Y"),
                                         tooltip("low", "10% of runs below", "quantitative", ",.0f"),
                                         tooltip("high", "10% of runs above", "quantitative", ",.0f")]},
                            projection.band))
    observed = projection.observed_points
    if observed < len(projection.months) and not projection.no_change:
        # The unchanged series the change is judged against: the process continuing at its current level.
        unchanged = pd.DataFrame({"month": projection.months[observed:], "value": projection.unchanged[observed:]})
        layers.append(layer({"type": "line", "color": EXCLUDED_COLOUR, "strokeDash": [4, 4], "strokeWidth": 1.5},
                            {"x": MONTH, "y": value_axis("value"),
                             "tooltip": [tooltip("month", "Unchanged series (current level)", "temporal", "%B %Y"),
                                         tooltip("value", "Value", "quantitative", ",.1f")]},
                            unchanged))
    return layers


def _overlay_layers(result: WhatIfChart, frame: pd.DataFrame) -> list[VegaLite]:
    layers = []
    projected = frame[frame["what_if"] != "observed"]
    if len(projected):
        layers.append(layer({"type": "point", "size": 22, "filled": True, "color": "#FFFFFF", "opacity": 1, "aria": False},
                            {"x": MONTH, "y": value_axis("value")}, projected))
        start = pd.DataFrame({"month": [projected["month"].iloc[0]], "label": ["Projected (what-if)"]})
        layers.append(layer({"type": "text", "align": "left", "baseline": "top", "dx": 4, "dy": 18, "fontStyle": "italic",
                             "color": EXCLUDED_COLOUR},
                            {"x": MONTH, "y": {"value": 0}, "text": field("label", "nominal")}, start))
    projection = result.projection
    if projection is not None and projection.detected_index != NOT_DETECTED:
        month = projection.detected_month
        right_half = (month - frame["month"].min()) / (frame["month"].max() - frame["month"].min()) > 0.6
        mark = pd.DataFrame({"month": [month], "label": [f"Would first show: {month:%b %Y}"]})
        layers.append(layer({"type": "rule", "color": DETECTION_COLOUR, "strokeWidth": 2}, {"x": MONTH}, mark))
        layers.append(layer({"type": "text", "align": "right" if right_half else "left", "dx": -4 if right_half else 4,
                             "baseline": "top", "dy": 32, "color": DETECTION_COLOUR, "fontWeight": "bold"},
                            {"x": MONTH, "y": {"value": 0}, "text": field("label", "nominal")}, mark))
    if len(result.excluded):
        excluded = result.excluded.assign(when=result.excluded["month"].dt.strftime("%B %Y"))
        layers.append(layer({"type": "point", "shape": "cross", "size": 110, "filled": True, "color": EXCLUDED_COLOUR},
                            {"x": MONTH, "y": value_axis("value"),
                             "tooltip": [tooltip("when", "Excluded"), tooltip("value", "Value", "quantitative", ",.1f"),
                                         tooltip("reason", "Why")]},
                            excluded))
    return layers


def _drawn(result: WhatIfChart):
    return result.projection.charted if result.projection is not None else result.charted


def _description(frame: pd.DataFrame, measure_name: str, area_name: str) -> str:
    return describe(f"{measure_name} ({WHAT_IF_LABEL.lower()})", area_name, frame)


def what_if_chart(result: WhatIfChart, *, measure_name: str, area_name: str, y_title: str) -> tuple[VegaLiteChart, str]:
    """The chart (a plain Vega-Lite spec: the control chart's, its one dataset shared, with the what-if's own few
    rows inline on the layers drawn over and under it) and its description in words."""
    projection = result.projection
    charted = _drawn(result)
    frame = what_if_frame(result)
    description = _description(frame, measure_name, area_name)
    target = charted.result.options.target
    base = control_chart(frame.drop(columns=["what_if"]), title=measure_name, description=description,
                         target=None if target is None else target * charted.scale, rebases=charted.rebases,
                         y_title=y_title, annotations=charted.annotations)
    layers = (_projection_layers(projection) if projection is not None else []) + base["layer"]
    layers += _overlay_layers(result, frame)
    chart = base | {"layer": layers, "title": {"text": f"What-if: {measure_name}", "subtitle": [area_name, WHAT_IF_LABEL]},
                    "description": description, "height": WHAT_IF_HEIGHT}
    return chart, description + describe_events(charted.annotations)


def _what_if_figure(result: WhatIfChart, *, measure_name: str, area_name: str, y_title: str) -> VegaLiteChart:
    """The chart alone: what components/cached_chart.py records and replays."""
    return what_if_chart(result, measure_name=measure_name, area_name=area_name, y_title=y_title)[0]


def show_what_if_chart(result: WhatIfChart, *, measure_name: str, area_name: str, y_title: str, summary: str,
                       key: str) -> None:
    # Replayed from the cache while the result and names are the same: building and converting it was about
    # half of a What-if rerun's CPU.
    chart = show_chart(_what_if_figure, result, measure_name=measure_name, area_name=area_name, y_title=y_title,
                       width="stretch")
    frame = what_if_frame(result)
    description = _description(frame, measure_name, area_name) + describe_events(_drawn(result).annotations)
    st.caption(description + (" Shaded: the projected months, with the expected path as hollow points, the band "
                              "80% of the noisy runs fall in, and the unchanged series (the current level) dashed. The "
                              "expected path has no noise, so its moving ranges are 0 and, with limits recomputed, it "
                              "narrows them; the runs do not."
                              if result.projection is not None else ""))
    data = frame.drop(columns=["classification", "month_label", "limits"])
    if len(result.excluded):
        data = pd.concat([data, result.excluded.assign(what_if="excluded: " + result.excluded["reason"])
                          .drop(columns=["reason"])], ignore_index=True).sort_values("month", kind="stable")
    chart_downloads(chart, data, f"what-if {key}", f"what-if-{slug(key)}",
                    context=download_context(measure_name, area_name, summary))
