"""Panel mode through a meeting in a real browser (bench/panel_soak.py): screens stepped by keyboard while the deck
refreshes itself every 5 s, a commentary published and a measure rebased through ingest mid-run; both reach the
screen without a click, the deck's own count survives the redraws, and nothing fails.

A short meeting (40 advances, about half a minute): the 500-advance soak and its memory figures (the server's
resident memory at the end within 5% of the warm-up) are a benchmark, `python scripts/benchmark.py soak`.
"""
from __future__ import annotations

import shutil

import pytest
from browser import chromium_page, require_chromium, streamlit_process
from conftest import PROJECT_ROOT

from bench.panel_soak import meeting

pytestmark = pytest.mark.browser

ADVANCES = 40


def test_advances_refreshes_and_publications_mid_meeting_without_error(demo_db, tmp_path):
    require_chromium()
    live = tmp_path / "live" / "dashboard.duckdb"
    live.parent.mkdir()
    shutil.copy(demo_db, live)
    with streamlit_process(PROJECT_ROOT, live) as (url, server), chromium_page(1920, 1080) as page:
        held = meeting(page, url, server, live, ADVANCES, settle_s=0)
    print(f"meeting: {held.steps} advances in {held.elapsed_s:.0f} s, {held.refresh_frames} server messages")
    assert held.steps >= ADVANCES  # the deck's own count survived both redraws
    assert held.note_shown  # the commentary published mid-meeting reached the screen
    assert held.chart_redrawn  # the rebase of the charted measure reached the screen
    assert held.refresh_frames >= held.elapsed_s / 5 * 0.8, held  # a rerun at least every 5 s or so
    assert held.errors == []
    assert held.exceptions == 0
    assert held.server_alive
