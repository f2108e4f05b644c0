"""Statistics for the dashboard: SPC, comparisons, forecasts and narrative. No Streamlit here."""
