"""Streamlit's view of the database: cached queries and reads, as the session's user may see.

The caches are keyed by the data version (components/connection.py), so a newly published file is picked
up on the next rerun and results from the old file are never served for it.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import duckdb
import pandas as pd
import streamlit as st

import access
import dashboard_data
import datastore
from components.connection import (
    SMALL_KEYS,
    _connection,
    _on_damage,
    _snapshot_date,
    connection,
    current_version,
    forget_with_earlier_versions,
    public_visibility,
)
from components.identity import current_actor
from components.this_run import this_run


@st.cache_data(max_entries=1024, show_spinner=False, hash_funcs=SMALL_KEYS)
def _cached_query(version: datastore.DataVersion, visibility: access.Visibility, name: str, params: tuple) -> pd.DataFrame:
    return datastore.run_query(_connection(version), name, dict(params) if params else None, visibility)


def query(name: str, **params) -> pd.DataFrame:
    """Run the named query with bind parameters, as the session's user may see; cached per data version."""
    version = current_version()
    try:
        return _cached_query(version, current_visibility(), name, tuple(sorted(params.items())))
    except duckdb.Error as error:
        if not datastore.is_damage(error):
            raise
        _on_damage(version, error)


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


def charted_series(measure_id: str, area_id: str, options=None, period=None, *, as_stood: bool = False):
    """A measure and area charted with SPC and its stored rebases, once per data version and options.

    period: counts of people are charted at its grain (see dashboard_data.charted_series).
    as_stood: only the months to the period's end, as the series stood then (the period's own reading).
    """
    if as_stood:
        return read("charted_series", measure_id, area_id, options=options, period=period, last=period.end)
    return read("charted_series", measure_id, area_id, options=options, period=period)


@st.cache_data(max_entries=512, show_spinner=False, hash_funcs=SMALL_KEYS)
def _read(version: datastore.DataVersion, visibility: access.Visibility, function_name: str, args: tuple, kwargs: tuple):
    cur = datastore.reader(_connection(version), visibility)
    try:
        return getattr(dashboard_data, function_name)(cur, *args, **dict(kwargs))
    finally:
        cur.close()


def read(function_name: str, *args, **kwargs):
    """Call a dashboard_data reader with a cursor, as the session's user may see; cached per data version,
    visibility and arguments."""
    return _read_as(current_visibility(), function_name, args, kwargs)


def read_public(function_name: str, *args, **kwargs):
    """As read(), but what the public may see whoever is signed in: for text meant for publication."""
    return _read_as(public_visibility(), function_name, args, kwargs)


def _read_as(visibility: access.Visibility, function_name: str, args: tuple, kwargs: dict):
    version = current_version()
    try:
        return _read(version, visibility, function_name, args, tuple(sorted(kwargs.items())))
    except duckdb.Error as error:
        if not datastore.is_damage(error):
            raise
        _on_damage(version, error)


def current_visibility() -> access.Visibility:
    """What this session's user may see now: by role, and by the release clock (09:30 UK time).
    Panel mode is a public screen: it shows what the public may see, whoever is signed in."""
    memo = this_run()
    if "visibility" not in memo:
        if st.query_params.get("mode") == "panel":
            memo["visibility"] = public_visibility()
        else:
            memo["visibility"] = access.visibility(current_actor(), access.clock(_snapshot_date(current_version())))
    return memo["visibility"]


forget_with_earlier_versions(_cached_query, _read)
