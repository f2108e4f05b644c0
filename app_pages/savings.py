"""Savings (priority 18): target, banked, forecast and what remains, by line and year."""
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from analysis.savings import by_year, time_elapsed_share, waterfall
from components.chrome import SYNTHETIC_LABEL, dataset_meta
from components.database import query
from components.downloads import chart_downloads, table_downloads

st.title("Savings")
st.caption(f"Force-wide savings plan · plan lines are **{SYNTHETIC_LABEL}**, at the magnitudes of the seed report "
           "(a £23m shortfall: £7.7m banked, £9.5m forecast from the transformation programme, £5.8m still to find). "
           "Savings are reported for the force as a whole, whatever area is chosen.")
lines = query("app/savings_lines")
steps = waterfall(lines)
target, banked, forecast, remaining = (float(lines[c].sum()) for c in ("target_m", "banked_m", "forecast_m", "remaining_m"))
columns = st.columns(4)
for column, label, value in zip(columns, ("Target", "Banked", "Forecast", "Still to find"),
                                (target, banked, forecast, remaining)):
    column.metric(label, f"£{value:.1f}m")

description = (f"Savings waterfall: target £{target:.1f}m, less £{banked:.1f}m banked and £{forecast:.1f}m forecast, "
               f"leaves £{remaining:.1f}m still to find.")
bars = alt.Chart(steps).mark_bar(size=60).encode(
    x=alt.X("step:N", sort=list(steps["step"]), title=None, axis=alt.Axis(labelAngle=0)),
    y=alt.Y("start:Q", title="£m"), y2="end:Q",
    color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["total", "saving"], range=["#12436D", "#28A197"])),
    tooltip=["step:N", alt.Tooltip("amount:Q", format="+.1f", title="£m")])
labels = alt.Chart(steps).mark_text(dy=-8).encode(
    x=alt.X("step:N", sort=list(steps["step"])), y="top:Q",
    text=alt.Text("amount:Q", format="+.1f"))
chart = alt.layer(bars, labels).properties(title="From the target to what remains (£m)", description=description, height=320)
st.altair_chart(chart, width="stretch")
st.caption(description)
chart_downloads(chart, steps, "savings waterfall", "sv-waterfall")

st.subheader("Progress against the target date")
target_date = pd.to_datetime(lines["target_date"]).max().date()
progress = query("app/savings_progress")
as_at_text = dataset_meta().get("as_at")
as_at = date.fromisoformat(as_at_text) if as_at_text else date.today()
if not progress.empty:
    start = pd.to_datetime(progress["month"]).min().date()
    elapsed = time_elapsed_share(start, as_at, target_date)
    st.progress(min(1.0, banked / target), text=f"£{banked:.1f}m of £{target:.1f}m banked ({banked / target:.0%})")
    st.progress(elapsed, text=f"{elapsed:.0%} of the time from {start:%B %Y} to the target date, "
                              f"{target_date:%-d %B %Y}, has passed (as at {as_at:%-d %B %Y})")
    progress["month"] = pd.to_datetime(progress["month"])
    line = alt.Chart(progress).mark_line(point=True, color="#12436D").encode(
        x=alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y")), y=alt.Y("value:Q", title="£m banked (cumulative)"),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("value:Q", format=".2f")])
    goal = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color="#28A197", strokeWidth=2).encode(y="target:Q")
    chart = alt.layer(line, goal).properties(title="Savings banked against the plan target",
                                             description=f"Cumulative savings banked by month, rising to £{banked:.1f}m, "
                                                         f"against a target of £{target:.1f}m.", height=260)
    st.altair_chart(chart, width="stretch")
    chart_downloads(chart, progress, "savings progress", "sv-progress")

st.subheader("By year")
years = by_year(lines).rename(columns={"financial_year": "Financial year", "target_m": "Target (£m)",
                                        "banked_m": "Banked (£m)", "forecast_m": "Forecast (£m)",
                                        "remaining_m": "Still to find (£m)"})
st.dataframe(years, hide_index=True, width="stretch")
table_downloads(years, "savings by year", "sv-years")
st.subheader("By plan line")
plan = lines.rename(columns={"programme": "Programme", "name": "Line", "financial_year": "Financial year",
                             "target_m": "Target (£m)", "banked_m": "Banked (£m)", "forecast_m": "Forecast (£m)",
                             "remaining_m": "Still to find (£m)", "target_date": "Target date"})
st.dataframe(plan, hide_index=True, width="stretch")
table_downloads(plan, "savings plan lines", "sv-lines")
