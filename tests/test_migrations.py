"""Databases built by earlier releases (schema versions 4, 5 and 6, checked-in fixtures) open and upgrade in place."""
from __future__ import annotations

import gzip
import shutil
import subprocess
import sys

import duckdb
import pandas as pd
import pytest
from conftest import FIXTURES, PROJECT_ROOT, open_page, require_fixture
from people_recount import COUNTS, area_records, counted, in_months, totals

import datastore
import queries
from access import operator
from core.schema import SCHEMA_VERSION
from ingest.migrations import CannotUpgrade, upgrade, upgrade_path
from ingest.publish import published_before

V4_FIXTURE = FIXTURES / "schema_v4.duckdb.gz"  # schema, catalogue, 3 ASB months and a note; see SOURCE.md
V5_FIXTURE = FIXTURES / "schema_v5.duckdb.gz"  # the same at version 5, its note for one area
V6_FIXTURE = FIXTURES / "schema_v6.duckdb.gz"  # the same at version 6, with the demo's missing-person records


def unpacked(fixture, tmp_path):
    path = tmp_path / "data" / "dashboard.duckdb"
    path.parent.mkdir()
    with gzip.open(require_fixture(fixture), "rb") as packed, open(path, "wb") as out:
        shutil.copyfileobj(packed, out)
    return path


@pytest.fixture
def v4_db(tmp_path):
    return unpacked(V4_FIXTURE, tmp_path)


@pytest.fixture
def v5_db(tmp_path):
    return unpacked(V5_FIXTURE, tmp_path)


@pytest.fixture
def v6_db(tmp_path):
    return unpacked(V6_FIXTURE, tmp_path)


