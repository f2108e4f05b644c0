"""Victim satisfaction: survey rates by month and over 12 months, with Wilson intervals,
sample sizes, p-charts and a small-numbers warning."""
import pandas as pd
import streamlit as st

from analysis.proportions import rolling_pooled, with_wilson
from analysis.satisfaction import SMALL, survey_summary
from components.chrome import SYNTHETIC_LABEL, end_page
from components.control_chart import show_control_chart
from components.downloads import chart_downloads, table_downloads
from components.filters import current_filters
from components.readers import catalogue
from components.readers.series import charted_series, survey_series
from components.survey_charts import comparison_chart, monthly_rate_chart, rolling_rate_chart
from render.safe_text import plain

filters = current_filters()
st.title("Victim satisfaction")
st.caption(f"{filters.area_name} · {filters.period.label} · survey data is **{SYNTHETIC_LABEL}**. Rates are pooled "
           "from numerators and denominators, never averaged; All-user pools the burglary, vehicle and violent crime "
           "samples.")
threshold = filters.small_sample
surveys = survey_series(filters.area_id)
if surveys.empty:
    st.info(f"No survey data for {filters.area_name}.")
    end_page()
surveys["month"] = pd.to_datetime(surveys["month"])
summary = survey_summary(surveys, filters.period, threshold)
rated = summary[summary["denominator"] > 0]

st.header(f"All surveys, {filters.period.label}")
chart = comparison_chart(rated, f"Satisfaction by crime type, {filters.area_name}, {filters.period.label}", threshold)
st.altair_chart(chart, width="stretch")
chart_downloads(chart, rated, f"satisfaction {filters.area_name} {filters.period.label}", "sat-compare")
shown = summary
table = pd.DataFrame({
    "Survey": shown["measure"],
    "Satisfied": shown["numerator"],
    "Responses": shown["denominator"],
    "Rate (%)": shown["rate"].round(1),
    "95% interval": [("–" if pd.isna(lo) else f"{lo:.1f} to {hi:.1f}") for lo, hi in zip(shown["lower95"], shown["upper95"])],
    "Sample": shown["state"],
    "Why": shown["why"],
})
st.dataframe(table, hide_index=True, width="stretch", column_config={  # "Why" wide enough for its sentence at 1920 px
    "Satisfied": st.column_config.NumberColumn(width="small"), "Responses": st.column_config.NumberColumn(width="small"),
    "Rate (%)": st.column_config.NumberColumn(format="%.1f", width="small"),
    "Why": st.column_config.TextColumn(width="large")})
table_downloads(table, f"satisfaction {filters.area_name} {filters.period.label}", "sat-table")
for row in summary[summary["state"] == SMALL].itertuples():
    st.warning(f"**Amber, small numbers: {plain(row.measure)}.** {plain(row.why)}.")

st.header("One survey in detail")
names = dict(zip(summary["measure_id"], summary["measure"]))
chosen = st.selectbox("Survey", list(names), format_func=names.__getitem__, key="survey", bind="query-params")
series = surveys[surveys["measure_id"] == chosen].reset_index(drop=True)
monthly = with_wilson(series)
chart = monthly_rate_chart(monthly, f"{names[chosen]}: monthly", threshold)
st.altair_chart(chart, width="stretch")
chart_downloads(chart, monthly, f"{chosen} {filters.area_name} monthly", "sat-monthly")
rolled = rolling_pooled(series)
if rolled.empty:
    st.info("Rolling 12-month rates need 12 months with responses in a row.")
else:
    chart = rolling_rate_chart(rolled, f"{names[chosen]}: rolling 12 months")
    st.altair_chart(chart, width="stretch")
    chart_downloads(chart, rolled, f"{chosen} {filters.area_name} rolling", "sat-rolling")

charted = charted_series(chosen, filters.area_id)
kind = {"p": "p-chart", "p'": "Laney p′ chart", "xmr": "XmR chart"}[charted.result.chart]
# The icons speak of the survey's target where it has one, so the chart draws it
target = catalogue.measures().set_index("id")["target"].get(chosen)
show_control_chart(charted, filters.period, title=f"{names[chosen]}: {kind}", area_name=filters.area_name,
                   y_title="% satisfied", key=f"{chosen}-{filters.area_id}-p",
                   target=None if pd.isna(target) else float(target),
                   stood=charted_series(chosen, filters.area_id, None, filters.period, as_stood=True))
st.caption("Limits vary with each month's sample size.")
