"""Panel mode (?mode=panel): the meeting screen. Published data only, one priority per screen.

The area and period come from the URL, with the sidebar filters' names and values;
`advance` sets the seconds between screens (at least 5) and `attention=true` shows
only the measures that need attention. The screens redraw when new data is published.
"""
import streamlit as st

from components.filters import filters_from_url, load_options
from components.page_errors import show_server_error
from components.panel import CHROME_STYLE, panel_deck
from render.panel_deck import advance_seconds
from render.safe_text import plain

st.html(CHROME_STYLE)
try:
    filters = filters_from_url(st.query_params, load_options())
except ValueError as problem:
    st.title("Panel mode")
    st.error(f"{plain(problem)} Open the Overview, choose the area and period, and press “Panel mode”.")
    st.stop()
seconds, note = advance_seconds(st.query_params.get("advance"))
attention_only = st.query_params.get("attention", "false").lower() == "true"


@st.fragment(run_every=seconds)
def screens() -> None:
    # A fragment's own reruns never pass through app.py's handler, so the screens catch their own failures.
    try:
        deck = panel_deck(filters, attention_only=attention_only, seconds=seconds, notes=(note,) if note else ())
    except Exception:
        show_server_error("Panel mode")
        return
    st.html(deck, unsafe_allow_javascript=True)


screens()
