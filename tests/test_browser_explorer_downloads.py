"""In a real browser: the explorer's chart downloads are made when clicked, not on every rerun,
and hold the chart's data (CSV) and picture (PNG). The chart itself is replayed from a cache."""
from __future__ import annotations

import csv
import io

import pytest
from browser import chromium_page, wait_idle

pytestmark = pytest.mark.browser


def download(page, name: str) -> bytes:
    with page.expect_download(timeout=60000) as caught:
        page.get_by_role("button", name=name).first.click()
    with open(caught.value.path(), "rb") as handle:
        return handle.read()


def test_the_control_chart_downloads_its_data_and_picture(server):
    with chromium_page() as page:
        page.goto(f"{server}/explorer?priority=8.+Anti-social+behaviour&area=Melton&quarter=Q1+2021%2F22")
        page.get_by_role("heading", name="Priority explorer").wait_for(timeout=60000)
        wait_idle(page)
        page.get_by_text("Control chart of ASB incidents, Melton").first.wait_for(timeout=30000)
        rows = list(csv.DictReader(io.StringIO(download(page, "Chart data (CSV)").decode("utf-8"))))
        # One row per month of the demo's police.uk data, December 2019 to April 2022.
        assert len(rows) == 29
        assert rows[0]["month"].startswith("2019-12-01") and rows[-1]["month"].startswith("2022-04-01")
        assert {"value", "mean", "upl", "lpl", "As at", "Licence"} <= set(rows[0])
        assert download(page, "Chart (PNG)")[:8] == b"\x89PNG\r\n\x1a\n"
        # Another view and back: the chart is drawn again (from the cache) with its description.
        page.get_by_role("radio", name="Year on year", exact=True).click()
        wait_idle(page)
        page.get_by_role("radio", name="Control chart", exact=True).click()
        wait_idle(page)
        page.get_by_text("Control chart of ASB incidents, Melton").first.wait_for(timeout=30000)
        page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first \
            .wait_for(timeout=30000)
