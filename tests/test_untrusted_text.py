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
from conftest import FORCE, PROJECT_ROOT, coordinator, shown, signed_in_app
from hostile_input import live_markdown_links
from streamlit.testing.v1 import AppTest

import queries
from components.downloads import csv_bytes, excel_bytes, neutralised
from ingest.commentary import save_commentary
from ingest.returns import load_return_file
from render.safe_text import WORD_JOINER, allowed_link, plain, safe_markdown

PAYLOAD = ('![pixel](https://evil.example/p.png) <img src=x onerror=alert(1)> [click](https://evil.example/) '
           '**bold** =HYPERLINK("https://evil.example","x")')
HEADER = "measure_id,area_id,month,value,numerator,denominator,status,publish_after\n"


@pytest.mark.parametrize("text, escaped", [
    ("![pixel](https://evil.example/p.png)", rf"\!\[pixel\]\(https\:{WORD_JOINER}//evil\.example/p\.png\)"),
    ("<script>alert(1)</script>", r"\<script\>alert\(1\)\</script\>"),
    ("**bold** _it_ `code`", r"\*\*bold\*\* \_it\_ \`code\`"),
    ("1. not a list", r"1\. not a list"),
])
def test_plain_text_escapes_every_markdown_construct(text, escaped):
    assert plain(text) == escaped


# GFM autolinks these even with every character escaped (seen in chromium: tests/test_browser_hostile_input.py)
BARE_ADDRESSES = ["https://evil.example/x", "HTTP://EVIL.EXAMPLE", "www.evil.example", "WWW.evil.example",
                  "a@evil.example", "jane.smith@leics.police.uk", "mailto:a@evil.example", "xmpp:a@evil.example",
                  "<https://evil.example>", "see (https://evil.example).", "[a](https://evil.example)",
                  "https://evil.example:443", "ftp://evil.example"]


@pytest.mark.parametrize("text", BARE_ADDRESSES)
def test_plain_text_leaves_no_address_for_markdown_to_autolink(text):
    assert live_markdown_links(plain(text)) == []
    assert shown(plain(text)) == text  # the reader sees the text as written


ALLOWED = ("leics.pcc.police.uk", "leics.police.uk", "leicester.gov.uk", "gov.uk")
HOSTILE_ADDRESSES = [
    "https://evil.example/x",
    "https://gov.uk@evil.example/y",  # user information: the host is evil.example
    "https://user:pw@gov.uk/",
    "https://gov.uk\\@evil.example/",  # a backslash: browsers read it as a slash
    "https://gov.uk%2eevil.example/",  # percent-encoded host
    "https://gov.uk%40evil.example/",
    "https://gov.uk.evil.example/",  # the allowed name as a subdomain of another host
    "https://evilgov.uk/",  # a suffix that is not a whole label
    "https://\u0261ov.uk/",  # a Latin script g (U+0261) for g
    "https://gov.uk\u3002evil.example/",  # an ideographic full stop
    "https://xn--gv-7ka.uk/",  # punycode (IDN) lookalike
    "https://xn--80ak6aa92e.gov.uk/",
    "https://gov.uk:8443/",  # another port
    "https://gov.uk:/",
    "https://gov.uk:99999/",
    "https://gov.uk./",  # a trailing dot
    "https://[::1]/",
    "http://127.0.0.1/",
    "https://-gov.uk/",
    "https:///gov.uk",
]
ALLOWED_ADDRESSES = ["https://www.leics.police.uk/report", "https://gov.uk/", "HTTPS://WWW.GOV.UK/x?a=1#b",
                     "http://leicester.gov.uk", "https://www.gov.uk:443/guidance", "https://leics.pcc.police.uk/a(b"]


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_an_address_off_the_allow_list_is_shown_as_inert_text(address):
    assert not allowed_link(address, ALLOWED)
    text = safe_markdown(f"see {address} now", ALLOWED)
    assert live_markdown_links(text) == [] and "](" not in text.replace("\\]\\(", "")
    assert shown(text) == f"see {address} now"


@pytest.mark.parametrize("address", ALLOWED_ADDRESSES)
def test_an_address_on_the_allow_list_becomes_a_link_to_that_host(address):
    assert allowed_link(address, ALLOWED)
    text = safe_markdown(f"see {address}.", ALLOWED)
    assert text.startswith("see [") and text.endswith(")\\.")  # the sentence's full stop is not in the link
    destination = text[text.index("](") + 2:-3]
    assert allowed_link(destination, ALLOWED) and not set("()[] <>") & set(destination)


def test_commentary_links_only_to_allowed_hosts_over_http():
    allowed = ("leics.police.uk",)
    assert safe_markdown("see https://www.leics.police.uk/report", allowed) == \
        r"see [https\://www\.leics\.police\.uk/report](https://www.leics.police.uk/report)"
    assert live_markdown_links(safe_markdown("see https://evil.example/x", allowed)) == []
    assert live_markdown_links(safe_markdown("javascript:alert(1)", allowed)) == []
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
        drawn = " ".join(str(e.value) for e in [*at.markdown, *at.info] if not getattr(e.proto, "allow_html", False))
        assert "![pixel](https://evil.example/p.png)" in shown(drawn), page
        for live in (r"(?<!\\)!(?<!\\)\[pixel", r"(?<!\\)<img", r"(?<!\\)\[click(?<!\\)\]"):  # not escaped: would render
            assert not re.search(live, drawn), (page, live)
        assert live_markdown_links(drawn) == [], page
        assert "co</b>@example.org" not in shown(drawn) and "a co-ordinator" in drawn, page  # a role, not an address


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
    assert any("alice@example.org saved version 1 while you were editing" in shown(e.value) for e in bob.error)
    assert any(t.value == "Alice's words" for t in bob.get("text"))  # her text, shown
    assert bob.text_area[0].value == "Bob's words"  # his, still in the box
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    kept = con.execute("SELECT version, author, text FROM commentary WHERE priority_id = 8 AND measure_id IS NULL "
                       "AND period_start = DATE '2021-04-01' ORDER BY version").fetchall()
    con.close()
    assert kept == [(1, "alice@example.org", "Alice's words")]  # nothing overwritten
