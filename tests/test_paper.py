"""The quarterly Panel paper: `python -m report` writes a tagged PDF and HTML with the same content,
18 priority sections, alt text on every chart, and Appendix A equal to the Overview."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from html.parser import HTMLParser

import duckdb
import numpy as np
import pypdf
import pytest
from conftest import FORCE, PROJECT_ROOT, coordinator, shared_by_workers

import dashboard_data
from access import PUBLIC
from analysis import calendar
from ingest.paper_settings import save_paper_settings
from report.__main__ import main as report_command
from report.content import paper_content

Q1 = calendar.quarter(2021, 1)
FORCE_NAME = "Leicester, Leicestershire and Rutland (force area)"


def command(*args: str) -> subprocess.CompletedProcess:
    """`python -m report ARGS` run in this process (report/__main__.py's main, as `python -m` calls it): its exit
    status and what it printed. A new interpreter would cost seconds of CPU importing what this one holds; the
    command's own start is run as the README runs it by test_on_a_fresh_clone_the_command_builds_the_demo_as_the_app_does."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = report_command(list(args))
    return subprocess.CompletedProcess(["python", "-m", "report", *args], status, out.getvalue(), err.getvalue())


def run_report(db, out, *extra) -> subprocess.CompletedProcess:
    return command("--quarter", "2021-22-Q1", "--area", FORCE, "--out", str(out), "--db", str(db), *extra)


@pytest.fixture(scope="session")
def papers(demo_db, tmp_path_factory):
    """The demo's Q1 paper as PDF and HTML, typeset once in the whole run (every worker's demo is the same build)."""
    with shared_by_workers(tmp_path_factory, "paper") as folder:
        outputs = folder / "runs.json"
        if not outputs.exists():
            runs = {fmt: run_report(demo_db, folder / f"r.{fmt}", "--format", fmt) for fmt in ("pdf", "html")}
            outputs.write_text(json.dumps({fmt: [run.args, run.returncode, run.stdout, run.stderr]
                                           for fmt, run in runs.items()}), encoding="utf-8")
    runs = {fmt: subprocess.CompletedProcess(*run) for fmt, run in json.loads(outputs.read_text(encoding="utf-8")).items()}
    for run in runs.values():
        assert run.returncode == 0, run.stderr
    return {"pdf": folder / "r.pdf", "html": folder / "r.html", "runs": runs}


@pytest.fixture(scope="module")
def overview_q1(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        yield dashboard_data.overview(con, area_id=FORCE, area_name=FORCE_NAME, period=Q1)
    finally:
        con.close()


def resolve(obj):
    return obj.get_object() if hasattr(obj, "get_object") else obj


def structure_elements(reader: pypdf.PdfReader) -> list[dict]:
    """Every element of the PDF's structure tree (tagged PDF), depth first."""
    found, stack = [], [resolve(reader.trailer["/Root"]["/StructTreeRoot"])]
    while stack:
        node = resolve(stack.pop())
        if not isinstance(node, dict):
            continue
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        kids = resolve(kids) if kids is not None else []
        stack.extend(kids if isinstance(kids, list) else [kids])
    return found


def test_the_command_says_what_it_wrote_and_how_long_it_took(papers):
    # The time itself is a benchmark figure (scripts/benchmark.py paper), not a test's pass mark.
    for fmt, run in (("PDF", papers["runs"]["pdf"]), ("HTML", papers["runs"]["html"])):
        assert re.fullmatch(rf"Wrote the Q1 2021/22 Panel paper for E23000021 to \S+ \({fmt}, [\d,]+ bytes\) in [\d.]+ s",
                            run.stdout.strip()), run.stdout


def test_the_pdf_opens_with_eighteen_priority_sections(papers):
    reader = pypdf.PdfReader(papers["pdf"])
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    priorities = [t for t in titles if t.startswith("Strategic Priority ")]
    assert [int(re.match(r"Strategic Priority (\d+):", t).group(1)) for t in priorities] == list(range(1, 19))
    assert titles[:4] == ["Purpose of report", "Recommendation", "Background", "Q1 2021/22 performance"]
    for heading in ("Implications", "Person to contact", "Appendix A: Police and Crime Plan, partnership dashboard"):
        assert heading in titles
    assert "Strategic Priority 15: To prevent child abuse" in " ".join(titles)


def test_the_pdf_is_tagged_with_a_title_and_language(papers):
    reader = pypdf.PdfReader(papers["pdf"])
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).lower().startswith("en")
    assert reader.metadata.title == "Police and Crime Plan performance: Q1 2021/22"


def test_every_chart_has_alt_text_saying_what_it_shows(papers, overview_q1):
    elements = structure_elements(pypdf.PdfReader(papers["pdf"]))
    figures = [e for e in elements if e["/S"] == "/Figure"]
    # One chart per measure needing attention (special cause or Red; every one of them SPC-charted in Q1
    # 2021/22), in the seed's proportions: the rest are in Appendix A.
    special = overview_q1["variation_icon"].notna() & (overview_q1["variation_icon"] != "common_cause")
    needing = overview_q1[special | (overview_q1["rag"] == "Red")]
    assert len(figures) == len(needing) > 0
    for figure in figures:
        alt = str(figure.get("/Alt", ""))
        assert alt.startswith("Control chart of ") and "Latest point" in alt and "change on the same period last year" in alt
    alts = " ".join(str(f["/Alt"]) for f in figures)
    for measure in needing["measure"]:
        assert f"Control chart of {measure}, " in alts
    # The chart as the series stood at the end of the quarter (to June 2021, not April 2022).
    assert "Control chart of Public order (police.uk category), Leicester, Leicestershire and Rutland " \
           "(force area), monthly from December 2019 to June 2021." in alts


def test_tables_have_header_rows(papers):
    kinds = [str(e["/S"]) for e in structure_elements(pypdf.PdfReader(papers["pdf"]))]
    assert kinds.count("/Table") == 20  # one per priority, the implications, Appendix A
    assert kinds.count("/TH") == 5 * 18 + 2 + 10


def appendix_text(path) -> str:
    reader = pypdf.PdfReader(path)
    text = " ".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"\s+", " ", text)
    return text[text.rindex("Appendix A: Police and Crime Plan, partnership dashboard"):]


