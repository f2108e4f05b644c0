"""A new visitor's first Overview (issue #22: first settled Overview against an app that shows only a title): what
the server does per new session, what it sends, and what the browser has to fetch after the page's script has
started. Not timed: each test checks the cause a measurement found (README, speed section)."""
from __future__ import annotations

import re
import tomllib
import urllib.request

from conftest import PROJECT_ROOT
from streamlit.testing.v1 import AppTest

from components.first_load import FIRST_SCREEN_ELEMENTS, STATIC, FirstLoad, element_files, preload_links

# Streamlit's markdown loads its emoji plugin (and a 260 KB emoji table) for any text this matches (the frontend's
# own test, StreamlitMarkdown's source, Streamlit 1.67).
EMOJI_CODE = re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:")
PRELOAD = re.compile(r'<link rel="modulepreload" crossorigin href="\./static/js/([\w.-]+\.js)">')
FONT = re.compile(r'<link rel="preload" href="\./static/media/([\w.-]+\.woff2)" as="font"')


def first_overview() -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    return at


def elements(node):
    """Every element under an AppTest node (blocks walked, not counted)."""
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    for child in children.values():
        yield from elements(child)


def test_the_served_app_watches_no_source_files():
    """Streamlit's file watcher walked every imported module (about 2,300) for each new session to watch its file:
    most of a new visitor's server CPU. The project's config (read by `streamlit run serve.py` and the replicas)
    turns it off."""
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"


def html_bodies(node) -> list[str]:
    return [element.proto.body for element in elements(node) if type(element.proto).__name__ == "Html"]


DRAFT_ITEM = re.compile(r"<li>(.*?)</li>")


def test_a_first_overview_is_a_few_dozen_elements_and_its_drafts_one_html_list(app_env):
    """The drafted narrative was a markdown element per measure (42 of the run's 79 messages, each parsed and
    laid out on its own in the browser), then one markdown list, still the costliest element for the browser to
    draw on a first visit (Streamlit's markdown renderer parsed its 40 sentences): now one list written as HTML,
    every measure's draft still in it, and no markdown left in the expander."""
    at = first_overview()
    drawn = list(elements(at._tree))
    assert len(drawn) <= 40, len(drawn)
    expander = at.expander[0]
    assert len(expander.markdown) == 0
    bodies = html_bodies(expander)
    assert len(bodies) == 1
    items = DRAFT_ITEM.findall(bodies[0])
    assert len(items) >= 30 and all(item.startswith("<strong>Draft.</strong> ") for item in items)


def test_the_drafts_are_the_rows_sentences_as_written_each_escaped(demo_con):
    """Each item is its row's sentence, as text: HTML in a sentence (a reason or a name from a return) stays text."""
    from html import unescape

    import dashboard_data
    from analysis import calendar as cal
    from analysis.overview import overview_rows
    from render.overview_table import drafts_html

    table = dashboard_data.overview(demo_con, area_id="E23000021", area_name="E23000021", period=cal.quarter(2021, 3))
    items = DRAFT_ITEM.findall(drafts_html(table))
    assert [unescape(item.removeprefix("<strong>Draft.</strong> ")) for item in items] == \
        [row.narrative for row in overview_rows(table)]
    hostile = table.assign(narrative='<img src=x onerror="alert(1)"> & <b>bold</b>')
    html = drafts_html(hostile)
    assert "<img" not in html and "<b>" not in html and "&lt;img src=x" in html


def test_no_text_on_a_first_overview_reads_as_an_emoji_code(app_env):
    """A time such as 19:00-07:00 in a measure's draft matched Streamlit's emoji pattern, so every first visit
    fetched the emoji plugin and table and drew the markdown twice; the drafts are HTML now, and no markdown on the
    page has such a code."""
    at = first_overview()
    texts = [node.proto.body for node in elements(at._tree) if type(node.proto).__name__ == "Markdown"]
    assert any("19:00-07:00" in body for body in html_bodies(at.expander[0]))  # the licensed-premises hours, shown
    assert texts and [text for text in texts if EMOJI_CODE.search(text)] == []


def lazily_loaded(kind: str) -> bool:
    """Whether Streamlit's frontend loads this element's code only when one is first drawn (a dynamic import)."""
    index = next((STATIC / "static" / "js").glob("index.*.js")).read_text(encoding="utf-8")
    return re.search(rf"import\(`\./{kind}\.[\w-]+\.js`\)", index) is not None


def test_every_element_a_first_overview_draws_has_its_code_preloaded(app_env):
    """Each kind of element whose frontend code Streamlit loads lazily, drawn on a first visit to the Overview, is
    in the list the page's head preloads (with what it needs), so no chain of fetches starts after the script."""
    kinds = {type(node.proto).__name__ for node in elements(first_overview()._tree)}
    lazy = {kind for kind in kinds if lazily_loaded(kind)}
    assert {"Selectbox", "Html", "DownloadButton"} <= lazy  # the check reads Streamlit's build
    assert lazy <= set(FIRST_SCREEN_ELEMENTS), lazy - set(FIRST_SCREEN_ELEMENTS)
    files = element_files()
    for kind in FIRST_SCREEN_ELEMENTS:
        assert any(name.startswith(f"{kind}.") for name in files), kind


