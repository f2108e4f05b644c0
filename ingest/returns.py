"""Partner returns: the template, reading a CSV or XLSX file, and validating it with pandera.

A return has one row per measure, area and month. Every problem is reported with
its row (as numbered in the file, header = row 1), its column and a reason in
plain English; a file with any problem loads nothing.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

COLUMNS = ["measure_id", "area_id", "month", "value", "numerator", "denominator", "status", "publish_after"]
REQUIRED = ["measure_id", "area_id", "month"]
SHEET = "return"
EARLIEST_MONTH = pd.Period("2000-01", "M")
STATUSES = ("published", "provisional")
COLUMN_NOTES = {
    "measure_id": "Measure id from the catalogue, e.g. yjs_first_time_entrants",
    "area_id": "ONS code of the area, e.g. E23000021 for the force area",
    "month": "Month as YYYY-MM",
    "value": "Counts and £m: the figure. Leave empty for survey rates",
    "numerator": "Survey rates: the number satisfied (or positive)",
    "denominator": "Survey rates: the number asked",
    "status": "published (default) or provisional",
    "publish_after": "Provisional rows: the date (YYYY-MM-DD) after which they may be published",
}


@dataclass(frozen=True)
class Problem:
    row: int | None  # as numbered in the file: the header is row 1
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = ", ".join(p for p in (f"row {self.row}" if self.row else "", self.column or "") if p)
        return f"{where}: {self.reason}" if where else self.reason


class ReturnRejected(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}: " + "; ".join(map(str, problems[:5])))


@dataclass(frozen=True)
class Catalogue:
    measures: pd.DataFrame  # id, name, unit, partner, chart_kind
    area_ids: frozenset
    today: date = field(default_factory=date.today)


# ---------------------------------------------------------------------------
# Template
# ---------------------------------------------------------------------------

def template_frame(catalogue: Catalogue, partner: str, month: str, area_id: str = "E23000021") -> pd.DataFrame:
    """One example row per measure of the partner, for the given month."""
    measures = catalogue.measures[catalogue.measures["partner"] == partner]
    rows = []
    for m in measures.itertuples():
        rate = m.unit == "percentage" and m.chart_kind == "p"
        rows.append({"measure_id": m.id, "area_id": area_id, "month": month, "value": "" if rate else "0",
                     "numerator": "0" if rate else "", "denominator": "1" if rate else "", "status": "published",
                     "publish_after": ""})
    return pd.DataFrame(rows, columns=COLUMNS)


def template_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def template_xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=SHEET, index=False)
        notes = pd.DataFrame({"column": list(COLUMN_NOTES), "what to put in it": list(COLUMN_NOTES.values())})
        notes.to_excel(writer, sheet_name="notes", index=False)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

def is_xlsx(data: bytes, file_name: str) -> bool:
    return file_name.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def read_return(data: bytes, file_name: str) -> pd.DataFrame:
    """The file's rows as text, with a `row` column numbering them as the file does."""
    if not data or not data.strip():
        raise ReturnRejected([Problem(1, None, "The file is empty: row 1 should hold the column names.")])
    frame = _read_xlsx(data) if is_xlsx(data, file_name) else _read_csv(data)
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in COLUMNS]
    problems = [Problem(1, c, f"The column {c!r} is missing; the template's columns are {', '.join(COLUMNS)}.")
                for c in missing]
    problems += [Problem(1, c, f"{c!r} is not a column of the return template (expected {', '.join(COLUMNS)}).")
                 for c in unknown]
    if problems:
        raise ReturnRejected(problems)
    frame = frame.fillna("").astype(str).apply(lambda col: col.str.strip())
    frame = frame[~(frame == "").all(axis=1)]  # blank lines are not rows
    if frame.empty:
        raise ReturnRejected([Problem(2, None, "The file has a header but no data rows.")])
    for column in COLUMNS:
        if column not in frame:
            frame[column] = ""
    frame.insert(0, "row", frame.index + 2)
    return frame.reset_index(drop=True)


