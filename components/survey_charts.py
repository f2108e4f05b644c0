"""Survey charts: rates with Wilson 95% intervals and the sample size of every point."""
from __future__ import annotations

import math

import altair as alt
import pandas as pd

from analysis.formatting import signed
from render.chart_theme import DARK_BLUE, MID_GREY, ORANGE

SMALL_COLOUR = ORANGE
WHISKER_COLOUR = MID_GREY


def rate_scale(frame: pd.DataFrame, title: str) -> tuple[alt.Scale, str]:
    """A rate axis that shows the data: from just below the lowest interval to just above the highest (rates
    live in 60-95%, so a fixed 0-100 squashed them); the title says so when the axis does not start at 0."""
    ends = pd.concat([frame["lower95"], frame["upper95"], frame["rate"]]).dropna() if len(frame) else pd.Series()
    if ends.empty:
        return alt.Scale(domain=[0, 100]), title
    pad = max(1.0, (ends.max() - ends.min()) * 0.05)  # a little room so a whisker never sits on the frame
    low, high = max(0, math.floor(ends.min() - pad)), min(100, math.ceil(ends.max() + pad))
    return (alt.Scale(domain=[low, high], zero=False, nice=False),
            title if low == 0 else f"{title}; axis starts at {low}, not 0")


def _rate_words(row) -> str:
    return (f"{row['rate']:.1f}% (95% interval {row['lower95']:.1f} to {row['upper95']:.1f}, "
            f"{row['denominator']:,.0f} responses)")


def monthly_rate_chart(frame: pd.DataFrame, title: str, threshold: int) -> alt.LayerChart:
    """Monthly rate with its interval; points from small samples are orange triangles; n is printed above each."""
    data = frame.assign(sample=frame["denominator"].map(lambda n: "small numbers" if n < threshold else "adequate"))
    description = (f"{title}: monthly satisfaction rate with 95% Wilson intervals; sample sizes printed above each "
                   f"month; months with fewer than {threshold} responses marked small numbers.")
    rated = data.dropna(subset=["rate"])
    if len(rated):
        last = rated.iloc[-1]
        small = int((rated["sample"] == "small numbers").sum())
        description += (f" Latest, {pd.Timestamp(last['month']):%B %Y}: {_rate_words(last)}. "
                        f"{small} of {len(rated)} months are small numbers.")
    # The key to the figures above the points and the vertical lines, which only the description said
    x = alt.X("month:T", title="Month (figure above each point: responses; line: 95% Wilson interval)",
              axis=alt.Axis(format="%b %Y"))
    scale, y_title = rate_scale(data, "% satisfied")
    bars = alt.Chart(data).mark_rule(color=WHISKER_COLOUR).encode(x=x, y=alt.Y("lower95:Q", title=y_title, scale=scale),
                                                                  y2="upper95:Q")
    # opacity 1: Vega-Lite draws filled points at 0.7, which took the orange from 3.0:1 to 2.2:1 on white
    points = alt.Chart(data).mark_point(size=70, filled=True, opacity=1).encode(
        x=x, y=alt.Y("rate:Q", scale=scale),
        color=alt.Color("sample:N", title="Sample", scale=alt.Scale(domain=["adequate", "small numbers"], range=[DARK_BLUE, SMALL_COLOUR])),
        shape=alt.Shape("sample:N", scale=alt.Scale(domain=["adequate", "small numbers"], range=["circle", "triangle-down"])),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("rate:Q", format=".1f", title="% satisfied"),
                 alt.Tooltip("lower95:Q", format=".1f", title="95% from"), alt.Tooltip("upper95:Q", format=".1f", title="95% to"),
                 alt.Tooltip("denominator:Q", title="Responses"), "sample:N"])
    labels = alt.Chart(data).mark_text(dy=-8, fontSize=9, color="#505050").encode(
        x=x, y=alt.Y("upper95:Q", scale=scale), text=alt.Text("denominator:Q", format=".0f"))
    return alt.layer(bars, points, labels).properties(title=title, description=description, height=280)


def rolling_rate_chart(frame: pd.DataFrame, title: str) -> alt.LayerChart:
    description = f"{title}: rolling 12-month satisfaction rate with its 95% Wilson interval."
    if len(frame):
        last = frame.iloc[-1]
        description += f" Latest, 12 months to {pd.Timestamp(last['month']):%B %Y}: {_rate_words(last)}"
        year_before = frame[pd.to_datetime(frame["month"]) == pd.Timestamp(last["month"]) - pd.DateOffset(months=12)]
        description += ("." if year_before.empty else
                        f", {signed(last['rate'] - year_before['rate'].iloc[0], 1)} percentage points on the 12 months "
                        f"to {pd.Timestamp(year_before['month'].iloc[0]):%B %Y}.")
    x = alt.X("month:T", title="12 months to (band: 95% Wilson interval)", axis=alt.Axis(format="%b %Y"))
    scale, y_title = rate_scale(frame, "% satisfied")
    band = alt.Chart(frame).mark_area(opacity=0.25, color=DARK_BLUE, aria=False).encode(
        x=x, y=alt.Y("lower95:Q", title=y_title, scale=scale), y2="upper95:Q")
    line = alt.Chart(frame).mark_line(point=True, color=DARK_BLUE).encode(
        x=x, y=alt.Y("rate:Q", scale=scale),
        tooltip=[alt.Tooltip("month:T", format="%B %Y", title="12 months to"), alt.Tooltip("rate:Q", format=".1f"),
                 alt.Tooltip("lower95:Q", format=".1f"), alt.Tooltip("upper95:Q", format=".1f"),
                 alt.Tooltip("denominator:Q", title="Responses")])
    return alt.layer(band, line).properties(title=title, description=description, height=240)


def comparison_chart(summary: pd.DataFrame, title: str, threshold: int) -> alt.LayerChart:
    """One row per survey: the period's rate and interval, n in the label."""
    data = summary.assign(label=[f"{m} (n={n:,.0f})" for m, n in zip(summary["measure"], summary["denominator"])],
                          sample=summary["denominator"].map(lambda n: "small numbers" if n < threshold else "adequate"))
    ranked = ", ".join(f"{r.measure} {r.rate:.1f}% (n={r.denominator:,.0f})" for r in data.itertuples())
    y = alt.Y("label:N", title=None, sort=list(data["label"]), axis=alt.Axis(labelLimit=460))
    scale, x_title = rate_scale(data, "% satisfied (95% Wilson interval)")
    rule = alt.Chart(data).mark_rule(strokeWidth=2, color=WHISKER_COLOUR).encode(
        y=y, x=alt.X("lower95:Q", title=x_title, scale=scale), x2="upper95:Q")
    point = alt.Chart(data).mark_point(size=100, filled=True, opacity=1).encode(  # opacity 1: as monthly_rate_chart
        y=y, x=alt.X("rate:Q", scale=scale),
        color=alt.Color("sample:N", title="Sample", scale=alt.Scale(domain=["adequate", "small numbers"], range=[DARK_BLUE, SMALL_COLOUR])),
        shape=alt.Shape("sample:N", scale=alt.Scale(domain=["adequate", "small numbers"], range=["circle", "triangle-down"])),
        tooltip=["measure:N", alt.Tooltip("rate:Q", format=".1f"), alt.Tooltip("lower95:Q", format=".1f"),
                 alt.Tooltip("upper95:Q", format=".1f"), alt.Tooltip("denominator:Q", title="Responses")])
    return alt.layer(rule, point).properties(title=title, description=f"{title}: {ranked}.", height=40 * len(data) + 40)
