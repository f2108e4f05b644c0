"""SPC rebase points: stored with who, when and why, applied wherever the series is charted, and
removable by a co-ordinator, the removal kept with who, when and why."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import queries
from access import Actor
from core.errors import LoadRefused
from core.settings import settings
from ingest.loading import who
from ingest.publish import publish


def checked_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise LoadRefused(f"{what} needs a reason (for example, a change in recording practice).")
    limit = settings().max_reason_chars
    if len(reason) > limit:
        raise LoadRefused(f"The reason is {len(reason)} characters long; at most {limit} are allowed. "
                          "Shorten it: the chart shows it beside the line.")
    return reason


def _keys(con, measure_id: str, area_id: str, month: date) -> dict:
    found = queries.run(con, "ingest/spc_rebase_keys", {"measure_id": measure_id, "area_id": area_id, "month": month}).iloc[0]
    if not found["measures"] or not found["areas"]:
        raise LoadRefused(f"Unknown measure {measure_id[:60]!r} or area {area_id[:20]!r}.")
    return found


def add_rebase(db_path: Path | str, *, measure_id: str, area_id: str, month: date, reason: str, actor: Actor) -> None:
    reason = checked_reason(reason, "A rebase")
    created_by = who(actor, "rebase a chart")
    month = date(month.year, month.month, 1)
    with publish(db_path) as con:
        if _keys(con, measure_id, area_id, month)["rebases"]:
            raise LoadRefused(f"There is already a rebase at {month:%Y-%m}; remove it first to change its reason.")
        queries.execute(con, "ingest/add_spc_rebase", {"measure_id": measure_id, "area_id": area_id, "month": month,
                                                       "reason": reason, "created_by": created_by})


def remove_rebase(db_path: Path | str, *, measure_id: str, area_id: str, month: date, reason: str, actor: Actor) -> None:
    """Remove a rebase; it is kept in spc_rebases_removed with who removed it, when and why."""
    reason = checked_reason(reason, "Removing a rebase")
    removed_by = who(actor, "rebase a chart")
    month = date(month.year, month.month, 1)
    params = {"measure_id": measure_id, "area_id": area_id, "month": month}
    with publish(db_path) as con:
        if not _keys(con, measure_id, area_id, month)["rebases"]:
            raise LoadRefused(f"There is no rebase of {measure_id[:60]} in {area_id[:20]} at {month:%Y-%m} to remove.")
        queries.execute(con, "ingest/archive_spc_rebase", {**params, "removed_by": removed_by, "removal_reason": reason})
        queries.execute(con, "ingest/remove_spc_rebase", params)
