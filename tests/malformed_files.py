"""Malformed files, each made to be refused: a corpus of the cases in issue #15 and mutations for hypothesis."""
from __future__ import annotations

import gzip
import io
import zipfile

import openpyxl

RETURN_COLUMNS = ["measure_id", "area_id", "month", "value", "numerator", "denominator", "status", "publish_after"]
RETURN_HEADER = ",".join(RETURN_COLUMNS)
GOOD_ROW = "yjs_first_time_entrants,E23000021,2022-05,30,,,published,"
POLICE_HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
                 "Last outcome category,Context")
POLICE_ROW = (",{month},Leicestershire Police,Leicestershire Police,-1.1,52.6,On or near Main Street,E01025555,"
              "Charnwood 012B,Anti-social behaviour,,")


def csv_bytes(*rows: str, header: str = RETURN_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def xlsx_bytes(rows: list[list], sheet: str = "return", header=RETURN_COLUMNS) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = sheet
    book.active.append(list(header))
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(xml: bytes) -> bytes:
    """A valid return workbook whose sheet XML is replaced."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([GOOD_ROW.split(",")])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item.filename, data)
    return out.getvalue()


def xlsx_with_number(number_text: str) -> bytes:
    """A return workbook whose one row's value is the numeric cell <v>number_text</v>, as Excel stores a number
    (e.g. 1e400, which reads as infinity)."""
    cells = "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' if text else "<c/>"
                    for text in GOOD_ROW.replace(",30,", ",NUMBER,").split(","))
    cells = cells.replace('<c t="inlineStr"><is><t>NUMBER</t></is></c>', f"<c><v>{number_text}</v></c>")
    header = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in RETURN_COLUMNS)
    return with_sheet_xml(('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                           f"<row>{header}</row><row>{cells}</row></sheetData></worksheet>").encode())


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                  + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')


def xlsx_bomb(expanded_mb: int = 60) -> bytes:
    """A small workbook that declares a sheet of `expanded_mb` MB (one huge cell of zeros)."""
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([GOOD_ROW.split(",")])))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                head = (b"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                        b"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>")
                target.writestr(item.filename, head + b"0" * (expanded_mb * 1_000_000) + b"</t></is></c></row></sheetData></worksheet>")
            else:
                target.writestr(item.filename, source.read(item.filename))
    return out.getvalue()


def police_csv(*months: str, rows_per_month: int = 3) -> str:
    return "\n".join([POLICE_HEADER, *[POLICE_ROW.format(month=m) for m in months for _ in range(rows_per_month)]]) + "\n"


# (name, file name, bytes): partner returns for Youth Offending Services, each refused.
RETURN_CORPUS = [
    ("extra field on every row (the 132-byte TypeError)", "extra.csv", csv_bytes(GOOD_ROW + ",x", GOOD_ROW + ",y")),
    ("ragged row", "ragged.csv", csv_bytes(GOOD_ROW, "a,b,c,d,e,f,g,h,i,j")),
    ("unclosed quote", "quote.csv", csv_bytes('"yjs_first_time_entrants,E23000021,2022-05,30,,,published,\n"x"y",')),
    ("NUL bytes", "nul.csv", b"\x00" * 40),
    ("latin-1", "latin.csv", csv_bytes(GOOD_ROW).replace(b"published", b"publi\xe9")),
    ("month 2099-12", "future.csv", csv_bytes(GOOD_ROW.replace("2022-05", "2099-12"))),
    ("month 1900-01", "past.csv", csv_bytes(GOOD_ROW.replace("2022-05", "1900-01"))),
    ("the unedited template", "template.csv", csv_bytes("yjs_first_time_entrants,E23000021,2022-05,,,,example,")),
    ("malformed sheet XML", "badxml.xlsx", with_sheet_xml(b"<worksheet><sheetData><row></sheetData>")),
    ("billion laughs", "laughs.xlsx", with_sheet_xml(BILLION_LAUGHS)),
    ("not a zip", "fake.xlsx", b"PK\x03\x04 this is not really a zip"),
    ("truncated workbook", "cut.xlsx", xlsx_bytes([GOOD_ROW.split(",")])[:700]),
    ("XLSX bomb", "bomb.xlsx", xlsx_bomb()),
    ("header only", "header.csv", csv_bytes()),
    ("a glob for a name", "*.csv", csv_bytes(GOOD_ROW.replace(",30,", ",-1,"))),
    ("a path for a name", "../../etc/passwd", csv_bytes("nope,E23000021,2022-05,30,,,,")),
    ("duplicate rows", "dup.csv", csv_bytes(GOOD_ROW, GOOD_ROW)),
    ("repeated column", "cols.csv", csv_bytes(GOOD_ROW, header=RETURN_HEADER.replace("status", "value"))),
    ("binary junk", "junk.csv", bytes(range(256)) * 4),
    ("an infinite value", "inf.csv", csv_bytes(GOOD_ROW.replace(",30,", ",inf,"))),
    ("a value that overflows to infinity", "big.csv", csv_bytes(GOOD_ROW.replace(",30,", ",1e400,"))),
    ("nan written as a value", "nan.csv", csv_bytes(GOOD_ROW.replace(",30,", ",NaN,"))),
    ("an infinite survey rate", "rate.csv", csv_bytes("burglary_satisfaction,E23000021,2022-04,,inf,inf,,")),
    ("an Excel number that overflows to infinity", "big.xlsx", xlsx_with_number("1e400")),
]

# (name, file name, text or bytes): police.uk files, each refused.
POLICE_CORPUS = [
    ("bad month", "2022-13.csv", police_csv("2022-13")),
    ("month 2099-12", "2099-12.csv", police_csv("2099-12")),
    ("month 1900-01", "1900-01.csv", police_csv("1900-01")),
    ("words for a month", "april.csv", police_csv("April 2022")),
    ("another force", "kent.csv", police_csv("2022-04").replace("Leicestershire Police,Leicestershire Police", "Kent Police,Kent Police")),
    ("extra field", "extra.csv", police_csv("2022-04").replace("Anti-social behaviour,,", "Anti-social behaviour,,,x")),
    ("not police.uk", "return.csv", RETURN_HEADER + "\n" + GOOD_ROW + "\n"),
    ("not gzip", "broken.csv.gz", b"\x1f\x8b not really gzip"),
    ("gzip bomb", "bomb.csv.gz", gzip.compress(police_csv("2022-04").encode() + b"," * 120_000_000, compresslevel=1)),
    ("empty", "empty.csv", b""),
    ("header only", "header.csv", POLICE_HEADER + "\n"),
    ("a glob for a name, bad month", "*.csv", police_csv("2022-4x")),
    ("an unknown crime type", "cyber.csv", police_csv("2022-04").replace("Anti-social behaviour", "Cyber crime", 1)),
    ("a NUL in the crime type", "nul.csv", police_csv("2022-04").replace("Anti-social behaviour", "Anti-social\x00", 1)),
    ("a NUL in the location", "nul2.csv", police_csv("2022-04").replace("Main Street", "Main\x00Street", 1)),
    ("a whole month of 3 records", "tiny.csv", police_csv("2022-04")),
]
