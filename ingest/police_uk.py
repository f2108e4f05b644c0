"""police.uk street-level files -> LSOA counts -> measures for every area.

One derivation path serves the demo build (from the shipped Parquet) and the
importer (from raw files): both stage LSOA counts in the temp table
``police_uk_lsoa_counts`` and run ``queries/ingest/police_uk_observations.sql``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import queries

def lsoa_counts_from_files(con: duckdb.DuckDBPyConnection, files: Iterable[Path | str]) -> pd.DataFrame:
    """Monthly record counts by LSOA and crime type, read from raw police.uk files."""
    paths = [str(f) for f in files]
    if not paths:
        raise ValueError("No police.uk files given")
    return queries.run(con, "ingest/police_uk_lsoa_counts_from_csv", {"files": paths})


def write_lsoa_counts(counts: pd.DataFrame, out: Path) -> None:
    """Write the compact derived form shipped in data/ (sorted, so reruns are byte-stable)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(counts.reset_index(drop=True), preserve_index=False)
    pq.write_table(table, out, compression="zstd")


def stage_lsoa_counts(con: duckdb.DuckDBPyConnection, counts: pd.DataFrame) -> None:
    """Put LSOA counts where the shared derivation reads them."""
    con.register("incoming_lsoa_counts", counts)
    try:
        queries.execute(con, "ingest/stage_police_uk_lsoa_counts")
    finally:
        con.unregister("incoming_lsoa_counts")


def stage_shipped_lsoa_counts(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    stage_lsoa_counts(con, queries.run(con, "ingest/police_uk_lsoa_counts_from_parquet", {"path": str(path)}))


def derive_observations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every police.uk measure by every area and month in the staged counts."""
    return queries.run(con, "ingest/police_uk_observations")
