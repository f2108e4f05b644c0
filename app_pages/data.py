"""Data: what is available, what is not and why, and every load into the database."""
import streamlit as st

from components.database import query

st.title("Data")
st.subheader("Data availability")
st.caption("Partners send data after their own boards validate it, so some data is not available at a given time.")
st.dataframe(query("app/availability"), hide_index=True, width="stretch")
st.subheader("Submissions")
st.caption("An audit of every load: who loaded which file, when, its SHA-256 and row counts.")
st.dataframe(query("app/submissions"), hide_index=True, width="stretch")
