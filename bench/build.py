"""Build the national database through the project's own loaders.

The schema and catalogue load (ingest.schema), the police.uk counting (ingest.police_uk_files.count_file,
the importer's reader) and derivation (ingest.police_uk: the importer's staging table and SQL), the demo's
observation insert with roll-up, and the demo's synthetic partner generators, run per force. Street files
are written and counted in worker processes, a force's month per file, and deleted once counted unless kept;
each three months of every force are then derived and inserted in one go, so memory stays that of a few
months. Each insert commits as it goes (one transaction for the whole build held every row in memory);
the file is built beside the target and renamed into place at the end, so no reader sees it half-built.
"""
from __future__ import annotations

import hashlib
import os
import resource
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

import queries
from bench.catalogue import NationalCatalogue
from bench.street_files import ForceLsoas, Lsoas, file_name, records_per_file, street_table, synthetic_lsoas, write_street_file
from core.home_force import home_force
from core.settings import settings
from ingest import home_office, police_uk, schema, synthetic
from ingest.demo import insert_observations
from ingest.loading import insert_frame, record_submission
from ingest.police_uk_files import count_file

POLICE_SUBMISSION, SYNTHETIC_SUBMISSION = 1, 2
BUILT_BY = "national benchmark"
MONTHS_PER_DERIVATION = 3  # months of every force staged and derived at once


@dataclass
class BuildReport:
    seconds: dict[str, float] = field(default_factory=dict)
    files: int = 0
    records: int = 0
    file_bytes: int = 0
    observations: int = 0
    database_bytes: int = 0
    worker_peak_bytes: int = 0  # the largest peak resident memory of a file-writing worker


@dataclass(frozen=True)
class StreetJob:
    """What a worker needs to write and count every file (sent once to each worker)."""

    lsoas: Lsoas
    force_ids: tuple[str, ...]
    force_names: tuple[str, ...]
    months: tuple[str, ...]
    folder: Path
    seed: int
    keep: bool


_JOB: StreetJob | None = None
_FORCE_LSOAS: dict[str, ForceLsoas] = {}  # per worker: a force's LSOAs as Arrow arrays, made once


def _start_worker(job: StreetJob) -> None:
    global _JOB
    _JOB = job


def make_and_count(task: tuple[int, int, int]):
    """Write one force's month of records as a police.uk file and count it as the importer does."""
    force, month, records = task
    job = _JOB
    rng = np.random.default_rng([job.seed, 1, force, month])
    force_id, force_name = job.force_ids[force], job.force_names[force]
    if force_id not in _FORCE_LSOAS:
        _FORCE_LSOAS[force_id] = job.lsoas.of_force(force_id)
    table = street_table(rng, force_name, job.months[month], records, _FORCE_LSOAS[force_id])
    path = job.folder / file_name(job.months[month], force_name)
    size = write_street_file(path, table)
    counted = count_file(path, path.name, settings(), date.today(), frozenset(job.force_names))
    if not job.keep:
        path.unlink()
    return counted, size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def bench_catalogue_folder(catalogue: NationalCatalogue, folder: Path) -> Path:
    """The catalogue files, every measure flagged synthetic: every figure in this database is made up."""
    catalogue.write(folder)
    measures = pd.read_csv(folder / "measures.csv", dtype={"note": str})
    measures["synthetic"] = True
    measures.to_csv(folder / "measures.csv", index=False)
    return folder


def build_national(db_path: Path, catalogue: NationalCatalogue, months: pd.PeriodIndex, records: int, seed: int,
                   work: Path, *, workers: int, keep_files: bool = False, log=print) -> BuildReport:
    report = BuildReport()
    started = time.perf_counter()
    building = db_path.with_name(f".{db_path.name}.building")
    building.unlink(missing_ok=True)
    con = duckdb.connect(str(building))
    schema.create_schema(con)
    schema.load_catalogue(con, bench_catalogue_folder(catalogue, work / "catalogue"))
    schema.set_meta(con, "dataset", "national benchmark (synthetic)")
    schema.set_meta(con, "as_at", (months[-1].end_time.date()).isoformat())
    schema.set_meta(con, "built_at", datetime.now().isoformat(timespec="seconds"))
    report.seconds["schema and catalogue"] = time.perf_counter() - started

    started = time.perf_counter()
    police_rows = load_street_records(con, catalogue, months, records, seed, work, workers, keep_files, report, log)
    digest = hashlib.sha256(f"synthetic police.uk street files, seed {seed}, {report.files} files".encode())
    record_submission(con, submission_id=POLICE_SUBMISSION, kind="demo", partner="Police",
                      file_name=f"synthetic police.uk street files ({report.files:,} files, seed {seed})",
                      sha256=digest.hexdigest(), loaded_by=BUILT_BY, rows_in_file=report.records,
                      rows_added=police_rows, rows_replaced=0)
    report.seconds["street files: write, count, derive, insert"] = time.perf_counter() - started

    started = time.perf_counter()
    partner_rows = load_partner_data(con, catalogue, months, seed)
    record_submission(con, submission_id=SYNTHETIC_SUBMISSION, kind="demo", partner="Demo generator",
                      file_name=f"synthetic partner data for every force (seed {seed})",
                      sha256=hashlib.sha256(f"partner data, seed {seed}".encode()).hexdigest(), loaded_by=BUILT_BY,
                      rows_in_file=partner_rows, rows_added=partner_rows, rows_replaced=0)
    report.seconds["partner measures, missing persons, savings, Home Office"] = time.perf_counter() - started

    started = time.perf_counter()
    queries.execute(con, "ingest/checkpoint")
    report.observations = int(con.execute(queries.sql("bench/observation_count")).fetchone()[0])
    con.close()
    os.replace(building, db_path)
    report.database_bytes = db_path.stat().st_size
    report.seconds["checkpoint"] = time.perf_counter() - started
    return report


