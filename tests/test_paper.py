"""The quarterly Panel paper: `python -m report` writes a tagged PDF and HTML with the same content,
18 priority sections, alt text on every chart, and Appendix A equal to the Overview."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser

import duckdb
import pypdf
import pytest
from conftest import FORCE, PROJECT_ROOT, coordinator, shared_by_workers

import dashboard_data
from access import PUBLIC
from analysis import calendar
from ingest.paper_settings import save_paper_settings
from report.content import appendix_row, paper_content

Q1 = calendar.quarter(2021, 1)
FORCE_NAME = "Leicester, Leicestershire and Rutland (force area)"


def run_report(db, out, *extra) -> subprocess.CompletedProcess:
    # The time limit only stops a hang: typesetting takes minutes when the machine is busy (parallel workers).
    return subprocess.run([sys.executable, "-m", "report", "--quarter", "2021-22-Q1", "--area", FORCE, "--out", str(out),
                           "--db", str(db), *extra], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)


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
    # One chart per SPC-charted measure with published data: all but the cumulative ones
    # (training, savings) and the priority in development.
    charted = overview_q1[overview_q1["measure_id"].notna() & ~overview_q1["measure_id"].isin(
        ["mh_training_completed", "savings_delivered"])]
    assert len(figures) == len(charted) == 39
    for figure in figures:
        alt = str(figure.get("/Alt", ""))
        assert alt.startswith("Control chart of ") and "Latest point" in alt and "change on the same period last year" in alt
    alts = " ".join(str(f["/Alt"]) for f in figures)
    # The chart as the series stood at the end of the quarter (to June 2021, not April 2022), so its reading of
    # June 2021 is the one beside it: common cause then (the rise was flagged only with later months).
    assert "Control chart of All recorded crime (police.uk, excluding ASB), Leicester, Leicestershire and Rutland " \
           "(force area), monthly from December 2019 to June 2021. Latest point, June 2021: 8,171. Q1 2021/22: 22,949, " \
           "change on the same period last year: +3,224 (+16.3%). At June 2021: common cause variation" in alts


def test_tables_have_header_rows(papers):
    kinds = [str(e["/S"]) for e in structure_elements(pypdf.PdfReader(papers["pdf"]))]
    assert kinds.count("/Table") == 20  # one per priority, the implications, Appendix A
    assert kinds.count("/TH") == 5 * 18 + 2 + 9


def appendix_text(path) -> str:
    reader = pypdf.PdfReader(path)
    text = " ".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"\s+", " ", text)
    return text[text.rindex("Appendix A: Police and Crime Plan, partnership dashboard"):]


def test_appendix_a_in_the_pdf_has_the_overviews_figures_row_by_row(papers, overview_q1):
    text = appendix_text(papers["pdf"])
    position = 0
    for row in overview_q1.to_dict("records"):
        for cell in appendix_row(row)[:6]:  # measure, the period, last year, change, rolling 12, its change
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


def test_appendix_a_in_the_html_is_the_overview_cell_for_cell(papers, overview_q1):
    appendix = parsed_html(papers["html"]).tables[-1]
    rows = [r for r in appendix[1:] if len(r) == 9]  # less the header and the priority rows
    assert appendix[0][:2] == ["Measure", "Q1 2021/22"]
    assert rows == [appendix_row(r) for r in overview_q1.to_dict("records")]


def test_the_html_has_the_same_content_as_the_pdf(papers):
    html = parsed_html(papers["html"])
    reader = pypdf.PdfReader(papers["pdf"])
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert html.headings[0] == "Police and Crime Plan performance: Q1 2021/22"
    assert [h for h in html.headings[1:] if h in outline] == outline
    figures = [e for e in structure_elements(reader) if e["/S"] == "/Figure"]
    assert sorted(html.alts) == sorted(str(f["/Alt"]) for f in figures) and all(html.alts)
    assert len(html.tables) == 20


def test_counts_and_rates_in_the_paper_match_an_independent_recount(demo_db, overview_q1):
    """Every count and survey rate in Appendix A, recounted with SQL on the published observations."""
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        content = paper_content(con, area_id=FORCE, period=Q1)
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
    rows = {r[0]: r for g in content["appendix"]["groups"] for r in g["rows"]}
    checked = 0
    for row in overview_q1.to_dict("records"):
        if row["measure_id"] not in recount or recount[row["measure_id"]][4] < 3:
            continue
        unit, total, numerator, denominator, _ = recount[row["measure_id"]]
        # counts are summed over the months; survey rates pooled: responses satisfied over responses
        expected = f"{total:,.0f}" if unit == "count" else f"{100 * numerator / denominator:.1f}%"
        label = appendix_row(row)[0]
        assert rows[label][1] == expected, (label, rows[label][1], expected)
        checked += 1
    assert checked == 39  # the catalogue's 41 measures less the two cumulative ones (training, savings)
    assert rows["All recorded crime (police.uk, excluding ASB) (police.uk)"][1] == "22,949"


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
    run = subprocess.run([sys.executable, "-m", "report", *args, "--out", str(tmp_path / "x.pdf"), "--db", str(demo_db)],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
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
    run = subprocess.run([sys.executable, "-m", "report", "--quarter", "2021-22-Q1", "--area", FORCE,
                          "--out", str(tmp_path / "r.pdf"), "--db", str(missing)],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
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
