"""The disclosure rule against an adversary: for every quarter, solve for each hidden cell of the
missing-person breakdown from every figure the app publishes, and find none determined.

The adversary assumes the worst: that counts add up across age bands and areas (true of
reports, and of people whenever nobody moves area or band within a quarter), and that
repeat individuals <= individuals <= reports, with reports >= individuals + repeats. It
bounds each hidden cell with linear programming; a cell whose bounds are less than 1 apart
is determined.
"""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import FORCE
from scipy.optimize import linprog

import dashboard_data
import queries
from analysis import calendar as cal
from analysis.disclosure import MEASURES, THRESHOLD, protect

QUARTERS = cal.quarters_between(cal.month("2019-12"), cal.month("2022-04"))


def published_totals(con, quarter) -> dict[str, dict[str, int]]:
    """Every area's published totals for the quarter (the Overview and the page headlines)."""
    areas = [r[0] for r in con.execute("SELECT id FROM areas WHERE kind <> 'unallocated'").fetchall()]
    return {area: queries.run(con, "app/missing_person_summary",
                              {"area_id": area, "first": quarter.start, "last": quarter.end}).iloc[0][list(MEASURES)].to_dict()
            for area in areas}


def leaves_under(con) -> dict[str, list[str]]:
    rows = con.execute("SELECT ancestor_id, area_id FROM area_ancestors JOIN areas a ON a.id = area_id "
                       "WHERE a.kind IN ('district', 'unitary authority')").fetchall()
    under: dict[str, list[str]] = {}
    for ancestor, leaf in rows:
        under.setdefault(ancestor, []).append(leaf)
    return under


def determined_cells(shown: pd.DataFrame, totals: dict, under: dict) -> list[tuple]:
    """Hidden cells (area, band, measure) that the published figures pin to one value."""
    cells = [(r.area_id, r.age_band, m) for r in shown.itertuples() for m in MEASURES]
    value = {(r.area_id, r.age_band, m): getattr(r, m) for r in shown.itertuples() for m in MEASURES}
    unknown = [c for c in cells if pd.isna(value[c])]
    if not unknown:
        return []
    index = {c: i for i, c in enumerate(unknown)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []

    def term(cell, coefficient, row):
        """Add a cell to a constraint row: to the unknowns, or to the constant side when shown."""
        if cell in index:
            row[index[cell]] += coefficient
            return 0.0
        return coefficient * float(value[cell])

    for area, leaves in under.items():  # every area's total is the sum of its leaves' cells
        for measure in MEASURES:
            row = np.zeros(len(unknown))
            known = sum(term((leaf, band, measure), 1.0, row) for leaf in leaves for band in ("child", "adult"))
            if row.any():
                a_eq.append(row)
                b_eq.append(totals[area][measure] - known)
    for area, band in {(c[0], c[1]) for c in cells}:  # repeats <= individuals <= reports; reports >= ind + rep
        for lower, upper in (("repeat_individuals", "individuals"), ("individuals", "reports")):
            row = np.zeros(len(unknown))
            known = term((area, band, lower), 1.0, row) + term((area, band, upper), -1.0, row)
            if row.any():
                a_ub.append(row)
                b_ub.append(-known)
        row = np.zeros(len(unknown))
        known = (term((area, band, "individuals"), 1.0, row) + term((area, band, "repeat_individuals"), 1.0, row)
                 + term((area, band, "reports"), -1.0, row))
        if row.any():
            a_ub.append(row)
            b_ub.append(-known)
    found = []
    for cell, i in index.items():
        objective = np.zeros(len(unknown))
        objective[i] = 1.0
        bounds = []
        for sign in (1.0, -1.0):
            result = linprog(sign * objective, A_ub=np.array(a_ub) if a_ub else None, b_ub=b_ub or None,
                             A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None), method="highs")
            assert result.status == 0, (cell, result.message)
            bounds.append(sign * result.fun)
        low, high = bounds
        if high - low < 1 - 1e-9:
            found.append((cell, low, high))
    return found


def breakdown(con, quarter) -> pd.DataFrame:
    return queries.run(con, "app/missing_person_breakdown", {"area_id": FORCE, "first": quarter.start, "last": quarter.end})


