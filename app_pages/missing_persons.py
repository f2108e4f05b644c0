"""Missing persons (priority 17): reports, individuals and repeats, counted from the records.

No personal identifier is shown. The breakdown by area and age band follows the one
disclosure rule in analysis/disclosure.py.
"""
import pandas as pd
import streamlit as st

from analysis.disclosure import EXPLANATION, SUPPRESSED, protect
from analysis.formatting import plural
from analysis.missing_persons import is_quarter, partial_quarters, period_names, with_ratios
from components.chrome import SYNTHETIC_LABEL
from components.control_chart import show_control_chart
from components.database import charted_series, query
from components.downloads import table_downloads
from components.filters import current_filters, load_options

filters = current_filters()
st.title("Missing persons")
st.caption(f"{filters.area_name} · {filters.period.label} · person-level records are **{SYNTHETIC_LABEL}**. "
           "Every figure is counted from the records, each person once per period; no personal identifier is ever shown.")

summary = query("app/missing_person_summary", **filters.as_params()).iloc[0]
reports, individuals, repeats = int(summary.reports), int(summary.individuals), int(summary.repeat_individuals)
columns = st.columns(4)
columns[0].metric("Reports", f"{reports:,}")
columns[1].metric("Individuals", f"{individuals:,}")
columns[2].metric("Reported 2+ times in the period", f"{repeats:,}",
                  help="Individuals with two or more reports within the chosen period")
columns[3].metric("Reports per individual", f"{reports / individuals:.2f}" if individuals else "–")
if individuals:
    st.write(f"In {filters.period.label}, {plural(reports, 'report')} relate to {plural(individuals, 'individual')}; "
             f"{repeats:,} of them ({repeats / individuals:.0%}) were reported missing two or more times in the period.")
else:
    st.info("No missing-person reports in this area and period.")

NAMES = {"period": "Period", "reports": "Reports", "individuals": "Individuals", "repeat_individuals": "Reported 2+ times",
         "repeat_share": "Repeat share (%)", "reports_per_individual": "Reports per individual"}


def period_table(grain: str) -> tuple[pd.DataFrame, pd.Series]:
    """The table by quarter or month, and each row's first month."""
    frame = with_ratios(query("app/missing_person_periods", area_id=filters.area_id, grain=grain))
    frame["period"] = period_names(frame["period_start"], grain)
    return frame[list(NAMES)].rename(columns=NAMES), frame["period_start"]


st.header("By quarter and month")
options = load_options()
quarterly, monthly = st.tabs(["Quarters", "Months"])
for tab, grain in ((quarterly, "quarter"), (monthly, "month")):
    with tab:
        table, starts = period_table(grain)
        if grain == "quarter":
            partial = partial_quarters(starts, options.first_month, options.last_month)
            if partial:
                st.caption(f"Partial quarters (the data covers only part of them): {', '.join(partial)}.")
        st.dataframe(table, hide_index=True, width="stretch")
        table_downloads(table, f"missing persons {filters.area_name} by {grain}", f"mp-{grain}",
                        context={"Area": filters.area_name, "Data": f"missing-person records ({SYNTHETIC_LABEL})"})

st.header("SPC on monthly reports")
try:
    reports_series = charted_series("missing_reports", filters.area_id)
except LookupError:  # a database with no missing-person records (not the demo)
    st.info(f"There are no published missing-person reports for {filters.area_name} to chart.")
else:
    show_control_chart(reports_series, filters.period, title="Missing person reports", area_name=filters.area_name,
                       y_title="reports", key=f"missing-reports-{filters.area_id}")

st.header(f"By area and age band, {filters.period.label}")
if not is_quarter(filters.period):
    st.info("The breakdown by area and age band is published for financial quarters only, so that hidden cells "
            "cannot be worked out by combining periods. Choose a quarter in the sidebar to see it.")
else:
    breakdown, hidden = protect(query("app/missing_person_breakdown", **filters.as_params()))
    shown = breakdown.drop(columns=["area_id"]).rename(columns={
        "area": "Area", "age_band": "Age band", "reports": "Reports", "individuals": "Individuals",
        "repeat_individuals": "Reported 2+ times"})
    counts = ["Reports", "Individuals", "Reported 2+ times"]
    # Shown with "[c]" in place of a withheld count; the counts themselves stay numbers.
    display = shown.astype({c: "float64" for c in counts}).style.format("{:,.0f}", na_rep=SUPPRESSED, subset=counts)
    st.table(display.hide(axis="index"))
    st.caption(f"Statistical disclosure control: {plural(hidden, 'cell')} withheld ({SUPPRESSED}). {EXPLANATION}")
    table_downloads(shown, f"missing persons breakdown {filters.area_name} {filters.period.label}", "mp-breakdown",
                    context={"Area": filters.area_name, "Period": filters.period.label,
                             "Data": f"missing-person records ({SYNTHETIC_LABEL})", "Disclosure control": EXPLANATION},
                    na_rep=SUPPRESSED)
