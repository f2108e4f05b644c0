"""The load benchmark's visitor (#22 item 3) speaks Streamlit's websocket protocol through haproxy as a browser
tab would: it opens the dashboard, switches page, and each click it makes is a rerun the server finishes."""
from __future__ import annotations

import random
import subprocess

from test_replicas import require_haproxy

import replicas
from bench.load import PAGES, Click, Session, by_kind, measure, render, render_kinds


def test_a_visitor_opens_switches_page_and_clicks_through_the_protocol(demo_copy, monkeypatch):
    require_haproxy()
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    port = replicas.free_port()
    with replicas.serving(1, port=port, output=subprocess.DEVNULL) as (started, _):
        front = f"http://127.0.0.1:{port}"
        session = Session(front, random.Random(1))
        try:
            opened = session.rerun("open")
            assert set(PAGES) <= set(session.last.pages)  # the navigation names both pages
            assert {"Quarter", "Area"} <= set(session.last.widgets)
            assert "View" not in session.last.widgets  # the Overview has no explorer view
            session.page = session.last.pages["Priority explorer"]
            switched = session.rerun("page")
            assert "View" in session.last.widgets  # the explorer's own control: the switch happened
            assert switched.messages > 0 and opened.bytes > 0
            for kind in ("View", "Quarter", "Area", "page", None):
                click = session.click(dashboard=True, kind=kind)
                assert click.seconds > 0 and click.messages > 0
        finally:
            session.close()
        row = measure(front, [r.process.pid for r in started], 2, 3, dashboard=True, seed=1)
    assert row["failures"] == 0 and row["clicks"] >= 1
    assert row["cpu_per_click_s"] > 0 and row["rss_mb"] > 0
    assert render([{"app": "dashboard", "replicas": 1, **row}]).count("\n") == 2
    assert sum(kind["clicks"] for kind in row["by_kind"].values()) == row["clicks"]
    assert render_kinds([{"app": "dashboard", "replicas": 1, **row}]).count("\n") == 1 + len(row["by_kind"])


def test_the_clicks_by_kind_say_which_kind_is_slow_and_whether_first_of_their_choices():
    clicks = [Click("Area", 2.0, 5, 90_000, first=True), Click("Area", 0.2, 5, 90_000),
              Click("Quarter", 0.1, 5, 10_240), Click("Quarter", 0.3, 5, 10_240, first=True)]
    kinds = by_kind(clicks, p95=1.0)
    assert kinds["Area"]["over_p95"] == 1 and kinds["Quarter"]["over_p95"] == 0  # the slow one is an area's first
    assert kinds["Area"]["firsts"] == 1 and kinds["Area"]["first_median_s"] == 2.0 and kinds["Area"]["other_median_s"] == 0.2
    assert kinds["Quarter"]["kb_per_click"] == 10 and kinds["Quarter"]["p95_s"] == 0.3
