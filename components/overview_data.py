"""The Overview table for an area, period and priority, built once per data version and visibility."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import calendar
from analysis.rag import SMALL_SAMPLE
from components.readers.overview import overview
from render.overview_table import overview_html


def overview_table(area_id: str, area_name: str, period: calendar.Period, priority_id: int | None,
                   small_sample: int = SMALL_SAMPLE, *, public: bool = False) -> pd.DataFrame:
    """Cached by the overview reader, whose key includes what the session's user may see
    (public: what the public may see, whoever is signed in, for text meant for publication)."""
    return (overview.public if public else overview)(area_id=area_id, area_name=area_name, period=period,
                                                     priority_id=priority_id, small_sample=small_sample)


@st.cache_data(max_entries=256, show_spinner=False)
def overview_page_html(table: pd.DataFrame, period_label: str, url_params: dict[str, str],
                       priority_labels: dict[int, str], commentary: dict[int, str]) -> str:
    """render.overview_table.overview_html, made once per table, links and commentary: writing it row by row
    was about a fifth of an Overview rerun's CPU, and the table only changes with the data or the filters."""
    return overview_html(table, period_label, url_params, priority_labels, commentary)
