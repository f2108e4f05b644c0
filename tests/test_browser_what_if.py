"""In a real browser: the What-if page answers the analyst's question, fits the Panel's screens, marks its files
as not the published figures, and a shared address opens the same what-if."""
from __future__ import annotations

import csv
import io

import pytest
from browser import PANEL_SIZES, at_each_size, chromium_page, sign_in, wait_idle
from conftest import ANALYST_EMAIL

pytestmark = pytest.mark.browser

VEHICLE = "wi_measure=Vehicle+crime+%28police.uk+category%29"
ANSWER = ("If vehicle crime (police.uk category) in Leicester, Leicestershire and Rutland (force area) fell 15% from "
          "May 2022: on the expected path (no noise) the unchanged series, continuing at its current level of 497, "
          "would show special cause in November 2022 (seven months in a row below the average); the change does not change that.")
FIT_CHECK = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
    return {overflow: main.scrollWidth - main.clientWidth, charts: charts.length,
            widest: Math.max(...charts.map(c => c.getBoundingClientRect().right)),
            right: main.getBoundingClientRect().right};
}"""


def open_what_if(page, url: str) -> None:
    """Sign in as the analyst (the what-if tools are theirs), then open the address."""
    sign_in(page, url.split("/what-if")[0], ANALYST_EMAIL)
    page.goto(url)
    page.get_by_role("heading", name="What-if").wait_for(timeout=60000)
    wait_idle(page)


def test_the_analyst_ticks_a_scenario_reads_the_answer_and_shares_it(auth_server, tmp_path):
    with chromium_page() as page:
        open_what_if(page, f"{auth_server[0]}/what-if?{VEHICLE}")
        page.get_by_text("Apply a scenario", exact=True).click()
        page.get_by_text(ANSWER).wait_for(timeout=60000)
        # the answer comes before the chart: wait for the projected chart's caption, so the files are the new ones
        page.get_by_text("December 2019 to April 2024").first.wait_for(timeout=60000)
        wait_idle(page)
        assert page.get_by_text("the median is").first.is_visible()
        shared = page.url
        with page.expect_download() as download:
            page.get_by_role("button", name="Chart data (CSV)").click()
        path = tmp_path / "what-if.csv"
        download.value.save_as(path)
        assert download.value.suggested_filename.startswith("what-if-")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert {row["Status"] for row in rows} == {"What-if, not the published figures"}
    assert rows[-1]["month"].startswith("2024-04") and rows[-1]["what_if"] == "projected (expected path)"
    assert "wi_sc_on=true" in shared
    with chromium_page() as page:  # a new session: only the address in common
        open_what_if(page, shared)
        page.get_by_text(ANSWER).wait_for(timeout=60000)


def test_the_page_fits_the_screen(auth_server, tmp_path):
    """At each of the Panel's two screens (the page loaded at the first, laid out again at the second)."""
    with chromium_page(*PANEL_SIZES[0]) as page:
        open_what_if(page, f"{auth_server[0]}/what-if?{VEHICLE}&wi_sc_on=true&wi_exclude=April+2020&wi_why_2020-04=Lockdown")
        page.get_by_text("each run judged against its unchanged twin").first.wait_for(timeout=60000)
        page.locator('[data-testid="stVegaLiteChart"] svg.marks, [data-testid="stVegaLiteChart"] canvas').first \
            .wait_for(timeout=30000)
        for width, height in at_each_size(page):
            page.screenshot(path=str(tmp_path / f"what-if-{width}x{height}.png"))
            fit = page.evaluate(FIT_CHECK)
            assert fit["charts"] == 1
            assert fit["overflow"] <= 0, (width, fit)
            assert fit["widest"] <= fit["right"] + 1, (width, fit)
