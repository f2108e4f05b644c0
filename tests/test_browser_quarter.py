"""The co-ordinator's quarter in a real browser (#18, first acceptance line), on a copy of the demo.

Signed in as the co-ordinator, with the clock set to 5 December 2022 (when Q2 2022/23 is reported): load the
police.uk months May to October 2022 on the Data page (made from the fixtures a year on), download the Youth
Offending Services template for Q2 2022/23 from the same page, fill it in and load it, publish a commentary for a
measure and one for a priority, open the Returns page, then Panel mode and the paper. The as-at line and About
move to October 2022; both commentaries reach Panel mode and the paper's PDF; the Returns page shows the
partner's return received and another partner's late.

One server and one browser session serve the whole flow: each step needs the ones before it, so they run in
order in one test (the what-changed view is a second test, over the same server, after it).
"""
from __future__ import annotations

import io
import shutil
import subprocess
from urllib.parse import urlencode

import pandas as pd
import pytest
from browser import auth_secrets, chromium_page, free_port, oidc_provider, require_chromium, sign_in, streamlit_server, wait_idle
from conftest import COORDINATOR_EMAIL, PROJECT_ROOT
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

NOW = "2022-12-05T10:00:00"  # a Monday when Q2 2022/23 (July to September 2022) is reported
QUARTER = {"period": "Quarter", "quarter": "Q2 2022/23"}
FORCE_NAME = "Leicester, Leicestershire and Rutland (force area)"
PARTNER, LATE_PARTNER = "Youth Offending Services", "Probation / IOM"
MEASURE_PRIORITY, MEASURE_NAME = "11. Reduce all crime", "All recorded crime (police.uk, excluding ASB)"
PRIORITY = "1. Prevent youth offending"
MEASURE_TEXT = "Quarter test: all recorded crime commentary for Q2, written by the co-ordinator."
PRIORITY_TEXT = "Quarter test: youth offending commentary for Q2, written by the co-ordinator."
BOX = 'textarea[aria-label="Commentary"]'
LONG = 300000  # ms: a step that reads, imports or typesets, on a busy 2-core machine


@pytest.fixture(scope="module")
def quarter_server(demo_db, tmp_path_factory):
    """A server with sign-in over its own copy of the demo, its clock at NOW. Yields (url, database path)."""
    require_chromium()
    folder = tmp_path_factory.mktemp("quarter")
    db = folder / "dashboard.duckdb"
    shutil.copy(demo_db.resolve(), db)
    port = free_port()
    with oidc_provider([COORDINATOR_EMAIL]) as provider:
        with streamlit_server(PROJECT_ROOT, db, port=port, secrets=auth_secrets(folder, port, provider),
                              env={"DASHBOARD_NOW": NOW}) as url:
            yield url, db


def address(url: str, page: str = "", **params) -> str:
    return f"{url}/{page}?{urlencode({**QUARTER, **params})}"


def open_page(page, url: str, heading: str, idle_ms: float = 30000) -> None:
    page.goto(url)
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=LONG)
    wait_idle(page, idle_ms)


def main(page):
    return page.get_by_test_id("stMain")


def choose_in_main(page, label: str, option: str) -> None:
    """Pick an option in one of the page's own selectboxes (the sidebar has some of the same names)."""
    box = main(page).get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True)).first \
        .get_by_role("combobox")
    if box.input_value() == option:
        return
    pick(box, option)
    wait_idle(page)


def pick(box, option: str) -> None:
    """Choose in a selectbox's combobox: typing filters the options (a long list draws only some), Enter picks."""
    box.click()
    box.press_sequentially(option)
    box.press("Enter")


def sidebar_as_at(page) -> str:
    return page.get_by_test_id("stSidebar").get_by_test_id("stAlert").first.inner_text()


def import_police_uk(page, url: str, files) -> None:
    open_page(page, f"{url}/data", "Data")
    form = page.get_by_test_id("stForm").filter(has=page.get_by_text("Files as published on police.uk"))
    form.locator("input[type=file]").set_input_files([str(f) for f in files])
    # every file listed as uploaded (the picker shortens long names, so they are counted, not read)
    form.get_by_test_id("stFileChip").nth(len(files) - 1).wait_for(timeout=60000)
    form.get_by_role("button", name="Import", exact=True).click()
    page.get_by_test_id("stAlert").filter(has_text="Imported").first.wait_for(timeout=LONG)
    wait_idle(page)


