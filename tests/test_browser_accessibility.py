"""In a real browser, every page and every Priority explorer view: axe-core finds no WCAG 2.2 A or AA
violation, the page has its own title and exactly one h1, no heading level is skipped, and it links
to the accessibility statement (in the page list, and in the footer of a page that runs to its end).

Pages are read from app.py's st.navigation list, so a page added later joins these checks. Every
expander is opened first, so the charts' data tables and the forms inside expanders are checked too,
once as the public sees the pages and once signed in as a co-ordinator, who sees every control.
No rule is excluded and no element is left out of the scan. The walks over every view run in
tests/test_browser_page_walk.py, which visits each page once for these checks and the layout and keyboard ones.
"""
from __future__ import annotations

import ast
import json
from urllib.parse import quote_plus

import pytest
from axe_playwright_python.base import AXE_SCRIPT, AxeResults
from browser import APP_NAME, as_shown, chromium_page, open_whole_page, wait_settled
from conftest import COORDINATOR_EMAIL, PROJECT_ROOT
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
EXPLORER_VIEWS = ["Control chart", "Year on year", "Rolling 12 months", "Forecast", "Areas"]


def axe_scan(page, options: dict = AXE_OPTIONS) -> AxeResults:
    """axe-core's scan of the whole document, as axe_playwright_python's Axe().run makes it, but axe (570 kB) is put in
    a document only once however often it is scanned, and only the violations are sent back: the passes, incomplete
    and inapplicable rules were serialised and never read."""
    if not page.evaluate("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        page.evaluate(AXE_SCRIPT)
    return AxeResults(page.evaluate(f"() => axe.run(document, {json.dumps(options)})"
                                    ".then(results => ({violations: results.violations}))"))


def navigation_pages() -> list[tuple[str, str]]:
    """(url path, title) of every st.Page in app.py's PAGES list, in its order."""
    pages = []
    listed = next(node.value for node in ast.parse((PROJECT_ROOT / "app.py").read_text()).body
                  if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "PAGES")
    for node in ast.walk(listed):  # Panel mode is not in the list: it has no page chrome by design
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.Page":
            keywords = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
            script = ast.literal_eval(node.args[0])
            path = "" if keywords.get("default") else keywords.get("url_path", script.rsplit("/", 1)[-1][:-3])
            pages.append((path, keywords["title"]))
    return pages


PAGES = navigation_pages()
VIEWS = [(path, title) for path, title in PAGES] + [
    (f"explorer?priority={quote_plus('8. Anti-social behaviour')}&view={quote_plus(view)}", "Priority explorer")
    for view in EXPLORER_VIEWS]


def test_the_navigation_list_is_read_from_app_py():
    assert PAGES[0] == ("", "Overview")
    assert ("explorer", "Priority explorer") in PAGES and ("accessibility", "Accessibility statement") in PAGES


@pytest.fixture(scope="module")
def page():
    with chromium_page(1920, 1080) as browser_page:
        yield browser_page


def open_page(page, url: str) -> None:
    """The page run to its end, then every expander opened, so the scan sees what is inside them."""
    open_whole_page(page, url)
    open_expanders(page)


def open_expanders(page) -> None:
    wait_settled(page)  # charts finish drawing after the script run
    # Only the closed ones: a click on an open one's summary (What-if's scenario) would close it, unscanned. Each is
    # seen open before the next is clicked: clicked in a row, a click could land while the page reflowed around the
    # one opened before it (the satisfaction page's last two tables stayed closed).
    for details in page.locator('[data-testid="stExpander"] details').all():
        for _ in range(3):
            if details.evaluate("box => box.open || box.getClientRects().length === 0"):
                break
            details.locator("summary").first.click()
            try:
                details.page.wait_for_function("box => box.open", arg=details.element_handle(), timeout=5000)
            except PlaywrightTimeout:
                continue
    wait_settled(page)
    closed = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stExpander"] details:not([open])')]
        .filter(box => box.getClientRects().length > 0).map(box => box.querySelector('summary').textContent)""")
    assert closed == [], f"expanders still closed: {closed}"


def headings(page) -> list[tuple[int, str]]:
    return page.evaluate("""() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
        .filter(h => h.getClientRects().length > 0)
        .map(h => [Number(h.tagName[1]), h.textContent.trim()])""")


def check_page(page, server: str, title: str) -> None:
    assert page.title() == f"{title} – {APP_NAME}"
    levels = headings(page)
    assert [text for level, text in levels if level == 1] == [title], levels
    previous = 1  # the page's h1 heads the document, wherever the sidebar's h2 falls in the source
    for level, text in levels:
        assert level <= previous + 1, f"heading level skipped before {text!r}: {levels}"
        previous = level
    statement = page.get_by_role("link", name="Accessibility statement", exact=True)
    assert statement.count() >= 1
    assert {link.evaluate("a => a.href") for link in statement.all()} == {f"{server}/accessibility"}
    results = axe_scan(page)
    assert results.violations_count == 0, results.generate_report()


IDS = [p or "overview" for p, _ in VIEWS]


def assert_it_passes_with_every_expander_open(page, server: str, title: str) -> None:
    """The check of every view (VIEWS) as the public sees it, made in tests/test_browser_page_walk.py: it loads each
    page once for this check and the layout and keyboard ones, which read the page with its expanders closed."""
    open_expanders(page)
    check_page(page, server, title)


def assert_it_passes_signed_in_as_a_coordinator(page, url: str, title: str) -> None:
    """Signed in as a co-ordinator, who also sees the forms that load data, rebase, set targets and write
    commentary, and the provisional-data warning: every view (VIEWS), opened with open_page, is checked so in
    tests/test_browser_page_walk.py (with the keyboard's check of the co-ordinator's forms on the same visit)."""
    assert page.get_by_text(as_shown(f"Signed in as {COORDINATOR_EMAIL}")).count() >= 1
    check_page(page, url, title)


def test_axe_finds_a_violation_when_there_is_one(server, page):
    """The scan itself works: a caption in Streamlit's old grey is reported."""
    open_page(page, f"{server}/about")
    page.evaluate("""() => { const p = document.createElement('p'); p.textContent = 'Too faint';
        p.style.color = '#828180'; document.querySelector('[data-testid="stMain"] h1').after(p); }""")
    results = axe_scan(page)
    assert [v["id"] for v in results.response["violations"]] == ["color-contrast"]


def test_the_overviews_links_are_large_enough_targets_at_the_top_of_the_page(server, page):
    """WCAG 2.2's target size, read where a visitor first sees the Overview: at the top, nothing scrolled. The walk's
    scan comes after opening the expanders has scrolled the page, and a priority's link (a 19 px line of small print
    close to the measure links below it) failed only unscrolled."""
    open_whole_page(page, f"{server}/")
    wait_settled(page)
    page.evaluate("() => { for (const box of document.querySelectorAll('*')) box.scrollTop = 0; window.scrollTo(0, 0); }")
    results = axe_scan(page, {"runOnly": {"type": "rule", "values": ["target-size"]}, "resultTypes": ["violations"]})
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]] == []


