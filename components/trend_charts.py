"""Charts beside the control chart: year on year, rolling 12 months, forecast, areas and a tile map.

Every chart has a description for screen readers and labels its values in text,
so nothing is carried by colour alone. No map tiles are fetched: the tile map is
a grid of the nine districts drawn by Altair.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.formatting import change_words, chart_number, plural
from render.chart_theme import DARK_BLUE, FILL_FIELD, LIGHT_BLUE, ORANGE, TEXT_COLOUR_FIELD, TURQUOISE, mix, text_colour_on

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

TREND_HEIGHT = 340  # the whole chart: its title and axes take about 120 px of it, leaving a plot tall enough to read


def year_on_year_chart(frame: pd.DataFrame, this_year: str, last_year: str, title: str, y_title: str = "Value") -> alt.Chart:
    long = frame.melt(id_vars=["month_of_year", "order"], value_vars=[this_year, last_year], var_name="year",
                      value_name="value").dropna()
    description = f"{title}: each month of {this_year} beside the same month of {last_year}. " + _year_on_year_words(
        frame, this_year, last_year)
    x = alt.X("month_of_year:N", sort=list(frame["month_of_year"]), title="Month (financial year from April)",
              axis=alt.Axis(labelAngle=0))  # three-letter months fit level; on their sides they took the plot's height
    colour = alt.Color("year:N", title="Financial year", scale=alt.Scale(domain=[this_year, last_year], range=[DARK_BLUE, ORANGE]))
    base = alt.Chart(long).encode(x=x, y=alt.Y("value:Q", title=y_title), color=colour,
                                  strokeDash=alt.StrokeDash("year:N", scale=alt.Scale(domain=[this_year, last_year],
                                                                                      range=[[1, 0], [6, 4]])),
                                  tooltip=["year:N", "month_of_year:N", alt.Tooltip("value:Q", format=",.1f")])
    return (base.mark_line(point=True)).properties(title=title, description=description, height=TREND_HEIGHT)


def _year_on_year_words(frame: pd.DataFrame, this_year: str, last_year: str) -> str:
    both = frame.dropna(subset=[this_year, last_year])
    if both.empty:
        return "No month has figures in both years yet."
    last = both.iloc[-1]
    month = pd.to_datetime(last["month_of_year"], format="%b").strftime("%B")
    higher = int((both[this_year] > both[last_year]).sum())
    return (f"Latest month with both, {month}: {chart_number(last[this_year])} in {this_year} against "
            f"{chart_number(last[last_year])} in {last_year}, {change_words(last[this_year], last[last_year])}. "
            f"{this_year} is higher in {higher} of {plural(len(both), 'month')} with both.")


def rolling_chart(frame: pd.DataFrame, title: str, y_title: str) -> alt.Chart:
    description = f"{title}: fewer than 12 months of data."
    if len(frame):
        last = frame.iloc[-1]
        year_before = frame[frame["month"] == last["month"] - pd.DateOffset(months=12)]
        earlier = year_before.iloc[0] if len(year_before) else frame.iloc[0]
        description = (f"{title}, from {frame['month'].min():%B %Y} to {last['month']:%B %Y}. Latest, 12 months to "
                       f"{last['month']:%B %Y}: {chart_number(last['rolling_12_months'])}"
                       + ("." if len(frame) == 1 else
                          f", {change_words(last['rolling_12_months'], earlier['rolling_12_months'])} on the 12 months to "
                          f"{earlier['month']:%B %Y}."))
    return (alt.Chart(frame).mark_line(point=True, color=DARK_BLUE)
            .encode(x=alt.X("month:T", title="12 months to", axis=alt.Axis(format="%b %Y")),
                    y=alt.Y("rolling_12_months:Q", title=y_title),
                    tooltip=[alt.Tooltip("month:T", format="%B %Y", title="12 months to"),
                             alt.Tooltip("rolling_12_months:Q", format=",.1f", title=y_title)])
            .properties(title=title, description=description, height=TREND_HEIGHT))


def forecast_chart(history: pd.DataFrame, forecast: pd.DataFrame, title: str, method: str,
                   y_title: str = "count") -> alt.LayerChart:
    latest, first, end = history.iloc[-1], forecast.iloc[0], forecast.iloc[-1]

    def ahead_words(row) -> str:
        return (f"{row['month']:%B %Y} {chart_number(row['forecast'])} (80% interval {chart_number(row['lower80'])} to "
                f"{chart_number(row['upper80'])}; 95% interval {chart_number(row['lower95'])} to {chart_number(row['upper95'])})")

    description = (f"{title}: history to {latest['month']:%B %Y}, latest {chart_number(latest['value'])}, and a forecast "
                   f"by {method} with 80% and 95% intervals: " + ahead_words(first)
                   + ("." if len(forecast) == 1 else f", to {ahead_words(end)}."))
    # The bands have no legend of their own: the axis title is their key
    x = alt.X("month:T", title="Month (dashed: forecast; darker band: 80% interval; lighter band: 95% interval)",
              axis=alt.Axis(format="%b %Y"))
    band95 = alt.Chart(forecast).mark_area(color=TURQUOISE, opacity=0.18, aria=False).encode(x=x, y="lower95:Q", y2="upper95:Q")
    band80 = alt.Chart(forecast).mark_area(color=TURQUOISE, opacity=0.35, aria=False).encode(x=x, y="lower80:Q", y2="upper80:Q")
    past = alt.Chart(history).mark_line(point=True, color=DARK_BLUE).encode(
        x=x, y=alt.Y("value:Q", title=y_title),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("value:Q", format=",.1f")])
    ahead = alt.Chart(forecast).mark_line(point=True, color=TURQUOISE, strokeDash=[5, 3]).encode(
        x=x, y="forecast:Q",
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("forecast:Q", format=",.1f"),
                 alt.Tooltip("lower80:Q", format=",.1f", title="80% from"), alt.Tooltip("upper80:Q", format=",.1f", title="80% to"),
                 alt.Tooltip("lower95:Q", format=",.1f", title="95% from"), alt.Tooltip("upper95:Q", format=",.1f", title="95% to")])
    return alt.layer(band95, band80, past, ahead).properties(title=title, description=description, height=280)


def small_multiples(frame: pd.DataFrame, title: str, y_title: str) -> alt.Chart:
    description = f"{title}: one small chart per area, {y_title}, on a shared scale."
    if len(frame):
        latest = frame[frame["month"] == frame["month"].max()].sort_values("rate", ascending=False)
        ranked = ", ".join(f"{r.area} {chart_number(r.rate)}" for r in latest.itertuples())
        description += f" In {frame['month'].max():%B %Y}, the latest month, highest first: {ranked}."
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
    # Lighter to darker blue as the rate rises, every tile at least 3:1 on white; each label in black
    # or white, whichever contrasts more with its own tile.
    low, high = tiles["rate"].min(), tiles["rate"].max()
    tiles[FILL_FIELD] = [mix(LIGHT_BLUE, DARK_BLUE, (r - low) / (high - low) if high > low else 0.5) for r in tiles["rate"]]
    tiles[TEXT_COLOUR_FIELD] = tiles[FILL_FIELD].map(text_colour_on)
    tiles["short"] = tiles["area"].str.replace(" and ", " & ").str.replace("North West Leicestershire", "NW Leics")
    ranked = ", ".join(f"{r.area} {r.rate:,.1f}" for r in tiles.sort_values("rate", ascending=False).itertuples())
    description = f"{title}, {value_title}, highest first: {ranked}."
    base = alt.Chart(tiles).encode(x=alt.X("column:O", axis=None), y=alt.Y("row:O", axis=None))
    label_colour = alt.Color(f"{TEXT_COLOUR_FIELD}:N", scale=None)
    rect = base.mark_rect(stroke="white", strokeWidth=3).encode(
        color=alt.Color(f"{FILL_FIELD}:N", scale=None),
        tooltip=["area:N", alt.Tooltip("rate:Q", format=",.2f", title=value_title)])
    name = base.mark_text(dy=-10, fontSize=12, fontWeight="bold").encode(text="short:N", color=label_colour)
    value = base.mark_text(dy=10, fontSize=13).encode(text="label:N", color=label_colour)
    return alt.layer(rect, name, value).properties(
        title=alt.TitleParams(title, subtitle=f"{value_title}: the darker the tile, the higher the rate"),
        description=description, width=520, height=300)


def progress_chart(series: pd.DataFrame, title: str, target: float | None, y_title: str) -> alt.LayerChart:
    description = f"{title}: cumulative progress by month" + (f" toward a target of {target:g}." if target else ".")
    if len(series):
        last = series.iloc[-1]
        description += f" Latest, {pd.Timestamp(last['month']):%B %Y}: {chart_number(last['value'])}" + (
            f", {last['value'] / target:.0%} of the target." if target else ".")
    line = alt.Chart(series).mark_line(point=True, color=DARK_BLUE).encode(
        x=alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y")), y=alt.Y("value:Q", title=y_title),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("value:Q", format=",.2f")])
    layers = [line]
    if target:
        layers.append(alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color=TURQUOISE, strokeWidth=2).encode(y="target:Q"))
    return alt.layer(*layers).properties(title=title, description=description, height=260)
