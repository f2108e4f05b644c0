"""Untrusted text stays text: commentary, reasons, names and file names are shown inertly.

Streamlit's markdown already drops raw HTML; these functions also stop markdown from
turning someone's text into images, links or formatting. Commentary may carry links, but
only http(s) links to hosts the co-ordinator allows (settings: allowed_link_hosts), written
as plain addresses in the text.
"""
from __future__ import annotations

import re
from urllib.parse import urlparse

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$:])")
ADDRESS = re.compile(r"https?://[^\s<>\"'\])]+", re.IGNORECASE)


def plain(text) -> str:
    """The text with every markdown character escaped: shown exactly as written, nothing rendered."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def safe_markdown(text: str, allowed_hosts: tuple[str, ...] = ()) -> str:
    """Text escaped as plain(), except that http(s) addresses on an allowed host become links.

    Anything else that looks like a link, an image or HTML is shown as its own characters.
    """
    parts, position = [], 0
    for match in ADDRESS.finditer(text):
        parts.append(plain(text[position:match.start()]))
        address = match.group(0)
        host = (urlparse(address).hostname or "").lower()
        allowed = any(host == h or host.endswith(f".{h}") for h in allowed_hosts)
        parts.append(f"[{plain(address)}]({address})" if allowed else plain(address))
        position = match.end()
    parts.append(plain(text[position:]))
    return "".join(parts)
