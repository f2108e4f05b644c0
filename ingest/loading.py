"""Loading observations: replace by key, keep history, audit every load, undo a load.

Every write goes through ingest.publish, so a load is one transaction on a draft
that is published atomically, or nothing at all. A load that would replace values
already held, and every undo, first says what will change (old -> new) and goes
ahead only when that exact change is confirmed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

import queries
from access import Actor, require
from core.errors import LoadRefused
from core.home_force import home_force
from ingest.publish import publish

NOT_UNDOABLE = ("demo", "undo", "publication")  # records of a build, an undo, or an early publication
OBSERVATION_COLUMNS = ["measure_id", "area_id", "month", "value", "numerator", "denominator", "status", "publish_after"]
CHANGES_SHOWN = 200  # changed values listed in a preview; the counts are always whole


@dataclass(frozen=True)
class LoadResult:
    submission_id: int
    rows_in_file: int
    added: int
    replaced: int
    unchanged: int
    months: tuple[str, ...] = ()  # YYYY-MM, when the load knows them (police.uk imports)

    def summary(self) -> str:
        return (f"Submission {self.submission_id}: {self.rows_in_file:,} rows read; {self.added:,} added, "
                f"{self.replaced:,} replaced (previous values kept in history), {self.unchanged:,} unchanged.")


def _shown(value, numerator, denominator, status) -> str:
    if value is None or pd.isna(value):
        return "nothing"
    text = f"{value:,.4g}" if abs(value) < 1e15 else f"{value:.4g}"
    if numerator is not None and not pd.isna(numerator):
        text += f" ({numerator:,.0f}/{denominator:,.0f})"
    return text if status == "published" else f"{text} {status}"


@dataclass(frozen=True)
class ChangePreview:
    """What a load or undo will do to values already held, before it is done."""

    action: str  # "load" or "undo"
    added: int
    replaced: int
    unchanged: int
    removed: int
    changes: pd.DataFrame  # measure_id, area_id, their names, month, old and new value, numerator, denominator, status

    @property
    def fingerprint(self) -> str:
        """Identifies exactly this change: a confirmation applies to it and to nothing else."""
        digest = hashlib.sha256(f"{self.action}|{self.added}|{self.replaced}|{self.unchanged}|{self.removed}".encode())
        digest.update(self.changes.to_csv(index=False).encode())
        return digest.hexdigest()

    @property
    def needs_confirmation(self) -> bool:
        return self.replaced > 0 or self.removed > 0

    def headline(self) -> str:
        if self.action == "undo":
            return (f"This undo removes {self.removed:,} value{'s' if self.removed != 1 else ''} and puts back "
                    f"{self.replaced:,} earlier one{'s' if self.replaced != 1 else ''}.")
        return (f"This load replaces {self.replaced:,} value{'s' if self.replaced != 1 else ''} already held, "
                f"adds {self.added:,} and leaves {self.unchanged:,} unchanged.")

    def table(self) -> pd.DataFrame:
        """The changes in words: the measure's and area's names (not ids or codes), month, old -> new."""
        frame = self.changes
        return pd.DataFrame({
            "measure": frame["measure"],
            "area": frame["area"],
            "month": pd.to_datetime(frame["month"]).dt.strftime("%Y-%m"),
            "old": [_shown(*r) for r in frame[["old_value", "old_numerator", "old_denominator", "old_status"]]
                    .itertuples(index=False)],
            "new": [_shown(*r) for r in frame[["new_value", "new_numerator", "new_denominator", "new_status"]]
                    .itertuples(index=False)],
        })

    def lines(self, limit: int = CHANGES_SHOWN) -> list[str]:
        table = self.table()
        shown = [f"{r.measure} / {r.area} / {r.month}: {r.old} -> {r.new}" for r in table.head(limit).itertuples()]
        if len(table) > limit:
            shown.append(f"... and {len(table) - limit:,} more")
        return shown


class ChangesNeedConfirmation(LoadRefused):
    """The load or undo would replace values already held: nothing was changed until it is confirmed."""

    def __init__(self, preview: ChangePreview):
        self.preview = preview
        super().__init__(f"{preview.headline()} Nothing was changed: confirm to go ahead.")

    def details(self) -> list[str]:
        return self.preview.lines()


class UndoRefused(LoadRefused):
    pass


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert a DataFrame's rows into a table through its named statement ingest/insert_<table>."""
    queries.execute(con, f"ingest/insert_{table}", frames={f"incoming_{table}": frame})


