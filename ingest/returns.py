"""Partner returns: reading a CSV or XLSX file, and checking it (the templates are in ingest/templates.py).

A return has one row per measure, area and month. Every problem is reported with
its row (as numbered in the file, header = row 1), its column and a reason in
plain English; a file with any problem loads nothing. The first problems are
listed (settings: problems_listed) with the total.

Reading and checking run in the file checker's process (ingest/isolation.py) with
limits on size, rows, time and memory, so a hostile file cannot hold up the app.
Every check is a vectorised rule over the whole file, so its cost grows with the
file's size and not with how many problems it has.
"""
from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import numpy as np
import openpyxl
import pandas as pd

from access import Actor, require
from core.errors import LoadRefused
from core.settings import Settings, settings, size_text
from ingest.isolation import run_checked

COLUMNS = ["measure_id", "area_id", "month", "value", "numerator", "denominator", "status", "publish_after"]
REQUIRED = ["measure_id", "area_id", "month"]
NAME_COLUMNS = ["measure_name", "area_name"]  # the template's names beside the ids: accepted, never checked or loaded
SHEET = "return"
STATUSES = ("published", "provisional")
EXAMPLE_STATUS = "example"
MAX_COLUMNS = 50  # a return has 8; more is not a return (and a sheet may claim 16,384)
DUPLICATE_ROWS_SHOWN = 5


@dataclass(frozen=True)
class Problem:
    row: int | None  # as numbered in the file: the header is row 1
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = ", ".join(p for p in (f"row {self.row}" if self.row else "", self.column or "") if p)
        return f"{where}: {self.reason}" if where else self.reason


class ReturnRejected(LoadRefused):
    """A return with problems: the first few listed (`problems`), and how many there are in all (`total`)."""

    def __init__(self, problems: list[Problem], total: int | None = None, file_name: str | None = None):
        self.problems = problems
        self.total = len(problems) if total is None else total
        self.file_name = file_name
        super().__init__(self._message())

    def _message(self) -> str:
        name = self.file_name or "The file"
        if self.total == 1 and self.problems:
            return f"{name} was not loaded; nothing changed. {self.problems[0]}"
        listed = f" (the first {len(self.problems)} are listed)" if len(self.problems) < self.total else ""
        return f"{name} was not loaded; nothing changed. {self.total:,} problems to fix{listed}."

    def named(self, file_name: str) -> ReturnRejected:
        return ReturnRejected(self.problems, self.total, file_name)

    def details(self) -> list[str]:
        return [str(p) for p in self.problems] if self.total > 1 else []


@dataclass(frozen=True)
class Catalogue:
    measures: pd.DataFrame  # id, name, unit, partner, chart_kind
    area_ids: frozenset
    today: date = field(default_factory=date.today)


def refuse(reason: str, row: int | None = None, column: str | None = None) -> ReturnRejected:
    return ReturnRejected([Problem(row, column, reason)])


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

def is_xlsx(data: bytes, file_name: str) -> bool:
    return file_name.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def check_size(size: int, limits: Settings) -> None:
    if size > limits.return_max_bytes:
        raise refuse(f"The file is {size_text(size)}, over the {size_text(limits.return_max_bytes)} limit for a return. "
                     "Split it into smaller returns.")


def read_return(data: bytes, file_name: str, limits: Settings | None = None) -> pd.DataFrame:
    """The file's rows as text, with a `row` column numbering them as the file does."""
    limits = limits or settings()
    check_size(len(data), limits)
    if not data or not data.strip():
        raise refuse("The file is empty: row 1 should hold the column names.", 1)
    header, records = _read_xlsx(data, limits) if is_xlsx(data, file_name) else _read_csv(data, limits)
    header = [str(c).strip() for c in header]
    while header and header[-1] == "":
        header.pop()
    if len(header) > MAX_COLUMNS:  # refused at once: every check below is then over a handful of columns
        raise refuse(f"The header has more than {MAX_COLUMNS} columns, so this is not a return: a return has "
                     f"{len(COLUMNS)} ({', '.join(COLUMNS)}).", 1)
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS and c not in NAME_COLUMNS]
    problems = [Problem(1, c, f"The column {c!r} is missing; the template's columns are {', '.join(COLUMNS)}.")
                for c in missing]
    problems += [Problem(1, c[:40] or "(blank)", f"{c[:40]!r} is not a column of the return template "
                                                 f"(expected {', '.join(COLUMNS)}).") for c in unknown]
    repeated = sorted(c for c, n in Counter(header).items() if n > 1 and c in COLUMNS)
    problems += [Problem(1, c, f"The column {c!r} appears more than once.") for c in repeated]
    if problems:
        raise ReturnRejected(problems[: limits.problems_listed], len(problems))
    width = len(header)
    ragged = [(number, len(cells)) for number, cells in records if len([c for c in cells[width:] if c != ""]) > 0]
    if ragged:
        shown = [Problem(number, None, f"This row has {count} fields, but the header has {width}.")
                 for number, count in ragged[: limits.problems_listed]]
        raise ReturnRejected(shown, len(ragged))
    rows = [(number, [*cells[:width], *[""] * (width - len(cells))]) for number, cells in records]
    rows = [(number, cells) for number, cells in rows if any(c.strip() for c in cells)]  # blank lines are not rows
    if not rows:
        raise refuse("The file has a header but no data rows.", 2)
    frame = pd.DataFrame([cells for _, cells in rows], columns=header, dtype=str)
    frame = frame.apply(lambda column: column.str.strip())
    for column in COLUMNS:
        if column not in frame:
            frame[column] = ""
    frame.insert(0, "row", np.array([number for number, _ in rows], dtype=np.int64))
    return frame[["row", *COLUMNS]]


