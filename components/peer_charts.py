"""Charts of the Similar forces page: forces' trends side by side, and the force's annual control chart.

The control chart is the project's one (render/control_chart.py); only the break's
label is drawn here, to the left of its rule, because the break falls at the right-hand
end of these series where a label running right would leave the chart.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.calendar import month_label
from analysis.formatting import change_words, chart_number
from analysis.peers import AnnualChart, SeriesBreak
from render.chart_theme import DARK_BLUE, PALETTE
from render.control_chart import LIMIT_COLOUR, chart_frame, control_chart
from render.vega_lite import VegaLiteChart, layer

LEAD_COLOUR = DARK_BLUE
PEER_COLOURS = [*PALETTE[1:], "#6B8E23", "#8C564B", "#00703C", "#BF78AB", "#B8860B"]
# after the Analysis Function palette, each at least 3:1 on white; colours repeat beyond ten peers
BREAK_SHADE = "#EFEFEF"  # decoration (aria=False): the label and the page say which totals mix definitions


def peer_trend_chart(frame: pd.DataFrame, force: str, *, value_title: str, title: str, description: str,
                     brk: SeriesBreak | None = None, reference: float | None = None) -> alt.LayerChart:
    """One line per force (frame: area, period_end, value), the force in dark blue and thicker.

    A definition change is shaded over the 12-month totals that mix both definitions; a
    reference line (100 on an index) is drawn when given.
    """
    frame = frame.assign(period_end=pd.to_datetime(frame["period_end"]),
                         period_label=pd.to_datetime(frame["period_end"]).dt.strftime("12 months to %B %Y"))
    others = sorted(a for a in frame["area"].unique() if a != force)
    domain = [force, *others]
    palette = [LEAD_COLOUR, *(PEER_COLOURS[i % len(PEER_COLOURS)] for i in range(len(others)))]
    x = alt.X("period_end:T", title="12 months ending", axis=alt.Axis(format="%Y"))
    description = f"{description} {_latest_words(frame, force)}".strip()
    layers: list[alt.Chart] = []
    if brk is not None:
        band = pd.DataFrame({"start": [pd.Timestamp(brk.from_month)], "end": [pd.Timestamp(brk.clean_from)],
                             "label": [f"{brk.short_reason} ({brk.from_month:%B %Y}); shaded: totals mixing both"]})
        layers.append(alt.Chart(band).mark_rect(color=BREAK_SHADE, aria=False).encode(x="start:T", x2="end:T"))
        layers.append(alt.Chart(band).mark_rule(color=LIMIT_COLOUR, strokeDash=[2, 2]).encode(x="start:T"))
        layers.append(alt.Chart(band).mark_text(align="right", baseline="top", dx=-4, dy=4, color=LIMIT_COLOUR)
                      .encode(x="start:T", y=alt.value(0), text="label:N"))
    if reference is not None:
        layers.append(alt.Chart(pd.DataFrame({"y": [reference]})).mark_rule(color=LIMIT_COLOUR, strokeDash=[6, 4])
                      .encode(y="y:Q"))
    layers.append(
        alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=18)).encode(
            x=x,
            y=alt.Y("value:Q", title=value_title),
            color=alt.Color("area:N", title="Force", scale=alt.Scale(domain=domain, range=palette), sort=domain),
            strokeWidth=alt.condition(alt.datum.area == force, alt.value(3.5), alt.value(1.5)),
            tooltip=[alt.Tooltip("area:N", title="Force"), alt.Tooltip("period_label:N", title="Period"),
                     alt.Tooltip("value:Q", title=value_title, format=",.2f")],
        )
    )
    return alt.layer(*layers).properties(title=title, description=description, height=360)


def _latest_words(frame: pd.DataFrame, force: str) -> str:
    """The latest period, forces highest first, and the force's own change since the first period."""
    if frame.empty:
        return ""
    latest = frame[frame["period_end"] == frame["period_end"].max()].sort_values("value", ascending=False)
    words = (f"In the {latest['period_label'].iloc[0]}, highest first: "
             + ", ".join(f"{r.area} {chart_number(r.value)}" for r in latest.itertuples()) + ".")
    own = frame[frame["area"] == force].sort_values("period_end")
    if len(own) > 1:
        first, last = own.iloc[0], own.iloc[-1]
        words += (f" {force}: {chart_number(last['value'])}, {change_words(last['value'], first['value'])} on the "
                  f"{first['period_label']}.")
    return words


def annual_control_chart(annual: AnnualChart, *, title: str, description: str, y_title: str,
                         x_title: str) -> VegaLiteChart:
    """The project's control chart of the annual totals (a plain Vega-Lite spec), with the break as a rebase and
    its reason."""
    chart = control_chart(chart_frame(annual.points), title=title, description=description, y_title=y_title)
    _label_years(chart, list(annual.points["month"]), x_title)
    if annual.rebases.empty:
        return chart
    marks = annual.rebases.assign(label=[f"Rebased {month_label(pd.Period(m, 'M'))}: {r}"
                                         for m, r in zip(annual.rebases["month"], annual.rebases["reason"])])
    month = {"field": "month", "type": "temporal"}
    rule = layer({"type": "rule", "color": LIMIT_COLOUR, "strokeDash": [2, 2]}, {"x": month}, marks)
    label = layer({"type": "text", "align": "right", "baseline": "top", "dx": -4, "dy": 4, "color": LIMIT_COLOUR},
                  {"x": month, "y": {"value": 0}, "text": {"field": "label", "type": "nominal"}}, marks)
    return chart | {"layer": [*chart["layer"], rule, label]}


def _label_years(chart: VegaLiteChart, ends: list[pd.Timestamp], title: str) -> None:
    """Points here are years, not months: tick each year's end with its year, and say so in the axis title."""
    axis = {"field": "month", "type": "temporal", "title": title,
            "axis": {"format": "%Y", "values": [e.isoformat() for e in ends], "labelAngle": 0}}
    for part in chart["layer"]:
        if part["encoding"].get("x", {}).get("field") == "month":
            part["encoding"]["x"] = axis
