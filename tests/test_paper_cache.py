"""The paper in seconds (issue 18 item 6): charts and papers kept on disk (report/cache.py), so a new snapshot
redraws only the charts whose series changed; the page shows progress while it makes the paper; a download is
made from the settings saved when it is clicked, never an earlier paper; the kept file is the command line's."""
from __future__ import annotations

import io
import os
import re
import threading
from datetime import date
from pathlib import Path

import duckdb
import pypdf
import pytest
import streamlit as st
from conftest import FORCE, PROJECT_ROOT, coordinator, open_page, signed_in_app
from streamlit.runtime.media_file_manager import MediaFileManager

import access
import components.paper
import datastore
import render.static_chart
import report.cache
import report.content
from analysis import calendar
from ingest.annotations import add_annotation
from ingest.commentary import save_commentary
from report.cache import PaperFiles, paper_key
from report.render import build_paper

Q1 = calendar.quarter(2021, 1)
Q4 = calendar.quarter(2021, 4)  # the demo's latest complete quarter: the paper made in the background
TIMEOUT = 900  # a paper's first build on a busy 2-core machine


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def counted_drawings(monkeypatch) -> list[str]:
    """Every chart vl-convert draws from here on, by its spec."""
    drawn, draw = [], render.static_chart.svg_from_spec

    def counting(spec: str) -> str:
        drawn.append(spec)
        return draw(spec)

    monkeypatch.setattr(render.static_chart, "svg_from_spec", counting)
    return drawn


def charted_measures(monkeypatch) -> list[str]:
    """The measure of every chart the paper asks for from here on (drawn or kept)."""
    charted, chart = [], report.content.control_chart_svg

    def recording(series, **kwargs) -> str:
        charted.append(series.measure["id"])
        return chart(series, **kwargs)

    monkeypatch.setattr(report.content, "control_chart_svg", recording)
    return charted


def paper_charts(html: bytes | str) -> int:
    """How many charts a paper prints: each is a figure with its drawing as an image."""
    text = html.decode("utf-8") if isinstance(html, bytes) else html
    return len(re.findall(r"<figure[^>]*>\s*<img", text))


def make(files: PaperFiles, db, *, settings_version: int = 0) -> str:
    """Make the force's Q1 2021/22 paper from the database's current snapshot, as the app would; its key."""
    con = datastore.open_read_only(db)
    try:
        key = paper_key(data_version=datastore.data_version(db), visibility=datastore.public_visibility(con),
                        area_id=FORCE, period=Q1, settings_version=settings_version)
        files.make(datastore.reader(con, datastore.public_visibility(con)), key, area_id=FORCE, period=Q1)
    finally:
        con.close()
    return key


def test_a_new_snapshot_redraws_only_the_charts_whose_series_changed(demo_copy, tmp_path, monkeypatch):
    drawn, charted = counted_drawings(monkeypatch), charted_measures(monkeypatch)
    files = PaperFiles(tmp_path / "cache")
    first = make(files, demo_copy)
    charts = len(drawn)  # the paper charts only the measures needing attention: count its own charts
    assert files.has_paper(first) and charts == paper_charts(files.paper(first, "html")) >= 1
    assert make(files, demo_copy) == first and len(drawn) == charts  # the same snapshot: nothing is made again

    # A commentary changes the text, not a chart: the new snapshot's paper is typeset with every chart kept.
    save_commentary(demo_copy, priority_id=1, area_id=FORCE, period_start=Q1.start, period_end=Q1.end,
                    text="Cache test: commentary published after the first build.", status="published",
                    actor=coordinator("A. Co-ordinator"))
    second = make(files, demo_copy)
    assert second != first and len(drawn) == charts
    assert "Cache test: commentary published after the first build." in files.paper(second, "html").decode()

    # An event on one charted measure's chart: that chart alone is drawn again.
    add_annotation(demo_copy, month=date(2020, 11, 1), text="Cache test event", measure_ids=[charted[0]],
                   area_ids=[FORCE], reason="test", actor=coordinator("A. Co-ordinator"))
    third = make(files, demo_copy)
    assert len(drawn) == charts + 1 and "Cache test event" in drawn[-1]
    assert paper_charts(files.paper(third, "html")) == charts  # the others were the kept ones

    # The kept file is the file `python -m report` writes (its build draws every chart afresh).
    con = datastore.open_read_only(demo_copy)
    try:
        assert files.paper(third, "html") == build_paper(con, area_id=FORCE, period=Q1, fmt="html")
    finally:
        con.close()


