"""Chart annotations: dated events drawn on the charts of the measures and areas they apply to.

An event is never a rebase: the limits are unchanged, the chart only says what happened. A
co-ordinator adds and removes events; each change is published like a rebase (ingest/publish.py)
and audited: who added it, when and why, and who removed it, when and why (a removed event keeps
its row). The caller (access.Actor) must be a co-ordinator; its identity is recorded as who.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Sequence

import queries
from access import Actor, require
from core.errors import LoadRefused
from core.settings import settings
from ingest.publish import publish

MAX_TEXT = 60  # the chart shows a shortened label; the tooltip shows all of it (schema.sql checks it too)


class AnnotationRefused(LoadRefused):
    """An event that was refused; nothing was changed."""


def _required(value: str, name: str, missing: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise AnnotationRefused(missing)
    if len(value) > limit:
        raise AnnotationRefused(f"Keep the {name} to {limit} characters; it has {len(value)}.")
    return value


def add_annotation(db_path: Path | str, *, month: date, text: str, measure_ids: Sequence[str] | None,
                   area_ids: Sequence[str] | None, reason: str, actor: Actor) -> int:
    """Add an event for the listed measures and areas (None or empty: all of them). Returns its id."""
    text = _required(text, "event's text", "An event needs a short text (for example, Coronavirus restrictions begin).", MAX_TEXT)
    reason = _required(reason, "reason", "Adding an event needs a reason (for example, its source).", settings().max_reason_chars)
    by = require(actor, "annotate a chart").who
    measures = sorted(set(measure_ids)) if measure_ids else None
    areas = sorted(set(area_ids)) if area_ids else None
    with publish(db_path) as con:
        unknown = queries.run(con, "ingest/unknown_catalogue_ids", {"measure_ids": measures or [], "area_ids": areas or []})
        if len(unknown):
            row = unknown.iloc[0]
            raise AnnotationRefused(f"There is no {row['kind']} {row['id']!r}.")
        annotation_id = int(queries.run(con, "ingest/next_chart_annotation_id").iloc[0]["id"])
        queries.execute(con, "ingest/add_chart_annotation", {
            "id": annotation_id, "month": date(month.year, month.month, 1), "text": text, "measure_ids": measures,
            "area_ids": areas, "reason": reason, "created_by": by,
        })
    return annotation_id


def remove_annotation(db_path: Path | str, *, annotation_id: int, reason: str, actor: Actor) -> None:
    """Take an event off the charts; its row stays, with who removed it, when and why."""
    reason = _required(reason, "reason", "Removing an event needs a reason.", settings().max_reason_chars)
    by = require(actor, "annotate a chart").who
    with publish(db_path) as con:
        found = queries.run(con, "ingest/chart_annotation", {"id": int(annotation_id)})
        if found.empty:
            raise AnnotationRefused(f"There is no event number {annotation_id}.")
        if found["removed_at"].notna().iloc[0]:
            raise AnnotationRefused(f"The event {found['text'].iloc[0]!r} has already been removed.")
        queries.execute(con, "ingest/remove_chart_annotation", {"id": int(annotation_id), "reason": reason,
                                                                "removed_by": by})
