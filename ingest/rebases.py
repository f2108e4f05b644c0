"""SPC rebase points: stored with who, when and why, and applied wherever the series is charted."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

import queries
from ingest.publish import publish


def add_rebase(db_path: Path | str, *, measure_id: str, area_id: str, month: date, reason: str, created_by: str) -> None:
    reason, created_by = reason.strip(), created_by.strip()
    if not reason:
        raise ValueError("A rebase needs a reason (for example, a change in recording practice).")
    if not created_by:
        raise ValueError("A rebase needs the name of the person making it.")
    month = date(month.year, month.month, 1)
    with publish(db_path) as con:
        try:
            queries.execute(con, "ingest/add_spc_rebase", {
                "measure_id": measure_id, "area_id": area_id, "month": month, "reason": reason, "created_by": created_by,
            })
        except duckdb.ConstraintException as error:
            raise ValueError(f"Unknown measure {measure_id!r} or area {area_id!r}") from error


def remove_rebase(db_path: Path | str, *, measure_id: str, area_id: str, month: date) -> None:
    with publish(db_path) as con:
        queries.execute(con, "ingest/remove_spc_rebase", {"measure_id": measure_id, "area_id": area_id,
                                                          "month": date(month.year, month.month, 1)})
