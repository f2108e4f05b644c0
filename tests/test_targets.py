"""Targets are editable by the co-ordinator, audited like a rebase, and every page uses them."""
from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest
from conftest import FORCE, PROJECT_ROOT, coordinator, signed_in_app, table_checksum

import dashboard_data
from access import ANALYST, PUBLIC, Actor, NotAllowed
from analysis import calendar as cal
from ingest.targets import TargetRefused, set_target

Q4_2021_22 = cal.quarter(2021, 4)


def row(db, measure_id: str, period=Q4_2021_22):
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return dashboard_data.overview(con, area_id=FORCE, area_name="force", period=period).set_index("measure_id").loc[measure_id]
    finally:
        con.close()


def test_a_target_moves_the_assurance_icon_and_the_rag_and_is_audited(demo_copy):
    before = row(demo_copy, "asb_incidents")
    assert not isinstance(before["assurance_icon"], str) and before["rag"] != "Amber"
    # ASB's limits in 2021/22 lie roughly between 700 and 1,600 a month: 100 a month cannot be met
    set_target(demo_copy, measure_id="asb_incidents", target=100, reason="A test target", actor=coordinator("Co-ordinator"))
    after = row(demo_copy, "asb_incidents")
    assert after["assurance_icon"] == "consistent_fail"
    assert after["rag"] in ("Amber", "Red", "Green")  # rated against the target now, or by special cause
    if after["rag"] == "Amber":
        assert after["rag_reason"].startswith("Target at risk")
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    audit = con.execute("SELECT measure_id, old_target, new_target, reason, changed_by FROM target_changes").fetchall()
    con.close()
    assert audit == [("asb_incidents", None, 100.0, "A test target", "Co-ordinator")]
    set_target(demo_copy, measure_id="asb_incidents", target=None, reason="Withdrawn", actor=coordinator("Co-ordinator"))
    assert not isinstance(row(demo_copy, "asb_incidents")["assurance_icon"], str)


@pytest.mark.parametrize("kwargs, message", [
    ({"target": 90, "reason": " "}, "needs a reason"),
    ({"target": 120, "reason": "r"}, "between 0 and 100"),
    ({"target": float("nan"), "reason": "r"}, "must be a number"),
    ({"target": 90, "reason": "r" * 201}, "200 characters"),
])
def test_a_bad_target_change_is_refused_and_changes_nothing(demo_copy, kwargs, message):
    before = table_checksum(demo_copy)
    with pytest.raises(TargetRefused, match=message):
        set_target(demo_copy, measure_id="all_user_satisfaction", actor=coordinator("x"), **kwargs)
    assert table_checksum(demo_copy) == before


@pytest.mark.parametrize("actor", [None, Actor("ann@example.org", ANALYST, "sign-in"), PUBLIC])
def test_only_a_coordinator_sets_a_target(demo_copy, actor):
    before = table_checksum(demo_copy)
    with pytest.raises(NotAllowed, match="may set a target"):
        set_target(demo_copy, measure_id="all_user_satisfaction", target=80, reason="r", actor=actor)
    assert table_checksum(demo_copy) == before


def test_an_unknown_measure_is_refused(demo_copy):
    with pytest.raises(TargetRefused, match="no measure 'nope'"):
        set_target(demo_copy, measure_id="nope", target=1, reason="r", actor=coordinator("x"))


def test_the_command_line_sets_and_refuses(demo_copy):
    def target(*args):
        return subprocess.run([sys.executable, "-m", "ingest", "target", "--db", str(demo_copy), *args],
                              cwd=PROJECT_ROOT, capture_output=True, text=True)

    done = target("--measure", "burglary", "--target", "250", "--reason", "Board")
    assert done.returncode == 0 and done.stdout.strip() == "Target of burglary set to 250: Board"
    bad = target("--measure", "burglary", "--target", "lots", "--reason", "Board")
    assert bad.returncode == 2 and bad.stderr.strip() == "error: --target must be a number or none, not 'lots'"
    assert "Traceback" not in bad.stderr


def test_the_explorer_form_sets_a_target(demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = signed_in_app(demo_copy)
    at.query_params["priority"] = "8. Anti-social behaviour"
    at.run()
    at.switch_page("app_pages/priority_explorer.py")
    at.run()
    [c for c in at.checkbox if c.label.startswith("No target")][0].uncheck()
    [n for n in at.number_input if n.label.startswith("Target")][0].set_value(900.0)
    [t for t in at.text_input if t.label.startswith("Reason (up to")][0].input("Agreed by the board")
    [b for b in at.button if b.label == "Save the target"][0].click()
    at.run()
    assert not at.exception
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    assert con.execute("SELECT target FROM measures WHERE id = 'asb_incidents'").fetchone() == (900.0,)
    con.close()
