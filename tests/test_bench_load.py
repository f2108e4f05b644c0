"""The load benchmark's visitor (#22 item 3) speaks Streamlit's websocket protocol through haproxy as a browser
tab would: it opens the dashboard, switches page, and each click it makes is a rerun the server finishes."""
from __future__ import annotations

import random
import subprocess

from test_replicas import require_haproxy

import replicas
from bench.load import PAGES, Session, measure, render


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
