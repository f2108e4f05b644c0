"""Loading is safe: names are data, a run holds each file and month once, limits are enforced
in a separate process, a full disk refuses plainly, and a damaged live database is noticed."""
from __future__ import annotations

import dataclasses
import errno
import getpass
import gzip
import logging
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import streamlit as st
import vl_convert
from conftest import FORCE, PROJECT_ROOT, coordinator, raw_police_uk_files, table_checksum
from malformed_files import GOOD_ROW, csv_bytes, police_csv, xlsx_bomb
from streamlit.testing.v1 import AppTest

import access
import dashboard_data
import datastore
from analysis import calendar
from core.errors import LoadRefused
from core.settings import settings
from ingest import publish as publishing
from ingest.police_uk import PoliceUkFileError, check_files, import_files
from ingest.publish import PublishError, snapshot_dir
from ingest.rebases import add_rebase, remove_rebase
from ingest.returns import ReturnRejected, check_return, load_return_file
from render.control_chart import chart_frame, control_chart
from report.cache import PaperFiles, SnapshotUnreadable

YOS = "Youth Offending Services"


def april() -> bytes:
    path = next(f for f in raw_police_uk_files() if f.name.startswith("2022-04"))
    return gzip.decompress(path.read_bytes())


def all_crime(db, month: str) -> float | None:
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        row = con.execute("SELECT value FROM observations WHERE measure_id = 'all_crime' AND area_id = ? AND month = ?",
                          [FORCE, f"{month}-01"]).fetchone()
        return None if row is None else row[0]
    finally:
        con.close()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=120)


# ---------------------------------------------------------------------------
# Names are data; a run holds each file and each month once (#15.1, #9.7)
# ---------------------------------------------------------------------------

def test_a_glob_name_is_one_file_and_with_its_month_repeated_loads_nothing(demo_before_april, tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    (folder / "*.csv").write_bytes(april())
    corrected = april().decode().splitlines()
    (folder / "2022-04-corrected.csv").write_text("\n".join(corrected[:-50]) + "\n")
    (folder / "other.csv").write_text(police_csv("2022-03"))
    before = table_checksum(demo_before_april)
    result = run_cli("police-uk", "--db", str(demo_before_april), str(folder / "*.csv"),
                     str(folder / "2022-04-corrected.csv"))
    assert result.returncode == 2
    assert result.stderr.strip() == ("error: 2022-04 is in both *.csv and 2022-04-corrected.csv; a month may come from "
                                     "one file per run, or it would be counted twice. Nothing was imported.")
    assert table_checksum(demo_before_april) == before
    # Alone, the file named *.csv is that one file: April's count, not three files' worth.
    import_files(demo_before_april, [folder / "*.csv"], actor=coordinator("t"))
    records = len(april().decode().splitlines()) - 1
    con = duckdb.connect(str(demo_before_april.resolve()), read_only=True)
    asb = con.execute("SELECT value FROM observations WHERE measure_id = 'asb_incidents' AND area_id = ? "
                      "AND month = DATE '2022-04-01'", [FORCE]).fetchone()[0]
    con.close()
    assert all_crime(demo_before_april, "2022-04") + asb == records == 9494


def test_the_same_month_twice_in_one_command_loads_nothing(demo_before_april):
    """#9.7: today all_crime 2022-07 doubled; here April given twice is refused and nothing loads."""
    path = next(f for f in raw_police_uk_files() if f.name.startswith("2022-04"))
    before = table_checksum(demo_before_april)
    result = run_cli("police-uk", "--db", str(demo_before_april), str(path), str(path))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"error: {path.name} was given twice: {path.name} (identical content); each file "
                                     "may be imported once per run. Nothing was imported.")
    assert table_checksum(demo_before_april) == before
    assert all_crime(demo_before_april, "2022-04") is None


def test_repeated_content_under_another_name_loads_nothing(demo_before_april, tmp_path):
    (tmp_path / "a.csv").write_bytes(april())
    (tmp_path / "b.csv").write_bytes(april())
    before = table_checksum(demo_before_april)
    with pytest.raises(PoliceUkFileError, match=r"^b.csv is the same file as a.csv \(identical content\)"):
        import_files(demo_before_april, [tmp_path / "a.csv", tmp_path / "b.csv"], actor=coordinator("t"))
    assert table_checksum(demo_before_april) == before