def next_submission_id(con: duckdb.DuckDBPyConnection) -> int:
    return int(queries.run(con, "ingest/next_submission_id").iloc[0, 0])


def _check_confirmed(preview: ChangePreview, confirmed: bool | str) -> None:
    if preview.needs_confirmation and not (confirmed is True or confirmed == preview.fingerprint):
        raise ChangesNeedConfirmation(preview)


def replace_observations(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, submission_id: int,
                         confirmed: bool | str = False) -> tuple[int, int, int]:
    """Insert rows, replacing stored rows with the same measure, area and month.

    Replaced values go to observation_history; identical rows are left alone, so
    loading the same data twice changes nothing. Replacing needs `confirmed`: True,
    or the fingerprint of the preview the person saw. Returns (added, replaced, unchanged).
    """
    frame = rows.copy()
    for column in OBSERVATION_COLUMNS:
        if column not in frame:
            frame[column] = None
    queries.execute(con, "ingest/classify_incoming", frames={"incoming_observations": frame[OBSERVATION_COLUMNS]})
    counts = queries.run(con, "ingest/change_counts").iloc[0]
    added, replaced, unchanged = int(counts.added), int(counts.replaced), int(counts.unchanged)
    preview = ChangePreview("load", added, replaced, unchanged, 0, queries.run(con, "ingest/replaced_preview"))
    _check_confirmed(preview, confirmed)
    params = {"submission_id": submission_id}
    queries.execute(con, "ingest/archive_replaced", params)
    queries.execute(con, "ingest/delete_replaced")
    queries.execute(con, "ingest/insert_incoming", params)
    return added, replaced, unchanged


def record_submission(con: duckdb.DuckDBPyConnection, *, submission_id: int, kind: str, partner: str | None,
                      file_name: str, sha256: str, loaded_by: str, rows_in_file: int, rows_added: int,
                      rows_replaced: int) -> None:
    insert_frame(con, "submissions", pd.DataFrame([{
        "id": submission_id, "loaded_at": datetime.now(), "loaded_by": loaded_by, "kind": kind, "partner": partner,
        "file_name": file_name, "sha256": sha256, "rows_in_file": rows_in_file, "rows_added": rows_added,
        "rows_replaced": rows_replaced,
    }]))


def months_words(months) -> str:
    """ "April 2022", "May–October 2022", "December 2021–March 2022", or a list when months are missing between."""
    periods = sorted({pd.Period(m, "M") for m in months})
    if not periods:
        return "no months"
    first, last = periods[0], periods[-1]
    if len(periods) == 1:
        return f"{first.strftime('%B %Y')}"
    if len(periods) != (last - first).n + 1:
        return ", ".join(p.strftime("%B %Y") for p in periods)
    start = first.strftime("%B") if first.year == last.year else first.strftime("%B %Y")
    return f"{start}–{last.strftime('%B %Y')}"


def loaded_totals(con, measure_ids, months, area_id: str | None = None) -> str:
    """What a load put in, in words to check against its source: its months and each measure's force-area
    value month by month, e.g. "Loaded May–October 2022: All recorded crime at the force 9,104 / 9,321 / …".
    The figures are the home force's unless an area is given."""
    area_id = area_id or home_force(con)
    month_days = sorted({pd.Period(m, "M").start_time.date() for m in months})
    held = queries.run(con, "ingest/force_totals", {"measure_ids": sorted(set(measure_ids)), "months": month_days,
                                                    "area_id": area_id})
    lines = [f"{name} at the force {' / '.join(f'{v:,.4g}' if abs(v) < 1e4 else f'{v:,.0f}' for v in group['value'])}"
             for name, group in held.groupby("measure", sort=False)]
    return f"Loaded {months_words(month_days)}: " + ("; ".join(lines) if lines else "no force-area figures in this load") + "."


