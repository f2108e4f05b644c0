"""The Home Office recorded-crime file as loaded: its quirks, checked against the real file's content,
the load's refusals, and an independent recount of one offence group for every force and date."""
from __future__ import annotations

import csv
import gzip
import shutil
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import require_fixture

import queries
from analysis import peers
from ingest import home_office, schema

RAW = home_office.RECORDED_CRIME_FILE
HEADER = "12 months ending,PFA,Region,Offence,Rolling year total number of offences"
NOT_FORCES = {"British Transport Police", "Action Fraud", "CIFAS", "UK Finance"}
FRAUD = {"Fraud offences", "Action Fraud", "CIFAS", "UK Finance"}


def raw_rows() -> list[dict]:
    with gzip.open(require_fixture(RAW), "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def group_series(con, group_id: str, forces: list[str]) -> pd.DataFrame:
    return queries.run(con, "app/home_office_group_series", {"group_id": group_id, "forces": forces})


def value_at(frame: pd.DataFrame, area: str, end: str) -> int:
    row = frame[(frame["area"] == area) & (pd.to_datetime(frame["period_end"]) == pd.Timestamp(end))]
    assert len(row) == 1, (area, end)
    return int(row["offences"].iloc[0])


# --- the 30-12-2017 date -------------------------------------------------------------------------

def test_the_file_publishes_the_year_to_december_2017_as_30_12_2017():
    dates = Counter(row["12 months ending"] for row in raw_rows())
    assert dates["30-12-2017"] == 927 and "31-12-2017" not in dates
    assert dates["31-12-2016"] == 927 and dates["31-12-2018"] == 927


def test_30_12_2017_is_read_as_31_december_2017(demo_con):
    loaded = demo_con.execute("SELECT period_end, period_as_published, count(*) FROM home_office_recorded_crime "
                              "WHERE period_end BETWEEN DATE '2017-12-01' AND DATE '2017-12-31' GROUP BY ALL").fetchall()
    assert loaded == [(date(2017, 12, 31), "30-12-2017", 927)]
    # Leicestershire's residential burglary, 12 months to December 2017, as the file gives it
    assert value_at(group_series(demo_con, "burglary_residential", ["Leicestershire"]), "Leicestershire",
                    "2017-12-31") == 1315 + 4761


def test_period_end_reads_quarter_ends_and_the_known_typo_and_refuses_anything_else():
    assert home_office.period_end("30-12-2017") == date(2017, 12, 31)
    assert home_office.period_end("31-03-2018") == date(2018, 3, 31)
    assert home_office.period_end("30-09-2007") == date(2007, 9, 30)
    with pytest.raises(home_office.HomeOfficeFileError, match="not the end of a quarter"):
        home_office.period_end("30-12-2016")
    with pytest.raises(home_office.HomeOfficeFileError, match="not a date"):
        home_office.period_end("2018-03-31")


# --- the 2017 burglary break ---------------------------------------------------------------------

def test_the_file_switches_leicestershire_from_domestic_to_residential_burglary_in_2017():
    rows = {(r["12 months ending"], r["Offence"]): int(r["Rolling year total number of offences"])
            for r in raw_rows() if r["PFA"] == "Leicestershire" and "burglary" in r["Offence"].lower()}
    assert rows[("31-03-2017", "Domestic burglary")] == 4412 and rows[("31-03-2017", "Residential burglary")] == 0
    assert rows[("30-06-2017", "Domestic burglary")] == 3572 and rows[("30-06-2017", "Residential burglary")] == 1530
    assert rows[("31-03-2018", "Domestic burglary")] == 0 and rows[("31-03-2018", "Residential burglary")] == 6331


def test_the_burglary_group_joins_both_definitions_so_nothing_drops_to_zero(demo_con):
    series = group_series(demo_con, "burglary_residential", ["Leicestershire"])
    assert value_at(series, "Leicestershire", "2017-03-31") == 4412  # domestic only
    assert value_at(series, "Leicestershire", "2017-06-30") == 5102  # 3,572 domestic + 1,530 residential
    assert value_at(series, "Leicestershire", "2018-03-31") == 6331  # residential only
    assert series["offences"].min() > 3000


def test_the_break_is_recorded_with_its_reason_and_charted_as_a_rebase(demo_con):
    groups = queries.run(demo_con, "app/home_office_offence_groups").set_index("group_id")
    brk = peers.series_break(groups.loc["burglary_residential"])
    assert brk.from_month == date(2017, 4, 1) and brk.clean_from == date(2018, 3, 31)
    assert "replaced domestic burglary with residential burglary" in brk.reason
    assert peers.series_break(groups.loc["burglary_all"]) is None  # all burglary is unaffected by the split
    series = group_series(demo_con, "burglary_residential", ["Leicestershire"])
    chart = peers.annual_control_chart(series, "decrease", 3, brk)
    assert [int(v) for v in chart.points["value"]] == [6450, 6514, 5774, 5147, 5542, 5138, 5526, 5497, 4393, 4231,
                                                       3935, 4199, 4050, 4314, 4412, 6331]  # years to March 2003-2018
    assert list(chart.rebases["month"]) == [pd.Timestamp("2018-03-31")]
    assert list(chart.rebases["reason"]) == ["burglary definition changed"]
    assert chart.points["segment"].iloc[-1] == 1 and chart.points["segment"].iloc[-2] == 0


# --- rows that are not police forces -------------------------------------------------------------

def test_the_file_has_four_areas_that_are_not_territorial_forces_and_no_national_totals():
    areas = Counter(row["PFA"] for row in raw_rows())
    assert len(areas) == 47
    assert areas["British Transport Police"] == 1054
    assert areas["Action Fraud"] == areas["CIFAS"] == areas["UK Finance"] == 31
    assert not {"England and Wales", "England", "Wales"} & set(areas)


def test_non_force_rows_are_kept_marked_and_never_compared(demo_con):
    kinds = dict(demo_con.execute("SELECT name, kind FROM home_office_areas").fetchall())
    assert kinds["British Transport Police"] == "transport police"
    assert kinds["Action Fraud"] == kinds["CIFAS"] == kinds["UK Finance"] == "national fraud body"
    assert kinds["England and Wales"] == "national total"
    kept = dict(demo_con.execute("SELECT area, count(*) FROM home_office_recorded_crime WHERE area IN "
                                 "('British Transport Police', 'Action Fraud', 'CIFAS', 'UK Finance') GROUP BY area").fetchall())
    assert kept == {"British Transport Police": 1054, "Action Fraud": 31, "CIFAS": 31, "UK Finance": 31}
    forces = queries.run(demo_con, "app/home_office_forces")["name"]
    assert len(forces) == 43 and not NOT_FORCES & set(forces)
    asked = group_series(demo_con, "all_excl_fraud", ["Leicestershire", "British Transport Police", "Action Fraud"])
    assert set(asked["area"]) == {"Leicestershire"}


def test_fraud_is_loaded_but_in_no_compared_group(demo_con):
    compared = queries.run(demo_con, "app/home_office_offence_groups")["group_id"]
    assert "fraud_not_compared" not in set(compared)
    fraud = demo_con.execute("SELECT count(*) FROM home_office_recorded_crime WHERE offence = 'Fraud offences'").fetchone()
    assert fraud == (44 * 32,)  # 43 forces and BTP, 12 months to March 2003 .. December 2013


def test_negative_totals_are_loaded_as_published(demo_con):
    negatives = [r for r in raw_rows() if int(r["Rolling year total number of offences"]) < 0]
    assert len(negatives) == 25
    loaded = demo_con.execute("SELECT count(*) FROM home_office_recorded_crime WHERE offences < 0").fetchone()
    assert loaded == (25,)
    assert demo_con.execute("SELECT offences FROM home_office_recorded_crime WHERE area = 'Leicestershire' AND "
                            "offence = 'Death or serious injury caused by illegal driving' AND "
                            "period_end = DATE '2009-09-30'").fetchone() == (-21,)


def test_every_row_of_the_file_is_loaded(demo_con):
    assert demo_con.execute("SELECT count(*) FROM home_office_recorded_crime").fetchone() == (len(raw_rows()),)


# --- independent recount -------------------------------------------------------------------------

def test_all_crime_excluding_fraud_equals_a_recount_of_the_raw_file_for_every_force_and_date(demo_con):
    recount: dict[tuple[str, str], int] = defaultdict(int)
    for row in raw_rows():
        if row["PFA"] in NOT_FORCES or row["Offence"] in FRAUD:
            continue
        day, month, year = row["12 months ending"].split("-")
        if (day, month, year) == ("30", "12", "2017"):  # the file's typo for 31 December 2017
            day = "31"
        recount[(row["PFA"], f"{year}-{month}-{day}")] += int(row["Rolling year total number of offences"])
    forces = sorted({force for force, _ in recount})
    loaded = group_series(demo_con, "all_excl_fraud", forces)
    assert len(forces) == 43 and len(recount) == 43 * 52
    assert {(r.area, str(pd.Timestamp(r.period_end).date())): int(r.offences) for r in loaded.itertuples()} == dict(recount)


# --- the load refuses what it does not know ------------------------------------------------------

@pytest.fixture
def empty_db():
    con = duckdb.connect()
    schema.create_schema(con)
    yield con
    con.close()


def write_file(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_an_unknown_area_stops_the_load_naming_it(empty_db, tmp_path):
    bad = write_file(tmp_path / "crime.csv", ["31-03-2018,Leicestershire,East Midlands,Robbery,700",
                                              "31-03-2018,Police Scotland,Scotland,Robbery,1"])
    with pytest.raises(home_office.HomeOfficeFileError, match="Police Scotland"):
        home_office.load(empty_db, crime_file=bad)


def test_a_national_total_loads_but_is_not_a_force(empty_db, tmp_path):
    good = write_file(tmp_path / "crime.csv", ["31-03-2018,Leicestershire,East Midlands,Robbery,700",
                                               "31-03-2018,England and Wales,England and Wales,Robbery,80000"])
    summary = home_office.load(empty_db, crime_file=good)
    assert summary.rows == 2 and summary.territorial_forces == 43
    assert set(group_series(empty_db, "robbery", ["Leicestershire", "England and Wales"])["area"]) == {"Leicestershire"}


def test_a_bad_date_or_count_stops_the_load_with_its_line(empty_db, tmp_path):
    bad_date = write_file(tmp_path / "date.csv", ["31-03-2018,Leicestershire,East Midlands,Robbery,700",
                                                  "15-05-2018,Leicestershire,East Midlands,Robbery,700"])
    with pytest.raises(home_office.HomeOfficeFileError, match="line 3: '15-05-2018' is not the end of a quarter"):
        home_office.load(empty_db, crime_file=bad_date)
    bad_count = write_file(tmp_path / "count.csv", ["31-03-2018,Leicestershire,East Midlands,Robbery,7 00"])
    with pytest.raises(home_office.HomeOfficeFileError, match="line 2: the number of offences '7 00'"):
        home_office.load(empty_db, crime_file=bad_count)


def test_a_typo_that_collides_with_a_real_date_is_refused(empty_db, tmp_path):
    both = write_file(tmp_path / "both.csv", ["30-12-2017,Leicestershire,East Midlands,Robbery,700",
                                              "31-12-2017,Leicestershire,East Midlands,Robbery,701"])
    with pytest.raises(home_office.HomeOfficeFileError, match="more than one row"):
        home_office.load(empty_db, crime_file=both)


def test_an_unknown_offence_or_a_changed_header_stops_the_load(empty_db, tmp_path):
    offence = write_file(tmp_path / "offence.csv", ["31-03-2018,Leicestershire,East Midlands,Cyber crime,7"])
    with pytest.raises(home_office.HomeOfficeFileError, match="offences not in data/home_office/offence_groups.csv: Cyber crime"):
        home_office.load(empty_db, crime_file=offence)
    header = tmp_path / "header.csv"
    header.write_text("Date,PFA,Region,Offence,Count\n31-03-2018,Leicestershire,East Midlands,Robbery,7\n")
    with pytest.raises(home_office.HomeOfficeFileError, match="expected the columns"):
        home_office.load(empty_db, crime_file=header)


def test_a_force_without_a_population_stops_the_load(empty_db, tmp_path):
    folder = tmp_path / "home_office"
    shutil.copytree(home_office.HOME_OFFICE_DIR, folder)
    populations = (folder / "force_populations.csv").read_text().splitlines()
    (folder / "force_populations.csv").write_text("\n".join(line for line in populations
                                                            if not line.startswith("Wiltshire")) + "\n")
    with pytest.raises(home_office.HomeOfficeFileError, match="no population for Wiltshire"):
        home_office.load(empty_db, folder=folder)


def test_a_supplied_most_similar_group_must_name_forces_and_its_source(empty_db, tmp_path):
    folder = tmp_path / "home_office"
    shutil.copytree(home_office.HOME_OFFICE_DIR, folder)
    (folder / "most_similar_groups.csv").write_text("force,peer,source\nLeicestershire,Kent,\n")
    with pytest.raises(home_office.HomeOfficeFileError, match="needs its source"):
        home_office.load(empty_db, folder=folder)
    assert empty_db.execute("SELECT count(*) FROM home_office_recorded_crime").fetchone() == (0,)  # refused: nothing written
    (folder / "most_similar_groups.csv").write_text("force,peer,source\nLeicestershire,British Transport Police,X\n")
    with pytest.raises(home_office.HomeOfficeFileError, match="not territorial forces: British Transport Police"):
        home_office.load(empty_db, folder=folder)
