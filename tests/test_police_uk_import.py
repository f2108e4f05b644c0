"""Importing police.uk street files: real months against direct counts of the raw files."""
from __future__ import annotations

import gzip
import subprocess
import sys

import duckdb
import pytest
from conftest import FORCE, PROJECT_ROOT, coordinator, raw_police_uk_files, table_checksum

from ingest.__main__ import main as ingest_command
from ingest.demo import build_demo
from ingest.loading import ChangesNeedConfirmation
from ingest.police_uk import PoliceUkFileError, import_files

DISTRICT_BY_PREFIX = {
    "Leicester": "E06000016", "Rutland": "E06000017", "Blaby": "E07000129", "Charnwood": "E07000130",
    "Harborough": "E07000131", "Hinckley and Bosworth": "E07000132", "Melton": "E07000133",
    "North West Leicestershire": "E07000134", "Oadby and Wigston": "E07000135",
}


def raw(month: str):
    return next(f for f in raw_police_uk_files() if f.name.startswith(month))


def stored(db, month: str) -> dict:
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return {(m, a): v for m, a, v in con.execute(
            "SELECT measure_id, area_id, value FROM observations WHERE month = ?", [f"{month}-01"]).fetchall()}
    finally:
        con.close()


def direct_counts(path) -> dict:
    """Counts straight from a raw file, by crime type and by lowest-tier area."""
    rows = duckdb.execute(
        """
        SELECT "Crime type", COALESCE(NULLIF("LSOA name", ''), '<none>') AS lsoa_name, COUNT(*)
        FROM read_csv(?, all_varchar = true) GROUP BY ALL
        """, [str(path)]).fetchall()
    out = {}
    for crime_type, lsoa_name, n in rows:
        prefix = lsoa_name.rsplit(" ", 1)[0] if lsoa_name != "<none>" else None
        area = "NO_LOCATION" if prefix is None else DISTRICT_BY_PREFIX.get(prefix, "OUTSIDE_FORCE")
        for key in ((crime_type, FORCE), (crime_type, area)):
            out[key] = out.get(key, 0) + n
    return out


MEASURE_BY_TYPE = {"Anti-social behaviour": "asb_incidents", "Burglary": "burglary",
                   "Violence and sexual offences": "violence_sexual", "Vehicle crime": "vehicle_crime",
                   "Shoplifting": "shoplifting", "Criminal damage and arson": "criminal_damage_arson", "Drugs": "drugs",
                   "Public order": "public_order", "Robbery": "robbery", "Theft from the person": "theft_from_person",
                   "Bicycle theft": "bicycle_theft", "Other theft": "other_theft",
                   "Possession of weapons": "possession_weapons", "Other crime": "other_crime"}


def test_three_real_months_match_direct_counts_of_the_raw_files(tmp_path):
    db = tmp_path / "d.duckdb"
    build_demo(db, last_month="2022-01")
    months = ["2022-02", "2022-03", "2022-04"]
    result = import_files(db, [raw(m) for m in months], actor=coordinator("test"))
    assert result.added == 15 * 13 * 3  # every police.uk measure, every area, three months
    for month in months:
        values = stored(db, month)
        counts = direct_counts(raw(month))
        total_rows = sum(n for (t, a), n in counts.items() if a == FORCE)
        assert values[("all_crime", FORCE)] + values[("asb_incidents", FORCE)] == total_rows
        for (crime_type, area), n in counts.items():
            assert values[(MEASURE_BY_TYPE[crime_type], area)] == n, (month, crime_type, area)


