"""One walk of every page in the navigation, and of the Priority explorer's views, as an anonymous visitor in
chromium, making three modules' checks on each visit (a page load costs seconds of the server's and chromium's
time, and each module had walked the pages on its own):
 - the layout, tests/test_browser_layout.py: at 1280x720 and again at 1920x1080, no text or control lies over
   another, is cut or is broken inside a word (every page);
 - the keyboard, tests/test_browser_keyboard.py: every scrolling region can be reached and every tab stop is seen
   with the focus indicator (every page and the explorer's Areas view);
 - accessibility, tests/test_browser_accessibility.py: with every expander open, no axe violation, the page's own
   title, one h1, no heading level skipped and the link to the statement (every page and explorer view).
They run in that order, the ones that read the page with its expanders closed first; each check's failure is
reported with the others', so one does not hide another. Then the same views signed in as a co-ordinator: the
accessibility checks, the contrast of What-if's disabled labels, and the keyboard's check of the co-ordinator's
forms, again one visit each. Each walk loads its first page and switches to the others in the same tab, as
Back and Forward do (browser.open_in_the_same_tab: a third of a load's CPU); views named by query parameters are
loaded.
"""
from __future__ import annotations

import pytest
from browser import chromium_page, open_in_the_same_tab, signed_in_page, wait_settled
from conftest import COORDINATOR_EMAIL
from test_browser_accessibility import (
    VIEWS,
    assert_it_passes_signed_in_as_a_coordinator,
    assert_it_passes_with_every_expander_open,
    assert_the_disabled_what_if_labels_are_4_5_to_1,
    open_expanders,
)
from test_browser_keyboard import (
    COORDINATOR_FORMS,
    assert_a_coordinators_forms_show_the_focus_indicator_on_every_tab_stop,
    assert_every_scrolling_region_can_be_reached_and_every_tab_stop_seen,
)
from test_browser_keyboard import VIEWS as KEYBOARD_VIEWS
from test_browser_layout import assert_it_lays_out

pytestmark = pytest.mark.browser

PAGES = {path for path, _ in VIEWS if not path.startswith("explorer?")}


def test_the_walk_covers_every_view_of_the_three_modules():
    assert set(KEYBOARD_VIEWS) <= {path for path, _ in VIEWS} and set(COORDINATOR_FORMS) <= {path for path, _ in VIEWS}
    assert len(PAGES) >= 13 and "" in PAGES and "explorer" in PAGES


@pytest.fixture(scope="module")
def page():
    with chromium_page(1280, 720) as browser_page:
        yield browser_page


@pytest.mark.parametrize("path, title", VIEWS, ids=[p or "overview" for p, _ in VIEWS])
def test_every_page_lays_out_works_by_keyboard_and_passes_axe(server, page, path, title):
    page.set_viewport_size({"width": 1280, "height": 720})  # the layout check starts at the smaller screen
    open_in_the_same_tab(page, f"{server}/{path}", title)
    checks = []
    if path in PAGES:
        checks.append(("layout", lambda: assert_it_lays_out(page)))  # ends at 1920x1080
    checks.append(("1920x1080", lambda: (page.set_viewport_size({"width": 1920, "height": 1080}), wait_settled(page))))
    if path in KEYBOARD_VIEWS:
        checks.append(("keyboard", lambda: assert_every_scrolling_region_can_be_reached_and_every_tab_stop_seen(page)))
    checks.append(("accessibility", lambda: assert_it_passes_with_every_expander_open(page, server, title)))
    assert_each(checks)


@pytest.fixture(scope="module")
def coordinator_page(page, auth_server):
    url, _ = auth_server
    with signed_in_page(page.context.browser, url, COORDINATOR_EMAIL) as browser_page:  # one Playwright per thread
        yield url, browser_page


@pytest.mark.parametrize("path, title", VIEWS, ids=[p or "overview" for p, _ in VIEWS])
def test_signed_in_as_a_coordinator_every_control_passes_too(coordinator_page, path, title):
    """Accessibility's checks of every view signed in as a co-ordinator, with every expander open; on What-if (the
    scenario off) its disabled labels' contrast; on the pages with a co-ordinator's forms, the keyboard's."""
    url, browser_page = coordinator_page
    open_in_the_same_tab(browser_page, f"{url}/{path}", title)
    open_expanders(browser_page)
    checks = []
    if path == "what-if":
        checks.append(("disabled labels", lambda: assert_the_disabled_what_if_labels_are_4_5_to_1(browser_page)))
    checks.append(("accessibility", lambda: assert_it_passes_signed_in_as_a_coordinator(browser_page, url, title)))
    if path in COORDINATOR_FORMS:
        checks.append(("keyboard", lambda: assert_a_coordinators_forms_show_the_focus_indicator_on_every_tab_stop(
            browser_page)))
    assert_each(checks)


def assert_each(checks) -> None:
    """Makes every check in turn; fails with every failure, so one does not hide another."""
    failed = {}
    for name, check in checks:
        try:
            check()
        except AssertionError as failure:
            failed[name] = str(failure)
    assert not failed, "\n\n".join(f"{name}: {failure}" for name, failure in failed.items())
