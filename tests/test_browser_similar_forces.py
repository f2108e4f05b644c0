"""In a real browser: the Similar forces page at the Panel's two screen sizes, and a shared peer set."""
from __future__ import annotations

import pytest
from browser import PANEL_SIZES, at_each_size, choose, chromium_page, wait_idle

pytestmark = pytest.mark.browser

FIT_CHECK = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
    return {overflow: main.scrollWidth - main.clientWidth,
            charts: charts.length,
            widest: Math.max(...charts.map(c => c.getBoundingClientRect().right)),
            right: main.getBoundingClientRect().right};
}"""


def test_the_page_fits_the_screen_with_both_charts_and_the_table(server, tmp_path):
    """At each of the Panel's two screens (the page loaded at the first, laid out again at the second)."""
    with chromium_page(*PANEL_SIZES[0]) as page:
        page.goto(f"{server}/similar-forces?peer_group=Domestic+burglary%2C+then+residential+burglary")
        page.get_by_role("heading", name="Similar forces").wait_for(timeout=60000)
        wait_idle(page)
        page.get_by_text("Control chart of Domestic burglary, then residential burglary, Leicestershire").first \
            .wait_for(timeout=30000)
        page.locator('[data-testid="stVegaLiteChart"] svg.marks, [data-testid="stVegaLiteChart"] canvas').nth(1) \
            .wait_for(timeout=30000)
        for width, height in at_each_size(page):
            page.evaluate("() => window.scrollTo(0, 0)")
            page.screenshot(path=str(tmp_path / f"similar-forces-{width}x{height}.png"))
            fit = page.evaluate(FIT_CHECK)
            assert fit["charts"] == 2
            assert fit["overflow"] <= 0, (width, fit)  # nothing wider than the page
            assert fit["widest"] <= fit["right"] + 1, (width, fit)  # no chart runs past the main column
            table = page.get_by_test_id("stDataFrame").first
            table.scroll_into_view_if_needed()
            table.wait_for(state="visible", timeout=30000)
            page.screenshot(path=str(tmp_path / f"similar-forces-{width}x{height}-table.png"))


def test_a_chosen_peer_set_lives_in_the_url_and_reopens(server):
    with chromium_page() as page:
        page.goto(f"{server}/similar-forces")
        page.get_by_role("heading", name="Similar forces").wait_for(timeout=60000)
        wait_idle(page)
        choose(page, "Offence group", "Robbery")
        wait_idle(page)
        page.get_by_test_id("stMultiSelect").locator("input").click()
        page.keyboard.type("Kent")
        page.get_by_role("option", name="Kent", exact=True).click()
        page.keyboard.press("Escape")
        wait_idle(page)
        shared = page.url
        assert "peers=Kent" in shared and "peer_group=Robbery" in shared
    with chromium_page() as page:
        page.goto(shared)
        page.get_by_role("heading", name="Similar forces").wait_for(timeout=60000)
        wait_idle(page)
        chosen = page.get_by_test_id("stMultiSelect").inner_text()
        assert "Kent" in chosen and "Nottinghamshire" in chosen
        assert page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Offence group", exact=True)) \
            .get_by_role("combobox").input_value() == "Robbery"
