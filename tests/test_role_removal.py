"""A role grant can be removed: from the command line, the function and the Data page (issue 23, 2)."""
from __future__ import annotations

import subprocess
import sys

import duckdb
from conftest import PROJECT_ROOT, coordinator, signed_in_app

from access import operator
from ingest.roles import grant_role, remove_grant

PERSON = "someone@example.org"


def grants(db) -> dict[str, str]:
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return dict(con.execute("SELECT principal, role FROM role_grants").fetchall())
    finally:
        con.close()


def last_change(db) -> tuple:
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return con.execute("SELECT principal, old_role, new_role FROM role_grant_changes "
                           "ORDER BY changed_at DESC LIMIT 1").fetchone()
    finally:
        con.close()


def test_the_command_line_removes_a_grant_and_audits_it(demo_copy):
    grant_role(demo_copy, principal=PERSON, kind="email", role="analyst", actor=operator())
    run = subprocess.run([sys.executable, "-m", "ingest", "role", "--db", str(demo_copy), "--email", PERSON, "--remove"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert PERSON not in grants(demo_copy)
    assert last_change(demo_copy) == (PERSON, "analyst", None)


def test_remove_grant_takes_the_role_away_and_refuses_a_second_time(demo_copy):
    from core.errors import LoadRefused

    grant_role(demo_copy, principal=PERSON, kind="email", role="coordinator", actor=operator())
    remove_grant(demo_copy, principal=PERSON, kind="email", actor=coordinator())
    assert PERSON not in grants(demo_copy)
    try:
        remove_grant(demo_copy, principal=PERSON, kind="email", actor=coordinator())
    except LoadRefused as refused:
        assert "has no grant to remove" in refused.message
    else:
        raise AssertionError("removing a grant that is not there was not refused")


def test_the_data_pages_roles_editor_removes_a_grant(demo_copy, monkeypatch):
    grant_role(demo_copy, principal=PERSON, kind="email", role="analyst", actor=operator())
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = signed_in_app(demo_copy)
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    assert not at.exception, at.exception
    [box for box in at.text_input if box.label == "E-mail address or group id"][0].input(PERSON)
    [box for box in at.selectbox if box.label == "Role"][0].set_value("remove the grant")
    [b for b in at.button if b.label == "Save the role"][0].click()
    at.run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Saved") for s in at.success)
    assert PERSON not in grants(demo_copy)