def deferred_downloads(monkeypatch) -> dict[str, object]:
    """Each download button's data callable, by its deferred file id."""
    deferred, register = {}, MediaFileManager.add_deferred

    def recording(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = register(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        deferred[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return deferred


def clicked(button, deferred: dict) -> bytes:
    """What a click on the button downloads: its callable's file, or the file stored when the page ran."""
    if button.proto.HasField("deferred_file_id"):
        return deferred[button.proto.deferred_file_id]()
    from streamlit.runtime import Runtime

    file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
    return Runtime.instance().media_file_mgr._storage.get_file(file_id).content


def test_a_download_is_made_from_the_settings_saved_when_it_is_clicked(demo_copy, monkeypatch):
    """Also: the page makes its papers in a worker process, never in the server's (which would keep the memory
    drawing and typesetting take, vl-convert's JavaScript runtime and Typst, about 190 MB); the worker ends with
    the build. Checked on this test's two papers rather than a third made for a test of its own."""
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    monkeypatch.chdir(PROJECT_ROOT)

    def not_here(*args, **kwargs):
        raise AssertionError("the paper was read and drawn in the server's process")

    monkeypatch.setattr(report.cache, "paper_content", not_here)
    monkeypatch.setattr(report.cache, "render", not_here)
    deferred = deferred_downloads(monkeypatch)
    at = signed_in_app(demo_copy, email="a.co-ordinator@example.org")
    at.query_params["quarter"] = "Q1 2021/22"
    at.run(timeout=TIMEOUT)
    at.switch_page("app_pages/paper.py")
    at.run(timeout=TIMEOUT)
    assert [t.value for t in at.title] == ["Panel paper"]
    assert [b.proto.label for b in at.get("download_button")] == ["Download PDF (tagged, PDF/UA-1)", "Download HTML"]
    assert paper_charts(at.get("iframe")[0].proto.srcdoc) >= 1
    pdf_button = next(b for b in at.get("download_button") if b.proto.label.startswith("Download PDF"))
    assert "Planning and Performance Co-ordinator" in pdf_text(clicked(pdf_button, deferred))

    # The page saves the implications (the first box) and the person to contact, as the signed-in co-ordinator, for
    # the quarter shown (formerly tests/test_panel_pages.py's own test, which typeset two papers more).
    at.text_area[0].input("£0.3m from the commissioning budget")
    contact = next(t for t in at.text_area if t.label == "Person to contact")
    contact.input("Zed Contactperson, 0116 555 0199")
    next(b for b in at.button if b.label == "Save").click()
    at.run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    try:
        saved = con.execute("SELECT financial, contact, saved_by, period_start FROM paper_settings").fetchall()
    finally:
        con.close()
    assert [(financial, contact, by, str(start)) for financial, contact, by, start in saved] == [
        ("£0.3m from the commissioning budget", "Zed Contactperson, 0116 555 0199", "a.co-ordinator@example.org",
         "2021-04-01")]
    assert "£0.3m from the commissioning budget" in at.get("iframe")[0].proto.srcdoc
    # The button drawn before the save, clicked after it (as during the rebuild): the new contact, not the old.
    assert "Zed Contactperson, 0116 555 0199" in pdf_text(clicked(pdf_button, deferred))
    now = next(b for b in at.get("download_button") if b.proto.label.startswith("Download PDF"))
    assert "Zed Contactperson, 0116 555 0199" in pdf_text(clicked(now, deferred))
    html = next(b for b in at.get("download_button") if b.proto.label == "Download HTML")
    assert "Zed Contactperson, 0116 555 0199" in clicked(html, deferred).decode()
    assert "Zed Contactperson, 0116 555 0199" in at.get("iframe")[0].proto.srcdoc


def test_the_page_shows_progress_where_its_buttons_go_while_the_paper_is_made(app_env, monkeypatch):
    def making(area_id, period, key, progress=None):
        progress(0.5, "Reading the figures and drawing the charts: priority 9 of 18")
        st.stop()  # the page as a reader sees it while the paper is made

    monkeypatch.setattr(components.paper, "is_made", lambda key: False)
    monkeypatch.setattr(components.paper, "make", making)
    at = open_page("paper", quarter="Q1 2021/22")
    bars = at.get("progress")
    assert len(bars) == 1 and bars[0].proto.value == 50
    assert bars[0].proto.text == "Making the paper: reading the figures and drawing the charts: priority 9 of 18"
    assert list(at.get("download_button")) == []  # no button for an earlier paper while this one is made


@pytest.mark.parametrize("change", ["data_version", "visibility", "settings_version", "area_id", "period"])
def test_a_paper_is_kept_by_everything_it_is_made_from(change):
    made_from = {"data_version": datastore.DataVersion("/x/s1.duckdb", 1, 10, 100),
                 "visibility": access.Visibility(date(2022, 5, 31)), "area_id": FORCE, "period": Q1,
                 "settings_version": 1}
    other = {"data_version": datastore.DataVersion("/x/s2.duckdb", 2, 10, 100),
             "visibility": access.Visibility(date(2022, 6, 1)), "area_id": "E06000017",
             "period": calendar.quarter(2021, 2), "settings_version": 2}
    assert paper_key(**made_from) == paper_key(**made_from)
    assert paper_key(**{**made_from, change: other[change]}) != paper_key(**made_from)


def finish_background_build() -> None:
    for thread in threading.enumerate():
        if thread.name == "paper-in-background":
            thread.join(TIMEOUT)


def test_the_server_makes_the_default_paper_in_the_background_after_a_publication(demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    monkeypatch.setenv(components.paper.BACKGROUND_ENV, "1")
    monkeypatch.chdir(PROJECT_ROOT)
    at = open_page()  # any page: its run starts the paper for the first area and the latest complete quarter
    finish_background_build()
    files = components.paper.paper_files()
    (made,) = files.folder.glob("papers/*.html")  # one paper, and every chart it prints was drawn (and kept) for it
    drawn = lambda: len(list(files.folder.glob("charts/*.svg")))  # noqa: E731 - drawn in a worker process, kept here
    charts = drawn()
    assert len(list(files.folder.glob("papers/*.pdf"))) == 1 and charts == paper_charts(made.read_bytes()) >= 1
    save_commentary(demo_copy, priority_id=2, area_id=FORCE, period_start=Q4.start, period_end=Q4.end,
                    text="Background test: published while the server runs.", status="published",
                    actor=coordinator("A. Co-ordinator"))
    at.run()  # the next run sees the new snapshot and makes its paper, with every chart kept
    finish_background_build()
    papers = sorted(files.folder.glob("papers/*.html"), key=lambda p: p.stat().st_mtime)
    assert len(papers) == 2 and drawn() == charts
    assert "Background test: published while the server runs." in papers[-1].read_text(encoding="utf-8")
    # the page opened now finds the paper made: no progress, its buttons at once
    at.switch_page("app_pages/paper.py")
    making = []
    monkeypatch.setattr(components.paper, "make", lambda *args, **kwargs: making.append(args))
    at.run()
    assert making == [] and len(at.get("download_button")) == 2


def test_the_code_digest_covers_every_folder_of_code_the_paper_is_made_with():
    """A kept chart or paper is reused only while the code that drew it is the same: render/ (the charts' code,
    moved out of components/) was missing from the digest, so a changed chart would have kept its old picture."""
    import subprocess
    import sys

    from report.cache import CODE_FOLDERS

    listed = subprocess.run([sys.executable, "-c", "import sys, report.cache, report.content, report.render, report.worker\n"
                             "print('\\n'.join(m.__file__ for m in list(sys.modules.values()) if getattr(m, '__file__', None)))"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=True).stdout.split()
    ours = [Path(f).resolve().relative_to(PROJECT_ROOT) for f in listed if Path(f).resolve().is_relative_to(PROJECT_ROOT)]
    folders = {path.parts[0] for path in ours if len(path.parts) > 1 and ".venv" not in path.parts}
    assert "render" in folders and folders <= set(CODE_FOLDERS)
    # The same process shows what each paper's worker process pays to start: statsmodels (a second of CPU to import)
    # is for the Explorer's forecasts, never the paper's (analysis/forecast.py imports it where it forecasts).
    assert not [f for f in listed if f"{os.sep}statsmodels{os.sep}" in f]
