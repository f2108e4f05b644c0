"""The demo database: schema, real police.uk counts, rollups and synthetic data."""
from __future__ import annotations

import csv

import duckdb
import pandas as pd
import pytest
from conftest import FORCE, PROJECT_ROOT, raw_police_uk_files

from core.schema import SCHEMA_VERSION
from ingest import CATALOGUE_DIR, POLICE_UK_LSOA_COUNTS
from ingest.demo import DatabaseExists, build_demo
from ingest.police_uk import lsoa_counts_from_files


def force_value(con, measure_id: str, month: str) -> float:
    return con.execute(
        "SELECT value FROM observations WHERE measure_id = ? AND area_id = ? AND month = ?",
        [measure_id, FORCE, month],
    ).fetchone()[0]


def raw_file_counts(month: str) -> tuple[int, int]:
    """(all crime excluding ASB, ASB) counted straight from the raw police.uk file."""
    path = next(f for f in raw_police_uk_files() if f.name.startswith(month))
    return duckdb.execute(
        "SELECT COUNT(*) FILTER (WHERE \"Crime type\" <> 'Anti-social behaviour'), "
        "COUNT(*) FILTER (WHERE \"Crime type\" = 'Anti-social behaviour') FROM read_csv(?, all_varchar = true)",
        [str(path)],
    ).fetchone()


def test_force_counts_for_april_2020_match_the_raw_file(demo_con):
    all_crime, asb = raw_file_counts("2020-04")
    assert (all_crime, asb) == (6073, 1736)
    assert force_value(demo_con, "all_crime", "2020-04-01") == 6073
    assert force_value(demo_con, "asb_incidents", "2020-04-01") == 1736


def test_every_month_of_force_all_crime_matches_the_raw_files(demo_con):
    for path in raw_police_uk_files():
        month = path.name[:7]
        all_crime, asb = duckdb.execute(
            "SELECT COUNT(*) FILTER (WHERE \"Crime type\" <> 'Anti-social behaviour'), "
            "COUNT(*) FILTER (WHERE \"Crime type\" = 'Anti-social behaviour') FROM read_csv(?, all_varchar = true)",
            [str(path)],
        ).fetchone()
        assert force_value(demo_con, "all_crime", f"{month}-01") == all_crime, month
        assert force_value(demo_con, "asb_incidents", f"{month}-01") == asb, month


def test_lowest_tier_areas_plus_unallocated_sum_to_the_force_for_every_month_and_measure(demo_con):
    mismatches = demo_con.execute(
        """
        WITH leaf_sum AS (
            SELECT measure_id, month, SUM(value) AS total
            FROM observations WHERE area_id IN (SELECT id FROM leaf_areas) GROUP BY ALL
        )
        SELECT o.measure_id, o.month, o.value, l.total
        FROM observations o
        JOIN leaf_sum l USING (measure_id, month)
        JOIN measures m ON m.id = o.measure_id
        WHERE o.area_id = ? AND m.unit = 'count'
          AND m.id NOT IN ('missing_individuals', 'missing_repeat_individuals')
          AND o.value <> l.total
        """,
        [FORCE],
    ).fetchall()
    assert mismatches == []
    checked = demo_con.execute(
        "SELECT COUNT(DISTINCT measure_id), COUNT(DISTINCT month) FROM observations WHERE area_id = ?", [FORCE]
    ).fetchone()
    assert checked[0] >= 30 and checked[1] == 29


def test_no_location_and_outside_force_are_rows_of_their_own(demo_con):
    rows = dict(demo_con.execute(
        "SELECT area_id, SUM(value) FROM observations WHERE measure_id = 'all_crime' "
        "AND area_id IN ('NO_LOCATION', 'OUTSIDE_FORCE') GROUP BY area_id"
    ).fetchall())
    assert rows["NO_LOCATION"] > 1000 and rows["OUTSIDE_FORCE"] > 0


def test_county_is_the_sum_of_its_seven_districts(demo_con):
    bad = demo_con.execute(
        """
        SELECT c.measure_id, c.month FROM observations c
        JOIN (SELECT o.measure_id, o.month, SUM(o.value) AS total, COUNT(*) AS n
              FROM observations o JOIN areas a ON a.id = o.area_id
              WHERE a.parent_id = 'E10000018' GROUP BY ALL) d USING (measure_id, month)
        JOIN measures m ON m.id = c.measure_id
        WHERE c.area_id = 'E10000018' AND m.unit = 'count' AND m.id NOT LIKE 'missing_%'
          AND (c.value <> d.total OR d.n <> 7)
        """
    ).fetchall()
    assert bad == []


def test_rates_are_pooled_from_numerators_and_denominators(demo_con):
    rows = demo_con.execute(
        "SELECT value, numerator, denominator FROM observations WHERE measure_id = 'all_user_satisfaction' AND area_id = ?",
        [FORCE],
    ).fetchall()
    assert rows
    for value, numerator, denominator in rows:
        assert value == pytest.approx(100 * numerator / denominator)


