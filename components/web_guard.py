"""The web server's guard (ASGI middleware, installed by serve.py through st.App): security headers on
every HTTP response, a short life for the sign-in cookies, and no cache clearing from a browser.

Streamlit 1.67 has no setting for response headers, for the sign-in cookie's 30 days, or to turn off the
"clear cache" message that any browser may send (it empties every cache for every user); st.App's
middleware is its supported way in. Plain ASGI, no page code: it wraps the server before any page runs.
"""
from __future__ import annotations

import logging
import re

from streamlit.proto.BackMsg_pb2 import BackMsg

LOG = logging.getLogger(__name__)

# Streamlit styles with inline CSS, and runs the app's own small scripts (components/chrome.py) inline;
# everything else comes from the server itself. No page may frame the dashboard (clickjacking), and
# images load only from the server, so a stray address in text cannot make a browser fetch it.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'self' blob: data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
AUTH_COOKIES = (b"_streamlit_user",)  # the identity cookie and its token cookie (and their chunks) share this prefix
MAX_AGE = re.compile(rb"max-age=\d+", re.IGNORECASE)


def is_clear_cache(frame: bytes) -> bool:
    """Whether a websocket frame from a browser is Streamlit's "clear cache" message."""
    try:
        return BackMsg.FromString(frame).WhichOneof("type") == "clear_cache"
    except Exception:  # not a BackMsg: Streamlit itself answers that
        return False


def with_short_cookie(value: bytes, max_age_seconds: int) -> bytes:
    """A Set-Cookie value for a sign-in cookie, living max_age_seconds instead of Streamlit's 30 days."""
    if not value.startswith(AUTH_COOKIES) or b'=""' in value.split(b";", 1)[0]:
        return value  # another cookie, or a deletion (which must keep its Max-Age=0)
    return MAX_AGE.sub(b"Max-Age=%d" % max_age_seconds, value)


_installed = False  # set once the server is built with the guard (serve.py), in this process


def started_without_guard() -> bool:
    """Whether this is a server started as `streamlit run app.py`, which answers without the guard. Streamlit
    names how it was started only in a private setting (pinned by tests/test_web_guard.py); tests running
    pages in-process (AppTest) have no server, and no mode."""
    from streamlit import config

    return getattr(config, "_server_mode", None) == "starlette-managed" and not _installed


class WebGuard:
    """Pure ASGI middleware: adds SECURITY_HEADERS to every HTTP response (the first page load included),
    shortens the sign-in cookies to the sign-in lifetime, and drops "clear cache" messages (every cache is
    keyed by the data version, so nothing ever needs clearing by hand)."""

    def __init__(self, app, cookie_max_age_seconds: int) -> None:
        global _installed
        _installed = True
        self.app = app
        self.cookie_max_age_seconds = cookie_max_age_seconds

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            await self.app(scope, receive, self._with_headers(send))
        elif scope["type"] == "websocket":
            await self.app(scope, self._without_cache_clearing(receive), send)
        else:
            await self.app(scope, receive, send)

    def _with_headers(self, send):
        extra = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
        names = {name for name, _ in extra}

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(name, with_short_cookie(value, self.cookie_max_age_seconds) if name.lower() == b"set-cookie"
                            else value) for name, value in message.get("headers", []) if name.lower() not in names]
                message = {**message, "headers": headers + extra}
            await send(message)
        return send_with_headers

    def _without_cache_clearing(self, receive):
        async def receive_without_cache_clearing():
            while True:
                message = await receive()
                if message["type"] == "websocket.receive" and message.get("bytes") and is_clear_cache(message["bytes"]):
                    LOG.warning("Refused a browser's request to clear every cache (cache clearing is turned off).")
                    continue
                return message
        return receive_without_cache_clearing
