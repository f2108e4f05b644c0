"""The Panel paper's settings: the implications and the contact, saved as a new version each time."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd

import queries
from access import Actor, require
from core.errors import LoadRefused
from ingest.loading import insert_frame
from ingest.publish import publish

# What the co-ordinator edits, in the paper's order, with the seed report's wording as the starting text.
FIELDS = {
    "financial": ("Financial", "None"),
    "legal": ("Legal", "None"),
    "equality": ("Equality Impact Assessment", "Completed for the Police and Crime Plan"),
    "risks": ("Risks and Impact", "None identified"),
    "plan_link": ("Link to Police and Crime Plan", "Performance frameworks support the delivery of the Police and Crime Plan"),
    "contact": ("Person to contact", "Planning and Performance Co-ordinator, Office of the Police and Crime Commissioner "
                                     "for Leicester, Leicestershire and Rutland"),
}


def default_settings() -> dict[str, str]:
    return {key: text for key, (_, text) in FIELDS.items()}


def save_paper_settings(db_path: Path | str, *, area_id: str, period_start: date, period_end: date,
                        settings: dict[str, str], actor: Actor) -> int:
    """Store a new version of the settings for an area and period; return its number."""
    saved_by = require(actor, "edit the paper").who
    unknown = set(settings) - set(FIELDS)
    if unknown:
        raise LoadRefused(f"Unknown paper settings: {', '.join(sorted(unknown))}")
    values = {key: str(settings.get(key, "")).strip() for key in FIELDS}
    empty = [FIELDS[key][0] for key, text in values.items() if not text]
    if empty:
        raise LoadRefused(f"Write something for: {', '.join(empty)} (\"None\" is an answer).")
    with publish(db_path) as con:
        version = int(queries.run(con, "ingest/next_paper_settings_version",
                                  {"area_id": area_id, "first": period_start, "last": period_end}).iloc[0, 0])
        insert_frame(con, "paper_settings", pd.DataFrame([{
            "area_id": area_id, "period_start": period_start, "period_end": period_end, "version": version,
            **values, "saved_by": saved_by, "saved_at": datetime.now(),
        }]))
    return version
