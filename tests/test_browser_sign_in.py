"""In a real browser, signed in through a local OpenID Connect provider: one user per role.

A viewer sees published data only and no control that changes anything; an analyst also
sees provisional data, marked; a co-ordinator loads a return, recorded under their identity.
"""
from __future__ import annotations

import shutil
import time

import duckdb
import pytest
from browser import (
    SERVER_PIDS,
    as_shown,
    auth_secrets,
    chromium_page,
    free_port,
    oidc_provider,
    peak_memory_bytes,
    require_chromium,
    sign_in,
    streamlit_server,
    wait_idle,
)
from conftest import ANALYST_EMAIL, COORDINATOR_EMAIL, PROJECT_ROOT, VIEWER_EMAIL
from malformed_files import xlsx_bomb

pytestmark = pytest.mark.browser

VIEWER, ANALYST, COORDINATOR = VIEWER_EMAIL, ANALYST_EMAIL, COORDINATOR_EMAIL
HEADER = "measure_id,area_id,month,value,numerator,denominator,status,publish_after\n"
# The demo holds first-time entrants for January to April 2022 back until 15 June 2022 (its board).
Q4 = "?quarter=Q4+2021%2F22&priority=1.+Prevent+youth+offending"


def overview_text(page, url: str) -> str:
    page.goto(f"{url}/{Q4}")
    page.get_by_role("heading", name="Overview").wait_for(timeout=60000)
    wait_idle(page)
    return page.locator("table.ov").inner_text()


def test_a_signed_in_viewer_sees_published_data_only_and_no_controls(auth_server):
    url, _ = auth_server
    with chromium_page() as page:
        sign_in(page, url, VIEWER)
        assert page.get_by_text(as_shown(f"Signed in as {VIEWER} (viewer)")).count() == 1
        table = overview_text(page, url)
        assert "Provisional until 15 June 2022" in table and "PROVISIONAL" not in table
        assert page.get_by_text("Provisional, not for publication.").count() == 0
        page.goto(f"{url}/data")
        page.get_by_role("heading", name="Data", exact=True).wait_for(timeout=60000)
        wait_idle(page)
        page.get_by_text("Only a co-ordinator may load data").first.wait_for(timeout=60000)
        assert page.locator("input[type=file]").count() == 0  # no upload control is rendered at all


def test_an_analyst_sees_provisional_data_marked_not_for_publication(auth_server):
    url, _ = auth_server
    with chromium_page() as page:
        sign_in(page, url, ANALYST)
        table = overview_text(page, url)
        assert "PROVISIONAL, not for publication" in table
        assert page.get_by_text("Provisional, not for publication.").first.is_visible()
        page.goto(f"{url}/data")
        page.get_by_role("heading", name="Data", exact=True).wait_for(timeout=60000)
        wait_idle(page)
        assert page.locator("input[type=file]").count() == 0


def upload_return(page, path) -> None:
    wait_idle(page)  # a rerun in progress can cover the form and swallow the click
    form = page.get_by_test_id("stForm").filter(has=page.get_by_text("Partner sending the return"))
    box = form.get_by_test_id("stSelectbox").get_by_role("combobox")
    if box.input_value() != "Youth Offending Services":
        box.click()
        box.press_sequentially("Youth Offending Services")  # typing filters the options; Enter picks the match
        box.press("Enter")
    remove = form.get_by_test_id("stFileUploaderDeleteBtn")
    if remove.count():
        remove.first.click()
        wait_idle(page)
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_text(path.name).first.wait_for(timeout=10000)
    form.get_by_role("button", name="Check and load").click()
    wait_idle(page)


@pytest.fixture
def own_auth_server(demo_db, tmp_path):
    """A sign-in server over this test's own copy of the demo: the return it loads publishes May 2022, which moves
    the shared server's data on (the analyst's provisional marks among it) for the tests that run after it."""
    require_chromium()
    db = tmp_path / "own" / "dashboard.duckdb"
    db.parent.mkdir()
    shutil.copy(demo_db.resolve(), db)
    port = free_port()
    with oidc_provider([COORDINATOR_EMAIL]) as provider:
        with streamlit_server(PROJECT_ROOT, db, port=port, secrets=auth_secrets(db.parent, port, provider)) as url:
            yield url, db


