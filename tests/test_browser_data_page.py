"""In a real browser: a co-ordinator loads a partner return on the Data page, and a bad one is refused."""
from __future__ import annotations

import shutil

import duckdb
import pytest
from browser import chromium_page, require_chromium, streamlit_server, wait_idle
from conftest import PROJECT_ROOT

pytestmark = pytest.mark.browser

HEADER = "measure_id,area_id,month,value,numerator,denominator,status,publish_after\n"


@pytest.fixture(scope="module")
def writable_server(demo_db, tmp_path_factory):
    require_chromium()
    db = tmp_path_factory.mktemp("writable") / "dashboard.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_server(PROJECT_ROOT, db) as url:
        yield url, db


def upload_return(page, path, partner: str) -> None:
    wait_idle(page)  # a rerun in progress can cover the form and swallow the click
    form = page.get_by_test_id("stForm").filter(has=page.get_by_text("Partner sending the return"))
    box = form.get_by_test_id("stSelectbox").get_by_role("combobox")
    if box.input_value() != partner:
        box.click()
        box.press_sequentially(partner)  # typing filters the options, then Enter picks the match
        box.press("Enter")
        assert box.input_value() == partner
    remove = form.get_by_test_id("stFileUploaderDeleteBtn")
    if remove.count():
        remove.first.click()
        wait_idle(page)
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_text(path.name).first.wait_for(timeout=10000)
    form.get_by_label("Your name (recorded in the audit)").fill("Browser test")
    form.get_by_role("button", name="Check and load").click()
    wait_idle(page)


def test_a_good_return_loads_and_a_bad_one_is_refused_with_reasons(writable_server, tmp_path):
    url, db = writable_server
    good = tmp_path / "yos-may.csv"
    good.write_text(HEADER + "yjs_first_time_entrants,E23000021,2022-05,27,,,published,\n", encoding="utf-8")
    bad = tmp_path / "yos-bad.csv"
    bad.write_text(HEADER + "yjs_first_time_entrants,E23000021,2022-05,-3,,,published,\n", encoding="utf-8")
    with chromium_page() as page:
        page.goto(f"{url}/data")
        page.get_by_role("heading", name="Load a partner return").wait_for(timeout=60000)
        upload_return(page, bad, "Youth Offending Services")
        page.get_by_text("yos-bad.csv was not loaded; nothing changed").wait_for(timeout=30000)
        page.get_by_text("'-3' cannot be negative").wait_for(timeout=30000)

        upload_return(page, good, "Youth Offending Services")
        page.get_by_text("Loaded yos-may.csv").wait_for(timeout=30000)
        assert page.get_by_text("1 added").first.is_visible()
    con = duckdb.connect(str(db.resolve()), read_only=True)
    row = con.execute("SELECT value FROM observations WHERE measure_id = 'yjs_first_time_entrants' "
                      "AND area_id = 'E23000021' AND month = DATE '2022-05-01'").fetchone()
    audit = con.execute("SELECT loaded_by, file_name FROM submissions ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    assert row == (27.0,)
    assert audit == ("Browser test", "yos-may.csv")
