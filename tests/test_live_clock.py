"""The release clock is live once real data is loaded: only the untouched demo is a snapshot (#18 item 1).

A provisional row is public from 09:30 UK time on its publish-after date without anyone acting, on a
database that has had a real import; as-at names the latest published month and when data was last
published; About states the months actually held.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import duckdb
import pytest
from conftest import FORCE, PROJECT_ROOT, coordinator, raw_police_uk_files
from streamlit.testing.v1 import AppTest

import access
import dashboard_data
import datastore
from ingest.police_uk import import_files
from ingest.returns import load_return_file

MEASURE, PARTNER, LEICESTER = "yjs_first_time_entrants", "Youth Offending Services", "E06000016"
HEADER = "measure_id,area_id,month,value,numerator,denominator,status,publish_after\n"


def uk_today() -> date:
    return datetime.now(access.UK).date()


def at_uk(day: date, hh_mm: str) -> str:
    """An ISO moment at hh:mm UK time on day (with its own offset, GMT or BST)."""
    hour, minute = map(int, hh_mm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=access.UK).isoformat()


@pytest.fixture
def imported(demo_before_april):
    """The demo to March 2022, then April 2022 imported from police.uk, then a Youth Offending Services
    return with two provisional April rows: the force's public from today, Leicester's from yesterday."""
    april = next(f for f in raw_police_uk_files() if f.name.startswith("2022-04"))
    import_files(demo_before_april, [april], actor=coordinator("t"))
    today = uk_today()
    rows = (f"{MEASURE},{FORCE},2022-04,37,,,provisional,{today}\n"
            f"{MEASURE},{LEICESTER},2022-04,11,,,provisional,{today - timedelta(days=1)}\n")
    load_return_file(demo_before_april, (HEADER + rows).encode(), "april.csv", partner=PARTNER,
                     actor=coordinator("t"))
    return demo_before_april


def public_april(db) -> dict[str, float]:
    """The April rows of the measure the public sees, read as the app reads (datastore.run_query, public)."""
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        rows = {}
        for area in (FORCE, LEICESTER):
            series = datastore.run_query(con, "app/series", {"measure_id": MEASURE, "area_id": area,
                                                          "first": date(2022, 4, 1), "last": date(2022, 4, 1)})
            april = series[series["month"].astype(str).str.startswith("2022-04")]
            if len(april):
                rows[area] = float(april.iloc[0]["value"])
        return rows
    finally:
        con.close()


def test_the_untouched_demo_is_a_snapshot_and_an_import_starts_the_real_clock(demo_db, imported, monkeypatch):
    monkeypatch.delenv(access.CLOCK_ENV, raising=False)
    con = duckdb.connect(str(demo_db.resolve()), read_only=True)
    assert datastore.snapshot_date(con) == "2022-05-31"
    assert datastore.public_visibility(con).released_through == date(2022, 5, 31)
    con.close()
    con = duckdb.connect(str(imported.resolve()), read_only=True)
    try:
        assert datastore.snapshot_date(con) is None
        assert datastore.public_visibility(con).released_through >= uk_today() - timedelta(days=1)
    finally:
        con.close()
    # On the real clock, yesterday's row is public now and nobody acted; the demo's own first-time
    # entrants held until 15 June 2022 are long since released too.
    assert public_april(imported)[LEICESTER] == 11


def test_a_provisional_row_is_public_at_0931_on_its_day_without_anyone_acting(imported, monkeypatch):
    today = uk_today()
    monkeypatch.setenv(access.CLOCK_ENV, at_uk(today, "09:29"))
    assert public_april(imported) == {LEICESTER: 11}  # yesterday's is out; today's waits for 09:30
    monkeypatch.setenv(access.CLOCK_ENV, at_uk(today, "09:31"))
    assert public_april(imported) == {LEICESTER: 11, FORCE: 37}


def wall_clock_at(monkeypatch, moment: str) -> None:
    """The real UK clock (DASHBOARD_NOW unset) standing at `moment`: access reads datetime.now(UK)."""
    fixed = datetime.fromisoformat(moment)

    class Wall(datetime):
        @classmethod
        def now(cls, tz=None):
            return fixed.astimezone(tz) if tz else fixed.replace(tzinfo=None)

    monkeypatch.delenv(access.CLOCK_ENV, raising=False)
    monkeypatch.setattr(access, "datetime", Wall)


def test_on_the_real_clock_a_row_from_yesterday_is_public_at_0931_after_a_real_import(imported, monkeypatch):
    """#18's acceptance on the clock the server runs on, not DASHBOARD_NOW (which stands in for any snapshot): a
    database that has had a real import is on the UK clock, so at 09:31 today yesterday's row is public (and
    today's too, released at 09:30), with nobody acting."""
    today = uk_today()
    wall_clock_at(monkeypatch, at_uk(today, "09:29"))
    assert public_april(imported) == {LEICESTER: 11}
    wall_clock_at(monkeypatch, at_uk(today, "09:31"))
    assert public_april(imported) == {LEICESTER: 11, FORCE: 37}


