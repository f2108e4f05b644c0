"""police.uk street-level files -> LSOA counts -> measures for every area.

One derivation path serves the demo build (from the shipped Parquet) and the
importer (from raw files): both stage LSOA counts by force in the temp table
``police_uk_lsoa_counts`` and run ``queries/ingest/police_uk_observations.sql``.
Raw files are read by ingest/police_uk_files.py in the file checker's process:
every name is one file (never a pattern), each file holds one force's records, and a
run refuses a repeated file or a force's month twice. The forces accepted are the
database's (police_uk_forces in the catalogue); the demo has one, Leicestershire Police.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import queries
from access import Actor, require
from core.settings import Settings, settings
from ingest.isolation import run_checked
from ingest.loading import LoadResult, load_rows, loaded_totals, sha256_file
from ingest.police_uk_files import EXPECTED_COLUMNS, FORCE_NAME, PoliceUkFileError, check_file_size, count_files

__all__ = ["EXPECTED_COLUMNS", "FORCE_NAME", "PoliceUkFileError", "import_files", "check_files", "load_checked"]


def lsoa_counts_from_files(con: duckdb.DuckDBPyConnection | None, files: Iterable[Path | str]) -> pd.DataFrame:
    """The demo force's monthly record counts by LSOA and crime type, read from its raw police.uk files
    (each path is one file): the shipped compact form."""
    paths = [Path(f) for f in files]
    if not paths:
        raise PoliceUkFileError("No police.uk files were given.")
    counted = count_files([(str(p), p.name) for p in paths], settings(), date.today(), frozenset({FORCE_NAME}))
    return merge_counts([c.counts for c in counted])


COUNT_KEYS = ["month", "lsoa_code", "lsoa_name", "crime_type"]
CHECK_MEASURES = ("all_crime",)  # the figure an import reports month by month, to check against police.uk


def merge_counts(frames: list[pd.DataFrame], keys: list[str] = COUNT_KEYS) -> pd.DataFrame:
    merged = pd.concat(frames, ignore_index=True).groupby(keys, dropna=False, as_index=False)["records"].sum()
    return merged.sort_values(keys, na_position="first").reset_index(drop=True)


def counts_by_force(counted) -> pd.DataFrame:
    """Files' counts (police_uk_files.FileCounts) merged, with each file's force as a column."""
    return merge_counts([c.counts.assign(force=c.force) for c in counted], ["force", *COUNT_KEYS])


def write_lsoa_counts(counts: pd.DataFrame, out: Path) -> None:
    """Write the compact derived form shipped in data/ (sorted, so reruns are byte-stable)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(counts.reset_index(drop=True), preserve_index=False)
    pq.write_table(table, out, compression="zstd")


def stage_lsoa_counts(con: duckdb.DuckDBPyConnection, counts: pd.DataFrame) -> None:
    """Put LSOA counts (with the police.uk force of each row) where the shared derivation reads them."""
    queries.execute(con, "ingest/stage_police_uk_lsoa_counts", frames={"incoming_lsoa_counts": counts})


