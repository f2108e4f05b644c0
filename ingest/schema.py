"""Create the schema, load the catalogue, and check a database's schema version."""
from __future__ import annotations

from pathlib import Path

import duckdb

import queries
from ingest import CATALOGUE_DIR

SCHEMA_VERSION = "6"  # 4: police_uk_forces, chart_annotations, paper_settings; 5: availability by area, availability_changes;
# 6: measures.retired_at, catalogue_changes
CATALOGUE_TABLES = ("priorities", "areas", "measures", "police_uk_forces")  # in foreign-key order


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    queries.execute_script(con, "schema")
    set_meta(con, "schema_version", SCHEMA_VERSION)


def load_catalogue(con: duckdb.DuckDBPyConnection, folder: Path = CATALOGUE_DIR) -> None:
    """Load the catalogue's CSV files (one per table in CATALOGUE_TABLES) from a folder: the shipped one,
    or another area set (the national benchmark's)."""
    for table in CATALOGUE_TABLES:
        queries.execute(con, f"ingest/load_{table}", {"path": str(Path(folder) / f"{table}.csv")})


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    queries.execute(con, "ingest/set_meta", {"key": key, "value": value})
