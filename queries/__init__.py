"""Named SQL statements. Every statement the project runs is a .sql file here.

Statements are loaded by name (``"app/overview"`` -> ``queries/app/overview.sql``)
and always run with DuckDB bind parameters, never with text pasted into SQL.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Mapping, Sequence

import duckdb
import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent


class UnknownQuery(LookupError):
    pass


@cache
def sql(name: str) -> str:
    """The text of the named statement."""
    path = (QUERY_DIR / f"{name}.sql").resolve()
    if QUERY_DIR not in path.parents or not path.is_file():
        raise UnknownQuery(f"No query named {name!r} in {QUERY_DIR}")
    return path.read_text(encoding="utf-8")


Params = Mapping[str, Any] | Sequence[Any] | None


def run(con: duckdb.DuckDBPyConnection, name: str, params: Params = None) -> pd.DataFrame:
    """Run a named query and return a DataFrame.

    Runs on the connection given: a writer passes its own connection (to see its
    transaction and temp tables); the app passes a fresh cursor per query.
    """
    return con.execute(sql(name), params).df()


def execute(con: duckdb.DuckDBPyConnection, name: str, params: Params = None,
            frames: Mapping[str, pd.DataFrame] | None = None) -> int | None:
    """Run a named statement for its effect on the given connection.

    `frames` are DataFrames the statement reads by name (e.g. incoming_observations);
    they are registered for this statement only. Returns the number of rows an
    INSERT, UPDATE or DELETE changed, else None.
    """
    frames = frames or {}
    for frame_name, frame in frames.items():
        con.register(frame_name, frame)
    try:
        result = con.execute(sql(name), params)
        if result.description and result.description[0][0] == "Count":
            return int(result.fetchone()[0])
        return None
    finally:
        for frame_name in frames:
            con.unregister(frame_name)


def execute_script(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run a named file of several statements that take no parameters (the schema)."""
    con.execute(sql(name))
