"""Hostile input for the tests of links, URL parameters and staff identities (issue 23, items 4, 5, 12).

A demo copy whose stored free text (commentary, a rebase reason, an event) carries every kind of link an
attacker might try, recorded under a staff e-mail address; the hostile values an address can carry; and
checks of what the app then sends the browser: markdown with no live link, image or autolink except to
an allowed host, HTML with no external link or image, and no staff e-mail address.
"""
from __future__ import annotations

import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from conftest import FORCE, PROJECT_ROOT

STAFF_EMAIL = "jane.smith@leics.police.uk"  # a co-ordinator: shown to the public as "Jane Smith (co-ordinator)"
STAFF_PUBLIC_NAME = "Jane Smith (co-ordinator)"
ALLOWED_LINK = "https://www.leics.police.uk/report"
EVIL = "evil.example"
COMMENTARY = (f"Read {ALLOWED_LINK} for more. Not https://evil.example/x, https://gov.uk@evil.example/y, "
              "www.evil.example, evil.example, a@evil.example, mailto:b@evil.example, <https://evil.example/z>, "
              "[click](https://evil.example/c), ![p](https://evil.example/p.png), "
              "<img src=https://evil.example/i.png>, <a href=https://evil.example/a>a</a> or javascript:alert(1).")
REBASE_REASON = ("Recording change, see https://evil.example/r www.evil.example c@evil.example "
                 "[r](https://evil.example/r) ![i](https://evil.example/i.png)")
EVENT_TEXT = "www.evil.example d@evil.example [e](http://evil.example)"  # at most 60 characters
# The filters under which the stored commentary shows (force area), and the explorer's with the rebase (Charnwood:
# a rebase at force level would also draw on the paper's and Panel mode's static charts, a separate matter).
STORED_TEXT_PARAMS = {"priority": "8. Anti-social behaviour", "quarter": "Q1 2021/22", "measure": "ASB incidents"}
REBASE_AREA_ID, REBASE_PARAMS = "E07000130", {**STORED_TEXT_PARAMS, "area": "Charnwood"}

LONG = "a" * 5000
HOSTILE_VALUES = [
    "[sign in again](https://evil.example/login)",
    "![x](http://evil.example/p.png)",
    '<img src="http://evil.example/p.png"><a href="https://evil.example/">x</a>',
    "javascript:alert(1)",
    "https://evil.example/x www.evil.example e@evil.example",
    LONG + "[long](https://evil.example/long)",
]


def app_pages() -> list[str]:
    """The pages app.py serves (its PAGES list), as paths AppTest can switch to."""
    text = (PROJECT_ROOT / "app.py").read_text(encoding="utf-8")
    pages = re.findall(r'st\.Page\("(app_pages/[\w]+\.py)"', text)
    assert "app_pages/panel.py" in pages and len(pages) >= 14, pages
    return [p for p in pages if p != "app_pages/panel.py"]  # Panel mode is reached with ?mode=panel


