"""Streamlit's view of the database: cached readers, as the session's user may see.

Pages read only through readers (components/readers/): plain functions of a cursor (dashboard_data's, or
a named query), made callable without one by @cached_reader, which reads as the session's user may see.
The cache is keyed by the data version (components/connection.py), so a newly published file is picked
up on the next rerun and results from the old file are never served for it.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Any, Callable, Concatenate, Generic, Iterator, ParamSpec, TypeVar

import duckdb
import streamlit as st

import access
import datastore
from components.connection import (
    SMALL_KEYS,
    _connection,
    _snapshot_date,
    connection,
    current_version,
    derived_results,
    forget_with_earlier_versions,
    public_visibility,
    stand_in_for_damaged,
)
from components.identity import current_actor
from components.this_run import this_run


@contextmanager
def cursor(public: bool = False) -> Iterator[datastore.VisibleCursor]:
    """A cursor of the shared connection that reads what the session's user may see (or, with public,
    what the public may see, for a document meant for publication), closed after use."""
    version = current_version()
    cur = datastore.reader(connection(), public_visibility() if public else current_visibility(),
                           derived_results(version))
    try:
        yield cur
    except duckdb.Error as error:
        if not datastore.is_damage(error):
            raise
        stand_in_for_damaged(version, error)
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
@st.cache_data(max_entries=1536, show_spinner=False, hash_funcs=SMALL_KEYS)
def _read(version: datastore.DataVersion, visibility: access.Visibility, name: str, args: tuple, kwargs: tuple,
          _function: Callable):
    cur = datastore.reader(_connection(version), visibility, derived_results(version))
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
        stand_in_for_damaged(version, error)


def current_visibility() -> access.Visibility:
    """What this session's user may see now: by role, and by the release clock (09:30 UK time), once per run.
    Panel mode is a public screen: it shows what the public may see, whoever is signed in."""
    memo = this_run()
    if "visibility" not in memo:
        if st.query_params.get("mode") == "panel":
            memo["visibility"] = public_visibility()
        else:
            memo["visibility"] = access.visibility(current_actor(), access.clock(_snapshot_date(current_version())))
    return memo["visibility"]


forget_with_earlier_versions(_read, derived_results)
