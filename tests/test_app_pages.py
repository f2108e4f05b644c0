"""The app itself, through Streamlit's AppTest: every page, filters, and bad databases."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT
from streamlit.testing.v1 import AppTest

APP = str(PROJECT_ROOT / "app.py")
def run_page(page: str | None = None, timeout: float = 60, **query_params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in query_params.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


def navigation_pages(at: AppTest) -> dict[str, str]:
    """The pages the app's st.navigation registered on its last run: script path (relative to app.py) -> title."""
    return {str(Path(info["script_path"]).relative_to(PROJECT_ROOT)): info["page_name"]
            for info in at._registered_pages.values()}


def test_every_page_st_navigation_serves_renders_with_its_title(app_env):
    at = run_page()
    pages = navigation_pages(at)
    assert len(pages) > 1 and "app_pages/overview.py" in pages, pages  # the registry was read, not a fallback
    drawn = {}
    for page in pages:
        at = run_page(page, timeout=240)  # the paper's first view typesets it: minutes on a busy machine
        assert not at.exception, (page, at.exception)
        drawn[page] = [t.value for t in at.title]
    assert drawn == {page: [title] for page, title in pages.items()}


def test_every_page_says_the_synthetic_data_is_synthetic(app_env):
    at = run_page()
    assert any("synthetic" in info.value for info in at.sidebar.info)


def overview_html(at: AppTest) -> str:
    return at.get("html")[0].proto.body


def test_overview_lists_all_eighteen_priorities_with_p15_in_development(app_env):
    at = run_page()
    html = overview_html(at)
    for number in range(1, 19):
        assert f">{number}. " in html, number
    assert "Measures in development" in html and "in development" in html


def test_overview_shows_real_force_counts_for_a_quarter(app_env):
    html = overview_html(run_page(quarter="Q1 2021/22"))
    # ASB incidents, force area: Q1 2021/22 against Q1 2020/21, from the police.uk files
    assert "2,969" in html and "4,445" in html and "-1,476 (-33.2%)" in html


def test_overview_says_why_asb_cannot_be_compared_in_q1_2020_21(app_env):
    html = overview_html(run_page(quarter="Q1 2020/21"))
    assert "No comparison with Q1 2019/20 is possible, because the data starts in 2019-12" in html


def test_overview_draft_narrative_for_asb_in_december_2021_is_statistically_low(app_env):
    # December 2021, not April 2020 as before: April 2020 read "statistically high" only with later months
    # (see tests/test_overview_table.py::test_asb_april_2020_reads_as_it_stood_then_not_with_hindsight).
    at = run_page(period="Months", **{"from": "2021-12", "to": "2021-12"})
    items = re.findall(r"<li>(.*?)</li>", at.expander[0].get("html")[0].proto.body)
    drafts = [item for item in items if "ASB incidents," in item]
    assert drafts and "statistically low" in drafts[0] and drafts[0].startswith("<strong>Draft.</strong>")


def test_overview_rows_link_to_the_explorer_with_the_filters(app_env):
    html = overview_html(run_page(area="Charnwood", quarter="Q1 2021/22"))
    assert 'href="explorer?area=Charnwood&amp;period=Quarter&amp;quarter=Q1+2021%2F22&amp;priority=8.+Anti-social+behaviour"' in html


def test_area_filter_changes_the_numbers(app_env):
    force = overview_html(run_page(quarter="Q1 2021/22"))
    rutland = overview_html(run_page(area="Rutland", quarter="Q1 2021/22"))
    assert "2,969" in force and "2,969" not in rutland


def test_overview_rag_rule_is_stated(app_env):
    at = run_page()
    assert any("How the RAG status is set" in m.value for m in at.markdown)


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


def test_the_force_area_opens_from_a_link_naming_it_by_its_full_name_or_by_its_option(app_env):
    """The Area filter names the force area by a shorter option (its full name was cut in the sidebar's box): a link
    shared with the full name still opens it, as does one with the option; the caption names it in full."""
    import duckdb

    con = duckdb.connect(str(app_env), read_only=True)
    force_id, full_name = con.execute("SELECT id, name FROM areas WHERE kind = 'force'").fetchone()
    con.close()
    box = run_page().selectbox(key="area")
    assert box.value == force_id
    option = box.options[box.index]
    assert option != full_name
    for named in (full_name, option):
        at = run_page(area=named, quarter="Q1 2021/22")
        assert at.selectbox(key="area").value == force_id, named
        assert at.caption[0].value.startswith(f"{full_name} · Q1 2021/22"), named


def test_priority_filter_narrows_the_overview(app_env):
    html = overview_html(run_page(priority="8. Anti-social behaviour"))
    assert ">8. Anti-social behaviour<" in html and ">9. " not in html


@pytest.mark.parametrize("params", [
    {"priority": "8. Anti-social behaviour"},
    {"priority": "9. Victims of crime", "area": "Leicester City", "period": "Financial year", "fy": "2020/21"},
    {"priority": "17. Repeat missing persons", "area": "Melton", "period": "Months", "from": "2021-01", "to": "2021-06"},
    {"priority": "18. Savings", "area": "Rutland"},
    {"priority": "15. Child abuse and exploitation"},
    {"priority": "3. Alcohol and drugs", "quarter": "Q4 2021/22"},
])
def test_explorer_renders_for_filter_combinations(app_env, params):
    at = run_page("app_pages/priority_explorer.py", **params)
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Priority explorer"]
    assert at.main.header[0].value.startswith(params["priority"].split(".")[0] + ".")


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


def test_the_about_page_lists_the_synthetic_measures_under_headings_in_words(app_env):
    at = run_page("app_pages/about.py")
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["Priority", "Measure id", "Measure", "Partner"]
    assert table.iloc[0].tolist() == [1, "yjs_first_time_entrants", "First-time entrants to the youth justice system",
                                      "Youth Offending Services"]


def test_the_about_page_says_what_an_lsoa_is(app_env):
    at = run_page("app_pages/about.py")
    sources = next(m.value for m in at.markdown if "**Sources**" in m.value)
    assert "LSOA (Lower Layer Super Output Area, a small census area" in " ".join(sources.split())
