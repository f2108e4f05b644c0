"""Build the demo database: real police.uk measures plus seeded synthetic partner data.

The database is built in a temporary file beside the target and then linked into
place, so a reader never sees a half-built file and an existing file is never
overwritten.
"""
from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

import queries
from core.home_force import home_force
from ingest import POLICE_UK_LSOA_COUNTS, home_office, police_uk, schema, synthetic
from ingest.loading import OBSERVATION_COLUMNS, insert_frame, record_submission, sha256_file

DEMO_USER = "demo build"
POLICE_SUBMISSION, SYNTHETIC_SUBMISSION = 1, 2


class DatabaseExists(FileExistsError):
    pass


def build_demo(db_path: Path | str, *, lsoa_counts: Path = POLICE_UK_LSOA_COUNTS, last_month: str | None = None) -> dict[str, float]:
    """Build the demo at db_path, which must not exist. Returns timings in seconds.

    last_month (YYYY-MM) leaves later months out, e.g. to try the importer on an unseen month.
    """
    db_path = Path(db_path)
    if db_path.exists():
        raise DatabaseExists(f"{db_path} already exists; the demo build never overwrites a database")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    building = db_path.with_name(f".{db_path.name}.building-{os.getpid()}")
    building.unlink(missing_ok=True)
    started = time.perf_counter()
    try:
        con = duckdb.connect(str(building))
        try:
            queries.execute(con, "ingest/begin_transaction")
            populate_demo(con, lsoa_counts, last_month)
            queries.execute(con, "ingest/commit")
            queries.execute(con, "ingest/checkpoint")
        finally:
            con.close()
        try:
            os.link(building, db_path)  # fails if another process got there first
        except FileExistsError as exists:
            raise DatabaseExists(f"{db_path} appeared while the demo was building; left it as it is") from exists
    finally:
        building.unlink(missing_ok=True)
        Path(f"{building}.wal").unlink(missing_ok=True)
    return {"seconds": time.perf_counter() - started}


def populate_demo(con: duckdb.DuckDBPyConnection, lsoa_counts: Path, last_month: str | None = None) -> None:
    schema.create_schema(con)
    schema.load_catalogue(con)
    schema.set_meta(con, "dataset", "demo")
    schema.set_meta(con, "as_at", synthetic.AS_AT.isoformat())
    schema.set_meta(con, "built_at", datetime.now().isoformat(timespec="seconds"))

    police_uk.stage_shipped_lsoa_counts(con, lsoa_counts)
    if last_month:
        queries.execute(con, "ingest/trim_police_uk_staging", {"last_month": pd.Period(last_month, "M").start_time.date()})
    police_rows = police_uk.derive_observations(con).assign(status="published", publish_after=pd.NaT)
    added = insert_observations(con, police_rows, POLICE_SUBMISSION, roll_up=False)
    record_demo_submission(con, POLICE_SUBMISSION, "police.uk street-level crime (shipped LSOA counts)", "Police",
                      lsoa_counts, rows_in_file=len(police_rows), rows_added=added)
    months = pd.DatetimeIndex(sorted(pd.to_datetime(police_rows["month"].unique())))

    leaves = queries.run(con, "ingest/located_leaf_areas")
    leaf_rows = pd.concat([synthetic.synthetic_counts(months, leaves), synthetic.synthetic_surveys(months, leaves)],
                          ignore_index=True)
    added = insert_observations(con, synthetic.apply_availability(leaf_rows), SYNTHETIC_SUBMISSION, roll_up=True)
    insert_frame(con, "savings_lines", synthetic.savings_lines())
    insert_frame(con, "savings_banked", synthetic.savings_banked())
    force_id = home_force(con)
    savings = queries.run(con, "ingest/savings_observations", {"force_area_id": force_id})
    added += insert_observations(con, savings, SYNTHETIC_SUBMISSION, roll_up=False)
    insert_frame(con, "missing_person_reports", synthetic.missing_person_records(months, leaves))
    missing = queries.run(con, "ingest/missing_person_observations")
    added += insert_observations(con, missing, SYNTHETIC_SUBMISSION, roll_up=False)
    record_demo_submission(con, SYNTHETIC_SUBMISSION, f"synthetic partner data (seed {synthetic.SEED})", "Demo generator",
                      Path(synthetic.__file__), rows_in_file=added, rows_added=added)
    last_month = months[-1].date()
    insert_frame(con, "data_availability", synthetic.availability_rows(last_month))
    quarter_start = pd.Timestamp(last_month).to_period("Q-MAR").start_time.date()
    insert_frame(con, "commentary", synthetic.demo_commentary(force_id, quarter_start, last_month))
    home_office.load(con)  # Home Office recorded crime by force, for the Similar forces page


def insert_observations(con, rows: pd.DataFrame, submission_id: int, *, roll_up: bool) -> int:
    """Insert rows (rolled up to every area above theirs when roll_up); returns rows inserted."""
    frame = rows.copy()
    for column in ("value", "numerator", "denominator"):
        if column not in frame:
            frame[column] = np.nan
    frame = frame[OBSERVATION_COLUMNS]
    return queries.execute(con, "ingest/insert_observations", {"submission_id": submission_id, "roll_up": roll_up},
                           frames={"incoming_observations": frame})


def record_demo_submission(con, submission_id: int, file_name: str, partner: str, source: Path, *,
                           rows_in_file: int, rows_added: int) -> None:
    record_submission(con, submission_id=submission_id, kind="demo", partner=partner, file_name=file_name,
                      sha256=sha256_file(source), loaded_by=DEMO_USER, rows_in_file=rows_in_file,
                      rows_added=rows_added, rows_replaced=0)
