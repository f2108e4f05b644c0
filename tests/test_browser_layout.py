"""Ordinary pages on a projector or laptop (1280x720) and a 1080p screen, as an anonymous visitor (issue 19, item 8):
the Overview shows at least eight measures in its first screen once the sidebar is collapsed, and the sidebar
stays collapsed across page switches and reloads; on every page in the navigation no text or control lies over
another, no text is cut off, and no word is broken inside (a line may end only at a space or after a hyphen).

One server for every page; each page is read once it has run to its end (the footer drawn, Streamlit idle). The
check of every page (assert_it_lays_out) runs in tests/test_browser_page_walk.py, which visits each page once for
this module's, the keyboard's and the accessibility checks.
"""
from __future__ import annotations

import pytest
from browser import chromium_page, open_whole_page, wait_idle
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

OVERVIEW_ROWS = 8

# In the page: the visible leaf texts (an element's own text, as line boxes) and controls, then
#  - overlaps: two of them, neither inside the other, whose boxes cross by more than 2px each way;
#  - cut: text reaching past an ancestor that clips it (overflow hidden or clip), or ellipsed, or a typed value or
#    chosen option wider than its box;
#  - broken: a word whose letters fall on two lines, unless the line ends after a hyphen or slash.
# Charts (svg, canvas) and embedded pages are drawn by their own libraries and left out; so are screen-reader-only
# texts (clipped to a pixel on purpose) and anything invisible or transparent.
LAYOUT_PROBLEMS = r"""
() => {
  const root = document.querySelector('[data-testid="stApp"]');
  const skip = 'svg, canvas, iframe, [role="tooltip"], [data-testid="stTooltipContent"], [data-testid="stHeader"], ' +
               '[data-testid="stStatusWidget"], [data-testid="stIconMaterial"], script, style, noscript';
  const visible = /[^\s\u200b-\u200d\u2060\ufeff]/;  // an icon's ligature name and invisible joiners are not text
  const shown = el => {
    // checkVisibility: not inside a closed expander (content-visibility), display: none, hidden or transparent
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    for (let e = el; e && e !== root; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden' || Number(style.opacity) === 0) return false;
      if (style.display === 'contents') continue;  // no box of its own
      const box = e.getBoundingClientRect();
      if (box.width <= 2 || box.height <= 2) return false;
    }
    return true;
  };
  const name = el => {
    const id = el.closest('[data-testid]');
    const words = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60);
    return `${el.tagName.toLowerCase()}${id ? ' in ' + id.dataset.testid : ''}: ${words}`;
  };
  const texts = [], controls = [];
  for (const el of root.querySelectorAll('*')) {
    if (el.closest(skip)) continue;
    const own = [...el.childNodes].filter(n => n.nodeType === Node.TEXT_NODE && visible.test(n.textContent));
    const control = el.matches('button, a[href], input:not([type="hidden"]), select, textarea, [role="button"], ' +
                               '[role="switch"], [role="checkbox"], [role="radio"], [role="combobox"], [role="slider"]');
    if (!own.length && !control) continue;
    if (!shown(el)) continue;
    if (own.length) {
      const boxes = own.flatMap(n => { const r = document.createRange(); r.selectNodeContents(n); return [...r.getClientRects()]; })
                       .filter(b => b.width > 1 && b.height > 1);
      if (boxes.length) texts.push({el, nodes: own, boxes});
    }
    if (control) {
      controls.push({el, boxes: [...el.getClientRects()]});  // a link over two lines is two boxes
    }
  }
  const items = [...texts, ...controls];
  const crosses = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 &&
                            Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
  const overlaps = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i], b = items[j];
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      if (a.boxes.some(x => b.boxes.some(y => crosses(x, y)))) overlaps.push(`${name(a.el)}  OVER  ${name(b.el)}`);
    }
  }
  const cut = [];
  for (const {el, boxes} of texts) {
    const style = getComputedStyle(el);
    if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) { cut.push(name(el)); continue; }
    for (let e = el.parentElement ? el : null; e && e !== root; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (e !== el && [s.overflowX, s.overflowY].some(o => o === 'auto' || o === 'scroll')) break;  // scrolls into view
      const clipsX = ['hidden', 'clip'].includes(s.overflowX), clipsY = ['hidden', 'clip'].includes(s.overflowY);
      if (!clipsX && !clipsY) continue;
      const edge = e.getBoundingClientRect();
      if (boxes.some(b => (clipsX && (b.left < edge.left - 1 || b.right > edge.right + 1)) ||
                          (clipsY && (b.top < edge.top - 1 || b.bottom > edge.bottom + 1)))) {
        cut.push(name(el));
        break;
      }
    }
  }
  // A typed value or a select's chosen option wider than its box (a select's option cannot wrap).
  for (const {el} of controls) {
    if (el.matches('input, textarea') && el.value && el.scrollWidth > el.clientWidth + 1) cut.push(name(el));
  }
  const broken = [];
  for (const {el, nodes, boxes} of texts) {
    if (new Set(boxes.map(b => Math.round(b.top))).size < 2) continue;  // one line: nothing to break
    for (const node of nodes) {
      for (const word of node.textContent.matchAll(/\S+/g)) {
        const range = document.createRange();
        const tops = [];
        for (let k = 0; k < word[0].length; k++) {
          range.setStart(node, word.index + k); range.setEnd(node, word.index + k + 1);
          const r = range.getClientRects()[0];
          if (r) tops.push(r.top);
        }
        for (let k = 1; k < tops.length; k++) {
          if (Math.abs(tops[k] - tops[k - 1]) > 2 && !'-/\u2010\u2013\u2014'.includes(word[0][k - 1])) {
            broken.push(`${name(el)} -> "${word[0]}"`);
            break;
          }
        }
      }
    }
  }
  return {overlaps, cut, broken, checked: items.length};
}
"""


