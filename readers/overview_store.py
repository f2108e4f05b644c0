"""The Overview tables of a snapshot, kept on disk beside the database and shared by every replica and session.

The load benchmark's slow clicks (issue #22) were the first read of an area and quarter, which each replica
built for itself (about 0.2-0.3 s of CPU, against 40 ms for a table read before). A table is kept under its
snapshot (path, inode, size, mtime: a published snapshot never changes), the visibility it was read with and its
arguments, so a kept table is the one building it would give. Files are written whole and then renamed, so a
reader never sees half of one; they are written by the app's own processes only, into a folder beside the
database (whoever may replace the database may replace them).

    python -m readers.overview_store SNAPSHOT DATABASE RELEASED_THROUGH INCLUDE_PROVISIONAL

builds the table of every area for every quarter (all priorities, the default small-numbers rule: what a visitor
sees first), newest quarter first, skipping those kept, at the lowest CPU priority and on one DuckDB thread so
that the servers' clicks come first. One such warm-up runs at a time for a database (a lock file); the app
starts it once a snapshot is first served (components/overview_data.py). It also removes the folders of other
snapshots.
"""
from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd

import access
import dashboard_data
import datastore
import queries
from analysis import calendar
from analysis.rag import SMALL_SAMPLE
from core.folders import kept_beside

SUFFIX = ".overview-cache"


def cache_folder(database: Path) -> Path:
    """Where the Overview tables of a database are kept (core.folders.kept_beside)."""
    return kept_beside(database, SUFFIX)


def digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def fingerprinted_files() -> list[Path]:
    """The code and settings files a table is built by."""
    root = OverviewStore.project_root
    return sorted([*(root / name for name in ("dashboard_data.py", "access.py", "datastore.py")),
                   *(root / "core").glob("*.py"), root / "core" / "settings.toml", *(root / "analysis").glob("*.py"),
                   *(root / "readers").glob("*.py"), *(root / "ingest").glob("*.py"), *(root / "queries").rglob("*.py"),
                   *(root / "queries").rglob("*.sql")])


@functools.cache
def code_fingerprint() -> str:
    """The code and settings a table is built by: a kept table is never served by other code (after a deploy)."""
    return digest(pd.__version__, *(hashlib.sha256(f.read_bytes()).hexdigest() for f in fingerprinted_files()),
                  *(Path(f).read_bytes() for f in [os.environ.get("DASHBOARD_INGEST_SETTINGS", "")] if f and Path(f).is_file()))


def snapshot_name(version: datastore.DataVersion) -> str:
    return digest(version.path, version.inode, version.size, version.mtime_ns, code_fingerprint())


def table_name(visibility: access.Visibility, *, area_id: str, area_name: str, period: calendar.Period,
               priority_id: int | None = None, small_sample: int = SMALL_SAMPLE) -> str:
    """What a table is kept by within its snapshot's folder: everything dashboard_data.overview reads it with."""
    return digest(visibility.released_through.isoformat(), visibility.include_provisional, area_id, area_name,
                  period.key, priority_id, small_sample, dashboard_data.disclosure_threshold()) + ".pickle"


class OverviewStore:
    """The kept tables of one database (all its snapshots), in `folder`."""

    project_root = Path(__file__).resolve().parent.parent  # where `python -m readers.overview_store` runs

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path(self, version: datastore.DataVersion, name: str) -> Path:
        return self.folder / snapshot_name(version) / name

    def get(self, version: datastore.DataVersion, name: str) -> pd.DataFrame | None:
        try:
            with open(self.path(version, name), "rb") as kept:
                return pickle.load(kept)
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - a file that cannot be read is built again, never shown
            return None

    def put(self, version: datastore.DataVersion, name: str, table: pd.DataFrame) -> None:
        path = self.path(version, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as part:
            pickle.dump(table, part, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part.name, path)

    def forget_others(self, version: datastore.DataVersion) -> None:
        """Remove the folders of every snapshot but this one (no session reads them once this one is served)."""
        keep = snapshot_name(version)
        for folder in self.folder.iterdir():
            if folder.is_dir() and folder.name != keep:
                shutil.rmtree(folder, ignore_errors=True)

    def read(self, cur, version: datastore.DataVersion, **arguments) -> pd.DataFrame:
        """The kept table, or the one built now through cur (and kept, for the other replicas)."""
        name = table_name(cur.visibility, **arguments)
        table = self.get(version, name)
        if table is None:
            table = dashboard_data.overview(cur, **arguments)
            self.put(version, name, table)
        return table


def quarters_of(cur) -> list[calendar.Period]:
    """The quarters of the Quarter filter, newest first (components/filters.py's FilterOptions.quarters)."""
    span = queries.run(cur, "app/month_span").iloc[0]
    first, last = pd.Period(span.first_month, freq="M"), pd.Period(span.last_month, freq="M")
    return list(reversed(calendar.quarters_between(first, last)))


def warm(store: OverviewStore, snapshot: Path, visibility: access.Visibility) -> int:
    """Build and keep every area's table for every quarter of the snapshot, newest quarter first, as `visibility`
    allows; returns how many were built (0 when another warm-up of this database is running)."""
    with open(store.folder / "warming.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0
        version = datastore.data_version(snapshot)
        store.forget_others(version)
        con = datastore.open_read_only(snapshot)
        con.execute("SET threads = 1")
        cur = datastore.reader(con, visibility, derived={})
        built = 0
        try:
            areas = dashboard_data.areas(cur)
            for period in quarters_of(cur):
                for area_id, area_name in areas.items():
                    arguments = {"area_id": area_id, "area_name": area_name, "period": period}
                    if store.get(version, table_name(visibility, **arguments)) is None:
                        store.read(cur, version, **arguments)
                        built += 1
        finally:
            cur.close()
            con.close()
        return built


def main(argv: list[str]) -> int:
    snapshot, database, released_through, include_provisional = argv
    os.nice(19)  # the servers' clicks first
    visibility = access.Visibility(date.fromisoformat(released_through), include_provisional == "true")
    warm(OverviewStore(cache_folder(Path(database))), Path(snapshot), visibility)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
