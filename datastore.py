"""The one module that knows where the database is and how the app opens it.

The app opens DuckDB read-only and shares one connection per database version
through ``st.cache_resource``; each query runs on its own cursor, because a
DuckDB connection is not safe to use from several threads at once. The cache key
includes the file's identity (inode, size, mtime), so when an import publishes a
new file the next rerun opens it, and cached query results keyed by the same
version are not reused.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

import queries
from ingest.schema import SCHEMA_VERSION

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_DB = PROJECT_ROOT / "data" / "dashboard.duckdb"


class DatabaseProblem(RuntimeError):
    """The database cannot be used; the message says why and what to do, in plain words."""


def database_path() -> Path:
    configured = os.environ.get("DASHBOARD_DB", "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_DB


@dataclass(frozen=True)
class DataVersion:
    """Identifies one published database file; changes whenever a new file is swapped in."""

    path: str
    inode: int
    size: int
    mtime_ns: int


def data_version(path: Path) -> DataVersion:
    stat = path.stat()
    return DataVersion(str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """Open and check a database, or raise DatabaseProblem. Never writes to the file."""
    if path.is_symlink() and not path.exists():
        raise DatabaseProblem(f"{path} points at a snapshot that no longer exists ({os.readlink(path)}). "
                              "Point DASHBOARD_DB at a good database; nothing has been changed.")
    if not path.exists():
        raise DatabaseProblem(f"There is no database at {path}.")
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a folder, not a database file. Set DASHBOARD_DB to a .duckdb file.")
    try:
        # The resolved path names one snapshot: DuckDB caches instances by path, so opening
        # the link's target (not the link) is what lets a new snapshot be seen in-process.
        con = duckdb.connect(str(path.resolve()), read_only=True)
    except duckdb.Error as error:
        raise DatabaseProblem(
            f"The file {path} could not be opened as a DuckDB database ({first_line(error)}). "
            "It may be damaged or not a database at all. It has been left exactly as it is; "
            "point DASHBOARD_DB at a good copy, or move it aside to let the app build the demo."
        ) from error
    try:
        found = schema_version_of(con)
    except duckdb.Error as error:
        con.close()
        raise DatabaseProblem(
            f"{path} is a DuckDB file but not a dashboard database (no schema version: {first_line(error)}). "
            "It has been left as it is."
        ) from error
    if found != SCHEMA_VERSION:
        con.close()
        raise DatabaseProblem(
            f"{path} has schema version {found!r}, but this version of the dashboard needs {SCHEMA_VERSION!r}. "
            "The file has been left as it is. Build a current database with "
            "`python -m ingest demo --db NEW_PATH` and point DASHBOARD_DB at it."
        )
    return con


def schema_version_of(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(queries.sql("ingest/get_meta"), {"key": "schema_version"}).fetchone()
    return None if row is None else row[0]


def first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def ensure_demo(path: Path) -> bool:
    """Build the demo when no file exists at path. Returns True when it built one."""
    if path.exists():
        return False
    from ingest.demo import DatabaseExists, build_demo

    try:
        build_demo(path)
    except DatabaseExists:
        return False  # another session built it first
    return True


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: Any = None) -> pd.DataFrame:
    """Run a named query on a fresh cursor of the shared connection."""
    cursor = con.cursor()
    try:
        return queries.run(cursor, name, params)
    finally:
        cursor.close()