@pytest.fixture(scope="module")
def page():
    with chromium_page(1280, 720) as browser_page:
        yield browser_page


def sidebar_collapsed(page) -> bool:
    return page.evaluate("""() => document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect().right <= 0""")


def collapse_sidebar(page) -> None:
    page.get_by_test_id("stSidebar").hover()  # the collapse button shows on hover
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    page.wait_for_function("""() => document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect().right <= 0 &&
        document.querySelector('[data-testid="stMain"]').getBoundingClientRect().width >= window.innerWidth - 1""")


def expand_sidebar(page) -> None:
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_function("""() => document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect().left >= 0""")


def rows_in_first_screen(page) -> int:
    """Measure rows of the Overview's table wholly inside the viewport (priority headings not counted)."""
    return page.evaluate("""() => [...document.querySelectorAll('table.ov tbody tr:not(.priority)')]
        .map(row => row.getBoundingClientRect())
        .filter(box => box.top >= 0 && box.bottom <= window.innerHeight).length""")


# Each option of a sidebar select, put in the select's box in turn (its shown text only; nothing is chosen): the
# options wider than the box, which the box would cut when chosen.
OPTIONS_CUT_IN_THEIR_BOX = r"""
([label, options]) => {
  const input = [...document.querySelectorAll('[data-testid="stSidebar"] input[role="combobox"]')]
    .find(el => el.getAttribute('aria-label') === label);
  const shown = input.value, cut = [];
  for (const option of options) {
    input.value = option;
    if (input.scrollWidth > input.clientWidth) cut.push(`${label}: ${option}`);
  }
  input.value = shown;
  return cut;
}
"""


def layout_problems(page) -> dict:
    page.evaluate("() => window.scrollTo(0, 0)")
    return page.evaluate(LAYOUT_PROBLEMS)


def test_the_overview_shows_eight_measures_in_its_first_screen_and_the_sidebar_stays_collapsed(server, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_whole_page(page, f"{server}/")
    assert not sidebar_collapsed(page)  # a first visit: the filters are in sight
    collapse_sidebar(page)
    try:
        page.evaluate("() => window.scrollTo(0, 0)")
        assert rows_in_first_screen(page) >= OVERVIEW_ROWS
        page.get_by_role("link", name="Rape offences reported").click()  # a link in the table reloads the page
        page.wait_for_url("**/explorer?**")
        page.locator('[data-testid="stMain"] h1').first.wait_for()
        wait_idle(page)
        assert sidebar_collapsed(page)
        open_whole_page(page, f"{server}/savings")
        assert sidebar_collapsed(page)
    finally:
        expand_sidebar(page)  # the other tests read the pages as a first visit finds them
    assert not sidebar_collapsed(page)


def assert_it_lays_out(page) -> None:
    """At 1280x720, then laid out again for a 1080p screen: no text or control lies over another, is cut or is
    broken inside a word. The page is open as a first visit finds it (the sidebar expanded); every page of the
    navigation is checked so in tests/test_browser_page_walk.py, on its one visit to each page."""
    if sidebar_collapsed(page):  # as a first visit finds the page, whatever an earlier test did
        expand_sidebar(page)
    for width, height in ((1280, 720), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function(f"() => document.querySelector('[data-testid=\"stMain\"]').getBoundingClientRect().right "
                               f"=== {width}")
        found = layout_problems(page)
        assert found["checked"] > 10
        for problem in ("overlaps", "cut", "broken"):
            assert found[problem] == [], f"{width}x{height}, {problem}:\n" + "\n".join(found[problem])


def sidebar_select_options(page) -> dict[str, list[str]]:
    """Each select in the sidebar (by its label) and the options its list offers."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("combobox").first.wait_for()  # a sidebar just expanded lists its selects once it is shown
    found = {}
    for label in [box.get_attribute("aria-label") for box in sidebar.get_by_role("combobox").all()]:
        box = sidebar.get_by_role("combobox", name=label, exact=True)
        for _ in range(3):  # a rerun on a busy machine can close a list as it opens: open it again
            wait_idle(page)
            box.focus()  # by keyboard: a click that scrolls the sidebar closes the list it opens
            box.press("ArrowDown")
            try:
                page.get_by_role("option").first.wait_for(timeout=10000)
            except PlaywrightTimeout:  # the key press went to a page mid-rerun
                continue
            texts = page.get_by_role("option").all_inner_texts()
            box.press("Escape")
            page.get_by_role("option").first.wait_for(state="detached")
            if any(text.strip() for text in texts):
                found[label] = texts
                break
        else:
            found[label] = []
    return found


def test_every_option_of_the_sidebar_selects_reads_in_full_at_1280x720(server, page):
    """The area select's chosen option is the value of a one-line box: an area named in full there was cut
    ("Leicester, Leicestershire and Rutl…"). Every option of every sidebar select fits its box."""
    page.set_viewport_size({"width": 1280, "height": 720})
    open_whole_page(page, f"{server}/")
    if sidebar_collapsed(page):
        expand_sidebar(page)
    options = sidebar_select_options(page)
    assert {"Priority", "Area"} <= set(options) and all(options.values())
    cut = [problem for select in options.items() for problem in page.evaluate(OPTIONS_CUT_IN_THEIR_BOX, list(select))]
    assert cut == []
