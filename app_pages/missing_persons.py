"""Missing persons (priority 17): reports, individuals and repeats, counted from the records.

No personal identifier is shown. The breakdown by area and age band follows the one
disclosure rule in analysis/disclosure.py.
"""
import pandas as pd
import streamlit as st

from analysis.disclosure import EXPLANATION, SUPPRESSED, totals_explanation
from analysis.formatting import plural
from analysis.missing_persons import is_quarter, partial_quarters, period_names, with_ratios
from components.chrome import SYNTHETIC_LABEL
from components.control_chart import show_control_chart
from components.downloads import table_downloads
from components.filters import current_filters, load_options
from components.readers.missing_persons import missing_person_breakdown, missing_person_periods, missing_person_summary
from components.readers.series import charted_series
from dashboard_data import disclosure_threshold

filters = current_filters()
st.title("Missing persons")
st.caption(f"{filters.area_name} · {filters.period.label} · person-level records are **{SYNTHETIC_LABEL}**. "
           "Every figure is counted from the records, each person once per period; no personal identifier is ever shown.")

summary = missing_person_summary(filters.area_id, filters.period)
reports, individuals, repeats = summary["reports"], summary["individuals"], summary["repeat_individuals"]
withheld = any(pd.isna(v) for v in (reports, individuals, repeats))


def count_text(value) -> str:
    return SUPPRESSED if pd.isna(value) else f"{int(value):,}"


columns = st.columns(4)
columns[0].metric("Reports", count_text(reports))
columns[1].metric("Individuals", count_text(individuals))
columns[2].metric("Reported 2+ times in the period", count_text(repeats),
                  help="Individuals with two or more reports within the chosen period")
per_individual = SUPPRESSED if pd.isna(reports) or pd.isna(individuals) else \
    f"{reports / individuals:.2f}" if individuals else "–"
columns[3].metric("Reports per individual", per_individual)
if withheld:
    st.write(f"In {filters.period.label}, some of these counts are withheld ({SUPPRESSED}) to protect small numbers. "
             f"{totals_explanation(disclosure_threshold())}")
elif individuals:
    st.write(f"In {filters.period.label}, {plural(int(reports), 'report')} relate to "
             f"{plural(int(individuals), 'individual')}; {int(repeats):,} of them ({repeats / individuals:.0%}) were "
             "reported missing two or more times in the period.")
else:
    st.info("No missing-person reports in this area and period.")

NAMES = {"period": "Period", "reports": "Reports", "individuals": "Individuals", "repeat_individuals": "Reported 2+ times",
         "repeat_share": "Repeat share (%)", "reports_per_individual": "Reports per individual"}


def period_table(grain: str) -> tuple[pd.DataFrame, pd.Series]:
    """The table by quarter or month, and each row's first month."""
    frame = with_ratios(missing_person_periods(filters.area_id, grain))
    frame["period"] = period_names(frame["period_start"], grain)
    return frame[list(NAMES)].rename(columns=NAMES), frame["period_start"]


st.header("By quarter and month")
options = load_options()
quarterly, monthly = st.tabs(["Quarters", "Months"])
monthly_reports = pd.Series(dtype="Int64")
for tab, grain in ((quarterly, "quarter"), (monthly, "month")):
    with tab:
        table, starts = period_table(grain)
        if grain == "quarter":
            partial = partial_quarters(starts, options.first_month, options.last_month)
            if partial:
                st.caption(f"Partial quarters (the data covers only part of them): {', '.join(partial)}.")
        formats = {"Repeat share (%)": "{:.1f}", "Reports per individual": "{:.2f}",
                   **{c: "{:,.0f}" for c in ("Reports", "Individuals", "Reported 2+ times")}}
        # A withheld count (and any share or ratio made from it) shows as "[c]"; the counts stay numbers.
        st.dataframe(table.style.format(formats, na_rep=SUPPRESSED), hide_index=True, width="stretch")
        if table.isna().any().any():
            st.caption(totals_explanation(disclosure_threshold()))
        monthly_reports = table["Reports"] if grain == "month" else monthly_reports
        table_downloads(table, f"missing persons {filters.area_name} by {grain}", f"mp-{grain}",
                        context={"Area": filters.area_name, "Data": f"missing-person records ({SYNTHETIC_LABEL})",
                                 "Disclosure control": totals_explanation(disclosure_threshold())},
                        na_rep=SUPPRESSED)

st.header("SPC on monthly reports")
if monthly_reports.isna().any():
    # A chart would show every month's count, withheld ones included.
    st.info(f"The control chart of monthly reports is not shown for {filters.area_name}: "
            f"{plural(int(monthly_reports.isna().sum()), 'month')} of its monthly counts are withheld ({SUPPRESSED}) "
            "to protect small numbers, and a chart would show them.")
else:
    try:
        reports_series = charted_series("missing_reports", filters.area_id)
    except LookupError:  # a database with no missing-person records (not the demo)
        st.info(f"There are no published missing-person reports for {filters.area_name} to chart.")
    else:
        show_control_chart(reports_series, filters.period, title="Missing person reports",
                           stood=charted_series("missing_reports", filters.area_id, None, filters.period, as_stood=True),
                           area_name=filters.area_name, y_title="reports", key=f"missing-reports-{filters.area_id}")

st.header(f"By area and age band, {filters.period.label}")
if not is_quarter(filters.period):
    st.info("The breakdown by area and age band is published for financial quarters only, so that hidden cells "
            "cannot be worked out by combining periods. Choose a quarter in the sidebar to see it.")
else:
    breakdown, hidden = missing_person_breakdown(filters.area_id, filters.period)
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