def _too_many_rows(limits: Settings) -> ReturnRejected:
    return refuse(f"The file has more than {limits.return_max_rows:,} rows, the limit for a return. "
                  "Split it into smaller returns.")


def _read_csv(data: bytes, limits: Settings) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if data.startswith(b"\xef\xbb\xbf"):
        raise refuse("The file starts with a byte-order mark (BOM). Save it as plain UTF-8 CSV without a BOM "
                     "(in Excel use the XLSX template instead).", 1)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse("The file is UTF-16 text. Save it as UTF-8 CSV.", 1)
    if data.count(b"\n") > limits.return_max_rows + 1:
        raise _too_many_rows(limits)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise refuse(f"The file is not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start}). "
                     "Save it as UTF-8 CSV.", row) from None
    if "\x00" in text:
        raise refuse("The file contains NUL bytes: it is not a CSV text file.", text[: text.index("\x00")].count("\n") + 1)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None)
        if header is None:
            raise refuse("The file is empty: row 1 should hold the column names.", 1)
        for number, cells in enumerate(reader, start=2):
            if number > limits.return_max_rows + 1:
                raise _too_many_rows(limits)
            records.append((number, cells))
    except csv.Error as error:
        raise refuse(f"The CSV could not be read: {error} (check the quotes on this row).",
                     len(records) + 2) from None
    return header, records


