"""Victim satisfaction: survey measures with their sample sizes."""
import streamlit as st

from analysis.availability import format_value
from components.chrome import SYNTHETIC_LABEL
from components.database import query
from components.filters import current_filters

filters = current_filters()
st.title("Victim satisfaction")
st.caption(f"{filters.area_name} · {filters.period.label} · survey data is **{SYNTHETIC_LABEL}**. "
           "Monthly and rolling 12-month rates with Wilson intervals and p-charts follow.")
rows = query("app/overview", priority_id=None, **filters.as_params())
surveys = rows[(rows["unit"] == "percentage") & rows["measure"].str.contains("satisfaction", case=False, na=False)]
st.dataframe(
    surveys.assign(rate=(100 * surveys["numerator"] / surveys["denominator"]).map(lambda v: format_value(v, "percentage")))[
        ["measure", "rate", "numerator", "denominator"]
    ].rename(columns={"measure": "Survey", "rate": "Satisfied", "numerator": "Satisfied (n)", "denominator": "Responses"}),
    hide_index=True, width="stretch",
)
