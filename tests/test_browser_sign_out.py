"""In a real browser, through the local OpenID Connect provider (#23, item 7): an address the provider has not
verified is a viewer whatever its grant, and signing out in one tab ends the sign-in in the user's other tabs."""
from __future__ import annotations

import time

import duckdb
import pytest
from browser import as_shown, chromium_page, sign_in, wait_idle
from conftest import SIGN_OUT_EMAIL, UNVERIFIED_EMAIL

from core.settings import settings

pytestmark = pytest.mark.browser

MAX_AGE_S = settings().sign_in_max_age.total_seconds()
COMMENTARY = "/commentary?priority=8.+Anti-social+behaviour&quarter=Q1+2021%2F22"


def test_an_address_the_provider_has_not_verified_is_a_viewer(auth_server):
    url, _ = auth_server
    with chromium_page() as page:
        sign_in(page, url, UNVERIFIED_EMAIL)  # granted co-ordinator, but email_verified is false
        assert page.get_by_text(as_shown(f"Signed in as {UNVERIFIED_EMAIL} (viewer)")).count() == 1
        # The sign-in cookies last as long as a sign-in counts, not Streamlit's 30 days.
        cookies = [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
        assert cookies and all(c["expires"] - time.time() <= MAX_AGE_S + 60 for c in cookies), cookies
        page.goto(url + COMMENTARY)
        page.get_by_role("heading", name="Commentary", exact=True).wait_for(timeout=60000)
        wait_idle(page)
        assert page.get_by_role("button", name="Save as draft").count() == 0


def test_signing_out_in_one_tab_stops_a_save_from_another(auth_server):
    url, db = auth_server
    with chromium_page() as page:
        other = page.context.new_page()  # two tabs of one browser: one sign-in cookie
        sign_in(page, url, SIGN_OUT_EMAIL)
        other.goto(url + COMMENTARY)
        other.get_by_role("button", name="Save as draft").wait_for(timeout=60000)
        wait_idle(other)
        box = other.get_by_role("textbox", name="Commentary")
        box.fill("Written in the other tab")
        # The box sends its text when it loses focus: here, with its run over before the save, not on the click.
        # Left to the click, the box's message (on the mouse's press) and the button's (on its release) come a
        # moment apart, and Streamlit (fastReruns) stops the first run and starts one for the second: when the
        # first, slowed on a busy server, applies its widget states after the second has (clearing every
        # button's click as it does), the save's run sees no click, so no save and no refusal (a CI failure).
        box.blur()
        wait_idle(other)
        page.bring_to_front()
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/end_session**", timeout=60000)  # the cookie is gone; the provider ends its session
        other.bring_to_front()
        wait_idle(other)
        other.get_by_role("button", name="Save as draft").click()  # the click alone: one message, one run
        # the save's refusal (the sidebar may also warn, in the same words, that the sign-in has lapsed)
        other.get_by_test_id("stAlertContentError").get_by_text("You have signed out of the dashboard").wait_for(timeout=60000)
        wait_idle(other)
        assert box.first.input_value() == "Written in the other tab"
    con = duckdb.connect(str(db.resolve()), read_only=True)
    saved = con.execute("SELECT count(*) FROM commentary WHERE author = ?", [SIGN_OUT_EMAIL]).fetchone()[0]
    con.close()
    assert saved == 0
