"""Helpers for browser tests: a real Streamlit server and Debian's chromium."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.browser import CHROMIUM, CHROMIUM_ARGS, stop
from replicas import wait_healthy


def require_chromium() -> None:
    """Skip on a developer machine without chromium; in CI a missing browser is a failure."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER_PIDS: dict[str, int] = {}  # url -> the server's process id, for tests that watch its memory


def peak_memory_bytes(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


@contextmanager
def streamlit_server(project_root: Path, db: Path, **options):
    """A Streamlit server over `db` on 127.0.0.1: yields its URL (see streamlit_process for the options)."""
    with streamlit_process(project_root, db, **options) as (url, process):
        SERVER_PIDS[url] = process.pid
        yield url


@contextmanager
def streamlit_process(project_root: Path, db: Path, *, port: int | None = None, secrets: Path | None = None,
                      env: dict | None = None, script: str = "serve.py"):
    """A Streamlit server over db, started as the README says (serve.py): yields its URL and its process
    (for memory readings).
    `secrets` (a secrets.toml) turns sign-in on."""
    port = port or free_port()
    env = {**os.environ, "DASHBOARD_DB": str(db), **(env or {})}
    extra = ["--secrets.files", str(secrets)] if secrets else []
    log = tempfile.TemporaryFile()  # a file, not a pipe: a long run's output never fills a buffer and stalls the server
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", *extra],
        cwd=project_root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(url, process, f"streamlit at {url}", timeout_s=60)
        except RuntimeError as error:
            log.seek(0)
            raise RuntimeError(f"{error}:\n{log.read().decode(errors='replace')}") from None
        yield url, process
    finally:
        stop(process)
        log.close()


def open_whole_page(page, url: str) -> None:
    """Open a page of the app and wait until it has run to its end: the footer's statement link is drawn
    last (the paper reads its figures for seconds on a first view), so a page that lost its footer fails here."""
    page.goto(url)
    wait_whole_page(page)


# A switch to another page as the browser's Back and Forward buttons make one: Streamlit's client reads the new
# address and reruns for its page in the same session, with no reload (see open_in_the_same_tab).
SWITCH_TO = "(url) => { history.pushState(null, '', url); dispatchEvent(new PopStateEvent('popstate')); }"
# Focus on the document and the page at its top, as after a load (focus() sets where the next Tab starts from).
FOCUS_AT_THE_START = """() => {
    document.body.tabIndex = -1;
    document.body.focus({preventScroll: true});
    document.body.removeAttribute('tabindex');
    window.scrollTo(0, 0); }"""


# The switch has drawn its page: the new title and h1, the app not running, nothing left of the page before (stale),
# and focus on the h1 (the app moves it there once the page is drawn). A quick page's run can start and end inside
# one update of the page, leaving the run-state attribute unchanged, so WATCH_RUNS may not see it: the state it
# keeps is then moved on to the run's end (MARK_RUN_ENDED), for wait_idle and wait_settled.
SWITCHED = """([title, app]) => {
  const h1 = document.querySelector('[data-testid="stMain"] h1');
  const state = document.querySelector('[data-testid="stApp"]').getAttribute('data-test-script-state');
  return document.title === `${title} – ${app}` && Boolean(h1) && h1.textContent.trim() === title
      && state === 'notRunning' && !document.querySelector('[data-stale="true"]') && document.activeElement === h1;
}"""
MARK_RUN_ENDED = "() => { const runs = window.__runs, now = performance.now(); runs.started = runs.ended = now; }"
APP_NAME = "Partnership performance dashboard"  # components/chrome.py: the app's name in every page title


def open_in_the_same_tab(page, url: str, title: str) -> None:
    """Open a page of the app, titled `title`, in a tab already showing another of its pages, as open_whole_page
    does but without reloading the document: a load costs 1-3 s of chromium's CPU, a switch a third of that. The
    page is drawn as a load draws it (a one-off comparison of every view of the walk, 8 December 2026: the same
    title, h1, elements, expanders, text, address and scroll); the app then moves focus to the new h1, as after any
    page switch, so focus is put back on the document, where a load leaves it.
    A view named by query parameters, or another view of the page already shown, is loaded (open_whole_page):
    Streamlit keeps the session's widget values over the address's there (the explorer's Areas view kept the
    sidebar of the view before it)."""
    from urllib.parse import urlsplit

    current, target = urlsplit(page.url), urlsplit(url)
    if (target.query or current.netloc != target.netloc or current.path.rstrip("/") == target.path.rstrip("/")
            or not page.evaluate("() => Boolean(window.__runs && window.__runs.count)")):
        open_whole_page(page, url)
        return
    page.evaluate(SWITCH_TO, target.path or "/")
    page.wait_for_function(SWITCHED, arg=[title, APP_NAME], timeout=60000, polling=50)
    page.evaluate(MARK_RUN_ENDED)
    wait_whole_page(page)
    page.evaluate(FOCUS_AT_THE_START)
    page.mouse.move(-10, -10)  # and the pointer off the page (the last check's clicks left it where the new page may
    # have a chart, which then shows its toolbar over the controls above it)


def wait_whole_page(page) -> None:
    """open_whole_page's wait: the h1, then the footer's statement link, then the run's end."""
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60000)
    page.locator('[data-testid="stMain"]').get_by_role("link", name="Accessibility statement", exact=True).wait_for(
        timeout=60000)
    wait_idle(page)


