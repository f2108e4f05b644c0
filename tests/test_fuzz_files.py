"""Every malformed file gets a plain message, never a traceback or a server path, and changes nothing.

At least 300 malformed files (a corpus of the cases in issue #15, and mutations drawn by
hypothesis) go through both ways in: the functions the Data page calls (checking in the
limited checker process, then loading) and the command line (its main(), as run).
"""
from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, coordinator, table_checksum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from malformed_files import GOOD_ROW, POLICE_CORPUS, RETURN_CORPUS, csv_bytes, police_csv, with_sheet_xml, xlsx_bytes

from core.errors import LoadRefused
from ingest.__main__ import main
from ingest.police_uk import check_files, load_checked
from ingest.returns import check_return, load_return

YOS = "Youth Offending Services"
# Distinct files each drawing test checks (and checks it ran them all), of at most so many draws: hypothesis draws
# some files more than once, and checking one again tells nothing new (each check costs a fork and two databases).
DRAWN_RETURNS, DRAWN_POLICE_UK = 188, 72
RETURN_DRAWS, POLICE_UK_DRAWS = 240, 90


@pytest.fixture(scope="module")
def fuzz_db(demo_db, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "dashboard.duckdb"
    shutil.copy(demo_db, path)
    yield path
    # Nothing any file did was published: the live file is still the plain file, its tables unchanged.
    assert not path.is_symlink()
    assert table_checksum(path) == table_checksum(demo_db)


def assert_plain(message: str, *folders: Path) -> None:
    assert message.strip()
    assert "Traceback" not in message and 'File "' not in message
    for folder in (*folders, PROJECT_ROOT, Path("/tmp")):
        assert str(folder) not in message, message
    assert "site-packages" not in message


def page_return(db: Path, data: bytes, name: str) -> str:
    """As the Data page does: check in the checker process, then load; the refusal's words are what it shows."""
    with pytest.raises(LoadRefused) as refused:
        load_return(db, check_return(db, data, name, partner=YOS), actor=coordinator("fuzz"))
    return "\n".join([refused.value.message, *refused.value.details()])


def cli(argv: list[str], capsys) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ")
    return captured.err


def try_return(db: Path, folder: Path, data: bytes, name: str, capsys) -> None:
    assert_plain(page_return(db, data, name), folder)
    path = folder / "upload.bin"
    path.write_bytes(data)
    assert_plain(cli(["return", "--db", str(db), "--partner", YOS, str(path)], capsys), folder)


def try_police(db: Path, folder: Path, data: bytes | str, name: str, capsys) -> None:
    path = folder / "upload-0.csv"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    with pytest.raises(LoadRefused) as refused:
        load_checked(db, check_files([(path, name)]), actor=coordinator("fuzz"))
    assert_plain(refused.value.message, folder)
    assert_plain(cli(["police-uk", "--db", str(db), str(path)], capsys), folder)


@pytest.mark.parametrize("name, file_name, data", RETURN_CORPUS, ids=[c[0] for c in RETURN_CORPUS])
def test_the_corpus_of_returns(fuzz_db, tmp_path, capsys, name, file_name, data):
    try_return(fuzz_db, tmp_path, data, file_name, capsys)


@pytest.mark.parametrize("name, file_name, data", POLICE_CORPUS, ids=[c[0] for c in POLICE_CORPUS])
def test_the_corpus_of_police_uk_files(fuzz_db, tmp_path, capsys, name, file_name, data):
    try_police(fuzz_db, tmp_path, data, file_name, capsys)


CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
XLSX_CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)  # a
# control character cannot be written into a workbook at all (openpyxl refuses it), so it is no file to test


