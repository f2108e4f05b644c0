"""In a real browser: an Overview row opens the Priority explorer with the same filters."""
from __future__ import annotations

import pytest
from browser import chromium_page, wait_idle

pytestmark = pytest.mark.browser


def test_clicking_an_overview_row_opens_the_explorer_with_the_filters(server):
    with chromium_page() as page:
        page.goto(f"{server}/?area=Charnwood&quarter=Q1+2021%2F22")
        page.get_by_role("heading", name="Overview").wait_for(timeout=60000)
        page.locator('a[data-measure="asb_incidents"]').click()
        page.get_by_role("heading", name="Priority explorer").wait_for(timeout=60000)
        wait_idle(page)
        measure = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Measure", exact=True))
        assert measure.get_by_role("combobox").input_value() == "ASB incidents"
        assert "/explorer" in page.url
        assert page.get_by_text("Charnwood · Q1 2021/22").first.is_visible()
        assert page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Priority", exact=True)) \
            .get_by_role("combobox").input_value() == "8. Anti-social behaviour"
        # The control chart is drawn, and its description is on the page in words.
        page.get_by_text("Control chart of ASB incidents, Charnwood").first.wait_for(timeout=30000)
        page.locator("canvas, svg.marks").first.wait_for(timeout=30000)
