"""Targets: a co-ordinator sets or clears a measure's target, audited with who, when and why."""
from __future__ import annotations

import math
from pathlib import Path

import queries
from access import Actor, require
from core.errors import LoadRefused
from core.settings import settings
from ingest.publish import publish


class TargetRefused(LoadRefused):
    """A target change that was refused; nothing was changed."""


def set_target(db_path: Path | str, *, measure_id: str, target: float | None, reason: str, actor: Actor) -> None:
    """Set the measure's target (None clears it) in one published change with its audit row."""
    changed_by = require(actor, "set a target").who
    reason = reason.strip()
    if not reason:
        raise TargetRefused("A target change needs a reason (for example, the board that agreed it).")
    if len(reason) > (limit := settings().max_reason_chars):
        raise TargetRefused(f"Keep the reason to {limit} characters; it has {len(reason)}.")
    if target is not None and not math.isfinite(target):
        raise TargetRefused("The target must be a number.")
    with publish(db_path) as con:
        measure = queries.run(con, "app/measure", {"measure_id": measure_id})
        if measure.empty:
            raise TargetRefused(f"There is no measure {measure_id!r}.")
        row = measure.iloc[0]
        if row["chart_kind"] != "none" and row["improvement_direction"] == "neutral" and target is not None:
            raise TargetRefused(f"{row['name']} has no improvement direction, so a target could not be assured.")
        if row["unit"] == "percentage" and target is not None and not 0 <= target <= 100:
            raise TargetRefused("A percentage target lies between 0 and 100.")
        queries.execute(con, "ingest/record_target_change", {"measure_id": measure_id, "target": target,
                                                             "reason": reason, "changed_by": changed_by})
        queries.execute(con, "ingest/set_target", {"measure_id": measure_id, "target": target})
