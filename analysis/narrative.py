"""Drafted narrative: one short, factual sentence per measure, area and period.

Written in the Panel report's own words ("within expected levels", "statistically
high"). One period, one story: the sentence describes the same SPC point as the
icons and the RAG status (the period's last month, or the period itself for
counts of people), and it calls a change on last year significant only when that
point shows special cause in the same direction as the change. Drafts stay drafts
until the co-ordinator publishes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import spc
from analysis.comparisons import Comparison

NUMBER_WORDS = {6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}
MIN_POINTS_FOR_HIGHEST_SINCE = 6  # "the highest since" is said only of a run of at least this many earlier points


def _month(value) -> str:
    return pd.Timestamp(value).strftime("%B %Y")


def _count_words(n: int) -> str:
    return NUMBER_WORDS.get(n, str(n))


@dataclass(frozen=True)
class SpcPoint:
    """The SPC point a row speaks of: which one, and what the engine said of it."""

    label: str  # "June 2021" or "Q1 2021/22"
    special_cause: str  # improvement | concern | neither | common_cause
    flag: int  # +1 high / rising, -1 low / falling, 0 common cause
    phrase: str  # the words for it, e.g. "statistically high (above the upper process limit; ...)"


def cell(points: pd.DataFrame, column: str, index: int):
    """points[column].iat[index], without making the column a Series first: a row's SPC reading reads a dozen
    cells of its chart, and an Overview forty charts."""
    return points.iat[index, points.columns.get_loc(column)]


def limits_undefined(points: pd.DataFrame, index: int) -> str:
    """ "limits undefined (no variation)" when the point's segment has no limits (every moving range zero, or a
    segment of one point: see analysis.spc), else "". Such a point is never near or beyond a limit."""
    if pd.notna(cell(points, "upl", index)) and pd.notna(cell(points, "lpl", index)):
        return ""
    if "segment" in points and int((points["segment"] == points["segment"].iat[index]).sum()) == 1:
        return "limits undefined (one point since the rebase, no variation yet)"
    return "limits undefined (no variation)"


def spc_phrase(points: pd.DataFrame, index: int, improvement_direction: str, labels: pd.Series | None = None,
               months=None) -> str:
    """What SPC says about the point at `index` (points: month, value, upl, lpl, flag, rule, special_cause).

    labels: how each point is named (months by default; quarters for quarterly series).
    months: each point's month, when points has no month column.
    """
    names = _Names(points, labels, months)
    rule, flag = int(cell(points, "rule", index)), int(cell(points, "flag", index))
    verdict = spc.SPECIAL_CAUSE_WORDS.get(cell(points, "special_cause", index), "").lower()
    if rule == spc.OUTSIDE_LIMITS:
        side = "high" if flag > 0 else "low"
        limit = "above the upper" if flag > 0 else "below the lower"
        return f"statistically {side} ({limit} process limit; {verdict}){_highest_since(points, index, names)}"
    unit = "months" if labels is None else "periods"
    if rule == spc.TREND:
        run = _run_extent(points, index, spc.TREND, flag)
        moving = "rising" if flag > 0 else "falling"
        return f"{moving} for {_count_words(run)} {unit} (a trend; {verdict})"
    if rule == spc.SHIFT:
        start = _run_start(points, index, flag)
        change = "increase" if flag > 0 else "reduction"
        return f"a sustained {change} since {names.iloc[start]} (a shift; {verdict})"
    if rule == spc.TWO_IN_THREE:
        side = "upper" if flag > 0 else "lower"
        return f"close to the {side} process limit in two of three {unit} ({verdict})"
    undefined = limits_undefined(points, index)
    if undefined:  # nothing to be within: say so, and that the rules needing no limits found nothing
        return f"{undefined}; no trend or shift"
    return "within expected levels (common cause variation)"


class _Names:
    """Point names on demand: formatting every month of every series would cost more than the rest."""

    def __init__(self, points: pd.DataFrame, labels, months=None):
        self.points, self.months = points, months
        self.labels = None if labels is None else np.asarray(labels, dtype=object)  # a Series or an array

    @property
    def iloc(self):
        return self

    def __getitem__(self, index: int) -> str:
        if self.labels is not None:
            return str(self.labels[index])
        return _month(self.months[index] if self.months is not None else self.points["month"].iloc[index])


def _highest_since(points: pd.DataFrame, index: int, names: _Names) -> str:
    """", the highest since March 2020" for a point beyond a limit, where the record says so."""
    values = points["value"].to_numpy(dtype=float)
    value, flag = values[index], int(points["flag"].iloc[index])
    earlier = values[:index]
    if len(earlier) < MIN_POINTS_FOR_HIGHEST_SINCE:
        return ""
    beaten = earlier >= value if flag > 0 else earlier <= value
    word = "highest" if flag > 0 else "lowest"
    if not beaten.any():
        return f", the {word} since the data began in {names.iloc[0]}"
    position = int(np.flatnonzero(beaten)[-1])
    if index - position <= MIN_POINTS_FOR_HIGHEST_SINCE:
        return ""
    return f", the {word} since {names.iloc[position]}"


def _run_start(points: pd.DataFrame, index: int, flag: int) -> int:
    """First point of the unbroken run of special-cause points with this flag, in this segment, ending at index."""
    start = index
    segment = points["segment"].iloc[index]
    while (start > 0 and int(points["rule"].iloc[start - 1]) != spc.COMMON_CAUSE
           and int(points["flag"].iloc[start - 1]) == flag and points["segment"].iloc[start - 1] == segment):
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


def spc_point(points: pd.DataFrame, index: int, improvement_direction: str, labels: pd.Series | None = None,
              months=None) -> SpcPoint:
    """months: each point's month, when points has no month column."""
    names = _Names(points, labels, months)
    return SpcPoint(label=str(names.iloc[index]), special_cause=str(cell(points, "special_cause", index)),
                    flag=int(cell(points, "flag", index)), phrase=spc_phrase(points, index, improvement_direction, labels, months))


