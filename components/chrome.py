"""What every page carries: its title and accessibility styles, the synthetic-data banner, the
provisional-data warning, and the footer with the OGL attribution and the accessibility statement."""
from __future__ import annotations

import json
from typing import NoReturn

import streamlit as st

import dashboard_data
from components.database import current_visibility
from components.readers.catalogue import meta
from render.labels import OGL_ATTRIBUTION, SYNTHETIC_LABEL, source_label  # noqa: F401 (pages import them from here)

APP_NAME = "Partnership performance dashboard"
STATEMENT_PAGE = "app_pages/accessibility.py"
FOCUS_COLOUR, FOCUS_RING = "#FFDD00", "#0B0C0C"  # GOV.UK focus yellow, ringed in near-black (19.8:1 on white)
CAPTION_COLOUR = "#505A5F"  # GOV.UK secondary text: 7.1:1 on white, 6.3:1 on the sidebar

# WCAG 2.2 AA (2.4.7, 1.4.11): one focus indicator for every focusable element, the GOV.UK yellow
# inside a 3px near-black ring, so it is at least 3:1 on any background here; and no focusable
# control that cannot be seen (Streamlit keeps chart and table toolbars and heading links
# transparent until hovered, so they show whenever focus is inside them).
ACCESSIBILITY_CSS = f"""
<style>
:focus-visible,
iframe.dashboard-focused,
[data-testid="stMain"]:focus-visible {{
  outline: 3px solid {FOCUS_COLOUR} !important;
  outline-offset: 0 !important;
  box-shadow: 0 0 0 6px {FOCUS_RING} !important;
}}
[data-testid="stMain"]:focus-visible {{ outline-offset: -9px !important; box-shadow: inset 0 0 0 6px {FOCUS_RING} !important; }}
/* A text box, select or option whose input is hidden or drawn inside a box: the ring goes round what is
   seen. An interactive table moves focus between its canvas, a hidden cell for screen readers and its
   scroller: the ring goes round the table (which outlines the cell itself, in the primary colour). */
[data-testid="stTextInputRootElement"]:has(input:focus-visible),
[data-testid="stTextAreaRootElement"]:has(textarea:focus-visible),
[data-testid="stNumberInputContainer"]:has(input:focus-visible),
[role="group"][data-rac]:has(input:focus-visible),
label:has(input:focus-visible),
[data-testid="stDataFrameResizable"]:focus-within {{
  outline: 3px solid {FOCUS_COLOUR} !important;
  box-shadow: 0 0 0 6px {FOCUS_RING} !important;
}}
[data-testid="stTextInputRootElement"] input:focus-visible,
[data-testid="stTextAreaRootElement"] textarea:focus-visible,
[data-testid="stNumberInputContainer"] input:focus-visible,
[role="group"][data-rac] input:focus-visible,
label input:focus-visible,
[data-testid="stDataFrameResizable"] :focus-visible {{
  outline: none !important;
  box-shadow: none !important;
}}
/* Streamlit greys captions with opacity, which also fades a link in a caption to 2.5:1: the grey is a colour
   instead (7.1:1), so links keep theirs. */
[data-testid="stCaptionContainer"] {{
  opacity: 1 !important;
  color: {CAPTION_COLOUR} !important;
}}
/* Streamlit fades a disabled control's label to 2.7:1 (What-if's scenario settings before the scenario is on):
   it takes the caption grey instead, so it still reads as quieter but at 7.1:1. */
[data-testid="stElementContainer"]:has(input:disabled, textarea:disabled, [aria-disabled="true"], button:disabled)
  [data-testid="stWidgetLabel"] :is(p, span, div) {{
  color: {CAPTION_COLOUR} !important;
  opacity: 1 !important;
}}
[data-testid="stElementContainer"]:has(input:disabled, textarea:disabled, [aria-disabled="true"], button:disabled)
  [data-testid="stWidgetLabel"] {{
  color: {CAPTION_COLOUR} !important;
  opacity: 1 !important;
}}
[data-testid="stElementToolbar"]:focus-within,
[data-testid="stHeaderActionElements"]:focus-within,
[data-testid="stHeaderActionElements"] a:focus-visible {{
  opacity: 1 !important;
  visibility: visible !important;
}}
</style>
"""

