"""Missing persons: reports and individuals counted from the records."""
import streamlit as st

from components.chrome import SYNTHETIC_LABEL
from components.database import query
from components.filters import current_filters

filters = current_filters()
st.title("Missing persons")
st.caption(f"{filters.area_name} · {filters.period.label} · person-level records are **{SYNTHETIC_LABEL}**. "
           "No personal identifier is ever shown.")
summary = query("app/missing_person_summary", **filters.as_params()).iloc[0]
reports, individuals, repeats = int(summary.reports), int(summary.individuals), int(summary.repeat_individuals)
left, middle, right = st.columns(3)
left.metric("Reports", f"{reports:,}")
middle.metric("Individuals", f"{individuals:,}")
right.metric("Reported 2+ times", f"{repeats:,}")
if individuals:
    st.write(f"{reports:,} reports relate to {individuals:,} individuals "
             f"({reports / individuals:.2f} reports per individual).")
