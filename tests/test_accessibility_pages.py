"""Accessibility through AppTest: every chart's data is also a table, and the accessibility statement
follows the UK public sector model (tests/test_browser_accessibility.py checks every page links to it)."""
from __future__ import annotations

import pandas as pd
import pytest
from test_app_pages import run_page

from components.downloads import TABLE_LABEL, readable_table

EXPLORER_VIEWS = ["Control chart", "Year on year", "Rolling 12 months", "Forecast", "Areas"]
CHART_PAGES = [("app_pages/priority_explorer.py", {"priority": "8. Anti-social behaviour", "view": view})
               for view in EXPLORER_VIEWS] + [
    ("app_pages/victim_satisfaction.py", {}), ("app_pages/missing_persons.py", {}), ("app_pages/savings.py", {}),
    ("app_pages/similar_forces.py", {}),
    ("app_pages/priority_explorer.py", {"priority": "16. Mental health",  # a cumulative measure: its progress chart
                                        "measure": "Front-line staff trained in mental health (%)"}),
]


def blocks(node):
    """Every block of the page's main area, with its elements in order."""
    children = list(getattr(node, "children", {}).values())
    yield children
    for child in children:
        yield from blocks(child)


@pytest.mark.parametrize("page, params", CHART_PAGES, ids=[f"{p}-{q.get('view', q.get('priority', ''))}" for p, q in CHART_PAGES])
def test_every_chart_is_followed_by_its_data_as_a_table(app_env, page, params):
    at = run_page(page, **params)
    assert not at.exception, at.exception
    charts = 0
    for children in blocks(at.main):
        types = [getattr(c, "type", None) for c in children]
        for index, kind in enumerate(types):
            if kind != "vega_lite_chart":
                continue
            charts += 1
            following = children[index + 1:]
            table = next(c for c in following if getattr(c, "type", None) == "expander")
            assert table.label == TABLE_LABEL
            assert [getattr(c, "type", None) for c in table.children.values()] == ["table"]
    assert charts >= 1
    if "measure" in params:
        assert any("cumulative progress measure" in c.value for c in at.caption)


def test_chart_data_reads_as_words_and_figures():
    data = pd.DataFrame({"month": pd.to_datetime(["2022-03-01", "2022-04-01"]), "value": [887.0, 882.0],
                         "segment": [0, 0], "trial_limits": [False, True], "rule": [0, 1], "flag": [0, -1],
                         "rule_label": ["Common Cause", "Below LCL"],
                         "rule_words": ["common cause", "below the lower limit"], "special_cause": ["common_cause", "improvement"],
                         "area_id": ["E23000021"] * 2, "2021/22": [1.0, 2.0]})
    table = readable_table(data)
    # NHSRplotthedots' rule name stays out of sight: the method notes use it, people read the plain words.
    assert list(table.columns) == ["Month", "Value", "Provisional limits", "SPC rule", "Variation", "2021/22"]
    assert table.to_dict("list") == {"Month": ["March 2022", "April 2022"], "Value": [887.0, 882.0],
                                     "Provisional limits": ["No", "Yes"], "SPC rule": ["common cause", "below the lower limit"],
                                     "Variation": ["Common cause", "Improvement"], "2021/22": [1.0, 2.0]}


def test_the_statement_follows_the_public_sector_model(app_env):
    at = run_page("app_pages/accessibility.py")
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Accessibility statement"]
    assert [h.value for h in at.main.header] == [
        "How accessible this dashboard is", "Feedback and contact information",
        "Reporting accessibility problems with this dashboard", "Enforcement procedure",
        "Technical information about this dashboard's accessibility", "What we are doing to improve accessibility",
        "Preparation of this accessibility statement"]
    assert [h.value for h in at.main.subheader] == ["Compliance status", "Non-accessible content"]
    text = " ".join(m.value for m in at.markdown)
    for phrase in ["partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard",
                   "Equality and Human Rights Commission (EHRC)", "Equality Advisory and Support Service (EASS)",
                   "Equality Commission for Northern Ireland (ECNI)",
                   "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018",
                   "Non-compliance with the accessibility regulations", "Disproportionate burden",
                   "Chart data as a table", "This statement was prepared on"]:
        assert phrase in text, phrase


@pytest.mark.parametrize("page, params", CHART_PAGES, ids=[f"{p}-{q.get('view', q.get('priority', ''))}" for p, q in CHART_PAGES])
def test_no_chart_table_shows_a_raw_column_name(app_env, page, params):
    at = run_page(page, **params)
    assert not at.exception, at.exception
    for table in at.table:
        raw = [c for c in table.value.columns if "_" in str(c)]
        assert raw == [], f"raw column names in a chart's table: {raw}"


def test_the_control_chart_table_names_its_columns_in_words(app_env):
    at = run_page("app_pages/priority_explorer.py", priority="8. Anti-social behaviour", view="Control chart")
    assert not at.exception, at.exception
    assert list(at.table[0].value.columns) == [
        "Month", "Value", "Mean", "Lower process limit", "Upper process limit", "Lower 2-sigma limit",
        "Upper 2-sigma limit", "Provisional limits", "SPC rule", "Variation"]


def test_the_savings_waterfall_table_has_steps_and_amounts_not_a_kind_of_area(app_env):
    # The bars' colour key ("total" or "saving") once showed under the areas' heading "Kind of area".
    at = run_page("app_pages/savings.py")
    assert not at.exception, at.exception
    assert list(at.table[0].value.columns) == ["Step", "Amount (£m)"]