def test_two_uploads_with_one_name_are_both_read_or_refused_as_a_pair(demo_before_april, tmp_path):
    (tmp_path / "upload-0.csv").write_text(police_csv("2022-04"))
    (tmp_path / "upload-1.csv").write_text(police_csv("2022-03", rows_per_month=2))
    checked = check_files([(tmp_path / "upload-0.csv", "street.csv"), (tmp_path / "upload-1.csv", "street.csv")])
    assert checked.months == ("2022-03", "2022-04") and checked.rows == 5  # both read
    assert checked.names == ("street.csv", "street.csv")
    (tmp_path / "upload-1.csv").write_text(police_csv("2022-04", rows_per_month=2))
    before = table_checksum(demo_before_april)
    with pytest.raises(PoliceUkFileError, match="2022-04 is in both street.csv and street.csv"):
        import_files(demo_before_april, [(tmp_path / "upload-0.csv", "street.csv"), (tmp_path / "upload-1.csv", "street.csv")],
                     actor=coordinator("t"))
    assert table_checksum(demo_before_april) == before


@pytest.mark.parametrize("month, words", [("2099-12", "is in the future"), ("1900-01", "is before 2013-04")])
def test_months_outside_the_range_load_nothing(demo_before_april, tmp_path, month, words):
    (tmp_path / "f.csv").write_text(police_csv(month))
    before = table_checksum(demo_before_april)
    result = run_cli("police-uk", "--db", str(demo_before_april), str(tmp_path / "f.csv"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: f.csv: row 2, Month: {month} {words}" + (
        f" (the current month is {date.today():%Y-%m})" if month == "2099-12" else ", the first month the dashboard holds") \
        + "; nothing was imported."
    (tmp_path / "r.csv").write_bytes(csv_bytes(GOOD_ROW.replace("2022-05", month)))
    with pytest.raises(ReturnRejected, match=words):
        load_return_file(demo_before_april, (tmp_path / "r.csv").read_bytes(), "r.csv", partner=YOS, actor=coordinator("t"))
    assert table_checksum(demo_before_april) == before


# ---------------------------------------------------------------------------
# Limits, in the checker process (#11.7, #15.3)
# ---------------------------------------------------------------------------

def test_a_million_row_csv_return_is_refused_within_10_seconds(demo_copy, tmp_path):
    big = tmp_path / "million.csv"
    big.write_bytes(csv_bytes(*[GOOD_ROW] * 1_000_000))
    started = time.perf_counter()
    result = run_cli("return", "--db", str(demo_copy), "--partner", YOS, str(big))
    assert time.perf_counter() - started < 10
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: ")
    assert "over the 2.0 MB limit for a return" in result.stderr and "Traceback" not in result.stderr


def test_an_xlsx_bomb_is_refused_before_it_is_parsed(demo_copy):
    data = xlsx_bomb(60)
    assert len(data) < 100_000
    started = time.perf_counter()
    with pytest.raises(ReturnRejected, match="expands to 60.0 MB when opened, over the 40.0 MB limit"):
        check_return(demo_copy, data, "bomb.xlsx", partner=YOS)
    assert time.perf_counter() - started < 10


def test_too_many_rows_within_the_size_limit(demo_copy):
    limits = dataclasses.replace(settings(), return_max_rows=10)
    rows = [GOOD_ROW.replace("2022-05", f"2021-{m:02d}") for m in range(1, 12)]
    with pytest.raises(ReturnRejected, match="more than 10 rows, the limit for a return"):
        check_return(demo_copy, csv_bytes(*rows), "r.csv", partner=YOS, limits=limits)
    check_return(demo_copy, csv_bytes(*rows[:10]), "r.csv", partner=YOS, limits=limits)


def test_the_checker_stops_a_file_that_takes_too_long_and_carries_on(demo_copy):
    rows = [GOOD_ROW.replace("2022-05", f"20{y:02d}-{m:02d}") for y in range(14, 22) for m in range(1, 13)] * 208
    no_time = dataclasses.replace(settings(), check_seconds=0.05)
    with pytest.raises(LoadRefused, match="took longer than the 0.05 s allowed"):
        check_return(demo_copy, csv_bytes(*rows), "r.csv", partner=YOS, limits=no_time)
    checked = check_return(demo_copy, csv_bytes(*rows[:96]), "r.csv", partner=YOS)  # the checker carries on
    assert len(checked.rows) == 96


def test_problems_are_listed_up_to_200_with_the_total(demo_copy):
    with pytest.raises(ReturnRejected) as rejected:
        check_return(demo_copy, csv_bytes(*[GOOD_ROW] * 5000), "same.csv", partner=YOS)
    assert rejected.value.total == 5000 and len(rejected.value.problems) == 200
    assert rejected.value.message == "same.csv was not loaded; nothing changed. 5,000 problems to fix (the first 200 are listed)."
    assert str(rejected.value.problems[0]) == ("row 2, measure_id, area_id, month: yjs_first_time_entrants / E23000021 / "
                                               "2022-05 appears on rows 2, 3, 4, 5, 6 and 4,995 more")


# ---------------------------------------------------------------------------
# Storage (#15.4)
# ---------------------------------------------------------------------------

def test_a_full_disk_refuses_the_write_and_the_previous_snapshot_keeps_serving(demo_copy, monkeypatch):
    before = table_checksum(demo_copy)
    monkeypatch.setattr(publishing, "free_bytes", lambda folder: 1_000_000)
    with pytest.raises(PublishError) as refused:
        add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 4, 1), reason="r", actor=coordinator("t"))
    assert refused.value.message.startswith("There is not enough free disk space to write the change (it needs about ")
    assert str(demo_copy.parent) not in refused.value.message
    assert table_checksum(demo_copy) == before
    assert datastore.open_read_only(demo_copy)  # still served

    def disk_fills(source, target):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.undo()
    monkeypatch.setattr(publishing.shutil, "copyfile", disk_fills)
    with pytest.raises(PublishError, match="not enough free disk space"):
        add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 4, 1), reason="r", actor=coordinator("t"))
    assert table_checksum(demo_copy) == before
    assert not list(snapshot_dir(demo_copy).glob("*.draft*"))


