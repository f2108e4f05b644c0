"""The Ad hoc tables page through AppTest: the selection from the URL, long and pivoted, and nothing written."""
from __future__ import annotations

from conftest import PROJECT_ROOT, open_page, table_checksum
from streamlit.testing.v1 import AppTest


def ad_hoc_page(**query_params) -> AppTest:
    return open_page("ad_hoc", **query_params)


def test_the_page_opens_with_vehicle_crime_for_the_force_area_by_quarter(app_env):
    at = ad_hoc_page()
    assert [t.value for t in at.title] == ["Ad hoc tables"]
    table = at.dataframe[0].value
    assert list(table["Period"]) == ["Q1 2021/22", "Q2 2021/22", "Q3 2021/22", "Q4 2021/22", "Q1 2022/23"]
    # police.uk vehicle crime in the force area, Q4 2021/22: January 573 + February 536 + March 649
    assert table.loc[table["Period"] == "Q4 2021/22", "Value"].tolist() == [1758.0]
    assert table["Note"].tolist()[-1] == "Partial: data for 1 of 3 months."


def test_a_selection_from_the_url_pivoted_by_area(app_env):
    before = table_checksum(app_env)
    at = ad_hoc_page(adhoc_measures=["Vehicle crime (police.uk category)", "Individuals reported missing"],
                     adhoc_areas=["Leicester City", "Rutland"], adhoc_grain="Financial years", adhoc_from="April 2021",
                     adhoc_to="March 2022", adhoc_layout="Pivot by area", adhoc_figure="Rate per 1,000 people")
    table = at.dataframe[0].value
    assert list(table.columns) == ["Measure", "Period", "Leicester City", "Rutland"]
    vehicle = table[table["Measure"] == "Vehicle crime (police.uk category)"].iloc[0]
    # 2021/22: Leicester City 510 + 523 + 760 + 774 = 2,567 vehicle crimes among 368,600 people
    assert vehicle["Period"] == "2021/22" and vehicle["Leicester City"] == round(1000 * 2567 / 368600, 3)
    assert any("count people: each period's figure is counted from the records" in i.value for i in at.info)
    assert table_checksum(app_env) == before


def test_a_pivot_by_period_puts_the_periods_across(app_env):
    at = ad_hoc_page(adhoc_grain="Months", adhoc_from="January 2022", adhoc_to="March 2022",
                     adhoc_layout="Pivot by period")
    table = at.dataframe[0].value
    assert list(table.columns) == ["Measure", "Area", "January 2022", "February 2022", "March 2022"]
    assert table.iloc[0][["January 2022", "February 2022", "March 2022"]].tolist() == [573.0, 536.0, 649.0]


def test_no_measure_chosen_says_what_to_do(app_env):
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/ad_hoc.py")
    at.run()
    at.multiselect(key="adhoc_measures").set_value([])
    at.run()
    assert not at.exception
    assert [i.value for i in at.main.info] == ["Choose at least one measure and one area."]
    assert len(at.dataframe) == 0