@pytest.mark.parametrize("quarter", QUARTERS, ids=[q.label for q in QUARTERS])
def test_no_hidden_cell_can_be_recovered_from_the_published_figures(demo_con, quarter):
    shown, hidden = protect(breakdown(demo_con, quarter))
    assert hidden > 0  # the test has something to attack in every quarter of the demo
    assert determined_cells(shown, published_totals(demo_con, quarter), leaves_under(demo_con)) == []


def test_the_adversary_recovers_cells_under_naive_cell_by_cell_suppression(demo_con):
    """Hiding only the small cells themselves (the old rule) leaves them recoverable: the adversary has teeth."""
    quarter = cal.quarter(2020, 1)
    naive = breakdown(demo_con, quarter)
    for measure in MEASURES:
        naive[measure] = naive[measure].astype("Int64").mask(naive[measure].between(1, THRESHOLD - 1))
    found = determined_cells(naive, published_totals(demo_con, quarter), leaves_under(demo_con))
    assert found, "naive suppression should be breakable"
    blaby = [cell for cell, _, _ in found if cell[0] == "E07000129"]
    assert blaby, found


# ---------------------------------------------------------------------------
# Totals too: every published count of people or reports, by quarter and by month
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def monthly_tables(demo_db) -> dict[str, pd.DataFrame]:
    """Every area's table by month as the page publishes it, read once: it is the same whichever quarter is attacked."""
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        areas = [r[0] for r in con.execute("SELECT id FROM areas WHERE kind <> 'unallocated'").fetchall()]
        return {area: dashboard_data.missing_person_periods(con, area, "month") for area in areas}
    finally:
        con.close()


def published_quarter_and_months(con, quarter, monthly_tables: dict[str, pd.DataFrame]) -> tuple[dict, dict]:
    """Every area's totals for the quarter (the Overview and the page's headline) and for each of its months (the
    page's table by month, from monthly_tables), as published: None where withheld."""
    areas = [r[0] for r in con.execute("SELECT id FROM areas WHERE kind <> 'unallocated'").fetchall()]
    assert set(monthly_tables) == set(areas)
    totals, months = {}, {}
    for area in areas:
        summary = dashboard_data.missing_person_summary(con, area, quarter)
        for measure in MEASURES:
            totals[(area, measure)] = None if pd.isna(summary[measure]) else float(summary[measure])
        monthly = monthly_tables[area]
        inside = pd.to_datetime(monthly["period_start"]).dt.to_period("M").between(quarter.first, quarter.last)
        for row in monthly[inside].itertuples():
            for measure in MEASURES:
                value = getattr(row, measure)
                months[(area, str(pd.Period(row.period_start, "M")), measure)] = None if pd.isna(value) else float(value)
    return totals, months


def attack(values: dict, equalities: list[list[tuple]], inequalities: list[list[tuple]]) -> list[tuple]:
    """The unknowns (value None) that the constraints pin to within 1: each constraint is a list of (key, coefficient),
    sum(coefficient * value) == 0 (equalities) or <= 0 (inequalities); every value is >= 0."""
    unknown = [key for key, value in values.items() if value is None]
    if not unknown:
        return []
    index = {key: i for i, key in enumerate(unknown)}

    def rows(constraints):
        a, b = [], []
        for terms in constraints:
            row, constant = np.zeros(len(unknown)), 0.0
            for key, coefficient in terms:
                if key in index:
                    row[index[key]] += coefficient
                else:
                    constant += coefficient * values.get(key, 0.0)
            if row.any():
                a.append(row)
                b.append(-constant)
        return (np.array(a) if a else None), (b or None)

    a_eq, b_eq = rows(equalities)
    a_ub, b_ub = rows(inequalities)
    found = []
    for key, i in index.items():
        objective = np.zeros(len(unknown))
        objective[i] = 1.0
        bounds = []
        for sign in (1.0, -1.0):
            result = linprog(sign * objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None),
                             method="highs")
            assert result.status == 0, (key, result.message)
            bounds.append(sign * result.fun)
        if bounds[1] - bounds[0] < 1 - 1e-9:
            found.append((key, *bounds))
    return found


