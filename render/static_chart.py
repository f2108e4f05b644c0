"""The control chart as a picture (SVG, by vl-convert) for Panel mode and the paper, with its alt text.

No Streamlit: the same chart the explorer draws (render/control_chart.py), sized
and lettered for a projector or a page, and a sentence saying what it shows.
"""
from __future__ import annotations

import base64
import hashlib
import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from typing import Callable, Iterator

import pandas as pd
import vl_convert

from analysis import calendar
from analysis.overview import OverviewRow
from analysis.series import ChartedSeries
from render.control_chart import chart_frame, control_chart, describe
from render.spc_icons import ASSURANCE, VARIATION
from render.vega_lite import merged

TEXT_COLOUR = "#0B0C0C"  # 19.6:1 on white
LINE_COLOUR = "#505050"  # 8:1 on white: axes, ticks and the period's edges
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"


@dataclass(frozen=True)
class ChartStyle:
    """Size and lettering. Font sizes are in the picture's own pixels, shown 1:1 at the style's design size."""

    width: int
    height: int
    font_size: int
    title_size: int
    mark_scale: float
    titled: bool = True  # False on a screen that names the measure beside its chart
    period_label: bool = False  # the shaded period's name on the chart (read from across a room)


# At 1920x1080, lettering 36 px for a chamber read from 8 m; the height follows the room left on each screen.
PANEL_STYLE = ChartStyle(width=1080, height=560, font_size=36, title_size=40, mark_scale=2.5, titled=False,
                         period_label=True)
PAPER_STYLE = ChartStyle(width=640, height=260, font_size=11, title_size=12, mark_scale=1.0)


def framed(charted: ChartedSeries) -> pd.DataFrame:
    """The plotted frame, its points named by month or, for counts of people, by period."""
    return chart_frame(charted.points, charted.point_labels if charted.labels is not None else None)


def y_title(unit: str) -> str:
    return {"percentage": "%", "currency": "£m"}.get(unit, "count")


# Where drawn charts are kept while a paper is made (report/cache.py): keep(key, draw) returns the SVG,
# drawing it only when no chart of that key is kept. None: every chart is drawn.
KEPT_CHARTS: ContextVar[Callable[[str, Callable[[], str]], str] | None] = ContextVar("kept_charts", default=None)


@contextmanager
def charts_kept_by(keep: Callable[[str, Callable[[], str]], str]) -> Iterator[None]:
    """Inside the block, control_chart_svg asks keep for each chart before drawing it."""
    token = KEPT_CHARTS.set(keep)
    try:
        yield
    finally:
        KEPT_CHARTS.reset(token)


def control_chart_svg(charted: ChartedSeries, *, area_name: str, period: calendar.Period, style: ChartStyle) -> str:
    """The charted series as SVG, the period shaded, legend below, every text in the style's font size."""
    def draw() -> str:
        return svg_from_spec(control_chart_spec(charted, area_name=area_name, period=period, style=style))

    keep = KEPT_CHARTS.get()
    return draw() if keep is None else keep(control_chart_key(charted, area_name=area_name, period=period, style=style),
                                            draw)


def control_chart_key(charted: ChartedSeries, *, area_name: str, period: calendar.Period, style: ChartStyle) -> str:
    """A digest of everything control_chart_spec draws from: the plotted points and their labels, the measure's
    name, unit and target, the rebases and events, the area, the period and the style. Building the spec is most
    of a chart's cost, so a cache keyed by this skips it; the cache adds a digest of the code (report/cache.py)."""
    def table(frame: pd.DataFrame | None) -> str | None:
        return None if frame is None else frame.to_json(orient="split", date_format="iso", default_handler=str)

    measure = {key: charted.measure.get(key) for key in ("name", "unit", "target")}
    parts = [table(framed(charted)), json.dumps(measure, default=str), table(charted.rebases),
             table(charted.annotations), area_name, period.label, str(period.key), json.dumps(asdict(style))]
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def svg_from_spec(spec: str) -> str:
    """A Vega-Lite spec (JSON) drawn as SVG by vl-convert, offline."""
    return vl_convert.vegalite_to_svg(spec)


