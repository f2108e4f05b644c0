"""The first-load baseline: a Streamlit app that shows only a title (python -m bench clicks opens it and the
Overview alternately in chromium, so the Overview's first settled page is read against what Streamlit itself costs)."""
import streamlit as st

st.set_page_config(page_title="Title only", layout="wide")
st.title("Partnership performance dashboard")