def test_all_user_pools_the_three_component_surveys(demo_con):
    rows = demo_con.execute(
        """
        SELECT a.numerator, a.denominator, SUM(c.numerator), SUM(c.denominator)
        FROM observations a
        JOIN observations c ON c.area_id = a.area_id AND c.month = a.month
         AND c.measure_id IN ('burglary_satisfaction', 'vehicle_satisfaction', 'violent_crime_satisfaction')
        WHERE a.measure_id = 'all_user_satisfaction' AND a.area_id = ?
        GROUP BY a.month, a.numerator, a.denominator
        """,
        [FORCE],
    ).fetchall()
    assert rows and all(r[0] == r[2] and r[1] == r[3] for r in rows)


def test_schema_version_is_stored(demo_con):
    assert demo_con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == SCHEMA_VERSION


def test_catalogue_is_loaded_from_the_shipped_files(demo_con):
    for table in ("priorities", "areas", "measures"):
        with open(CATALOGUE_DIR / f"{table}.csv", encoding="utf-8") as handle:
            expected = sum(1 for _ in csv.DictReader(handle))
        assert demo_con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == expected
    assert demo_con.execute("SELECT COUNT(*) FROM priorities").fetchone()[0] == 18


def test_every_measure_without_a_police_uk_source_is_flagged_synthetic(demo_con):
    unflagged = demo_con.execute(
        "SELECT id FROM measures WHERE police_uk_crime_type IS NULL AND NOT synthetic"
    ).fetchall()
    assert unflagged == []
    assert demo_con.execute("SELECT COUNT(*) FROM measures WHERE synthetic").fetchone()[0] >= 25


def test_missing_person_records_have_the_seed_report_magnitudes(demo_con):
    quarters = demo_con.execute(
        """
        SELECT date_trunc('quarter', report_date) AS q, COUNT(*), COUNT(DISTINCT person_id)
        FROM missing_person_reports
        WHERE report_date >= DATE '2020-01-01' AND report_date < DATE '2022-04-01'
        GROUP BY q
        """
    ).fetchall()
    assert len(quarters) == 9
    # About 600 reports from about 410 people a quarter: on average, and each quarter within its draw's spread.
    assert 560 <= sum(reports for _, reports, _ in quarters) / 9 <= 640
    assert 380 <= sum(people for _, _, people in quarters) / 9 <= 440
    for _, reports, people in quarters:
        assert 510 <= reports <= 690
        assert 350 <= people <= 470
        assert people < reports  # repeats exist


def test_availability_states_from_the_seed(demo_con):
    states = dict(demo_con.execute("SELECT COALESCE(measure_id, 'priority ' || priority_id), state FROM data_availability").fetchall())
    assert states["priority 15"] == "in development"
    assert states["drug_treatment_completions"] == "nationally unavailable"
    assert states["yjs_first_time_entrants"] == "provisional"
    # Provisional rows exist but viewers do not see them before their publish-after date.
    provisional = demo_con.execute(
        "SELECT COUNT(*) FROM observations WHERE measure_id = 'yjs_first_time_entrants' AND status = 'provisional'"
    ).fetchone()[0]
    visible = demo_con.execute(
        "SELECT COUNT(*) FROM visible_observations(DATE '2022-05-31', false) "
        "WHERE measure_id = 'yjs_first_time_entrants' AND status = 'provisional'"
    ).fetchone()[0]
    assert provisional > 0 and visible == 0
    after = demo_con.execute(
        "SELECT COUNT(*) FROM observations WHERE measure_id = 'drug_treatment_completions' AND month >= DATE '2021-10-01'"
    ).fetchone()[0]
    assert after == 0


def test_the_demo_build_is_reproducible(demo_db, tmp_path):
    again = tmp_path / "again.duckdb"
    build_demo(again)
    query = "SELECT * FROM observations ORDER BY measure_id, area_id, month"
    first = duckdb.connect(str(demo_db), read_only=True).execute(query).df()
    second = duckdb.connect(str(again), read_only=True).execute(query).df()
    pd.testing.assert_frame_equal(first, second)


def test_the_build_never_overwrites_an_existing_file(tmp_path):
    target = tmp_path / "precious.duckdb"
    target.write_bytes(b"somebody's data")
    with pytest.raises(DatabaseExists):
        build_demo(target)
    assert target.read_bytes() == b"somebody's data"
    assert [p.name for p in tmp_path.iterdir()] == ["precious.duckdb"]


def test_shipped_lsoa_counts_are_what_the_derive_script_makes_from_the_raw_files():
    fresh = lsoa_counts_from_files(duckdb.connect(), raw_police_uk_files())
    shipped = duckdb.execute("SELECT * FROM read_parquet(?)", [str(POLICE_UK_LSOA_COUNTS)]).df()
    key = ["month", "lsoa_code", "lsoa_name", "crime_type"]
    fresh = fresh.assign(month=pd.to_datetime(fresh["month"])).sort_values(key, na_position="first").reset_index(drop=True)
    shipped = shipped.assign(month=pd.to_datetime(shipped["month"])).sort_values(key, na_position="first").reset_index(drop=True)
    assert int(shipped["records"].sum()) == 241_803
    pd.testing.assert_frame_equal(fresh, shipped, check_dtype=False)


def test_demo_cli_refuses_to_overwrite(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "exists.duckdb"
    target.write_text("x")
    result = subprocess.run([sys.executable, "-m", "ingest", "demo", "--db", str(target)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert "never overwrites" in result.stderr
    assert target.read_text() == "x"
