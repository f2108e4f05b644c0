"""Synthetic police.uk street-level files: one per force and month, seeded, labelled in every row.

The files have police.uk's 12 columns and quirks: anti-social behaviour rows have no
Crime ID or outcome; about 2% of records have no location (no coordinates, no LSOA);
about 1.5% fall in an LSOA of a neighbouring force; LSOA names are "<district> 001A".
The Context column, always empty in real files, says "Synthetic (benchmark)".

LSOAs are synthetic too: about one per 1,600 residents of each district, with codes
E01/W01 and a running number. Each file comes from its own seed (seed, force, month),
so files are the same whichever worker makes them and in whatever order.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ingest.police_uk_files import EXPECTED_COLUMNS

SYNTHETIC_CONTEXT = "Synthetic (benchmark)"
NO_LOCATION_SHARE, OUTSIDE_SHARE = 0.02, 0.015
RESIDENTS_PER_LSOA = 1600
# Shares of records by type, about as police.uk shows for England and Wales.
CRIME_TYPES = {
    "Anti-social behaviour": 0.27, "Violence and sexual offences": 0.27, "Public order": 0.07,
    "Criminal damage and arson": 0.07, "Other theft": 0.06, "Vehicle crime": 0.05, "Shoplifting": 0.05,
    "Burglary": 0.04, "Drugs": 0.025, "Other crime": 0.015, "Theft from the person": 0.01, "Bicycle theft": 0.01,
    "Robbery": 0.01, "Possession of weapons": 0.01,
}
OUTCOMES = ["Investigation complete; no suspect identified", "Unable to prosecute suspect", "Under investigation",
            "Status update unavailable", "Local resolution", "Offender given a caution", "Awaiting court outcome",
            "Further investigation is not in the public interest"]
STREETS = ["High Street", "Station Road", "Church Lane", "Main Street", "Park Road", "Victoria Road", "Green Lane",
           "Manor Road", "Mill Lane", "School Lane", "The Crescent", "Queens Road", "New Road", "Kings Road",
           "Supermarket", "Parking Area", "Petrol Station", "Shopping Area", "Sports/Recreation Area", "Nightclub"]
HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


@dataclass(frozen=True)
class Lsoas:
    """Every synthetic LSOA: its force, code, name and weight (residents) as arrays."""

    force_id: np.ndarray
    code: np.ndarray
    name: np.ndarray
    weight: np.ndarray

    def of_force(self, force_id: str) -> "ForceLsoas":
        """A force's LSOAs, then every other force's (where a few of its records fall); for a force alone,
        a made-up one outside it."""
        inside = self.force_id == force_id
        other = ~inside if (~inside).any() else None
        codes = np.concatenate([self.code[inside], self.code[other] if other is not None else ["E01999999"]])
        names = np.concatenate([self.name[inside], self.name[other] if other is not None else ["Elsewhere 001A"]])
        return ForceLsoas(pa.array(codes, pa.string()), pa.array(names, pa.string()), int(inside.sum()),
                          self.weight[inside] / self.weight[inside].sum())


@dataclass(frozen=True)
class ForceLsoas:
    codes: pa.Array  # the force's own LSOAs first, then the others
    names: pa.Array
    own: int  # how many are the force's own
    weights: np.ndarray  # of its own


def synthetic_lsoas(districts: pd.DataFrame) -> Lsoas:
    forces, codes, names, weights = [], [], [], []
    number = 0
    for district in districts.itertuples():
        count = max(3, round(district.population / RESIDENTS_PER_LSOA))
        country = "W01" if district.lad_code.startswith("W") else "E01"
        for index in range(count):
            number += 1
            forces.append(district.force_id)
            codes.append(f"{country}{number:06d}")
            names.append(f"{district.lsoa_prefix} {index // 26 + 1:03d}{chr(65 + index % 26)}")
            weights.append(district.population / count)
    return Lsoas(np.array(forces), np.array(codes), np.array(names), np.array(weights, dtype=float))


def records_per_file(seed: int, populations: np.ndarray, months: int, total: int) -> np.ndarray:
    """How many records each force's month has (forces x months), adding up to total exactly:
    shares by population, with a seasonal swing of +-8% (peaking in July) and noise, and at least one
    (police.uk publishes no empty file)."""
    rng = np.random.default_rng([seed, 0])
    month_of_year = (np.arange(months) + 3) % 12 + 1  # month 0 is April
    season = 1 + 0.08 * np.cos(2 * np.pi * (month_of_year - 7) / 12)
    weights = np.outer(populations, season) * rng.uniform(0.97, 1.03, (len(populations), months))
    files = weights.size
    return 1 + rng.multinomial(total - files, (weights / weights.sum()).ravel()).reshape(len(populations), months)


def crime_ids(rng: np.random.Generator, n: int) -> pa.Array:
    """n random 64-character hexadecimal ids, as police.uk's."""
    raw = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    text = np.empty((n, 64), dtype=np.uint8)
    text[:, 0::2], text[:, 1::2] = HEX[raw >> 4], HEX[raw & 15]
    offsets = np.arange(0, 64 * n + 1, 64, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(text.tobytes()))


