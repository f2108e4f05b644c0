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
    queries.execute(con, "ingest/stage_police_uk_lsoa_counts", frames={"incoming_lsoa_counts": counts})


def stage_shipped_lsoa_counts(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    stage_lsoa_counts(con, queries.run(con, "ingest/police_uk_lsoa_counts_from_parquet", {"path": str(path)}))


def derive_observations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every police.uk measure by every area and month in the staged counts."""
    return queries.run(con, "ingest/police_uk_observations")


FORCE_NAME = "Leicestershire Police"
EXPECTED_COLUMNS = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]


class PoliceUkFileError(ValueError):
    pass


def check_file(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Refuse a file that is not a police.uk street-level file for this force. Returns its rows."""
    import gzip

    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig") as handle:
            header = handle.readline().strip().split(",")
    except (OSError, UnicodeDecodeError, EOFError) as error:
        raise PoliceUkFileError(f"{path.name}: not a readable police.uk CSV ({error})") from None
    missing = [c for c in EXPECTED_COLUMNS if c not in header]
    if missing:
        raise PoliceUkFileError(f"{path.name}: not a police.uk street-level file; missing columns {', '.join(missing)}")
    try:
        facts = queries.run(con, "ingest/police_uk_file_check", {"files": [str(path)]}).iloc[0]
    except duckdb.Error as error:
        raise PoliceUkFileError(f"{path.name}: could not be read ({str(error).splitlines()[0]})") from None
    if facts["rows"] == 0:
        raise PoliceUkFileError(f"{path.name}: has no rows")
    others = [f for f in facts["forces"] if f != FORCE_NAME]
    if others:
        raise PoliceUkFileError(f"{path.name}: has rows for {', '.join(others)}, not only {FORCE_NAME}")
    return int(facts["rows"])


def import_files(db_path: Path | str, files: Iterable[Path | str], *, loaded_by: str, progress=None):
    """Import police.uk street files: every police.uk measure for their months, replacing those months."""
    from ingest.loading import load_rows, sha256_bytes, sha256_file

    paths = [Path(f) for f in files]
    if not paths:
        raise PoliceUkFileError("No police.uk files given")
    report = progress or (lambda fraction, message: None)
    reader = duckdb.connect()
    counts, digests, rows = [], [], 0
    for number, path in enumerate(paths, start=1):
        report((number - 1) / (len(paths) + 1), f"Checking and counting {path.name} ({number} of {len(paths)})")
        rows += check_file(reader, path)
        counts.append(lsoa_counts_from_files(reader, [path]))
        digests.append(sha256_file(path))
    all_counts = pd.concat(counts, ignore_index=True)
    all_counts = all_counts.groupby(["month", "lsoa_code", "lsoa_name", "crime_type"], dropna=False, as_index=False)["records"].sum()
    report(len(paths) / (len(paths) + 1), "Deriving every police.uk measure and publishing")

    def derive(con):
        stage_lsoa_counts(con, all_counts)
        return derive_observations(con).assign(status="published", publish_after=None)

    result = load_rows(db_path, pd.DataFrame(), kind="police.uk", partner="Police",
                       file_name=", ".join(p.name for p in paths),
                       sha256=digests[0] if len(digests) == 1 else sha256_bytes("".join(digests).encode()),
                       loaded_by=loaded_by, rows_in_file=rows, before_load=derive)
    report(1.0, result.summary())
    return result
