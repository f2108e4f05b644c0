"""The disclosure rule against an adversary: for every quarter, solve for each hidden cell of the
missing-person breakdown from every figure the app publishes, and find none determined.

The adversary assumes the worst: that counts add up across age bands and areas (true of
reports, and of people whenever nobody moves area or band within a quarter), and that
repeat individuals <= individuals <= reports, with reports >= individuals + repeats. It
bounds each hidden cell with linear programming; a cell whose bounds are less than 1 apart
is determined.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FORCE
from scipy.optimize import linprog

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
