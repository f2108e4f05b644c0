"""Keyboard only, in a real browser: the page links, the sidebar filters and the explorer's view
selector are reached with Tab and worked with Enter, Space, arrows and typing; after a page switch
focus is on the new page's h1; and every tab stop on every page can be seen and shows the focus
indicator (WCAG 2.1.1, 2.4.3, 2.4.7, 1.4.11). The walks over every page run in tests/test_browser_page_walk.py,
which visits each page once for these checks and the layout and accessibility ones."""
from __future__ import annotations

import pytest
from browser import chromium_page, open_whole_page, signed_in_page, wait_settled
from conftest import COORDINATOR_EMAIL
from test_browser_accessibility import APP_NAME, PAGES

pytestmark = pytest.mark.browser

MAX_TAB_STOPS = 300
ACTIVE = """() => { const e = document.activeElement;
    return {tag: e.tagName, role: e.getAttribute('role'), testid: (e.closest('[data-testid]') || e).getAttribute('data-testid'),
            name: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 80)}; }"""
# The focus indicator of the active element, or of the box drawn round it (a select's field, a radio's label,
# an interactive table whose hidden cell has focus),
# and how visible the element is: the product of its and its ancestors' opacity.
INDICATOR = """() => {
    const active = document.activeElement;
    const ringed = n => { const s = getComputedStyle(n);
        return s.outlineStyle === 'solid' && s.outlineWidth === '3px' && s.outlineColor === 'rgb(255, 221, 0)'
            && s.boxShadow.includes('rgb(11, 12, 12)'); };
    let node = active;
    while (node && !ringed(node)) node = node.parentElement;
    let opacity = 1;
    for (let n = active; n; n = n.parentElement) { const s = getComputedStyle(n);
        opacity *= Number(s.opacity); if (s.visibility === 'hidden' || s.display === 'none') opacity = 0; }
    const box = (node && ringed(node) ? node : active).getBoundingClientRect();
    return {ring: Boolean(node && ringed(node)), opacity, width: box.width, height: box.height,
            name: (active.getAttribute('aria-label') || active.textContent || active.tagName).trim().slice(0, 60)}; }"""


@pytest.fixture(scope="module")
def page(server):
    with chromium_page(1920, 1080) as browser_page:
        yield browser_page


def load(page, url: str) -> None:
    open_whole_page(page, url)
    wait_settled(page)


def active(page) -> dict:
    return page.evaluate(ACTIVE)


