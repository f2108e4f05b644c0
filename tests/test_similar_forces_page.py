"""The Similar forces page through AppTest: defaults, the peer set from the URL, the break, the table."""
from __future__ import annotations

from conftest import PROJECT_ROOT
from streamlit.testing.v1 import AppTest

APP = str(PROJECT_ROOT / "app.py")
PAGE = "app_pages/similar_forces.py"
EAST_MIDLANDS = ["Derbyshire", "Lincolnshire", "Northamptonshire", "Nottinghamshire"]


def open_page(**query_params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query_params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def comparison(at: AppTest):
    return at.dataframe[0].value


def test_the_page_opens_on_all_crime_with_the_region_as_default_peers_and_says_why(app_env):
    at = open_page()
    assert [t.value for t in at.title] == ["Similar forces"]
    assert at.selectbox(key="peer_group").value == "all_excl_fraud"
    assert at.multiselect(key="peers").value == EAST_MIDLANDS
    basis = " ".join(c.value for c in at.caption)
    assert "No Most Similar Group is supplied for Leicestershire" in basis and "East Midlands" in basis
    assert "Contains public sector information licensed under the Open Government Licence v3.0." in basis


def test_the_table_compares_rates_per_1000_and_the_index_in_december_2018(app_env):
    table = comparison(open_page())
    # the force first, then its peers by rate (Derbyshire lowest), then their average
    assert list(table["Force"]) == ["Leicestershire", *EAST_MIDLANDS, "Average of the 5 forces (unweighted)"]
    leicestershire = table.iloc[0]
    assert leicestershire["Offences"] == 87167  # the file's 21 offences, fraud left out, 12 months to December 2018
    assert leicestershire["Residents"] == 1017697  # Census 2011
    assert leicestershire["Rate per 1,000 residents"] == 85.65  # 87,167 / 1,017.697
    assert str(leicestershire["Base: 12 months ending"]) == "2003-03-31"


def test_peers_come_from_the_url_and_unknown_names_are_dropped(app_env):
    at = open_page(peers=["Kent", "Nowhere"])
    assert at.multiselect(key="peers").value == ["Kent"]
    assert list(comparison(at)["Force"][:2]) == ["Leicestershire", "Kent"]


def test_the_user_can_edit_the_peer_set_and_the_base_period(app_env):
    at = open_page()
    at.multiselect(key="peers").set_value(["Kent", "Essex"]).run()
    at.selectbox(key="peer_base").set_value("2010-03-31").run()
    table = comparison(at)
    assert set(table["Force"][:3]) == {"Leicestershire", "Kent", "Essex"}
    assert str(table["Base: 12 months ending"].iloc[0]) == "2010-03-31"


def test_the_burglary_group_shows_the_break_as_a_rebase_with_its_reason(app_env):
    at = open_page()
    at.selectbox(key="peer_group").set_value("burglary_residential").run()
    assert not at.exception, at.exception
    assert any("changed definition in April 2017" in w.value for w in at.warning)
    assert any(i.value.startswith("**Rebased at the year ending March 2018: burglary definition changed.**")
               for i in at.info)
    assert comparison(at)["Note"].iloc[0].startswith("Not like for like")


def test_the_control_chart_can_use_years_ending_in_december(app_env):
    at = open_page()
    at.selectbox(key="peer_year_end").set_value(12).run()
    assert not at.exception, at.exception
    assert any("Control chart of All recorded crime (excluding fraud), Leicestershire, December 2007 to December 2018"
               in c.value for c in at.caption)


def test_with_no_other_force_the_page_still_shows_leicestershire_and_says_what_to_do(app_env):
    at = open_page()
    at.multiselect(key="peers").set_value([]).run()
    assert not at.exception, at.exception
    assert any("add forces above" in i.value for i in at.info)
    assert list(comparison(at)["Force"]) == ["Leicestershire"]  # no average of one force
