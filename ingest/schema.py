"""Create the schema, load the catalogue, and check a database's schema version."""
from __future__ import annotations

import duckdb

import queries
from ingest import CATALOGUE_DIR

SCHEMA_VERSION = "2"
CATALOGUE_TABLES = ("priorities", "areas", "measures")  # in foreign-key order


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    queries.execute_script(con, "schema")
    set_meta(con, "schema_version", SCHEMA_VERSION)


def load_catalogue(con: duckdb.DuckDBPyConnection) -> None:
    for table in CATALOGUE_TABLES:
        queries.execute(con, f"ingest/load_{table}", {"path": str(CATALOGUE_DIR / f"{table}.csv")})


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    queries.execute(con, "ingest/set_meta", {"key": key, "value": value})
