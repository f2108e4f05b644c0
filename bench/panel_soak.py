"""Panel mode through a meeting, in chromium on a real server over a live copy of the demo: the screens stepped by
keyboard while the deck refreshes itself, a commentary published and a measure rebased through ingest mid-run,
the server's resident memory read after a warm-up (without a publication: a meeting need not have one) and every
SAMPLE_EVERY advances to the end.

tests/test_panel_soak.py runs a short meeting and checks what a user sees; `python scripts/benchmark.py soak`
runs 500 advances and prints the memory figures (target, issue #22: the end within 5% of the warm-up).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

FORCE = "E23000021"
QUERY = {"mode": "panel", "area": "Leicester, Leicestershire and Rutland (force area)", "period": "Quarter",
         "quarter": "Q1 2021/22", "advance": "5"}  # the users' minimum advance, also the refresh interval
Q1 = (date(2021, 4, 1), date(2021, 6, 1))
SAMPLE_EVERY = 50
MID_MEETING_NOTE = "Mid-meeting note: a publication during the meeting shows without a click."


@dataclass(frozen=True)
class Meeting:
    advances: int
    steps: int  # advances the deck counted (its data-steps) over the timed part, across its redraws
    elapsed_s: float
    refresh_frames: int  # messages from the server over the timed part: every refresh (a fragment rerun) sends some
    longest_quiet_s: float  # the longest time without a message from the server over the timed part
    note_shown: bool  # the commentary published mid-meeting reached the screen
    errors: list[str]  # the page's uncaught errors and console errors
    exceptions: int  # Streamlit exception elements on the page
    chart_redrawn: bool  # priority 11's chart changed after the rebase of the measure it charts
    server_alive: bool
    baseline_kib: int  # the server's resident memory after the warm-up
    final_kib: int
    samples_kib: list[int]  # the server's resident memory every SAMPLE_EVERY advances of the timed part


def resident_kib(pid: int) -> int:
    """The process's resident set size (VmRSS) from /proc, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def publish_note(live: Path, text: str, based_on: int | None = None) -> None:
    """Publish priority 11's commentary for Q1 (based_on: the version it replaces, as an editor would)."""
    from access import COORDINATOR, Actor
    from ingest.commentary import save_commentary

    save_commentary(live, priority_id=11, area_id=FORCE, period_start=Q1[0], period_end=Q1[1], text=text,
                    actor=Actor("Soak test", COORDINATOR, "sign-in"), status="published", based_on_version=based_on)


def wait_for_text(page, text: str, timeout_s: float = 180) -> None:
    # (the deck is briefly absent while a refresh redraws it)
    page.wait_for_function("t => (document.getElementById('panel-deck')?.textContent ?? '').includes(t)", arg=text,
                           timeout=timeout_s * 1000)


def deck_steps(page) -> int:
    """The deck's own count of advances, once the deck has set it (a refresh redraws the deck, which then sets it)."""
    page.wait_for_selector("#panel-deck[data-steps]", state="attached", timeout=60000)
    return int(page.get_attribute("#panel-deck", "data-steps"))


def priority_11_chart(page) -> str:
    return page.get_attribute("#screen-priority-11 img.chart", "src")


def priority_11_charted_measure(page, db: Path) -> str:
    """The measure priority 11's screen charts (its first needing attention as the quarter stood), by the name its
    chart's text alternative gives: the rebase must be of that measure to change the picture."""
    import duckdb

    import queries

    alt = page.get_attribute("#screen-priority-11 img.chart", "alt")
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        names = dict(queries.run(con, "bench/priority_measures", {"priority_id": 11}).itertuples(index=False))
    finally:
        con.close()
    named = [measure for measure, name in names.items() if name in alt]
    if not named:
        raise AssertionError(f"no measure of priority 11 named in its chart's description: {alt}")
    return max(named, key=lambda measure: len(names[measure]))  # a longer name that holds a shorter one wins


def step(page, advances: int) -> None:
    for _ in range(advances):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(450)  # the pace of the meeting: refreshes fall between the presses


def meeting(page, url: str, server, live: Path, advances: int, settle_s: float = 6, warm_up_advances: int = 0) -> Meeting:
    """Open Panel mode, warm up (every screen twice, then `warm_up_advances` at the meeting's pace, with the deck
    refreshing every 5 s; no publication), then step `advances` screens 450 ms apart, publishing a commentary a
    third of the way and rebasing the measure priority 11 charts two thirds of the way; both must reach the screen.
    settle_s: a wait after the warm-up and at the end, so both memory readings follow a refresh."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from access import COORDINATOR, Actor
    from ingest.rebases import add_rebase

    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    frames: list[float] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(time.monotonic())))
    page.goto(f"{url}/?{urlencode(QUERY)}")
    page.wait_for_selector("#panel-deck .slide:not([hidden])", timeout=180000)  # a new server's first view: a minute when busy
    screens = page.locator("#panel-deck .slide").count()

    for _ in range(2 * screens):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(100)
    step(page, warm_up_advances)
    page.wait_for_timeout(settle_s * 1000)
    baseline = resident_kib(server.pid)
    steps_before = deck_steps(page)
    chart_before = priority_11_chart(page)
    charted = priority_11_charted_measure(page, live)
    started, frames_before = time.monotonic(), len(frames)
    samples: list[int] = []

    for advance in range(1, advances + 1):
        step(page, 1)
        if advance % SAMPLE_EVERY == 0:
            samples.append(resident_kib(server.pid))
        if advance == advances * 7 // 20:
            publish_note(live, MID_MEETING_NOTE)
        if advance == advances * 7 // 10:
            add_rebase(live, measure_id=charted, area_id=FORCE, month=date(2021, 4, 1), reason="Soak test rebase",
                       actor=Actor("Soak test", COORDINATOR, "sign-in"))
    try:
        wait_for_text(page, MID_MEETING_NOTE)
        shown = True
    except PlaywrightTimeout:  # reported: the caller decides
        shown = False
    try:
        page.wait_for_function("before => document.querySelector('#screen-priority-11 img.chart').src !== before",
                               arg=chart_before, timeout=60000)
        redrawn = True
    except PlaywrightTimeout:  # reported: the caller decides
        redrawn = False
    page.wait_for_timeout(settle_s * 1000)
    timed = [started, *frames[frames_before:], time.monotonic()]
    return Meeting(advances=advances, steps=deck_steps(page) - steps_before,
                   elapsed_s=time.monotonic() - started, refresh_frames=len(frames) - frames_before,
                   longest_quiet_s=max(b - a for a, b in zip(timed, timed[1:])), note_shown=shown, errors=errors,
                   exceptions=page.locator('[data-testid="stException"]').count(), chart_redrawn=redrawn,
                   server_alive=server.poll() is None, baseline_kib=baseline, final_kib=resident_kib(server.pid),
                   samples_kib=samples)
