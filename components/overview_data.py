"""The Overview table for an area, period and priority, built once per data version."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import calendar
from analysis.overview import build_overview
from components.database import current_version, query


@st.cache_data(max_entries=128, show_spinner=False)
def _overview(version, area_id: str, area_name: str, period_key: tuple, priority_id: int | None) -> pd.DataFrame:
    period = calendar.Period.from_key(period_key)
    catalogue = query("app/overview", area_id=area_id, first=period.start, last=period.end, priority_id=priority_id)
    series = query("app/area_series", area_id=area_id, last=period.end.replace(year=9999))
    return build_overview(catalogue, series, period, area_name, query("app/area_rebases", area_id=area_id))


def overview_table(area_id: str, area_name: str, period: calendar.Period, priority_id: int | None) -> pd.DataFrame:
    return _overview(current_version(), area_id, area_name, period.key, priority_id)
