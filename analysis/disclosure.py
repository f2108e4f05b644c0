"""Statistical disclosure control for the breakdown of missing-person counts by area and age band.

The rule, chosen once for the whole area hierarchy and every figure the app shows:

- Every area's totals (reports, individuals, repeat individuals) are published as they
  are, on the Overview, the Missing persons page and in downloads.
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


def protect(breakdown: pd.DataFrame, threshold: int = THRESHOLD) -> tuple[pd.DataFrame, int]:
    """The breakdown with confidential cells set to missing (shown as "[c]"), and how many cells are hidden.

    breakdown: one row per area_id and age_band with the three counts, zeros included.
    Counts stay numbers (nullable integers), so tables sort and download as numbers.
    """
    out = breakdown.copy()
    for column in MEASURES:
        out[column] = out[column].astype("Int64")
    hidden = 0
    for area_id in hidden_areas(breakdown, threshold):
        rows = out["area_id"] == area_id
        for column in MEASURES:
            if out.loc[rows, column].sum() > 0:
                out.loc[rows, column] = pd.NA
                hidden += int(rows.sum())
    return out, hidden
