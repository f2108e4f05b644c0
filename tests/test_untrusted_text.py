"""Untrusted text stays text: commentary, reasons, names and file names are shown inertly, and no
download hands a spreadsheet a formula."""
from __future__ import annotations

import io
import re
from datetime import date

import duckdb
import openpyxl
import pandas as pd
import pytest
from conftest import FORCE, PROJECT_ROOT, coordinator, signed_in_app
from streamlit.testing.v1 import AppTest

import queries
from components.downloads import csv_bytes, excel_bytes, neutralised
from components.safe_text import plain, safe_markdown
from ingest.commentary import save_commentary
from ingest.returns import load_return_file

PAYLOAD = ('![pixel](https://evil.example/p.png) <img src=x onerror=alert(1)> [click](https://evil.example/) '
           '**bold** =HYPERLINK("https://evil.example","x")')
HEADER = "measure_id,area_id,month,value,numerator,denominator,status,publish_after\n"


@pytest.mark.parametrize("text, shown", [
    ("![pixel](https://evil.example/p.png)", r"\!\[pixel\]\(https\://evil\.example/p\.png\)"),
    ("<script>alert(1)</script>", r"\<script\>alert\(1\)\</script\>"),
    ("**bold** _it_ `code`", r"\*\*bold\*\* \_it\_ \`code\`"),
    ("1. not a list", r"1\. not a list"),
])
def test_plain_text_escapes_every_markdown_construct(text, shown):
    assert plain(text) == shown


def test_commentary_links_only_to_allowed_hosts_over_http():
    allowed = ("leics.police.uk",)
    assert safe_markdown("see https://www.leics.police.uk/report", allowed) == \
        r"see [https\://www\.leics\.police\.uk/report](https://www.leics.police.uk/report)"
    assert safe_markdown("see https://evil.example/x", allowed) == r"see https\://evil\.example/x"
    assert safe_markdown("javascript:alert(1)", allowed) == r"javascript\:alert\(1\)"
    # a link on an allowed host written as markdown is still not a link; its address alone becomes one
    text = safe_markdown("[x](https://leics.police.uk/a)", allowed)
    assert text.startswith(r"\[x\]\(") and "](https://leics.police.uk/a)" in text


def test_downloads_neutralise_formulas_but_keep_numbers():
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"http://evil\",\"x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "ok"],
                          "value": [1, -2, 3.5, -4, 5, 6, 7]})
    out = neutralised(frame)
    assert out["name"].tolist() == ["'=HYPERLINK(\"http://evil\",\"x\")", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "ok"]
    assert out["value"].tolist() == [1, -2, 3.5, -4, 5, 6, 7]  # numbers stay numbers, negative ones too
    # quoted because it holds quotes; a spreadsheet reads it as text, the apostrophe first
    assert csv_bytes(frame).splitlines()[1] == b'"\'=HYPERLINK(""http://evil"",""x"")",1.0'
    sheet = openpyxl.load_workbook(io.BytesIO(excel_bytes(frame))).active
    assert sheet["A2"].value == "'=HYPERLINK(\"http://evil\",\"x\")" and sheet["A2"].data_type == "s"
    assert sheet["B3"].value == -2 and sheet["B3"].data_type == "n"


def test_an_uploaded_file_name_is_neutralised_in_the_audit_download(demo_copy):
    data = (HEADER + "yjs_first_time_entrants,E23000021,2022-05,30,,,published,\n").encode()
    load_return_file(demo_copy, data, '=HYPERLINK("evil.example","x").csv', partner="Youth Offending Services",
                     actor=coordinator())
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    audit = queries.run(con, "app/submissions")
    con.close()
    assert audit["file_name"].iloc[0] == '=HYPERLINK("evil.example","x").csv'  # kept as given
    assert b"'=HYPERLINK" in csv_bytes(audit) and b",=HYPERLINK" not in csv_bytes(audit)


def test_payload_commentary_is_shown_as_its_own_characters_everywhere(demo_copy, monkeypatch):
    save_commentary(demo_copy, priority_id=8, area_id=FORCE, period_start=date(2021, 4, 1), period_end=date(2021, 6, 1),
                    text=PAYLOAD, status="published", actor=coordinator("<b>co</b>@example.org"))
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"priority": "8. Anti-social behaviour", "quarter": "Q1 2021/22"})
    at.run()
    overview = "".join(h.proto.body for h in at.get("html"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in overview and "<img src=x" not in overview
    for page in ("app_pages/commentary.py", "app_pages/priority_explorer.py"):
        at.switch_page(page)
        at.run()
        assert not at.exception
        shown = " ".join(str(e.value) for e in [*at.markdown, *at.info])
        assert r"\!\[pixel\]\(https\://evil\.example/p\.png\)" in shown, page
        for live in (r"(?<!\\)!(?<!\\)\[pixel", r"(?<!\\)<img", r"(?<!\\)\[click(?<!\\)\]"):  # not escaped: would render
            assert not re.search(live, shown), (page, live)
        assert r"\<b\>co\</b\>@example\.org" in shown, page


def test_a_second_editor_in_another_session_is_shown_the_newer_text(demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    params = {"priority": "8. Anti-social behaviour", "quarter": "Q1 2021/22"}

    def editor(email):
        at = signed_in_app(demo_copy, email=email)
        at.query_params.update(params)
        at.run()
        at.switch_page("app_pages/commentary.py")
        at.run()
        return at

    alice, bob = editor("alice@example.org"), editor("bob@example.org")  # both open the same commentary
    alice.text_area[0].input("Alice's words")
    [b for b in alice.button if b.label == "Publish"][0].click()
    alice.run()
    bob.text_area[0].input("Bob's words")
    [b for b in bob.button if b.label == "Publish"][0].click()
    bob.run()
    assert not bob.exception
    assert any("alice@example\\.org saved version 1 while you were editing" in e.value for e in bob.error)
    assert any(t.value == "Alice's words" for t in bob.get("text"))  # her text, shown
    assert bob.text_area[0].value == "Bob's words"  # his, still in the box
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    kept = con.execute("SELECT version, author, text FROM commentary WHERE priority_id = 8 AND measure_id IS NULL "
                       "AND period_start = DATE '2021-04-01' ORDER BY version").fetchall()
    con.close()
    assert kept == [(1, "alice@example.org", "Alice's words")]  # nothing overwritten
