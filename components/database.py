"""Streamlit's view of the database: a cached read-only connection and cached readers.

Pages read only through readers (components/readers/): plain functions of a cursor (dashboard_data's, or
a named query), made callable without one by @cached_reader, which reads as the session's user may see.
Both caches are keyed by the data version, so a newly published file is picked
up on the next rerun and results from the old file are never served for it.

A snapshot that cannot be read (it fails to open, a query hits a damaged block, or
the file changes in place, which publishing never does) is recorded as damaged for
the whole server; the rerun then serves the newest earlier snapshot with a notice.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Concatenate, Generic, Iterator, ParamSpec, TypeVar

import duckdb
import streamlit as st

import access
import datastore
import queries
from analysis import calendar

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
    version = datastore.data_version(_serving().path)
    if _key(version) not in _first_seen():
        _forget_earlier_versions()
    seen = _first_seen().setdefault(_key(version), version)
    if (seen.size, seen.mtime_ns) != (version.size, version.mtime_ns):
        _damage(version, "the snapshot file was changed in place while being served")
        version = datastore.data_version(_serving().path)
    return version


def _forget_earlier_versions() -> None:
    """A new snapshot is being served: results keyed by earlier versions will not be asked for again
    (every session reads the newest on its next run), so free them rather than hold one set per
    publication until the entry limits push them out. A long meeting with publications stays flat."""
    if _first_seen():
        _read.clear()


def serving_notice() -> str | None:
    """Why the data shown is not the live snapshot's, or None when it is."""
    return _serving().notice


def _damage(version: datastore.DataVersion, reason) -> bool:
    """Record a file as unreadable when an earlier snapshot can stand in; False when none can."""
    if not datastore.has_earlier_snapshot(datastore.database_path(), _damaged()):
        return False
    datastore.record_damage(_damaged(), _key(version), reason)
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


def _on_damage(version: datastore.DataVersion, error: duckdb.Error):
    """A query could not read the file: record it and rerun, which serves an earlier snapshot or says why not."""
    if not _damage(version, error):
        raise datastore.DatabaseProblem(f"The database cannot be read ({datastore.plain(error)}), and there is no "
                                        "earlier snapshot to show. Nothing has been changed.") from None
    st.rerun()


@contextmanager
def cursor(public: bool = False) -> Iterator[datastore.VisibleCursor]:
    """A cursor of the shared connection that reads what the session's user may see (or, with public,
    what the public may see, for a document meant for publication), closed after use."""
    version = current_version()
    cur = datastore.reader(connection(), public_visibility() if public else current_visibility())
    try:
        yield cur
    except duckdb.Error as error:
        if not datastore.is_damage(error):
            raise
        _on_damage(version, error)
    finally:
        cur.close()


P = ParamSpec("P")
R = TypeVar("R")


class CachedReader(Generic[P, R]):
    """A reader of a cursor, called without one: `reader(*args)` reads as the session's user may see,
    `reader.public(*args)` as the public may (for text meant for publication, whoever is signed in).
    Results are cached per data version, visibility and arguments; the wrapped function is `__wrapped__`."""

    def __init__(self, function: Callable[Concatenate[Any, P], R]):
        functools.update_wrapper(self, function)
        self._function = function
        self._name = f"{function.__module__}.{function.__qualname__}"  # the cache key's stand-in for the function

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return _read_as(current_visibility(), self._name, self._function, args, kwargs)

    def public(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return _read_as(public_visibility(), self._name, self._function, args, kwargs)


def cached_reader(function: Callable[Concatenate[Any, P], R]) -> CachedReader[P, R]:
    """Decorate (or wrap) `function(cur, *args, **kwargs)`, which reads through the cursor it is given, into a
    cached reader called as `function(*args, **kwargs)`."""
    return CachedReader(function)


# One cache for every reader (the named queries' 1,024 entries and the analysed reads' 512 it replaced).
@st.cache_data(max_entries=1536, show_spinner=False, hash_funcs={calendar.Period: lambda period: period.key})
def _read(version: datastore.DataVersion, visibility: access.Visibility, name: str, args: tuple, kwargs: tuple,
          _function: Callable):
    cur = datastore.reader(_connection(version), visibility)
    try:
        return _function(cur, *args, **dict(kwargs))
    finally:
        cur.close()


def _read_as(visibility: access.Visibility, name: str, function: Callable, args: tuple, kwargs: dict):
    version = current_version()
    try:
        return _read(version, visibility, name, args, tuple(sorted(kwargs.items())), function)
    except duckdb.Error as error:
        if not datastore.is_damage(error):
            raise
        _on_damage(version, error)


def current_visibility() -> access.Visibility:
    """What this session's user may see now: by role, and by the release clock (09:30 UK time).
    Panel mode is a public screen: it shows what the public may see, whoever is signed in."""
    from components.identity import current_actor  # the identity module reads queries through this one

    if st.query_params.get("mode") == "panel":
        return public_visibility()
    return access.visibility(current_actor(), access.clock(_snapshot_date(current_version())))


def public_visibility() -> access.Visibility:
    """What the public may see now."""
    return access.visibility(access.PUBLIC, access.clock(_snapshot_date(current_version())))


@st.cache_data(max_entries=8, show_spinner=False)
def _snapshot_date(version: datastore.DataVersion) -> str | None:
    """The untouched demo's fixed date, or None (the real clock): it only changes with the file, so it is
    cached per data version; the clock itself is read on every run, so rows release at 09:30 unaided."""
    cur = _connection(version).cursor()
    try:
        return datastore.snapshot_date(cur)
    finally:
        cur.close()


@st.cache_data(max_entries=8, show_spinner=False)
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