def overview_value(at: AppTest, measure_id: str) -> str:
    """The value cell of a measure's row in the Overview's table: its figure, or the dash that begins the note a
    row with no figure has across it instead of cells."""
    body = next(h.proto.body for h in at.get("html") if f'data-measure="{measure_id}"' in h.proto.body)
    start = body.index(f'data-measure="{measure_id}"')
    row = body[start:body.index("</tr>", start)]  # this measure's row only, never the next one's
    return re.search(r'<td class="(?:num|note)"[^>]*>([^<]*)', row).group(1).strip()


def viewer_overview(db, monkeypatch, moment: str) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv(access.CLOCK_ENV, moment)
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"priority": "1. Prevent youth offending", "period": "Months", "from": "2022-04",
                            "to": "2022-04"})
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_viewer_s_overview_shows_the_row_from_0930_in_the_same_session(imported, monkeypatch):
    today = uk_today()
    at = viewer_overview(imported, monkeypatch, at_uk(today, "09:29"))
    assert overview_value(at, MEASURE) != "37"
    monkeypatch.setenv(access.CLOCK_ENV, at_uk(today, "09:31"))
    at.run()  # the viewer's next rerun: nothing was loaded or published in between
    assert not at.exception
    assert overview_value(at, MEASURE) == "37"


def sidebar_words(at: AppTest) -> str:
    return "\n".join(str(i.value) for i in at.sidebar.info)


def test_as_at_says_demo_snapshot_then_the_latest_month_and_when_last_published(demo_db, imported, monkeypatch):
    monkeypatch.delenv(access.CLOCK_ENV, raising=False)
    con = duckdb.connect(str(demo_db.resolve()), read_only=True)
    demo_meta = dashboard_data.meta(con)
    con.close()
    assert dashboard_data.as_at_words(demo_meta) == "31 May 2022 (demo snapshot)"
    con = duckdb.connect(str(imported.resolve()), read_only=True)
    live_meta = dashboard_data.meta(con)
    loaded_at = con.execute("SELECT MAX(loaded_at) FROM submissions").fetchone()[0]
    con.close()
    assert dashboard_data.published_through(live_meta) == date(2022, 4, 1)
    assert dashboard_data.last_published(live_meta) >= loaded_at.replace(microsecond=0)
    assert dashboard_data.as_at_words(live_meta) == f"{loaded_at:%-d %B %Y} (latest month April 2022)"

    monkeypatch.setenv("DASHBOARD_DB", str(demo_db))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.run()
    assert "Demo snapshot, as at 31 May 2022" in sidebar_words(at)
    monkeypatch.setenv("DASHBOARD_DB", str(imported))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.run()
    words = sidebar_words(at)
    assert "Published data to April 2022" in words and f"last published {loaded_at:%-d %B %Y}" in words
    assert "31 May 2022" not in words and "snapshot" not in words


def about_text(db, monkeypatch) -> str:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/about.py")
    at.run()
    assert not at.exception
    return "\n".join(str(m.value) for m in at.markdown)


def test_about_states_the_months_actually_held(demo_before_april, monkeypatch):
    monkeypatch.delenv(access.CLOCK_ENV, raising=False)
    before = about_text(demo_before_april, monkeypatch)
    assert "December 2019 to March 2022" in before and "April 2022" not in before
    april = next(f for f in raw_police_uk_files() if f.name.startswith("2022-04"))
    import_files(demo_before_april, [april], actor=coordinator("t"))
    after = about_text(demo_before_april, monkeypatch)
    assert "Police, December 2019 to April 2022" in after
    assert "Data held: December 2019 to April 2022" in after
