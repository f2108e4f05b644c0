"""Streamlit and Altair building blocks for the pages. No SQL here."""
