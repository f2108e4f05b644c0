"""The one module that knows where the database is and how the app opens it.

The app opens DuckDB read-only and shares one connection per database version
through ``st.cache_resource``; each query runs on its own cursor, because a
DuckDB connection is not safe to use from several threads at once. The cache key
includes the file's identity (inode, size, mtime), so when an import publishes a
new file the next rerun opens it, and cached query results keyed by the same
version are not reused.

A snapshot is read whole when first opened (a damaged block fails then, not on a
page). When the live snapshot cannot be read, the app serves the latest snapshot
published before it that can (never one a crashed writer left unpublished), and says
so; the demo is built only where there is neither a database nor a link. Messages name files, never their folders.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

import duckdb
import pandas as pd

import access
import queries
from core.schema import SCHEMA_VERSION
from ingest.publish import published_before

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_DB = PROJECT_ROOT / "data" / "dashboard.duckdb"
LOG = logging.getLogger("dashboard.database")
DAMAGE_WORDS = ("Corrupt", "checksum", "Could not read", "invalidated", "No such file", "truncated")


class DatabaseProblem(RuntimeError):
    """The database cannot be used; the message says why and what to do, in plain words."""


class OutdatedDatabase(DatabaseProblem):
    """A database of an earlier schema version that ingest.migrations can upgrade; nothing has been changed yet."""

    def __init__(self, message: str, found: str | None):
        super().__init__(message)
        self.found = found


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


def plain(error: BaseException) -> str:
    """An error's first line with any server path cut down to its file name."""
    text = first_line(error)
    return re.sub(r"(?:[A-Za-z]:)?(?:/[^/\s\"']+)+/([^/\s\"']+)", r"\1", text)


def is_damage(error: BaseException) -> bool:
    """A DuckDB error that means the file itself is unreadable (not a mistake in a query)."""
    if isinstance(error, (duckdb.IOException, duckdb.FatalException)):
        return True
    return isinstance(error, duckdb.Error) and any(words in str(error) for words in DAMAGE_WORDS)


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """Open and check a database, or raise DatabaseProblem. Never writes to the file."""
    if path.is_symlink() and not path.exists():
        raise DatabaseProblem(f"{path.name} points at a snapshot that no longer exists "
                              f"({Path(os.readlink(path)).name}). Nothing has been changed or rebuilt; point "
                              "DASHBOARD_DB at a good database, or restore the snapshot.")
    if not path.exists():
        raise DatabaseProblem(f"There is no database at {path.name}.")
    if path.is_dir():
        raise DatabaseProblem(f"{path.name} is a folder, not a database file. Set DASHBOARD_DB to a .duckdb file.")
    try:
        # The resolved path names one snapshot: DuckDB caches instances by path, so opening
        # the link's target (not the link) is what lets a new snapshot be seen in-process.
        con = duckdb.connect(str(path.resolve()), read_only=True)
        queries.execute(con, "core/one_thread")
    except duckdb.Error as error:
        raise DatabaseProblem(
            f"The file {path.name} could not be opened as a DuckDB database ({plain(error)}). "
            "It may be damaged or not a database at all. It has been left exactly as it is; "
            "point DASHBOARD_DB at a good copy, or move it aside to let the app build the demo."
        ) from error
    try:
        found = schema_version_of(con)
    except duckdb.Error as error:
        con.close()
        raise DatabaseProblem(
            f"{path.name} is a DuckDB file but not a dashboard database (no schema version: {plain(error)}). "
            "It has been left as it is."
        ) from error
    if found != SCHEMA_VERSION:
        con.close()
        from ingest.migrations import can_upgrade

        if can_upgrade(found):
            raise OutdatedDatabase(f"{path.name} was built by an earlier version of the dashboard (schema version "
                                   f"{found}); it is upgraded to version {SCHEMA_VERSION} as a new snapshot.", found)
        raise DatabaseProblem(
            f"{path.name} has schema version {found!r}, but this version of the dashboard needs {SCHEMA_VERSION!r}. "
            "The file has been left as it is. Build a current database with "
            "`python -m ingest demo --db NEW_PATH` and point DASHBOARD_DB at it."
        )
    try:
        read_every_table(con)
    except duckdb.Error as error:
        con.close()
        raise DatabaseProblem(f"{path.name} is damaged: reading it failed ({plain(error)}). "
                              "It has been left as it is.") from error
    return con


def read_every_table(con: duckdb.DuckDBPyConnection) -> None:
    for table in queries.run(con, "ingest/base_tables")["table_name"]:
        queries.run(con, "ingest/read_whole_table", {"table": table})