@st.composite
def malformed_return(draw) -> tuple[bytes, str]:
    """A return with at least one thing wrong with it (each kind of mutation is always refused)."""
    kind = draw(st.sampled_from(["extra fields", "bad month", "bad value", "bad measure", "random bytes", "bad xml",
                                 "xlsx bad cell", "missing column", "duplicate"]))
    rows = [GOOD_ROW.replace("2022-05", f"2021-{m:02d}") for m in range(1, draw(st.integers(1, 12)) + 1)]
    victim = draw(st.integers(0, len(rows) - 1))
    cells = rows[victim].split(",")
    if kind == "extra fields":
        rows[victim] += "," + ",".join(draw(st.lists(CELL.filter(lambda c: "," not in c and c.strip() and '"' not in c
                                                                  and "\n" not in c and "\r" not in c),
                                                     min_size=1, max_size=4)))
    elif kind == "bad month":
        cells[2] = draw(st.sampled_from(["2099-12", "1900-01", "2022-13", "22-05", "", "May"])
                        | st.text(alphabet="abcxyz /:", min_size=1, max_size=10))
        rows[victim] = ",".join(cells)
    elif kind == "bad value":
        cells[3] = draw(st.sampled_from(["-1", "1.5", "45%", "0.5", "", "ten", "1e400", "nan"]))
        rows[victim] = ",".join(cells)
    elif kind == "bad measure":
        cells[0] = "x" + draw(st.text(alphabet="abcdefghij_", max_size=20))
        rows[victim] = ",".join(cells)
    elif kind == "duplicate":
        rows.append(rows[victim])
    if kind == "random bytes":
        data = draw(st.binary(min_size=1, max_size=300).filter(lambda b: b"\n" not in b))
        return b"\x00" + data, draw(st.sampled_from(["r.csv", "r.xlsx", "*.csv", "[a-z].csv", "r?.csv"]))
    if kind == "bad xml":
        body = draw(st.binary(min_size=0, max_size=200))
        return with_sheet_xml(b"<worksheet><sheetData><row>" + body), "r.xlsx"
    if kind == "xlsx bad cell":
        row = GOOD_ROW.split(",")
        row[draw(st.integers(0, 3))] = "?" + draw(XLSX_CELL)
        return xlsx_bytes([row]), draw(st.sampled_from(["r.xlsx", "*.xlsx"]))
    header = ",".join(c for c in RETURN_HEADERS if c != "month") if kind == "missing column" else None
    data = csv_bytes(*rows) if header is None else csv_bytes(*rows, header=header)
    return data, draw(st.sampled_from(["r.csv", "*.csv", "r[1].csv", "a b.csv", "ü.csv"]))


RETURN_HEADERS = ["measure_id", "area_id", "month", "value", "numerator", "denominator", "status", "publish_after"]


def drawn(strategy, files: int, draws: int):
    """Run the decorated check on the first `files` distinct files of up to `draws` that hypothesis draws; the
    distinct files it ran, counted."""
    def run_each(check) -> int:
        ran = set()

        @settings(max_examples=draws, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow])
        @given(strategy)
        def each(case):
            if case in ran or len(ran) >= files:
                return
            check(case)
            ran.add(case)

        each()
        return len(ran)
    return run_each


def test_drawn_malformed_returns(fuzz_db, tmp_path, capsys):
    @drawn(malformed_return(), DRAWN_RETURNS, RETURN_DRAWS)
    def ran(case):
        data, name = case
        try_return(fuzz_db, tmp_path, data, name, capsys)

    assert ran == DRAWN_RETURNS


@st.composite
def malformed_police_uk(draw) -> bytes:
    kind = draw(st.sampled_from(["bad month", "extra field", "truncated gzip", "other force"]))
    text = police_csv("2022-04", rows_per_month=draw(st.integers(1, 5)))
    if kind == "bad month":
        return police_csv(draw(st.sampled_from(["2099-12", "1900-01", "2022-00", "2022/04"])
                               | st.text(alphabet="0123456789-x", min_size=1, max_size=8).filter(
                                   lambda t: not re.fullmatch(r"\s*\d{4}-(0[1-9]|1[0-2])\s*", t)))).encode()
    if kind == "extra field":
        return text.replace("Anti-social behaviour,,", "Anti-social behaviour,,,", 1).encode()
    if kind == "truncated gzip":
        whole = gzip.compress(text.encode())
        return whole[: draw(st.integers(1, len(whole) - 9))]
    return text.replace("Leicestershire Police,Leicestershire Police", draw(st.sampled_from(
        ["Kent Police,Kent Police", "Leicestershire Police,", ",Leicestershire Police"])), 1).encode()


def test_drawn_malformed_police_uk_files(fuzz_db, tmp_path, capsys):
    @drawn(malformed_police_uk(), DRAWN_POLICE_UK, POLICE_UK_DRAWS)
    def ran(data):
        try_police(fuzz_db, tmp_path, data, "street.csv", capsys)

    assert ran == DRAWN_POLICE_UK


def test_at_least_300_malformed_files_went_through_both_paths():
    # Each corpus case is a test of its own and each drawing test checks it ran all its distinct files: in any order
    # and on any worker, passing them all means these many malformed files went through both ways in.
    assert len(RETURN_CORPUS) + len(POLICE_CORPUS) + DRAWN_RETURNS + DRAWN_POLICE_UK >= 300