# After a page switch (not on the first load, nor on a rerun of the same page), focus moves to the
# new page's h1, whose text is the page's title, so a screen reader announces where the user is. It
# waits for the page to draw (a first run can take seconds), and gives way if the user moves focus
# themselves or switches page again meanwhile.
FOCUS_ON_PAGE_SWITCH = """
<script>
(() => {
  const page = %s;
  const previous = window.__dashboardPage;
  window.__dashboardPage = page;
  if (previous === undefined || previous === page) return;
  const from = document.activeElement;
  const started = Date.now();
  const focusHeading = () => {
    if (window.__dashboardPage !== page) return;
    if (document.activeElement !== from && document.activeElement !== document.body) return;
    const heading = [...document.querySelectorAll('[data-testid="stMain"] h1')].find(h => h.textContent.trim() === page);
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    } else if (Date.now() - started < 60000) {
      setTimeout(focusHeading, 100);
    }
  };
  focusHeading();
})();
</script>
"""


class PageEnded(Exception):
    """Raised by end_page(); app.py catches it and still draws the footer (st.stop() would not)."""


def end_page() -> NoReturn:
    """End the page here, as st.stop() does, but keep the footer and its accessibility statement link."""
    raise PageEnded


# WCAG 2.1.1 and 2.4.7: a table too wide or tall for its box scrolls, so it must take keyboard focus to be scrolled
# without a mouse. Streamlit's table scroller has no tabindex: a scroller that overflows gets one, as a
# named region, and loses it again when it fits (a table that fits is not a tab stop). One observer per tab.
SCROLLABLE_TABLES = """
<script>
(() => {
  if (window.__dashboardScrollers) return;
  window.__dashboardScrollers = true;
  const update = () => document.querySelectorAll('[data-testid="stTable"] > div').forEach(box => {
    const overflows = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    if (overflows && !box.hasAttribute('tabindex')) {
      box.tabIndex = 0;
      box.setAttribute('role', 'region');
      box.setAttribute('aria-label', 'Table (scrolls)');
    } else if (!overflows && box.getAttribute('role') === 'region') {
      box.removeAttribute('tabindex');
      box.removeAttribute('role');
      box.removeAttribute('aria-label');
    }
  });
  // Any other region that scrolls (a commentary diff's code block, a long caption box) and holds nothing
  // focusable gets the same: a named region in the Tab order while it overflows.
  const FOCUSABLE = 'a[href], button, input, select, textarea, summary, iframe, [tabindex]:not([tabindex="-1"])';
  const regions = () => document.querySelectorAll('[data-testid="stMain"] *, [data-testid="stSidebar"] *').forEach(box => {
    const marked = box.hasAttribute('data-dashboard-scroller');
    // Sizes first (one layout for every box): only a box whose content overflows has its style read.
    if (!marked && box.scrollWidth <= box.clientWidth + 1 && box.scrollHeight <= box.clientHeight + 1) return;
    if (!marked && (box.matches(FOCUSABLE) || box.closest('[data-testid="stTable"], [data-testid="stDataFrame"]'))) return;
    const style = getComputedStyle(box);
    const scrolls = (/(auto|scroll)/.test(style.overflowX) && box.scrollWidth > box.clientWidth + 1)
                 || (/(auto|scroll)/.test(style.overflowY) && box.scrollHeight > box.clientHeight + 1);
    if (scrolls && !marked && !box.querySelector(FOCUSABLE)) {
      box.tabIndex = 0;
      box.setAttribute('role', 'region');
      box.setAttribute('aria-label', box.closest('[data-testid="stCode"]') ? 'Code (scrolls)' : 'Scrolling region');
      box.setAttribute('data-dashboard-scroller', '');
    } else if (!scrolls && marked) {
      ['tabindex', 'role', 'aria-label', 'data-dashboard-scroller'].forEach(name => box.removeAttribute(name));
    }
  });
  // A chart's or table's toolbar is one Tab stop (its first button); arrow keys, Home and End move along it.
  const toolbars = () => document.querySelectorAll('[data-testid="stElementToolbar"]').forEach(bar =>
    bar.querySelectorAll('button').forEach((button, index) => { button.tabIndex = index === 0 ? 0 : -1; }));
  document.addEventListener('keydown', event => {
    const bar = event.target.closest && event.target.closest('[data-testid="stElementToolbar"]');
    if (!bar || !['ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
    const buttons = [...bar.querySelectorAll('button')];
    const at = buttons.indexOf(event.target);
    if (at < 0) return;
    const last = buttons.length - 1;
    const next = {ArrowRight: Math.min(at + 1, last), ArrowDown: Math.min(at + 1, last), ArrowLeft: Math.max(at - 1, 0),
                  ArrowUp: Math.max(at - 1, 0), Home: 0, End: last}[event.key];
    event.preventDefault();
    buttons[next].focus();
  });
  // A data grid is one Tab stop: the grid moves its selected cell on Tab (a stop per column); Tab and Shift+Tab
  // are kept from it, so they leave the grid, and the arrow keys, Home and End move inside it. A moment after
  // the grid takes focus it hands it to its selected cell's copy inside the canvas (for screen readers), which
  // Shift+Tab would leave for the canvas itself: a second stop. From there focus goes back to the canvas first.
  window.addEventListener('keydown', event => {
    const canvas = event.key === 'Tab' && event.target.closest
      && event.target.closest('[data-testid="stDataFrame"] [data-testid="data-grid-canvas"]');
    if (!canvas) return;
    event.stopImmediatePropagation();
    if (event.shiftKey && event.target !== canvas) canvas.focus();
  }, true);
  // Checked when the browser is idle (within 300 ms), not on every frame that changed: a page being drawn changes
  // in many frames, and each check read the sizes and styles of every box on it.
  let queued = false;
  const idle = window.requestIdleCallback || ((run) => setTimeout(run, 50));
  const soon = () => { if (!queued) { queued = true; idle(() => { queued = false; update(); regions(); toolbars(); }, {timeout: 300}); } };
  new MutationObserver(soon).observe(document.body, {childList: true, subtree: true, attributes: true,
                                                      attributeFilter: ['open', 'style']});
  window.addEventListener('resize', soon);
  soon();
  // Focus inside an embedded page (the paper's preview) leaves its frame matching no focus selector here:
  // the frame is marked while it holds focus, and ringed by the styles.
  const markFrame = () => document.querySelectorAll('iframe').forEach(frame =>
    frame.classList.toggle('dashboard-focused', document.activeElement === frame));
  window.addEventListener('blur', () => setTimeout(markFrame, 0));
  window.addEventListener('focusin', markFrame);
})();
</script>
"""