def test_the_cli_adds_an_unseen_month_for_every_police_uk_measure(demo_before_april):
    assert not any(k for k in stored(demo_before_april, "2022-04"))
    result = subprocess.run([sys.executable, "-m", "ingest", "police-uk", "--db", str(demo_before_april),
                             str(raw("2022-04"))], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "[100%]" in result.stdout and "195 added" in result.stdout
    values = stored(demo_before_april, "2022-04")
    con = duckdb.connect(str(demo_before_april.resolve()), read_only=True)
    police_measures = {r[0] for r in con.execute("SELECT id FROM measures WHERE police_uk_crime_type IS NOT NULL").fetchall()}
    con.close()
    assert {m for m, a in values if a == FORCE} == police_measures
    raw_rows = duckdb.execute("SELECT COUNT(*) FROM read_csv(?, all_varchar = true)", [str(raw("2022-04"))]).fetchone()[0]
    assert values[("all_crime", FORCE)] + values[("asb_incidents", FORCE)] == raw_rows


def test_importing_a_month_again_replaces_it_and_is_idempotent(demo_before_april):
    import_files(demo_before_april, [raw("2022-04")], actor=coordinator("t"))
    again = import_files(demo_before_april, [raw("2022-04")], actor=coordinator("t"))
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 195)
    assert stored(demo_before_april, "2022-04")[("all_crime", FORCE)] == 8612


def test_a_corrected_month_replaces_the_old_counts_and_keeps_them(demo_before_april, tmp_path):
    import_files(demo_before_april, [raw("2022-04")], actor=coordinator("t"))
    lines = gzip.open(raw("2022-04"), "rt", encoding="utf-8").read().splitlines()
    corrected = tmp_path / "2022-04-corrected.csv"
    corrected.write_text("\n".join(lines[:-100]) + "\n", encoding="utf-8")  # 100 records withdrawn
    with pytest.raises(ChangesNeedConfirmation):  # replacing published counts waits for a confirmation
        import_files(demo_before_april, [corrected], actor=coordinator("t"))
    result = import_files(demo_before_april, [corrected], actor=coordinator("t"), confirmed=True)
    assert result.replaced > 0
    values = stored(demo_before_april, "2022-04")
    assert values[("all_crime", FORCE)] + values[("asb_incidents", FORCE)] == len(lines) - 101
    con = duckdb.connect(str(demo_before_april.resolve()), read_only=True)
    kept = con.execute("SELECT COUNT(*) FROM observation_history WHERE month = DATE '2022-04-01'").fetchone()[0]
    con.close()
    assert kept == result.replaced


def test_files_that_are_not_police_uk_for_this_force_are_refused(demo_before_april, tmp_path):
    before = table_checksum(demo_before_april)
    other_force = tmp_path / "other.csv"
    text = gzip.open(raw("2022-04"), "rt", encoding="utf-8").read().replace("Leicestershire Police", "Kent Police")
    other_force.write_text(text, encoding="utf-8")
    with pytest.raises(PoliceUkFileError, match="Kent Police"):
        import_files(demo_before_april, [other_force], actor=coordinator("t"))
    not_police = tmp_path / "return.csv"
    not_police.write_text("measure_id,area_id,month\n", encoding="utf-8")
    with pytest.raises(PoliceUkFileError, match="missing columns"):
        import_files(demo_before_april, [raw("2022-04"), not_police], actor=coordinator("t"))
    garbage = tmp_path / "broken.csv.gz"
    garbage.write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(PoliceUkFileError, match="not a readable"):
        import_files(demo_before_april, [garbage], actor=coordinator("t"))
    assert table_checksum(demo_before_april) == before


# ---------------------------------------------------------------------------
# Crime types and NUL characters; a month far smaller than the force's usual (#23.13)
# ---------------------------------------------------------------------------

def april_with(tmp_path, line_number: int, edit) -> tuple:
    """April's real file with one record changed by edit(fields); returns (path, its row number as the file counts)."""
    import csv as csv_module
    import io

    lines = gzip.open(raw("2022-04"), "rt", encoding="utf-8").read().splitlines()
    fields = next(csv_module.reader([lines[line_number]]))
    edit(fields)
    out = io.StringIO()
    csv_module.writer(out, lineterminator="").writerow(fields)
    lines[line_number] = out.getvalue()
    path = tmp_path / "2022-04-edited.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, line_number + 1


def crime_type(text):
    return lambda fields: fields.__setitem__(9, text)