def stage_shipped_lsoa_counts(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The shipped counts are the demo force's records."""
    counts = queries.run(con, "ingest/police_uk_lsoa_counts_from_parquet", {"path": str(path)})
    stage_lsoa_counts(con, counts.assign(force=FORCE_NAME))


def refuse_unknown_forces(con: duckdb.DuckDBPyConnection, checked: "CheckedPoliceUk") -> None:
    """Every force in the files must be in the database's catalogue, or the records would have no area."""
    known = set(queries.run(con, "ingest/police_uk_forces")["name"])
    unknown = sorted(set(checked.counts["force"]) - known)
    if unknown:
        accepted = ", ".join(sorted(known)) if len(known) <= 3 else f"the {len(known)} forces in the catalogue"
        raise PoliceUkFileError(f"{', '.join(checked.names)}: rows for {', '.join(u[:60] for u in unknown)}, "
                                f"not only {accepted}; nothing was imported.")


def refuse_uncounted_crime_types(con: duckdb.DuckDBPyConnection, checked: "CheckedPoliceUk") -> None:
    """Every crime type in the files must be one a measure counts, or its records would count only toward all crime.
    (The checker refuses any type outside police.uk's with its row; this holds a catalogue that names fewer.)"""
    known = set(queries.run(con, "ingest/police_uk_crime_types")["crime_type"])
    uncounted = sorted(set(checked.counts["crime_type"]) - known)
    if uncounted:
        raise PoliceUkFileError(f"{', '.join(checked.names)}: records of {', '.join(repr(t[:60]) for t in uncounted)}, "
                                "a crime type no measure in the catalogue counts; nothing was imported.")


def refuse_small_months(con: duckdb.DuckDBPyConnection, checked: "CheckedPoliceUk", fraction: float) -> None:
    """A police.uk file is a force's whole month: one far smaller than the force's months already held looks
    incomplete (a 5-row file would otherwise publish a month of near-zeros). Staged counts must be in place."""
    small = queries.run(con, "ingest/police_uk_small_months", {"fraction": fraction})
    if small.empty:
        return
    first = small.iloc[0]
    more = f" (and {len(small) - 1} more month{'s' if len(small) > 2 else ''} like it)" if len(small) > 1 else ""
    raise PoliceUkFileError(
        f"{', '.join(checked.names)}: {first['force'][:60]} {pd.Timestamp(first['month']):%Y-%m} holds "
        f"{int(first['records']):,} records; this force's months held so far have a median of "
        f"{first['median_records']:,.0f}; a police.uk month file is the whole month, so this looks incomplete{more}. "
        "Nothing was imported. If the month really is this small, import it again allowing small months "
        "(--allow-small on the command line, or the tick box on the Data page).")


def derive_observations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every police.uk measure by every area and month in the staged counts."""
    return queries.run(con, "ingest/police_uk_observations")


@dataclass(frozen=True)
class CheckedPoliceUk:
    """police.uk files that passed every check, counted and ready to load."""

    names: tuple[str, ...]
    sha256: str
    rows: int
    months: tuple[str, ...]
    counts: pd.DataFrame
    check_seconds: float
    check_peak_bytes: int
    allow_small: bool = False  # the operator says a month far below the force's usual is real


def _refuse_repeats(names: list[str], digests: list[str], months: list[tuple[str, ...]] | None = None) -> None:
    """A run holds each file and each force's month once: a repeat would be counted twice.
    months: each file's months, each prefixed with its force when the run holds several forces."""
    seen: dict[str, str] = {}
    for name, digest in zip(names, digests):
        if digest in seen:
            same = "is the same file as" if name != seen[digest] else "was given twice:"
            raise PoliceUkFileError(f"{name} {same} {seen[digest]} (identical content); each file may be imported once "
                                    "per run. Nothing was imported.")
        seen[digest] = name
    if months is None:
        return
    owner: dict[str, str] = {}
    for name, file_months in zip(names, months):
        for month in file_months:
            if month in owner:
                raise PoliceUkFileError(f"{month} is in both {owner[month]} and {name}; a month may come from one file "
                                        "per run, or it would be counted twice. Nothing was imported.")
            owner[month] = name


def check_files(files: list[tuple[Path | str, str]], *, limits: Settings | None = None, today: date | None = None,
                progress=None, forces: Iterable[str] | None = None, allow_small: bool = False) -> CheckedPoliceUk:
    """Check and count police.uk files in the file checker's process.

    `files` are (path, name) pairs: the path is read as that one file, the name is what
    messages and the audit call it (an upload's own name). forces: the police.uk force names
    accepted; None accepts any, and loading refuses a force the database does not hold.
    Raises PoliceUkFileError.
    """
    limits = limits or settings()
    report = progress or (lambda fraction, message: None)
    if not files:
        raise PoliceUkFileError("No police.uk files were given.")
    paths = [Path(p) for p, _ in files]
    names = [Path(n).name or "a file with no name" for _, n in files]
    for path, name in zip(paths, names):
        if not path.is_file():
            raise PoliceUkFileError(f"{name}: there is no such file. Nothing was imported.")
        check_file_size(path.stat().st_size, name, limits)
    report(0.05, f"Checking {len(paths)} file{'s' if len(paths) != 1 else ''}")
    digests = [sha256_file(p) for p in paths]
    _refuse_repeats(names, digests)
    accepted = None if forces is None else frozenset(forces)
    checked = run_checked("police_uk", [(str(p), n) for p, n in zip(paths, names)], limits, today or date.today(),
                          accepted, limits=limits)
    counted = checked.value
    several = len({c.force for c in counted}) > 1
    _refuse_repeats(names, digests, [tuple(f"{c.force} {m}" if several else m for m in c.months) for c in counted])
    digest = digests[0] if len(digests) == 1 else hashlib.sha256("".join(digests).encode()).hexdigest()
    months = tuple(sorted({m for c in counted for m in c.months}))
    return CheckedPoliceUk(tuple(names), digest, sum(c.rows for c in counted), months, counts_by_force(counted),
                           checked.seconds, checked.peak_bytes, allow_small)


def load_checked(db_path: Path | str, checked: CheckedPoliceUk, *, actor: Actor, confirmed: bool | str = False,
                 progress=None) -> LoadResult:
    """Derive every police.uk measure for the checked months and load them (see load_rows for `confirmed`)."""
    report = progress or (lambda fraction, message: None)
    report(0.5, "Deriving every police.uk measure and publishing")

    def derive(con):
        refuse_unknown_forces(con, checked)
        refuse_uncounted_crime_types(con, checked)
        stage_lsoa_counts(con, checked.counts)
        if not checked.allow_small:
            refuse_small_months(con, checked, settings().police_uk_small_month_fraction)
        return derive_observations(con).assign(status="published", publish_after=None)

    result = load_rows(db_path, pd.DataFrame(), kind="police.uk", partner="Police", file_name=", ".join(checked.names),
                       sha256=checked.sha256, actor=actor, rows_in_file=checked.rows, before_load=derive,
                       confirmed=confirmed)
    report(1.0, "Published")  # the caller says what was loaded, once
    return dataclasses.replace(result, months=checked.months)


def loaded_words(con, months) -> str:
    """The months imported and the force's all recorded crime in each, to check against police.uk."""
    return loaded_totals(con, CHECK_MEASURES, months)


def import_files(db_path: Path | str, files: Iterable[Path | str | tuple[Path | str, str]], *, actor: Actor,
                 confirmed: bool | str = False, progress=None, limits: Settings | None = None,
                 allow_small: bool = False) -> LoadResult:
    """Import police.uk street files: every police.uk measure for their months, replacing those months.

    Each item is a path (named by its file name) or a (path, name) pair. allow_small: load a month far
    smaller than the force's usual (refused otherwise as looking incomplete).
    """
    require(actor, "load data")  # before reading any file
    pairs = [item if isinstance(item, tuple) else (item, Path(item).name) for item in files]
    checked = check_files(pairs, limits=limits, progress=progress, allow_small=allow_small)
    return load_checked(db_path, checked, actor=actor, confirmed=confirmed, progress=progress)
