"""Narrative commentary: a co-ordinator saves drafts and publishes; every save is a new version.

A commentary belongs to a priority (or one measure of it), an area and the exact period it
was written for. Two editors never overwrite each other silently: a save names the version
it started from, and if someone saved a newer one meanwhile, the save is refused with that
newer text, so nothing is lost.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd

import queries
from access import Actor, require
from core.errors import LoadRefused
from ingest.loading import insert_frame
from ingest.publish import publish

STATUSES = ("draft", "published")
MAX_TEXT = 5000


class CommentaryConflict(LoadRefused):
    """Someone saved a newer version since this editor started; `newer` is that version's row."""

    def __init__(self, message: str, newer: dict):
        super().__init__(message)
        self.newer = newer


def save_commentary(db_path: Path | str, *, priority_id: int, area_id: str, period_start: date, period_end: date,
                    text: str, status: str, actor: Actor, measure_id: str | None = None,
                    based_on_version: int | None = None) -> int:
    """Store a new version and return its number. Readers see the latest published version.

    based_on_version: the version the editor started from (None for a new commentary).
    """
    author = require(actor, "write commentary").who
    text = text.strip()
    if status not in STATUSES:
        raise LoadRefused(f"status must be draft or published, not {status!r}")
    if not text:
        raise LoadRefused("The commentary is empty.")
    if len(text) > MAX_TEXT:
        raise LoadRefused(f"The commentary is {len(text):,} characters long; at most {MAX_TEXT:,} are kept.")
    key = {"priority_id": priority_id, "measure_id": measure_id, "area_id": area_id, "first": period_start,
           "last": period_end}
    with publish(db_path) as con:
        versions = queries.run(con, "app/commentary_versions", key)
        latest = None if versions.empty else int(versions.iloc[0]["version"])
        if latest != based_on_version:
            newer = versions.iloc[0].to_dict()
            raise CommentaryConflict(
                f"{newer['author']} saved version {latest} while you were editing"
                + (f" version {based_on_version}" if based_on_version else "")
                + ". Nothing was overwritten: your text is still in the box; compare it with theirs below, "
                "then save again.", newer)
        ids = queries.run(con, "ingest/next_commentary_ids", key).iloc[0]
        now = datetime.now()
        insert_frame(con, "commentary", pd.DataFrame([{
            "id": int(ids["id"]), "priority_id": priority_id, "measure_id": measure_id, "area_id": area_id,
            "period_start": period_start, "period_end": period_end, "text": text, "author": author, "status": status,
            "version": int(ids["version"]), "created_at": now, "updated_at": now,
        }]))
    return int(ids["version"])