def read(path, sql):
    con = duckdb.connect(str(path.resolve()), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_fixture_is_the_previous_schema_and_is_refused_as_outdated_not_damaged(v4_db):
    assert read(v4_db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("4",)]
    with pytest.raises(datastore.OutdatedDatabase) as raised:
        datastore.open_read_only(v4_db)
    assert raised.value.found == "4"


def test_upgrade_keeps_every_row_and_the_file_as_it_was(v4_db):
    before = read(v4_db, "SELECT measure_id, area_id, month, value FROM observations ORDER BY month")
    notes = read(v4_db, "SELECT measure_id, reason FROM data_availability")
    original = v4_db.read_bytes()

    assert upgrade(v4_db, actor=operator()) == ["5", "6", "7"]

    datastore.open_read_only(v4_db).close()  # the version check passes
    assert read(v4_db, "SELECT measure_id, area_id, month, value FROM observations ORDER BY month") == before
    assert read(v4_db, "SELECT measure_id, reason, area_id FROM data_availability") == [(*notes[0], None)]
    assert read(v4_db, "SELECT count(*) FROM availability_changes") == [(0,)]
    assert read(v4_db, "SELECT count(*) FROM catalogue_changes") == [(0,)]
    assert read(v4_db, "SELECT count(*) FROM measures WHERE retired_at IS NOT NULL") == [(0,)]
    assert dict(read(v4_db, "SELECT key, value FROM meta WHERE key LIKE 'upgraded_%'"))["upgraded_from"] == "4"
    kept = published_before(v4_db)
    assert kept and kept[0].read_bytes() == original  # the v4 file itself is the previous snapshot
    assert upgrade(v4_db, actor=operator()) == []  # a second run changes nothing


def test_the_upgraded_database_takes_an_availability_note_by_area(v4_db):
    from datetime import date

    from ingest.availability import set_availability

    upgrade(v4_db, actor=operator())
    set_availability(v4_db, measure_id="asb_incidents", area_id="E07000129", first=date(2022, 1, 1),
                     last=date(2022, 3, 1), reason="Return late", clear=False, actor=operator())
    assert ("E07000129", "Return late") in read(v4_db, "SELECT area_id, reason FROM data_availability")


def test_a_version_5_database_upgrades_keeping_every_row_and_its_note_by_area(v5_db):
    assert read(v5_db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("5",)]
    before = read(v5_db, "SELECT measure_id, area_id, month, value FROM observations ORDER BY month")
    notes = read(v5_db, "SELECT measure_id, area_id, reason FROM data_availability")
    measures = read(v5_db, "SELECT * FROM measures ORDER BY id")

    assert upgrade(v5_db, actor=operator()) == ["6", "7"]

    datastore.open_read_only(v5_db).close()
    assert read(v5_db, "SELECT measure_id, area_id, month, value FROM observations ORDER BY month") == before
    assert read(v5_db, "SELECT measure_id, area_id, reason FROM data_availability") == notes
    assert read(v5_db, "SELECT * EXCLUDE (retired_at) FROM measures ORDER BY id") == measures
    assert dict(read(v5_db, "SELECT key, value FROM meta WHERE key LIKE 'upgraded_%'"))["upgraded_from"] == "5"


def test_a_version_6_database_upgrades_and_counts_its_missing_people_as_before(v6_db):
    """The demo's missing-person records in a version-6 database with the monthly measures version 6 counted from
    them: upgraded, the counting (people_counts, new in version 7) recounts those monthly figures exactly, on a
    read-only connection as the app has, and every query that counts people agrees with a recount in pandas for
    every area, month and quarter."""
    stored = read(v6_db, "SELECT measure_id, area_id, month, value FROM observations "
                         "WHERE measure_id LIKE 'missing%' ORDER BY ALL")
    catalogue_changes = read(v6_db, "SELECT * FROM catalogue_changes")
    assert read(v6_db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("6",)]
    assert len(stored) == 3 * 11 * 29  # three measures, every area a user can choose, every month

    assert upgrade(v6_db, actor=operator()) == ["7"]

    assert read(v6_db, "SELECT * FROM catalogue_changes") == catalogue_changes
    con = duckdb.connect(str(v6_db.resolve()), read_only=True)
    try:
        recounted = queries.run(con, "ingest/missing_person_observations")
        assert sorted((r.measure_id, r.area_id, r.month.date(), r.value) for r in recounted.itertuples()) == stored
        records = area_records(con)
        areas = [r[0] for r in con.execute("SELECT id FROM areas ORDER BY id").fetchall()]
        months = pd.period_range("2019-12", "2022-04", freq="M")
        quarters = pd.period_range("2019Q4", "2022Q2", freq="Q")
        by_area = {q: queries.run(con, "app/missing_person_by_area", {"first": q.asfreq("M", "start").start_time.date(),
                                                                     "last": q.asfreq("M", "end").start_time.date()})
                   .set_index("area_id") for q in quarters}
        for area_id in areas:
            own = records[records["area_id"] == area_id]
            for grain, period in (("month", own["month"]), ("quarter", own["month"].dt.asfreq("Q"))):
                shown = queries.run(con, "app/missing_person_periods", {"area_id": area_id, "grain": grain})
                expected = counted(own.assign(period_start=period.dt.start_time), ["period_start"])
                assert shown[COUNTS].values.tolist() == expected[COUNTS].values.tolist(), (area_id, grain)
                assert pd.to_datetime(shown["period_start"]).tolist() == expected["period_start"].tolist()
            rolling = queries.run(con, "app/missing_person_rolling", {"area_id": area_id})
            assert len(rolling) == len(months) - 11
            for row in rolling.itertuples():
                last = pd.Period(row.month, "M")
                assert (row.reports, row.individuals, row.repeat_individuals) == totals(in_months(own, last - 11, last))
            for q in quarters:
                first, last = q.asfreq("M", "start"), q.asfreq("M", "end")
                expected = totals(in_months(own, first, last))
                summary = queries.run(con, "app/missing_person_summary", {"area_id": area_id, "first": first.start_time.date(),
                                                                          "last": last.start_time.date()}).iloc[0]
                assert tuple(summary[COUNTS]) == expected, (area_id, str(q))
                if area_id in by_area[q].index:
                    assert tuple(by_area[q].loc[area_id, COUNTS]) == expected, (area_id, str(q))
                blocks = queries.run(con, "app/missing_person_blocks", {"area_id": area_id, "block_months": 3,
                                                                        "last": last.start_time.date()})
                for block in blocks.itertuples():
                    assert (block.reports, block.individuals, block.repeat_individuals) == totals(
                        in_months(own, pd.Period(block.block_first, "M"), pd.Period(block.block_last, "M")))
    finally:
        con.close()


@pytest.mark.parametrize("fixture", ["v4_db", "v5_db", "v6_db"])
def test_an_upgraded_database_has_the_tables_columns_views_and_macros_of_a_new_one(fixture, request, tmp_path):
    from ingest.schema import create_schema

    old = request.getfixturevalue(fixture)
    upgrade(old, actor=operator())
    fresh = tmp_path / "fresh.duckdb"
    con = duckdb.connect(str(fresh))
    create_schema(con)
    con.close()
    columns = ("SELECT table_name, column_name, data_type FROM information_schema.columns "
               "ORDER BY table_name, ordinal_position")
    assert read(old, columns) == read(fresh, columns)
    views = "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY view_name"
    assert read(old, views) == read(fresh, views)
    macros = ("SELECT function_name, function_type, macro_definition FROM duckdb_functions() "
              "WHERE function_type LIKE '%macro' AND NOT internal ORDER BY function_name")
    assert read(old, macros) == read(fresh, macros)
    assert "people_counts" in {name for name, _, _ in read(fresh, macros)}


def test_the_upgraded_database_takes_catalogue_changes(v5_db):
    from ingest.catalogue import add_measure, retire_measure

    upgrade(v5_db, actor=operator())
    add_measure(v5_db, measure_id="stalking_reports", priority_id=5, name="Stalking offences reported", unit="count",
                polarity="increase", partner="Police", reason="Agreed by the Panel", actor=operator())
    retire_measure(v5_db, measure_id="asb_incidents", reason="Replaced", actor=operator())
    assert read(v5_db, "SELECT measure_id, change FROM catalogue_changes ORDER BY changed_at") == [
        ("stalking_reports", "added"), ("asb_incidents", "retired")]
    assert read(v5_db, "SELECT count(*) FROM observations WHERE measure_id = 'asb_incidents'") == [(3,)]


def test_an_unknown_version_has_no_upgrade_path():
    with pytest.raises(CannotUpgrade, match="no upgrade is known"):
        upgrade_path("3")
    assert upgrade_path(SCHEMA_VERSION) == []


def test_the_command_line_upgrades_and_says_so(v4_db):
    done = subprocess.run([sys.executable, "-m", "ingest", "upgrade", "--db", str(v4_db)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"to schema version {SCHEMA_VERSION}" in done.stdout
    assert read(v4_db, "SELECT value FROM meta WHERE key = 'schema_version'") == [(SCHEMA_VERSION,)]


def test_the_app_upgrades_a_previous_release_database_on_opening_it_and_every_page_opens(v4_db, monkeypatch):
    """A real office's first database holds the catalogue and a few months, not the demo's every table. (One test
    for both: the app's first run on the file is the upgrade, and the pages then open on the upgraded file.)"""
    import re

    monkeypatch.setenv("DASHBOARD_DB", str(v4_db))
    monkeypatch.chdir(PROJECT_ROOT)
    at = open_page()
    assert not at.error, [e.value for e in at.error]
    assert read(v4_db, "SELECT value FROM meta WHERE key = 'schema_version'") == [(SCHEMA_VERSION,)]
    pages = [page for page in re.findall(r'st\.Page\("app_pages/(\w+)\.py"', (PROJECT_ROOT / "app.py").read_text(
        encoding="utf-8")) if page != "panel"]  # Panel mode is its own navigation (?mode=panel)
    assert len(pages) >= 13
    for page in pages:
        at.switch_page(f"app_pages/{page}.py")
        at.run()
        assert not at.exception, (page, at.exception)
    panel = open_page(mode="panel")  # and the meeting screen
    assert not panel.exception, panel.exception
