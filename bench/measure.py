"""What the national benchmark measures besides pages: named queries, SPC of every series, a police.uk
month import, and the same aggregations written in pandas (the baseline a user would otherwise write).

Every pandas baseline is checked against the dashboard's own result before its time is reported.
"""
from __future__ import annotations

import csv
import re
import statistics
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

import queries
from analysis import spc
from bench.apptest import percentile
from core.settings import settings
from datastore import VisibleCursor
from ingest import police_uk
from ingest.police_uk_files import count_file

PARAMETER = re.compile(r"\$([a-z_]+)")


@dataclass(frozen=True)
class Timing:
    what: str
    median: float
    p95: float
    runs: int
    note: str = ""


def timed(function, runs: int) -> tuple[list[float], object]:
    result = function()  # warm-up: the first run reads from disk and plans
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times, result


def named_queries(con: duckdb.DuckDBPyConnection, params: dict, runs: int) -> list[Timing]:
    """Every query in queries/app with the standard parameters (a fresh cursor per run, as the app)."""
    timings = []
    for path in sorted((queries.QUERY_DIR / "app").glob("*.sql")):
        name = f"app/{path.stem}"
        wanted = sorted(set(PARAMETER.findall(path.read_text(encoding="utf-8"))) - set(VisibleCursor.VISIBILITY_PARAMS))
        unknown = [p for p in wanted if p not in params]
        if unknown:
            timings.append(Timing(name, float("nan"), float("nan"), 0, f"not run: no standard value for ${unknown[0]}"))
            continue

        def run(name=name, wanted=wanted):
            cursor = con.cursor()
            try:
                return queries.run(cursor, name, {p: params[p] for p in wanted} or None)
            finally:
                cursor.close()

        times, result = timed(run, runs)
        timings.append(Timing(name, statistics.median(times), percentile(times, 95), runs, f"{len(result):,} rows"))
    return timings


@dataclass(frozen=True)
class SpcTiming:
    series: int
    points: int
    left_out: int
    fetch: float
    arrange: float
    xmr: float


def spc_of_every_series(con: duckdb.DuckDBPyConnection, runs: int) -> SpcTiming:
    """XmR (analysis.spc.xmr_batch) of every measure and area with a value in every month."""
    started = time.perf_counter()
    values = queries.run(con, "bench/published_values")
    fetch = time.perf_counter() - started
    started = time.perf_counter()
    months = values["month"].nunique()
    sizes = values.groupby(["measure_id", "area_id"], sort=False)["value"].transform("size")
    whole = values[sizes == months]  # sorted by measure, area, month: one row of the array per series
    array = whole["value"].to_numpy(dtype=float).reshape(-1, months)
    arrange = time.perf_counter() - started
    times, _ = timed(lambda: spc.xmr_batch(array), runs)
    left_out = values.groupby(["measure_id", "area_id"]).ngroups - len(array)
    return SpcTiming(len(array), months, left_out, fetch, arrange, statistics.median(times))


@dataclass(frozen=True)
class Baseline:
    what: str
    dashboard: float
    pandas: float
    runs: int
    checked: str

    @property
    def ratio(self) -> float:
        return self.pandas / self.dashboard


def overview_baseline(con, observations: pd.DataFrame, area_id: str, first: date, last: date, runs: int) -> Baseline:
    """The Overview's figures for an area and period: the named query against a pandas filter and group-by."""
    params = {"area_id": area_id, "first": first, "last": last, "priority_id": None}
    times_db, table = timed(lambda: queries.run(con.cursor(), "app/overview", params), runs)

    def in_pandas():
        rows = observations[(observations["area_id"] == area_id) & (observations["month"] >= pd.Timestamp(first))
                            & (observations["month"] <= pd.Timestamp(last))]
        grouped = rows.sort_values("month").groupby("measure_id")
        return pd.DataFrame({"months_with_data": grouped.size(), "total": grouped["value"].sum(),
                             "numerator": grouped["numerator"].sum(min_count=1),
                             "denominator": grouped["denominator"].sum(min_count=1),
                             "latest_month": grouped["month"].max(), "latest_value": grouped["value"].last()})

    times_pd, frame = timed(in_pandas, runs)
    held = table.dropna(subset=["total"]).set_index("measure_id")
    assert np.allclose(frame.loc[held.index, "total"], held["total"]), "the pandas Overview totals differ"
    return Baseline("Overview figures, one area and quarter (every measure)", statistics.median(times_db),
                    statistics.median(times_pd), runs, f"{len(held)} measures' totals equal")


def areas_baseline(con, observations: pd.DataFrame, areas: pd.DataFrame, measure_id: str, runs: int) -> Baseline:
    """One measure's monthly series for every area with a population (the explorer's Areas view)."""
    times_db, table = timed(lambda: queries.run(con.cursor(), "app/measure_by_area", {"measure_id": measure_id}),
                            runs)
    located = areas[areas["population"].notna()][["id", "name", "kind", "population"]]

    def in_pandas():
        rows = observations[observations["measure_id"] == measure_id]
        return rows.merge(located, left_on="area_id", right_on="id")

    times_pd, frame = timed(in_pandas, runs)
    assert len(frame) == len(table) and np.isclose(frame["value"].sum(), table["value"].sum()), "areas differ"
    return Baseline(f"Every area's monthly {measure_id} (Areas view)", statistics.median(times_db),
                    statistics.median(times_pd), runs, f"{len(table):,} rows, same sum")