# One chromium for a test module's tests, each test in a fresh context (its own cookies and session): launching
# chromium costs seconds on a busy machine, a context a fraction of one. Not one for the whole session: Playwright's
# sync API holds an asyncio loop as the main thread's running loop while it is started, so another module's
# asyncio.run would fail; conftest's one_chromium_per_module closes it when the worker moves to another module.
_shared: dict[str, object] = {}

# Installed in every page before its own scripts (see fresh_context): what wait_idle and wait_settled read.
# `sent` is when the page last sent the server a message (a widget's change asks for a rerun), `started`/`ended`
# when a script run last started/ended (the state Streamlit writes on its root element), `changed` the last change
# to the document.
WATCH_RUNS = """(() => {
  if (window.__runs) return;
  const runs = window.__runs = {sent: 0, started: 0, ended: 0, count: 0, changed: 0};
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (...args) { runs.sent = performance.now(); return send.apply(this, args); };
  new MutationObserver(mutations => {
    const now = performance.now();
    runs.changed = now;
    const states = mutations.filter(m => m.attributeName === 'data-test-script-state');
    if (!states.length) return;
    const state = states[0].target.getAttribute('data-test-script-state');
    if (state !== 'notRunning' || states.some(m => ['running', 'rerunRequested'].includes(m.oldValue))) runs.started = now;
    if (state === 'notRunning') { runs.ended = now; runs.count += 1; }
  }).observe(document, {subtree: true, childList: true, characterData: true, attributes: true, attributeOldValue: true});
})()"""


def shared_chromium():
    """This module's chromium, launched on first use."""
    browser = _shared.get("browser")
    if browser is None or not browser.is_connected():
        from playwright.sync_api import sync_playwright

        close_shared_chromium()
        _shared["playwright"] = playwright = sync_playwright().start()
        _shared["browser"] = browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                                 args=CHROMIUM_ARGS)
    return browser


def close_shared_chromium() -> None:
    browser, playwright = _shared.pop("browser", None), _shared.pop("playwright", None)
    try:
        if browser is not None and browser.is_connected():
            browser.close()
    finally:
        if playwright is not None:
            playwright.stop()


def fresh_context(browser=None, width: int = 1400, height: int = 1000, **options):
    """A new browser context (a new visitor: no cookies, no session) that watches Streamlit's runs for wait_idle."""
    context = (browser or shared_chromium()).new_context(viewport={"width": width, "height": height}, **options)
    context.add_init_script(WATCH_RUNS)
    return context


@contextmanager
def chromium_page(width: int = 1400, height: int = 1000):
    """A page in a fresh context of the shared chromium, closed at the end."""
    context = fresh_context(None, width, height)
    try:
        yield context.new_page()
    finally:
        context.close()


