"""In a real browser: an Overview row opens the Priority explorer with the same filters."""
from __future__ import annotations

import re

import pytest
from browser import PANEL_SIZES as SIZES
from browser import at_each_size, chromium_page, wait_idle, wait_settled

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


Y_AXIS_HEIGHTS = """() => [...document.querySelectorAll('.vega-embed g.role-axis')]
    .filter(g => (g.getAttribute('aria-label') || '').startsWith('Y-axis'))
    .map(g => g.getBoundingClientRect().height)"""


@pytest.fixture(scope="module")
def all_crime_control_chart(server):
    """The explorer's control chart of All recorded crime, drawn, at the first of the Panel's sizes: one page load
    for the two tests that read it (a load costs seconds of chromium's and the server's time); neither changes
    what the page shows, and the one that resizes it starts from the first size, where the other leaves it."""
    with chromium_page(*SIZES[0]) as page:
        page.goto(f"{server}/explorer?priority=11.+Reduce+all+crime")
        page.get_by_text("Control chart of All recorded crime").first.wait_for(timeout=60000)
        wait_idle(page)
        page.locator("svg.marks").first.wait_for(timeout=30000)
        yield page


def test_the_control_chart_plot_is_tall_enough_to_read(all_crime_control_chart):
    """The chart's title, axes and five-row legend share its height with the plot: at 340 px the plot
    was 93 px tall beside 1,087 px wide at 1920x1080, too flat to read a run or a limit from."""
    page = all_crime_control_chart
    for size in at_each_size(page):
        plot = page.evaluate(Y_AXIS_HEIGHTS)
        assert len(plot) == 1 and plot[0] >= 160, (size, plot)


def test_the_spc_options_labels_are_shown_whole(server):
    """A checkbox placed straight in a column is cut to one line with an ellipsis: at 1280x720 the options
    read "Two-in-three co…" and "Screen larg…"."""
    with chromium_page(*SIZES[0]) as page:
        page.goto(f"{server}/explorer?priority=8.+Anti-social+behaviour")
        page.get_by_text("Control chart of ASB incidents").first.wait_for(timeout=60000)
        wait_idle(page)
        page.get_by_text("SPC options (defaults follow NHS Making Data Count)").click()
        labels = page.get_by_test_id("stCheckbox").locator('[data-testid="stWidgetLabel"], [data-testid="stMarkdownContainer"]')
        page.get_by_text("Two-in-three counts points beyond the limit").first.wait_for(timeout=10000)
        wait_settled(page)  # measured once the expander has finished opening (its animation clips the labels)
        for size in at_each_size(page):
            cut = [label.inner_text() for label in labels.all()
                   if label.evaluate("e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1")]
            texts = [label.inner_text() for label in labels.all()]
            assert any(text.startswith("Two-in-three") for text in texts), texts
            assert cut == [], f"labels cut short at {size}: {cut}"


@pytest.mark.parametrize("view", ["Year on year", "Rolling 12 months", "Forecast"])
def test_the_trend_chart_plots_are_tall_enough_to_read(server, view):
    """At 260 px the Year on year and Rolling 12 months plots were 133 to 141 px tall beside about 960 px wide
    (Year on year's month names also stood on their sides)."""
    with chromium_page(*SIZES[0]) as page:
        page.goto(f"{server}/explorer?priority=8.+Anti-social+behaviour&view={view.replace(' ', '+')}")
        page.get_by_text("Chart data as a table").first.wait_for(timeout=60000)
        wait_idle(page)
        page.locator("svg.marks").first.wait_for(timeout=30000)
        wait_settled(page)  # the chart's layout is done once the page stops changing
        for size in at_each_size(page):
            plot = page.evaluate(Y_AXIS_HEIGHTS)
            assert len(plot) == 1 and plot[0] >= 160, (size, plot)


def test_the_control_chart_sent_as_plain_vega_lite_draws_every_point_at_its_month(all_crime_control_chart):
    """The control chart's spec carries its points as ISO date text, read as local time (as Altair wrote them), not
    Arrow timestamps: Vega-Lite must still parse every month, and draw a point for each, from the first in the
    chart's description."""
    page = all_crime_control_chart
    months = page.evaluate("""() => [...document.querySelectorAll('.vega-embed [aria-roledescription="point"]')]
        .map(p => (p.getAttribute('aria-label') || '').match(/Month: ([A-Z][a-z]{2} \\d{4})/)?.[1] ?? null)""")
    span = page.get_by_text("Control chart of All recorded crime").first.inner_text()
    assert len(months) >= 24 and None not in months and len(set(months)) == len(months), months
    first = re.search(r"([A-Z][a-z]+) (\d{4}) to [A-Z][a-z]+ \d{4}", span)  # the span: "December 2019 to March 2022"
    assert first and months[0] == f"{first[1][:3]} {first[2]}", (months[0], span)
