"""Savings (priority 18): the plan lines against the target."""
import streamlit as st

from components.chrome import SYNTHETIC_LABEL
from components.database import query

st.title("Savings")
st.caption(f"Force-wide savings plan · plan lines are **{SYNTHETIC_LABEL}**, at the magnitudes of the seed report.")
lines = query("app/savings_lines")
totals = lines[["target_m", "banked_m", "forecast_m", "remaining_m"]].sum()
columns = st.columns(4)
for column, (label, key) in zip(columns, [("Target", "target_m"), ("Banked", "banked_m"),
                                          ("Forecast", "forecast_m"), ("Still to find", "remaining_m")]):
    column.metric(label, f"£{totals[key]:.1f}m")
st.dataframe(lines, hide_index=True, width="stretch")