def test_only_the_live_snapshot_the_previous_and_any_held_open_are_kept(demo_copy):
    for month in range(1, 5):
        add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2021, month, 1), reason="r",
                   actor=coordinator("t"))
    folder = snapshot_dir(demo_copy)
    assert len(list(folder.glob("*.duckdb"))) == 2  # live and previous
    # A reader in another process (as the app is to a writer) has the live snapshot open.
    reader = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1], "
                               "read_only=True); print('open', flush=True); time.sleep(60)", str(demo_copy.resolve())],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "open"
        held = demo_copy.resolve()
        add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2021, 5, 1), reason="r", actor=coordinator("t"))
        add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2021, 6, 1), reason="r", actor=coordinator("t"))
        kept = {p.resolve() for p in folder.glob("*.duckdb")}
        assert len(kept) == 3 and held in kept
    finally:
        reader.kill()
        reader.wait()
    add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2021, 7, 1), reason="r", actor=coordinator("t"))
    assert len(list(folder.glob("*.duckdb"))) == 2 and not held.exists()  # released, so pruned


# ---------------------------------------------------------------------------
# A damaged live database while serving (#15.5)
# ---------------------------------------------------------------------------

def garble(path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        for offset in range(12288, size, 262144):
            handle.seek(offset + 1000)
            handle.write(b"\xab" * 5000)


def test_a_damaged_live_snapshot_is_noticed_and_the_previous_one_serves(demo_copy, monkeypatch, caplog):
    add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 6, 1), reason="r", actor=coordinator("t"))
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception and not at.warning
    garble(demo_copy.resolve())
    with caplog.at_level(logging.ERROR, logger="dashboard.database"):
        at.run()
    assert not at.exception
    notice = at.warning[0].value
    assert notice.startswith("The live database cannot be read (") and "showing the previous data, published" in notice
    assert str(demo_copy.parent) not in notice and "Traceback" not in notice
    assert any("cannot be read" in r.message for r in caplog.records)
    assert at.title[0].value == "Overview"  # the page still serves, from the earlier snapshot


def garble_in_place(path) -> None:
    """Damage the file as a failing disk would: same size and modification time, so only reading it tells."""
    before = path.stat()
    garble(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_the_papers_worker_says_a_damaged_snapshot_cannot_be_read(demo_copy, tmp_path):
    add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 6, 1), reason="r", actor=coordinator("t"))
    snapshot = demo_copy.resolve()
    garble_in_place(snapshot)
    with pytest.raises(SnapshotUnreadable) as unreadable:
        PaperFiles(tmp_path / "papers").make_in_worker(snapshot, access.Visibility(date(2022, 5, 31), False), "key",
                                                     area_id=FORCE, period=calendar.quarter(2021, 1))
    assert "damaged" in str(unreadable.value) and str(snapshot.parent) not in str(unreadable.value)
    assert not PaperFiles(tmp_path / "papers").has_paper("key")


