"""The Overview table: every measure's reading for an area and period (also read by Panel mode and commentary).

Kept on disk per snapshot and shared by every replica (readers/overview_store.py): a table one replica built, or
the background warm-up did, is not built again by another."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

import datastore
from analysis import calendar
from analysis.rag import SMALL_SAMPLE
from components.connection import current_version
from components.database import cached_reader
from readers.overview_store import OverviewStore, cache_folder


@st.cache_resource(show_spinner=False)
def _store(database: str) -> OverviewStore:
    return OverviewStore(cache_folder(Path(database)))


def overview_store() -> OverviewStore:
    """The kept Overview tables of the database being served."""
    return _store(str(datastore.database_path()))


@cached_reader
def overview(cur, *, area_id: str, area_name: str, period: calendar.Period, priority_id: int | None = None,
             small_sample: int = SMALL_SAMPLE) -> pd.DataFrame:
    """dashboard_data.overview, read from the kept tables (and kept when built here)."""
    return overview_store().read(cur, current_version(), area_id=area_id, area_name=area_name, period=period,
                                 priority_id=priority_id, small_sample=small_sample)
