"""Victim satisfaction, missing persons and savings pages through AppTest."""
from __future__ import annotations

import re

import duckdb
import pytest
from conftest import shown
from test_app_pages import run_page


def test_satisfaction_small_numbers_show_amber_with_the_reason(app_env):
    at = run_page("app_pages/victim_satisfaction.py", quarter="Q2 2021/22")
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any(shown(w).startswith("**Amber, small numbers: Rape victim satisfaction (%).**") and "fewer than 50" in w
               for w in warnings)
    table = at.dataframe[0].value
    rape = table[table["Survey"].str.startswith("Rape")].iloc[0]
    assert rape["Sample"] == "Amber: small numbers" and rape["Responses"] < 50


def test_the_threshold_is_configurable(app_env):
    at = run_page("app_pages/victim_satisfaction.py", quarter="Q2 2021/22", small_n="200")
    table = at.dataframe[0].value
    amber = set(table.loc[table["Sample"] == "Amber: small numbers", "Survey"])
    assert len(amber) >= 3  # samples of 69 to 192 are now small


def test_satisfaction_table_intervals_are_wilson(app_env, demo_db):
    # Wilson 95% intervals, worked by hand (z = 1.959964, z² = 3.841459) and checked against statsmodels'
    # proportion_confint(method="wilson"). Rape, 11 of 17: p 0.647059, z²/n 0.225968, d 1.225968;
    # centre (0.647059 + 0.112984)/1.225968 = 0.619953; half 1.959964·sqrt(0.013434 + 0.003323)/1.225968
    # = 1.959964·0.129448/1.225968 = 0.206950; so 41.3 to 82.7. The others are worked the same way.
    expected = {
        "Domestic abuse victim satisfaction (%)": (105, 119, "81.2 to 92.9"),
        "Rape victim satisfaction (%)": (11, 17, "41.3 to 82.7"),
        "Hate crime victim satisfaction (%)": (77, 92, "74.8 to 89.9"),
        "ASB victim satisfaction (%)": (134, 169, "72.6 to 84.7"),
        "All-user satisfaction: burglary, vehicle and violent crime victims (%)": (236, 294, "75.3 to 84.4"),
        "Burglary victim satisfaction (%)": (82, 98, "75.1 to 89.7"),
        "Violent crime victim satisfaction (%)": (81, 104, "69.0 to 84.8"),
        "Vehicle crime victim satisfaction (%)": (73, 92, "70.0 to 86.4"),
    }
    at = run_page("app_pages/victim_satisfaction.py", quarter="Q2 2021/22")
    table = at.dataframe[0].value
    shown = {row["Survey"]: (row["Satisfied"], row["Responses"], row["95% interval"]) for row in table.to_dict("records")}
    assert shown == expected


def test_all_user_is_pooled_from_its_three_surveys_on_the_page(app_env):
    table = run_page("app_pages/victim_satisfaction.py", quarter="Q2 2021/22").dataframe[0].value.set_index("Survey")
    parts = [s for s in table.index if s.startswith(("Burglary", "Violent", "Vehicle"))]
    all_user = table.loc[[s for s in table.index if s.startswith("All-user")][0]]
    assert all_user["Responses"] == sum(table.loc[p, "Responses"] for p in parts)
    assert all_user["Satisfied"] == sum(table.loc[p, "Satisfied"] for p in parts)


@pytest.mark.parametrize("area, quarter", [("Leicester, Leicestershire and Rutland (force area)", "Q2 2021/22"),
                                           ("Charnwood", "Q1 2020/21"), ("Leicestershire County", "Q4 2021/22")])
def test_missing_persons_page_matches_a_direct_count(app_env, area, quarter):
    at = run_page("app_pages/missing_persons.py", area=area, quarter=quarter)
    assert not at.exception
    shown = [int(m.value.replace(",", "")) for m in at.metric[:3]]
    con = duckdb.connect(str(app_env), read_only=True)
    area_id = con.execute("SELECT id FROM areas WHERE name = ?", [area]).fetchone()[0]
    from analysis import calendar as cal

    period = cal.parse_period_label(quarter)
    expected = con.execute(
        """
        WITH r AS (SELECT r.person_id FROM missing_person_reports r JOIN area_ancestors aa ON aa.area_id = r.area_id
                   WHERE aa.ancestor_id = ? AND r.report_date >= ? AND r.report_date < ?)
        SELECT COUNT(*), COUNT(DISTINCT person_id),
               (SELECT COUNT(*) FROM (SELECT person_id FROM r GROUP BY 1 HAVING COUNT(*) > 1)) FROM r
        """, [area_id, period.start, (period.last + 1).start_time.date()]).fetchone()
    assert shown == list(expected)


def test_missing_persons_page_never_shows_a_person_id(app_env):
    at = run_page("app_pages/missing_persons.py", area="Melton")
    text = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.metric])
    for frame in at.dataframe:
        text += frame.value.to_csv()
    assert not re.search(r"\bP\d{5}\b", text)
    assert any("Statistical disclosure control" in c.value for c in at.caption)


def test_missing_persons_breakdown_withholds_whole_rows_with_small_counts(app_env):
    at = run_page("app_pages/missing_persons.py", area="Leicestershire County", quarter="Q1 2021/22")
    breakdown = at.table[-1].value  # the data behind the shown "[c]": counts stay numbers, withheld ones missing
    counts = breakdown[["Reports", "Individuals", "Reported 2+ times"]]
    assert str(counts["Reports"].dtype) == "float64"  # numbers (NaN where withheld), shown as "[c]"
    shown = counts.stack().dropna()
    assert ((shown == 0) | (shown >= 5)).all()
    for area, rows in breakdown.groupby("Area"):  # a row is withheld whole, or shown whole
        hidden = rows[["Reports", "Individuals", "Reported 2+ times"]].isna()
        assert hidden.all(axis=0).equals(hidden.any(axis=0)), area
    assert counts.isna().any().any()


def test_breakdown_is_for_quarters_only(app_env):
    at = run_page("app_pages/missing_persons.py", area="Rutland", period="Months", **{"from": "2022-04", "to": "2022-04"})
    assert any("published for financial quarters only" in i.value for i in at.info)


def test_savings_page_shows_the_plan(app_env):
    at = run_page("app_pages/savings.py", period="Months", **{"from": "2022-04", "to": "2022-04"})
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # the seed's position: a £23m shortfall of which £7.7m banked, £9.5m forecast and £5.8m still to find
    assert metrics == {"Shortfall": "£23.00m", "Banked": "£7.70m", "Forecast": "£9.50m", "Still to find": "£5.80m"}
    assert any("Police and Crime Plan headline target: over £20.00m" in c.value for c in at.caption)
