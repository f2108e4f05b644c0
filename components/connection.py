"""Streamlit's cached read-only connection to the snapshot being served, and what it knows without a query of
a page's: the data version, the release clock's date and the stored role grants (which components/identity.py
reads, so this module imports neither it nor components/database.py).

A snapshot that cannot be read (it fails to open, a query hits a damaged block, or
the file changes in place, which publishing never does) is recorded as damaged for
the whole server; the rerun then serves the newest earlier snapshot with a notice.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import duckdb
import streamlit as st

import access
import datastore
import queries
from analysis import calendar
from components.this_run import this_run
from core.home_force import home_force

FALLBACKS = 5  # snapshots tried before giving up


@st.cache_resource(show_spinner=False)
def _damaged() -> dict[str, str]:
    """Resolved snapshot path -> why it cannot be read; shared by every session of this server."""
    return {}


@st.cache_resource(show_spinner=False)
def _first_seen() -> dict[str, datastore.DataVersion]:
    return {}


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(version: datastore.DataVersion) -> duckdb.DuckDBPyConnection:
    return datastore.open_read_only(Path(version.path))


def _serving() -> datastore.Serving:
    return datastore.serving_file(datastore.database_path(), _damaged())


def _key(version: datastore.DataVersion) -> str:
    return f"{version.path}|{version.inode}"


def current_version() -> datastore.DataVersion:
    """The snapshot this run reads: resolved at its first query, the same for the rest of the run."""
    memo = this_run()
    if "version" not in memo:
        memo["version"] = _resolve_version()
    return memo["version"]


def read_the_newest_snapshot() -> None:
    """A write of this run has published a new snapshot: the rest of the run reads it, not the one it began with
    (the page's own account of what the write changed must see the change)."""
    this_run().clear()


def _resolve_version() -> datastore.DataVersion:
    version = datastore.data_version(_serving().path)
    if _key(version) not in _first_seen():
        _forget_earlier_versions()
    seen = _first_seen().setdefault(_key(version), version)
    if (seen.size, seen.mtime_ns) != (version.size, version.mtime_ns):
        _damage(version, "the snapshot file was changed in place while being served")
        version = datastore.data_version(_serving().path)
    return version


_KEYED_BY_VERSION: list[Callable] = []  # caches of results keyed by the data version (components/database.py's)


def forget_with_earlier_versions(*caches: Callable) -> None:
    """Cleared when a new snapshot is first served (their keys hold the data version)."""
    _KEYED_BY_VERSION.extend(caches)


def _forget_earlier_versions() -> None:
    """A new snapshot is being served: results keyed by earlier versions will not be asked for again
    (every session reads the newest on its next run), so free them rather than hold one set per
    publication until the entry limits push them out. A long meeting with publications stays flat."""
    if _first_seen():
        for cache in _KEYED_BY_VERSION:
            cache.clear()


def serving_notice() -> str | None:
    """Why the data shown is not the live snapshot's, or None when it is."""
    return _serving().notice


def _damage(version: datastore.DataVersion, reason) -> bool:
    """Record a file as unreadable when an earlier snapshot can stand in; False when none can."""
    if not datastore.has_earlier_snapshot(datastore.database_path(), _damaged()):
        return False
    datastore.record_damage(_damaged(), _key(version), reason)
    this_run().clear()  # the rest of the run reads the snapshot that stands in
    return True


def connection() -> duckdb.DuckDBPyConnection:
    """The shared connection to the file being served, falling back past files that cannot be read."""
    for _ in range(FALLBACKS):
        version = current_version()
        try:
            return _connection(version)
        except datastore.OutdatedDatabase:
            raise  # not damage: app.py upgrades it
        except datastore.DatabaseProblem as problem:
            if not _damage(version, str(problem)):
                raise
    raise datastore.DatabaseProblem("No snapshot of the database can be read; nothing has been changed.")


def stand_in_for_damaged(version: datastore.DataVersion, error: BaseException):
    """A query (or the paper's worker) could not read the file: record it and rerun, which serves an earlier
    snapshot or says why not."""
    if not _damage(version, error):
        raise datastore.DatabaseProblem(f"The database cannot be read ({datastore.plain(error)}), and there is no "
                                        "earlier snapshot to show. Nothing has been changed.") from None
    st.rerun()


def public_visibility() -> access.Visibility:
    """What the public may see now (resolved once per run)."""
    memo = this_run()
    if "public" not in memo:
        memo["public"] = access.visibility(access.PUBLIC, access.clock(_snapshot_date(current_version())))
    return memo["public"]


# Cache keys from a few plain values: Streamlit hashes a dataclass field by field through pickling, which was most
# of the time a cached read took on a rerun.
SMALL_KEYS = {datastore.DataVersion: lambda v: (v.path, v.inode, v.size, v.mtime_ns),
              access.Visibility: lambda v: (v.released_through.isoformat(), v.include_provisional),
              calendar.Period: lambda period: period.key}


@st.cache_resource(max_entries=2, show_spinner=False, hash_funcs=SMALL_KEYS)
def derived_results(version: datastore.DataVersion) -> dict:
    """Results worked out from the snapshot that every reader of it would otherwise work out again (the
    disclosure control of every area's missing-person totals): shared by the server's sessions while it is
    served (datastore.derived_once)."""
    return {}


@st.cache_data(max_entries=8, show_spinner=False, hash_funcs=SMALL_KEYS)
def _snapshot_date(version: datastore.DataVersion) -> str | None:
    """The untouched demo's fixed date, or None (the real clock): it only changes with the file, so it is
    cached per data version; the clock itself is read on every run, so rows release at 09:30 unaided."""
    cur = _connection(version).cursor()
    try:
        return datastore.snapshot_date(cur)
    finally:
        cur.close()


@st.cache_data(max_entries=8, show_spinner=False, hash_funcs=SMALL_KEYS)
def _role_grants(version: datastore.DataVersion) -> list[dict]:
    cur = _connection(version).cursor()
    try:
        return queries.run(cur, "app/role_grants").to_dict("records")
    finally:
        cur.close()


def role_grants() -> list[dict]:
    """Every stored role grant (principal, kind, role), for resolving the signed-in user's role."""
    return _role_grants(current_version())


def clock_now():
    """Now, by the release clock the data is read with (access.clock): the returns calendar's today."""
    return access.clock(_snapshot_date(current_version()))


@st.cache_data(max_entries=8, show_spinner=False, hash_funcs=SMALL_KEYS)
def _home_force(version: datastore.DataVersion) -> str:
    cur = _connection(version).cursor()
    try:
        return home_force(cur)
    finally:
        cur.close()


def home_force_id() -> str:
    """The home force's area id, from the catalogue (core.home_force), once per data version."""
    return _home_force(current_version())
