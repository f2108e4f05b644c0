"""A writer killed after renaming its snapshot but before switching the live link leaves a snapshot that was
never published: the next load must neither prune the real previous snapshot for it nor serve it as the
previous data (issue 23, 9)."""
from __future__ import annotations

import signal
from datetime import date

from conftest import FORCE, coordinator, table_checksum
from test_serving_while_loading import april_file, start_paused_import, wait_for

import datastore
from ingest.police_uk import import_files
from ingest.publish import published_before, snapshot_dir
from ingest.rebases import add_rebase


def test_a_snapshot_left_by_a_writer_killed_before_the_swap_is_never_the_previous_data(demo_before_april, tmp_path):
    live = demo_before_april
    add_rebase(live, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 4, 1), reason="r", actor=coordinator("t"))
    published = live.resolve()  # what the app serves before the crash
    published_data = table_checksum(live)
    marker = tmp_path / "paused"
    process = start_paused_import(live, "before-swap", marker)
    wait_for(marker, process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    [leftover] = [s for s in snapshot_dir(live).glob("*.duckdb") if s.stat().st_mtime_ns > published.stat().st_mtime_ns]
    assert live.resolve() == published  # the killed writer published nothing
    assert table_checksum(leftover) != published_data  # it holds the April import: data never published
    # Before anyone writes again, the app's fallback never offers the leftover.
    assert leftover not in published_before(live)
    fallback = datastore.serving_file(live, {datastore.file_key(live): "damaged"})
    assert fallback.path.resolve() != leftover

    add_rebase(live, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 6, 1), reason="r", actor=coordinator("t"))
    assert live.resolve() not in (published, leftover)
    assert published_before(live)[0] == published and published.exists()  # the real previous snapshot is kept
    assert not leftover.exists()  # the never-published one is cleared, not kept as "previous"
    fallback = datastore.serving_file(live, {datastore.file_key(live): "damaged"})
    assert fallback.path.resolve() == published and table_checksum(fallback.path) == published_data
    assert "showing the previous data" in fallback.notice

    # A later load still keeps the live snapshot and the one really published before it, and only those.
    import_files(live, [april_file()], actor=coordinator("after the crash"))
    assert set(snapshot_dir(live).glob("*.duckdb")) == {live.resolve(), published_before(live)[0]}
