"""Home Office police recorded crime by police force area -> the home_office_* tables.

The shipped file (data/home_office/rec-crime-pfa.csv.gz, as published) has rolling
12-month totals by force and offence at each quarter end, 2003-2018. Its quirks are
handled here, by name, and the load stops with a plain message on anything else:

- the 12 months ending 31 December 2017 are published as "30-12-2017": read as 2017-12-31;
- from April 2017 domestic burglary became residential burglary (and non-domestic,
  non-residential): both are loaded as published, and the offence groups join them
  with the change recorded in home_office_series_breaks, to be charted as a break;
- 25 rolling totals are negative (20 force fraud totals in the run-down of force fraud
  recording to December 2013; 5 of death or serious injury caused by illegal driving,
  among them Leicestershire's -21 for the 12 months to September 2009): a negative
  12-month total can only come from revisions to earlier records. They are loaded as
  published and counted in their groups; the load reports how many there are;
- rows that are not police forces (British Transport Police; Action Fraud, CIFAS and UK
  Finance; national totals should a later edition carry them) are loaded and marked by
  kind in home_office_areas, so pages compare territorial forces only.

No Streamlit here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

import queries
from ingest import DATA_DIR
from ingest.loading import insert_frame, sha256_file

HOME_OFFICE_DIR = DATA_DIR / "home_office"
RECORDED_CRIME_FILE = HOME_OFFICE_DIR / "rec-crime-pfa.csv.gz"
COLUMNS = {  # the file's header -> our names
    "12 months ending": "period_as_published",
    "PFA": "area",
    "Region": "region",
    "Offence": "offence",
    "Rolling year total number of offences": "offences",
}
# Dates the file gets wrong, each with the date it means.
PUBLISHED_DATE_TYPOS = {"30-12-2017": date(2017, 12, 31)}
QUARTER_ENDS = {(3, 31), (6, 30), (9, 30), (12, 31)}
AREA_KINDS = ("territorial force", "transport police", "national fraud body", "national total")
TERRITORIAL = "territorial force"


class HomeOfficeFileError(ValueError):
    """The file (or a reference CSV beside it) is not as expected; the message says what and where."""


@dataclass(frozen=True)
class LoadSummary:
    rows: int
    areas: int
    territorial_forces: int
    sha256: str


def period_end(text: str) -> date:
    """The last day of the 12 months a published date names, with the known typos corrected."""
    if text in PUBLISHED_DATE_TYPOS:
        return PUBLISHED_DATE_TYPOS[text]
    try:
        value = datetime.strptime(text, "%d-%m-%Y").date()
    except (TypeError, ValueError):
        raise HomeOfficeFileError(f"'{text}' is not a date (DD-MM-YYYY)") from None
    if (value.month, value.day) not in QUARTER_ENDS:
        raise HomeOfficeFileError(f"'{text}' is not the end of a quarter (31 March, 30 June, 30 September or "
                                  "31 December); if it is a known typo, add it to PUBLISHED_DATE_TYPOS with its meaning")
    return value


def read_csv(con: duckdb.DuckDBPyConnection, path: Path, expected: list[str]) -> pd.DataFrame:
    """A CSV as text columns, refused unless its header is exactly the expected one."""
    if not Path(path).exists():
        raise HomeOfficeFileError(f"{Path(path).name}: not found in {Path(path).parent}")
    try:
        frame = queries.run(con, "ingest/home_office_read_csv", {"path": str(path)})
    except duckdb.Error as error:
        raise HomeOfficeFileError(f"{Path(path).name}: could not be read ({str(error).splitlines()[0]})") from None
    if list(frame.columns) != expected:
        raise HomeOfficeFileError(f"{Path(path).name}: expected the columns {', '.join(expected)}; "
                                  f"found {', '.join(frame.columns)}")
    return frame


def recorded_crime(raw: pd.DataFrame, areas: pd.DataFrame, offences: set[str]) -> pd.DataFrame:
    """The file's rows, checked, with dates read and counts as integers."""
    frame = raw.rename(columns=COLUMNS)
    line = pd.Series(range(2, len(frame) + 2), index=frame.index)  # the file's line numbers, header = 1
    first_lines = line.groupby(frame["period_as_published"]).min()  # 52 distinct dates: parse each once
    frame["period_end"] = frame["period_as_published"].map({text: _at_line(period_end, text, n) for text, n in first_lines.items()})
    counts = pd.to_numeric(frame["offences"], errors="coerce")
    bad = counts.isna() | (counts % 1 != 0)  # negative totals are real (revisions): kept as published
    if bad.any():
        first = bad.idxmax()
        raise HomeOfficeFileError(f"line {line[first]}: the number of offences '{frame.at[first, 'offences']}' "
                                  "is not a whole number")
    frame["offences"] = counts.astype("int64")
    unknown = sorted(set(frame["area"]) - set(areas["name"]))
    if unknown:
        raise HomeOfficeFileError(f"areas not in data/home_office/areas.csv: {', '.join(unknown)}. Add each with its "
                                  f"kind ({', '.join(AREA_KINDS)}) so it is compared only if it is a territorial force")
    unknown = sorted(set(frame["offence"]) - offences)
    if unknown:
        raise HomeOfficeFileError(f"offences not in data/home_office/offence_groups.csv: {', '.join(unknown)}. "
                                  "Add each to a group (or to the group marked compared = false)")
    regions = frame.groupby("area")["region"].nunique()
    if (regions > 1).any():
        raise HomeOfficeFileError(f"areas with more than one region: {', '.join(regions[regions > 1].index)}")
    duplicated = frame.duplicated(["period_end", "area", "offence"], keep=False)
    if duplicated.any():
        row = frame[duplicated].iloc[0]
        raise HomeOfficeFileError(f"{row['area']}, {row['offence']}: more than one row for the 12 months ending "
                                  f"{row['period_end']:%d %B %Y} (after reading {row['period_as_published']})")
    return frame[["period_end", "period_as_published", "area", "region", "offence", "offences"]]


