"""Timing the app in Debian's chromium (Playwright), and the server's memory.

"Settled" is measured in the page: from the click that makes the change (its event time) to the
last change of the page's DOM, once Streamlit has finished the rerun and nothing has changed for
a while; "chart redrawn" to the last change inside a chart. The quiet wait is not counted, so the
figures are what a user waits for.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import PROJECT_ROOT
from replicas import wait_healthy

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUIET_MS = 600  # no DOM change for this long after the rerun: the page has settled
WATCH = """
window.__bench = {click: 0, last: 0, chart: 0};
document.addEventListener('click', (event) => { window.__bench.click = performance.now(); }, true);
new MutationObserver((mutations) => {
    const now = performance.now();
    window.__bench.last = now;
    for (const mutation of mutations) {
        const target = mutation.target.nodeType === 1 ? mutation.target : mutation.target.parentElement;
        if (target && target.closest && target.closest('[data-testid="stVegaLiteChart"]')) {
            window.__bench.chart = now;
        }
    }
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""
# Running: the script, or an element still shown as Streamlit's placeholder while its code loads. On a busy machine
# the placeholders of a first Overview were replaced 0.4-3 s after the last change before them, long enough to be
# taken for settled (3 of 20 first loads at load average 20-28), which left them out of the time; the title-only
# app draws none, so it flattered the ratio.
STATE = """() => ({click: window.__bench.click, last: window.__bench.last, chart: window.__bench.chart,
    now: performance.now(), running: !!document.querySelector(
        '[data-testid="stStatusWidget"], [data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')})"""


@contextmanager
def streamlit_server(script: Path, port: int, db: Path | None = None, *options: str):
    """A Streamlit server for script on 127.0.0.1:port (`options`: more for `streamlit run`); yields (url, process)."""
    env = {**os.environ, **({"DASHBOARD_DB": str(db)} if db else {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false", *options],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, f"streamlit at {url}")
        yield url, process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright  # only the browser measurements need Playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, url: str, width: int = 1920, height: int = 1080):
    return open_page_busy(browser, url, width, height)[0]


def open_page_busy(browser, url: str, width: int = 1920, height: int = 1080):
    """A new tab opened at url and settled, with the CPU seconds the browser's processes (the tab's renderer, the
    GPU and network processes, the browser itself) used meanwhile: the browser's own work, which waiting on the
    network or the server does not count and other work on the machine inflates far less than wall time."""
    devtools = browser.new_browser_cdp_session()
    before = browser_cpu(devtools)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.add_init_script(WATCH)
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=120_000)  # the script has run
    settle(page, since_click=False)
    after = browser_cpu(devtools)
    devtools.detach()
    return page, sum(seconds - before.get(process, 0.0) for process, seconds in after.items())


def browser_cpu(devtools) -> dict[int, float]:
    """CPU seconds of each of the browser's processes so far (Chromium's SystemInfo domain)."""
    return {info["id"]: info["cpuTime"] for info in devtools.send("SystemInfo.getProcessInfo")["processInfo"]}


@dataclass(frozen=True)
class Settled:
    """Seconds from the click to the last change of the page, and of a chart (NaN if no chart changed)."""

    page: float
    chart: float


def settle(page, *, since_click: bool = True, timeout: float = 120) -> Settled:
    """Wait until the page has settled after the last click (or, on opening, at all)."""
    deadline = time.monotonic() + timeout
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    while True:
        state = page.evaluate(STATE)
        if not state["running"] and state["now"] - state["last"] >= QUIET_MS:
            if not since_click or state["last"] >= state["click"]:
                chart = (state["chart"] - state["click"]) / 1000 if state["chart"] >= state["click"] else float("nan")
                return Settled((state["last"] - state["click"]) / 1000, chart)
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not settle")
        time.sleep(0.05)


def choose(page, label: str, option: str) -> Settled:
    """Pick an option in a Streamlit select box by its label, and wait until the page settles."""
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True))
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    return settle(page)


def click_option(page, name: str) -> Settled:
    """Click an option of a segmented control (a radio button), and wait until the page settles."""
    page.get_by_role("radio", name=name, exact=True).click()
    return settle(page)


def memory(pid: int) -> tuple[int, int]:
    """A process's resident memory now and at its peak, in bytes (Linux /proc)."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) * 1024
    return values["VmRSS"], values["VmHWM"]
