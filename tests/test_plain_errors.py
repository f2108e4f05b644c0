"""Errors reach people as plain words, the traceback only in the server log (issue 23, 10): an unexpected
failure in a page, the paper written to a folder that cannot be written, and a data folder that cannot be
written."""
from __future__ import annotations

import errno
import logging
import os
import subprocess
import sys
import textwrap
from datetime import date

import pytest
from conftest import FORCE, PROJECT_ROOT, coordinator, open_page, table_checksum
from malformed_files import GOOD_ROW, csv_bytes

import ingest.publish as publishing
from core.errors import LoadRefused
from ingest.rebases import add_rebase
from ingest.returns import load_return_file

SECRET_PATH = "/srv/dashboard/secret-folder/dashboard.duckdb"


def no_details(text: str) -> None:
    assert "Traceback" not in text and "/srv/" not in text and 'File "' not in text and ".py" not in text, text


def test_streamlit_is_set_to_show_no_error_details(tmp_path):
    from streamlit.config import ShowErrorDetailsConfigOptions

    run = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], cwd=PROJECT_ROOT, capture_output=True,
                         text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    setting = [line for line in run.stdout.splitlines() if line.startswith("showErrorDetails = ")]
    assert setting == [f'showErrorDetails = "{ShowErrorDetailsConfigOptions.NONE}"']


def failing(*args, **kwargs):
    raise FileNotFoundError(errno.ENOENT, "No such file or directory", SECRET_PATH)


@pytest.mark.parametrize("where, query_params", [
    ("components.overview_data.overview_table", {}),  # the Overview, the page served at /
    ("components.panel.panel_deck", {"mode": "panel"}),  # Panel mode, shown to anonymous visitors
])
def test_an_unexpected_error_in_a_page_is_plain_words_and_logged(app_env, monkeypatch, caplog, expect_page_errors, where,
                                                                 query_params):
    monkeypatch.setattr(where, failing)
    with caplog.at_level(logging.ERROR, logger="dashboard.pages"):
        at = open_page(**query_params)  # fails on an exception element
    assert [e.value for e in at.error] == [
        "This page could not be shown because of an error on the server; it has been logged for the dashboard's "
        "administrators. Try again in a moment, or choose another page."]
    shown = "\n".join(str(element.value) for kind in ("markdown", "error", "warning", "caption", "text", "code")
                      for element in at.get(kind))
    no_details(shown)
    [record] = [r for r in caplog.records if r.name == "dashboard.pages"]
    assert record.exc_info and SECRET_PATH in str(record.exc_info[1])  # the server log has the whole error


def test_the_paper_to_a_folder_that_cannot_be_written_is_one_error_line(demo_db, tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    run = subprocess.run([sys.executable, "-m", "report", "--quarter", "2021-22-Q1", "--area", FORCE, "--format", "html",
                          "--out", str(not_a_folder / "r.html"), "--db", str(demo_db)],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the paper could not be written to r.html"), run.stderr
    assert str(tmp_path) not in run.stderr and "Traceback" not in run.stderr


READ_ONLY_DATA_FOLDER = textwrap.dedent("""
    import errno, os, sys
    import ingest.publish

    def read_only(file, mode="r", *args, **kwargs):  # the data folder is on a read-only file system
        if any(flag in mode for flag in "wax+"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(file))
        return open(file, mode, *args, **kwargs)

    ingest.publish.open = read_only
    from ingest.__main__ import main
    sys.exit(main(sys.argv[1:]))
""")


def test_a_rebase_in_a_read_only_data_folder_says_the_folder_cannot_be_written(demo_copy):
    before = table_checksum(demo_copy)
    run = subprocess.run([sys.executable, "-c", READ_ONLY_DATA_FOLDER, "rebase", "--db", str(demo_copy), "--measure",
                          "asb_incidents", "--area", FORCE, "--month", "2020-04", "--reason", "Coronavirus restrictions"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"error: The data folder {demo_copy.parent.name!r} cannot be written"), run.stderr
    assert "unexpectedly" not in run.stderr and "OSError" not in run.stderr and "Traceback" not in run.stderr
    assert str(demo_copy.parent) not in run.stderr
    assert table_checksum(demo_copy) == before


def test_a_load_when_the_snapshots_cannot_be_written_says_so_and_changes_nothing(demo_copy, monkeypatch):
    add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 4, 1), reason="r",
               actor=coordinator("t"))  # the live path is a link to a snapshot, as after any load
    before = table_checksum(demo_copy)

    def read_only(source, target, *args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(target))

    monkeypatch.setattr(publishing.shutil, "copyfile", read_only)
    with pytest.raises(LoadRefused) as refused:
        load_return_file(demo_copy, csv_bytes(GOOD_ROW), "may.csv", partner="Youth Offending Services",
                         actor=coordinator("t"))
    assert refused.value.message.startswith(f"The data folder {demo_copy.parent.name!r} cannot be written")
    assert "nothing was changed" in refused.value.message and str(demo_copy.parent) not in refused.value.message
    assert table_checksum(demo_copy) == before
    assert not list(publishing.snapshot_dir(demo_copy).glob("*.draft*"))


def test_a_permission_error_on_some_other_file_is_not_called_a_read_only_data_folder(demo_copy):
    elsewhere = OSError(errno.EACCES, os.strerror(errno.EACCES), "/srv/uploads/x.csv")
    in_snapshots = OSError(errno.EACCES, os.strerror(errno.EACCES), str(publishing.snapshot_dir(demo_copy) / "x.draft"))
    assert not publishing.is_not_writable(elsewhere, demo_copy)
    assert publishing.is_not_writable(in_snapshots, demo_copy)
