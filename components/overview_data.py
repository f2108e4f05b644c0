"""The Overview table for an area, period and priority, built once per data version and visibility, and kept on
disk for every replica (readers/overview_store.py), where a warm-up started once a snapshot is served builds every
area's table for every quarter before visitors ask for them."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

import pandas as pd
import streamlit as st

import datastore
from analysis import calendar
from analysis.rag import SMALL_SAMPLE
from components.connection import current_version, public_visibility
from components.readers.overview import overview, overview_store
from render.overview_table import overview_html

LOG = logging.getLogger("dashboard.overview")
WARM_UP_ENV = "DASHBOARD_OVERVIEW_WARM_UP"  # "0": no warm-up (the tests, but those of the warm-up itself)
WARMED = {"for": None}  # the snapshot and public visibility a warm-up was started for by this server


def overview_table(area_id: str, area_name: str, period: calendar.Period, priority_id: int | None,
                   small_sample: int = SMALL_SAMPLE, *, public: bool = False) -> pd.DataFrame:
    """Cached by the overview reader, whose key includes what the session's user may see
    (public: what the public may see, whoever is signed in, for text meant for publication)."""
    warm_up_in_background()
    return (overview.public if public else overview)(area_id=area_id, area_name=area_name, period=period,
                                                     priority_id=priority_id, small_sample=small_sample)


@st.cache_data(max_entries=256, show_spinner=False)
def overview_page_html(table: pd.DataFrame, period_label: str, url_params: dict[str, str],
                       priority_labels: dict[int, str], commentary: dict[int, str]) -> str:
    """render.overview_table.overview_html, made once per table, links and commentary: writing it row by row
    was about a fifth of an Overview rerun's CPU, and the table only changes with the data or the filters."""
    return overview_html(table, period_label, url_params, priority_labels, commentary)


def warm_up_in_background() -> None:
    """Once per snapshot and day's release in this server: start `python -m readers.overview_store`, which builds
    every area's Overview for every quarter as the public sees it (what a visitor opens first and clicks through)
    at the lowest CPU priority, in a process of its own (no time taken from this server's clicks by its GIL), and
    keeps them for every replica. One warm-up runs at a time for a database; one already done builds nothing."""
    if os.environ.get(WARM_UP_ENV, "1").strip() == "0":
        return
    try:
        version, visibility = current_version(), public_visibility()
        if WARMED["for"] == (version, visibility):
            return
        WARMED["for"] = (version, visibility)
        command = [sys.executable, "-m", "readers.overview_store", version.path, str(datastore.database_path()),
                   visibility.released_through.isoformat(), str(visibility.include_provisional).lower()]
        worker = subprocess.Popen(command, cwd=overview_store().project_root, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
    except Exception:  # noqa: BLE001 - never stops a page: tables are built when read
        LOG.exception("The Overview warm-up could not be started")
        return

    def wait() -> None:
        _, errors = worker.communicate()
        if worker.returncode:
            LOG.error("The Overview warm-up stopped (exit status %s): %s", worker.returncode, errors.decode()[-2000:])

    threading.Thread(target=wait, name="overview-warm-up", daemon=True).start()