def test_a_table_that_scrolls_takes_focus_and_one_that_fits_does_not(server, page):
    page.set_viewport_size({"width": 560, "height": 900})  # narrow enough that the control chart's table scrolls sideways
    try:
        open_page(page, f"{server}/missing-persons")
        boxes = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stTable"] > div')]
            .filter(b => b.getClientRects().length > 0)
            .map(b => ({overflows: b.scrollWidth > b.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1,
                        tabindex: b.getAttribute('tabindex'), role: b.getAttribute('role')}))""")
        assert any(box["overflows"] for box in boxes)
        for box in boxes:
            assert (box["tabindex"], box["role"]) == (("0", "region") if box["overflows"] else (None, None)), box
        page.set_viewport_size({"width": 1920, "height": 1080})
        wait_settled(page)
        focusable = page.locator('[data-testid="stTable"] > div[tabindex="0"]')
        assert all(box.evaluate("b => b.scrollWidth > b.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1")
                   for box in focusable.all())
    finally:
        page.set_viewport_size({"width": 1920, "height": 1080})


# Each disabled control's label (What-if's scenario settings before the scenario is on): its colour with every
# opacity on the way up applied, blended over the page, as [r, g, b]. axe leaves disabled controls out of its
# contrast check, so this measures them itself.
DISABLED_LABEL_COLOURS = """() => [...document.querySelectorAll('[data-testid="stWidgetLabel"]')]
    .filter(label => label.getClientRects().length > 0)
    .filter(label => label.closest('[data-testid="stElementContainer"]')
        ?.querySelector('input:disabled, textarea:disabled, [aria-disabled="true"], button:disabled'))
    .map(label => {
        const text = label.querySelector('p') || label;
        const [r, g, b, a = 1] = getComputedStyle(text).color.match(/[\\d.]+/g).map(Number);
        let alpha = a;
        for (let node = text; node; node = node.parentElement) alpha *= Number(getComputedStyle(node).opacity);
        const page = 255;  // the page is white under every What-if control
        return [label.textContent.trim(), [r, g, b].map(c => c * alpha + page * (1 - alpha))];
    })"""


def contrast_on_white(rgb) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    luminance = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    return 1.05 / (luminance + 0.05)


def assert_the_disabled_what_if_labels_are_4_5_to_1(page) -> None:
    """On the What-if page opened with open_page by a co-ordinator, the scenario off, so its settings are disabled
    (the page's axe check is the co-ordinator's walk's, in tests/test_browser_page_walk.py, on the same visit)."""
    labels = page.evaluate(DISABLED_LABEL_COLOURS)
    assert len(labels) >= 5, labels
    faint = {text: round(contrast_on_white(rgb), 2) for text, rgb in labels if contrast_on_white(rgb) < 4.5}
    assert faint == {}