def load_street_records(con, catalogue: NationalCatalogue, months: pd.PeriodIndex, records: int, seed: int, work: Path,
                        workers: int, keep_files: bool, report: BuildReport, log) -> int:
    """Write and count every force's month (in workers), then derive and insert every three months as they
    complete."""
    # A file lives only until it is counted, so unless kept it is written to memory (tmpfs) where there is one.
    shared_memory = Path("/dev/shm")
    folder = work / "street" if keep_files or not shared_memory.is_dir() else Path(
        tempfile.mkdtemp(prefix="bench-street-", dir=shared_memory))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return _load_street_records(con, catalogue, months, records, seed, folder, workers, keep_files, report, log)
    finally:
        if not keep_files:
            shutil.rmtree(folder, ignore_errors=True)


def _load_street_records(con, catalogue, months, records, seed, folder, workers, keep_files, report, log) -> int:
    forces = catalogue.police_uk_forces
    force_ids = tuple(forces["force_area_id"])
    populations = catalogue.areas.set_index("id").loc[list(force_ids), "population"].to_numpy(dtype=float)
    per_file = records_per_file(seed, populations, len(months), records)
    job = StreetJob(synthetic_lsoas(catalogue.districts), force_ids, tuple(forces["name"]),
                    tuple(str(m) for m in months), folder, seed, keep_files)
    tasks = [(f, m, int(per_file[f, m])) for m in range(len(months)) for f in range(len(force_ids))]
    inserted, batch = 0, []
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(job,)) as pool:
        for number, (counted, size, peak) in enumerate(pool.map(make_and_count, tasks, chunksize=4), start=1):
            report.worker_peak_bytes = max(report.worker_peak_bytes, peak)
            report.files += 1
            report.records += counted.rows
            report.file_bytes += size
            batch.append(counted.counts.assign(force=counted.force))
            if number % (len(force_ids) * MONTHS_PER_DERIVATION) == 0 or number == len(tasks):
                # Each file is one force's month, counted by key: the files' counts need no merging.
                police_uk.stage_lsoa_counts(con, pd.concat(batch, ignore_index=True))
                rows = police_uk.derive_observations(con).assign(status="published", publish_after=pd.NaT)
                inserted += insert_observations(con, rows, POLICE_SUBMISSION, roll_up=False)
                batch = []
                if number % (len(force_ids) * 12) == 0:
                    log(f"  street records: {report.records:,} in {report.files:,} files")
    return inserted


def load_partner_data(con, catalogue: NationalCatalogue, months: pd.PeriodIndex, seed: int) -> int:
    """The demo's synthetic partner measures and missing-person records, for each force's own districts."""
    month_starts = pd.DatetimeIndex([m.start_time for m in months])
    leaves = queries.run(con, "ingest/located_leaf_areas")
    force_of = catalogue.districts.drop_duplicates("area_id").set_index("area_id")["force_id"]
    leaves["force_id"] = force_of.loc[leaves["id"]].to_numpy()
    leaf_rows, reports = [], []
    for number, (force_id, force_leaves) in enumerate(leaves.groupby("force_id", sort=False)):
        force_leaves = force_leaves.reset_index(drop=True)
        force_seed = (seed, 2, number)  # each force's own draws, each measure's from its own generator
        leaf_rows += [synthetic.synthetic_counts(month_starts, force_leaves, force_seed),
                      synthetic.synthetic_surveys(month_starts, force_leaves, force_seed)]
        records = synthetic.missing_person_records(month_starts, force_leaves, force_seed)
        reports.append(records.assign(person_id=force_id + "-" + records["person_id"]))
    added = insert_observations(con, synthetic.apply_availability(pd.concat(leaf_rows, ignore_index=True)),
                                SYNTHETIC_SUBMISSION, roll_up=True)
    insert_frame(con, "savings_lines", synthetic.savings_lines())
    insert_frame(con, "savings_banked", synthetic.savings_banked())
    force_id = home_force(con)  # the catalogue lists DEMO_FORCE first
    savings = queries.run(con, "ingest/savings_observations", {"force_area_id": force_id})
    added += insert_observations(con, savings, SYNTHETIC_SUBMISSION, roll_up=False)
    reports = pd.concat(reports, ignore_index=True).sort_values(["report_date", "person_id"], kind="stable")
    reports["report_id"] = np.arange(1, len(reports) + 1)
    insert_frame(con, "missing_person_reports", reports.reset_index(drop=True))
    added += insert_observations(con, queries.run(con, "ingest/missing_person_observations"), SYNTHETIC_SUBMISSION,
                                 roll_up=False)
    last_month = month_starts[-1].date()
    insert_frame(con, "data_availability", synthetic.availability_rows(last_month))
    quarter_start = pd.Timestamp(last_month).to_period("Q-MAR").start_time.date()
    insert_frame(con, "commentary", synthetic.demo_commentary(force_id, quarter_start, last_month))
    home_office.load(con)
    return added
