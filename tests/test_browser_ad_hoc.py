"""In a real browser: build an ad hoc table, share its address, and open it again to the same table."""
from __future__ import annotations

import pytest
from browser import PANEL_SIZES, at_each_size, chromium_page, wait_idle
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

FIT_CHECK = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const table = document.querySelector('[data-testid="stDataFrame"]');
    return {overflow: main.scrollWidth - main.clientWidth,
            tableRight: table.getBoundingClientRect().right, right: main.getBoundingClientRect().right};
}"""


def add_option(page, label: str, option: str) -> None:
    box = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_text(label, exact=True))
    box.locator("input").click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_idle(page)


def csv_of_table(page, tmp_path, name: str) -> str:
    # The file is made when clicked, by the run that drew the button: a click on the button of a run that a
    # newer run has since replaced finds nothing to make (no download), so click again once the page is drawn.
    for attempt in range(3):
        wait_idle(page)
        try:
            with page.expect_download(timeout=15000) as download:
                page.get_by_role("button", name="Download table (CSV)").click()
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    path = tmp_path / name
    download.value.save_as(path)
    return path.read_text(encoding="utf-8")


def test_an_ad_hoc_table_is_built_shared_and_reopened_the_same(server, tmp_path):
    with chromium_page() as page:
        page.goto(f"{server}/ad-hoc")
        page.get_by_role("heading", name="Ad hoc tables").wait_for(timeout=60000)
        wait_idle(page)
        add_option(page, "Measures", "Burglary (police.uk category)")
        add_option(page, "Areas", "Charnwood")
        page.get_by_text("Financial years", exact=True).click()
        wait_idle(page)
        page.get_by_text("Pivot by area", exact=True).click()
        wait_idle(page)
        page.get_by_text("Rate per 1,000 people", exact=True).click()
        page.wait_for_url("**adhoc_figure=Rate*", timeout=30000)
        wait_idle(page)
        page.get_by_test_id("stDataFrame").first.wait_for(state="visible", timeout=30000)
        shared = page.url
        built = csv_of_table(page, tmp_path, "built.csv")
    assert "adhoc_measures=Burglary" in shared and "adhoc_areas=Charnwood" in shared
    assert "adhoc_layout=Pivot+by+area" in shared and "adhoc_grain=Financial+years" in shared
    header, *rows = built.splitlines()
    assert header.endswith("Measure,Period,\"Leicester, Leicestershire and Rutland (force area)\",Charnwood")
    assert len(rows) == 4  # vehicle crime and burglary, 2021/22 and 2022/23
    # the rates per 1,000 people were chosen, not the counts (which run to hundreds a year)
    figures = [float(value) for row in rows for value in row.split(",")[-2:]]
    assert all(0 < figure < 20 for figure in figures), figures
    with chromium_page() as page:  # a new browser: a new session, only the address in common
        page.goto(shared)
        page.get_by_role("heading", name="Ad hoc tables").wait_for(timeout=60000)
        wait_idle(page)
        page.get_by_test_id("stDataFrame").first.wait_for(state="visible", timeout=30000)
        assert csv_of_table(page, tmp_path, "reopened.csv") == built


def test_the_page_fits_the_screen(server, tmp_path):
    """At each of the Panel's two screens (the page loaded at the first, laid out again at the second)."""
    with chromium_page(*PANEL_SIZES[0]) as page:
        page.goto(f"{server}/ad-hoc?adhoc_measures=Vehicle+crime+%28police.uk+category%29"
                  "&adhoc_measures=Individuals+reported+missing&adhoc_areas=Leicester+City&adhoc_areas=Charnwood")
        page.get_by_role("heading", name="Ad hoc tables").wait_for(timeout=60000)
        wait_idle(page)
        page.get_by_test_id("stDataFrame").first.wait_for(state="visible", timeout=30000)
        for width, height in at_each_size(page):
            page.screenshot(path=str(tmp_path / f"ad-hoc-{width}x{height}.png"))
            fit = page.evaluate(FIT_CHECK)
            assert fit["overflow"] <= 0, (width, fit)
            assert fit["tableRight"] <= fit["right"] + 1, (width, fit)