def significant(point: SpcPoint | None, comparison: Comparison) -> bool:
    """A change is significant only when the same SPC point shows special cause in the change's direction."""
    if point is None or point.special_cause == "common_cause" or not comparison.comparable or not comparison.change:
        return False
    return (point.flag > 0) == (comparison.change > 0)


def comparison_phrase(comparison: Comparison, unit: str, period_noun: str, is_significant: bool | None) -> str:
    """ "up 12% (+57) on the same quarter last year, not a significant change"

    is_significant None: the measure has no SPC, so nothing is said of significance.
    """
    if not comparison.comparable:
        return comparison.reason[0].lower() + comparison.reason[1:].rstrip(".")
    change = comparison.change
    if unit == "percentage":
        size = f"{abs(change):.1f} percentage points"
    elif unit == "currency":
        size = f"£{abs(change):,.2f}m"
    else:
        pct = comparison.percent_change
        if pct is None:
            size = f"{abs(change):,.0f} (from 0)"
        else:
            pct_text = f"{abs(pct):.0f}%" if round(abs(pct)) >= 1 else f"{abs(pct):.1f}%"
            size = f"{pct_text} ({change:+,.0f})"
    if size.startswith(("0.0 ", "£0.00m", "0 ")) or change == 0:
        return f"unchanged on the same {period_noun} last year"
    direction = "up" if change > 0 else "down"
    if is_significant is None:
        return f"{direction} {size} on the same {period_noun} last year"
    significance = ("a statistically significant change (SPC shows special cause in the same direction)"
                    if is_significant else "not a significant change")
    return f"{direction} {size} on the same {period_noun} last year, {significance}"


def draft_sentence(*, measure_name: str, area_name: str, period_label: str, value_text: str, point: SpcPoint | None,
                   point_context: str = "", comparison: Comparison | None, unit: str, period_noun: str = "period",
                   forecast_clause: str = "", as_at: str = "") -> str:
    """One sentence for a measure, area and period from its SPC point and comparison.

    point_context: "" when the SPC point is the period itself (a single month, or a quarter of
    a quarterly series); else which month it is ("the period's last month"), said in the sentence.
    as_at: the month whose end the SPC reading stands at ("September 2022"), said when given.
    """
    parts = [f"{measure_name}, {area_name}, {period_label}: {value_text}"]
    if point is not None:
        reading = point.phrase if not point_context else f"in {point.label} ({point_context}), {point.phrase}"
        parts.append(f"as at the end of {as_at}, {reading}" if as_at else reading)
    if comparison is not None:
        is_significant = None if point is None else significant(point, comparison)
        parts.append(comparison_phrase(comparison, unit, period_noun, is_significant))
    if forecast_clause:
        parts.append(forecast_clause)
    return "; ".join(parts) + "."


def forecast_clause(months: list, lower80, upper80, unit_format, *, stable: bool, coverage80: float | None,
                    min_coverage: float = 0.7) -> str:
    """"predicted to lie between 2,650 and 3,120 a month from May to July 2022 (80% intervals)", for the next
    three months, only where the statistics support it: the process is stable (common cause at its last point)
    and the intervals held the actual value at least min_coverage of the time out of sample. Else ""."""
    if not stable or coverage80 is None or coverage80 != coverage80 or coverage80 < min_coverage or not len(months):
        return ""
    ahead = min(3, len(months))
    first, last = pd.Timestamp(months[0]), pd.Timestamp(months[ahead - 1])
    span = f"{first:%B}" + (f" to {last:%B %Y}" if ahead > 1 else f" {first:%Y}")
    low, high = float(min(lower80[:ahead])), float(max(upper80[:ahead]))
    return f"predicted to lie between {unit_format(low)} and {unit_format(high)} a month from {span} (80% intervals)"


def period_noun(label: str) -> str:
    if label.startswith("Q"):
        return "quarter"
    if "/" in label:
        return "financial year"
    return "months" if " to " in label else "month"
