"""The Overview tables kept on disk per snapshot and shared by replicas (readers/overview_store.py; issue #22, the
load benchmark's p95): a table one replica built, or the warm-up did, is not built again, and is the table
building it gives."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import dashboard_data
import datastore
from analysis import calendar
from readers import overview_store
from readers.overview_store import OverviewStore, table_name, warm

QUARTER = calendar.parse_period_label("Q2 2021/22")


@pytest.fixture
def reader(demo_db):
    con = datastore.open_read_only(demo_db)
    cur = datastore.reader(con, datastore.public_visibility(con), derived={})
    yield cur
    cur.close()
    con.close()


def never_built(monkeypatch) -> list:
    """Calls of dashboard_data.overview from now on (recorded, and answered as before)."""
    calls, build = [], dashboard_data.overview

    def counting(*args, **kwargs):
        calls.append(kwargs)
        return build(*args, **kwargs)

    monkeypatch.setattr(dashboard_data, "overview", counting)
    return calls


def test_a_table_one_replica_built_is_read_by_another_without_building_it(reader, demo_db, tmp_path, monkeypatch):
    version = datastore.data_version(demo_db)
    area_id, area_name = next(iter(dashboard_data.areas(reader).items()))
    arguments = {"area_id": area_id, "area_name": area_name, "period": QUARTER}
    first, second = OverviewStore(tmp_path), OverviewStore(tmp_path)  # two replicas, one folder
    built = first.read(reader, version, **arguments)
    calls = never_built(monkeypatch)
    kept = second.read(reader, version, **arguments)
    assert calls == []  # no SPC, no query: the other replica's table
    pd.testing.assert_frame_equal(kept, built)
    pd.testing.assert_frame_equal(kept, dashboard_data.overview(reader, **arguments))  # and it is the table built now


def test_a_table_is_kept_only_for_its_snapshot_visibility_and_arguments(reader, demo_db, demo_copy, tmp_path):
    store, version = OverviewStore(tmp_path), datastore.data_version(demo_db)
    area_id, area_name = next(iter(dashboard_data.areas(reader).items()))
    arguments = {"area_id": area_id, "area_name": area_name, "period": QUARTER}
    store.read(reader, version, **arguments)
    name = table_name(reader.visibility, **arguments)
    assert store.get(version, name) is not None
    assert store.get(datastore.data_version(demo_copy), name) is None  # another snapshot
    analyst = datastore.reader(reader._cursor, reader.visibility.__class__(reader.visibility.released_through, True))
    assert table_name(analyst.visibility, **arguments) != name  # another visibility
    assert table_name(reader.visibility, **arguments, priority_id=11) != name
    assert table_name(reader.visibility, **{**arguments, "period": calendar.preceding(QUARTER)}) != name
    store.forget_others(datastore.data_version(demo_copy))  # a new snapshot is served: the old one's tables go
    assert store.get(version, name) is None


def test_the_warm_up_builds_every_area_for_every_quarter_once(reader, demo_db, tmp_path, monkeypatch):
    store, version = OverviewStore(tmp_path), datastore.data_version(demo_db)
    every_quarter = overview_store.quarters_of
    monkeypatch.setattr(overview_store, "quarters_of", lambda cur: every_quarter(cur)[:2])  # the newest two
    built = warm(store, demo_db, reader.visibility)
    areas = dashboard_data.areas(reader)
    assert built == 2 * len(areas)
    calls = never_built(monkeypatch)
    for period in overview_store.quarters_of(reader):
        for area_id, area_name in areas.items():  # what a visitor's first Overview of any area of them reads
            store.read(reader, version, area_id=area_id, area_name=area_name, period=period)
    assert calls == []
    assert warm(store, demo_db, reader.visibility) == 0  # all kept: nothing built again


def test_the_overview_page_reads_through_the_kept_tables_and_starts_one_warm_up(demo_copy, monkeypatch):
    from conftest import open_page

    from components import overview_data

    started = []

    class Worker:  # the warm-up's process, not run: its command is what is checked
        returncode = 0

        def __init__(self, command, **options):
            started.append(command)

        def communicate(self):
            return b"", b""

    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    monkeypatch.setenv(overview_data.WARM_UP_ENV, "1")
    monkeypatch.setattr(overview_data, "WARMED", {"for": None})
    monkeypatch.setattr(overview_data.subprocess, "Popen", Worker)
    at = open_page()
    open_page(at=at)
    assert len(started) == 1  # once for the snapshot, not once a run
    assert started[0][1:4] == ["-m", "readers.overview_store", str(datastore.data_version(demo_copy).path)]
    kept = list(overview_store.cache_folder(demo_copy).rglob("*.pickle"))
    assert kept  # the table the page read, kept for the other replicas


def test_the_code_fingerprint_covers_every_module_of_the_project_a_warm_up_loads():
    """A kept table is keyed by the code that built it: every project file the building process imports is in it,
    so a deploy that changes any of them never serves a table the old code built."""
    import subprocess
    import sys

    root = overview_store.OverviewStore.project_root
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, readers.overview_store as s; s.warm; "
         "print('\\n'.join(sorted({m.__file__ for m in list(sys.modules.values()) if getattr(m, '__file__', None)})))"],
        cwd=root, capture_output=True, text=True, check=True).stdout.split()
    project = {Path(f).resolve() for f in loaded if Path(f).resolve().is_relative_to(root) and ".venv" not in f}
    assert project and project <= {f.resolve() for f in overview_store.fingerprinted_files()}
