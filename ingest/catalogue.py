"""The catalogue as data that changes: add, retire or update a measure on a running database.

Each change is checked first (refused in plain words, nothing changed), audited in catalogue_changes with
who, when, what and why, and published as a new snapshot like any other write (ingest/publish.py), so a running
app shows it on its next rerun. A measure added here is a partner's: not synthetic, no data until a return
brings some. A retired measure leaves the Overview, Panel mode, the paper, the explorer and every list of
measures, and is no longer owed on the Returns page; its values, targets and audit rows stay in the database
(nothing is deleted) and a return may still correct its past months.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb

import queries
from access import Actor, require
from core.errors import LoadRefused
from core.settings import settings
from ingest.publish import publish

UNITS = ("count", "percentage", "currency")
POLARITIES = ("increase", "decrease", "neutral")  # which way is better (improvement_direction)
# How each unit is charted and how its months combine; cumulative figures (progress toward a target) have no SPC.
CHARTED = {"count": ("xmr", "sum"), "percentage": ("p", "pooled"), "currency": ("none", "latest")}
CUMULATIVE = ("none", "latest")
FREQUENCY = "monthly"  # every measure in the catalogue is monthly; the returns calendar owes months
MEASURE_ID = re.compile(r"[a-z][a-z0-9_]{2,59}")
MAX_NAME, MAX_PARTNER, MAX_NOTE = 120, 80, 200
# What `update` may change: the words, the polarity and the order. Not the unit, chart or aggregation, which say
# what the values held mean: retire the measure and add a new one instead.
UPDATABLE = ("name", "priority_id", "improvement_direction", "partner", "note", "sort_order")
FIELD_WORDS = {"priority_id": "priority", "improvement_direction": "polarity", "sort_order": "sort order"}


class CatalogueRefused(LoadRefused):
    """A catalogue change that was refused; nothing was changed."""


def _text(value: str | None, what: str, limit: int, *, required: bool = True) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise CatalogueRefused(f"Give the measure's {what}.")
        return None
    if len(value) > limit:
        raise CatalogueRefused(f"The {what} is {len(value)} characters long; at most {limit} are allowed.")
    return value


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise CatalogueRefused(f"The {what} must be {', '.join(allowed[:-1])} or {allowed[-1]}, not {str(value)[:30]!r}.")
    return value


def _measure(con, measure_id: str) -> dict | None:
    found = queries.run(con, "ingest/catalogue_measure", {"measure_id": measure_id})
    return None if found.empty else found.iloc[0].to_dict()


def _existing(con, measure_id: str) -> dict:
    measure = _measure(con, measure_id)
    if measure is None:
        raise CatalogueRefused(f"There is no measure {measure_id[:60]!r} in the catalogue.")
    if not _is_missing(measure["retired_at"]):
        raise CatalogueRefused(f"{measure['name']} ({measure_id}) was retired on {_day(measure['retired_at'])}; "
                               "a retired measure is not changed.")
    return measure


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CatalogueRefused("A catalogue change needs a reason (for example, the board that agreed it).")
    if len(reason) > (limit := settings().max_reason_chars):
        raise CatalogueRefused(f"The reason is {len(reason)} characters long; at most {limit} are allowed.")
    return reason


def _day(moment) -> str:
    return f"{moment.day} {moment:%B %Y}"


def _is_missing(value) -> bool:
    return value is None or value != value  # NaN / NaT


def _priority(con, priority_id) -> int:
    priorities = queries.run(con, "app/priorities")["id"].tolist()
    try:
        number = int(priority_id)
    except (TypeError, ValueError):
        number = None
    if number not in priorities:
        raise CatalogueRefused(f"There is no priority {str(priority_id)[:10]!r}: the priorities are numbered "
                               f"{min(priorities)} to {max(priorities)}.")
    return number


def _unique_name(con, name: str, measure_id: str) -> str:
    taken = queries.run(con, "ingest/measure_named", {"name": name, "measure_id": measure_id})
    if not taken.empty:
        raise CatalogueRefused(f"Measure {taken['id'].iloc[0]} is already called {name!r}; give the measure a name "
                               "of its own (names tell measures apart on every page).")
    return name


def _sort_order(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if number != number or abs(number) == float("inf"):
        raise CatalogueRefused(f"The sort order must be a number, not {str(value)[:20]!r}.")
    return number


def _record(con, measure_id: str, change: str, reason: str, changed_by: str, field: str | None = None,
            old_value=None, new_value=None) -> None:
    queries.execute(con, "ingest/record_catalogue_change", {
        "measure_id": measure_id, "change": change, "field": field,
        "old_value": None if _is_missing(old_value) else str(old_value),
        "new_value": None if _is_missing(new_value) else str(new_value),
        "reason": reason, "changed_by": changed_by})


def add_measure(db_path: Path | str, *, measure_id: str, priority_id, name: str, unit: str, polarity: str,
                partner: str, reason: str, actor: Actor, cumulative: bool = False, force_wide: bool = False,
                note: str | None = None, sort_order=None) -> dict:
    """Add a measure (no data yet) in one published change with its audit row; returns the row as added."""
    changed_by = require(actor, "edit the catalogue").who
    reason = _reason(reason)
    measure_id = (measure_id or "").strip()
    if not MEASURE_ID.fullmatch(measure_id):
        raise CatalogueRefused(f"A measure id is 3 to 60 lower-case letters, digits and underscores, starting with a "
                               f"letter (like domestic_abuse_reports), not {measure_id[:60]!r}.")
    name = _text(name, "name", MAX_NAME)
    unit = _one_of(unit, UNITS, "unit")
    polarity = _one_of(polarity, POLARITIES, "polarity (which way is better)")
    partner = _text(partner, "partner (who sends the data)", MAX_PARTNER)
    note = _text(note, "note", MAX_NOTE, required=False)
    chart_kind, aggregation = CUMULATIVE if cumulative else CHARTED[unit]
    with publish(db_path) as con:
        if (same := _measure(con, measure_id)) is not None:
            retired = "" if _is_missing(same["retired_at"]) else f", retired on {_day(same['retired_at'])}"
            raise CatalogueRefused(f"There is already a measure {measure_id} ({same['name']}{retired}); "
                                   "a new measure needs an id of its own.")
        priority = _priority(con, priority_id)
        row = {"id": measure_id, "priority_id": priority, "name": _unique_name(con, name, measure_id), "unit": unit,
               "improvement_direction": polarity, "partner": partner, "frequency": FREQUENCY,
               "chart_kind": chart_kind, "aggregation": aggregation, "force_wide": bool(force_wide), "note": note,
               "sort_order": _sort_order(sort_order) if sort_order is not None else float(
                   queries.run(con, "ingest/next_sort_order", {"priority_id": priority})["sort_order"].iloc[0])}
        queries.execute(con, "ingest/add_measure", row)
        _record(con, measure_id, "added", reason, changed_by, new_value=json.dumps(row))
    return row


def retire_measure(db_path: Path | str, *, measure_id: str, reason: str, actor: Actor) -> dict:
    """Retire a measure from the next snapshot on (see the module's docstring); returns it as it was."""
    changed_by = require(actor, "edit the catalogue").who
    reason = _reason(reason)
    with publish(db_path) as con:
        measure = _existing(con, measure_id)
        queries.execute(con, "ingest/retire_measure", {"measure_id": measure_id})
        _record(con, measure_id, "retired", reason, changed_by)
    return measure


def update_measure(db_path: Path | str, *, measure_id: str, changes: dict, reason: str, actor: Actor) -> dict:
    """Change some of a measure's UPDATABLE fields; one audit row per field that changes. Returns {field: (old,
    new)} of what changed."""
    changed_by = require(actor, "edit the catalogue").who
    reason = _reason(reason)
    unknown = sorted(set(changes) - set(UPDATABLE))
    if unknown:
        raise CatalogueRefused(f"{', '.join(unknown)} cannot be changed here; a measure's "
                               f"{', '.join(UPDATABLE)} can.")
    if not changes:
        raise CatalogueRefused("Say what to change (for example --name or --polarity).")
    with publish(db_path) as con:
        measure = _existing(con, measure_id)
        new = dict(measure)
        for field, value in changes.items():
            if field == "name":
                new[field] = _unique_name(con, _text(value, "name", MAX_NAME), measure_id)
            elif field == "priority_id":
                new[field] = _priority(con, value)
            elif field == "improvement_direction":
                new[field] = _one_of(value, POLARITIES, "polarity (which way is better)")
            elif field == "partner":
                new[field] = _text(value, "partner (who sends the data)", MAX_PARTNER)
            elif field == "note":
                new[field] = _text(value, "note", MAX_NOTE, required=False)
            else:
                new[field] = _sort_order(value)
        changed = {field: (measure[field], new[field]) for field in UPDATABLE
                   if field in changes and not (_is_missing(measure[field]) and _is_missing(new[field]))
                   and measure[field] != new[field]}
        if not changed:
            raise CatalogueRefused(f"{measure['name']} already has those values; nothing was changed.")
        if (new["improvement_direction"] == "neutral" and measure["chart_kind"] != "none"
                and not _is_missing(measure["target"])):
            raise CatalogueRefused(f"{measure['name']} has a target, which a measure with no better direction cannot "
                                   "have: clear it first (python -m ingest target --target none).")
        queries.execute(con, "ingest/update_measure", {key: None if _is_missing(new[key]) else new[key] for key in (
            "name", "improvement_direction", "partner", "note", "sort_order")} | {"measure_id": measure_id})
        if "priority_id" in changed:
            try:
                queries.execute(con, "ingest/set_measure_priority", {"measure_id": measure_id,
                                                                     "priority_id": new["priority_id"]})
            except duckdb.ConstraintException:
                raise CatalogueRefused(
                    f"{measure['name']} cannot move to another priority: values, targets or audit rows already refer "
                    "to it, and the database cannot move them. Retire it and add a new measure under priority "
                    f"{new['priority_id']} instead.") from None
        for field, (old, value) in changed.items():
            _record(con, measure_id, "updated", reason, changed_by, field, old, value)
    return changed
