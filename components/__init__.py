"""Streamlit and Altair building blocks for the pages. No SQL here."""
# Importing the package registers and enables the charts' accessible Altair theme, so every
# chart any component builds carries it, in the app and in downloads.
from render import chart_theme  # noqa: F401