def derivation_in_pandas(counts: pd.DataFrame, areas: pd.DataFrame, forces: pd.DataFrame, measures: pd.DataFrame,
                         ancestors: pd.DataFrame) -> pd.DataFrame:
    """queries/ingest/police_uk_observations.sql written in pandas."""
    force_areas = (ancestors.merge(forces, left_on="ancestor_id", right_on="force_area_id")[["name", "area_id"]]
                   .merge(areas[["id", "lsoa_prefix"]], left_on="area_id", right_on="id")
                   .rename(columns={"name": "force"}))
    counts = counts.assign(lsoa_prefix=counts["lsoa_name"].str.extract(r"^(.*) [0-9A-Z]+$", expand=False))
    located = counts.merge(force_areas.dropna(subset=["lsoa_prefix"])[["force", "lsoa_prefix", "area_id"]],
                           on=["force", "lsoa_prefix"], how="left").merge(forces, left_on="force", right_on="name")
    located["leaf"] = np.where(located["lsoa_name"].isna(), located["no_location_area_id"],
                               located["area_id"].fillna(located["outside_area_id"]))
    by_type = measures[measures["police_uk_crime_type"] != "*"].merge(
        located, left_on="police_uk_crime_type", right_on="crime_type")
    everything = located[located["crime_type"] != "Anti-social behaviour"].assign(
        id=measures.loc[measures["police_uk_crime_type"] == "*", "id"].iloc[0])
    by_measure = pd.concat([by_type, everything], ignore_index=True)[["id", "leaf", "month", "records"]]
    rolled = (by_measure.merge(ancestors, left_on="leaf", right_on="area_id")
              .groupby(["id", "ancestor_id", "month"], as_index=False)["records"].sum())
    grid = (counts[["force", "month"]].drop_duplicates().merge(force_areas[["force", "area_id"]], on="force")
            .merge(measures[["id"]], how="cross"))
    result = grid.merge(rolled.rename(columns={"ancestor_id": "area_id"}), on=["id", "area_id", "month"], how="left")
    result["value"] = result["records"].fillna(0).astype(float)
    return result.rename(columns={"id": "measure_id"})[["measure_id", "area_id", "month", "value"]]


def derivation_baseline(con, counts: pd.DataFrame, runs: int) -> Baseline:
    """A month of every force's police.uk records, from LSOA counts to every measure and area."""
    police_uk.stage_lsoa_counts(con, counts)
    times_db, table = timed(lambda: police_uk.derive_observations(con), runs)
    lookups = [queries.run(con, name) for name in ("bench/areas", "bench/police_uk_forces",
                                                   "bench/police_uk_measures", "bench/area_ancestors")]
    staged = counts.assign(month=pd.to_datetime(counts["month"]))
    times_pd, frame = timed(lambda: derivation_in_pandas(staged, *lookups), runs)
    key = ["measure_id", "area_id", "month"]
    mine = frame.assign(month=pd.to_datetime(frame["month"])).sort_values(key).reset_index(drop=True)
    theirs = table.assign(month=pd.to_datetime(table["month"])).sort_values(key).reset_index(drop=True)
    assert len(mine) == len(theirs) and (mine["value"].to_numpy() == theirs["value"].to_numpy()).all(), \
        "the pandas derivation differs"
    return Baseline("A month of police.uk counts to every measure and area", statistics.median(times_db),
                    statistics.median(times_pd), runs, f"{len(table):,} rows, every value equal")


def counting_baseline(files: list[Path], runs: int) -> Baseline:
    """Reading a month of raw files and counting records by month, LSOA and crime type: the importer's
    reader (Python's csv, with its checks) against pandas.read_csv and a group-by."""
    limits, today = settings(), date.today()

    def importer():
        return sum(int(count_file(path, path.name, limits, today).counts["records"].sum()) for path in files)

    def in_pandas():
        total = 0
        for path in files:
            frame = pd.read_csv(path, usecols=["Month", "Falls within", "LSOA code", "LSOA name", "Crime type"],
                                dtype=str, keep_default_na=False)
            total += int(frame.groupby(["Month", "LSOA code", "LSOA name", "Crime type"]).size().sum())
        return total

    times_importer, counted = timed(importer, runs)
    times_pd, total = timed(in_pandas, runs)
    rows = sum(sum(1 for _ in csv.reader(open(path, newline="", encoding="utf-8"))) - 1 for path in files)
    assert counted == total == rows, (counted, total, rows)
    return Baseline(f"Reading and counting a month's raw files ({len(files)} files, {rows:,} records)",
                    statistics.median(times_importer), statistics.median(times_pd), runs,
                    "same total as a count of the files' lines")
