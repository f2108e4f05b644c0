"""Statistical disclosure control for missing-person counts: totals, and the breakdown by area and age band.

The rule, chosen once for the whole area hierarchy and every figure the app shows:

- Every area's totals (reports, individuals, repeat individuals) are published on the
  Overview, the Missing persons page and in downloads, except small ones: a total from 1 to
  THRESHOLD - 1 is withheld, with whatever could give it away (protect_totals, below).
- The breakdown by age band is published for lowest-tier areas (districts and unitaries)
  and for financial quarters only. No age-band total is published at any level, and no
  other period has a breakdown, so no hidden cell can be worked out by adding up months,
  quarters or areas.
- Primary: a count from 1 to THRESHOLD - 1 in an area's row (any of the three measures,
  either band) is confidential. Secondary: then that area's whole age-band row is hidden
  for every measure, because its totals are published (child = total - adult). A measure
  whose total for the area is 0 is shown (its cells are 0, which the total already says).

With both bands hidden, each hidden cell can lie anywhere from 0 to its published total
(at least 1), whatever else is shown, so none is determined. tests/test_disclosure.py
checks this with an adversary that solves for every hidden cell from all published figures.
"""
from __future__ import annotations

import pandas as pd

THRESHOLD = 5
SUPPRESSED = "[c]"  # the ONS marker for a confidential cell
MEASURES = ("reports", "individuals", "repeat_individuals")
EXPLANATION = (f"[c]: confidential. Where any count in an area's age-band breakdown is from 1 to {THRESHOLD - 1}, "
               "the area's whole breakdown is withheld, because its totals are published and one band could be worked "
               "out from the other. Breakdowns are published for financial quarters only, so that periods cannot be "
               "combined to recover a hidden cell.")


def hidden_areas(breakdown: pd.DataFrame, threshold: int = THRESHOLD) -> set[str]:
    """Areas whose age-band row has a confidential count (1 to threshold - 1) in any measure or band."""
    small = breakdown[list(MEASURES)].apply(lambda column: column.between(1, threshold - 1)).any(axis=1)
    return set(breakdown.loc[small, "area_id"])


def protect(breakdown: pd.DataFrame, threshold: int = THRESHOLD,
            withheld_areas: set[str] | frozenset[str] = frozenset()) -> tuple[pd.DataFrame, int]:
    """The breakdown with confidential cells set to missing (shown as "[c]"), and how many cells are hidden.

    breakdown: one row per area_id and age_band with the three counts, zeros included.
    withheld_areas: areas whose totals are withheld: their rows are hidden too (the bands add up to the total).
    Counts stay numbers (nullable integers), so tables sort and download as numbers.
    """
    out = breakdown.copy()
    for column in MEASURES:
        out[column] = out[column].astype("Int64")
    hidden = 0
    for area_id in hidden_areas(breakdown, threshold) | set(withheld_areas):
        rows = out["area_id"] == area_id
        for column in MEASURES:
            if out.loc[rows, column].sum() > 0:
                out.loc[rows, column] = pd.NA
                hidden += int(rows.sum())
    return out, hidden


# ---------------------------------------------------------------------------
# Totals: every published count of people (and of reports) for an area and period
# ---------------------------------------------------------------------------

def totals_explanation(threshold: int = THRESHOLD) -> str:
    return (f"[c]: confidential. A count of people or reports from 1 to {threshold - 1} is withheld, and so is any figure "
            "worked out from it (a share, a rate, a change); where the withheld count could be worked out from the "
            "other areas' or months' figures, the next smallest of those is withheld too.")


def is_small(value, threshold: int = THRESHOLD) -> bool:
    """A count from 1 to threshold - 1 (0 and missing are not small: 0 says nothing about anyone)."""
    return value is not None and value == value and 1 <= value < threshold


def protect_totals(values: dict, groups: list[tuple], threshold: int = THRESHOLD, links: list[tuple] = ()) -> set:
    """The totals to withhold: every small count (primary), then, until nothing changes, in each group whose
    total is the sum of its parts with exactly one member withheld, the smallest positive shown part (or the
    total) as well (secondary), so that no withheld count is the difference of shown ones.

    values: key -> count (any hashable key). groups: (total key, (part keys, ...)); keys absent from values
    count as 0 and shown. People are not strictly additive (a person may be in two areas or months), but an
    adversary may assume they are, so the groups treat them as if they were.
    links: (key, other): when key is withheld, so is other (see row_links)."""
    hidden = {key for key, value in values.items() if is_small(value, threshold)}
    changed = True
    while changed:
        changed = False
        for key, other in links:
            if key in hidden and other not in hidden and values.get(other, 0) > 0:
                hidden.add(other)
                changed = True
        for total, parts in groups:
            members = [total, *parts]
            if sum(member in hidden for member in members) != 1:
                continue
            shown = [p for p in parts if p not in hidden and values.get(p, 0) > 0]
            if not shown and total not in hidden and values.get(total, 0) > 0:
                shown = [total]
            if shown:
                hidden.add(min(shown, key=lambda key: (values[key], str(key))))
                changed = True
    return hidden


def row_links(keys) -> list[tuple]:
    """An area's three counts for a period are withheld together, as its age-band row is: each repeat individual
    has two reports or more, so repeats <= reports - individuals, a bound that is often exact (keys: (area, period))."""
    return [((area, period, a), (area, period, b)) for area, period in keys for a in MEASURES for b in MEASURES if a != b]


def area_groups(children: dict[str, list[str]], periods: list, measures=MEASURES) -> list[tuple]:
    """For each period and measure, each parent area's total as the sum of its children's (keys: area, period, measure)."""
    return [((parent, period, measure), tuple((child, period, measure) for child in kids))
            for parent, kids in children.items() for period in periods for measure in measures]


def time_groups(areas: list[str], quarters: dict, measures=MEASURES) -> list[tuple]:
    """Each quarter's count as the sum of its months' (keys: area, period, measure); quarters: quarter key -> its
    month keys. Reports add up over months. People do not (a person reported in two months is one person), but
    a quarter's count lies between its largest month's and their sum, and equals its month's when only one month
    has records; treating them as if they added up hides a second figure wherever one alone would be hidden."""
    return [((area, quarter, measure), tuple((area, month, measure) for month in months))
            for area in areas for quarter, months in quarters.items() for measure in measures]
