"""Staff are shown to the public by name and role, never by e-mail address (issue 23, item 12)."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import ANALYST_EMAIL, COORDINATOR_EMAIL, PROJECT_ROOT, open_page, signed_in_app
from hostile_input import (
    HOSTILE_GROUP,
    REBASE_PARAMS,
    STAFF_EMAIL,
    STAFF_PUBLIC_NAME,
    STORED_TEXT_PARAMS,
    shared_hostile_database,
    staff_addresses,
    text_of,
    walk,
)
from streamlit.testing.v1 import AppTest

from access import OPERATOR_NAME, public_name

pytestmark = pytest.mark.xdist_group(HOSTILE_GROUP)  # with tests/test_hostile_visitors.py: see hostile_input.py


@pytest.mark.parametrize("identity, action, public", [
    ("jane.smith@leics.police.uk", "load data", "Jane Smith (co-ordinator)"),
    ("JANE_SMITH@leics.police.uk", "rebase a chart", "Jane Smith (co-ordinator)"),
    ("mary.smith-jones@leics.gov.uk", "annotate a chart", "Mary Smith-Jones (co-ordinator)"),
    ("sean.o'neil@leics.police.uk", "write commentary", "Sean O'Neil (co-ordinator)"),
    ("jane.a.smith@leics.police.uk", "edit the paper", "Jane A Smith (co-ordinator)"),
    ("jane.smith+pcc@leics.police.uk", "load data", "Jane Smith (co-ordinator)"),
    ("jsmith@leics.police.uk", "load data", "a co-ordinator"),  # not first.last: no name to give
    ("jane.smith2@leics.police.uk", "load data", "a co-ordinator"),
    ("co-ordinator@example.org", "write commentary", "a co-ordinator"),
    ("<b>co</b>@example.org", "write commentary", "a co-ordinator"),
    ("a.b.c.d@example.org", "load data", "a co-ordinator"),
    ("analyst.one@example.org", "see provisional data", "Analyst One (analyst)"),  # the role the action needs
    ("root", "load data", OPERATOR_NAME),  # the command line records the operating-system user
    ("svc_dashboard", "rebase a chart", OPERATOR_NAME),
    ("public", "load data", "public"),
    ("demo build", "load data", "demo build"),  # the demo's own identities, as recorded
    ("Performance co-ordinator (demo)", "write commentary", "Performance co-ordinator (demo)"),
    (None, "load data", ""),
    (float("nan"), "load data", ""),
    (pd.NA, "load data", ""),
])
def test_a_recorded_identity_is_shown_to_the_public_by_name_and_role(identity, action, public):
    assert public_name(identity, action) == public
    assert "@" not in public_name(identity, action)


@pytest.fixture(scope="module")
def staff_db(demo_db, tmp_path_factory):
    """The demo with a load, a rebase, an event and published commentary, each by STAFF_EMAIL (the hostile copy
    tests/test_hostile_visitors.py reads too: these tests only read it)."""
    return shared_hostile_database(demo_db, tmp_path_factory)


def drawn(at: AppTest) -> str:
    return " ".join(text_of(node.proto) for node in walk(at._tree) if getattr(node, "proto", None) is not None)


def test_anonymous_visitors_see_staff_by_name_and_role_not_email(staff_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(staff_db))
    monkeypatch.chdir(PROJECT_ROOT)
    visits = [("data", {}),  # the load audit
              ("priority_explorer", REBASE_PARAMS),  # the rebase caption
              ("priority_explorer", STORED_TEXT_PARAMS),  # the commentary credit
              ("overview", STORED_TEXT_PARAMS),
              ("commentary", STORED_TEXT_PARAMS)]
    for page, params in visits:
        at = open_page(page, **params)  # a new visitor, arriving with these filters
        assert staff_addresses(at) == [], page
        assert "Jane Smith" in drawn(at), page  # who did it is still said (by name; the role is escaped markdown)
    panel = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=240)  # a cold deck: minutes when busy
    panel.query_params.update({**STORED_TEXT_PARAMS, "mode": "panel"})
    panel.run()
    assert staff_addresses(panel) == [] and STAFF_PUBLIC_NAME in drawn(panel)


def test_the_event_log_shows_analysts_names_and_co_ordinators_addresses(staff_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(staff_db))
    monkeypatch.chdir(PROJECT_ROOT)
    for email, sees_address in ((ANALYST_EMAIL, False), (COORDINATOR_EMAIL, True)):
        at = open_page("what_if", at=signed_in_app(staff_db, role=None, email=email))  # by url_path, after a run
        log = [d.value for d in at.dataframe if "Added by" in d.value.columns]
        assert len(log) == 1
        assert (STAFF_EMAIL in set(log[0]["Added by"])) is sees_address, email
        if not sees_address:
            assert set(log[0]["Added by"]) == {STAFF_PUBLIC_NAME}
            assert [a for a in staff_addresses(at) if a != email] == []  # their own, in the sidebar, is theirs


def test_co_ordinators_still_see_who_loaded_by_address(staff_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(staff_db))
    monkeypatch.chdir(PROJECT_ROOT)
    at = signed_in_app(staff_db, role=None, email=COORDINATOR_EMAIL)
    at.switch_page("app_pages/data.py")
    at.run()
    audit = [d.value for d in at.dataframe if "loaded_by" in d.value.columns]
    assert STAFF_EMAIL in set(audit[0]["loaded_by"])