def choose(page, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox found by its label."""
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True))
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


QUIET_AFTER_RUN_MS = 100  # a run that follows straight on (st.rerun, a fragment) starts within this
NO_RUN_AFTER_MS = 2000  # a message to the server that starts no run within this asked for none
IDLE = """([quiet, noRun]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const runs = window.__runs, now = performance.now();
  if (!runs) return !document.querySelector('[data-testid="stStatusWidget"]');  // a context without WATCH_RUNS
  if (runs.count === 0) return false;  // the page's first run has not ended
  return runs.started >= runs.sent ? now - runs.ended >= quiet : now - runs.sent >= noRun;
}"""


def wait_idle(page, timeout_ms: float = 30000) -> None:
    """Wait until Streamlit has finished the rerun: the script is not running, and the last message the page sent
    (a widget's change) has had its run, or none followed it."""
    page.wait_for_function(IDLE, arg=[QUIET_AFTER_RUN_MS, NO_RUN_AFTER_MS], timeout=timeout_ms, polling=50)


SETTLED = """(quiet) => {
  const runs = window.__runs;
  const animating = document.getAnimations().some(a => a.playState === 'running'
      && a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  return document.fonts.status === 'loaded' && !animating && (!runs || performance.now() - runs.changed >= quiet);
}"""


def wait_settled(page, quiet_ms: float = 250) -> None:
    """After wait_idle: until the page has stopped changing (charts draw, expanders open and fonts load after the
    run ends), that is no change to the document for quiet_ms, no transition under way and the fonts loaded. A page
    that never stops changing is measured as it is after 10 s, as a fixed wait would."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    wait_idle(page)
    try:
        page.wait_for_function(SETTLED, arg=quiet_ms, timeout=10000, polling=50)
    except PlaywrightTimeout:
        pass


PANEL_SIZES = [(1920, 1080), (1280, 720)]  # the Panel's two screens


def at_each_size(page, sizes=PANEL_SIZES):
    """Yields each (width, height) of sizes once the page is laid out for it: the page is loaded at the first and
    the window resized for the others (a page load costs seconds; the app lays out again for a new width)."""
    for number, (width, height) in enumerate(sizes):
        if number:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_function(f"() => document.querySelector('[data-testid=\"stMain\"]')"
                                   f".getBoundingClientRect().right === {width}")
            wait_settled(page)  # charts are drawn again for their new width
        yield width, height


@contextmanager
def oidc_provider(emails: list[str], unverified: tuple[str, ...] = ()):
    """A local OpenID Connect provider (oidc-provider-mock) offering one predefined user per address, each with
    a verified address except those in `unverified`."""
    from oidc_provider_mock import User, run_server_in_thread

    users = [User(sub=email, claims={"email": email, "name": email.split("@")[0],
                                     "email_verified": email not in unverified}) for email in emails]
    with run_server_in_thread(port=free_port(), user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


def auth_secrets(folder: Path, app_port: int, provider: str) -> Path:
    """A secrets.toml whose [auth] section signs in through the local provider."""
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        'cookie_secret = "browser-tests-only-cookie-secret-Hq3ZtN8pW"\n'
        'client_id = "dashboard-browser-tests"\n'
        'client_secret = "browser-tests-only"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    return path


def as_shown(text: str):
    """A pattern for text as the page shows it: untrusted text (render/safe_text.plain) carries an invisible
    word joiner inside addresses so markdown cannot turn them into links."""
    import re

    return re.compile("\u2060?".join(re.escape(c) for c in text))


def sign_in(page, app_url: str, email: str) -> None:
    """Sign in through the sidebar button and the provider's page for a predefined user."""
    page.goto(app_url)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=email, exact=True).click()  # the mock provider's predefined user
    page.wait_for_url(f"{app_url}/**", timeout=60000)
    page.get_by_text(as_shown(f"Signed in as {email}")).first.wait_for(timeout=60000)
    wait_idle(page)


@contextmanager
def signed_in_page(browser, app_url: str, email: str, width: int = 1920, height: int = 1080):
    """A page of a fresh context of `browser`, signed in as `email`; its context is closed at the end."""
    context = fresh_context(browser, width, height)
    try:
        page = context.new_page()
        sign_in(page, app_url, email)
        yield page
    finally:
        context.close()
