"""Partner returns: templates, a corpus of malformed files, replacing, history and undo."""
from __future__ import annotations

import io
import subprocess
import sys
from datetime import date

import duckdb
import openpyxl
import pandas as pd
import pytest
from conftest import FORCE, PROJECT_ROOT, coordinator, table_checksum
from malformed_files import xlsx_with_number

from ingest.loading import ChangesNeedConfirmation, UndoRefused, undo_submission
from ingest.returns import COLUMNS, ReturnRejected, load_return_file
from ingest.templates import template_csv, template_from_db, template_xlsx

HEADER = ",".join(COLUMNS)
YOS = "Youth Offending Services"
SURVEY = "Police survey"
FORCE_NAME = "Leicester, Leicestershire and Rutland (force area)"
YJS = "First-time entrants to the youth justice system"


def csv(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def xlsx(rows: list[list], sheet: str = "return", header=COLUMNS) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = sheet
    book.active.append(list(header))
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = "yjs_first_time_entrants,E23000021,2022-05,30,,,published,"
NOT_FINITE = "is not a finite number"

# (name, file bytes, file name, partner, expected row, expected column, words in the reason)
MALFORMED = [
    ("empty file", b"", "r.csv", YOS, 1, None, "empty"),
    ("only spaces", b"  \n \n", "r.csv", YOS, 1, None, "empty"),
    ("header only", csv(), "r.csv", YOS, 2, None, "no data rows"),
    ("byte-order mark", b"\xef\xbb\xbf" + csv(GOOD), "r.csv", YOS, 1, None, "byte-order mark"),
    ("latin-1 text", csv(GOOD).replace(b"published", b"publi\xe9", 1), "r.csv", YOS, 2, None, "not UTF-8"),
    ("utf-16", csv(GOOD).decode().encode("utf-16"), "r.csv", YOS, 1, None, "UTF-16"),
    ("binary junk", b"\x00\x01\x02garbage\x00", "r.csv", YOS, 1, None, "NUL"),
    ("missing column", csv("yjs_first_time_entrants,E23000021,30", header="measure_id,area_id,value"), "r.csv", YOS, 1, "month", "missing"),
    ("unknown column", csv(GOOD + ",x", header=HEADER + ",extra"), "r.csv", YOS, 1, "extra", "not a column"),
    ("unknown measure", csv("nope,E23000021,2022-05,30,,,,"), "r.csv", YOS, 2, "measure_id", "not a measure id"),
    ("unknown area", csv("yjs_first_time_entrants,E99999999,2022-05,30,,,,"), "r.csv", YOS, 2, "area_id", "not an area id"),
    ("month not YYYY-MM", csv("yjs_first_time_entrants,E23000021,May 2022,30,,,,"), "r.csv", YOS, 2, "month", "YYYY-MM"),
    ("month 13", csv("yjs_first_time_entrants,E23000021,2022-13,30,,,,"), "r.csv", YOS, 2, "month", "YYYY-MM"),
    ("month in the future", csv("yjs_first_time_entrants,E23000021,2999-01,30,,,,"), "r.csv", YOS, 2, "month", "future"),
    ("month too early", csv("yjs_first_time_entrants,E23000021,2013-03,30,,,,"), "r.csv", YOS, 2, "month", "before 2013-04"),
    ("non-numeric count", csv("yjs_first_time_entrants,E23000021,2022-05,thirty,,,,"), "r.csv", YOS, 2, "value", "not a number"),
    ("negative count", csv("yjs_first_time_entrants,E23000021,2022-05,-4,,,,"), "r.csv", YOS, 2, "value", "negative"),
    ("fractional count", csv("yjs_first_time_entrants,E23000021,2022-05,30.5,,,,"), "r.csv", YOS, 2, "value", "whole number"),
    ("percentage for a count", csv("yjs_first_time_entrants,E23000021,2022-05,45%,,,,"), "r.csv", YOS, 2, "value", "looks like a percentage"),
    ("proportion for a count", csv("yjs_first_time_entrants,E23000021,2022-05,0.45,,,,"), "r.csv", YOS, 2, "value", "looks like a percentage"),
    ("missing count", csv("yjs_first_time_entrants,E23000021,2022-05,,,,,"), "r.csv", YOS, 2, "value", "missing"),
    ("numerator over denominator", csv("burglary_satisfaction,E23000021,2022-04,,50,40,,"), "r.csv", SURVEY, 2, "numerator", "greater than its denominator"),
    ("percentage instead of a rate", csv("burglary_satisfaction,E23000021,2022-04,85%,,,,"), "r.csv", SURVEY, 2, "numerator", "not a percentage"),
    ("zero denominator", csv("burglary_satisfaction,E23000021,2022-04,,0,0,,"), "r.csv", SURVEY, 2, "denominator", "positive"),
    ("negative numerator", csv("burglary_satisfaction,E23000021,2022-04,,-1,10,,"), "r.csv", SURVEY, 2, "numerator", "negative"),
    ("non-numeric denominator", csv("burglary_satisfaction,E23000021,2022-04,,5,ten,,"), "r.csv", SURVEY, 2, "denominator", "not a number"),
    ("duplicate rows", csv(GOOD, GOOD.replace(",30,", ",31,")), "r.csv", YOS, 2, "measure_id, area_id, month", "appears on rows 2, 3"),
    ("bad status", csv("yjs_first_time_entrants,E23000021,2022-05,30,,,draft,"), "r.csv", YOS, 2, "status", "published' or 'provisional"),
    ("provisional without date", csv("yjs_first_time_entrants,E23000021,2022-05,30,,,provisional,"), "r.csv", YOS, 2, "publish_after", "needed"),
    ("bad publish-after date", csv("yjs_first_time_entrants,E23000021,2022-05,30,,,provisional,15/06/2022"), "r.csv", YOS, 2, "publish_after", "YYYY-MM-DD"),
    ("another partner's measure", csv("asb_incidents,E23000021,2022-04,900,,,,"), "r.csv", YOS, 2, "measure_id", "another partner"),
    ("ragged csv", csv(GOOD, "a,b,c,d,e,f,g,h,i,j"), "r.csv", YOS, 3, None, "has 10 fields, but the header has 8"),
    ("one good row and one bad", csv(GOOD, "yjs_first_time_entrants,E23000021,2022-04,-1,,,,"), "r.csv", YOS, 3, "value", "negative"),
    ("xlsx wrong sheet", xlsx([GOOD.split(",")], sheet="Sheet1"), "r.xlsx", YOS, None, None, "no sheet named 'return'"),
    ("xlsx empty sheet", xlsx([], header=[]), "r.xlsx", YOS, 1, None, "empty"),
    ("xlsx bad value", xlsx([["yjs_first_time_entrants", "E23000021", "2022-05", "lots", "", "", "", ""]]), "r.xlsx", YOS, 2, "value", "not a number"),
    ("corrupt xlsx", b"PK\x03\x04 this is not really a zip", "r.xlsx", YOS, None, None, "not a readable Excel"),
    # Non-finite numbers (#23.8): each would load and break every sum, mean and limit after it.
    ("infinite count", csv("yjs_first_time_entrants,E23000021,2022-05,inf,,,,"), "r.csv", YOS, 2, "value", NOT_FINITE),
    ("minus infinity", csv("yjs_first_time_entrants,E23000021,2022-05,-Infinity,,,,"), "r.csv", YOS, 2, "value", NOT_FINITE),
    ("count overflowing to infinity", csv("yjs_first_time_entrants,E23000021,2022-05,1e400,,,,"), "r.csv", YOS, 2, "value",
     NOT_FINITE),
    ("nan written as a count", csv("yjs_first_time_entrants,E23000021,2022-05,nan,,,,"), "r.csv", YOS, 2, "value", NOT_FINITE),
    ("a count too large to be real", csv("yjs_first_time_entrants,E23000021,2022-05,1e300,,,,"), "r.csv", YOS, 2, "value",
     "too large"),
    ("infinite numerator and denominator", csv("burglary_satisfaction,E23000021,2022-04,,inf,inf,,"), "r.csv", SURVEY, 2,
     "numerator", NOT_FINITE),
    ("denominator overflowing to infinity", csv("burglary_satisfaction,E23000021,2022-04,,5,1e400,,"), "r.csv", SURVEY, 2,
     "denominator", NOT_FINITE),
    ("nan numerator", csv("burglary_satisfaction,E23000021,2022-04,,NaN,40,,"), "r.csv", SURVEY, 2, "numerator", NOT_FINITE),
    ("xlsx text inf", xlsx([["yjs_first_time_entrants", "E23000021", "2022-05", "inf", "", "", "", ""]]), "r.xlsx", YOS, 2,
     "value", NOT_FINITE),
    ("xlsx number overflowing to infinity", xlsx_with_number("1e400"), "r.xlsx", YOS, 2, "value", NOT_FINITE),
    ("xlsx infinite denominator", xlsx([["burglary_satisfaction", "E23000021", "2022-04", "", 5, "-inf", "", ""]]), "r.xlsx",
     SURVEY, 2, "denominator", NOT_FINITE),
]


def test_the_corpus_is_large_enough():
    assert len(MALFORMED) >= 30


@pytest.mark.parametrize("name, data, file_name, partner, row, column, words", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_each_malformed_file_is_rejected_with_a_reason_and_changes_nothing(demo_copy, name, data, file_name, partner, row,
                                                                           column, words):
    before = table_checksum(demo_copy)
    with pytest.raises(ReturnRejected) as rejected:
        load_return_file(demo_copy, data, file_name, partner=partner, actor=coordinator("tester"))
    problems = rejected.value.problems
    assert any(words.lower() in p.reason.lower() for p in problems), [str(p) for p in problems]
    match = [p for p in problems if words.lower() in p.reason.lower()][0]
    assert match.row == row
    assert match.column == column
    assert table_checksum(demo_copy) == before
    assert not demo_copy.is_symlink()  # nothing was published


def observation(db, measure_id, month, area_id=FORCE):
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return con.execute("SELECT value, numerator, denominator, status, submission_id FROM observations "
                           "WHERE measure_id = ? AND area_id = ? AND month = ?", [measure_id, area_id, month]).fetchone()
    finally:
        con.close()


def test_the_unedited_template_is_refused_and_validates_once_filled_in(demo_copy):
    con = duckdb.connect(str(demo_copy), read_only=True)
    frame = template_from_db(con, SURVEY, [pd.Period("2022-04", "M")])
    con.close()
    assert set(frame["measure_id"]) >= {"burglary_satisfaction", "rape_victim_satisfaction"}
    assert set(frame["status"]) == {"example"} and set(frame["value"]) == {""}  # no figure, so never a month of zeros
    before = table_checksum(demo_copy)
    for data, name in ((template_csv(frame), "t.csv"), (template_xlsx(frame), "t.xlsx")):
        with pytest.raises(ReturnRejected) as rejected:
            load_return_file(demo_copy, data, name, partner=SURVEY, actor=coordinator("x"), confirmed=True)
        assert "example row" in str(rejected.value.problems[0])
        assert rejected.value.problems[0].row == 2 and rejected.value.problems[0].column == "status"
    assert table_checksum(demo_copy) == before
    filled = frame.assign(numerator="30", denominator="40", status="published")
    for data, name in ((template_csv(filled), "t.csv"), (template_xlsx(filled), "t.xlsx")):
        rows = load_return_file(demo_copy, data, name, partner=SURVEY, actor=coordinator("x"), check_only=True)
        assert len(rows) == len(frame)
        assert set(rows["value"]) == {75.0}


def test_a_return_loads_replaces_keeps_history_and_is_idempotent(demo_copy):
    first = csv("burglary_satisfaction,E23000021,2022-04,,30,40,,", "yjs_first_time_entrants,E23000021,2022-05,30,,,,")
    with pytest.raises(ReturnRejected):  # mixed partners are refused
        load_return_file(demo_copy, first, "mixed.csv", partner=SURVEY, actor=coordinator("a"))
    survey = csv("burglary_satisfaction,E23000021,2022-04,,30,40,,")
    before = observation(demo_copy, "burglary_satisfaction", date(2022, 4, 1))
    unchanged = table_checksum(demo_copy)
    with pytest.raises(ChangesNeedConfirmation) as asked:  # it replaces a value held: say what, and wait
        load_return_file(demo_copy, survey, "april.csv", partner=SURVEY, actor=coordinator("Analyst"))
    preview = asked.value.preview
    assert (preview.added, preview.replaced, preview.unchanged) == (0, 1, 0)
    old = f"{before[0]:,.4g} ({before[1]:,.0f}/{before[2]:,.0f})"
    assert preview.lines() == [f"Burglary victim satisfaction (%) / {FORCE_NAME} / 2022-04: {old} -> 75 (30/40)"]
    assert table_checksum(demo_copy) == unchanged
    with pytest.raises(ChangesNeedConfirmation):  # a confirmation of some other change does not do
        load_return_file(demo_copy, survey, "april.csv", partner=SURVEY, actor=coordinator("Analyst"), confirmed="0" * 64)
    result = load_return_file(demo_copy, survey, "april.csv", partner=SURVEY, actor=coordinator("Analyst"),
                              confirmed=preview.fingerprint)
    assert (result.added, result.replaced, result.unchanged) == (0, 1, 0)
    assert observation(demo_copy, "burglary_satisfaction", date(2022, 4, 1))[:3] == (75.0, 30.0, 40.0)
    again = load_return_file(demo_copy, survey, "april.csv", partner=SURVEY, actor=coordinator("Analyst"))
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 1)
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    history = con.execute("SELECT value, numerator, denominator, replaced_by_submission_id FROM observation_history").fetchall()
    audit = con.execute("SELECT loaded_by, file_name, sha256, rows_added, rows_replaced FROM submissions WHERE id >= 3 ORDER BY id").fetchall()
    con.close()
    assert history == [(before[0], before[1], before[2], result.submission_id)]
    assert audit[0][:2] == ("Analyst", "april.csv") and len(audit[0][2]) == 64 and audit[0][3:] == (0, 1)


def test_undo_restores_what_a_load_replaced(demo_copy):
    before = table_checksum(demo_copy)
    original = observation(demo_copy, "yjs_first_time_entrants", date(2021, 6, 1))
    data = csv("yjs_first_time_entrants,E23000021,2021-06,99,,,,", "yjs_first_time_entrants,E23000021,2022-05,30,,,,")
    loaded = load_return_file(demo_copy, data, "yos.csv", partner=YOS, actor=coordinator("a"), confirmed=True)
    assert (loaded.added, loaded.replaced) == (1, 1)
    loaded_state = table_checksum(demo_copy)
    with pytest.raises(ChangesNeedConfirmation) as asked:  # an undo says what it will change first
        undo_submission(demo_copy, loaded.submission_id, actor=coordinator("b"))
    # measures and areas by name, as the person confirming knows them (#18 item 8)
    assert asked.value.preview.lines() == [f"{YJS} / {FORCE_NAME} / 2021-06: 99 -> {original[0]:,.4g}",
                                           f"{YJS} / {FORCE_NAME} / 2022-05: 30 -> nothing"]
    assert table_checksum(demo_copy) == loaded_state
    undo_submission(demo_copy, loaded.submission_id, actor=coordinator("b"), confirmed=asked.value.preview.fingerprint)
    assert observation(demo_copy, "yjs_first_time_entrants", date(2021, 6, 1)) == original
    assert observation(demo_copy, "yjs_first_time_entrants", date(2022, 5, 1)) is None
    with pytest.raises(UndoRefused, match="no rows left"):
        undo_submission(demo_copy, loaded.submission_id, actor=coordinator("b"), confirmed=True)
    # Observations and history are as they were; the audit keeps both the load and its undo.
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    kinds = [r[0] for r in con.execute("SELECT kind FROM submissions ORDER BY id").fetchall()]
    con.close()
    assert kinds[-2:] == ["partner return", "undo"]
    assert before != table_checksum(demo_copy)


def test_undo_refuses_when_a_later_load_replaced_the_rows(demo_copy):
    one = load_return_file(demo_copy, csv("yjs_first_time_entrants,E23000021,2022-05,30,,,,"), "a.csv", partner=YOS, actor=coordinator("a"))
    two = load_return_file(demo_copy, csv("yjs_first_time_entrants,E23000021,2022-05,31,,,,"), "b.csv", partner=YOS, actor=coordinator("a"),
                           confirmed=True)
    with pytest.raises(UndoRefused, match=f"Later loads \\({two.submission_id}\\)"):
        undo_submission(demo_copy, one.submission_id, actor=coordinator("b"), confirmed=True)
    undo_submission(demo_copy, two.submission_id, actor=coordinator("b"), confirmed=True)
    assert observation(demo_copy, "yjs_first_time_entrants", date(2022, 5, 1))[0] == 30
    undo_submission(demo_copy, one.submission_id, actor=coordinator("b"), confirmed=True)
    assert observation(demo_copy, "yjs_first_time_entrants", date(2022, 5, 1)) is None


def test_the_demo_build_cannot_be_undone(demo_copy):
    with pytest.raises(UndoRefused, match="demo"):
        undo_submission(demo_copy, 1, actor=coordinator("x"), confirmed=True)


def test_provisional_rows_stay_hidden_until_their_date(demo_copy):
    data = csv("yjs_first_time_entrants,E23000021,2022-05,30,,,provisional,2099-01-01")
    load_return_file(demo_copy, data, "p.csv", partner=YOS, actor=coordinator("a"))
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    hidden = con.execute("SELECT COUNT(*) FROM visible_observations(DATE '2098-12-31', false) "
                         "WHERE measure_id = 'yjs_first_time_entrants' "
                         "AND month = DATE '2022-05-01'").fetchone()[0]
    con.close()
    assert hidden == 0


def test_the_command_line_reports_every_problem_and_exits_2(demo_copy, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv("nope,E23000021,2022-05,30,,,,", "yjs_first_time_entrants,E23000021,2022-05,-1,,,,"))
    result = subprocess.run([sys.executable, "-m", "ingest", "return", "--db", str(demo_copy), "--partner", YOS,
                             str(bad)], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert "bad.csv was not loaded; nothing changed" in result.stderr
    assert "row 2, measure_id: 'nope' is not a measure id" in result.stderr
    assert "row 3, value: '-1' cannot be negative" in result.stderr


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_header_of_40000_columns_is_refused_at_once_through_the_checker(demo_copy, kind):
    """#23.11: the column check was quadratic, so 40,000 columns (349 KB) held the checker for its whole 20 s."""
    import time

    from core.settings import settings
    from ingest.returns import MAX_COLUMNS, check_return, check_return_data, read_catalogue

    extra = 40_000 if kind == "csv" else 16_000  # a sheet holds at most 16,384 columns
    wide = [*COLUMNS, *(f"extra_column_{i}" for i in range(extra))]
    data = csv(GOOD, header=",".join(wide)) if kind == "csv" else xlsx([GOOD.split(",")], header=wide)
    with pytest.raises(ReturnRejected) as rejected:
        check_return(demo_copy, data, f"wide.{kind}", partner=YOS)
    assert f"more than {MAX_COLUMNS} columns" in str(rejected.value)
    assert rejected.value.problems[0].row == 1
    # The same check in this process, timed in CPU seconds, which a busy machine hardly changes (the checker's
    # own wall time took 7 s on a loaded 3-worker run): it takes well under 1 s.
    catalogue, started = read_catalogue(demo_copy), time.process_time()
    with pytest.raises(ReturnRejected):
        check_return_data(data, f"wide.{kind}", catalogue, YOS, settings())
    cpu = time.process_time() - started
    assert cpu < 5, f"refusing {len(data):,} bytes of header took {cpu:.1f} s of CPU"