def filled_template(page, url: str, folder):
    """The partner's Q2 2022/23 template as the Data page gives it, filled in: a figure and 'published' on every row."""
    open_page(page, address(url, "data"), "Data")
    choose_in_main(page, "Partner", PARTNER)
    main(page).get_by_text(f"for {QUARTER['quarter']}:").first.wait_for(timeout=30000)  # the template's row count
    # A download is made when clicked, from the run that drew the button: a click before the partner's run has
    # drawn it gets the earlier partner's file (named for that partner), so click again until it is theirs.
    for _ in range(5):
        wait_idle(page)
        with page.expect_download(timeout=60000) as download:
            main(page).get_by_role("button", name="Template (CSV)").click()
        if f"-{PARTNER.replace(' ', '-')}-" in download.value.suggested_filename:
            break
        page.wait_for_timeout(1000)
    assert f"-{PARTNER.replace(' ', '-')}-" in download.value.suggested_filename, download.value.suggested_filename
    template = pd.read_csv(io.BytesIO(download.value.path().read_bytes()), dtype=str, keep_default_na=False)
    assert len(template) and set(template["month"]) == {"2022-07", "2022-08", "2022-09"}
    template["value"] = [str(10 + n % 7) for n in range(len(template))]
    template["status"] = "published"
    path = folder / "yos-q2.csv"
    template.to_csv(path, index=False)
    return path, len(template)


def load_return(page, path) -> None:
    form = page.get_by_test_id("stForm").filter(has=page.get_by_text("Partner sending the return"))
    box = form.get_by_test_id("stSelectbox").get_by_role("combobox")
    if box.input_value() != PARTNER:
        pick(box, PARTNER)
        wait_idle(page)
    assert box.input_value() == PARTNER
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_text(path.name).first.wait_for(timeout=30000)
    loaded = page.get_by_test_id("stAlert").filter(has_text=f"Loaded {path.name}")
    refused = page.get_by_test_id("stAlert").filter(has_text=f"{path.name} was not loaded")
    for _ in range(3):  # a rerun still drawing the page can swallow a click
        wait_idle(page)
        form.get_by_role("button", name="Check and load").click()
        try:
            loaded.or_(refused).first.wait_for(timeout=120000)
            break
        except PlaywrightTimeout:
            continue
    assert not refused.count(), refused.first.inner_text()
    loaded.first.wait_for(timeout=LONG)
    wait_idle(page)


def publish_commentary(page, url: str, priority: str, about: str | None, text: str) -> None:
    open_page(page, address(url, "commentary", area=FORCE_NAME, priority=priority), "Commentary")
    main(page).get_by_role("heading", name="Write or edit").wait_for(timeout=LONG)
    if about:
        choose_in_main(page, "About", about)
        main(page).get_by_test_id("stCaptionContainer").filter(has_text=f" · {about} · ").wait_for(timeout=60000)
    box = page.locator(BOX)
    # published: the page's own list of what is published for the quarter shows it (as text, not in the box)
    published = main(page).get_by_test_id("stMarkdownContainer").filter(has_text=text)
    for _ in range(3):  # a rerun still drawing the page can swallow typing or a click
        # the run has ended once the previous item's box is gone and the new one holds its draft
        page.wait_for_function(f"() => {{ const boxes = document.querySelectorAll('{BOX}'); "
                               "return boxes.length === 1 && boxes[0].value.length > 0; }", timeout=60000)
        box.fill(text)
        box.blur()  # the box sends its text when it loses focus
        wait_idle(page)
        # the run the blur started may still be drawing: the old box stays beside the new one until it ends
        page.wait_for_function(f"() => document.querySelectorAll('{BOX}').length === 1", timeout=60000)
        if box.input_value() != text:
            continue
        main(page).get_by_role("button", name="Publish", exact=True).click()
        wait_idle(page)
        try:
            published.first.wait_for(timeout=60000)
            break
        except PlaywrightTimeout:
            continue
    assert published.count(), f"not published: {text}"


def returns_table(page, url: str) -> pd.DataFrame:
    open_page(page, address(url, "returns"), "Returns")
    main(page).get_by_text(f"{QUARTER['quarter']}, as at").first.wait_for(timeout=LONG)
    with page.expect_download(timeout=60000) as download:
        main(page).get_by_role("button", name="Download table (CSV)").first.click()
    return pd.read_csv(io.BytesIO(download.value.path().read_bytes()), dtype=str, keep_default_na=False)


def panel_text(page, url: str) -> str:
    page.goto(address(url, "", mode="panel", area=FORCE_NAME, advance="60"))
    deck = page.locator("#panel-deck")
    deck.wait_for(timeout=LONG)
    return deck.text_content()  # every screen, shown or not