def test_a_coordinator_loads_a_return_recorded_under_their_identity(own_auth_server, tmp_path):
    url, db = own_auth_server
    bad = tmp_path / "yos-bad.csv"
    bad.write_text(HEADER + "yjs_first_time_entrants,E23000021,2022-05,-3,,,published,\n", encoding="utf-8")
    good = tmp_path / "yos-may.csv"
    good.write_text(HEADER + "yjs_first_time_entrants,E23000021,2022-05,27,,,published,\n", encoding="utf-8")
    with chromium_page() as page:
        sign_in(page, url, COORDINATOR)
        page.goto(f"{url}/data")
        page.get_by_role("heading", name="Load a partner return").wait_for(timeout=60000)
        upload_return(page, bad)
        page.get_by_text("yos-bad.csv was not loaded; nothing changed").wait_for(timeout=30000)
        page.get_by_text("'-3' cannot be negative").wait_for(timeout=30000)
        upload_return(page, good)
        page.get_by_text("Loaded yos-may.csv").wait_for(timeout=60000)
        assert page.get_by_text("1 added").first.is_visible()
    con = duckdb.connect(str(db.resolve()), read_only=True)
    row = con.execute("SELECT value FROM observations WHERE measure_id = 'yjs_first_time_entrants' "
                      "AND area_id = 'E23000021' AND month = DATE '2022-05-01'").fetchone()
    audit = con.execute("SELECT loaded_by, file_name FROM submissions ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    assert row == (27.0,)
    assert audit == (COORDINATOR, "yos-may.csv")  # the signed-in identity, not a typed name


def return_form(page, url: str):
    """The Data page's partner-return form, signed in as the co-ordinator."""
    sign_in(page, url, COORDINATOR)
    page.goto(f"{url}/data")
    page.get_by_role("heading", name="Load a partner return").wait_for(timeout=60000)
    wait_idle(page)
    return page.get_by_test_id("stForm").filter(has=page.get_by_text("Partner sending the return"))


def test_a_million_row_return_is_stopped_by_the_file_picker_at_the_size_limit(auth_server, tmp_path):
    """A 1-million-row CSV return (58 MB) never reaches the server: the picker holds the return limit (2 MB) and
    says so at once, while another user is answered. (The server's own check refuses it too, in under 10 s and
    well under 1 GB: tests/test_loading_safety.py.)"""
    url, _ = auth_server
    path = tmp_path / "million-rows.csv"
    path.write_bytes(HEADER.encode() + b"yjs_first_time_entrants,E23000021,2022-05,30,,,published,\n" * 1_000_000)
    with chromium_page() as page, chromium_page() as other:  # another user, in a separate browser context
        form = return_form(page, url)
        started = time.monotonic()
        form.locator("input[type=file]").set_input_files(str(path))
        form.get_by_text("File must be 2.0MB or smaller.").wait_for(timeout=10000)
        refused_in = time.monotonic() - started
        other.goto(f"{url}/?quarter=Q1+2021%2F22")
        other.locator("table.ov").wait_for(timeout=30000)
    assert refused_in < 10, refused_in
    assert peak_memory_bytes(SERVER_PIDS[url]) < 1_000_000_000


def test_an_xlsx_bomb_is_refused_quickly_while_the_server_stays_small_and_answers_others(auth_server, tmp_path):
    """#11's limits, on a real server: an XLSX bomb (63 KB, 60 MB expanded) passes the picker and the server refuses it."""
    url, _ = auth_server
    name = "bomb.xlsx"
    path = tmp_path / name
    path.write_bytes(xlsx_bomb())
    with chromium_page() as page, chromium_page() as other:  # another user, in a separate browser context
        form = return_form(page, url)
        form.locator("input[type=file]").set_input_files(str(path))
        form.get_by_text(name).first.wait_for(timeout=60000)  # the upload itself, before the clock starts
        started = time.monotonic()
        form.get_by_role("button", name="Check and load").click()
        other.goto(f"{url}/?quarter=Q1+2021%2F22")  # another user, meanwhile
        other.locator("table.ov").wait_for(timeout=30000)
        page.get_by_text(f"{name} was not loaded").first.wait_for(timeout=10000)
        refused_in = time.monotonic() - started
        message = page.get_by_test_id("stAlert").filter(has_text=f"{name} was not loaded").first.inner_text()
    assert refused_in < 10, refused_in
    assert "Traceback" not in message and "/tmp" not in message
    assert peak_memory_bytes(SERVER_PIDS[url]) < 1_000_000_000
