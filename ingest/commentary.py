"""Narrative commentary: the co-ordinator saves drafts and publishes; every save is a new version."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd

import queries
from ingest.loading import insert_frame
from ingest.publish import publish

STATUSES = ("draft", "published")


def save_commentary(db_path: Path | str, *, priority_id: int, area_id: str, period_start: date, period_end: date,
                    text: str, author: str, status: str) -> int:
    """Store a new version and return its number. Readers see the latest published version."""
    text, author = text.strip(), author.strip()
    if status not in STATUSES:
        raise ValueError(f"status must be draft or published, not {status!r}")
    if not text:
        raise ValueError("The commentary is empty.")
    if not author:
        raise ValueError("Say who wrote the commentary.")
    with publish(db_path) as con:
        ids = queries.run(con, "ingest/next_commentary_ids", {"priority_id": priority_id, "area_id": area_id,
                                                               "first": period_start, "last": period_end}).iloc[0]
        now = datetime.now()
        insert_frame(con, "commentary", pd.DataFrame([{
            "id": int(ids["id"]), "priority_id": priority_id, "measure_id": None, "area_id": area_id,
            "period_start": period_start, "period_end": period_end, "text": text, "author": author, "status": status,
            "version": int(ids["version"]), "created_at": now, "updated_at": now,
        }]))
    return int(ids["version"])