def paper_text(page, url: str, folder) -> str:
    # the page's run waits for the paper being made after the publications (timed by the quarter benchmark, not here)
    open_page(page, address(url, "paper", area=FORCE_NAME), "Panel paper", idle_ms=LONG)
    button = main(page).get_by_role("button", name="Download PDF (tagged, PDF/UA-1)")
    button.wait_for(timeout=LONG)
    wait_idle(page)
    with page.expect_download(timeout=LONG) as download:
        button.click()
    pdf = folder / "paper.pdf"
    download.value.save_as(pdf)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces (a PDF wraps lines)."""
    return " ".join(text.split())


def test_the_coordinators_quarter(quarter_server, tmp_path):
    from police_uk_months import months_a_year_on

    url, db = quarter_server
    months = months_a_year_on("2022-05", "2022-10", tmp_path)
    with chromium_page(1400, 1000) as page:
        sign_in(page, url, COORDINATOR_EMAIL)
        assert "Demo snapshot" in sidebar_as_at(page)

        import_police_uk(page, url, months)
        message = page.get_by_test_id("stAlert").filter(has_text="Imported").first.inner_text()
        assert "May" in message and "October 2022" in message  # every month arrived
        assert "Published data to October 2022" in sidebar_as_at(page)  # the as-at moved, at once

        template, rows = filled_template(page, url, tmp_path)
        load_return(page, template)
        assert f"{rows:,} added" in page.get_by_test_id("stAlert").filter(has_text=f"Loaded {template.name}").first.inner_text()

        publish_commentary(page, url, MEASURE_PRIORITY, MEASURE_NAME, MEASURE_TEXT)
        publish_commentary(page, url, PRIORITY, None, PRIORITY_TEXT)

        open_page(page, f"{url}/about", "About")
        main(page).get_by_text("Data held:").first.wait_for(timeout=LONG)  # the heading is drawn before the page's text
        about = main(page).inner_text()
        assert "Data held: December 2019 to October 2022" in about
        assert "latest month October 2022" in about and "demo snapshot" not in about
        assert "Published data to October 2022" in sidebar_as_at(page)

        returns = returns_table(page, url)
        status = returns.groupby("partner")["status"].agg(set)  # the table's own columns, as downloaded
        assert status[PARTNER] == {"Received"}, status[PARTNER]
        assert {s.split(":")[0] for s in status[LATE_PARTNER]} == {"Late"}, status[LATE_PARTNER]
        received = returns[returns["partner"] == PARTNER]
        assert len(received) == 3 and (received["received_by"] == COORDINATOR_EMAIL).all()  # loaded by the signed-in co-ordinator

        panel = flat(panel_text(page, url))
        assert "latest month October 2022" in panel
        assert MEASURE_TEXT in panel and PRIORITY_TEXT in panel

        # What changed since the last Panel (#18 item 4): every measure the new months made special cause is listed
        changed = what_changed_text(page, url)
        listed = special_cause_table(page)  # the words name the first few; the page's table lists them all
        special = special_causes_in_new_months(db)
        assert special, "the months loaded show no special cause at the force: this check would prove nothing"
        for measure in special:
            assert measure in listed, f"{measure} became special cause in the new months but is not listed"
            assert measure in changed or "more." in changed  # the words name it, or count it among the rest

        paper = flat(paper_text(page, url, tmp_path))
    assert "latest month October 2022" in paper
    assert MEASURE_TEXT in paper and PRIORITY_TEXT in paper


def what_changed_text(page, url: str) -> str:
    """The What changed page's text, as the sidebar's period stands ("Since the last Panel")."""
    page.goto(f"{url}/what-changed")  # the page's own address (the sidebar folds its longer list of pages)
    page.get_by_role("heading", name="Since the last Panel").first.wait_for(timeout=LONG)
    # the page is drawn from the top: its text is whole once its last section's heading is there
    page.get_by_role("heading", name="Partner returns").first.wait_for(timeout=LONG)
    wait_idle(page)
    return flat(main(page).inner_text())


def special_cause_table(page) -> set[str]:
    """The measures in the What changed page's 'Special cause in the new months' table, as downloaded (the
    grid is drawn on a canvas, so its cells are not the page's text). Its download is the page's first."""
    for attempt in range(3):  # a click on the button of a run since replaced makes nothing: click again
        wait_idle(page)
        try:
            with page.expect_download(timeout=20000) as download:
                main(page).get_by_role("button", name="Download table (CSV)").first.click()
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    assert "special-cause-in-the-new-months" in download.value.suggested_filename, download.value.suggested_filename
    table = pd.read_csv(io.BytesIO(download.value.path().read_bytes()), dtype=str, keep_default_na=False)
    return set(table["Measure"])


def special_causes_in_new_months(db) -> list[str]:
    """Measures whose Q2 2022/23 reading at the force shows special cause, by the dashboard's own reading."""
    import duckdb

    import dashboard_data
    from analysis import calendar

    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        table = dashboard_data.overview(con, area_id="E23000021", area_name=FORCE_NAME,
                                        period=calendar.quarter(2022, 2))
    finally:
        con.close()
    # spc_special_cause names the reading ("neither" included); a flagged point is special cause
    flagged = table[table["spc_flag"].fillna(0) != 0]
    return list(flagged["measure"])