@pytest.mark.parametrize("edit, words", [
    (crime_type("Cyber crime"), "Crime type: 'Cyber crime' is not one of police.uk's crime types"),
    (crime_type("Burglary\x00"), "Crime type: contains a NUL character"),
    (crime_type("\x00"), "Crime type: contains a NUL character"),
    (lambda fields: fields.__setitem__(6, "On or near \x00 Street"), "Location: contains a NUL character"),
], ids=["unknown type", "type with a NUL", "a NUL for a type", "NUL in the location"])
def test_a_record_of_an_unknown_crime_type_or_with_a_nul_is_refused_with_its_row(demo_before_april, tmp_path, capsys,
                                                                                 edit, words):
    """Such a record used to load, counted only toward all crime."""
    path, row = april_with(tmp_path, 4321, edit)
    before = table_checksum(demo_before_april)
    with pytest.raises(PoliceUkFileError) as refused:
        import_files(demo_before_april, [path], actor=coordinator("t"))
    assert f"{path.name}: row {row}, {words}" in refused.value.message
    # The command line's main() in this process (`python -m ingest police-uk` as run is tested above and below:
    # its start-up, importing DuckDB and pandas, costs seconds of CPU).
    assert ingest_command(["police-uk", "--db", str(demo_before_april), str(path)]) == 2
    stderr = capsys.readouterr().err
    assert f"row {row}, {words}" in stderr and "Traceback" not in stderr
    assert table_checksum(demo_before_april) == before


def held_median(db) -> float:
    """The median of the force's months held: all crime plus anti-social behaviour, month by month."""
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return con.execute("SELECT median(n) FROM (SELECT month, SUM(value) AS n FROM observations WHERE area_id = ? "
                           "AND measure_id IN ('all_crime', 'asb_incidents') GROUP BY month)", [FORCE]).fetchone()[0]
    finally:
        con.close()


def test_a_month_far_smaller_than_the_forces_usual_is_refused_unless_allowed(demo_before_april, tmp_path):
    """A 5-row file used to publish a whole month (195 values) of near-zeros."""
    from malformed_files import police_csv

    from ingest.police_uk import check_files, load_checked

    tiny = tmp_path / "2022-04.csv"
    tiny.write_text(police_csv("2022-04", rows_per_month=5), encoding="utf-8")
    before = table_checksum(demo_before_april)
    expected = (f"2022-04.csv: Leicestershire Police 2022-04 holds 5 records; this force's months held so far have a "
                f"median of {held_median(demo_before_april):,.0f}; a police.uk month file is the whole month, so this "
                "looks incomplete.")
    result = subprocess.run([sys.executable, "-m", "ingest", "police-uk", "--db", str(demo_before_april), str(tiny)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {expected} Nothing was imported.") and "--allow-small" in result.stderr
    with pytest.raises(PoliceUkFileError, match="looks incomplete"):  # the Data page's path, without the tick box
        load_checked(demo_before_april, check_files([(tiny, "2022-04.csv")]), actor=coordinator("t"))
    assert table_checksum(demo_before_april) == before
    assert stored(demo_before_april, "2022-04") == {}
    # Where the month really is that small, it is said explicitly, and the month loads.
    allowed = subprocess.run([sys.executable, "-m", "ingest", "police-uk", "--db", str(demo_before_april), "--allow-small",
                              str(tiny)], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert allowed.returncode == 0, allowed.stderr
    values = stored(demo_before_april, "2022-04")
    assert values[("all_crime", FORCE)] + values[("asb_incidents", FORCE)] == 5


def test_the_data_page_offers_to_import_a_small_month_and_the_tick_box_lets_it_load(demo_before_april, tmp_path,
                                                                                    monkeypatch):
    from conftest import signed_in_app
    from malformed_files import police_csv

    from ingest.police_uk import check_files, load_checked

    monkeypatch.setenv("DASHBOARD_DB", str(demo_before_april))
    at = signed_in_app(demo_before_april)
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    assert not at.exception
    assert [c for c in at.checkbox if c.label.startswith("This month really is small")]
    tiny = tmp_path / "upload-0.csv"
    tiny.write_text(police_csv("2022-04", rows_per_month=5), encoding="utf-8")
    # What the page does with the box ticked (AppTest cannot upload a file).
    load_checked(demo_before_april, check_files([(tiny, "april.csv")], allow_small=True), actor=coordinator("t"))
    values = stored(demo_before_april, "2022-04")
    assert values[("all_crime", FORCE)] + values[("asb_incidents", FORCE)] == 5
