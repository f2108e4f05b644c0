"""The police.uk importer with several forces in the catalogue (the national benchmark's case).

A small catalogue of two forces: Force One (districts Alpha and Beta) and Force Two (Gamma),
each with its own "No location" and "Outside force area". Tiny hand-written files for April
2022; every expected count is worked out by hand from the rows below.
"""
from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest
from conftest import PROJECT_ROOT, coordinator, table_checksum

from core.settings import settings
from ingest import schema
from ingest.police_uk import PoliceUkFileError, check_files, import_files, load_checked
from ingest.police_uk_files import EXPECTED_COLUMNS, count_file

AREAS = """id,name,kind,parent_id,population,lsoa_prefix,sort_order
F1,Force One (force area),force,,1000,,0
D1,Alpha,district,F1,600,Alpha,1
D2,Beta,district,F1,400,Beta,2
F1_NL,No location (Force One),unallocated,F1,,,8
F1_OUT,Outside force area (Force One),unallocated,F1,,,9
F2,Force Two (force area),force,,500,,10
D3,Gamma,district,F2,500,Gamma,11
F2_NL,No location (Force Two),unallocated,F2,,,18
F2_OUT,Outside force area (Force Two),unallocated,F2,,,19
"""
FORCES = """name,force_area_id,no_location_area_id,outside_area_id
Force One Police,F1,F1_NL,F1_OUT
Force Two Constabulary,F2,F2_NL,F2_OUT
"""


