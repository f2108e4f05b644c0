"""A role lives only as long as a recent, verified sign-in, and only with a strong cookie secret (#23, items 7
and 14): roles come from the stored grants and the provider's claims, read afresh; an unverified e-mail address
is a viewer; a sign-in older than [sign_in] max_age_minutes, or signed out in another tab, changes nothing."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import duckdb
import pytest
from conftest import TEST_AUTH, shown, signed_in_app

import access
from access import ANALYST, COORDINATOR, VIEWER, Actor, NotAllowed

GRANTS = [{"principal": "ann@example.org", "kind": "email", "role": COORDINATOR},
          {"principal": "G-ANALYSTS", "kind": "group", "role": ANALYST}]
PARAMS = {"priority": "8. Anti-social behaviour", "quarter": "Q1 2021/22"}


@pytest.mark.parametrize("verified", [False, "false", None, "missing"])
def test_an_unverified_email_address_is_a_viewer_whatever_its_grants(verified):
    claims = {"email": "ann@example.org", "groups": ["G-ANALYSTS"]}
    if verified != "missing":
        claims["email_verified"] = verified
    assert access.resolve_role(claims, GRANTS) == VIEWER


@pytest.mark.parametrize("verified", [True, "true"])
def test_a_verified_email_address_takes_its_grant(verified):
    assert access.resolve_role({"email": "Ann@Example.org", "email_verified": verified}, GRANTS) == COORDINATOR
    assert access.resolve_role({"email": "bob@example.org", "email_verified": verified, "groups": ["G-ANALYSTS"]},
                               GRANTS) == ANALYST
    assert access.resolve_role({"email": "bob@example.org", "email_verified": verified}, GRANTS) == VIEWER


def signed_in(minutes_ago: float, identity: str = "ann@example.org") -> Actor:
    return Actor(identity, COORDINATOR, "sign-in", datetime.now(timezone.utc) - timedelta(minutes=minutes_ago))


def test_a_write_needs_a_recent_sign_in():
    max_age = access.settings().sign_in_max_age.total_seconds() / 60
    assert access.require(signed_in(max_age - 5), "write commentary")
    with pytest.raises(NotAllowed, match="sign-in is more than"):
        access.require(signed_in(max_age + 1), "write commentary")
    assert not access.visibility(signed_in(max_age + 1), datetime.now(timezone.utc)).include_provisional


def test_signing_out_ends_every_earlier_sign_in_of_that_user():
    before, other = signed_in(5, "sign-out-test@example.org"), signed_in(5, "someone-else@example.org")
    access.record_sign_out("Sign-Out-Test@example.org")
    with pytest.raises(NotAllowed, match="signed out"):
        access.require(before, "write commentary")
    assert access.require(other, "write commentary")
    assert access.require(signed_in(-0.1, "sign-out-test@example.org"), "write commentary")  # signed in again


def test_the_sign_in_time_is_the_tokens_issue_time():
    assert access.signed_in_at({"iat": 1_700_000_000}) == datetime.fromtimestamp(1_700_000_000, timezone.utc)
    assert access.signed_in_at({}) is None and access.signed_in_at({"iat": "soon"}) is None


@pytest.mark.parametrize("secret", [None, "", "secret", "changeme", "a long random string", "x" * 31])
def test_a_weak_or_missing_cookie_secret_is_refused(secret):
    assert access.cookie_secret_problem(secret)


def test_the_readmes_example_cookie_secret_is_refused():
    import re
    import tomllib

    from conftest import PROJECT_ROOT

    example = re.search(r"```toml\n *(\[auth\].*?)```", (PROJECT_ROOT / "README.md").read_text(), re.S).group(1)
    secret = tomllib.loads(re.sub(r"^ +", "", example, flags=re.M))["auth"]["cookie_secret"]
    assert access.cookie_secret_problem(secret)


def test_a_long_random_cookie_secret_is_accepted():
    import secrets

    assert access.cookie_secret_problem(secrets.token_urlsafe(48)) is None
    assert access.cookie_secret_problem(TEST_AUTH["cookie_secret"]) is None


def commentary_as(db, monkeypatch, **claims):
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = signed_in_app(db, **claims)
    at.query_params.update(PARAMS)
    at.run()
    at.switch_page("app_pages/commentary.py")
    at.run()
    assert not at.exception, at.exception
    return at


def saved_commentary(db) -> list:
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return con.execute("SELECT version FROM commentary WHERE priority_id = 8").fetchall()
    finally:
        con.close()


def test_a_coordinator_signed_in_too_long_ago_saves_nothing_and_keeps_their_text(demo_copy, monkeypatch):
    before = saved_commentary(demo_copy)
    old = int(time.time() - access.settings().sign_in_max_age.total_seconds() - 60)
    at = commentary_as(demo_copy, monkeypatch, iat=old)
    assert any("Sign in again" in w.value for w in at.sidebar.warning)
    at.text_area[0].input("Words typed before lunch")
    [b for b in at.button if b.label == "Save as draft"][0].click()
    at.run()
    assert not at.exception
    assert any("sign-in is more than" in shown(e.value) and "Nothing was saved" in shown(e.value) for e in at.error)
    assert at.text_area[0].value == "Words typed before lunch"
    assert saved_commentary(demo_copy) == before


def test_a_coordinator_signed_in_just_now_saves(demo_copy, monkeypatch):
    before = saved_commentary(demo_copy)
    at = commentary_as(demo_copy, monkeypatch)
    at.text_area[0].input("Fresh words")
    [b for b in at.button if b.label == "Save as draft"][0].click()
    at.run()
    assert not at.error and len(saved_commentary(demo_copy)) == len(before) + 1


def test_a_coordinator_with_an_unverified_address_is_a_viewer(demo_copy, monkeypatch):
    at = commentary_as(demo_copy, monkeypatch, email_verified=False)
    assert any("(viewer)" in c.value for c in at.sidebar.caption)
    assert not [b for b in at.button if b.label == "Save as draft"]


@pytest.mark.parametrize("secret", ["secret", "a long random string"])
def test_a_weak_cookie_secret_turns_sign_in_off_and_says_how_to_make_a_strong_one(app_env, secret):
    from conftest import PROJECT_ROOT
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = {**TEST_AUTH, "cookie_secret": secret}
    at.user = {"is_logged_in": True, "email": "co-ordinator@example.org", "email_verified": True,
               "iat": int(time.time())}  # a cookie forged with the weak secret
    at.run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "Sign-in is turned off" in message and "secrets.token_urlsafe(48)" in message
    assert not [b for b in at.button if b.label in ("Sign in", "Sign out")]
    at.switch_page("app_pages/commentary.py")
    at.run()
    assert not [b for b in at.button if b.label == "Save as draft"]  # the forged co-ordinator is a viewer