def test_appendix_a_in_the_pdf_has_the_overviews_figures_row_by_row(papers, overview_q1):
    text = appendix_text(papers["pdf"])
    position = 0
    for row in overview_q1.to_dict("records"):
        cells = [row["value"], row["last_year"], row["rolling_12"]]  # the Overview's own strings
        if row["last_year"] != "–":
            cells.insert(2, row["change"])
        for cell in cells:
            found = text.find(re.sub(r"\s+", " ", cell), position)
            assert found >= 0, (row["measure"], cell)
            position = found + len(cell)


class Tables(HTMLParser):
    """The rows of every table in an HTML document, as lists of cell texts; and the images' alt text."""

    def __init__(self):
        super().__init__()
        self.tables, self.alts, self.headings, self._cell, self._row, self._heading = [], [], [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "img":
            self.alts.append(dict(attrs).get("alt", ""))
        elif tag in ("h1", "h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr":
            self.tables[-1].append(self._row)
        elif tag in ("h1", "h2", "h3"):
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading.append(data)


def parsed_html(path) -> Tables:
    parser = Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def content_q1(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        yield paper_content(con, area_id=FORCE, period=Q1)
    finally:
        con.close()


def test_appendix_a_in_the_html_is_the_overview_cell_for_cell(papers, overview_q1, content_q1):
    appendix = parsed_html(papers["html"]).tables[-1]
    # A priority's first row starts with the priority, which spans its measures' rows.
    rows = [r[1:] if len(r) == 10 else r for r in appendix[1:]]
    assert appendix[0][:4] == ["Priority", "Measure", "Q1 2021/22", "Q1 2020/21"]
    printed = [r["cells"] for g in content_q1["appendix"]["groups"] for r in g["rows"]]
    assert len(rows) == len(printed) == len(overview_q1)
    for shown, cells, row in zip(rows, printed, overview_q1.to_dict("records")):
        assert shown[:6] + shown[7:] == cells[:6] + cells[7:] and shown[6].endswith(cells[6])
        assert shown[0].startswith(row["measure"]) and shown[1:3] == [row["value"], row["last_year"]]
        assert shown[7].startswith(row["rag"])


def test_the_html_has_the_same_content_as_the_pdf(papers):
    html = parsed_html(papers["html"])
    reader = pypdf.PdfReader(papers["pdf"])
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert html.headings[0] == "Police and Crime Plan performance: Q1 2021/22"
    assert [h for h in html.headings[1:] if h in outline] == outline
    figures = [e for e in structure_elements(reader) if e["/S"] == "/Figure"]
    assert sorted(html.alts) == sorted(str(f["/Alt"]) for f in figures) and all(html.alts)
    assert len(html.tables) == 20


def test_counts_and_rates_in_the_paper_match_an_independent_recount(demo_db, overview_q1, content_q1):
    """Every count and survey rate in Appendix A, recounted with SQL on the published observations."""
    content = content_q1  # the paper's content for the demo's Q1, read once for the module
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        recount = {m: (unit, total, num, den, months) for m, unit, total, num, den, months in con.execute(
            "SELECT o.measure_id, m.unit, SUM(o.value), SUM(o.numerator), SUM(o.denominator), COUNT(*) "
            "FROM observations o JOIN measures m ON m.id = o.measure_id "
            "WHERE o.status = 'published' AND o.area_id = ? AND o.month BETWEEN ? AND ? "
            "AND m.chart_kind <> 'none' AND m.aggregation <> 'distinct' "
            "GROUP BY ALL", [FORCE, date(2021, 4, 1), date(2021, 6, 1)]).fetchall()}
        # People are counted once over the whole quarter from the records, never summed across months.
        individuals, repeats = con.execute(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE reports >= 2) FROM (SELECT person_id, COUNT(*) AS reports "
            "FROM missing_person_reports WHERE report_date >= ? AND report_date < ? GROUP BY person_id)",
            [date(2021, 4, 1), date(2021, 7, 1)]).fetchone()
        recount["missing_individuals"] = ("count", individuals, None, None, 3)
        recount["missing_repeat_individuals"] = ("count", repeats, None, None, 3)
    finally:
        con.close()
    rows = {r["cells"][0]: r["cells"] for g in content["appendix"]["groups"] for r in g["rows"]}
    labels = [r["cells"][0] for g in content["appendix"]["groups"] for r in g["rows"]]
    checked = 0
    for label, row in zip(labels, overview_q1.to_dict("records"), strict=True):
        if row["measure_id"] not in recount or recount[row["measure_id"]][4] < 3:
            continue
        unit, total, numerator, denominator, _ = recount[row["measure_id"]]
        # counts are summed over the months; survey rates pooled: responses satisfied over responses
        expected = f"{total:,.0f}" if unit == "count" else f"{100 * numerator / denominator:.1f}%"
        assert rows[label][1] == expected, (label, rows[label][1], expected)
        checked += 1
    assert checked == 39  # the catalogue's 41 measures less the two cumulative ones (training, savings)
    assert rows["All recorded crime (police.uk, excluding ASB)"][1] == "22,949"


def test_saved_implications_are_kept_with_the_paper_and_printed(demo_copy):
    version = save_paper_settings(demo_copy, area_id=FORCE, period_start=Q1.start, period_end=Q1.end, actor=coordinator("A. Co-ordinator"),
                                  settings={"financial": "£1.2m from reserves", "legal": "None", "equality": "Completed",
                                            "risks": "Data gaps in priority 3", "plan_link": "Supports the Plan",
                                            "contact": "A. Co-ordinator, 0116 000 0000"})
    assert version == 1
    con = duckdb.connect(str(demo_copy), read_only=True)
    try:
        content = paper_content(con, area_id=FORCE, period=Q1)
        other = paper_content(con, area_id=FORCE, period=calendar.quarter(2021, 2))
    finally:
        con.close()
    assert {"label": "Financial", "text": "£1.2m from reserves"} in content["implications"]
    assert content["contact"] == "A. Co-ordinator, 0116 000 0000"
    assert content["settings_saved"].startswith("version 1, saved by A. Co-ordinator")
    assert {"label": "Financial", "text": "None"} in other["implications"]  # another quarter keeps the starting text
    assert save_paper_settings(demo_copy, area_id=FORCE, period_start=Q1.start, period_end=Q1.end, actor=coordinator("B"),
                               settings={**{k: "x" for k in ("financial", "legal", "equality", "risks", "plan_link",
                                                            "contact")}}) == 2


@pytest.mark.parametrize("settings, by, message", [
    ({"financial": ""}, coordinator("A"), "Write something for: Financial"),
    ({}, None, "Only a signed-in co-ordinator may edit the paper"),
    ({}, PUBLIC, "Only a co-ordinator may edit the paper"),
    ({"budget": "x"}, coordinator("A"), "Unknown paper settings: budget"),
])
def test_bad_settings_are_refused_and_nothing_is_written(demo_copy, settings, by, message):
    with pytest.raises(ValueError, match=message):
        save_paper_settings(demo_copy, area_id=FORCE, period_start=Q1.start, period_end=Q1.end, actor=by,
                            settings={**{k: "x" for k in ("legal", "equality", "risks", "plan_link", "contact")},
                                      "financial": "x", **settings})
    con = duckdb.connect(str(demo_copy), read_only=True)
    try:
        assert con.execute("SELECT COUNT(*) FROM paper_settings").fetchone()[0] == 0
    finally:
        con.close()


@pytest.mark.parametrize("args, message", [
    (["--quarter", "2021-Q1", "--area", FORCE], "write it as 2021-22-Q1"),
    (["--quarter", "2021-22-Q1", "--area", "E99999999"], "There is no area 'E99999999'"),
])
def test_the_command_explains_bad_input_without_a_traceback(demo_db, tmp_path, args, message):
    run = command(*args, "--out", str(tmp_path / "x.pdf"), "--db", str(demo_db))  # a traceback would fail the test here
    assert run.returncode == 2 and message in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_on_a_fresh_clone_the_command_builds_the_demo_as_the_app_does(tmp_path):
    # No --db and nothing at DASHBOARD_DB: the README's command must still write the paper.
    target = tmp_path / "fresh" / "dashboard.duckdb"
    run = subprocess.run([sys.executable, "-m", "report", "--quarter", "2021-22-Q1", "--area", FORCE, "--format", "html",
                          "--out", str(tmp_path / "r.html")], cwd=PROJECT_ROOT, capture_output=True, text=True,
                         timeout=300, env={**os.environ, "DASHBOARD_DB": str(target)})
    assert run.returncode == 0, run.stderr
    assert f"Built the demo database at {target}, as there was none." in run.stderr
    assert target.exists() and "Strategic Priority 18" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_a_database_named_with_db_is_never_built(tmp_path):
    missing = tmp_path / "missing.duckdb"
    run = command("--quarter", "2021-22-Q1", "--area", FORCE, "--out", str(tmp_path / "r.pdf"), "--db", str(missing))
    assert run.returncode == 2 and "There is no database" in run.stderr and not missing.exists()


def test_every_published_commentary_of_a_priority_is_in_the_paper_in_order(demo_copy):
    from ingest.commentary import save_commentary
    from report.render import render

    on_priority, on_measure = "Crime overall is within expected levels.", "All recorded crime fell on last year."
    for measure_id, text in (("all_crime", on_measure), (None, on_priority)):  # the measure's published first
        save_commentary(demo_copy, priority_id=11, measure_id=measure_id, area_id=FORCE, period_start=Q1.start,
                        period_end=Q1.end, text=text, status="published", actor=coordinator("jane.smith@example.org"))
    con = duckdb.connect(str(demo_copy), read_only=True)
    try:
        content = paper_content(con, area_id=FORCE, period=Q1)
    finally:
        con.close()
    section = next(p for p in content["priorities"] if p["id"] == 11)
    entries = section["commentary"]["entries"]
    assert [(e["about"], e["paragraphs"]) for e in entries] == [
        (None, [on_priority]), ("All recorded crime (police.uk, excluding ASB)", [on_measure])]
    assert all(e["by"].startswith("Jane Smith (co-ordinator)") for e in entries)
    html = render(content, "html").decode()
    text = html[html.index("Strategic Priority 11"):html.index("Strategic Priority 12")]
    assert text.index(on_priority) < text.index("All recorded crime (police.uk, excluding ASB)</h") < text.index(on_measure)
    assert "Jane Smith (co-ordinator)" in text and "jane.smith@example.org" not in html


# ---------------------------------------------------------------------------
# Issue 19 item 6: the seed's proportions. Item 5: plain words, no SPC rule codes.
# ---------------------------------------------------------------------------

RAG_PIXELS = {"Red": (0xD4, 0x35, 0x1C), "Amber": (0xB3, 0x5C, 0x00), "Green": (0x00, 0x70, 0x3C)}
SPC_RULE_CODES = re.compile(r"\b(?:LCL|UCL)\b|(?i:points (?:below|above) CL|trial limits|moving range ÷ 1\.128)")


def landscape_pages(reader: pypdf.PdfReader) -> list[int]:
    return [n for n, page in enumerate(reader.pages) if page.mediabox.width > page.mediabox.height]


def page_text(path, number: int) -> str:
    """One page's text as poppler reads it (1-based), without the running footer."""
    text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return "\n".join(line for line in text.splitlines() if line.strip() and " · page " not in line)


def test_the_paper_is_at_most_sixteen_pages_with_appendix_a_on_at_most_two_landscape_pages(papers):
    reader = pypdf.PdfReader(papers["pdf"])
    assert len(reader.pages) <= 16
    appendix = landscape_pages(reader)
    assert 1 <= len(appendix) <= 2
    assert appendix == list(range(len(reader.pages) - len(appendix), len(reader.pages)))  # the paper's last pages
    assert page_text(papers["pdf"], appendix[0] + 1).lstrip().startswith("Appendix A: Police and Crime Plan")


def test_appendix_a_is_set_at_nine_points_or_more(papers):
    reader = pypdf.PdfReader(papers["pdf"])
    sizes = []
    for number in landscape_pages(reader):
        reader.pages[number].extract_text(visitor_text=lambda text, cm, tm, font, size: sizes.append(
            abs(size * tm[3] * cm[3])) if text.strip() else None)
    assert sizes and min(sizes) >= 9 - 0.01


def test_appendix_a_shows_each_rag_status_in_its_colour(papers, overview_q1, tmp_path):
    from PIL import Image

    reader = pypdf.PdfReader(papers["pdf"])
    pages = landscape_pages(reader)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", str(pages[0] + 1), "-l", str(pages[-1] + 1),
                    str(papers["pdf"]), str(tmp_path / "appendix")], check=True)
    pixels = np.concatenate([np.asarray(Image.open(image).convert("RGB")).reshape(-1, 3).astype(int)
                             for image in sorted(tmp_path.glob("appendix*.png"))])
    statuses = set(overview_q1["rag"])
    assert {"Red", "Amber", "Green"} <= statuses  # the demo quarter has each, so each colour must show
    for status, colour in RAG_PIXELS.items():
        filled = int((np.abs(pixels - np.array(colour)) <= 12).all(axis=1).sum())
        assert filled > 100 * (overview_q1["rag"] == status).sum(), status  # a filled cell, not a hairline
    text = " ".join(page_text(papers["pdf"], n + 1) for n in pages)
    for status in statuses:
        assert status in text  # the colour is never the only cue


def test_a_reason_said_on_many_rows_is_one_note(papers, overview_q1):
    reader = pypdf.PdfReader(papers["pdf"])
    # pypdf's reading order: the notes stand in two columns, which poppler's layout would interleave.
    text = re.sub(r"\s+", " ", " ".join(reader.pages[n].extract_text() for n in landscape_pages(reader)))
    repeated = overview_q1["rolling_change"][overview_q1["previous_12_number"].isna() & (overview_q1["rolling_change"] != "")]
    assert repeated.value_counts().max() > 10  # "No comparison with 12 months to June 2020 …" on most rows
    for sentence in set(repeated):
        assert text.count(sentence) == 1, sentence


def test_no_heading_is_left_alone_at_a_page_foot(papers, content_q1):
    reader = pypdf.PdfReader(papers["pdf"])
    headings = [item.title for item in reader.outline if not isinstance(item, list)]
    headings += [g["label"] for g in content_q1["appendix"]["groups"]]
    for number in range(1, len(reader.pages) + 1):
        lines = page_text(papers["pdf"], number).splitlines()
        if number < len(reader.pages) and lines:
            last = lines[-1].strip()
            # the heading itself, or the last line of one that wraps
            assert not any(last == heading or (len(last) > 3 and heading.endswith(last)) for heading in headings), \
                (number, last)


def test_the_paper_says_no_spc_rule_code(papers):
    reader = pypdf.PdfReader(papers["pdf"])
    text = " ".join(page_text(papers["pdf"], n) for n in range(1, len(reader.pages) + 1))
    alts = " ".join(str(e.get("/Alt", "")) for e in structure_elements(reader))
    html = papers["html"].read_text(encoding="utf-8")
    for what, words in (("PDF text", text), ("PDF alt text", alts), ("HTML", html)):
        assert not SPC_RULE_CODES.findall(words), what
