"""Plain Vega-Lite: a chart spec as JSON-ready dicts and lists, built once, with no Altair objects.

Altair copies a chart deeply at every `.configure_*()`, `.properties()` and `to_dict()`, and writes each
layer's data as a dataset of its own: the control chart built that way was most of the paper's and a cold
Panel deck's CPU (issue #22). The control chart (render/control_chart.py) is built here as data: its points
are the spec's one named dataset, which the layers share; the few marks drawn from something else (the
shaded period, the target, rebases, events) carry their rows inline; the theme's config is set once.
"""
from __future__ import annotations

import math
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from render.chart_theme import theme_config

VegaLite = dict[str, Any]  # part of a Vega-Lite spec, as plain JSON data
VegaLiteChart = VegaLite  # a whole chart's spec, ready to draw (st.vega_lite_chart, vl-convert)
SCHEMA = alt.SCHEMA_URL  # the Vega-Lite version vl-convert and Streamlit draw
POINTS = "points"  # the name of a chart's one dataset


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as Altair writes a frame into a spec: dates as full ISO strings (read as local time, as
    the charts' months are), missing and infinite numbers as null, numpy scalars as Python ones. Column by
    column in plain Python: pandas' own conversions cost more than the few rows of a chart."""
    columns = [[json_value(v) for v in values.tolist()] for _, values in frame.items()]
    names = [str(name) for name in frame.columns]
    return [dict(zip(names, row)) for row in zip(*columns)]


def json_value(value: Any) -> Any:
    """A single value as JSON data: a date as a full ISO string, a missing or infinite number as null."""
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return None if value is None or value is pd.NA or value is pd.NaT else value


def layer(mark: VegaLite, encoding: VegaLite, rows: pd.DataFrame | list[dict] | None = None) -> VegaLite:
    """One layer: drawn from the chart's shared dataset, or (rows given) from those few rows inline."""
    spec: VegaLite = {"mark": mark, "encoding": encoding}
    if rows is not None:
        spec["data"] = {"values": records(rows) if isinstance(rows, pd.DataFrame) else rows}
    return spec


def field(name: str, kind: str, **properties) -> VegaLite:
    """An encoding channel from a field: kind is "temporal", "quantitative" or "nominal"."""
    return {"field": name, "type": kind, **properties}


def tooltip(name: str, title: str, kind: str = "nominal", number_format: str | None = None) -> VegaLite:
    return field(name, kind, title=title) | ({} if number_format is None else {"format": number_format})


def layered(layers: list[VegaLite], frame: pd.DataFrame | None = None, **properties) -> VegaLite:
    """A layer chart with the theme's config: frame (if given) is its one dataset, shared by every layer without
    rows of its own."""
    spec: VegaLite = {"$schema": SCHEMA, "config": theme_config()}
    if frame is not None:
        spec |= {"datasets": {POINTS: records(frame)}, "data": {"name": POINTS}}
    return spec | {"layer": layers, **properties}


def merged(config: VegaLite, changes: VegaLite) -> VegaLite:
    """The config with the changes: a block (axis, legend, ...) named in both gets both's settings, the change's
    winning, as Altair's `.configure_*()` calls did, without copying the whole spec at each."""
    out = dict(config)
    for key, value in changes.items():
        out[key] = {**out[key], **value} if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out
