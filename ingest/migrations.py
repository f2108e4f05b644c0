"""Upgrading a database built by an earlier version of the dashboard, in place and audited.

Each step is a named script in queries/migrations/ taking one schema version to the next. An upgrade is a
write like any other (ingest/publish.py): the steps run on a copy inside one transaction, the result is
published as a new snapshot, and the file as it was stays behind as the previous snapshot, so nothing is
lost and a running app keeps serving until the new snapshot is live.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

import queries
from access import Actor, require
from core.errors import LoadRefused
from core.schema import SCHEMA_VERSION
from ingest.publish import publish
from ingest.schema import set_meta

# from version -> (to version, script in queries/)
STEPS = {
    "4": ("5", "migrations/to_5"),
    "5": ("6", "migrations/to_6"),
    "6": ("7", "migrations/to_7"),
}


class CannotUpgrade(LoadRefused):
    """The database's version has no path to this version's schema."""


class _AlreadyCurrent(Exception):
    """Raised inside the write to publish nothing: another process upgraded the database first."""


def upgrade_path(found: str | None) -> list[tuple[str, str]]:
    """The steps (to version, script) from `found` to SCHEMA_VERSION; empty when already current.
    Raises CannotUpgrade for a version with no path (newer, unknown or missing)."""
    steps, version = [], found
    while version != SCHEMA_VERSION:
        if version not in STEPS:
            raise CannotUpgrade(f"A database of schema version {found!r} cannot be upgraded to version "
                                f"{SCHEMA_VERSION!r}: no upgrade is known from version {version!r}.")
        version, script = STEPS[version]
        steps.append((version, script))
    return steps


def can_upgrade(found: str | None) -> bool:
    try:
        return bool(upgrade_path(found))
    except CannotUpgrade:
        return False


def _version(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(queries.sql("ingest/get_meta"), {"key": "schema_version"}).fetchone()
    return None if row is None else row[0]


def upgrade(db_path: Path | str, *, actor: Actor) -> list[str]:
    """Bring the database to SCHEMA_VERSION; returns the versions stepped through (empty: it was current).
    Audited in meta (`upgraded_from`, `upgraded_by`)."""
    require(actor, "load data")
    try:
        with publish(db_path) as con:
            found = _version(con)  # read under the writer's lock: another process may have upgraded it first
            steps = upgrade_path(found)
            if not steps:
                raise _AlreadyCurrent
            for _, script in steps:
                queries.execute_script(con, script)
            set_meta(con, "schema_version", SCHEMA_VERSION)
            set_meta(con, "upgraded_from", str(found))
            set_meta(con, "upgraded_by", actor.who)
    except _AlreadyCurrent:
        return []
    return [version for version, _ in steps]
