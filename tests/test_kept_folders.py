"""The folder derived files are kept in (core.folders.kept_beside): beside the database, else a temporary one."""
from __future__ import annotations

import tempfile
from pathlib import Path

from core.folders import kept_beside
from readers.overview_store import cache_folder as overview_folder
from report.cache import cache_folder as paper_folder


def test_the_folder_is_beside_the_database_named_after_it(tmp_path):
    database = tmp_path / "dashboard.duckdb"
    assert kept_beside(database, ".paper-cache") == tmp_path / "dashboard.duckdb.paper-cache"
    assert (tmp_path / "dashboard.duckdb.paper-cache").is_dir()
    assert paper_folder(database) != overview_folder(database) and overview_folder(database).parent == tmp_path


def test_where_the_databases_folder_cannot_be_written_a_temporary_folder_stands_in_the_same_each_time(tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    database = not_a_folder / "dashboard.duckdb"  # its folder is a file: nothing can be made in it
    folder = kept_beside(database, ".overview-cache")
    assert folder.parent == Path(tempfile.gettempdir()) and folder.is_dir() and folder.name.endswith(".overview-cache")
    assert kept_beside(database, ".overview-cache") == folder
    other = tmp_path / "b-file"
    other.write_text("")
    assert kept_beside(other / "dashboard.duckdb", ".overview-cache") != folder