def control_chart_spec(charted: ChartedSeries, *, area_name: str, period: calendar.Period, style: ChartStyle) -> str:
    """The chart's Vega-Lite spec as JSON: equal specs draw equal pictures, so callers may cache by it."""
    frame = framed(charted)
    measure = charted.measure
    target = measure.get("target")
    target = None if target is None or pd.isna(target) else float(target)
    # The period shaded as the pages shade it: over the points that fall inside it.
    inside = frame["month"][(frame["month"] >= period.first.start_time) & (frame["month"] <= period.last.start_time)]
    chart = control_chart(
        frame, title=measure["name"] if style.titled else "", description=describe(measure["name"], area_name, frame), target=target,
        rebases=charted.rebases, annotations=charted.annotations,
        highlight=(inside.min(), inside.max()) if len(inside) else None,
        y_title=y_title(measure["unit"]), mark_scale=style.mark_scale, highlight_outline=LINE_COLOUR, legend_columns=2,
        highlight_label=period.label if style.period_label else None, legend_drawn_only=True,
    )
    text = {"labelFontSize": style.font_size, "titleFontSize": style.font_size, "labelColor": TEXT_COLOUR,
            "titleColor": TEXT_COLOUR, "labelFont": FONT, "titleFont": FONT}
    # Set once on the plain spec: Altair's seven .configure_*() calls each copied the whole chart.
    chart["config"] = merged(chart["config"], {
        "font": FONT, "background": "white",
        "axis": {**text, "domainColor": LINE_COLOUR, "tickColor": LINE_COLOUR, "grid": False, "labelLimit": 0,
                 "labelFlush": False},
        "axisX": {"labelAngle": 0, "tickCount": {"interval": "month", "step": 6}},
        "axisY": {"tickCount": max(3, style.height // (3 * style.font_size))},  # labels a line and more apart
        "legend": {**text, "orient": "bottom", "direction": "horizontal", "columns": 2,
                   "symbolSize": 120 * style.mark_scale ** 2, "labelLimit": 0},
        "title": {"fontSize": style.title_size, "color": TEXT_COLOUR, "font": FONT, "anchor": "start"},
        "text": {"fontSize": style.font_size, "font": FONT},
        "scale": {"zero": False},  # the limits, not zero, frame a control chart
        "view": {"stroke": None},
    })
    chart |= {"width": style.width, "height": style.height, "autosize": {"type": "fit", "contains": "padding"}}
    return json.dumps(chart)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def chart_alt_text(charted: ChartedSeries, *, area_name: str, period: calendar.Period, row: OverviewRow) -> str:
    """What the chart shows, in words: the span, the latest figure, the period's change, any special cause.

    row: the measure's Overview row for the same area and period (value, change, and the SPC
    icons for the point that stands for the period).
    """
    frame = framed(charted)
    measure = charted.measure
    last = frame.iloc[-1]
    latest = f"{last['value']:.1f}%" if measure["unit"] == "percentage" else f"{last['value']:,.0f}"
    grain = "monthly" if charted.labels is None else "by period"
    signals = describe(measure["name"], area_name, frame).split(": ", 1)[-1].rstrip(".")
    words = VARIATION[row.variation_icon][2] if row.has_spc else "no SPC icon"
    assured = "" if row.assurance_icon is None else f"; {ASSURANCE[row.assurance_icon][2].lower()}"
    at = charted.at(period)
    point = period.label if at is None else at.point.label
    return (f"Control chart of {measure['name']}, {area_name}, {grain} from {frame['month_label'].iloc[0]} to "
            f"{last['month_label']}. Latest point, {last['month_label']}: {latest}. {period.label}: {row.value}, "
            f"change on the same period last year: {row.change}. "
            f"At {point}: {words.lower()}{assured}. Across the chart: {signals}.")