def url_parameter_names() -> list[str]:
    """Every parameter a page reads from the address: widgets bound to it and st.query_params reads, from the code,
    and one the app does not know."""
    names = {"mode", "unknown"}
    for path in [PROJECT_ROOT / "app.py", *(PROJECT_ROOT / "app_pages").glob("*.py"),
                 *(PROJECT_ROOT / "components").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for bind in re.finditer(r'bind="query-params"', text):
            call = text[max(0, bind.start() - 400):bind.start()]
            keys = re.findall(r'key=f?"([^"]+)"', call)
            if keys:
                names.add(re.sub(r"\{[^}]*\}", "2021-06", keys[-1]))  # wi_why_{month}: a month of the series
        names |= set(re.findall(r'query_params\.get\("(\w+)"', text))
    assert {"area", "period", "quarter", "fy", "from", "to", "priority", "measure", "view", "advance"} <= names, names
    return sorted(names)


# The AppTest modules that only read the hostile copy (tests/test_hostile_visitors.py, tests/test_public_names.py)
# share one per worker, and run on one worker (xdist_group HOSTILE_GROUP): the app's caches are keyed by the file,
# so the second module reads the pages the first has drawn, and the copy and its cold pages are made once.
HOSTILE_GROUP = "hostile-text"
_SHARED: dict[Path, Path] = {}


def shared_hostile_database(demo_db: Path, tmp_path_factory) -> Path:
    """hostile_database of this worker's demo, made once per worker for the tests that only read it."""
    if demo_db not in _SHARED:
        _SHARED[demo_db] = hostile_database(demo_db, tmp_path_factory.mktemp("hostile"))
    return _SHARED[demo_db]


def hostile_database(demo_db: Path, folder: Path) -> Path:
    """A copy of the demo with the hostile text stored by STAFF_EMAIL (granted co-ordinator first)."""
    from conftest import coordinator

    from access import operator
    from ingest.annotations import add_annotation
    from ingest.commentary import save_commentary
    from ingest.rebases import add_rebase
    from ingest.returns import load_return_file
    from ingest.roles import grant_role

    path = folder / "hostile.duckdb"
    shutil.copy(demo_db.resolve(), path)
    grant_role(path, principal=STAFF_EMAIL, kind="email", role="coordinator", actor=operator())
    staff = coordinator(STAFF_EMAIL)
    save_commentary(path, priority_id=8, area_id=FORCE, period_start=date(2021, 4, 1), period_end=date(2021, 6, 1),
                    text=COMMENTARY, status="published", actor=staff)
    add_rebase(path, measure_id="asb_incidents", area_id=REBASE_AREA_ID, month=date(2020, 4, 1), reason=REBASE_REASON,
               actor=staff)
    add_annotation(path, month=date(2020, 3, 1), text=EVENT_TEXT, measure_ids=None, area_ids=None,
                   reason="Source: https://evil.example/source", actor=staff)
    load_return_file(path, b"measure_id,area_id,month,value,numerator,denominator,status,publish_after\n"
                           b"yjs_first_time_entrants,E23000021,2022-05,30,,,published,\n",
                     "return.csv", partner="Youth Offending Services", actor=staff)
    return path


# What remark-gfm (Streamlit's markdown) links: its autolink literals (mdast-util-gfm-autolink-literal's patterns,
# read after escapes are resolved, with JavaScript's ASCII \w) and markdown links and images.
ESCAPED = re.compile(r"\\[\x21-\x7e]")
AUTOLINK_LITERAL = re.compile(r"(?i)(?:https?://|www(?=\.))[-.\w]+[^ \t\r\n]*|[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.ASCII)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]*)\)")  # [text](destination); escaped brackets are blanked first
EMAIL = re.compile(r"[\w.+-]+@\u2060?[\w-]+(?:\.[\w-]+)+")
# EMAIL's matches found from each "@": EMAIL.findall retries from every character of a long run of word characters
# (a chart's base64 image in Panel mode's HTML: runs of 28,000), minutes a page. Every "@" EMAIL matches at is
# found, with the same domain, so an address to another host is never missed.
EMAIL_DOMAIN = re.compile(r"@\u2060?[\w-]+(?:\.[\w-]+)+")
LOCAL_PART = re.compile(r"[\w.+-]+$")


def allowed_hosts() -> tuple[str, ...]:
    from core.settings import settings

    return settings().allowed_link_hosts


def live_markdown_links(markdown: str, html_allowed: bool = False) -> list[str]:
    """What in this markdown would render as a link or image to a host not on the allow-list (or run script).
    With html_allowed (the app's own icons), its tags are checked as HTML and are not markdown."""
    from render.safe_text import allowed_link

    found = live_html_links(markdown) if html_allowed else []
    if html_allowed:
        markdown = re.sub(r"<[a-zA-Z/][^>]*>", lambda m: " " * len(m.group(0)), markdown)
    # Markdown syntax: an escaped character is inert (two blanks keep the positions of the original).
    syntax = ESCAPED.sub("\x00\x00", markdown)
    found += [f"{construct} (unescaped)" for construct in ("![", "<img", "<a ", "javascript:")
              if construct in syntax.lower()]
    links = list(LINK.finditer(syntax))
    found += [f"link to {m.group(1)}" for m in links if not allowed_link(m.group(1), allowed_hosts())
              and "://" in m.group(1)]
    # Autolink literals are found after escapes are resolved, outside links (Streamlit's remark-gfm).
    for m in reversed(links):
        markdown = markdown[:m.start()] + " " * (m.end() - m.start()) + markdown[m.end():]
    text = ESCAPED.sub(lambda m: m.group(0)[1], markdown)
    for literal in (m.group(0) for m in AUTOLINK_LITERAL.finditer(text)):
        literal = literal.rstrip(".,:;!?\"')")  # as remark-gfm trims a sentence's punctuation
        address = literal if "://" in literal else f"http://{literal}"  # www.… links over http; a@b.c is mailto:
        if "@" in literal or not allowed_link(address, allowed_hosts()):
            found.append(f"autolink {literal}")
    return found


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        from render.safe_text import allowed_link

        for name, value in attrs:
            value = (value or "").strip()
            if value.lower().startswith("javascript:") or name.startswith("on"):
                self.found.append(f"<{tag} {name}={value[:60]}>")
            elif tag == "a" and name == "href" and "://" in value and not allowed_link(value, allowed_hosts()):
                self.found.append(f"<a href={value[:80]}>")
            elif tag == "img" and name == "src" and not value.startswith("data:"):
                self.found.append(f"<img src={value[:80]}>")


def live_html_links(html: str) -> list[str]:
    """External links and images (and script in attributes) in an HTML fragment the app draws."""
    parser = _Tags()
    parser.feed(html)
    return parser.found


def text_of(proto) -> str:
    """Every field of an element, as text (non-ASCII characters as themselves, bytes as escapes)."""
    from google.protobuf import text_format

    return text_format.MessageToString(proto, as_utf8=True)


def walk(node):
    """Every element and block of an AppTest tree."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def page_problems(at) -> list[str]:
    """What the run drew that a visitor must never get: live links or images to other hosts, a traceback."""
    problems = [f"exception: {e.value[:200]}" for e in at.exception]
    for node in walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = getattr(node, "type", type(node).__name__)
        if "Traceback" in text_of(proto):
            problems.append(f"{kind}: a traceback")
        if kind == "html":
            problems += [f"html: {p}" for p in live_html_links(proto.body)]
        elif kind == "iframe" and proto.HasField("srcdoc"):
            problems += [f"iframe: {p}" for p in live_html_links(proto.srcdoc)]
        elif isinstance(getattr(proto, "body", None), str):  # markdown, captions, alerts, headings
            problems += [f"{kind}: {p}" for p in live_markdown_links(proto.body, getattr(proto, "allow_html", False))]
    return problems


def email_addresses(text: str) -> list[str]:
    """What EMAIL finds in text, in linear time: at each "@" with a domain after it, the word characters before it
    (at most 200: an address's local part is at most 64)."""
    found = []
    for domain in EMAIL_DOMAIN.finditer(text):
        local = LOCAL_PART.search(text, max(0, domain.start() - 200), domain.start())
        if local:
            found.append(local.group(0) + domain.group(0))
    return found


def staff_addresses(at) -> list[str]:
    """E-mail addresses anywhere in what the run drew (tables and charts included), but the hostile text's own."""
    found = set()
    for node in walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None:
            found |= {m.replace("\u2060", "") for m in email_addresses(text_of(proto))}
    return sorted(a for a in found if not a.endswith(EVIL))