def constraints_for(con, quarter, shown: pd.DataFrame, totals: dict, months: dict) -> tuple[dict, list, list]:
    """Every published figure of the quarter as values (None where withheld) and what an adversary knows of them."""
    under = leaves_under(con)
    values = {("cell", r.area_id, r.age_band, m): (None if pd.isna(getattr(r, m)) else float(getattr(r, m)))
              for r in shown.itertuples() for m in MEASURES}
    values.update({("total", *key): value for key, value in totals.items()})
    values.update({("month", *key): value for key, value in months.items()})
    month_names = sorted({month for _, month, _ in months})
    equalities, inequalities = [], []
    for area, leaves in under.items():
        for measure in MEASURES:
            # the quarter's total is the sum of its leaves' age-band cells; each month's, of its leaves' months
            equalities.append([(("total", area, measure), -1.0)]
                              + [(("cell", leaf, band, measure), 1.0) for leaf in leaves for band in ("child", "adult")])
            for month in month_names:
                equalities.append([(("month", area, month, measure), -1.0)]
                                  + [(("month", leaf, month, measure), 1.0) for leaf in leaves])
        # reports add up over months; individuals are at most the sum of the months'; people (individuals and
        # repeats: one reported twice in a month is reported twice in its quarter) at least any one month's
        equalities.append([(("total", area, "reports"), -1.0)]
                          + [(("month", area, month, "reports"), 1.0) for month in month_names])
        inequalities.append([(("total", area, "individuals"), 1.0)]
                            + [(("month", area, month, "individuals"), -1.0) for month in month_names])
        for measure in ("individuals", "repeat_individuals"):
            for month in month_names:
                inequalities.append([(("month", area, month, measure), 1.0), (("total", area, measure), -1.0)])
    prefixes = ([("cell", area, band) for area, band in {(r.area_id, r.age_band) for r in shown.itertuples()}]
                + [("total", area) for area in under] + [("month", area, month) for area in under for month in month_names])
    for prefix in prefixes:  # repeats <= individuals <= reports; individuals + repeats <= reports
        reports, individuals, repeats = ((*prefix, m) for m in ("reports", "individuals", "repeat_individuals"))
        inequalities.append([(repeats, 1.0), (individuals, -1.0)])
        inequalities.append([(individuals, 1.0), (reports, -1.0)])
        inequalities.append([(individuals, 1.0), (repeats, 1.0), (reports, -1.0)])
    return values, equalities, inequalities


@pytest.mark.parametrize("quarter", QUARTERS, ids=[q.label for q in QUARTERS])
def test_no_total_of_one_to_four_is_published_and_no_hidden_figure_can_be_recovered(demo_con, demo_reader, quarter,
                                                                                   monthly_tables):
    shown, _ = dashboard_data.missing_person_breakdown(demo_reader, FORCE, quarter)  # as the page publishes it
    totals, months = published_quarter_and_months(demo_reader, quarter, monthly_tables)
    published = [v for v in [*totals.values(), *months.values()] if v is not None]
    assert not [v for v in published if 1 <= v < THRESHOLD]
    values, equalities, inequalities = constraints_for(demo_con, quarter, shown, totals, months)
    assert attack(values, equalities, inequalities) == []


def test_small_totals_are_withheld_and_the_adversary_recovers_them_without_secondary_suppression(demo_con, monthly_tables):
    """Primary suppression alone (only the totals of 1 to 4 hidden) leaves some recoverable by subtraction:
    the secondary suppression is needed, and the adversary has teeth for totals too."""
    quarter = cal.quarter(2020, 2)
    shown, _ = protect(breakdown(demo_con, quarter))
    totals, months = published_quarter_and_months(demo_con, quarter, monthly_tables)
    assert None in totals.values() or None in months.values()  # Melton, Q2 2020/21: 3 repeat individuals, withheld
    assert totals[("E07000133", "repeat_individuals")] is None
    raw = {}
    for area, measure in totals:
        raw[(area, measure)] = float(queries.run(demo_con, "app/missing_person_summary", {
            "area_id": area, "first": quarter.start, "last": quarter.end}).iloc[0][measure])
    primary_only = {key: (None if 1 <= value < THRESHOLD else value) for key, value in raw.items()}
    month_values = {key: value for key, value in months.items()}
    for key in month_values:  # the months as they would be with primary suppression only
        area, month, measure = key
        row = queries.run(demo_con, "app/missing_person_summary", {"area_id": area, "first": pd.Period(month).start_time.date(),
                                                                   "last": pd.Period(month).start_time.date()}).iloc[0]
        month_values[key] = None if 1 <= row[measure] < THRESHOLD else float(row[measure])
    values, equalities, inequalities = constraints_for(demo_con, quarter, shown, primary_only, month_values)
    assert attack(values, equalities, inequalities), "primary suppression alone should be breakable"