def _cell_text(value, column: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Excel turns a typed 2022-05 into a date: read it back as the month it was.
        if column == "month" and value.day == 1 and value.time() == datetime.min.time():
            return value.strftime("%Y-%m")
        return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_zip(data: bytes, limits: Settings) -> None:
    """Refuse a workbook whose parts would expand beyond the limit, before any XML is parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise refuse("The file is not a readable Excel workbook (it is not a valid XLSX zip file).") from None
    declared = sum(part.file_size for part in parts)
    if len(parts) > 10_000 or declared > limits.xlsx_max_uncompressed_bytes:
        raise refuse(f"The workbook expands to {size_text(declared)} when opened, over the "
                     f"{size_text(limits.xlsx_max_uncompressed_bytes)} limit for a return. Save just the "
                     f"'{SHEET}' sheet with its rows, or send a CSV.")


def _read_xlsx(data: bytes, limits: Settings) -> tuple[list[str], list[tuple[int, list[str]]]]:
    _check_zip(data, limits)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ParseError, ValueError...) for a damaged workbook
        raise refuse("The file is not a readable Excel workbook (it is damaged or not an XLSX file).") from None
    try:
        if SHEET not in book.sheetnames:
            names = ", ".join(name[:40] for name in book.sheetnames[:10])
            raise refuse(f"The workbook has no sheet named {SHEET!r} (it has: {names}). Use the template's sheet.")
        sheet = book[SHEET]
        sheet.reset_dimensions()  # a sheet may claim any size; read only the cells it has
        rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        try:
            first = next(rows, None)
            header = [_cell_text(v, None) for v in first] if first else []
            if not any(header):
                raise refuse(f"The sheet {SHEET!r} is empty: row 1 should hold the column names.", 1)
            names = [h.strip() for h in header]
            records = []
            for number, values in enumerate(rows, start=2):
                if number > limits.return_max_rows + 1:
                    raise _too_many_rows(limits)
                records.append((number, [_cell_text(v, names[i] if i < len(names) else None) for i, v in enumerate(values)]))
        except ReturnRejected:
            raise
        except Exception:  # malformed sheet XML, an entity bomb stopped by the parser, a bad shared string...
            raise refuse(f"The sheet {SHEET!r} could not be read: its XML is damaged or not what Excel writes. "
                         "Save the workbook again from Excel, or send a CSV.") from None
    finally:
        book.close()
    return header, records


# ---------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------

NON_FINITE_TEXT = r"[+-]?(?:nan|inf|infinity)"  # what float() would read as not a number or infinite
MAX_FIGURE = 1e15  # far beyond any count or £m figure; sums of larger ones could overflow to infinity
NUMBER_COLUMNS = ("value", "numerator", "denominator")


THOUSANDS = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,234 or 12,345.6: commas only between thousands
PERCENT = r"[+-]?\d[\d,]*(?:\.\d+)?\s*%"  # a figure written as a percentage, 23.5%
NOT_A_NUMBER = ("is not a number: write the figure in digits, e.g. 1234 or 1234.5, with no words or units (a comma only "
                "between thousands); if there is no figure, delete the row and record why on the Returns page")
PERCENT_NOT_A_NUMBER = ("is not a number: write {figure} without the % sign, or for a survey rate leave value empty "
                        "and give numerator and denominator")


def _number(text: pd.Series) -> pd.Series:
    """Numbers as written: 1,234 is 1234, but 1,5 is not a number (a decimal comma would be read as 15)."""
    cleaned = text.where(~text.str.fullmatch(THOUSANDS), text.str.replace(",", "", regex=False))
    return pd.to_numeric(cleaned, errors="coerce").where(text != "")


def _not_finite(text: pd.Series, number: pd.Series) -> pd.Series:
    """Entries that are numbers but not finite ones: inf, -inf or nan written out, or too big to hold (1e400)."""
    return text.str.fullmatch(NON_FINITE_TEXT, case=False) | np.isinf(number)


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
    for column in NUMBER_COLUMNS:
        number = _number(out[column])
        out[f"{column}_not_finite"] = _not_finite(out[column], number)
        # One reason for such an entry (the rule on finite numbers): the other checks see no number.
        out[f"{column}_number"] = number.where(~out[f"{column}_not_finite"])
    out["status_text"] = out["status"].str.lower().replace("", "published")
    out["publish_after_date"] = pd.to_datetime(out["publish_after"].where(out["publish_after"] != ""),
                                               format="%Y-%m-%d", errors="coerce")
    return out


def _is_whole(series: pd.Series) -> pd.Series:
    return series.isna() | (np.floor(series) == series)


@dataclass(frozen=True)
class Rule:
    """One check: rows where `passes` is False have the problem `reason` in `column`."""

    column: str
    reason: str
    passes: Callable[[pd.DataFrame], pd.Series]


DUPLICATE_COLUMNS = ["measure_id", "area_id", "month"]


def _finite_rules(column: str) -> list[Rule]:
    """A figure must be an ordinary number: infinity or nan would load, then break every sum, mean and limit."""
    return [
        Rule(column, "is not a finite number (infinity, 'nan', or too large to hold): send the figure itself",
             lambda df: ~df[f"{column}_not_finite"]),
        Rule(column, f"is too large to be a real figure (over {MAX_FIGURE:,.0f})",
             lambda df: df[f"{column}_number"].isna() | (df[f"{column}_number"].abs() <= MAX_FIGURE)),
    ]


def rules(catalogue: Catalogue, partner: str | None, limits: Settings) -> list[Rule]:
    """The return's rules, in the order their problems are listed within a row."""
    known_measures = set(catalogue.measures["id"])
    first = limits.first_month.to_timestamp()
    this_month = pd.Timestamp(catalogue.today).to_period("M").to_timestamp()
    counts = lambda df: ~df["is_rate"] & (df["unit"] != "")  # noqa: E731
    rates = lambda df: df["is_rate"]  # noqa: E731
    checks = [
        Rule("status", "is the template's example row: put in the figure and set status to published or provisional "
             "(or delete the row)", lambda df: df["status_text"] != EXAMPLE_STATUS),
        Rule("measure_id", "is not a measure id in the catalogue", lambda df: df["measure_id"].isin(known_measures)),
        Rule("area_id", "is not an area id (ONS code) in the catalogue", lambda df: df["area_id"].isin(catalogue.area_ids)),
        Rule("month", "must be a month written YYYY-MM, e.g. 2022-04", lambda df: df["month_period"].notna()),
        Rule("month", f"is in the future (the current month is {this_month:%Y-%m})",
             lambda df: df["month_period"].isna() | (df["month_period"] <= this_month)),
        Rule("month", f"is before {limits.first_month}, the first month the dashboard holds",
             lambda df: df["month_period"].isna() | (df["month_period"] >= first)),
        Rule("value", NOT_A_NUMBER, lambda df: (df["value"] == "") | df["value_number"].notna()
             | df["value"].str.fullmatch(PERCENT) | df["value_not_finite"]),
        Rule("value", PERCENT_NOT_A_NUMBER,  # a count says "looks like a percentage" below
             lambda df: ~df["value"].str.fullmatch(PERCENT) | (df["unit"] == "count")),
        *[rule for column in NUMBER_COLUMNS for rule in _finite_rules(column)],
        Rule("value", "looks like a percentage, but this measure is a count: send the number itself",
             lambda df: ~(counts(df) & (df["unit"] == "count") & (df["value"].str.endswith("%")
                                                                  | (df["value_number"].between(0, 1, inclusive="neither"))))),
        Rule("value", "is missing: counts and £m measures need a value", lambda df: ~counts(df) | (df["value"] != "")),
        Rule("value", "cannot be negative", lambda df: df["value_number"].isna() | (df["value_number"] >= 0)),
        Rule("value", "must be a whole number for a count", lambda df: ~(df["unit"] == "count") | _is_whole(df["value_number"])),
        Rule("numerator", "is missing: survey rates need a numerator and a denominator, not a percentage",
             lambda df: ~rates(df) | df["numerator_number"].notna() | df["numerator_not_finite"]),
        Rule("denominator", "is missing or not a number: survey rates need the number asked",
             lambda df: ~rates(df) | df["denominator_number"].notna() | df["denominator_not_finite"]),
        Rule("numerator", NOT_A_NUMBER, lambda df: (df["numerator"] == "") | df["numerator_number"].notna()
             | df["numerator_not_finite"]),
        Rule("denominator", NOT_A_NUMBER, lambda df: (df["denominator"] == "") | df["denominator_number"].notna()
             | df["denominator_not_finite"]),
        Rule("numerator", "cannot be negative or fractional",
             lambda df: df["numerator_number"].isna() | ((df["numerator_number"] >= 0) & _is_whole(df["numerator_number"]))),
        Rule("denominator", "must be a positive whole number",
             lambda df: df["denominator_number"].isna() | ((df["denominator_number"] > 0) & _is_whole(df["denominator_number"]))),
        Rule("numerator", "is greater than its denominator",
             lambda df: df["numerator_number"].isna() | df["denominator_number"].isna()
             | (df["numerator_number"] <= df["denominator_number"])),
        Rule("status", "must be 'published' or 'provisional'",
             lambda df: df["status_text"].isin(STATUSES) | (df["status_text"] == EXAMPLE_STATUS)),
        Rule("publish_after", "must be a date written YYYY-MM-DD",
             lambda df: (df["publish_after"] == "") | df["publish_after_date"].notna()),
        Rule("publish_after", "is needed for a provisional row: the date after which it may be published",
             lambda df: (df["status_text"] != "provisional") | df["publish_after_date"].notna()),
        Rule(", ".join(DUPLICATE_COLUMNS), "duplicates another row of the file (same measure, area and month)",
             lambda df: ~df.duplicated(DUPLICATE_COLUMNS, keep=False)),
    ]
    if partner:
        checks.append(Rule("measure_id", f"belongs to another partner, not {partner}",
                           lambda df: ~df["measure_id"].isin(known_measures) | (df["measure_partner"] == partner)))
    return checks


def _detail(rule: Rule, row: pd.Series, duplicate_rows: list[int] | None) -> str:
    if duplicate_rows is not None:
        shown = ", ".join(f"{n:,}" for n in duplicate_rows[:DUPLICATE_ROWS_SHOWN])
        more = f" and {len(duplicate_rows) - DUPLICATE_ROWS_SHOWN:,} more" if len(duplicate_rows) > DUPLICATE_ROWS_SHOWN else ""
        return f"{row['measure_id'][:60]} / {row['area_id'][:20]} / {row['month'][:10]} appears on rows {shown}{more}"
    cell = row[rule.column] if rule.column in row.index else ""
    if cell != "" and "missing" not in rule.reason:
        shown_cell = cell if len(cell) <= 40 else cell[:40] + "…"
        reason = rule.reason.replace("{figure}", shown_cell.rstrip().rstrip("%").strip())  # what to write instead
        return f"{shown_cell!r} {reason}"
    return rule.reason[0].upper() + rule.reason[1:]


def problems_in(parsed: pd.DataFrame, checks: list[Rule], listed: int) -> tuple[list[Problem], int]:
    """The first `listed` problems in file order, and the total, in time linear in the file."""
    failing = [~np.asarray(rule.passes(parsed), dtype=bool) for rule in checks]
    matrix = np.column_stack(failing) if failing else np.zeros((len(parsed), 0), dtype=bool)
    total = int(matrix.sum())
    if total == 0:
        return [], 0
    positions, rule_numbers = np.nonzero(matrix)  # row-major: file order, then rule order within a row
    positions, rule_numbers = positions[:listed], rule_numbers[:listed]
    duplicate_rule = next(i for i, r in enumerate(checks) if r.column == ", ".join(DUPLICATE_COLUMNS))
    groups = parsed.groupby(DUPLICATE_COLUMNS, sort=False).ngroup().to_numpy()
    problems = []
    for position, number in zip(positions, rule_numbers):
        row = parsed.iloc[position]
        duplicates = None
        if number == duplicate_rule:
            duplicates = parsed["row"].to_numpy()[groups == groups[position]].tolist()
        problems.append(Problem(int(row["row"]), checks[number].column, _detail(checks[number], row, duplicates)))
    return problems, total


def validate(frame: pd.DataFrame, catalogue: Catalogue, partner: str | None = None,
             limits: Settings | None = None) -> pd.DataFrame:
    """Rows ready to load, or ReturnRejected listing the first problems (row, column, reason) and the total."""
    limits = limits or settings()
    parsed = typed(frame, catalogue)
    problems, total = problems_in(parsed, rules(catalogue, partner, limits), limits.problems_listed)
    if total:
        raise ReturnRejected(problems, total)
    return rows_to_load(parsed)


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


def check_return_data(data: bytes, file_name: str, catalogue: Catalogue, partner: str | None,
                      limits: Settings) -> pd.DataFrame:
    """Read and check a return: the rows to load, or ReturnRejected. Runs in the file checker."""
    try:
        return validate(read_return(data, file_name, limits), catalogue, partner, limits)
    except ReturnRejected as rejected:
        raise rejected.named(file_name) from None


# ---------------------------------------------------------------------------
# The one path for the Data page and the command line
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckedReturn:
    """A return that passed every check: what will be loaded, and what checking it cost."""

    file_name: str
    partner: str
    sha256: str
    rows: pd.DataFrame
    check_seconds: float
    check_peak_bytes: int


def catalogue_from_db(con, today: date | None = None) -> Catalogue:
    import queries  # the checker's process imports this module and never opens the database: DuckDB loads here only

    measures = queries.run(con, "ingest/catalogue_for_validation")
    areas = frozenset(queries.run(con, "ingest/area_ids")["id"])
    return Catalogue(measures, areas, today or date.today())


def read_catalogue(db_path) -> Catalogue:
    import duckdb  # as in catalogue_from_db: only the app's and the command line's side opens the database

    con = duckdb.connect(str(Path(db_path).resolve()), read_only=True)
    try:
        return catalogue_from_db(con)
    finally:
        con.close()


def check_return(db_path, data: bytes, file_name: str, *, partner: str, limits: Settings | None = None) -> CheckedReturn:
    """Check a return in the file checker's process (limited in time and memory). Raises ReturnRejected."""
    limits = limits or settings()
    name = Path(file_name).name or "the file"
    try:
        check_size(len(data), limits)
    except ReturnRejected as rejected:
        raise rejected.named(name) from None
    checked = run_checked("return", data, name, read_catalogue(db_path), partner, limits, limits=limits)
    return CheckedReturn(name, partner, hashlib.sha256(data).hexdigest(), checked.value, checked.seconds, checked.peak_bytes)


def load_return(db_path, checked: CheckedReturn, *, actor: Actor, confirmed: bool | str = False):
    """Load a checked return (see ingest.loading.load_rows for `confirmed`)."""
    from ingest.loading import load_rows  # as in catalogue_from_db: DuckDB stays out of the checker's process

    return load_rows(db_path, checked.rows, kind="partner return", partner=checked.partner, file_name=checked.file_name,
                     sha256=checked.sha256, actor=actor, confirmed=confirmed)


def load_return_file(db_path, data: bytes, file_name: str, *, partner: str, actor: Actor, check_only: bool = False,
                     confirmed: bool | str = False, limits: Settings | None = None):
    """Check and (unless check_only) load a return. Returns the rows that would load (check_only) or the LoadResult."""
    require(actor, "load data")  # even a check: only a co-ordinator's files are read at all
    checked = check_return(db_path, data, file_name, partner=partner, limits=limits)
    if check_only:
        return checked.rows
    return load_return(db_path, checked, actor=actor, confirmed=confirmed)
