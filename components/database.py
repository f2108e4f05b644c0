"""Streamlit's view of the database: a cached read-only connection and cached queries.

Both caches are keyed by the data version, so a newly published file is picked
up on the next rerun and results from the old file are never served for it.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd
import streamlit as st

import dashboard_data
import datastore
from analysis import calendar


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(version: datastore.DataVersion) -> duckdb.DuckDBPyConnection:
    return datastore.open_read_only(Path(version.path))


def current_version() -> datastore.DataVersion:
    path = datastore.database_path()
    if not path.exists():
        raise datastore.DatabaseProblem(f"There is no database at {path}.")
    return datastore.data_version(path)


def connection() -> duckdb.DuckDBPyConnection:
    return _connection(current_version())


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached_query(version: datastore.DataVersion, name: str, params: tuple) -> pd.DataFrame:
    return datastore.run_query(_connection(version), name, dict(params) if params else None)


def query(name: str, **params) -> pd.DataFrame:
    """Run the named query with bind parameters; cached per data version."""
    return _cached_query(current_version(), name, tuple(sorted(params.items())))


@contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of the shared connection, closed after use."""
    cur = connection().cursor()
    try:
        yield cur
    finally:
        cur.close()


def charted_series(measure_id: str, area_id: str, options=None, period=None):
    """A measure and area charted with SPC and its stored rebases, once per data version and options.

    period: counts of people are charted at its grain (see dashboard_data.charted_series).
    """
    return read("charted_series", measure_id, area_id, options=options, period=period)


@st.cache_data(max_entries=512, show_spinner=False, hash_funcs={calendar.Period: lambda period: period.key})
def _read(version: datastore.DataVersion, function_name: str, args: tuple, kwargs: tuple):
    cur = _connection(version).cursor()
    try:
        return getattr(dashboard_data, function_name)(cur, *args, **dict(kwargs))
    finally:
        cur.close()


def read(function_name: str, *args, **kwargs):
    """Call a dashboard_data reader with a cursor, cached per data version and arguments."""
    return _read(current_version(), function_name, args, tuple(sorted(kwargs.items())))
