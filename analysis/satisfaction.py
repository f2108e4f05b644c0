"""Victim satisfaction surveys for a period: pooled rates, Wilson intervals and the small-numbers state."""
from __future__ import annotations

import pandas as pd

from analysis import calendar, comparisons
from analysis.formatting import plural
from analysis.proportions import small_numbers, with_wilson

SMALL, ADEQUATE, NO_DATA = "Amber: small numbers", "Adequate sample", "no data"


def survey_summary(surveys: pd.DataFrame, period: calendar.Period, threshold: int) -> pd.DataFrame:
    """One row per survey: responses pooled over the period, the rate with its 95% Wilson interval, and
    whether the sample is small (fewer than `threshold` responses)."""
    rows = []
    for (measure_id, measure), series in surveys.groupby(["measure_id", "measure"], sort=False):
        value = comparisons.period_value(series.assign(value=series["numerator"]), period.first, period.last, "pooled")
        if not value.denominator:
            rows.append({"measure_id": measure_id, "measure": measure, "numerator": None, "denominator": 0.0,
                         "state": NO_DATA, "why": "No responses in this period"})
            continue
        small = small_numbers(value.denominator, threshold)
        rows.append({"measure_id": measure_id, "measure": measure, "numerator": value.numerator,
                     "denominator": value.denominator, "state": SMALL if small else ADEQUATE,
                     "why": (f"{plural(value.denominator, 'response')}, fewer than {threshold}: treat the rate with "
                             "caution" if small else plural(value.denominator, "response"))})
    summary = pd.DataFrame(rows, columns=["measure_id", "measure", "numerator", "denominator", "state", "why"])
    rated = with_wilson(summary[summary["denominator"] > 0])
    return summary.merge(rated[["measure_id", "rate", "lower95", "upper95"]], on="measure_id", how="left")
