"""bench/browser.py's "settled": a page is not settled while Streamlit still shows an element's placeholder."""
from __future__ import annotations

import pytest

from bench.browser import WATCH, chromium, settle

pytestmark = pytest.mark.browser


def test_a_page_with_an_element_placeholder_left_is_not_settled():
    """The placeholder goes 1.5 s after the last change before it (as a busy machine made a first Overview's): the
    page settles after that, not 600 ms after the change before it."""
    with chromium() as browser:
        page = browser.new_page()
        page.set_content('<div data-testid="stApp"><p>Drawn</p><div data-testid="stSkeleton"></div></div>')
        page.add_script_tag(content=WATCH)  # the watch the bench puts in every page it opens
        page.evaluate("""() => setTimeout(() => {
            window.__placeholderGone = performance.now();
            document.querySelector('[data-testid="stSkeleton"]').replaceWith(document.createElement('button'));
        }, 1500)""")
        settled = settle(page, since_click=False, timeout=30)
        assert page.evaluate("document.querySelectorAll('[data-testid=stSkeleton]').length") == 0
        assert settled.page * 1000 >= page.evaluate("window.__placeholderGone")