def tab_to(page, name: str, *, role: str | None = None, testid: str | None = None) -> int:
    """Press Tab until the focused element has this accessible name; returns how many presses it took."""
    for presses in range(1, MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        now = active(page)
        if now["name"] == name and role in (None, now["role"]) and testid in (None, now["testid"]):
            return presses
    raise AssertionError(f"{name!r} was never reached with Tab")


def settle(page) -> None:
    wait_settled(page)


def test_the_first_tab_stop_skips_to_the_main_content(server, page):
    load(page, server)
    page.keyboard.press("Tab")
    assert active(page) == {"tag": "A", "role": None, "testid": "stSkipToContent", "name": "Skip to main content"}


def test_page_links_are_reached_and_followed_by_keyboard_and_focus_lands_on_the_new_h1(server, page):
    load(page, server)
    assert page.evaluate("document.activeElement.tagName") == "BODY"  # a first load leaves focus alone
    for title, path in (("Savings", "/savings"), ("Priority explorer", "/explorer"), ("Overview", "/")):
        tab_to(page, title, testid="stSidebarNavLink")  # onward from the h1, round through the page to the nav
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => document.title === {f'{title} – {APP_NAME}'!r}", timeout=30000)
        page.wait_for_function("() => document.activeElement.tagName === 'H1'", timeout=30000)
        assert page.evaluate("document.activeElement.textContent") == title
        assert page.url == f"{server}{path}"
        settle(page)


def test_sidebar_filters_are_reached_and_worked_by_keyboard(server, page):
    load(page, server)
    tab_to(page, "Area", role="combobox")
    page.keyboard.type("Melton")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    settle(page)
    assert "area=Melton" in page.url
    assert page.get_by_text("Melton · Q4 2021/22").first.is_visible()

    page.keyboard.press("Tab")  # from the area to the period's chosen option
    assert active(page)["testid"] == "stRadioOption"
    page.keyboard.press("ArrowRight")  # Quarter -> Financial year
    settle(page)
    assert "period=Financial+year" in page.url
    assert page.get_by_text("Melton · 2021/22").first.is_visible()

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back past the area to the priority
    assert active(page)["name"] == "Priority"
    page.keyboard.type("8. Anti")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    settle(page)
    assert "priority=8.+Anti-social+behaviour" in page.url

    tab_to(page, "Small numbers: fewer than this many survey responses")
    page.keyboard.press("Control+a")
    page.keyboard.type("30")
    page.keyboard.press("Enter")
    settle(page)
    assert "small_n=30" in page.url


def test_the_explorer_view_selector_is_worked_with_arrows_space_and_enter(server, page):
    load(page, f"{server}/explorer?priority=8.+Anti-social+behaviour")
    tab_to(page, "Control chart", role="radio")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert active(page)["name"] == "Rolling 12 months"
    page.keyboard.press("Space")
    settle(page)
    assert "view=Rolling+12+months" in page.url
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    assert chart.get_attribute("aria-label").startswith("ASB incidents: rolling 12-month total, from")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    settle(page)
    assert "view=Forecast" in page.url
    assert page.locator('[data-testid="stVegaLiteChart"]').first.get_attribute("aria-label") \
        .startswith("ASB incidents: forecast: history to April 2022")


def seen(stop: dict) -> bool:
    return stop["ring"] and stop["opacity"] == 1 and stop["width"] > 0 and stop["height"] > 0


# The pages the two checks below walk (every page, and the explorer's Areas view with its table), in
# tests/test_browser_page_walk.py: it loads each page once for this module's checks and the layout and
# accessibility ones.
VIEWS = [path for path, _ in PAGES] + ["explorer?priority=8.+Anti-social+behaviour&view=Areas"]


def assert_every_scrolling_region_can_be_reached_and_every_tab_stop_seen(page) -> None:
    """On a page loaded and settled at 1920x1080, focus on the page itself."""
    assert page.evaluate(UNREACHABLE_SCROLLERS) == []
    assert_every_tab_stop_is_seen(page)


@pytest.fixture(scope="module")
def coordinator_page(page, auth_server):
    url, _ = auth_server
    with signed_in_page(page.context.browser, url, COORDINATOR_EMAIL) as browser_page:  # one Playwright per thread
        yield url, browser_page


# The pages whose forms only a co-ordinator sees (rebase and target forms in expanders): checked on the
# co-ordinator's walk in tests/test_browser_page_walk.py, on the visit that also checks them with axe.
COORDINATOR_FORMS = ["data", "commentary", "explorer?priority=8.+Anti-social+behaviour&view=Control+chart"]
# Every expander open, and focus back at the start of the document, as on a first load (focus() sets where the
# next Tab starts from; blur() alone would leave it at the control last clicked).
EXPANDERS_OPEN_FOCUS_AT_THE_START = """() => {
    document.querySelectorAll('[data-testid="stExpander"] details').forEach(d => { d.open = true; });
    document.body.tabIndex = -1;
    document.body.focus({preventScroll: true});
    document.body.removeAttribute('tabindex');
    window.scrollTo(0, 0); }"""


def assert_a_coordinators_forms_show_the_focus_indicator_on_every_tab_stop(page) -> None:
    """On a page a co-ordinator has open, with every expander open."""
    page.evaluate(EXPANDERS_OPEN_FOCUS_AT_THE_START)
    wait_settled(page)
    assert page.evaluate("document.activeElement === document.body")
    assert_every_tab_stop_is_seen(page, at_least=25)


def seen_within(page, timeout_ms: float) -> dict:
    """The focused element's indicator once it can be seen, or as it is after timeout_ms."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(f"""() => {{ const stop = ({INDICATOR})();
            return stop.ring && stop.opacity === 1 && stop.width > 0 && stop.height > 0; }}""", timeout=timeout_ms)
    except PlaywrightTimeout:
        pass
    return page.evaluate(INDICATOR)


# After a Tab: null when focus has gone past the last stop (to the document's body), else INDICATOR's reading.
STOP_AFTER_TAB = f"() => document.activeElement === document.body ? null : ({INDICATOR})()"


def assert_every_tab_stop_is_seen(page, at_least: int = 12) -> None:
    stops, problems = 0, []
    while stops < MAX_TAB_STOPS:
        page.keyboard.press("Tab")
        stop = page.evaluate(STOP_AFTER_TAB)  # one round trip a stop: a page has up to a few hundred
        if stop is None:
            break  # past the last stop
        if not seen(stop):  # toolbars and heading links fade in over 0.15 s; a table moves focus inside itself
            stop = seen_within(page, 1000)
        stops += 1
        if stops > 1 and stop["name"] == "Skip to main content":
            break  # round to the start again
        if not seen(stop):
            problems.append(stop)
    assert stops < MAX_TAB_STOPS, "Tab never left the page: a keyboard trap?"
    assert stops >= at_least  # the skip link, the page links and the filters at least
    assert problems == []


def test_a_chart_toolbar_is_one_tab_stop_with_arrow_keys_inside(server, page):
    """Issue 19 item 11: the chart's toolbar (show data, PNG, spec, full screen) took four Tab stops."""
    load(page, f"{server}/explorer")
    tab_to(page, "Show data")
    page.keyboard.press("ArrowRight")
    assert active(page)["name"] == "Download as PNG"
    page.keyboard.press("End")
    assert active(page)["name"] == "Fullscreen"
    page.keyboard.press("Home")
    assert active(page)["name"] == "Show data"
    page.keyboard.press("Tab")  # past the rest of the toolbar in one press
    assert active(page)["name"] not in {"Download as PNG", "Copy Vega-Lite spec", "Fullscreen"}


def test_a_data_table_is_one_tab_stop_for_its_toolbar_and_one_for_its_grid(server, page):
    """Issue 19 item 11: Tab walked cell by cell through each st.dataframe (seven presses a table); now its
    toolbar is one stop, the grid another, and the arrow keys move inside the grid."""
    load(page, f"{server}/savings")
    tab_to(page, "Show/hide columns")
    stops = 1
    page.keyboard.press("Tab")
    while page.evaluate("() => Boolean(document.activeElement.closest('[data-testid=\"stDataFrame\"]'))"):
        stops += 1
        assert stops <= 2, active(page)
        if active(page)["testid"] == "data-grid-canvas":
            for key in ("ArrowDown", "ArrowRight", "End", "Home"):  # moving inside keeps focus in the grid
                page.keyboard.press(key)
                assert active(page)["testid"] == "data-grid-canvas"
        page.keyboard.press("Tab")
    assert stops == 2
    page.keyboard.press("Shift+Tab")
    # Back into the grid in one press, too: on the canvas, or already on its cell's copy inside it (the grid can hand
    # focus over before the next read; one run failed on that)
    assert page.evaluate("() => Boolean(document.activeElement.closest('[data-testid=\"data-grid-canvas\"]'))"), \
        active(page)
    # As a person pauses: the grid then hands focus to its selected cell's copy inside the canvas. One more
    # Shift+Tab still leaves the grid (it took two, at a reading pace, before the fix).
    handed = page.wait_for_function("""() => {
        const canvas = document.activeElement.closest('[data-testid="data-grid-canvas"]');
        return canvas && document.activeElement !== canvas; }""", timeout=20000)  # seconds on a loaded machine
    assert handed
    page.keyboard.press("Shift+Tab")
    assert active(page)["name"] == "Show/hide columns"


# Every element that scrolls (overflow auto or scroll, its content larger than its box) and can be seen, which
# neither takes focus itself nor holds anything that does: the keyboard could not scroll it (WCAG 2.1.1).
UNREACHABLE_SCROLLERS = """() => {
    const focusable = 'a[href], button, input, select, textarea, summary, iframe, [tabindex]:not([tabindex="-1"])';
    return [...document.querySelectorAll('body *')].filter(box => {
        const style = getComputedStyle(box);
        const scrolls = (/(auto|scroll)/.test(style.overflowX) && box.scrollWidth > box.clientWidth + 1)
                     || (/(auto|scroll)/.test(style.overflowY) && box.scrollHeight > box.clientHeight + 1);
        const grid = box.closest('[data-testid="stDataFrame"]');  // its focused grid scrolls it with the arrow keys
        return scrolls && box.getClientRects().length > 0 && !box.matches(focusable) && !box.querySelector(focusable)
            && !(grid && grid.querySelector('[data-testid="data-grid-canvas"][tabindex="0"]'));
    }).map(box => ({tag: box.tagName, testid: (box.closest('[data-testid]') || box).getAttribute('data-testid'),
                    text: box.textContent.trim().slice(0, 60)})); }"""
NAMED_SCROLLERS = """() => [...document.querySelectorAll('[data-dashboard-scroller]')]
    .map(box => [box.tabIndex, box.getAttribute('role'), box.getAttribute('aria-label')])"""


def test_the_commentary_diff_of_two_versions_can_be_scrolled_by_keyboard(coordinator_page):
    """The issue's case: the diff of two commentary versions (a code block) scrolled only with a mouse."""
    url, browser_page = coordinator_page
    load(browser_page, f"{url}/commentary?quarter=Q1+2021%2F22")
    box = browser_page.locator('textarea[aria-label="Commentary"]')
    for version in (1, 2):  # two saved versions, each one long line, so the diff is wider than its box
        box.fill(f"Version {version}: " + "a long unbroken line of commentary " * 12)
        box.blur()
        settle(browser_page)
        browser_page.get_by_role("button", name="Save as draft").click()
        settle(browser_page)
        browser_page.get_by_role("heading", name="Versions").wait_for(timeout=30000)
    browser_page.locator('[data-testid="stCode"] pre', has_text="+Version 2:").wait_for(timeout=30000)
    diff = browser_page.locator('[data-testid="stCode"] pre').last
    diff.wait_for(timeout=30000)
    wait_settled(browser_page)
    assert diff.evaluate("d => d.scrollWidth > d.clientWidth + 1")  # the case is real: the diff scrolls sideways
    assert browser_page.evaluate(UNREACHABLE_SCROLLERS) == []
    assert [0, "region", "Code (scrolls)"] in browser_page.evaluate(NAMED_SCROLLERS)
    diff.focus()
    browser_page.keyboard.press("ArrowRight")
    browser_page.keyboard.press("End")
    browser_page.wait_for_function("d => d.scrollLeft > 0", arg=diff.element_handle(), timeout=5000)  # scrolls smoothly
    assert diff.evaluate("d => d.scrollLeft") > 0
