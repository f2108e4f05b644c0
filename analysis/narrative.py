"""Drafted narrative: one short, factual sentence per measure, area and period.

Written in the Panel report's own words ("within expected levels", "statistically
high"). A claim of significance comes only from SPC: a binary comparison on its own
is never called significant. Drafts stay drafts until the co-ordinator publishes.
"""
from __future__ import annotations

import pandas as pd

from analysis import spc
from analysis.comparisons import Comparison

NUMBER_WORDS = {6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}


def _month(value) -> str:
    return pd.Timestamp(value).strftime("%B %Y")


def _count_words(n: int) -> str:
    return NUMBER_WORDS.get(n, str(n))


def spc_phrase(points: pd.DataFrame, index: int, improvement_direction: str) -> str:
    """What SPC says about the point at `index` (points: month, value, upl, lpl, flag, rule, special_cause)."""
    row = points.iloc[index]
    rule, flag = int(row["rule"]), int(row["flag"])
    judgement = {"improvement": "an improvement", "concern": "a concern", "neither": "neither improvement nor concern"}
    verdict = judgement.get(row["special_cause"], "")
    if rule == spc.OUTSIDE_LIMITS:
        side = "high" if flag > 0 else "low"
        limit = "above the upper" if flag > 0 else "below the lower"
        return f"statistically {side} ({limit} process limit; special cause, {verdict})"
    if rule == spc.TREND:
        run = _run_extent(points, index, spc.TREND, flag)
        moving = "rising" if flag > 0 else "falling"
        return f"{moving} for {_count_words(run)} months (a trend; special cause, {verdict})"
    if rule == spc.SHIFT:
        start = _run_start(points, index, spc.SHIFT, flag)
        change = "increase" if flag > 0 else "reduction"
        return f"a sustained {change} since {_month(points['month'].iloc[start])} (a shift; special cause, {verdict})"
    if rule == spc.TWO_IN_THREE:
        side = "upper" if flag > 0 else "lower"
        return f"close to the {side} process limit in two of three months (special cause, {verdict})"
    return "within expected levels (common cause variation)"


def _run_start(points: pd.DataFrame, index: int, rule: int, flag: int) -> int:
    start = index
    while start > 0 and int(points["rule"].iloc[start - 1]) in (rule, spc.OUTSIDE_LIMITS, spc.TWO_IN_THREE, spc.TREND) \
            and int(points["flag"].iloc[start - 1]) == flag and points["segment"].iloc[start - 1] == points["segment"].iloc[index]:
        start -= 1
    return start


def _run_extent(points: pd.DataFrame, index: int, rule: int, flag: int) -> int:
    """Length of the run of `rule` points with this flag that contains index."""
    start = index
    while start > 0 and int(points["rule"].iloc[start - 1]) == rule and int(points["flag"].iloc[start - 1]) == flag:
        start -= 1
    end = index
    while end + 1 < len(points) and int(points["rule"].iloc[end + 1]) == rule and int(points["flag"].iloc[end + 1]) == flag:
        end += 1
    return end - start + 1


def comparison_phrase(comparison: Comparison, unit: str, period_noun: str, special_cause_in_period: bool) -> str:
    """ "up 12% (+57) on the same quarter last year, not a significant change" """
    if not comparison.comparable:
        return comparison.reason[0].lower() + comparison.reason[1:].rstrip(".")
    change = comparison.change
    if unit == "percentage":
        size = f"{abs(change):.1f} percentage points"
    elif unit == "currency":
        size = f"£{abs(change):,.2f}m"
    else:
        pct = comparison.percent_change
        size = f"{abs(pct):.0f}% ({change:+,.0f})" if pct is not None else f"{change:+,.0f}"
    direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
    text = "unchanged" if direction == "unchanged" else f"{direction} {size}"
    significance = ("SPC shows special-cause variation in the period, a statistically significant change"
                    if special_cause_in_period else "not a significant change")
    return f"{text} on the same {period_noun} last year, {significance}"


def draft_sentence(*, measure_name: str, area_name: str, period_label: str, value_text: str, points: pd.DataFrame | None,
                   period_first: pd.Timestamp, period_last: pd.Timestamp, improvement_direction: str,
                   comparison: Comparison | None, unit: str, period_noun: str = "period") -> str:
    """One sentence for a measure, area and period, from its SPC points and comparison."""
    parts = [f"{measure_name}, {area_name}, {period_label}: {value_text}"]
    special_in_period = False
    if points is not None and len(points):
        months = pd.to_datetime(points["month"])
        inside = points[(months >= period_first) & (months <= period_last)]
        if len(inside):
            special_in_period = bool((inside["special_cause"] != "common_cause").any())
            # Speak of the most notable month: the first special-cause month, else the last month.
            flagged = inside[inside["special_cause"] != "common_cause"]
            index = int((flagged if len(flagged) else inside).index[0 if len(flagged) else -1])
            phrase = spc_phrase(points, index, improvement_direction)
            when = _month(points["month"].iloc[index])
            parts.append(phrase if period_first == period_last else f"in {when}, {phrase}")
    if comparison is not None:
        parts.append(comparison_phrase(comparison, unit, period_noun, special_in_period))
    return "; ".join(parts) + "."


def period_noun(label: str) -> str:
    if label.startswith("Q"):
        return "quarter"
    if "/" in label:
        return "financial year"
    return "months" if " to " in label else "month"