def test_the_paper_page_stands_the_previous_snapshot_in_for_one_its_worker_cannot_read(demo_copy, monkeypatch):
    """The server's own connection read the file whole when it opened it, so only the paper's worker, opening it
    afresh, finds the damage: the page serves the previous snapshot with the notice, as a damaged query does."""
    add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 6, 1), reason="r", actor=coordinator("t"))
    live = demo_copy.resolve()
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.query_params["quarter"] = "Q1 2021/22"
    at.run()
    assert not at.exception and not at.warning
    garble_in_place(live)
    asked = []
    worker = PaperFiles.make_in_worker

    def make_in_worker(files, snapshot, *args, **kwargs):
        asked.append(Path(snapshot))
        if Path(snapshot) == live:
            return worker(files, snapshot, *args, **kwargs)  # the real worker, which finds the damage
        st.stop()  # the earlier snapshot's paper: typesetting it is tested elsewhere

    monkeypatch.setattr(PaperFiles, "make_in_worker", make_in_worker)
    at.switch_page("app_pages/paper.py")
    at.run()
    assert not at.exception, at.exception
    assert asked[0] == live and len(asked) == 2 and asked[1] != live and asked[1].parent == live.parent
    notice = at.warning[0].value
    assert notice.startswith("The live database cannot be read (") and "showing the previous data, published" in notice
    assert str(live.parent) not in notice


def test_a_link_to_a_missing_snapshot_says_so_and_never_builds_the_demo(demo_copy, monkeypatch):
    add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 6, 1), reason="r", actor=coordinator("t"))
    demo_copy.resolve().unlink()  # the live snapshot is gone; the original is still there
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.warning[0].value.startswith("The live database cannot be read (copy.duckdb points at a snapshot that no "
                                          "longer exists")
    assert at.title[0].value == "Overview"
    for snapshot in snapshot_dir(demo_copy).glob("*.duckdb"):
        snapshot.unlink()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    message = at.error[0].value
    assert "points at a snapshot that no longer exists" in message and "Nothing has been changed or rebuilt" in message
    assert demo_copy.is_symlink() and not demo_copy.exists()  # no demo was built
    assert list(snapshot_dir(demo_copy).glob("*.duckdb")) == []  # no snapshot either (only the publications' records)


# ---------------------------------------------------------------------------
# Rebases (#15.6)
# ---------------------------------------------------------------------------

def test_a_rebase_reason_is_limited_and_a_removal_is_audited(demo_copy):
    limit = settings().max_reason_chars
    before = table_checksum(demo_copy)
    with pytest.raises(LoadRefused, match=f"at most {limit} are allowed"):
        add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 4, 1), reason="x" * (limit + 1),
                   actor=coordinator("t"))
    assert table_checksum(demo_copy) == before
    add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 4, 1), reason="Lockdown",
               actor=coordinator("A. Analyst"))
    result = run_cli("remove-rebase", "--db", str(demo_copy), "--measure", "asb_incidents", "--area", FORCE, "--month",
                     "2020-04", "--reason", "Set in error")
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    left = con.execute("SELECT COUNT(*) FROM spc_rebases").fetchone()[0]
    audit = con.execute("SELECT month, reason, created_by, removed_by, removal_reason FROM spc_rebases_removed").fetchall()
    con.close()
    assert left == 0
    # the command line stands for the operator: the audit records the operating-system user
    assert audit == [(date(2020, 4, 1), "Lockdown", "A. Analyst", getpass.getuser(), "Set in error")]
    with pytest.raises(LoadRefused, match="There is no rebase of asb_incidents"):
        remove_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 4, 1), reason="again",
                      actor=coordinator("C"))


def test_the_chart_size_does_not_depend_on_the_rebase_reason(demo_con):
    charted = dashboard_data.charted_series(demo_con, "asb_incidents", FORCE)
    frame = chart_frame(charted.points)
    sizes = []
    for reason in ("Short", "A very long reason " * 10):
        rebases = pd.DataFrame({"month": [frame["month"].iloc[12]], "reason": [reason]})
        chart = control_chart(frame, title="t", description="d", rebases=rebases) | {"width": 600}
        svg = vl_convert.vegalite_to_svg(chart)
        sizes.append(svg[: svg.index(">")])
    assert sizes[0] == sizes[1]
    assert 'width="' in sizes[0]


def test_a_damaged_database_never_shows_a_server_path():
    error = duckdb.IOException('IO Error: Could not read enough bytes from file "/srv/data/dashboard.duckdb.snapshots/x.duckdb"')
    assert datastore.plain(error) == 'IO Error: Could not read enough bytes from file "x.duckdb"'
    assert datastore.is_damage(error)
    assert not datastore.is_damage(duckdb.BinderException("Binder Error: column x not found"))


def test_publishing_a_plain_file_keeps_it_as_the_previous_snapshot(demo_copy):
    original = table_checksum(demo_copy)
    add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 6, 1), reason="r", actor=coordinator("t"))
    snapshots = sorted(snapshot_dir(demo_copy).glob("*.duckdb"), key=lambda p: p.stat().st_mtime_ns)
    assert len(snapshots) == 2 and "original" in snapshots[0].name
    assert table_checksum(snapshots[0]) == original
    shutil.rmtree(snapshot_dir(demo_copy), ignore_errors=True)
