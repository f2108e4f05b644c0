"""The app keeps serving while data loads: readers never see half a load, a crash changes
nothing, and the running app picks up a new month on its next rerun."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, coordinator, raw_police_uk_files, table_checksum
from streamlit.testing.v1 import AppTest

import datastore
from ingest.police_uk import import_files
from ingest.publish import PAUSE_ENV


def april_file() -> Path:
    return next(f for f in raw_police_uk_files() if f.name.startswith("2022-04"))


def snapshot_totals(db: Path) -> tuple:
    """What a reader sees: the number of observations and submissions, read in one connection."""
    con = datastore.open_read_only(db)
    try:
        return con.execute("SELECT (SELECT COUNT(*) FROM observations), (SELECT COUNT(*) FROM submissions), "
                           "(SELECT COUNT(*) FROM observations WHERE month = DATE '2022-04-01')").fetchone()
    finally:
        con.close()


def test_concurrent_readers_see_before_or_after_never_a_mix(demo_before_april):
    before = snapshot_totals(demo_before_april)
    seen, errors, stop = set(), [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                seen.add(snapshot_totals(demo_before_april))
            except Exception as error:  # any failure to read is a failure of the design
                errors.append(repr(error))

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        process = subprocess.run([sys.executable, "-m", "ingest", "police-uk", "--db", str(demo_before_april),
                                  str(april_file())], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
        time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert process.returncode == 0, process.stderr
    after = snapshot_totals(demo_before_april)
    assert errors == []
    assert before != after and after[2] == 195
    assert seen <= {before, after}
    assert before in seen and after in seen


def start_paused_import(db: Path, stage: str, marker: Path) -> subprocess.Popen:
    env = {**os.environ, PAUSE_ENV: stage, f"{PAUSE_ENV}_MARKER": str(marker)}
    return subprocess.Popen([sys.executable, "-m", "ingest", "police-uk", "--db", str(db), str(april_file())],
                            cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(marker: Path, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert process.poll() is None, "the import ended before reaching its pause point"
        assert time.monotonic() < deadline, "the import never reached its pause point"
        time.sleep(0.05)


@pytest.mark.parametrize("stage, published", [("before-commit", False), ("before-swap", False), ("after-swap", True)])
def test_kill_9_at_each_stage_leaves_before_or_after(demo_before_april, tmp_path, stage, published):
    before = table_checksum(demo_before_april)
    marker = tmp_path / "paused"
    process = start_paused_import(demo_before_april, stage, marker)
    wait_for(marker, process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    after_kill = table_checksum(demo_before_april)
    if published:
        assert after_kill != before and snapshot_totals(demo_before_april)[2] == 195
    else:
        assert after_kill == before
    # The next import cleans up what the killed one left and completes.
    import_files(demo_before_april, [april_file()], actor=coordinator("after the crash"))
    assert snapshot_totals(demo_before_april)[2] == 195
    folder = demo_before_april.parent / f"{demo_before_april.name}.snapshots"
    assert not list(folder.glob("*.draft*"))


def test_kill_9_at_random_moments_leaves_before_or_after(demo_before_april, tmp_path):
    import random

    rng = random.Random(7)
    before = table_checksum(demo_before_april)
    for _attempt in range(6):
        process = subprocess.Popen([sys.executable, "-m", "ingest", "police-uk", "--db", str(demo_before_april),
                                    str(april_file())], cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = table_checksum(demo_before_april)
        if state != before:  # the import got as far as publishing: the month is whole
            assert snapshot_totals(demo_before_april)[2] == 195
            break
        assert snapshot_totals(demo_before_april)[2] == 0


def test_the_running_app_shows_a_new_month_without_a_restart(demo_before_april, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_before_april))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.run()
    assert any("to March 2022" in c.value for c in at.sidebar.caption)
    import_files(demo_before_april, [april_file()], actor=coordinator("while serving"))
    at.run()
    assert not at.exception
    assert any("to April 2022" in c.value for c in at.sidebar.caption)
    at.switch_page("app_pages/data.py")
    at.run()
    submissions = [f for f in at.dataframe if "file_name" in f.value.columns][0].value
    assert "2022-04-leicestershire-street.csv.gz" in set(submissions["file_name"])
