"""Missing persons (priority 17): reports, individuals and repeats, counted from the records.

No personal identifier is shown. Area and age breakdowns suppress small counts.
"""
import pandas as pd
import streamlit as st

from analysis import calendar
from analysis.disclosure import EXPLANATION, suppress
from components.chrome import SYNTHETIC_LABEL
from components.control_chart import chart_frame, control_chart, describe
from components.database import charted_series, query
from components.downloads import chart_downloads, table_downloads
from components.filters import current_filters

filters = current_filters()
st.title("Missing persons")
st.caption(f"{filters.area_name} · {filters.period.label} · person-level records are **{SYNTHETIC_LABEL}**. "
           "Every figure is counted from the records; no personal identifier is ever shown.")

summary = query("app/missing_person_summary", **filters.as_params()).iloc[0]
reports, individuals, repeats = int(summary.reports), int(summary.individuals), int(summary.repeat_individuals)
columns = st.columns(4)
columns[0].metric("Reports", f"{reports:,}")
columns[1].metric("Individuals", f"{individuals:,}")
columns[2].metric("Reported 2+ times in the period", f"{repeats:,}",
                  help="Individuals with two or more reports within the chosen period")
columns[3].metric("Reports per individual", f"{reports / individuals:.2f}" if individuals else "–")
if individuals:
    st.write(f"In {filters.period.label}, {reports:,} reports relate to {individuals:,} individuals; "
             f"{repeats:,} of them ({repeats / individuals:.0%}) were reported missing two or more times.")
else:
    st.info("No missing-person reports in this area and period.")


def period_table(grain: str) -> pd.DataFrame:
    frame = query("app/missing_person_periods", area_id=filters.area_id, grain=grain)
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    months = frame["period_start"].dt.to_period("M")
    frame["period"] = [calendar.quarter_of(m).label if grain == "quarter" else calendar.month_label(m) for m in months]
    frame["repeat_share"] = (100 * frame["repeat_individuals"] / frame["individuals"]).round(1)
    frame["reports_per_individual"] = (frame["reports"] / frame["individuals"]).round(2)
    return frame


st.subheader("By quarter and month")
quarterly, monthly = st.tabs(["Quarters", "Months"])
for tab, grain in ((quarterly, "quarter"), (monthly, "month")):
    with tab:
        table = period_table(grain)
        first, last = table["period_start"].min(), table["period_start"].max()
        if grain == "quarter":
            st.caption("Quarters at either end of the data are partial: December 2019 alone, and April 2022 alone.")
        shown = table[["period", "reports", "individuals", "repeat_individuals", "repeat_share", "reports_per_individual"]] \
            .rename(columns={"period": "Period", "reports": "Reports", "individuals": "Individuals",
                             "repeat_individuals": "Reported 2+ times", "repeat_share": "Repeat share (%)",
                             "reports_per_individual": "Reports per individual"})
        st.dataframe(shown, hide_index=True, width="stretch")
        table_downloads(shown, f"missing persons {filters.area_name} by {grain}", f"mp-{grain}")

st.subheader("SPC on monthly reports")
charted = charted_series("missing_reports", filters.area_id)
frame = chart_frame(charted.points)
description = describe("Missing person reports", filters.area_name, frame)
chart = control_chart(frame, title="Missing person reports", description=description, rebases=charted.rebases,
                      highlight=(pd.Timestamp(filters.period.start), pd.Timestamp(filters.period.end)), y_title="reports")
st.altair_chart(chart, width="stretch")
st.caption(description)
chart_downloads(chart, frame.drop(columns=["classification", "month_label", "limits"]), "missing reports spc", "mp-spc")

st.subheader(f"By area and age band, {filters.period.label}")
breakdown = query("app/missing_person_breakdown", **filters.as_params())
counts = ["reports", "individuals", "repeat_individuals"]
protected, hidden = suppress(breakdown, counts)
shown = protected.drop(columns=["area_id"]).rename(columns={
    "area": "Area", "age_band": "Age band", "reports": "Reports", "individuals": "Individuals",
    "repeat_individuals": "Reported 2+ times"})
st.dataframe(shown, hide_index=True, width="stretch")
st.caption(f"Statistical disclosure control: {hidden} cell{'s' if hidden != 1 else ''} suppressed. {EXPLANATION}")
table_downloads(shown, f"missing persons breakdown {filters.area_name} {filters.period.label}", "mp-breakdown")
