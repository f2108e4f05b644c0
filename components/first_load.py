"""A new visitor's first page, asked for early: the code of the elements every page draws, and the italic font, are
named in the page's <head> (preload), so the browser fetches them while it starts Streamlit's own code.

Streamlit's frontend loads the code of each kind of element (a select box, a radio, a download button...) only
when the first one arrives over the websocket, once the page's script has started: about 40 small files in
chains (a file names the next), six at a time, from the server that is running the new session's script. On a
first visit that came after the page's content and was most of why the Overview settled later than an app that
shows only a title. The files and what each needs are read from Streamlit's own build (its index script lists
them), so they follow a Streamlit upgrade; an element not found there is simply not preloaded.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import streamlit

# The elements of the sidebar, footer and Overview, which a first visit to any page draws (pages draw more:
# each of those loads when first drawn, as before).
FIRST_SCREEN_ELEMENTS = ("Html", "Selectbox", "Radio", "NumberInput", "Button", "PageLink", "Checkbox", "LinkButton",
                         "DownloadButton")
# Italic text (the RAG rule under the Overview's table, notes on other pages) needs the italic face, which the browser
# fetched only once that text was drawn. Streamlit's labels measure themselves again when every font has loaded
# (document.fonts.ready): that late fetch made the page's last changes, after everything else had settled.
FIRST_SCREEN_FONTS = ("SourceSansVF-Italic",)
STATIC = Path(streamlit.__file__).parent / "static"
HEAD_END = b"</head>"


@cache
def element_files(static: Path = STATIC, elements: tuple[str, ...] = FIRST_SCREEN_ELEMENTS) -> tuple[str, ...]:
    """The script files (under static/js) the elements need, in the order the build lists them, without those
    Streamlit's index.html preloads already."""
    js = static / "static" / "js"
    scripts = sorted(js.glob("index.*.js"))
    index = scripts[0].read_text(encoding="utf-8") if scripts else ""
    listed = re.search(r"m\.f=\[([^\]]*)\]", index)
    if listed is None:  # a build laid out otherwise: nothing preloaded, the page works as before
        return ()
    deps = [name.strip("\"'`").removeprefix("./") for name in listed.group(1).split(",")]
    preloaded = set(re.findall(r'static/js/([\w.-]+\.js)', (static / "index.html").read_text(encoding="utf-8")))
    files: dict[str, None] = {}
    for element in elements:
        found = re.search(rf"import\(`\./({element}\.[\w-]+\.js)`\),__vite__mapDeps\(\[([\d,]+)\]\)", index)
        if found is None:
            continue
        for name in [found.group(1), *(deps[int(i)] for i in found.group(2).split(",") if int(i) < len(deps))]:
            if name not in preloaded and (js / name).is_file():
                files[name] = None
    return tuple(files)


@cache
def font_files(static: Path = STATIC, fonts: tuple[str, ...] = FIRST_SCREEN_FONTS) -> tuple[str, ...]:
    """The font files (under static/media) of the faces named, as Streamlit's build names them."""
    media = static / "static" / "media"
    return tuple(path.name for face in fonts for path in sorted(media.glob(f"{face}.*.woff2"))[:1])


def preload_links(files: tuple[str, ...], fonts: tuple[str, ...] = ()) -> bytes:
    return b"".join([*(b'<link rel="modulepreload" crossorigin href="./static/js/%s">' % name.encode() for name in files),
                     *(b'<link rel="preload" href="./static/media/%s" as="font" type="font/woff2" crossorigin>'
                       % name.encode() for name in fonts)])


class FirstLoad:
    """ASGI middleware (serve.py): the page's HTML (Streamlit's index.html, served for every page's address) gets
    the preload links before </head>. Its ETag and Last-Modified go, since the body is no longer the file's."""

    def __init__(self, app, links: bytes | None = None) -> None:
        self.app = app
        self.links = preload_links(element_files(), font_files()) if links is None else links

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or not self.links:
            await self.app(scope, receive, send)
            return
        start: dict | None = None
        body = []

        async def send_with_links(message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if message.get("status") == 200 and headers.get(b"content-type", b"").startswith(b"text/html"):
                    start = message  # held until the whole body is here
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                html = b"".join(body).replace(HEAD_END, self.links + HEAD_END, 1)
                headers = [(name, value) for name, value in start.get("headers", [])
                           if name.lower() not in (b"content-length", b"etag", b"last-modified")]
                await send({**start, "headers": [*headers, (b"content-length", str(len(html)).encode())]})
                message = {"type": "http.response.body", "body": html}
            await send(message)

        await self.app(scope, receive, send_with_links)
