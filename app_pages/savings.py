"""Savings (priority 18): the plan's shortfall as banked, forecast and still to find, by line and year.

Every figure comes from the plan lines as at the end of the chosen period, so it agrees
with the Overview's savings row for the same period.
"""
import pandas as pd
import streamlit as st

from analysis import calendar
from analysis.formatting import format_value
from analysis.savings import by_year, time_elapsed_share, waterfall
from components.chrome import SYNTHETIC_LABEL, end_page
from components.downloads import chart_downloads, table_downloads
from components.filters import current_filters
from components.readers.savings import savings_lines, savings_position, savings_progress
from components.savings_charts import banking_chart, waterfall_chart

filters = current_filters()
as_of = filters.period.end
st.title("Savings")
st.caption(f"Force-wide savings plan, as at the end of {calendar.month_label(filters.period.last)} (the end of "
           f"{filters.period.label}) · plan lines are **{SYNTHETIC_LABEL}**, at the magnitudes of the seed report. "
           "Savings are reported for the force as a whole, whatever area is chosen.")
position = savings_position(as_of)
lines = savings_lines(as_of)
if not position.has_plan:  # a database without the savings plan (not the demo)
    st.info(position.sentence())
    end_page()

st.markdown(f"**Against the financial plan's £{position.shortfall_m:.1f}m shortfall** "
            f"(the plan lines' targets, to be met by {position.target_date:%-d %B %Y}):")
columns = st.columns(4)
for column, label, value in zip(columns, ("Shortfall", "Banked", "Forecast", "Still to find"),
                                (position.shortfall_m, position.banked_m, position.forecast_m, position.still_to_find_m)):
    column.metric(label, format_value(value, "currency"))
st.caption(position.sentence())

chart = waterfall_chart(waterfall(position), position)
st.altair_chart(chart, width="stretch")
chart_downloads(chart, waterfall(position), f"savings waterfall {filters.period.label}", "sv-waterfall")

st.header("Progress against the target date")
progress = savings_progress(as_of)
if progress.empty:
    st.info(f"Nothing was banked by the end of {filters.period.label}.")
else:
    progress["month"] = pd.to_datetime(progress["month"])
    start = progress["month"].min().date()
    elapsed = time_elapsed_share(start, as_of, position.target_date)
    st.progress(min(1.0, position.banked_m / position.shortfall_m),
                text=f"£{position.banked_m:.1f}m of the £{position.shortfall_m:.1f}m shortfall banked "
                     f"({position.banked_m / position.shortfall_m:.0%})")
    st.progress(elapsed, text=f"{elapsed:.0%} of the time from {start:%B %Y} to the target date, "
                              f"{position.target_date:%-d %B %Y}, had passed by {as_of:%B %Y}")
    chart = banking_chart(progress, position)
    st.altair_chart(chart, width="stretch")
    chart_downloads(chart, progress, f"savings banked {filters.period.label}", "sv-progress")

NAMES = {"financial_year": "Financial year", "target_m": "Target (£m)", "banked_m": "Banked (£m)",
         "forecast_m": "Forecast (£m)", "still_to_find_m": "Still to find (£m)"}
st.header("By year")
years = by_year(lines).rename(columns=NAMES)
st.dataframe(years, hide_index=True, width="stretch")
table_downloads(years, f"savings by year {filters.period.label}", "sv-years")
st.header("By plan line")
plan = lines.drop(columns=["id"]).rename(columns={**NAMES, "programme": "Programme", "name": "Line",
                                                  "target_date": "Target date"})
st.dataframe(plan, hide_index=True, width="stretch",
             column_config={"Target date": st.column_config.DateColumn(format="D MMMM YYYY")})  # not 00:00:00
table_downloads(plan, f"savings plan lines {filters.period.label}", "sv-lines")
