"""Reading police.uk street-level files in plain Python: one named file at a time, never a pattern.

A name such as ``*.csv`` is just a name here (DuckDB's read_csv would expand it as a
glob). Files are streamed, so memory stays small whatever their size, and each is
limited in bytes, uncompressed bytes and rows. Runs in the file checker's process.
"""
from __future__ import annotations

import csv
import gzip
import io
import operator
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from core.errors import LoadRefused
from core.settings import Settings, size_text

FORCE_NAME = "Leicestershire Police"  # the demo's force: the shipped counts are its records
EXPECTED_COLUMNS = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
COUNT_COLUMNS = ["month", "lsoa_code", "lsoa_name", "crime_type", "records"]
# police.uk's crime types, as the catalogue's measures name them (measures.police_uk_crime_type): a record of
# any other type would count only toward all crime, so a file holding one is refused (loading checks the
# database's catalogue names them all too).
CRIME_TYPES = frozenset({
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs", "Other crime",
    "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting", "Theft from the person",
    "Vehicle crime", "Violence and sexual offences"})
MONTH_PATTERN = "%Y-%m"


class PoliceUkFileError(LoadRefused):
    pass


@dataclass(frozen=True)
class FileCounts:
    """What one file holds: its force, rows, months and records counted by month, LSOA and crime type."""

    name: str
    rows: int
    months: tuple[str, ...]
    counts: pd.DataFrame
    force: str  # police.uk's name for the force whose records these are ("Falls within")


class _LimitedReader(io.RawIOBase):
    """Counts the bytes read through it and stops at a limit (a gzip bomb ends here). It also notes a NUL
    byte (one scan of each block, in C), so the records are searched for one only when there is one."""

    def __init__(self, raw, limit: int, name: str):
        self.raw, self.limit, self.name, self.read_bytes = raw, limit, name, 0
        self.nul_seen = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        self.read_bytes += len(data)
        if self.read_bytes > self.limit:
            raise PoliceUkFileError(f"{self.name}: is larger than {size_text(self.limit)} uncompressed, the limit for a "
                                    "police.uk file; nothing was imported.")
        if b"\x00" in data:
            self.nul_seen = True
        buffer[: len(data)] = data
        return len(data)


def _month(text: str, name: str, row: int, limits: Settings, today: date) -> str:
    try:
        parsed = datetime.strptime(text.strip(), MONTH_PATTERN)
        month = pd.Period(year=parsed.year, month=parsed.month, freq="M")
    except ValueError:
        shown = text.strip()[:20]
        raise PoliceUkFileError(f"{name}: row {row}, Month: {shown!r} is not a month written YYYY-MM; "
                                "nothing was imported.") from None
    problem = limits.month_range_problem(month, today)
    if problem:
        raise PoliceUkFileError(f"{name}: row {row}, Month: {month} {problem}; nothing was imported.")
    return str(month)


def check_file_size(size: int, name: str, limits: Settings) -> None:
    if size > limits.police_uk_max_bytes:
        raise PoliceUkFileError(f"{name}: is {size_text(size)}, over the {size_text(limits.police_uk_max_bytes)} limit "
                                "for a police.uk file; nothing was imported.")


def _force_problem(force: str, file_force: str | None, forces: frozenset[str] | None) -> str | None:
    """Why a row's force cannot be in this file, or None. A file holds one force's records, as police.uk
    publishes them; with `forces` given, that force must be one of them (the catalogue's forces)."""
    shown = force[:60] or "no force"
    if file_force is not None:
        return None if force == file_force else f"has rows for {shown}, not only {file_force}"
    if not force:
        return "has rows for no force (Falls within is empty)"
    if forces is not None and force not in forces:
        accepted = ", ".join(sorted(forces)) if len(forces) <= 3 else f"the {len(forces)} forces in the catalogue"
        return f"has rows for {shown}, not only {accepted}"
    return None


def _crime_type_problem(crime_type: str, crime_types: frozenset[str]) -> str | None:
    """Why a record's crime type cannot be counted, or None (surrounding spaces are stripped later)."""
    if crime_type.strip() in crime_types:
        return None
    if "\x00" in crime_type:
        return "Crime type: contains a NUL character"
    return (f"Crime type: {crime_type.strip()[:60]!r} is not one of police.uk's crime types "
            f"({', '.join(sorted(crime_types))})")


def _nul_problem(record: list[str], header: list[str]) -> str | None:
    for column, field in zip(header, record):
        if "\x00" in field:
            return f"{column[:40]}: contains a NUL character, which a police.uk file never holds"
    return None