def test_the_served_page_preloads_that_code_and_the_italic_font_and_every_file_it_names_is_served(server):
    for path in ("/", "/explorer"):
        with urllib.request.urlopen(server + path, timeout=30) as response:
            html = response.read().decode()
            assert int(response.headers["Content-Length"]) == len(html.encode())
        head = html.split("</head>", 1)[0]
        named = PRELOAD.findall(head)
        assert any(name.startswith("Selectbox.") for name in named) and len(named) == len(set(named))
    fonts = FONT.findall(head)
    assert any(name.startswith("SourceSansVF-Italic.") for name in fonts)
    for name in set(named) - set(PRELOAD.findall(open(STATIC / "index.html", encoding="utf-8").read())):
        with urllib.request.urlopen(f"{server}/static/js/{name}", timeout=30) as response:
            assert response.status == 200
    for name in fonts:
        with urllib.request.urlopen(f"{server}/static/media/{name}", timeout=30) as response:
            assert response.status == 200


def run_asgi(middleware, content_type: bytes, body: bytes, method: str = "GET") -> list[dict]:
    import asyncio

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", content_type), (b"content-length", str(len(body)).encode()), (b"etag", b'"x"')]})
        await send({"type": "http.response.body", "body": body[:10], "more_body": True})
        await send({"type": "http.response.body", "body": body[10:]})

    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(middleware(app)({"type": "http", "method": method}, None, send))
    return sent


def test_only_the_page_html_gets_the_links_with_its_length_put_right():
    links = preload_links(("Selectbox.abc.js",))
    page = b"<html><head><title>x</title></head><body></body></html>"
    start, body = run_asgi(lambda app: FirstLoad(app, links), b"text/html; charset=utf-8", page)
    headers = dict(start["headers"])
    assert body["body"] == page.replace(b"</head>", links + b"</head>")
    assert int(headers[b"content-length"]) == len(body["body"]) and b"etag" not in headers
    script = run_asgi(lambda app: FirstLoad(app, links), b"application/javascript", b"x" * 30)
    assert b"".join(m.get("body", b"") for m in script[1:]) == b"x" * 30  # anything else passes untouched


def test_a_streamlit_build_laid_out_otherwise_preloads_nothing(tmp_path):
    """The server still starts, with the page as Streamlit serves it."""
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "index.html").write_text("<html><head></head></html>", encoding="utf-8")
    assert element_files(tmp_path) == () and preload_links(()) == b""


SVG_IMAGE = re.compile(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+")
ICON = re.compile(r'<span class="ic (ic-[\w-]+)" role="img" aria-label="([^"]+)" title="([^"]+)"></span>')


def test_the_overview_table_holds_each_icons_image_once_and_every_icon_keeps_its_words(demo_con):
    """The table drew each SPC icon as an <img> with its own copy of the SVG (76 copies of 7 images for the force in a
    quarter, two thirds of its 82 KB), each parsed and decoded by the browser on a first load: each image is now in the
    table once, in its class's CSS rule, and every icon is still an image named by its words (as alt and title)."""
    from html import unescape

    import dashboard_data
    from analysis import calendar as cal
    from analysis.overview import overview_rows
    from render.overview_table import overview_html
    from render.spc_icons import ASSURANCE, PROVISIONAL_LIMITS, VARIATION

    words = {label for _, _, label in [*VARIATION.values(), *ASSURANCE.values()]}
    words |= {f"{label} ({PROVISIONAL_LIMITS})" for label in words}
    for area in ("E23000021", "E06000016", "E07000133"):
        for period in (cal.quarter(2020, 1), cal.quarter(2021, 3)):
            table = dashboard_data.overview(demo_con, area_id=area, area_name=area, period=period)
            html = overview_html(table, period.label, {}, {i: f"{i}. Priority" for i in range(1, 19)})
            images = SVG_IMAGE.findall(html)
            assert len(images) == len(set(images)), (area, period.label)
            icons = ICON.findall(html)
            drawn = sum(row.has_spc and not (row.value == "–" and row.rag == "Not rated") for row in overview_rows(table))
            assert len(icons) == 2 * drawn and "<img" not in html, (area, period.label)
            assert len(icons) > 2 * len(images)  # not vacuous: icons share their images
            for css_class, label, title in icons:
                assert label == title and unescape(label) in words
                assert html.count(f".{css_class} {{background-image") == 1, css_class  # its image, once
            # one image per distinct icon drawn, each with its own words
            assert len(images) == len({css_class for css_class, _, _ in icons}) == len({label for _, label, _ in icons})