def submission_totals(con, submission_id: int, area_id: str | None = None) -> str:
    """loaded_totals for the measures and months a load wrote."""
    written = queries.run(con, "ingest/submission_months", {"submission_id": submission_id})
    return loaded_totals(con, written["measure_id"], written["month"], area_id)


def who(actor: Actor, action: str) -> str:
    """The identity the audit records, once the actor's role allows the action (else NotAllowed)."""
    return require(actor, action).who


def load_rows(db_path: Path | str, rows: pd.DataFrame, *, kind: str, partner: str | None, file_name: str,
              sha256: str, actor: Actor, rows_in_file: int | None = None, before_load=None,
              confirmed: bool | str = False) -> LoadResult:
    """Load validated rows as one published change with its audit row.

    before_load(con) runs first inside the same transaction (the police.uk importer
    stages its counts there). Replacing values already held needs `confirmed`
    (see replace_observations); otherwise ChangesNeedConfirmation carries the preview.
    """
    loaded_by = who(actor, "load data")
    with publish(db_path) as con:
        if before_load is not None:
            rows = before_load(con)
        submission_id = next_submission_id(con)
        added, replaced, unchanged = replace_observations(con, rows, submission_id, confirmed)
        in_file = len(rows) if rows_in_file is None else rows_in_file
        record_submission(con, submission_id=submission_id, kind=kind, partner=partner, file_name=file_name,
                          sha256=sha256, loaded_by=loaded_by, rows_in_file=in_file, rows_added=added,
                          rows_replaced=replaced)
    return LoadResult(submission_id, in_file, added, replaced, unchanged)


def undo_submission(db_path: Path | str, submission_id: int, *, actor: Actor, confirmed: bool | str = False) -> LoadResult:
    """Take a load back out: remove its rows and restore the values it replaced.

    Always shows what it will change first: without `confirmed` (True or the preview's
    fingerprint) it raises ChangesNeedConfirmation and changes nothing.
    """
    undone_by = who(actor, "undo a load")
    with publish(db_path) as con:
        params = {"submission_id": submission_id}
        original = queries.run(con, "ingest/submission", params)
        if original.empty:
            raise UndoRefused(f"There is no submission {submission_id}.")
        if original.iloc[0]["kind"] in NOT_UNDOABLE:
            raise UndoRefused(f"Submission {submission_id} is a {original.iloc[0]['kind']} record and cannot be undone.")
        blockers = queries.run(con, "ingest/undo_blockers", params)["later_submission"].tolist()
        if blockers:
            later = ", ".join(str(int(b)) for b in blockers)
            raise UndoRefused(f"Later loads ({later}) replaced rows of submission {submission_id}; undo those first.")
        changes = queries.run(con, "ingest/undo_preview", params)
        if changes.empty:
            raise UndoRefused(f"Submission {submission_id} has no rows left to undo (already undone, or it changed nothing).")
        preview = ChangePreview("undo", 0, int(changes["new_value"].notna().sum()), 0, len(changes), changes)
        _check_confirmed(preview, confirmed)
        removed = queries.execute(con, "ingest/undo_delete", params) or 0
        restored = queries.execute(con, "ingest/undo_restore", params) or 0
        queries.execute(con, "ingest/undo_forget_history", params)
        undo_id = next_submission_id(con)
        record_submission(con, submission_id=undo_id, kind="undo", partner=original.iloc[0]["partner"],
                          file_name=f"undo of submission {submission_id} ({original.iloc[0]['file_name']})",
                          sha256=original.iloc[0]["sha256"], loaded_by=undone_by, rows_in_file=removed,
                          rows_added=restored, rows_replaced=removed)
    return LoadResult(undo_id, removed, restored, removed, 0)
