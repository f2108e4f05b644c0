"""The sidebar's Area filter names an area by a short option where its full name would not fit the box (the force
area: "Whole force area"); an address naming the area by either form opens it, in the sidebar and in Panel mode."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.filters import FilterOptions, filters_from_url

FULL, SHORT = "Beta, Gamma and Delta (force area)", "Whole Beta"


def options() -> FilterOptions:
    return FilterOptions(priorities={}, areas={"A": "Alpha", "B": FULL}, first_month=pd.Period("2021-01", "M"),
                         last_month=pd.Period("2021-12", "M"), area_labels={"B": SHORT})


def test_an_area_is_found_by_its_option_or_its_full_name():
    chosen = options()
    assert chosen.area_label("B") == SHORT and chosen.area_label("A") == "Alpha"  # no short option: the name
    assert chosen.area_named(FULL) == chosen.area_named(SHORT) == "B"
    assert chosen.area_named("Nowhere") is None


@pytest.mark.parametrize("named", [FULL, SHORT])
def test_panel_mode_opens_an_area_named_either_way_and_links_on_with_the_option(named):
    filters = filters_from_url({"area": named}, options())
    assert (filters.area_id, filters.area_name) == ("B", FULL)  # headings give the full name
    assert filters.url_params["area"] == SHORT  # the value the sidebar's select binds


def test_panel_mode_refuses_an_unknown_area_naming_the_options():
    with pytest.raises(ValueError, match=f"Areas: Alpha, {SHORT}"):
        filters_from_url({"area": "Nowhere"}, options())


def area_filter_script():
    import pandas as pd
    import streamlit as st

    from components.filters import FilterOptions, accept_area_by_full_name

    chosen = FilterOptions(priorities={}, areas={"A": "Alpha", "B": "Beta, Gamma and Delta (force area)"},
                           first_month=pd.Period("2021-01", "M"), last_month=pd.Period("2021-12", "M"),
                           area_labels={"B": "Whole Beta"})
    accept_area_by_full_name(chosen)
    st.selectbox("Area", list(chosen.areas), key="area", bind="query-params", format_func=chosen.area_label)


@pytest.mark.parametrize("named", [FULL, SHORT])
def test_a_shared_link_naming_an_area_either_way_opens_it_in_the_sidebar(named):
    """Streamlit binds the option text and drops any other value: a link made when the option was the full name
    still opens that area, not the first."""
    at = AppTest.from_function(area_filter_script)
    at.query_params["area"] = named
    at.run()
    assert not at.exception
    assert at.selectbox(key="area").value == "B"
