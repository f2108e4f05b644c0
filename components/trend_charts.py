"""Charts beside the control chart: year on year, rolling 12 months, forecast, areas and a tile map.

Every chart has a description for screen readers and labels its values in text,
so nothing is carried by colour alone. No map tiles are fetched: the tile map is
a grid of the nine districts drawn by Altair.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

DARK_BLUE, ORANGE, TURQUOISE, GREY = "#12436D", "#F46A25", "#28A197", "#707070"

# The nine lowest-tier areas laid out roughly as on a map (column, row).
TILE_POSITIONS = {
    "E07000134": (0, 0),  # North West Leicestershire
    "E07000130": (1, 0),  # Charnwood
    "E07000133": (2, 0),  # Melton
    "E06000017": (3, 0),  # Rutland
    "E07000132": (0, 1),  # Hinckley and Bosworth
    "E06000016": (1, 1),  # Leicester
    "E07000135": (2, 1),  # Oadby and Wigston
    "E07000129": (1, 2),  # Blaby
    "E07000131": (2, 2),  # Harborough
}


def year_on_year_chart(frame: pd.DataFrame, this_year: str, last_year: str, title: str, y_title: str = "Value") -> alt.Chart:
    long = frame.melt(id_vars=["month_of_year", "order"], value_vars=[this_year, last_year], var_name="year",
                      value_name="value").dropna()
    description = f"{title}: each month of {this_year} beside the same month of {last_year}."
    x = alt.X("month_of_year:N", sort=list(frame["month_of_year"]), title="Month (financial year from April)")
    colour = alt.Color("year:N", title="Financial year", scale=alt.Scale(domain=[this_year, last_year], range=[DARK_BLUE, ORANGE]))
    base = alt.Chart(long).encode(x=x, y=alt.Y("value:Q", title=y_title), color=colour,
                                  strokeDash=alt.StrokeDash("year:N", scale=alt.Scale(domain=[this_year, last_year],
                                                                                      range=[[1, 0], [6, 4]])),
                                  tooltip=["year:N", "month_of_year:N", alt.Tooltip("value:Q", format=",.1f")])
    return (base.mark_line(point=True)).properties(title=title, description=description, height=260)


def rolling_chart(frame: pd.DataFrame, title: str, y_title: str) -> alt.Chart:
    description = (f"{title}: rolling 12-month figure from {frame['month'].min():%B %Y} to {frame['month'].max():%B %Y}."
                   if len(frame) else f"{title}: fewer than 12 months of data.")
    return (alt.Chart(frame).mark_line(point=True, color=DARK_BLUE)
            .encode(x=alt.X("month:T", title="12 months to", axis=alt.Axis(format="%b %Y")),
                    y=alt.Y("rolling_12_months:Q", title=y_title),
                    tooltip=[alt.Tooltip("month:T", format="%B %Y", title="12 months to"),
                             alt.Tooltip("rolling_12_months:Q", format=",.1f", title=y_title)])
            .properties(title=title, description=description, height=260))


def forecast_chart(history: pd.DataFrame, forecast: pd.DataFrame, title: str, method: str) -> alt.LayerChart:
    description = (f"{title}: history to {history['month'].max():%B %Y} and a {method} forecast to "
                   f"{forecast['month'].max():%B %Y} with 80% and 95% intervals.")
    x = alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y"))
    band95 = alt.Chart(forecast).mark_area(color=TURQUOISE, opacity=0.18).encode(x=x, y="lower95:Q", y2="upper95:Q")
    band80 = alt.Chart(forecast).mark_area(color=TURQUOISE, opacity=0.35).encode(x=x, y="lower80:Q", y2="upper80:Q")
    past = alt.Chart(history).mark_line(point=True, color=DARK_BLUE).encode(
        x=x, y=alt.Y("value:Q", title="Value"),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("value:Q", format=",.1f")])
    ahead = alt.Chart(forecast).mark_line(point=True, color=TURQUOISE, strokeDash=[5, 3]).encode(
        x=x, y="forecast:Q",
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("forecast:Q", format=",.1f"),
                 alt.Tooltip("lower80:Q", format=",.1f", title="80% from"), alt.Tooltip("upper80:Q", format=",.1f", title="80% to"),
                 alt.Tooltip("lower95:Q", format=",.1f", title="95% from"), alt.Tooltip("upper95:Q", format=",.1f", title="95% to")])
    return alt.layer(band95, band80, past, ahead).properties(title=title, description=description, height=280)


def small_multiples(frame: pd.DataFrame, title: str, y_title: str) -> alt.Chart:
    description = f"{title}: one small chart per area, {y_title}, on a shared scale."
    return (alt.Chart(frame).mark_line(color=DARK_BLUE)
            .encode(x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0, tickCount=4)),
                    y=alt.Y("rate:Q", title=y_title),
                    tooltip=["area:N", alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("rate:Q", format=",.2f")])
            .properties(width=150, height=110)  # three across fit the explorer's chart column at 1280 px
            .facet(facet=alt.Facet("area:N", title=None, sort=list(dict.fromkeys(frame["area"]))), columns=3)
            .properties(title=title, description=description))


def tile_map(frame: pd.DataFrame, title: str, value_title: str) -> alt.LayerChart:
    tiles = frame[frame["area_id"].isin(TILE_POSITIONS)].copy()
    tiles["column"] = tiles["area_id"].map(lambda a: TILE_POSITIONS[a][0])
    tiles["row"] = tiles["area_id"].map(lambda a: TILE_POSITIONS[a][1])
    tiles["label"] = tiles["rate"].map(lambda v: f"{v:,.1f}")
    tiles["short"] = tiles["area"].str.replace(" and ", " & ").str.replace("North West Leicestershire", "NW Leics")
    ranked = ", ".join(f"{r.area} {r.rate:,.1f}" for r in tiles.sort_values("rate", ascending=False).itertuples())
    description = f"{title}, {value_title}, highest first: {ranked}."
    base = alt.Chart(tiles).encode(x=alt.X("column:O", axis=None), y=alt.Y("row:O", axis=None))
    rect = base.mark_rect(stroke="white", strokeWidth=3).encode(
        color=alt.Color("rate:Q", title=value_title, scale=alt.Scale(scheme="blues")),
        tooltip=["area:N", alt.Tooltip("rate:Q", format=",.2f", title=value_title)])
    name = base.mark_text(dy=-10, fontSize=12, fontWeight="bold").encode(
        text="short:N", color=alt.condition(alt.datum.rate > tiles["rate"].median(), alt.value("white"), alt.value("black")))
    value = base.mark_text(dy=10, fontSize=13).encode(
        text="label:N", color=alt.condition(alt.datum.rate > tiles["rate"].median(), alt.value("white"), alt.value("black")))
    return alt.layer(rect, name, value).properties(title=title, description=description, width=520, height=300)


def progress_chart(series: pd.DataFrame, title: str, target: float | None, y_title: str) -> alt.LayerChart:
    description = f"{title}: cumulative progress by month" + (f" toward a target of {target:g}." if target else ".")
    line = alt.Chart(series).mark_line(point=True, color=DARK_BLUE).encode(
        x=alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y")), y=alt.Y("value:Q", title=y_title),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("value:Q", format=",.2f")])
    layers = [line]
    if target:
        layers.append(alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color=TURQUOISE, strokeWidth=2).encode(y="target:Q"))
    return alt.layer(*layers).properties(title=title, description=description, height=260)