def _at_line(parse, text, line_number):
    try:
        return parse(text)
    except HomeOfficeFileError as error:
        raise HomeOfficeFileError(f"line {line_number}: {error}") from None


def area_table(areas: pd.DataFrame, crime: pd.DataFrame) -> pd.DataFrame:
    kinds = set(areas["kind"]) - set(AREA_KINDS)
    if kinds:
        raise HomeOfficeFileError(f"areas.csv: unknown kinds {', '.join(sorted(kinds))}; use {', '.join(AREA_KINDS)}")
    regions = crime.drop_duplicates("area").set_index("area")["region"]
    return areas.assign(region=areas["name"].map(regions), ons_code=areas["ons_code"].replace("", None),
                        note=areas["note"].replace("", None))[["name", "kind", "ons_code", "region", "note"]]


def offence_group_table(groups: pd.DataFrame) -> pd.DataFrame:
    frame = groups.assign(sort_order=groups["sort_order"].astype(int), compared=groups["compared"].eq("true"),
                          improvement_direction=groups["improvement_direction"].replace("", None))
    missing = frame[frame["compared"] & frame["improvement_direction"].isna()]
    if len(missing):
        raise HomeOfficeFileError(f"offence_groups.csv: {missing['group_id'].iloc[0]} is compared but has no "
                                  "improvement_direction")
    return frame


def break_table(breaks: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    unknown = sorted(set(breaks["group_id"]) - set(groups["group_id"]))
    if unknown:
        raise HomeOfficeFileError(f"series_breaks.csv: unknown groups {', '.join(unknown)}")
    return breaks.assign(from_month=[pd.Period(m, "M").start_time.date() for m in breaks["from_month"]])


def population_table(populations: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    frame = populations.rename(columns={"force": "area", "year": "population_year"})
    frame["population_year"] = pd.to_numeric(frame["population_year"], errors="coerce")
    frame["population"] = pd.to_numeric(frame["population"], errors="coerce")
    if frame[["population_year", "population"]].isna().any().any() or (frame["population"] <= 0).any():
        raise HomeOfficeFileError("force_populations.csv: every row needs a year and a population above 0")
    forces = set(areas.loc[areas["kind"] == TERRITORIAL, "name"])
    others = sorted(set(frame["area"]) - forces)
    if others:
        raise HomeOfficeFileError(f"force_populations.csv: not territorial forces: {', '.join(others)}")
    missing = sorted(forces - set(frame["area"]))
    if missing:
        raise HomeOfficeFileError(f"force_populations.csv: no population for {', '.join(missing)}")
    return frame.astype({"population_year": int, "population": int})


def peer_group_table(peers: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    frame = peers.rename(columns={"force": "area"})
    forces = set(areas.loc[areas["kind"] == TERRITORIAL, "name"])
    wrong = sorted((set(frame["area"]) | set(frame["peer"])) - forces)
    if wrong:
        raise HomeOfficeFileError(f"most_similar_groups.csv: not territorial forces: {', '.join(wrong)}")
    if (frame["area"] == frame["peer"]).any() or frame["source"].fillna("").str.strip().eq("").any():
        raise HomeOfficeFileError("most_similar_groups.csv: a force cannot be its own peer, and every row needs its source")
    return frame


def load(con: duckdb.DuckDBPyConnection, folder: Path = HOME_OFFICE_DIR, crime_file: Path | None = None) -> LoadSummary:
    """Load the Home Office file and its reference CSVs into the home_office_* tables.

    Everything is read and checked before the first insert, so a refused load writes nothing;
    the inserts run in the caller's transaction (the demo build's).
    """
    crime_file = Path(crime_file or folder / RECORDED_CRIME_FILE.name)
    areas = read_csv(con, folder / "areas.csv", ["name", "kind", "ons_code", "note"]).fillna("")
    groups = offence_group_table(read_csv(con, folder / "offence_groups.csv",
                                          ["group_id", "name", "sort_order", "improvement_direction", "compared", "offence"])
                                 .fillna(""))
    crime = recorded_crime(read_csv(con, crime_file, list(COLUMNS)), areas, set(groups["offence"]))
    area_rows = area_table(areas, crime)
    tables = {
        "home_office_areas": area_rows,
        "home_office_recorded_crime": crime.drop(columns="region"),
        "home_office_offence_groups": groups,
        "home_office_series_breaks": break_table(
            read_csv(con, folder / "series_breaks.csv", ["group_id", "from_month", "short_reason", "reason"]), groups),
        "home_office_populations": population_table(
            read_csv(con, folder / "force_populations.csv", ["force", "year", "population", "basis"]), area_rows),
        "home_office_peer_groups": peer_group_table(
            read_csv(con, folder / "most_similar_groups.csv", ["force", "peer", "source"]), area_rows),
    }
    for table, frame in tables.items():
        insert_frame(con, table, frame)
    summary = LoadSummary(rows=len(crime), areas=crime["area"].nunique(),
                          territorial_forces=int((area_rows["kind"] == TERRITORIAL).sum()),
                          sha256=sha256_file(crime_file))
    queries.execute(con, "ingest/set_meta", {"key": "home_office_file", "value": crime_file.name})
    queries.execute(con, "ingest/set_meta", {"key": "home_office_sha256", "value": summary.sha256})
    return summary
