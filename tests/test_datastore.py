"""Opening the database: clear problems for bad files, and never a write."""
from __future__ import annotations

import hashlib
from datetime import date

import duckdb
import pytest

import datastore
from core.schema import SCHEMA_VERSION


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_opens_the_demo_read_only(demo_db):
    con = datastore.open_read_only(demo_db)
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM meta")
    assert datastore.run_query(con, "app/priorities").shape[0] == 18


def test_the_app_reads_on_one_duckdb_thread_in_every_cursor(demo_db):
    """queries/core/one_thread.sql: each query runs on the thread that asks (the app takes a cursor per query)."""
    con = datastore.open_read_only(demo_db)
    assert con.execute("SELECT current_setting('threads')").fetchone() == (1,)
    assert con.cursor().execute("SELECT current_setting('threads')").fetchone() == (1,)


def test_missing_file(tmp_path):
    with pytest.raises(datastore.DatabaseProblem, match="no database"):
        datastore.open_read_only(tmp_path / "absent.duckdb")


def test_corrupt_file_is_reported_and_left_untouched(tmp_path):
    corrupt = tmp_path / "corrupt.duckdb"
    corrupt.write_bytes(b"\x00garbage" * 1000)
    before = digest(corrupt)
    with pytest.raises(datastore.DatabaseProblem, match="could not be opened"):
        datastore.open_read_only(corrupt)
    assert digest(corrupt) == before


def test_wrong_schema_version_is_reported_and_left_untouched(demo_copy):
    con = duckdb.connect(str(demo_copy))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.close()
    before = digest(demo_copy)
    with pytest.raises(datastore.DatabaseProblem, match=f"schema version '0'.*needs '{SCHEMA_VERSION}'"):
        datastore.open_read_only(demo_copy)
    assert digest(demo_copy) == before


def test_a_duckdb_file_that_is_not_a_dashboard(tmp_path):
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t (x INTEGER)").close()
    with pytest.raises(datastore.DatabaseProblem, match="not a dashboard database"):
        datastore.open_read_only(other)


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(datastore.DatabaseProblem, match="folder"):
        datastore.open_read_only(tmp_path)


def test_database_path_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "x.duckdb"))
    assert datastore.database_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("DASHBOARD_DB")
    assert datastore.database_path() == datastore.PROJECT_ROOT / "data" / "dashboard.duckdb"


def test_data_version_changes_when_a_new_file_is_swapped_in(demo_db, tmp_path):
    import os
    import shutil

    live = tmp_path / "live.duckdb"
    shutil.copy(demo_db, live)
    before = datastore.data_version(live)
    shutil.copy(demo_db, tmp_path / "next.duckdb")
    os.replace(tmp_path / "next.duckdb", live)
    assert datastore.data_version(live) != before


def test_ensure_demo_builds_only_when_nothing_is_there(tmp_path):
    target = tmp_path / "new.duckdb"
    assert datastore.ensure_demo(target) is True
    con = datastore.open_read_only(target)
    try:
        assert datastore.run_query(con, "app/priorities").shape[0] == 18  # the Police and Crime Plan's 18
        # The real police.uk ASB series for the force: December 2019 to April 2022, 29 months.
        asb = con.execute("SELECT COUNT(*), MIN(month), MAX(month) FROM observations "
                          "WHERE measure_id = 'asb_incidents' AND area_id = 'E23000021'").fetchone()
        assert asb == (29, date(2019, 12, 1), date(2022, 4, 1))
    finally:
        con.close()
    before = digest(target)
    assert datastore.ensure_demo(target) is False
    assert digest(target) == before  # an existing database is never rebuilt