def street_file(path, force: str, rows: list[tuple[str, str]], month: str = "2022-04"):
    """rows: (crime type, LSOA name or "" for no location)."""
    lines = [",".join(EXPECTED_COLUMNS)]
    for number, (crime_type, lsoa) in enumerate(rows):
        code = f"E0100{number:04d}" if lsoa else ""
        crime_id = "" if crime_type == "Anti-social behaviour" else f"id{number}"
        lines.append(f"{crime_id},{month},{force},{force},-1.1,52.6,On or near Main Street,{code},{lsoa},{crime_type},,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


FORCE_ONE_APRIL = [("Burglary", "Alpha 001A")] * 3 + [("Anti-social behaviour", "Beta 002B")] * 2 + [
    ("Burglary", ""),                   # no location: Force One's "No location"
    ("Vehicle crime", "Gamma 001A"),    # in Force Two's district: Force One's "Outside force area"
]
FORCE_TWO_APRIL = [("Burglary", "Gamma 001A")] * 2 + [("Anti-social behaviour", "Alpha 001A")]


@pytest.fixture
def two_forces(tmp_path):
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    for table in ("priorities", "measures"):
        shutil.copy(PROJECT_ROOT / "data" / "catalogue" / f"{table}.csv", catalogue / f"{table}.csv")
    (catalogue / "areas.csv").write_text(AREAS, encoding="utf-8")
    (catalogue / "police_uk_forces.csv").write_text(FORCES, encoding="utf-8")
    db = tmp_path / "live" / "dashboard.duckdb"
    db.parent.mkdir()
    con = duckdb.connect(str(db))
    schema.create_schema(con)
    schema.load_catalogue(con, catalogue)
    con.close()
    return db


def stored(db, month: str = "2022-04-01") -> dict:
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return {(m, a): v for m, a, v in con.execute(
            "SELECT measure_id, area_id, value FROM observations WHERE month = ?", [month]).fetchall()}
    finally:
        con.close()


def test_each_record_counts_toward_the_force_whose_file_it_is_in(two_forces, tmp_path):
    one = street_file(tmp_path / "one.csv", "Force One Police", FORCE_ONE_APRIL)
    two = street_file(tmp_path / "two.csv", "Force Two Constabulary", FORCE_TWO_APRIL)
    import_files(two_forces, [one, two], actor=coordinator("t"))
    values = stored(two_forces)
    expected = {
        ("all_crime", "F1"): 5, ("burglary", "F1"): 4, ("vehicle_crime", "F1"): 1, ("asb_incidents", "F1"): 2,
        ("all_crime", "D1"): 3, ("burglary", "D1"): 3, ("asb_incidents", "D1"): 0,
        ("all_crime", "D2"): 0, ("asb_incidents", "D2"): 2,
        ("burglary", "F1_NL"): 1, ("all_crime", "F1_NL"): 1,
        ("vehicle_crime", "F1_OUT"): 1, ("all_crime", "F1_OUT"): 1,
        ("all_crime", "F2"): 2, ("burglary", "F2"): 2, ("asb_incidents", "F2"): 1, ("vehicle_crime", "F2"): 0,
        ("burglary", "D3"): 2, ("asb_incidents", "D3"): 0, ("vehicle_crime", "D3"): 0,
        ("asb_incidents", "F2_OUT"): 1, ("all_crime", "F2_NL"): 0,
    }
    assert {key: values[key] for key in expected} == expected
    # 15 police.uk measures for each of the 9 areas (both forces' areas, each in its own force's grid).
    assert len(values) == 15 * 9


def test_a_later_file_for_one_force_leaves_the_other_force_alone(two_forces, tmp_path):
    import_files(two_forces, [street_file(tmp_path / "one.csv", "Force One Police", FORCE_ONE_APRIL)], actor=coordinator("t"))
    after_one = stored(two_forces)
    assert {area for _, area in after_one} == {"F1", "D1", "D2", "F1_NL", "F1_OUT"}
    result = import_files(two_forces, [street_file(tmp_path / "two.csv", "Force Two Constabulary", FORCE_TWO_APRIL)],
                          actor=coordinator("t"))
    assert (result.added, result.replaced) == (15 * 4, 0)  # Force Two's four areas, nothing of Force One's replaced
    values = stored(two_forces)
    assert {key: value for key, value in values.items() if key[1] in {"F1", "D1", "D2", "F1_NL", "F1_OUT"}} == after_one
    assert values[("burglary", "F2")] == 2


def test_a_force_outside_the_catalogue_is_refused_and_nothing_changes(two_forces, tmp_path):
    before = table_checksum(two_forces)
    kent = street_file(tmp_path / "kent.csv", "Kent Police", [("Burglary", "Alpha 001A")])
    with pytest.raises(PoliceUkFileError, match="kent.csv: rows for Kent Police, not only Force One Police, "
                                                "Force Two Constabulary"):
        import_files(two_forces, [kent], actor=coordinator("t"))
    with pytest.raises(PoliceUkFileError, match="row 2 has rows for Kent Police, not only Force One Police"):
        check_files([(kent, "kent.csv")], forces=["Force One Police", "Force Two Constabulary"])
    assert table_checksum(two_forces) == before


def test_a_file_holds_one_force(two_forces, tmp_path):
    mixed = tmp_path / "mixed.csv"
    street_file(mixed, "Force One Police", [("Burglary", "Alpha 001A")])
    with open(mixed, "a", encoding="utf-8") as handle:
        handle.write("x,2022-04,Force Two Constabulary,Force Two Constabulary,-1.1,52.6,On or near Main Street,"
                     "E01000001,Gamma 001A,Burglary,,\n")
    with pytest.raises(PoliceUkFileError, match="row 3 has rows for Force Two Constabulary, not only Force One Police"):
        check_files([(mixed, "mixed.csv")])
    empty = street_file(tmp_path / "empty.csv", "", [("Burglary", "Alpha 001A")])
    with pytest.raises(PoliceUkFileError, match="row 2 has rows for no force"):
        check_files([(empty, "empty.csv")])


def test_the_same_month_of_two_forces_is_one_run_but_a_force_month_twice_is_refused(two_forces, tmp_path):
    one = street_file(tmp_path / "one.csv", "Force One Police", FORCE_ONE_APRIL)
    again = street_file(tmp_path / "again.csv", "Force One Police", [("Burglary", "Beta 001A")])
    with pytest.raises(PoliceUkFileError, match="2022-04 is in both one.csv and again.csv"):
        check_files([(one, "one.csv"), (again, "again.csv")])
    two = street_file(tmp_path / "two.csv", "Force Two Constabulary", FORCE_TWO_APRIL)
    checked = check_files([(one, "one.csv"), (two, "two.csv")])
    assert checked.months == ("2022-04",)
    assert sorted(set(checked.counts["force"])) == ["Force One Police", "Force Two Constabulary"]
    load_checked(two_forces, checked, actor=coordinator("t"))
    assert stored(two_forces)[("all_crime", "F2")] == 2


def test_a_file_counted_for_any_force_records_its_force(tmp_path):
    path = street_file(tmp_path / "two.csv", "Force Two Constabulary", FORCE_TWO_APRIL)
    counted = count_file(path, "two.csv", settings(), date(2022, 5, 1))
    assert counted.force == "Force Two Constabulary"
    assert counted.rows == 3


def test_the_demo_catalogue_names_its_one_force(demo_con):
    assert demo_con.execute("SELECT * FROM police_uk_forces").fetchall() == [
        ("Leicestershire Police", "E23000021", "NO_LOCATION", "OUTSIDE_FORCE")]


def test_values_with_surrounding_spaces_count_with_the_same_values_without(tmp_path):
    path = street_file(tmp_path / "spaces.csv", "Force One Police", [("Burglary", "Alpha 001A"), ("Drugs", "Beta 001A")])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("x, 2022-04 , Force One Police , Force One Police ,-1.1,52.6,On or near Main Street, E01000000,"
                     " Alpha 001A , Burglary ,,\n")
    counted = count_file(path, "spaces.csv", settings(), date(2022, 5, 1))
    assert counted.force == "Force One Police"
    rows = sorted((r.lsoa_name, r.crime_type, r.records) for r in counted.counts.itertuples())
    assert rows == [("Alpha 001A", "Burglary", 2), ("Beta 001A", "Drugs", 1)]
