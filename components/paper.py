"""The Panel paper for the app: made once per published snapshot, saved settings and day, and kept on disk
(report/cache.py), so the page shows its downloads at once when the paper was made before, and a new
publication redraws only the charts whose series changed. The server holds no paper between runs: a download
reads its file when clicked, and is made from the settings saved by then. Papers are made in a worker process
(report/cache.py's make_in_worker), so the server does not keep the memory their drawing and typesetting take.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Callable

import streamlit as st

import datastore
from analysis import calendar
from components.connection import current_version, public_visibility, stand_in_for_damaged
from components.filters import load_options
from components.readers.paper import paper_settings
from report.cache import MAKING, NOW_MAKING, GaveWay, PaperFiles, SnapshotUnreadable, cache_folder, paper_key

LOG = logging.getLogger("dashboard.paper")


@st.cache_resource(show_spinner=False)
def _files(database: str) -> PaperFiles:
    return PaperFiles(cache_folder(Path(database)))


def paper_files() -> PaperFiles:
    """The kept charts and papers of the database being served (every snapshot of it shares them)."""
    return _files(str(datastore.database_path()))


def saved_settings(area_id: str, period: calendar.Period) -> dict | None:
    """The latest saved implications and contact for the area and period (None: none saved)."""
    return paper_settings(area_id=area_id, period=period)


def settings_version(area_id: str, period: calendar.Period) -> int:
    """0 when none are saved. Read as the public reads (no session's role): a download's click runs outside it."""
    saved = paper_settings.public(area_id=area_id, period=period)
    return 0 if saved is None else int(saved["version"])


def current_key(area_id: str, period: calendar.Period) -> str:
    """The paper as it would be made now: from the snapshot being served, as the public may see it now, with
    the settings saved last."""
    return paper_key(data_version=current_version(), visibility=public_visibility(), area_id=area_id, period=period,
                     settings_version=settings_version(area_id, period))


def is_made(key: str) -> bool:
    return paper_files().has_paper(key)


def make(area_id: str, period: calendar.Period, key: str,
         progress: Callable[[float, str], None] | None = None) -> None:
    """Make and keep the paper's PDF and HTML (nothing when they are kept already)."""
    # The paper is published: it holds what the public may see, whoever makes it.
    version = current_version()
    try:
        paper_files().make_in_worker(Path(version.path), public_visibility(), key, area_id=area_id,
                                     period=period, progress=progress)
    except SnapshotUnreadable as error:
        stand_in_for_damaged(version, error)  # recorded; the rerun serves an earlier snapshot, or says there is none


def kept_file(key: str, area_id: str, period: calendar.Period, fmt: str) -> bytes:
    """The kept file of the paper of key, made first if it is not kept (never made, or pruned)."""
    data = paper_files().paper(key, fmt)
    if data is None:
        make(area_id, period, key)
        data = paper_files().paper(key, fmt)
    return data


def paper_file(area_id: str, period: calendar.Period, fmt: str) -> bytes:
    """The same file `python -m report` writes for this area and period, as it would be made now (the snapshot
    being served, the settings saved last)."""
    return kept_file(current_key(area_id, period), area_id, period, fmt)


def download(area_id: str, period: calendar.Period, fmt: str) -> Callable[[], bytes]:
    """A download button's data, made when clicked from the settings saved by then: a button still on the
    screen from before a save never hands out the paper with the earlier settings."""
    return lambda: paper_file(area_id, period, fmt)


BACKGROUND_ENV = "DASHBOARD_PAPER_IN_BACKGROUND"  # "0": no paper is made before its page is opened (the tests)
# The snapshot and public visibility whose default paper was found made: until either changes (a publication, the
# day's release) there is nothing to start, and a rerun need not work out the paper's key again.
FOUND_MADE = {"for": None}


def make_default_in_background() -> None:
    """Start making the paper a co-ordinator opens first (the first area, the latest complete quarter) in a
    thread of the server, unless it is made or being made: run on every page, so after each publication (a
    load, a commentary, saved settings) and at the server's start the paper is usually made before its page
    is opened. A background build of an earlier snapshot's paper gives way to it. Never stops a page: a
    failure is logged."""
    background = [t for t in threading.enumerate() if t.name == "paper-in-background"]
    if os.environ.get(BACKGROUND_ENV, "1").strip() == "0" or len(background) > 1:
        return  # off, or one making a paper and one waiting already
    try:
        made_for = (current_version(), public_visibility())
        if FOUND_MADE["for"] == made_for:
            return
        options = load_options()
        area_id = next(iter(options.areas))
        period = options.quarters[options.latest_complete(options.quarters)]
        key = current_key(area_id, period)
        if is_made(key):
            FOUND_MADE["for"] = made_for
            return
        if NOW_MAKING["key"] == key or (background and not MAKING.locked()):
            return
        snapshot, visibility, files = Path(current_version().path), public_visibility(), paper_files()
    except Exception:
        LOG.exception("The default paper could not be started in the background")
        return

    def run() -> None:
        try:
            files.make_in_worker(snapshot, visibility, key, area_id=area_id, period=period, background=True)
        except GaveWay:
            pass  # a reader wanted another paper first; the next page run starts this one again
        except Exception:
            LOG.exception("The default paper could not be made in the background")

    threading.Thread(target=run, name="paper-in-background", daemon=True).start()
