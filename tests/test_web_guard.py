"""The web server's guard (serve.py, components/web_guard.py): security headers on every response, short-lived
sign-in cookies, and no cache clearing from a browser (#23, items 6 and 14)."""
from __future__ import annotations

import asyncio
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import streamlit
from browser import chromium_page, open_whole_page, wait_idle
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from components.web_guard import AUTH_COOKIES, SECURITY_HEADERS, is_clear_cache, with_short_cookie


def headers_of(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return {name.lower(): value for name, value in response.headers.items()}


def test_every_response_carries_the_security_headers(server):
    """The first page load (/ and a deep link), a static asset and the health check: each is refused to frames
    and carries the policy, so a co-ordinator's form cannot be framed by another site."""
    index = urllib.request.urlopen(server, timeout=30).read().decode()
    script = index.split('src="./static/js/', 1)[1].split('"', 1)[0]
    for path in ("/", "/explorer", "/data?mode=panel", f"/static/js/{script}", "/_stcore/health"):
        headers = headers_of(server + path)
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name.lower()) == value, (path, name)
        assert "frame-ancestors 'none'" in headers["content-security-policy"]


def cached_functions(url: str) -> set[str]:
    """The st.cache_data functions holding entries, from the server's own metrics (refreshed every 5 s)."""
    text = urllib.request.urlopen(f"{url}/_stcore/metrics?families=cache_memory_bytes", timeout=30).read().decode()
    return {line.split('cache="', 1)[1].split('"', 1)[0] for line in text.splitlines()
            if 'cache_type="st_cache_data"' in line and not line.rstrip().endswith(" 0")}


async def run_overview(url: str, then_clear_cache: bool = False) -> bytes:
    """As any anonymous browser can: open a session and run the Overview (its messages are returned), then,
    if asked, send Streamlit's "clear cache"."""
    import websockets

    received = b""
    async with websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None) as socket:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        await socket.send(rerun.SerializeToString())
        while True:
            frame = await socket.recv()
            received += frame
            if ForwardMsg.FromString(frame).WhichOneof("type") == "script_finished":
                break
        if then_clear_cache:
            clear = BackMsg()
            clear.clear_cache = True
            await socket.send(clear.SerializeToString())
            await asyncio.sleep(1)
    return received


def run_async(coroutine):
    """asyncio.run in a thread of its own: while this module's chromium is open (tests/browser.py), Playwright's sync
    API holds the main thread's event loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_a_browser_cannot_clear_the_servers_caches(server):
    """Through the real message path: the cached queries survive an anonymous clear-cache message."""
    run_async(run_overview(server))
    deadline = time.monotonic() + 60
    while "components.database._read" not in (before := cached_functions(server)):  # metrics are redone every 5 s
        assert time.monotonic() < deadline, before
        time.sleep(0.5)
    run_async(run_overview(server, then_clear_cache=True))
    time.sleep(5.5)  # the metrics of cache memory are recomputed at most every 5 s: now they are, since the clear
    assert before <= cached_functions(server)


def test_a_server_started_without_the_guard_offers_no_sign_in(demo_db, tmp_path):
    """`streamlit run app.py` (the old command) has none of the headers: sign-in stays off and the page says how
    to start it."""
    from browser import auth_secrets, free_port, streamlit_process
    from conftest import PROJECT_ROOT

    port = free_port()
    secrets = auth_secrets(tmp_path, port, "http://127.0.0.1:9")  # the provider is never reached
    with streamlit_process(PROJECT_ROOT, demo_db, port=port, secrets=secrets, script="app.py") as (url, _):
        shown = run_async(run_overview(url))
    assert b"Sign-in is turned off" in shown and b"streamlit run serve.py" in shown
    assert b"Sign in to load data" not in shown  # the Sign in button's help


@pytest.mark.browser
def test_pages_render_under_the_content_security_policy(server):
    """The policy breaks nothing: pages with tables, charts and the paper's embedded preview draw in chromium
    with no policy violation."""
    with chromium_page() as page:
        violations = []
        page.on("console", lambda message: message.text.startswith("CSP:") and violations.append(message.text))
        page.add_init_script("document.addEventListener('securitypolicyviolation', event => "
                             "console.error('CSP: ' + event.violatedDirective + ' ' + event.blockedURI))")
        for path in ("/", "/explorer"):
            open_whole_page(page, server + path)
        page.goto(server + "/paper")
        page.locator("iframe").first.wait_for(timeout=180000)  # the paper's preview (a first view typesets it)
        wait_idle(page)
        assert violations == []


def test_the_sign_in_cookies_last_as_long_as_a_sign_in():
    streamlit_cookie = b'_streamlit_user="abc|1|x"; HttpOnly; Max-Age=2592000; Path=/; SameSite=lax'
    assert b"Max-Age=3600;" in with_short_cookie(streamlit_cookie, 3600)
    assert with_short_cookie(b'_streamlit_xsrf="t"; Max-Age=2592000; Path=/', 3600).endswith(b"Max-Age=2592000; Path=/")
    deletion = b'_streamlit_user_tokens=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/'
    assert with_short_cookie(deletion, 3600) == deletion


def test_the_streamlit_hooks_the_guard_relies_on_are_where_it_expects():
    """An upgrade of Streamlit that moves any of these must fail here, loudly: check web_guard.py still applies."""
    import inspect

    from streamlit.runtime.app_session import AppSession
    from streamlit.web import bootstrap
    from streamlit.web.server.server_util import AUTH_COOKIE_NAME, TOKENS_COOKIE_NAME

    assert streamlit.__version__ == "1.67.0", "Streamlit changed: check components/web_guard.py, then this pin"
    assert all(name.encode().startswith(AUTH_COOKIES) for name in (AUTH_COOKIE_NAME, TOKENS_COOKIE_NAME))
    assert hasattr(AppSession, "_handle_clear_cache_request")
    assert "starlette-managed" in inspect.getsource(bootstrap.run)  # how `streamlit run app.py` names itself
    message = BackMsg()
    message.clear_cache = True
    assert is_clear_cache(message.SerializeToString())
    assert not is_clear_cache(BackMsg(app_heartbeat=True).SerializeToString())
    assert not is_clear_cache(b"\xff\x00not a message")
