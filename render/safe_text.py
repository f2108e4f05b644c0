"""Untrusted text stays text: commentary, reasons, names and file names are shown inertly.

Streamlit's markdown already drops raw HTML; these functions also stop markdown from
turning someone's text into images, links or formatting. Commentary may carry links, but
only http(s) links to hosts the co-ordinator allows (settings: allowed_link_hosts), written
as plain addresses in the text.

Escaping alone does not stop links: Streamlit's markdown (remark-gfm) turns addresses such as
`https://…`, `www.…` and `name@host.tld` into links after the escapes are read, wherever they
stand in the text. plain() therefore puts an invisible WORD JOINER (U+2060) inside each such
address, where the pattern needs its characters side by side: the reader sees the same text,
and nothing links.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$:])")
ADDRESS = re.compile(r"https?://[^\s<>\"'\])]+", re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?"  # a sentence's full stop after an address is not part of it
WORD_JOINER = "\u2060"
# Where GFM's autolink literals (https?://, www., e-mail and mailto:/xmpp:) need two characters together.
AUTOLINK_JOINS = re.compile(r"(?i)(?<=[a-z]:)(?=//)|(?<=www)(?=\.)|(?<=@)(?=[-\w])|(?<=mailto:)|(?<=xmpp:)")
HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
NETLOC = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?")
DEFAULT_PORTS = {"http": 80, "https": 443}
DESTINATION_SAFE = "/:?#&=%+,~-._!$*;@"  # every other character (parentheses, brackets, quotes) is percent-encoded


def escaped(text) -> str:
    """Every markdown character escaped, for text already inside a link (where nothing autolinks)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def plain(text) -> str:
    """The text with every markdown character escaped and no address left to autolink: shown as written,
    nothing rendered."""
    return escaped(AUTOLINK_JOINS.sub(WORD_JOINER, str(text)))


def allowed_link(address: str, allowed_hosts: tuple[str, ...]) -> bool:
    """True only for a plain http(s) address on an allowed host or its subdomain.

    Refused: user information (`gov.uk@evil.example`), backslashes, percent-encoding or non-ASCII
    characters in the host, punycode (`xn--`) labels, ports other than the scheme's own, and
    anything urllib cannot split. The host is compared after parsing, label by label.
    """
    if not address.isascii() or "\\" in address or any(c.isspace() or ord(c) < 32 for c in address):
        return False
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not NETLOC.fullmatch(parts.netloc):
        return False  # the netloc pattern leaves no room for user@, %-escapes, [IPv6] or an empty port
    host = (parts.hostname or "").lower()
    if not HOST.fullmatch(host) or any(label.startswith("xn--") for label in host.split(".")):
        return False
    if port is not None and port != DEFAULT_PORTS[scheme]:
        return False
    return any(host == h or host.endswith(f".{h}") for h in allowed_hosts if h)


def safe_markdown(text: str, allowed_hosts: tuple[str, ...] = ()) -> str:
    """Text escaped as plain(), except that http(s) addresses on an allowed host become links.

    Anything else that looks like a link, an image or HTML is shown as its own characters.
    """
    parts, position = [], 0
    for match in ADDRESS.finditer(text):
        address = match.group(0).rstrip(TRAILING_PUNCTUATION)
        end = match.start() + len(address)
        parts.append(plain(text[position:match.start()]))
        if allowed_link(address, allowed_hosts):
            parts.append(f"[{escaped(address)}]({quote(address, safe=DESTINATION_SAFE)})")
        else:
            parts.append(plain(address))
        position = end
    parts.append(plain(text[position:]))
    return "".join(parts)