def schema_version_of(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(queries.sql("ingest/get_meta"), {"key": "schema_version"}).fetchone()
    return None if row is None else row[0]


def first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


@dataclass(frozen=True)
class Serving:
    """The file to serve, and (when it is not the live one) why, in words for the page."""

    path: Path
    notice: str | None = None


def file_key(path: Path) -> str:
    """One file's identity for the damage record: its resolved path and inode (a path can be reused)."""
    return f"{path.resolve()}|{path.stat().st_ino}"


def serving_file(live: Path, damaged: dict[str, str]) -> Serving:
    """The live snapshot, or when it is damaged (`damaged`: file_key -> reason), the latest one published before it.

    Raises DatabaseProblem when nothing good is left to serve.
    """
    if live.is_symlink() and not live.exists():
        problem = f"{live.name} points at a snapshot that no longer exists ({Path(os.readlink(live)).name})"
        target = None
    elif not live.exists():
        raise DatabaseProblem(f"There is no database at {live.name}.")
    else:
        target = live.resolve()
        if file_key(live) not in damaged:
            return Serving(live)
        problem = damaged[file_key(live)]
    for earlier in published_before(live):
        if earlier.resolve() != target and file_key(earlier) not in damaged:
            when = datetime.fromtimestamp(earlier.stat().st_mtime).strftime("%d %B %Y %H:%M")
            return Serving(earlier, f"The live database cannot be read ({problem}). The dashboard is showing the "
                                    f"previous data, published {when}, until it is repaired; nothing has been changed.")
    raise DatabaseProblem(f"The live database cannot be read ({problem}), and there is no earlier snapshot to show. "
                          "Nothing has been changed or rebuilt; point DASHBOARD_DB at a good database.")


def record_damage(damaged: dict[str, str], key: str, error: BaseException | str) -> None:
    reason = error if isinstance(error, str) else plain(error)
    if key not in damaged:
        LOG.error("Database file %s cannot be read; serving an earlier snapshot if there is one: %s", key, reason)
    damaged[key] = reason


def has_earlier_snapshot(live: Path, damaged: dict[str, str]) -> bool:
    current = live.resolve() if live.exists() else None
    return any(s.resolve() != current and file_key(s) not in damaged for s in published_before(live))


def upgrade_outdated(path: Path) -> None:
    """Upgrade a database built by an earlier version (ingest.migrations), as the operator; a refusal (a read-only
    folder, no disk space) becomes a DatabaseProblem in the same plain words."""
    from access import operator
    from core.errors import LoadRefused
    from ingest.migrations import upgrade

    try:
        upgrade(path, actor=operator())
    except LoadRefused as refused:
        raise DatabaseProblem(f"{path.name} was built by an earlier version of the dashboard and could not be upgraded: "
                              f"{refused}") from None


def ensure_demo(path: Path) -> bool:
    """Build the demo where there is neither a file nor a link at path. Returns True when it built one."""
    if path.exists() or path.is_symlink():
        return False
    from ingest.demo import DatabaseExists, build_demo  # the demo build is needed once, on a first start

    try:
        build_demo(path)
    except DatabaseExists:
        return False  # another session built it first
    return True


class VisibleCursor:
    """A cursor that supplies a reader's visibility to every statement that asks for it.

    Statements read observations only through visible_observations($released_through,
    $include_provisional); this wrapper fills those two parameters from the reader's role
    and the release clock, so callers (pages, the paper, the command line) never pass them
    and cannot leave them out. Other statements run unchanged.
    """

    VISIBILITY_PARAMS = ("released_through", "include_provisional")

    def __init__(self, cursor: duckdb.DuckDBPyConnection, visibility: access.Visibility, derived: dict | None = None):
        """derived: where results worked out from this snapshot are kept for later readers of it (derived_once)."""
        self._cursor, self.visibility, self.derived = cursor, visibility, derived

    def execute(self, sql: str, params: Any = None):
        wanted = {key: value for key, value in self.visibility.params().items() if f"${key}" in sql}
        if wanted:
            given = dict(params or {})
            clash = set(given) & set(wanted)
            if clash:
                raise ValueError(f"visibility is the data layer's to set, not the caller's: {sorted(clash)}")
            params = {**given, **wanted}
        return self._cursor.execute(sql, params)

    def cursor(self) -> "VisibleCursor":
        return VisibleCursor(self._cursor.cursor(), self.visibility, self.derived)

    def close(self) -> None:
        self._cursor.close()

    def __getattr__(self, name):  # register, unregister, fetchall and the rest, unchanged
        return getattr(self._cursor, name)


def reader(con: duckdb.DuckDBPyConnection, visibility: access.Visibility, derived: dict | None = None) -> VisibleCursor:
    """A cursor of the shared connection that reads what `visibility` allows (close it after use). derived: a dict
    that lives as long as the snapshot is served (the app's, per data version), where derived_once keeps results."""
    return VisibleCursor(con.cursor(), visibility, derived)


def derived_once(cur, key: tuple, compute: Callable[[], Any]) -> Any:
    """compute(), worked out once per snapshot and visibility where the reader keeps derived results (the app's
    readers: a published snapshot never changes), else every time. The result is shared: never change it."""
    kept = getattr(cur, "derived", None)
    if kept is None:
        return compute()
    key = (cur.visibility, *key)
    if key not in kept:
        kept[key] = compute()  # two threads may both work it out; either answer is the same
    return kept[key]


def as_reader(con) -> VisibleCursor:
    """The connection as a reader: itself when it already is one, else one that sees what the public sees."""
    return con if isinstance(con, VisibleCursor) else VisibleCursor(con, public_visibility(con))


def snapshot_date(con) -> str | None:
    """The untouched demo's fixed date (ISO), which stands for today; None once a file has been loaded,
    or for any database the demo command did not build: those run on the real UK clock."""
    row = con.execute(queries.sql("ingest/snapshot_date")).fetchone()
    return row[0] if row else None


def public_visibility(con: duckdb.DuckDBPyConnection) -> access.Visibility:
    """What the public may see now (by the release clock, frozen only for the untouched demo)."""
    return access.visibility(access.PUBLIC, access.clock(snapshot_date(con)))


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: Any = None,
              visibility: access.Visibility | None = None) -> pd.DataFrame:
    """Run a named query on a fresh cursor of the shared connection, as `visibility` allows (public by default)."""
    cursor = reader(con, visibility or public_visibility(con))
    try:
        return queries.run(cursor, name, params)
    finally:
        cursor.close()
