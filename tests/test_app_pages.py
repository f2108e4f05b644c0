"""The app itself, through Streamlit's AppTest: every page, filters, and bad databases."""
from __future__ import annotations

import hashlib

import pytest
from streamlit.testing.v1 import AppTest

from conftest import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
PAGES = {
    "app_pages/overview.py": "Overview",
    "app_pages/priority_explorer.py": "Priority explorer",
    "app_pages/victim_satisfaction.py": "Victim satisfaction",
    "app_pages/missing_persons.py": "Missing persons",
    "app_pages/savings.py": "Savings",
    "app_pages/commentary.py": "Commentary",
    "app_pages/data.py": "Data",
    "app_pages/about.py": "About",
}


def run_page(page: str | None = None, **query_params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query_params.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


@pytest.mark.parametrize("page, title", PAGES.items())
def test_every_page_renders_with_its_title(app_env, page, title):
    at = run_page(page)
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == [title]


def test_every_page_says_the_synthetic_data_is_synthetic(app_env):
    at = run_page()
    assert any("synthetic" in info.value for info in at.sidebar.info)


def test_overview_lists_all_eighteen_priorities(app_env):
    at = run_page()
    table = at.dataframe[0].value
    numbers = {int(p.split(".")[0]) for p in table["Priority"]}
    assert numbers == set(range(1, 19))
    row15 = table[table["Priority"].str.startswith("15.")].iloc[0]
    assert row15["Status"] == "in development" and row15["Why"]


def test_overview_shows_real_force_counts_for_a_quarter(app_env):
    at = run_page(quarter="Q1 2020/21")
    table = at.dataframe[0].value
    asb = table[table["Measure"] == "ASB incidents"].iloc[0]
    # April to June 2020, force area, counted from the police.uk files
    assert asb["Source"] == "police.uk"
    assert asb["Q1 2020/21"] != "–"


def test_area_filter_changes_the_numbers(app_env):
    force = run_page().dataframe[0].value
    rutland = run_page(area="Rutland").dataframe[0].value
    measure = "All recorded crime (police.uk, excluding ASB)"
    period = force.columns[3]
    force_value = int(force[force["Measure"] == measure].iloc[0][period].replace(",", ""))
    rutland_value = int(rutland[rutland["Measure"] == measure].iloc[0][period].replace(",", ""))
    assert 0 < rutland_value < force_value / 10


def test_filters_selected_by_url_are_shown_in_the_sidebar(app_env):
    at = run_page(area="Charnwood", period="Financial year", fy="2020/21")
    assert at.selectbox(key="area").value == "E07000130"
    assert at.selectbox(key="fy").value == "2020/21"
    assert "Charnwood · 2020/21" in at.caption[0].value


def test_filters_hold_when_switching_page(app_env):
    at = run_page(area="Melton")
    at.switch_page("app_pages/missing_persons.py")
    at.run()
    assert at.selectbox(key="area").value == "E07000133"
    assert at.caption[0].value.startswith("Melton")


def test_priority_filter_narrows_the_overview(app_env):
    at = run_page(priority="8. Anti-social behaviour")
    table = at.dataframe[0].value
    assert set(table["Priority"]) == {"8. Anti-social behaviour"}


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_corrupt_database_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    corrupt = tmp_path / "corrupt.duckdb"
    corrupt.write_bytes(b"not a database" * 500)
    before = digest(corrupt)
    monkeypatch.setenv("DASHBOARD_DB", str(corrupt))
    at = run_page()
    assert not at.exception
    assert "could not be opened" in at.error[0].value
    assert digest(corrupt) == before


def test_wrong_version_database_gives_a_message(demo_copy, monkeypatch):
    import duckdb

    con = duckdb.connect(str(demo_copy))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    before = digest(demo_copy)
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = run_page()
    assert not at.exception
    assert "schema version '99'" in at.error[0].value
    assert digest(demo_copy) == before


def test_first_start_builds_the_demo_where_none_exists(tmp_path, monkeypatch):
    target = tmp_path / "fresh" / "dashboard.duckdb"
    monkeypatch.setenv("DASHBOARD_DB", str(target))
    at = run_page()
    assert not at.exception
    assert target.exists()
    assert [t.value for t in at.title] == ["Overview"]