def constant(value: str, n: int) -> pa.Array:
    return pa.array([value], pa.string()).take(np.zeros(n, dtype=np.int32))


def street_table(rng: np.random.Generator, force_name: str, month: str, n: int, lsoas: ForceLsoas) -> pa.Table:
    """One force's month of records."""
    types = pa.array(list(CRIME_TYPES), pa.string())
    shares = np.array(list(CRIME_TYPES.values()))
    crime_type = rng.choice(len(types), size=n, p=shares / shares.sum())
    asb = crime_type == 0
    where = rng.random(n)
    no_location, elsewhere = where < NO_LOCATION_SHARE, where >= 1 - OUTSIDE_SHARE
    lsoa = rng.choice(lsoas.own, size=n, p=lsoas.weights)
    if len(lsoas.codes) > lsoas.own:
        lsoa[elsewhere] = rng.integers(lsoas.own, len(lsoas.codes), size=int(elsewhere.sum()))
    lsoa = pa.array(lsoa, mask=no_location)  # a null index takes a null: no LSOA
    street = pa.array(rng.integers(0, len(STREETS), n), mask=no_location)
    locations = pa.array([f"On or near {name}" for name in STREETS], pa.string())
    columns = {
        "Crime ID": pc.if_else(pa.array(asb), pa.scalar(None, pa.string()), crime_ids(rng, n)),
        "Month": constant(month, n),
        "Reported by": constant(force_name, n),
        "Falls within": constant(force_name, n),
        "Longitude": pa.array(np.round(rng.uniform(-4.5, 1.5, n), 6), mask=no_location),
        "Latitude": pa.array(np.round(rng.uniform(50.2, 55.5, n), 6), mask=no_location),
        "Location": pc.fill_null(locations.take(street), "No location"),
        "LSOA code": lsoas.codes.take(lsoa),
        "LSOA name": lsoas.names.take(lsoa),
        "Crime type": types.take(pa.array(crime_type)),
        "Last outcome category": pa.array(OUTCOMES, pa.string()).take(
            pa.array(rng.integers(0, len(OUTCOMES), n), mask=asb)),
        "Context": constant(SYNTHETIC_CONTEXT, n),
    }
    assert list(columns) == EXPECTED_COLUMNS
    return pa.table(columns)


def write_street_file(path: Path, table: pa.Table) -> int:
    """Write as police.uk does: a header, commas, no quotes (no value holds a comma), empty fields for nothing."""
    with open(path, "wb") as handle:
        handle.write((",".join(table.column_names) + "\n").encode())
        pacsv.write_csv(table, handle, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    return path.stat().st_size


def file_name(month: str, force_name: str) -> str:
    """police.uk's own pattern: 2022-04-leicestershire-street.csv."""
    slug = force_name.lower().replace("&", "and").replace(" ", "-")
    return f"{month}-{slug}-street.csv"
