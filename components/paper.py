"""The Panel paper for the app: its content read once per data version, then typeset as PDF or HTML."""
from __future__ import annotations

import streamlit as st

from analysis import calendar
from components.database import current_version, cursor, public_visibility
from report.content import paper_content
from report.render import render


@st.cache_data(max_entries=4, show_spinner="Reading the figures and drawing the charts…")
def _content(version, visibility, area_id: str, period_key: tuple) -> dict:
    # The paper is published: it holds what the public may see, whoever makes it.
    with cursor(public=True) as cur:
        return paper_content(cur, area_id=area_id, period=calendar.Period.from_key(period_key))


@st.cache_data(max_entries=8, show_spinner="Typesetting the paper…")
def _paper(version, visibility, area_id: str, period_key: tuple, fmt: str) -> bytes:
    return render(_content(version, visibility, area_id, period_key), fmt)


def paper_file(area_id: str, period: calendar.Period, fmt: str) -> bytes:
    """The same file `python -m report` writes for this area and period, for the current data version.
    Keyed by the public's visibility too: provisional rows released at 09:30 reach the paper unaided."""
    return _paper(current_version(), public_visibility(), area_id, period.key, fmt)