def _read_csv(data: bytes) -> pd.DataFrame:
    if data.startswith(b"\xef\xbb\xbf"):
        raise ReturnRejected([Problem(1, None, "The file starts with a byte-order mark (BOM). Save it as plain "
                                               "UTF-8 CSV without a BOM (in Excel use the XLSX template instead).")])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReturnRejected([Problem(1, None, "The file is UTF-16 text. Save it as UTF-8 CSV.")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise ReturnRejected([Problem(row, None, f"The file is not UTF-8 text (byte 0x{data[error.start]:02x} at "
                                                 "position {0}). Save it as UTF-8 CSV.".format(error.start))]) from None
    if "\x00" in text:
        row = text[: text.index("\x00")].count("\n") + 1
        raise ReturnRejected([Problem(row, None, "The file contains NUL bytes: it is not a CSV text file.")])
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
    except pd.errors.EmptyDataError:
        raise ReturnRejected([Problem(1, None, "The file is empty: row 1 should hold the column names.")]) from None
    except pd.errors.ParserError as error:
        match = re.search(r"line (\d+)", str(error))
        raise ReturnRejected([Problem(int(match.group(1)) if match else None, None,
                                      f"The CSV could not be read: {str(error).strip()}")]) from None


def _read_xlsx(data: bytes) -> pd.DataFrame:
    try:
        book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as error:
        raise ReturnRejected([Problem(None, None, f"The file is not a readable Excel workbook ({error}).")]) from None
    if SHEET not in book.sheet_names:
        raise ReturnRejected([Problem(None, None, f"The workbook has no sheet named {SHEET!r} (it has: "
                                                  f"{', '.join(book.sheet_names)}). Use the template's sheet.")])
    frame = pd.read_excel(book, sheet_name=SHEET, dtype=str, keep_default_na=False)
    if frame.columns.empty:
        raise ReturnRejected([Problem(1, None, f"The sheet {SHEET!r} is empty: row 1 should hold the column names.")])
    return frame


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------

def _number(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce").where(text != "")


def typed(frame: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Parse text into the columns the checks need; unparseable entries become NaN/NaT."""
    out = frame.copy()
    units = catalogue.measures.set_index("id")
    out["unit"] = out["measure_id"].map(units["unit"]).fillna("")
    out["measure_partner"] = out["measure_id"].map(units["partner"]).fillna("")
    is_rate = (units["unit"] == "percentage") & (units["chart_kind"] == "p")
    out["is_rate"] = out["measure_id"].isin(is_rate[is_rate].index)
    out["month_period"] = pd.to_datetime(out["month"].where(out["month"].str.fullmatch(r"\d{4}-\d{2}")), format="%Y-%m",
                                         errors="coerce")
    for column in ("value", "numerator", "denominator"):
        out[f"{column}_number"] = _number(out[column])
    out["status_text"] = out["status"].str.lower().replace("", "published")
    out["publish_after_date"] = pd.to_datetime(out["publish_after"].where(out["publish_after"] != ""),
                                               format="%Y-%m-%d", errors="coerce")
    return out


def _is_whole(series: pd.Series) -> pd.Series:
    return series.isna() | (np.floor(series) == series)


def schema(catalogue: Catalogue, partner: str | None) -> pa.DataFrameSchema:
    """The return's rules. Each check's name is 'column|reason' so failures map to plain words."""
    known_measures = set(catalogue.measures["id"])
    this_month = pd.Timestamp(catalogue.today).to_period("M").to_timestamp()

    def check(column: str, reason: str, rule) -> pa.Check:
        return pa.Check(rule, name=f"{column}|{reason}", element_wise=False)

    counts = lambda df: ~df["is_rate"] & (df["unit"] != "")  # noqa: E731
    rates = lambda df: df["is_rate"]  # noqa: E731
    checks = [
        check("measure_id", "is not a measure id in the catalogue", lambda df: df["measure_id"].isin(known_measures)),
        check("area_id", "is not an area id (ONS code) in the catalogue", lambda df: df["area_id"].isin(catalogue.area_ids)),
        check("month", "must be a month written YYYY-MM, e.g. 2022-04", lambda df: df["month_period"].notna()),
        check("month", "is in the future", lambda df: df["month_period"].isna() | (df["month_period"] <= this_month)),
        check("month", f"is before {EARLIEST_MONTH}, outside the range the dashboard holds",
              lambda df: df["month_period"].isna() | (df["month_period"] >= EARLIEST_MONTH.to_timestamp())),
        check("value", "is not a number", lambda df: (df["value"] == "") | df["value_number"].notna()
              | df["value"].str.endswith("%")),
        check("value", "looks like a percentage, but this measure is a count: send the number itself",
              lambda df: ~(counts(df) & (df["unit"] == "count") & (df["value"].str.endswith("%")
                                                                   | (df["value_number"].between(0, 1, inclusive="neither"))))),
        check("value", "is missing: counts and £m measures need a value",
              lambda df: ~counts(df) | (df["value"] != "")),
        check("value", "cannot be negative", lambda df: df["value_number"].isna() | (df["value_number"] >= 0)),
        check("value", "must be a whole number for a count",
              lambda df: ~(df["unit"] == "count") | _is_whole(df["value_number"])),
        check("numerator", "is missing: survey rates need a numerator and a denominator, not a percentage",
              lambda df: ~rates(df) | df["numerator_number"].notna()),
        check("denominator", "is missing or not a number: survey rates need the number asked",
              lambda df: ~rates(df) | df["denominator_number"].notna()),
        check("numerator", "is not a number", lambda df: (df["numerator"] == "") | df["numerator_number"].notna()),
        check("denominator", "is not a number", lambda df: (df["denominator"] == "") | df["denominator_number"].notna()),
        check("numerator", "cannot be negative or fractional",
              lambda df: df["numerator_number"].isna() | ((df["numerator_number"] >= 0) & _is_whole(df["numerator_number"]))),
        check("denominator", "must be a positive whole number",
              lambda df: df["denominator_number"].isna() | ((df["denominator_number"] > 0) & _is_whole(df["denominator_number"]))),
        check("numerator", "is greater than its denominator",
              lambda df: df["numerator_number"].isna() | df["denominator_number"].isna()
              | (df["numerator_number"] <= df["denominator_number"])),
        check("status", "must be 'published' or 'provisional'", lambda df: df["status_text"].isin(STATUSES)),
        check("publish_after", "must be a date written YYYY-MM-DD",
              lambda df: (df["publish_after"] == "") | df["publish_after_date"].notna()),
        check("publish_after", "is needed for a provisional row: the date after which it may be published",
              lambda df: (df["status_text"] != "provisional") | df["publish_after_date"].notna()),
        check("measure_id|area_id|month", "duplicates another row of the file (same measure, area and month)",
              lambda df: ~df.duplicated(["measure_id", "area_id", "month"], keep=False)),
    ]
    if partner:
        checks.append(check("measure_id", f"belongs to another partner, not {partner}",
                            lambda df: ~df["measure_id"].isin(known_measures) | (df["measure_partner"] == partner)))
    return pa.DataFrameSchema(checks=checks)


def validate(frame: pd.DataFrame, catalogue: Catalogue, partner: str | None = None) -> pd.DataFrame:
    """Rows ready to load, or ReturnRejected listing every problem with row, column and reason."""
    parsed = typed(frame, catalogue)
    try:
        schema(catalogue, partner).validate(parsed, lazy=True)
    except SchemaErrors as errors:
        raise ReturnRejected(problems_from(errors.failure_cases, parsed)) from None
    return rows_to_load(parsed)


def problems_from(failures: pd.DataFrame, parsed: pd.DataFrame) -> list[Problem]:
    problems = []
    for failure in failures.itertuples():
        column, reason = str(failure.check).split("|", 1) if "|" in str(failure.check) else (None, str(failure.check))
        if "|" in reason:  # the duplicate check names three columns
            *more, reason = reason.split("|")
            column = "|".join([column, *more])
        index = failure.index
        if index is None or (isinstance(index, float) and np.isnan(index)):
            problems.append(Problem(None, column, reason))
            continue
        row = parsed.loc[int(index)]
        shown = column.replace("|", ", ") if column else None
        cell = row[column] if column in parsed.columns else None
        detail = f"{cell!r} {reason}" if cell not in (None, "") and "missing" not in reason else reason[0].upper() + reason[1:]
        if "duplicates" in reason:
            first = parsed[(parsed["measure_id"] == row["measure_id"]) & (parsed["area_id"] == row["area_id"])
                           & (parsed["month"] == row["month"])]["row"].tolist()
            detail = f"{row['measure_id']} / {row['area_id']} / {row['month']} appears on rows {', '.join(map(str, first))}"
        problems.append(Problem(int(row["row"]), shown, detail))
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return list(dict.fromkeys(problems))


def rows_to_load(parsed: pd.DataFrame) -> pd.DataFrame:
    rate = parsed["is_rate"]
    value = np.where(rate, 100 * parsed["numerator_number"] / parsed["denominator_number"], parsed["value_number"])
    return pd.DataFrame({
        "measure_id": parsed["measure_id"],
        "area_id": parsed["area_id"],
        "month": parsed["month_period"].dt.date,
        "value": value.astype(float),
        "numerator": parsed["numerator_number"].where(rate),
        "denominator": parsed["denominator_number"].where(rate),
        "status": parsed["status_text"],
        "publish_after": parsed["publish_after_date"].dt.date,
    })


def catalogue_from_db(con, today: date | None = None) -> Catalogue:
    import queries

    measures = queries.run(con, "ingest/catalogue_for_validation")
    areas = frozenset(queries.run(con, "ingest/area_ids")["id"])
    return Catalogue(measures, areas, today or date.today())


def load_return_file(db_path, data: bytes, file_name: str, *, partner: str, loaded_by: str, check_only: bool = False):
    """Read, validate and (unless check_only) load a return: the one path for the page and the command line.

    Returns the rows that would load (check_only) or the LoadResult; raises ReturnRejected.
    """
    from pathlib import Path

    import duckdb

    from ingest.loading import load_rows, sha256_bytes

    con = duckdb.connect(str(Path(db_path).resolve()), read_only=True)
    try:
        catalogue = catalogue_from_db(con)
    finally:
        con.close()
    rows = validate(read_return(data, file_name), catalogue, partner)
    if check_only:
        return rows
    return load_rows(db_path, rows, kind="partner return", partner=partner, file_name=file_name,
                     sha256=sha256_bytes(data), loaded_by=loaded_by)
