"""Loading observations: replace by key, keep history, audit every load, undo a load.

Every write goes through ingest.publish, so a load is one transaction on a draft
that is published atomically, or nothing at all.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

import queries
from ingest.publish import publish

OBSERVATION_COLUMNS = ["measure_id", "area_id", "month", "value", "numerator", "denominator", "status", "publish_after"]


@dataclass(frozen=True)
class LoadResult:
    submission_id: int
    rows_in_file: int
    added: int
    replaced: int
    unchanged: int

    def summary(self) -> str:
        return (f"Submission {self.submission_id}: {self.rows_in_file:,} rows read; {self.added:,} added, "
                f"{self.replaced:,} replaced (previous values kept in history), {self.unchanged:,} unchanged.")


class UndoRefused(RuntimeError):
    pass


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert a DataFrame's rows into a table through its named statement ingest/insert_<table>."""
    queries.execute(con, f"ingest/insert_{table}", frames={f"incoming_{table}": frame})


def next_submission_id(con: duckdb.DuckDBPyConnection) -> int:
    return int(queries.run(con, "ingest/next_submission_id").iloc[0, 0])


def replace_observations(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, submission_id: int) -> tuple[int, int, int]:
    """Insert rows, replacing stored rows with the same measure, area and month.

    Replaced values go to observation_history; identical rows are left alone, so
    loading the same data twice changes nothing. Returns (added, replaced, unchanged).
    """
    frame = rows.copy()
    for column in OBSERVATION_COLUMNS:
        if column not in frame:
            frame[column] = None
    queries.execute(con, "ingest/classify_incoming", frames={"incoming_observations": frame[OBSERVATION_COLUMNS]})
    params = {"submission_id": submission_id}
    queries.execute(con, "ingest/archive_replaced", params)
    queries.execute(con, "ingest/delete_replaced")
    queries.execute(con, "ingest/insert_incoming", params)
    counts = queries.run(con, "ingest/change_counts").iloc[0]
    return int(counts.added), int(counts.replaced), int(counts.unchanged)


def record_submission(con: duckdb.DuckDBPyConnection, *, submission_id: int, kind: str, partner: str | None,
                      file_name: str, sha256: str, loaded_by: str, rows_in_file: int, rows_added: int,
                      rows_replaced: int) -> None:
    insert_frame(con, "submissions", pd.DataFrame([{
        "id": submission_id, "loaded_at": datetime.now(), "loaded_by": loaded_by, "kind": kind, "partner": partner,
        "file_name": file_name, "sha256": sha256, "rows_in_file": rows_in_file, "rows_added": rows_added,
        "rows_replaced": rows_replaced,
    }]))


def load_rows(db_path: Path | str, rows: pd.DataFrame, *, kind: str, partner: str | None, file_name: str,
              sha256: str, loaded_by: str, rows_in_file: int | None = None, before_load=None) -> LoadResult:
    """Load validated rows as one published change with its audit row.

    before_load(con) runs first inside the same transaction (the police.uk importer
    stages its counts there).
    """
    if not loaded_by.strip():
        raise ValueError("Say who is loading the file: the audit records it.")
    with publish(db_path) as con:
        if before_load is not None:
            rows = before_load(con)
        submission_id = next_submission_id(con)
        added, replaced, unchanged = replace_observations(con, rows, submission_id)
        in_file = len(rows) if rows_in_file is None else rows_in_file
        record_submission(con, submission_id=submission_id, kind=kind, partner=partner, file_name=file_name,
                          sha256=sha256, loaded_by=loaded_by.strip(), rows_in_file=in_file, rows_added=added,
                          rows_replaced=replaced)
    return LoadResult(submission_id, in_file, added, replaced, unchanged)


def undo_submission(db_path: Path | str, submission_id: int, *, undone_by: str) -> LoadResult:
    """Take a load back out: remove its rows and restore the values it replaced."""
    if not undone_by.strip():
        raise ValueError("Say who is undoing the load: the audit records it.")
    with publish(db_path) as con:
        params = {"submission_id": submission_id}
        original = queries.run(con, "ingest/submission", params)
        if original.empty:
            raise UndoRefused(f"There is no submission {submission_id}.")
        if original.iloc[0]["kind"] in ("demo", "undo"):
            raise UndoRefused(f"Submission {submission_id} is a {original.iloc[0]['kind']} record and cannot be undone.")
        blockers = queries.run(con, "ingest/undo_blockers", params)["later_submission"].tolist()
        if blockers:
            later = ", ".join(str(int(b)) for b in blockers)
            raise UndoRefused(f"Later loads ({later}) replaced rows of submission {submission_id}; undo those first.")
        removed = queries.execute(con, "ingest/undo_delete", params) or 0
        if removed == 0:
            raise UndoRefused(f"Submission {submission_id} has no rows left to undo (already undone, or it changed nothing).")
        restored = queries.execute(con, "ingest/undo_restore", params) or 0
        queries.execute(con, "ingest/undo_forget_history", params)
        undo_id = next_submission_id(con)
        record_submission(con, submission_id=undo_id, kind="undo", partner=original.iloc[0]["partner"],
                          file_name=f"undo of submission {submission_id} ({original.iloc[0]['file_name']})",
                          sha256=original.iloc[0]["sha256"], loaded_by=undone_by.strip(), rows_in_file=removed,
                          rows_added=restored, rows_replaced=removed)
    return LoadResult(undo_id, removed, restored, removed, 0)
