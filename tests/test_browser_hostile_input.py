"""In chromium: every page as an anonymous visitor, with hostile stored text and hostile URL parameters
(issue 23, items 4, 5 and 12). Streamlit's markdown autolinks bare addresses even when every character is
escaped, so this is checked where it happens: no <a> to another host (but the allowed link the commentary
holds), no external <img>, no traceback, no staff e-mail address. One server, one browser."""
from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

import pytest
from browser import chromium_page, require_chromium, streamlit_server, wait_idle
from conftest import PROJECT_ROOT
from hostile_input import (
    ALLOWED_LINK,
    EMAIL,
    EVIL,
    HOSTILE_VALUES,
    REBASE_PARAMS,
    STAFF_EMAIL,
    STORED_TEXT_PARAMS,
    allowed_hosts,
    hostile_database,
    url_parameter_names,
)

from render.safe_text import allowed_link

LINKS_AND_IMAGES = """() => ({
    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
    images: [...document.querySelectorAll('img[src]')].map(i => i.getAttribute('src')),
    text: document.body ? document.body.innerText : ''})"""


@pytest.fixture(scope="module")
def hostile_server(demo_db, tmp_path_factory):
    require_chromium()
    db = hostile_database(demo_db, tmp_path_factory.mktemp("hostile-browser"))
    with streamlit_server(PROJECT_ROOT, db) as url:
        yield url


def page_paths() -> list[str]:
    """The address of each page in app.py's PAGES list (the default page at /)."""
    text = (PROJECT_ROOT / "app.py").read_text(encoding="utf-8")
    paths = []
    for call in re.findall(r'st\.Page\("app_pages/\w+\.py"[^)]*\)', text):
        if "default=True" in call and "panel.py" not in call:
            paths.append("")
        elif "panel.py" not in call:
            paths.append(re.search(r'url_path="([^"]+)"', call).group(1))
    assert "" in paths and "explorer" in paths and len(paths) >= 13, paths
    return paths


def hostile_query(stored: dict[str, str]) -> str:
    """The stored text's filters, and every other parameter the app reads with a hostile value (the very long one
    only once: fifty of them would make an address no server takes)."""
    names = [n for n in url_parameter_names() if n not in stored and n != "mode"]
    short = [v for v in HOSTILE_VALUES if len(v) < 1000]
    values = {n: short[i % len(short)] for i, n in enumerate(names)}
    return urlencode({**stored, **values, "unknown": HOSTILE_VALUES[-1]})


def open_page(page, url: str) -> None:
    """As browser.open_whole_page, with room for a busy machine (the paper typesets for a while)."""
    page.goto(url)
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=180000)
    page.locator('[data-testid="stMain"]').get_by_role("link", name="Accessibility statement", exact=True).wait_for(
        timeout=180000)
    wait_idle(page)


def problems_in(page, origin: str) -> tuple[list[str], list[str]]:
    """Links and images to other hosts, script URLs, tracebacks and staff addresses, in the page and its frames;
    and every link's address."""
    found, links = [], []
    for frame in page.frames:
        seen = frame.evaluate(LINKS_AND_IMAGES)
        links += seen["links"]
        for href in seen["links"]:
            parts = urlsplit(href)
            if parts.scheme.lower() not in ("", "http", "https", "about"):
                found.append(f"<a href={href[:80]}>")
            elif parts.netloc and parts.netloc != origin and not allowed_link(href, allowed_hosts()):
                found.append(f"<a href={href[:80]}>")
        for src in seen["images"]:
            parts = urlsplit(src)
            if parts.scheme not in ("data", "blob") and parts.netloc not in ("", origin):
                found.append(f"<img src={src[:80]}>")
        if "Traceback" in seen["text"]:
            found.append("a traceback")
        found += [f"e-mail {a}" for a in EMAIL.findall(seen["text"].replace("\u2060", "")) if not a.endswith(EVIL)]
    return found, links


def test_no_page_links_or_loads_from_another_host_whatever_the_address_or_stored_text(hostile_server):
    origin = urlsplit(hostile_server).netloc
    visits = [f"/{path}?{hostile_query(STORED_TEXT_PARAMS)}" for path in page_paths()]
    visits.append(f"/explorer?{hostile_query(REBASE_PARAMS)}")
    problems, allowed_seen = {}, False
    with chromium_page(1400, 1000) as page:
        for visit in visits:
            open_page(page, hostile_server + visit)
            found, links = problems_in(page, origin)
            allowed_seen |= ALLOWED_LINK in links
            if found:
                problems[visit[:40]] = found
        for query in ({**STORED_TEXT_PARAMS, "mode": "panel"}, {"mode": "panel", "area": HOSTILE_VALUES[0]},
                      {"mode": "panel", "quarter": HOSTILE_VALUES[1], "advance": HOSTILE_VALUES[2]}):
            page.goto(f"{hostile_server}/?{urlencode(query)}")
            page.locator('#panel-deck, [data-testid="stAlert"]').first.wait_for(timeout=120000)
            wait_idle(page)
            found, _ = problems_in(page, origin)
            if found:
                problems[str(query)[:60]] = found
    assert problems == {}
    assert allowed_seen  # the commentary's allowed address did become a link (the checks above are not vacuous)
    assert STAFF_EMAIL not in str(problems)