def count_file(path: Path | str, name: str, limits: Settings, today: date,
               forces: frozenset[str] | None = None, crime_types: frozenset[str] = CRIME_TYPES) -> FileCounts:
    """Check one police.uk file and count its records (see queries/ingest/police_uk_observations.sql).

    forces: the police.uk force names accepted; None accepts any one force per file, which loading then
    checks against the database's catalogue (police_uk_forces). crime_types: the types a record may have.
    """
    path = Path(path)
    file_force = None
    check_file_size(path.stat().st_size, name, limits)
    counts: Counter = Counter()
    months: set[str] = set()
    rows = 0
    try:
        with open(path, "rb") as handle:
            compressed = handle.read(2) == b"\x1f\x8b"
            handle.seek(0)
            source = gzip.GzipFile(fileobj=handle) if compressed else handle
            raw = _LimitedReader(source, limits.police_uk_max_uncompressed_bytes, name)
            limited = io.BufferedReader(raw)
            text = io.TextIOWrapper(limited, encoding="utf-8-sig", newline="")
            reader = csv.reader(text, strict=True)
            header = next(reader, None)
            if header is None:
                raise PoliceUkFileError(f"{name}: is empty; nothing was imported.")
            header = [column.strip() for column in header]
            if any("\x00" in column for column in header):
                raise PoliceUkFileError(f"{name}: row 1 (the header) contains a NUL character, which a police.uk file "
                                        "never holds; nothing was imported.")
            missing = [c for c in EXPECTED_COLUMNS if c not in header]
            if missing:
                raise PoliceUkFileError(f"{name}: is not a police.uk street-level file; missing columns "
                                        f"{', '.join(missing)}. Nothing was imported.")
            at = {column: header.index(column) for column in EXPECTED_COLUMNS}
            width = len(header)
            # The loop runs once per record (millions nationally): fields are taken in one call and
            # counted as read; surrounding spaces are stripped once per distinct key, after the loop.
            key_of = operator.itemgetter(at["Month"], at["LSOA code"], at["LSOA name"], at["Crime type"])
            force_at, max_rows = at["Falls within"], limits.police_uk_max_rows
            crime_type_at = at["Crime type"]
            seen_force = None  # the file's force as written in the last row checked
            for row_number, record in enumerate(reader, start=2):
                if not record:
                    continue
                rows += 1
                if rows > max_rows:
                    raise PoliceUkFileError(f"{name}: has more than {max_rows:,} rows, the limit for a "
                                            "police.uk file; nothing was imported.")
                if len(record) != width:
                    raise PoliceUkFileError(f"{name}: row {row_number} has {len(record)} fields, but the header has "
                                            f"{width}; nothing was imported.")
                if record[force_at] != seen_force:
                    force = record[force_at].strip()
                    problem = _force_problem(force, file_force, forces)
                    if problem:
                        raise PoliceUkFileError(f"{name}: row {row_number} {problem}; nothing was imported.")
                    file_force, seen_force = force, record[force_at]
                if record[crime_type_at] not in crime_types or raw.nul_seen:  # one set lookup for most records
                    problem = _crime_type_problem(record[crime_type_at], crime_types) or (
                        _nul_problem(record, header) if raw.nul_seen else None)
                    if problem:
                        raise PoliceUkFileError(f"{name}: row {row_number}, {problem}; nothing was imported.")
                key = key_of(record)
                if key[0] not in months:
                    months.add(_month(key[0], name, row_number, limits, today))
                    months.add(key[0])
                counts[key] += 1
    except PoliceUkFileError:
        raise
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile):
        raise PoliceUkFileError(f"{name}: is not a readable police.uk CSV (damaged or not gzip/CSV); "
                                "nothing was imported.") from None
    except UnicodeDecodeError:
        raise PoliceUkFileError(f"{name}: is not UTF-8 text, as police.uk publishes; nothing was imported.") from None
    except csv.Error as error:
        raise PoliceUkFileError(f"{name}: row {reader.line_num} could not be read as CSV ({error}); "
                                "nothing was imported.") from None
    if rows == 0:
        raise PoliceUkFileError(f"{name}: has no rows; nothing was imported.")
    frame = pd.DataFrame([(*key, n) for key, n in counts.items()], columns=COUNT_COLUMNS)
    stripped = {column: frame[column].str.strip() for column in COUNT_COLUMNS[:4]}
    if any((stripped[column] != frame[column]).any() for column in stripped):  # keys that differ only by spaces
        frame = frame.assign(**stripped).groupby(COUNT_COLUMNS[:4], as_index=False)["records"].sum()
    frame["month"] = pd.to_datetime(frame["month"], format=MONTH_PATTERN)
    for column in ("lsoa_code", "lsoa_name"):
        frame[column] = frame[column].replace("", None)
    frame["records"] = frame["records"].astype("int32")
    checked_months = tuple(sorted({str(pd.Period(m, "M")) for m in frame["month"].unique()}))
    return FileCounts(name, rows, checked_months, frame, file_force)  # merging sorts the counts of a run


def count_files(files: list[tuple[str, str]], limits: Settings, today: date,
                forces: frozenset[str] | None = None, crime_types: frozenset[str] = CRIME_TYPES) -> list[FileCounts]:
    """Count each (path, name) in turn; the first file with a problem stops the run."""
    if len(files) > limits.police_uk_max_files:
        raise PoliceUkFileError(f"{len(files)} files were given; at most {limits.police_uk_max_files} can be imported "
                                "at once. Nothing was imported.")
    return [count_file(path, name, limits, today, forces, crime_types) for path, name in files]
