"""The embargo: the public sees provisional data only from 09:30 UK time on its publish-after date, or
once a co-ordinator publishes it; every query, page and download keeps to that, by role.

The demo holds first-time entrants (priority 1) for January to April 2022 back until 15 June 2022.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from conftest import FORCE, PROJECT_ROOT, signed_in_app
from streamlit.testing.v1 import AppTest

import access
import datastore
from access import ANALYST, PUBLIC, Actor, released_through, visibility
from ingest.release import publish_provisional

MEASURE = "yjs_first_time_entrants"
HELD_BACK = {f"2022-{m:02d}" for m in range(1, 5)}
BEFORE, AFTER = "2022-06-15T09:29:00+01:00", "2022-06-15T09:31:00+01:00"  # British Summer Time in June


@pytest.mark.parametrize("moment, expected", [
    ("2022-06-15T09:29:59+01:00", date(2022, 6, 14)),  # BST: a minute before 09:30
    ("2022-06-15T09:30:00+01:00", date(2022, 6, 15)),
    ("2022-06-15T08:30:00+00:00", date(2022, 6, 15)),  # the same moment written in UTC
    ("2022-01-12T09:29:00+00:00", date(2022, 1, 11)),  # GMT in winter
    ("2022-01-12T09:30:00+00:00", date(2022, 1, 12)),
    ("2022-03-27T08:29:00+00:00", date(2022, 3, 26)),  # the day the clocks go forward: 09:29 BST
    ("2022-03-27T08:31:00+00:00", date(2022, 3, 27)),
    ("2022-10-30T09:29:00+00:00", date(2022, 10, 29)),  # the day they go back: 09:29 GMT
    ("2022-10-30T09:31:00+00:00", date(2022, 10, 30)),
    ("2022-06-15T00:15:00+01:00", date(2022, 6, 14)),  # just after midnight: not released at midnight
])
def test_release_is_at_0930_uk_time_through_the_clock_changes(moment, expected):
    assert released_through(datetime.fromisoformat(moment)) == expected


def test_the_clock_is_the_environment_then_the_as_at_date_then_now(monkeypatch):
    monkeypatch.setenv(access.CLOCK_ENV, BEFORE)
    assert access.clock("2022-05-31") == datetime.fromisoformat(BEFORE)
    monkeypatch.delenv(access.CLOCK_ENV)
    assert access.clock("2022-05-31").date() == date(2022, 5, 31)


def provisional_months_seen(con, seeing: access.Visibility) -> set[str]:
    """The held-back months of the measure that any app query returns for this reader."""
    params = {"area_id": FORCE, "force_id": FORCE, "measure_id": MEASURE, "first": date(1900, 1, 1), "last": date(9999, 12, 1),
              "priority_id": None, "measure_ids": [MEASURE], "area_ids": [FORCE],
              # what changed: the data as it stood after every load, with a release date later than the reader's
              "through": 10**9, "then_released_through": date(9999, 12, 1)}
    seen = set()
    for path in sorted((PROJECT_ROOT / "queries" / "app").glob("*.sql")):
        text = path.read_text()
        if "$released_through" not in text:
            continue
        wanted = {k: v for k, v in params.items() if re.search(rf"\${k}\b", text)}
        frame = datastore.run_query(con, f"app/{path.stem}", wanted, seeing)
        if "month" in frame and ("measure_id" not in frame or MEASURE in set(frame["measure_id"])):
            rows = frame if "measure_id" not in frame else frame[frame["measure_id"] == MEASURE]
            if "value" in rows:
                rows = rows[rows["value"].notna()]
            seen |= {str(m)[:7] for m in rows["month"]} & HELD_BACK
    quarter = datastore.run_query(con, "app/overview", {"area_id": FORCE, "first": date(2022, 1, 1),
                                                        "last": date(2022, 3, 1), "priority_id": 1}, seeing)
    if quarter.set_index("measure_id").loc[MEASURE, "months_with_data"]:
        seen.add("overview counts Q4 2021/22")
    return seen


def test_every_query_hides_provisional_rows_from_the_public_until_0930(demo_con):
    before = visibility(PUBLIC, datetime.fromisoformat(BEFORE))
    after = visibility(PUBLIC, datetime.fromisoformat(AFTER))
    analyst = visibility(Actor("ann@example.org", ANALYST, "sign-in"), datetime.fromisoformat(BEFORE))
    assert provisional_months_seen(demo_con, before) == set()
    assert provisional_months_seen(demo_con, after) == HELD_BACK | {"overview counts Q4 2021/22"}
    assert provisional_months_seen(demo_con, analyst) == HELD_BACK | {"overview counts Q4 2021/22"}


def test_no_app_query_reads_observations_but_through_the_visibility_macro():
    allowed = {"provisional_measures"}  # lists which measures are held back and until when: no values
    for path in (PROJECT_ROOT / "queries" / "app").glob("*.sql"):
        text = re.sub(r"--[^\n]*", "", path.read_text())
        if path.stem not in allowed:
            assert not re.search(r"\bobservations\b", text.replace("visible_observations", "")), path.name
            assert "published_observations" not in text, path.name


def page_text(at: AppTest) -> str:
    """Everything a page shows in words and chart data."""
    parts = [str(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "success", "metric", "title",
                                       "subheader") for e in getattr(at, kind)]
    parts += [e.proto.body for e in at.get("html")]
    for chart in at.get("vega_lite_chart"):
        parts.append(chart.proto.spec)
        parts += [frame.to_csv() for frame in chart_data(chart)]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    return "\n".join(parts)


def chart_data(chart) -> list:
    """The data a chart element sends to the browser, as frames: its datasets (Arrow IPC) and the rows a layer
    carries inline in the spec."""
    inline = [pd.DataFrame(layer["data"]["values"]) for layer in json.loads(chart.proto.spec).get("layer", [])
              if "values" in layer.get("data", {})]
    return [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets] + inline


def explorer_as_public(db: Path, monkeypatch, moment: str) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv(access.CLOCK_ENV, moment)
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"priority": "1. Prevent youth offending", "quarter": "Q4 2021/22"})
    at.run()
    return at


def explorer_chart_months(at: AppTest) -> set[str]:
    at.switch_page("app_pages/priority_explorer.py")
    at.run()
    assert not at.exception
    chart = next(c for c in at.get("vega_lite_chart") if "First-time entrants" in json.loads(c.proto.spec)["title"])
    months = set()
    for frame in chart_data(chart):
        if "month" in frame:
            months |= {f"{m:%Y-%m}" for m in pd.to_datetime(frame["month"])}  # (sent as ISO text)
    return months & HELD_BACK


def test_a_viewer_sees_priority_1_held_back_with_the_reason_then_released_at_0930(demo_copy, monkeypatch):
    at = explorer_as_public(demo_copy, monkeypatch, BEFORE)
    overview = page_text(at)
    assert "Provisional until 15 June 2022" in overview
    assert explorer_chart_months(at) == set()
    assert "Provisional until 15 June 2022" in page_text(at)  # the explorer says why too
    after = explorer_as_public(demo_copy, monkeypatch, AFTER)
    assert "Provisional until 15 June 2022" not in page_text(after)
    assert explorer_chart_months(after) == HELD_BACK  # the four held-back months, now shown


def test_a_coordinator_s_publication_shows_on_the_viewer_s_next_interaction(demo_copy, monkeypatch):
    at = explorer_as_public(demo_copy, monkeypatch, BEFORE)
    assert "Provisional until 15 June 2022" in page_text(at)
    publish_provisional(demo_copy, measure_id=MEASURE, actor=access.operator())
    at.run()  # the viewer's next interaction, in the same session
    assert "Provisional until 15 June 2022" not in page_text(at)
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    kind = con.execute("SELECT kind FROM submissions ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    assert kind == ("publication",)


def test_an_analyst_sees_provisional_data_marked_on_screen_and_in_files(demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = signed_in_app(demo_copy, role="analyst", email="ann@example.org")
    at.query_params.update({"priority": "1. Prevent youth offending", "quarter": "Q4 2021/22"})
    at.run()
    assert not at.exception
    assert at.warning[0].value.startswith("**Provisional, not for publication.**")
    assert "PROVISIONAL, not for publication" in page_text(at)
    # every download's context says so (file_context adds it for a reader who sees provisional data)
    from components.downloads import PROVISIONAL_NOTE, csv_bytes

    assert csv_bytes(pd.DataFrame({"x": [1]}), {"Status": PROVISIONAL_NOTE}) == \
        b"Status,x\nIncludes provisional data: not for publication,1\n"


def test_without_sign_in_set_up_no_page_offers_a_change_and_each_says_how_to_enable_it(app_env):
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params["priority"] = "8. Anti-social behaviour"
    at.run()
    # Each names the role its action needs: the what-if tools change nothing and are an analyst's.
    for page, action, role in (("app_pages/data.py", "load data", "a co-ordinator"),
                               ("app_pages/commentary.py", "write commentary", "a co-ordinator"),
                               ("app_pages/priority_explorer.py", "rebase a chart", "a co-ordinator"),
                               ("app_pages/what_if.py", "use the what-if tools", "an analyst")):
        at.switch_page(page)
        at.run()
        assert not at.exception
        infos = [i.value for i in at.info]
        assert any(v.startswith(f"To {action}, sign in as {role}; sign-in is not set up on this server.")
                   for v in infos), (page, infos)
        assert not at.get("file_uploader")
        assert not [b for b in at.button if b.label in ("Check and load", "Rebase", "Publish", "Save as draft")]


def test_a_viewer_cannot_change_anything_by_calling_a_write_function(demo_copy):
    from conftest import table_checksum

    from access import NotAllowed
    from ingest.commentary import save_commentary
    from ingest.loading import undo_submission
    from ingest.rebases import add_rebase
    from ingest.roles import grant_role
    from ingest.targets import set_target

    before = table_checksum(demo_copy)
    analyst = Actor("ann@example.org", ANALYST, "sign-in")
    writes = [
        lambda actor: publish_provisional(demo_copy, measure_id=MEASURE, actor=actor),
        lambda actor: undo_submission(demo_copy, 1, actor=actor, confirmed=True),
        lambda actor: add_rebase(demo_copy, measure_id="asb_incidents", area_id=FORCE, month=date(2020, 4, 1),
                                 reason="r", actor=actor),
        lambda actor: set_target(demo_copy, measure_id="asb_incidents", target=1, reason="r", actor=actor),
        lambda actor: save_commentary(demo_copy, priority_id=8, area_id=FORCE, period_start=date(2021, 4, 1),
                                      period_end=date(2021, 6, 1), text="t", status="published", actor=actor),
        lambda actor: grant_role(demo_copy, principal="me@example.org", kind="email", role="coordinator",
                                 actor=actor),
    ]
    for actor in (PUBLIC, analyst, None):
        for write in writes:
            with pytest.raises(NotAllowed):
                write(actor)
    assert table_checksum(demo_copy) == before
