"""Panel mode lasts a whole meeting: 200 advances and data refreshes in a real browser, with
publications through ingest mid-run, no error, and the server's memory after warm-up within 10%.

Takes about three minutes. The advance interval in the URL is the users' minimum (5 s),
which is also the refresh interval; the test steps the screens faster by keyboard.
"""
from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
from browser import chromium_page, require_chromium, streamlit_process
from conftest import FORCE, PROJECT_ROOT, coordinator

from ingest.commentary import save_commentary
from ingest.rebases import add_rebase

pytestmark = pytest.mark.browser

ADVANCES = 200
QUERY = {"mode": "panel", "area": "Leicester, Leicestershire and Rutland (force area)", "period": "Quarter",
         "quarter": "Q1 2021/22", "advance": "5"}
Q1 = (date(2021, 4, 1), date(2021, 6, 1))


def resident_kib(pid: int) -> int:
    """The process's resident set size (VmRSS) from /proc, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for process {pid}")


def publish_note(live: Path, text: str, based_on: int | None = None) -> None:
    """Publish the priority's commentary for Q1 (based_on: the version it replaces, as an editor would)."""
    save_commentary(live, priority_id=11, area_id=FORCE, period_start=Q1[0], period_end=Q1[1], text=text,
                    actor=coordinator("Soak test"), status="published", based_on_version=based_on)


def wait_for_text(page, text: str, timeout_s: float = 60) -> None:
    page.wait_for_function("t => document.getElementById('panel-deck').textContent.includes(t)", arg=text,
                           timeout=timeout_s * 1000)


def priority_11_chart(page) -> str:
    return page.get_attribute("#screen-priority-11 img.chart", "src")


def priority_11_charted_measure(page, db: Path) -> str:
    """The measure priority 11's screen charts (its first needing attention as the quarter stood), by the name its
    chart's text alternative gives: the rebase must be of that measure to change the picture."""
    import duckdb

    alt = page.get_attribute("#screen-priority-11 img.chart", "alt")
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        names = dict(con.execute("SELECT id, name FROM measures WHERE priority_id = 11").fetchall())
    finally:
        con.close()
    named = [measure for measure, name in names.items() if name in alt]
    assert named, alt
    return max(named, key=lambda measure: len(names[measure]))  # a longer name that holds a shorter one wins


def test_two_hundred_advances_and_refreshes_without_error_or_memory_growth(demo_db, tmp_path):
    require_chromium()
    live = tmp_path / "live" / "dashboard.duckdb"
    live.parent.mkdir()
    shutil.copy(demo_db, live)
    with streamlit_process(PROJECT_ROOT, live) as (url, server), chromium_page(1920, 1080) as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        frames = []  # messages from the server: every refresh (a fragment rerun) sends some
        page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(time.monotonic())))
        page.goto(f"{url}/?{urlencode(QUERY)}")
        page.wait_for_selector("#panel-deck .slide:not([hidden])", timeout=60000)
        screens = page.locator("#panel-deck .slide").count()

        # Warm-up: every screen twice, and one publication picked up by a refresh (so the
        # caches hold two data versions, as they will from now on).
        for _ in range(2 * screens):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(100)
        publish_note(live, "Warm-up note published during the meeting.")
        wait_for_text(page, "Warm-up note published during the meeting.")
        page.wait_for_timeout(6000)
        baseline = resident_kib(server.pid)
        steps_before = int(page.get_attribute("#panel-deck", "data-steps"))
        chart_before = priority_11_chart(page)
        charted = priority_11_charted_measure(page, live)
        started, frames_before = time.monotonic(), len(frames)

        for advance in range(1, ADVANCES + 1):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(450)
            if advance == 70:
                publish_note(live, "Mid-meeting note: a publication during the meeting shows without a click.", based_on=1)
            if advance == 140:
                add_rebase(live, measure_id=charted, area_id=FORCE, month=date(2021, 4, 1),
                           reason="Soak test rebase", actor=coordinator("Soak test"))
        wait_for_text(page, "Mid-meeting note: a publication during the meeting shows without a click.")
        page.wait_for_function("before => document.querySelector('#screen-priority-11 img.chart').src !== before",
                               arg=chart_before, timeout=60000)
        page.wait_for_timeout(6000)
        elapsed = time.monotonic() - started
        final = resident_kib(server.pid)

        steps = int(page.get_attribute("#panel-deck", "data-steps")) - steps_before
        assert steps >= ADVANCES  # the deck's own count survived both redraws
        refresh_frames = len(frames) - frames_before
        assert refresh_frames >= elapsed / 5 * 0.8, (refresh_frames, elapsed)  # a rerun at least every 5 s or so
        assert errors == []
        assert page.locator('[data-testid="stException"]').count() == 0
        assert server.poll() is None
        print(f"soak: {steps} advances in {elapsed:.0f} s, {refresh_frames} server messages; "
              f"RSS {baseline / 1024:.0f} MiB after warm-up, {final / 1024:.0f} MiB at the end "
              f"({(final - baseline) / baseline:+.1%})")
        assert final <= baseline * 1.10, (baseline, final)
