"""The browser baseline: a minimal Streamlit page with one select box and one chart of 120 months.

The national benchmark times a filter change here and on the dashboard in the same run, so the
dashboard's figure can be read against what Streamlit itself costs for a filter and a chart.
"""
import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

QUARTERS = [f"Q{q} {year}/{(year + 1) % 100:02d}" for year in range(2022, 2012, -1) for q in (4, 3, 2, 1)]

st.set_page_config(page_title="Minimal page", layout="wide")
st.title("Minimal page")
with st.sidebar:
    chosen = st.selectbox("Quarter", QUARTERS, key="quarter")
months = pd.date_range("2013-04-01", periods=120, freq="MS")
values = 1000 + 100 * np.sin(np.arange(120) / 6 + QUARTERS.index(chosen))
frame = pd.DataFrame({"month": months, "value": values})
st.altair_chart(alt.Chart(frame).mark_line(point=True).encode(x="month:T", y="value:Q")
                .properties(title=f"A series, {chosen}", height=340), width="stretch")
