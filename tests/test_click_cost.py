"""A click costs little: a rerun makes no download file nobody asked for, and What-if and Similar forces replay
their charts from the cache (components/cached_chart.py) while nothing they show has changed."""
from __future__ import annotations

import functools
import io
import os

import pandas as pd
from conftest import ANALYST_EMAIL, open_page, signed_in_app
from streamlit.runtime.media_file_manager import MediaFileManager

import components.downloads
import components.peer_charts
import components.whatif_chart


def counted(monkeypatch, module, name: str) -> list:
    """Replace module.name with a wrapper (same name, so cache keys are unchanged) that records each call."""
    calls, original = [], getattr(module, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        calls.append(name)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def test_the_overview_makes_its_table_files_only_when_clicked(app_env, monkeypatch):
    csv_calls = counted(monkeypatch, components.downloads, "csv_bytes")
    excel_calls = counted(monkeypatch, components.downloads, "excel_bytes")
    deferred = {}
    register = MediaFileManager.add_deferred

    def recording(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        deferred[file_name] = (data_callable, mimetype)
        return register(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    at = open_page()
    at.run()
    assert csv_calls == [] and excel_calls == []  # two reruns, no file made
    names = {b.proto.label for b in at.get("download_button")}
    assert {"Download table (CSV)", "Download table (Excel)"} <= names
    csv_name = next(n for n in deferred if n.startswith("overview-") and n.endswith(".csv"))
    xlsx_name = csv_name.removesuffix(".csv") + ".xlsx"
    make_csv, csv_mime = deferred[csv_name]
    make_xlsx, xlsx_mime = deferred[xlsx_name]
    assert (csv_mime, xlsx_mime) == ("text/csv", components.downloads.XLSX)
    # asked for: the files carry the table with what it is, as before
    table = pd.read_csv(io.BytesIO(make_csv()))
    assert {"As at", "Licence"} <= set(table.columns) and len(table) > 0
    sheets = pd.read_excel(io.BytesIO(make_xlsx()), sheet_name=None)
    assert "About" in sheets and set(sheets["About"]["About this file"]) >= {"As at", "Licence"}
    assert len(csv_calls) == 1 and len(excel_calls) == 1


def test_an_unchanged_what_if_rerun_replays_its_chart(app_env, monkeypatch):
    built = counted(monkeypatch, components.whatif_chart, "what_if_chart")
    at = signed_in_app(os.environ["DASHBOARD_DB"], role=None, email=ANALYST_EMAIL)
    at.default_timeout = 120
    at = open_page("what_if", at=at, wi_sc_on="true")
    assert at.get("vega_lite_chart")
    built.clear()
    at.run()
    assert not at.exception and at.get("vega_lite_chart")
    assert built == []


def test_an_unchanged_similar_forces_rerun_replays_its_charts(app_env, monkeypatch):
    trend = counted(monkeypatch, components.peer_charts, "peer_trend_chart")
    annual = counted(monkeypatch, components.peer_charts, "annual_control_chart")
    at = open_page("similar_forces")
    assert len(at.get("vega_lite_chart")) == 2
    trend.clear(), annual.clear()
    at.run()
    assert not at.exception and len(at.get("vega_lite_chart")) == 2
    assert trend == [] and annual == []


def test_every_download_on_the_data_page_is_made_when_clicked(app_env):
    at = open_page("data")
    buttons = list(at.get("download_button"))
    assert {"Template (CSV)", "Template (Excel)", "Download table (CSV)"} <= {b.proto.label for b in buttons}
    assert all(b.proto.HasField("deferred_file_id") and not b.proto.url for b in buttons)  # no file made yet


def test_an_unchanged_overview_rerun_writes_no_table_html(app_env, monkeypatch):
    import components.overview_data
    import render.overview_table

    written = counted(monkeypatch, render.overview_table, "overview_html")
    monkeypatch.setattr(components.overview_data, "overview_html", render.overview_table.overview_html,
                        raising=False)  # the same counter, wherever the page reaches it from
    at = open_page()
    assert "ov-scroll" in "".join(h.proto.body for h in at.get("html"))
    written.clear()
    at.run()
    assert not at.exception and "ov-scroll" in "".join(h.proto.body for h in at.get("html"))
    assert written == []


def test_a_rerun_resolves_the_data_version_and_the_filter_options_once(app_env, monkeypatch):
    import datastore
    from components import filters

    at = open_page("priority_explorer")
    stats = counted(monkeypatch, datastore, "data_version")
    options = counted(monkeypatch, filters, "_read_options")
    at.run()
    assert not at.exception and at.get("vega_lite_chart")
    assert len(stats) == 1  # one look at the snapshot a run, not one per query (31 an explorer rerun before)
    assert len(options) == 1  # the sidebar, the page and the background paper share them


def test_the_server_freezes_what_it_imported_so_the_collection_after_a_run_skips_it(app_env, monkeypatch):
    import gc

    import components.heap

    gc.unfreeze()
    monkeypatch.setattr(components.heap, "_modules_when_frozen", 0)  # as in a new server
    open_page()
    assert gc.get_freeze_count() > 0
    gc.unfreeze()  # leave the test process as it was


def test_an_unchanged_similar_forces_rerun_replays_its_chart_tables(app_env, monkeypatch):
    at = open_page("similar_forces")
    tables = len(at.get("table"))
    assert tables >= 2  # each chart's figures, as a table
    made = counted(monkeypatch, components.downloads, "readable_table")
    at.run()
    assert not at.exception and len(at.get("table")) == tables
    assert made == []


def test_once_the_default_paper_is_found_made_a_rerun_does_not_look_for_it_again(app_env, monkeypatch):
    import components.paper as paper

    monkeypatch.setenv(paper.BACKGROUND_ENV, "1")
    monkeypatch.setattr(paper, "is_made", lambda key: True)
    monkeypatch.setitem(paper.FOUND_MADE, "for", None)
    at = open_page()
    looked = counted(monkeypatch, paper, "current_key")
    at.run()
    assert not at.exception and looked == []