# Ordinary pages at 1280x720 (a projector, a laptop): less empty margin above and beside the page, so the Overview's
# table starts high and the page's controls have room beside each other.
ORDINARY_PAGE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding: 3rem 2rem 4rem !important; }
[data-testid="stMain"] h1 { padding-top: 0 !important; padding-bottom: 0.25rem !important; }
</style>
"""


def page_chrome(page_title: str, *, with_sidebar: bool = True) -> None:
    """The page's own browser title ("Overview – Partnership performance dashboard"), the
    accessibility styles, and focus on the new page's heading after a page switch.

    Without a sidebar (Panel mode) the scripts stay out: anything put in the sidebar would draw
    one, and the meeting screen has neither page switches nor tables to scroll."""
    st.set_page_config(page_title=f"{page_title} – {APP_NAME}")
    st.html(ACCESSIBILITY_CSS)
    if with_sidebar:
        st.html(ORDINARY_PAGE_CSS)
        st.sidebar.html(FOCUS_ON_PAGE_SWITCH % json.dumps(page_title) + SCROLLABLE_TABLES,
                        unsafe_allow_javascript=True)


def dataset_meta() -> dict[str, str]:
    """The dataset's notes and as-at (dashboard_data.meta): what the public sees, whoever is signed in."""
    return meta.public()


def dataset_banner() -> None:
    """The as-at of the data in the sidebar: the untouched demo says it is a snapshot; once data is loaded,
    the latest month published and when data was last published."""
    meta = dataset_meta()
    if dashboard_data.is_snapshot(meta):
        st.sidebar.info(
            f"**Demo snapshot, as at {dashboard_data.as_at(meta):%-d %B %Y}.** Crime and ASB counts are real "
            "police.uk data. Partner measures are **synthetic**, generated for the demo, and marked so wherever "
            "they show."
        )
        return
    latest = dashboard_data.published_through(meta)
    published = dashboard_data.last_published(meta)
    words = (f"**Published data to {latest:%B %Y}**" if latest else "**No published data yet**") + \
        (f", last published {published:%-d %B %Y at %H:%M}." if published else ".")
    if meta.get("dataset") == "demo":
        words += " Partner measures not loaded from a return are **synthetic**, marked so wherever they show."
    st.sidebar.info(words)


PUBLISHED_ONLY_PAGES = ("paper",)  # url paths of pages that show only published data, whoever reads them


def provisional_banner(url_path: str = "") -> None:
    """On every page that can show provisional data, for a reader who can see it: say so, plainly, before
    anything else. The Panel paper holds only published data, so it carries no such banner."""
    if url_path in PUBLISHED_ONLY_PAGES:
        return
    if current_visibility().include_provisional:
        st.warning("**Provisional, not for publication.** You can see provisional data that partners' boards have "
                   "not yet released; it is marked wherever it shows, and in every download. Do not share it.",
                   icon="⚠️")


def attribution_footer() -> None:
    st.divider()
    st.caption(f"police.uk and ONS data: {OGL_ATTRIBUTION}")
    st.page_link(STATEMENT_PAGE, label="Accessibility statement")

