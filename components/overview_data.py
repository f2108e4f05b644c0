"""The Overview table for an area, period and priority, built once per data version."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import dashboard_data
from analysis import calendar
from analysis.rag import SMALL_SAMPLE
from components.database import current_version, cursor


@st.cache_data(max_entries=128, show_spinner=False)
def _overview(version, area_id: str, area_name: str, period_key: tuple, priority_id: int | None,
              small_sample: int) -> pd.DataFrame:
    with cursor() as cur:
        return dashboard_data.overview(cur, area_id=area_id, area_name=area_name,
                                       period=calendar.Period.from_key(period_key), priority_id=priority_id,
                                       small_sample=small_sample)


def overview_table(area_id: str, area_name: str, period: calendar.Period, priority_id: int | None,
                   small_sample: int = SMALL_SAMPLE) -> pd.DataFrame:
    return _overview(current_version(), area_id, area_name, period.key, priority_id, small_sample)
