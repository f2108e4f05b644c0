"""Why data is not available: a co-ordinator sets or clears the reason for a measure, an area (or every
area) and a run of months, audited with who and when (availability_changes).

The reason is a data-availability note, which the Overview, Panel mode, the paper and the Returns
page already read. Notes of one measure and area never overlap: a new note takes its months from
any note it overlaps, whose months either side are kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

import queries
from access import Actor, require
from core.errors import LoadRefused
from core.settings import settings
from ingest.loading import insert_frame
from ingest.publish import publish

# The states a co-ordinator may give: still owed by the partner, or not expected at all.
STATES = ("not yet received", "nationally unavailable", "in development")
NOTE_COLUMNS = ["priority_id", "measure_id", "period_start", "period_end", "state", "reason", "state_date", "area_id"]


class AvailabilityRefused(LoadRefused):
    """An availability change that was refused; nothing was changed."""


@dataclass(frozen=True)
class AvailabilityChange:
    measure_id: str
    area_id: str | None
    first: date
    last: date
    state: str | None  # None: cleared
    reason: str | None
    replaced: str


def month_start(value: date | str | pd.Period) -> date:
    return pd.Period(value, "M").start_time.date()


def trimmed(notes: pd.DataFrame, first: date, last: date) -> tuple[pd.DataFrame, list[str]]:
    """The notes with the months first..last taken out (a note across them keeps its months either side),
    and the overlapped notes in words."""
    kept, replaced = [], []
    for note in notes.to_dict("records"):
        start = month_start(note["period_start"])
        end = None if pd.isna(note["period_end"]) else month_start(note["period_end"])
        if start > last or (end is not None and end < first):
            kept.append(note)
            continue
        replaced.append(f"{note['state']} from {start:%Y-%m}{'' if end is None else f' to {end:%Y-%m}'}: {note['reason']}")
        if start < first:
            kept.append({**note, "period_end": (pd.Period(first, "M") - 1).start_time.date()})
        if end is None or end > last:
            kept.append({**note, "period_start": (pd.Period(last, "M") + 1).start_time.date()})
    return pd.DataFrame(kept, columns=NOTE_COLUMNS), replaced


def set_availability(db_path: Path | str, *, measure_id: str, area_id: str | None, first, last, reason: str | None,
                     actor: Actor, state: str = "not yet received", clear: bool = False) -> AvailabilityChange:
    """Set why a measure's data is not available for an area (None: every area) and the months first..last,
    or clear it (clear=True), in one published change with its audit row."""
    changed_by = require(actor, "edit availability").who
    first, last = month_start(first), month_start(last)
    if last < first:
        raise AvailabilityRefused(f"The months run backwards: {first:%Y-%m} is after {last:%Y-%m}.")
    reason = None if clear else (reason or "").strip()
    if not clear:
        if not reason:
            raise AvailabilityRefused("Say why the data is not available: the reason is shown wherever the figure "
                                      "is missing.")
        limit = settings().max_reason_chars
        if len(reason) > limit:
            raise AvailabilityRefused(f"Keep the reason to {limit} characters; it has {len(reason)}.")
        if state not in STATES:
            raise AvailabilityRefused(f"The state must be one of {', '.join(STATES)}, not {state[:40]!r}.")
    with publish(db_path) as con:
        measure = queries.run(con, "app/measure", {"measure_id": measure_id})
        if measure.empty:
            raise AvailabilityRefused(f"There is no measure {measure_id[:60]!r}.")
        if area_id is not None and area_id not in set(queries.run(con, "ingest/area_ids")["id"]):
            raise AvailabilityRefused(f"There is no area {area_id[:40]!r}.")
        notes = queries.run(con, "ingest/availability_notes_for", {"measure_id": measure_id, "area_id": area_id})
        kept, replaced = trimmed(notes, first, last)
        if clear and not replaced:
            raise AvailabilityRefused(f"{measure.iloc[0]['name']} has no availability note for those months to clear.")
        if not clear:
            kept = pd.concat([kept, pd.DataFrame([{
                "priority_id": int(measure.iloc[0]["priority_id"]), "measure_id": measure_id, "period_start": first,
                "period_end": last, "state": state, "reason": reason, "state_date": None, "area_id": area_id}])],
                ignore_index=True)
        queries.execute(con, "ingest/delete_availability_notes", {"measure_id": measure_id, "area_id": area_id})
        if len(kept):
            insert_frame(con, "data_availability", kept.astype({"period_start": "datetime64[s]",
                                                                "period_end": "datetime64[s]",
                                                                "state_date": "datetime64[s]"}))
        queries.execute(con, "ingest/record_availability_change", {
            "measure_id": measure_id, "area_id": area_id, "period_start": first, "period_end": last,
            "state": None if clear else state, "reason": reason, "replaced": "; ".join(replaced),
            "changed_by": changed_by})
    return AvailabilityChange(measure_id, area_id, first, last, None if clear else state, reason, "; ".join(replaced))
