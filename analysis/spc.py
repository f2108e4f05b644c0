"""Statistical process control as NHS "Making Data Count" computes it.

XmR charts with rebased segments, fixed baselines and moving-range screening; the
four special-cause rules in their order of precedence; improvement or concern;
variation and assurance icons; p and Laney p' charts with per-point limits.

The engine works on flat arrays of many series at once: each point carries a
group id (one group per segment of one series), and every step is a numpy
operation over all groups together, so 10,000 series cost little more than one.
The method is ``docs/spc-method.md``; defaults reproduce NHSRplotthedots.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

LIMIT_SIGMAS = 2.66  # 3 sigma for an individuals chart (3 / d2, d2 = 1.128)
NEAR_LIMIT_SIGMAS = 2 * 2.66 / 3  # 2 sigma
MOVING_RANGE_SCREEN = 3.267  # D4 for n = 2
LANEY_D2 = 1.128
MIN_POINTS_FOR_FIRM_LIMITS = 13
DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0}

# Rule codes, in order of precedence (lower wins).
COMMON_CAUSE, OUTSIDE_LIMITS, TREND, TWO_IN_THREE, SHIFT = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class SpcOptions:
    improvement_direction: str = "increase"  # increase | decrease | neutral
    target: float | None = None
    rebase: tuple[int, ...] = ()  # 0-based index of the first point of each new segment
    fix_after_n_points: int | None = None  # only the first n points of a segment set its limits
    screen_outliers: bool = True  # drop moving ranges >= 3.267 x their mean (one pass)
    run_length: int = 7  # points for a trend or shift; the MDC Excel tool allows 6
    two_in_three_counts_beyond_limits: bool = False  # the MDC November 2023 variant

    def __post_init__(self):
        if self.improvement_direction not in DIRECTIONS:
            raise ValueError(f"improvement_direction must be one of {sorted(DIRECTIONS)}, not {self.improvement_direction!r}")
        if self.run_length not in (6, 7):
            raise ValueError("run_length must be 7 (default) or 6")
        if self.fix_after_n_points is not None and self.fix_after_n_points < 12:
            raise ValueError("fix_after_n_points must be at least 12")

    @property
    def direction_sign(self) -> int:
        return DIRECTIONS[self.improvement_direction]


# ---------------------------------------------------------------------------
# Grouping: segments of series laid end to end
# ---------------------------------------------------------------------------

def segment_ids(n_points: int, rebase: Sequence[int]) -> np.ndarray:
    """Segment number of each point of one series, given the rebase indices."""
    cuts = sorted({int(i) for i in rebase if int(i) > 0})  # a cut at or after the end splits off nothing
    return np.searchsorted(np.asarray(cuts, dtype=int), np.arange(n_points), side="right")


def batch_groups(n_series: int, n_points: int, rebase: Sequence[int]) -> np.ndarray:
    """Group id of every point when n_series series of equal length are laid end to end."""
    # Ids need only differ between neighbouring groups: segment s of series i is i * n_points + s.
    return (np.arange(n_series)[:, None] * n_points + segment_ids(n_points, rebase)[None, :]).ravel()


def _group_starts(group: np.ndarray) -> np.ndarray:
    """True at the first point of each group."""
    starts = np.ones(len(group), dtype=bool)
    starts[1:] = group[1:] != group[:-1]
    return starts


def _dense(group: np.ndarray) -> np.ndarray:
    """Renumber contiguous group ids 0..G-1 in order of appearance (np.bincount's bins)."""
    return np.cumsum(_group_starts(group)) - 1


def _position_in_group(starts: np.ndarray) -> np.ndarray:
    index = np.arange(len(starts))
    return index - np.maximum.accumulate(index * starts)


def _group_mean(values: np.ndarray, include: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Mean of the included values of each (dense) group; NaN for a group with none included (0 / 0)."""
    counts = np.bincount(group, weights=include.astype(float))
    sums = np.bincount(group, weights=np.where(include, values, 0.0))
    with np.errstate(invalid="ignore"):
        return sums / counts


# ---------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------

@dataclass
class Limits:
    """Per-point centre line and limits (NaN where a segment has none)."""

    mean: np.ndarray
    lpl: np.ndarray
    upl: np.ndarray
    near_lpl: np.ndarray
    near_upl: np.ndarray


def xmr_limits(values: np.ndarray, group: np.ndarray, *, fix_after_n_points: int | None,
               screen_outliers: bool) -> Limits:
    """Centre line and limits of an individuals (XmR) chart, segment by segment."""
    values = np.asarray(values, dtype=float)
    dense = _dense(np.asarray(group))
    starts = _group_starts(dense)
    position = _position_in_group(starts)
    in_baseline = np.ones(len(values), dtype=bool) if fix_after_n_points is None else position < fix_after_n_points

    mean = _group_mean(values, in_baseline, dense)
    moving_range = np.abs(np.diff(values, prepend=np.nan))
    has_range = ~starts & in_baseline
    mean_range = _group_mean(moving_range, has_range, dense)
    if screen_outliers:
        kept = has_range & (moving_range < MOVING_RANGE_SCREEN * mean_range[dense])
        mean_range = _group_mean(moving_range, kept, dense)
    mean_range = np.where(mean_range > 0, mean_range, np.nan)  # 0 or undefined: no limits

    centre, spread = mean[dense], mean_range[dense]
    return Limits(
        mean=centre,
        lpl=centre - LIMIT_SIGMAS * spread,
        upl=centre + LIMIT_SIGMAS * spread,
        near_lpl=centre - NEAR_LIMIT_SIGMAS * spread,
        near_upl=centre + NEAR_LIMIT_SIGMAS * spread,
    )


def p_limits(numerators: np.ndarray, denominators: np.ndarray, group: np.ndarray, *, laney: bool) -> Limits:
    """Per-point limits of a p-chart, or of Laney's p' chart when laney is True.

    Values are proportions (0 to 1). p' widens the limits by sigma_z, the mean
    moving range of the z-scores over 1.128, for large samples whose plain
    p-chart would flag nearly every point.
    """
    numerators = np.asarray(numerators, dtype=float)
    denominators = np.asarray(denominators, dtype=float)
    if np.any(denominators <= 0):
        raise ValueError("every denominator must be positive")
    if np.any((numerators < 0) | (numerators > denominators)):
        raise ValueError("numerators must lie between 0 and their denominators")
    dense = _dense(np.asarray(group))
    starts = _group_starts(dense)
    p_bar = (np.bincount(dense, weights=numerators) / np.bincount(dense, weights=denominators))[dense]
    sigma = np.sqrt(p_bar * (1 - p_bar) / denominators)
    if laney:
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (numerators / denominators - p_bar) / sigma
        z_range = np.abs(np.diff(z, prepend=np.nan))
        sigma_z = _group_mean(z_range, ~starts & np.isfinite(z_range), dense)[dense] / LANEY_D2
        sigma = sigma * sigma_z
    sigma = np.where(sigma > 0, sigma, np.nan)  # a rate of 0 or 1 throughout: no limits
    return Limits(
        mean=p_bar,
        lpl=np.maximum(p_bar - 3 * sigma, 0),
        upl=np.minimum(p_bar + 3 * sigma, 1),
        near_lpl=np.maximum(p_bar - 2 * sigma, 0),
        near_upl=np.minimum(p_bar + 2 * sigma, 1),
    )


def laney_sigma_z(numerators, denominators) -> float:
    """sigma_z of one series (one segment), for reporting beside a p' chart."""
    numerators = np.asarray(numerators, dtype=float)
    denominators = np.asarray(denominators, dtype=float)
    p_bar = numerators.sum() / denominators.sum()
    z = (numerators / denominators - p_bar) / np.sqrt(p_bar * (1 - p_bar) / denominators)
    return float(np.mean(np.abs(np.diff(z))) / LANEY_D2)


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------

def run_lengths(flags: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Length of the run of True ending at each point; runs never cross a group start."""
    flags = np.asarray(flags, dtype=bool)
    counted = np.cumsum(flags)
    # Where a run cannot carry on (a False point, or a True one starting a group), note the count
    # before it; the run ending at a point is the count since the latest such note.
    resets = (counted - flags) * (starts | ~flags)
    return counted - np.maximum.accumulate(resets)


def back_fill(detected: np.ndarray, length: int) -> np.ndarray:
    """Mark the `length` points ending at each detection (detections never span groups)."""
    totals = np.concatenate([[0], np.cumsum(detected.astype(int))])
    index = np.arange(len(detected))
    return totals[np.minimum(index + length, len(detected))] - totals[index] > 0


def trend_detected(values: np.ndarray, starts: np.ndarray, *, run_length: int) -> np.ndarray:
    """+1 / -1 at a point that ends `run_length` strictly rising / falling points (a tie breaks it)."""
    step = np.diff(np.asarray(values, dtype=float), prepend=np.nan)
    step[starts] = np.nan
    rising = run_lengths(step > 0, starts) >= run_length - 1
    falling = run_lengths(step < 0, starts) >= run_length - 1
    return np.where(rising, 1, np.where(falling, -1, 0))


def trend_direction(values: np.ndarray, starts: np.ndarray, *, run_length: int) -> np.ndarray:
    """+1 / -1 on every point of a trend of `run_length` strictly rising / falling points, else 0.

    A point at the end of a rise and the start of a fall takes the direction of
    the points to its right.
    """
    detected = trend_detected(values, starts, run_length=run_length)
    rising = back_fill(detected > 0, run_length)
    falling = back_fill(detected < 0, run_length)
    step = np.diff(np.asarray(values, dtype=float), prepend=np.nan)
    next_step = np.sign(np.append(step[1:], np.nan))
    both = rising & falling
    return np.where(both, np.nan_to_num(next_step), np.where(rising, 1, np.where(falling, -1, 0))).astype(int)


def shift_detected(side_of_mean: np.ndarray, starts: np.ndarray, *, run_length: int) -> np.ndarray:
    """+1 / -1 at a point that ends `run_length` points strictly above / below the mean."""
    above = run_lengths(side_of_mean > 0, starts) >= run_length
    below = run_lengths(side_of_mean < 0, starts) >= run_length
    return np.where(above, 1, np.where(below, -1, 0))


def shift_side(side_of_mean: np.ndarray, starts: np.ndarray, *, run_length: int) -> np.ndarray:
    """+1 / -1 on every point of a run of `run_length` or more strictly above / below the mean."""
    detected = shift_detected(side_of_mean, starts, run_length=run_length)
    return np.where(back_fill(detected > 0, run_length), 1, np.where(back_fill(detected < 0, run_length), -1, 0))


def two_in_three_windows(counting: np.ndarray, side_of_mean: np.ndarray, group: np.ndarray) -> np.ndarray:
    """True on every point of a window of 3 (in one segment) whose points are all strictly on
    one side of the mean, at least 2 of them counting toward that side."""
    counting, side_of_mean, group = np.asarray(counting), np.asarray(side_of_mean), np.asarray(group)
    member = np.zeros(len(side_of_mean), dtype=bool)
    # Windows start at 0..n-3 (none when n < 3: the slices are then empty).
    s0, s1, s2 = side_of_mean[:-2], side_of_mean[1:-1], side_of_mean[2:]
    same_side = (s0 == s1) & (s1 == s2) & (s0 != 0) & (group[:-2] == group[2:])
    hits = (counting[:-2] == s0).astype(int) + (counting[1:-1] == s0) + (counting[2:] == s0)
    window = same_side & (hits >= 2)
    member[:-2] |= window
    member[1:-1] |= window
    member[2:] |= window
    return member


def two_in_three_side(counting: np.ndarray, side_of_mean: np.ndarray, group: np.ndarray) -> np.ndarray:
    """+1 / -1 on the counting points of a two-in-three window, else 0.

    `counting` is +1 / -1 for a point that counts toward the 2 on that side.
    """
    member = two_in_three_windows(counting, side_of_mean, group)
    return np.where(member & (counting == side_of_mean), counting, 0)  # a member is never on the mean


@dataclass
class Classification:
    flag: np.ndarray  # +1 up, -1 down, 0 common cause
    rule: np.ndarray  # rule code of the rule that fired (precedence applied)
    outside: np.ndarray  # +1 above the upper limit, -1 below the lower, else 0
    side: np.ndarray  # +1 above the mean, -1 below, 0 on it
    close: np.ndarray  # +1 / -1 beyond the upper / lower 2-sigma line but within the limits, else 0


def classify(values: np.ndarray, limits: Limits, group: np.ndarray, *, run_length: int,
             two_in_three_counts_beyond_limits: bool) -> Classification:
    """Apply the four rules, first match wins: outside limits, trend, two in three, shift."""
    values = np.asarray(values, dtype=float)
    starts = _group_starts(np.asarray(group))
    with np.errstate(invalid="ignore"):
        outside = np.where(values > limits.upl, 1, np.where(values < limits.lpl, -1, 0))
        side = np.sign(values - limits.mean).astype(int)
        near = np.where(values > limits.near_upl, 1, np.where(values < limits.near_lpl, -1, 0))
    close = np.where(outside != 0, 0, near)
    counting = near if two_in_three_counts_beyond_limits else close
    rules = [
        (OUTSIDE_LIMITS, outside),
        (TREND, trend_direction(values, starts, run_length=run_length)),
        (TWO_IN_THREE, two_in_three_side(counting, side, np.asarray(group))),
        (SHIFT, shift_side(side, starts, run_length=run_length)),
    ]
    flag = np.zeros(len(values), dtype=int)
    rule = np.zeros(len(values), dtype=int)
    for code, signal in reversed(rules):  # later assignments win: apply lowest precedence first
        fired = signal != 0
        flag = np.where(fired, signal, flag)
        rule = np.where(fired, code, rule)
    return Classification(flag=flag, rule=rule, outside=outside, side=side, close=close)


# ---------------------------------------------------------------------------
# Labels and icons
# ---------------------------------------------------------------------------

# Each point's state (special_cause_labels) in words, as the Glossary (README) names it: the one place the
# narrative, the RAG reasons, What changed, the chart legend and the variation icons take these words from.
SPECIAL_CAUSE_WORDS = {"improvement": "Special cause improvement", "concern": "Special cause concern",
                       "neither": "Special cause, neither improvement nor concern"}
COMMON_CAUSE_WORDS = "Common cause variation"


def special_cause_labels(flag: np.ndarray, direction_sign: int) -> np.ndarray:
    """improvement | concern | neither | common_cause for each point."""
    return np.where(flag == 0, "common_cause",
                    np.where(direction_sign == 0, "neither", np.where(flag == direction_sign, "improvement", "concern")))


def rule_label(code: int, flag: int, run_length: int) -> str:
    """The rule in the words NHSRplotthedots uses, e.g. "Above UCL" or "7 Point Trend (Increasing)"."""
    if code == OUTSIDE_LIMITS:
        return "Above UCL" if flag == 1 else "Below LCL"
    if code == TREND:
        return f"{run_length} Point Trend ({'Increasing' if flag == 1 else 'Decreasing'})"
    if code == TWO_IN_THREE:
        return f"2 in 3 {'Above' if flag == 1 else 'Below'} CL"
    if code == SHIFT:
        return f"{run_length} Points {'Above' if flag == 1 else 'Below'} CL"
    return "Common Cause"


# What people read and hear: the rule names above (rule_label) stay in the method notes and the reference checks.
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten",
                11: "eleven", 12: "twelve"}
PROVISIONAL_LIMITS = (f"provisional limits: set from fewer than {MIN_POINTS_FOR_FIRM_LIMITS} points, to be fixed "
                      "once there are enough")
PROVISIONAL_SENTENCE = f"{PROVISIONAL_LIMITS[0].upper()}{PROVISIONAL_LIMITS[1:]}."


def rule_words(code: int, flag: int, run_length: int, points: str = "months") -> str:
    """The rule in plain words, e.g. "seven months in a row below the average" or "below the lower limit".

    points: what the chart's points are ("months", or "points" for a chart by period)."""
    up = flag == 1
    count = NUMBER_WORDS.get(run_length, str(run_length))
    if code == OUTSIDE_LIMITS:
        return "above the upper limit" if up else "below the lower limit"
    if code == TREND:
        return f"{'rising' if up else 'falling'} {count} {points} in a row"
    if code == TWO_IN_THREE:
        return f"two of three {points} near the {'upper' if up else 'lower'} limit"
    if code == SHIFT:
        return f"{count} {points} in a row {'above' if up else 'below'} the average"
    return "common cause"


def variation_icon(last_special_cause: str, last_flag: int) -> str:
    """From the last point only: common_cause, improvement_high, concern_low, neutral_high, ..."""
    if last_flag == 0:
        return "common_cause"
    stem = "neutral" if last_special_cause == "neither" else last_special_cause
    return f"{stem}_{'high' if last_flag == 1 else 'low'}"


def assurance_icon(lpl: float, upl: float, target: float | None, improvement_direction: str) -> str | None:
    """Whether the process will meet the target, from the last segment's limits."""
    sign = DIRECTIONS[improvement_direction]
    if target is None or sign == 0 or not np.isfinite(lpl) or not np.isfinite(upl):
        return None
    if sign == 1:
        return "consistent_fail" if target > upl else "consistent_pass" if target < lpl else "inconsistent"
    return "consistent_fail" if target < lpl else "consistent_pass" if target > upl else "inconsistent"


# ---------------------------------------------------------------------------
# One series in, one table out
# ---------------------------------------------------------------------------

@dataclass
class SpcResult:
    """A charted series: one row per point, plus the icons."""

    # value, segment, mean, lpl, upl, near_lpl, near_upl, trial_limits, relative_to_mean, close_to_limits,
    # outside_limits (the three as NHSRplotthedots names them), flag, rule, rule_label (NHSRplotthedots' name),
    # rule_words (the same in plain words, for people), special_cause.
    # Where a segment's limits are undefined (NaN: one point, or every moving range zero), close_to_limits and
    # outside_limits are null, and the two rules that need limits (outside limits, two in three) cannot fire;
    # trend and shift, which need only the points and the mean, still can.
    points: pd.DataFrame
    variation_icon: str
    assurance_icon: str | None
    options: SpcOptions
    chart: str = "xmr"  # xmr | p | p'

    @property
    def trial_limits(self) -> bool:
        """True when the latest segment is too short for firm limits (icons are provisional)."""
        return bool(self.points["trial_limits"].iloc[-1]) if len(self.points) else True


def limit_relative(flags: np.ndarray, limits: Limits) -> pd.arrays.BooleanArray:
    """A flag that compares a point with its limits, null where the limits are undefined (a segment of one
    point, or no variation: every moving range zero), since the point is then neither near nor beyond one."""
    undefined = ~(np.isfinite(limits.lpl) & np.isfinite(limits.upl))
    return pd.arrays.BooleanArray(np.asarray(flags, dtype=bool) & ~undefined, undefined)


def nullable_flags(column: pd.Series) -> list[bool | None]:
    """A limit-relative flag column as plain values: True, False or None where the limits are undefined."""
    return [None if pd.isna(flag) else bool(flag) for flag in column]


def _points(values, limits: Limits, group, segment, classification: Classification, run_length: int,
            direction_sign) -> pd.DataFrame:
    """The points table of one series or of many laid end to end (group: a distinct id per segment of each series;
    segment: each point's segment number within its own series; direction_sign: one, or one per point)."""
    segment_sizes = pd.Series(group).map(pd.Series(group).value_counts()).to_numpy()
    return pd.DataFrame({
        "value": np.asarray(values, dtype=float),
        "segment": segment,
        "mean": limits.mean,
        "lpl": limits.lpl,
        "upl": limits.upl,
        "near_lpl": limits.near_lpl,
        "near_upl": limits.near_upl,
        "trial_limits": segment_sizes < MIN_POINTS_FOR_FIRM_LIMITS,
        "relative_to_mean": classification.side,
        "close_to_limits": limit_relative(classification.close != 0, limits),
        "outside_limits": limit_relative(classification.outside != 0, limits),
        "flag": classification.flag,
        "rule": classification.rule,
        "rule_label": [rule_label(c, f, run_length) for c, f in zip(classification.rule, classification.flag)],
        "rule_words": [rule_words(c, f, run_length) for c, f in zip(classification.rule, classification.flag)],
        "special_cause": special_cause_labels(classification.flag, direction_sign),
    })


def _with_icons(points: pd.DataFrame, options: SpcOptions, chart: str) -> SpcResult:
    if points.empty:
        return SpcResult(points, "common_cause", None, options, chart)
    return SpcResult(
        points=points,
        variation_icon=variation_icon(points["special_cause"].iat[-1], int(points["flag"].iat[-1])),
        assurance_icon=assurance_icon(points["lpl"].iat[-1], points["upl"].iat[-1], options.target,
                                      options.improvement_direction),
        options=options,
        chart=chart,
    )


def _result(values, limits: Limits, group, options: SpcOptions, chart: str) -> SpcResult:
    classification = classify(values, limits, group, run_length=options.run_length,
                              two_in_three_counts_beyond_limits=options.two_in_three_counts_beyond_limits)
    return _with_icons(_points(values, limits, group, group, classification, options.run_length,
                               options.direction_sign), options, chart)


def xmr(values: Sequence[float], options: SpcOptions = SpcOptions()) -> SpcResult:
    """An XmR chart of one series (no missing values: drop or explain gaps first)."""
    values = np.asarray(values, dtype=float)
    if np.isnan(values).any():
        raise ValueError("values contain NaN; SPC needs a complete series")
    group = segment_ids(len(values), options.rebase)
    limits = xmr_limits(values, group, fix_after_n_points=options.fix_after_n_points,
                        screen_outliers=options.screen_outliers)
    return _result(values, limits, group, options, "xmr")


def p_chart(numerators: Sequence[float], denominators: Sequence[float], options: SpcOptions = SpcOptions(),
            *, laney: bool = False) -> SpcResult:
    """A p-chart (or Laney p' chart) of proportions numerator / denominator, as proportions 0-1."""
    numerators = np.asarray(numerators, dtype=float)
    denominators = np.asarray(denominators, dtype=float)
    group = segment_ids(len(numerators), options.rebase)
    limits = p_limits(numerators, denominators, group, laney=laney)
    return _result(numerators / denominators, limits, group, options, "p'" if laney else "p")


def too_many_flagged(result: SpcResult, share: float = 0.5) -> bool:
    """A p-chart flagging most points signals overdispersion: use Laney's p'."""
    return bool((result.points["rule"] == OUTSIDE_LIMITS).mean() > share)


def proportion_chart(numerators, denominators, options: SpcOptions = SpcOptions()) -> SpcResult:
    """The p-chart, or Laney's p' when the plain p-chart flags too many points."""
    plain = p_chart(numerators, denominators, options)
    return p_chart(numerators, denominators, options, laney=True) if too_many_flagged(plain) else plain


# ---------------------------------------------------------------------------
# Many series at once
# ---------------------------------------------------------------------------

@dataclass
class BatchResult:
    mean: np.ndarray  # shape (n_series, n_points)
    lpl: np.ndarray
    upl: np.ndarray
    flag: np.ndarray
    rule: np.ndarray
    special_cause: np.ndarray
    variation_icon: list[str]


def xmr_batch(values: np.ndarray, options: SpcOptions = SpcOptions()) -> BatchResult:
    """XmR charts of many equal-length series (rows), all with the same options."""
    values = np.asarray(values, dtype=float)
    n_series, n_points = values.shape
    group = batch_groups(n_series, n_points, options.rebase)
    flat = values.ravel()
    limits = xmr_limits(flat, group, fix_after_n_points=options.fix_after_n_points,
                        screen_outliers=options.screen_outliers)
    classification = classify(flat, limits, group, run_length=options.run_length,
                              two_in_three_counts_beyond_limits=options.two_in_three_counts_beyond_limits)
    labels = special_cause_labels(classification.flag, options.direction_sign).reshape(n_series, n_points)
    flags = classification.flag.reshape(n_series, n_points)
    return BatchResult(
        mean=limits.mean.reshape(n_series, n_points),
        lpl=limits.lpl.reshape(n_series, n_points),
        upl=limits.upl.reshape(n_series, n_points),
        flag=flags,
        rule=classification.rule.reshape(n_series, n_points),
        special_cause=labels,
        variation_icon=[variation_icon(labels[i, -1], int(flags[i, -1])) for i in range(n_series)],
    )


# ---------------------------------------------------------------------------
# Many series of any lengths, each with its own direction, target and rebases
# ---------------------------------------------------------------------------

def _rules_shared(options: Sequence[SpcOptions]) -> SpcOptions:
    """The options every series must share to be classified in one pass (direction and target may differ)."""
    first = options[0]
    for other in options[1:]:
        if (other.fix_after_n_points, other.screen_outliers, other.run_length, other.two_in_three_counts_beyond_limits) != (
                first.fix_after_n_points, first.screen_outliers, first.run_length, first.two_in_three_counts_beyond_limits):
            raise ValueError("series charted together must share fix_after_n_points, screen_outliers, run_length "
                             "and two_in_three_counts_beyond_limits")
    return first


def _laid_end_to_end(lengths: Sequence[int], options: Sequence[SpcOptions]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each point's group (a distinct id per segment of each series), its segment within its own series, and the
    offsets where each series starts (at least one series: the callers answer none with none)."""
    segments = [segment_ids(n, o.rebase) for n, o in zip(lengths, options)]
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(int)
    segment = np.concatenate(segments).astype(int)
    first_group = np.concatenate([[0], np.cumsum([s[-1] + 1 if len(s) else 0 for s in segments])]).astype(int)
    group = segment + np.repeat(first_group[:-1], lengths)
    return group, segment, offsets


def _split(values, limits: Limits, group, segment, offsets, options: Sequence[SpcOptions], charts: Sequence[str],
           rules: SpcOptions) -> list[SpcResult]:
    classification = classify(values, limits, group, run_length=rules.run_length,
                              two_in_three_counts_beyond_limits=rules.two_in_three_counts_beyond_limits)
    signs = np.repeat([o.direction_sign for o in options], np.diff(offsets))
    points = _points(values, limits, group, segment, classification, rules.run_length, signs)
    return [_with_icons(_from_zero(points.iloc[start:end]), o, chart)
            for start, end, o, chart in zip(offsets[:-1], offsets[1:], options, charts)]


def _from_zero(part: pd.DataFrame) -> pd.DataFrame:
    """A slice of the points indexed 0..n-1, as reset_index(drop=True) gives it, without its overhead (copy-on-write:
    the slices share no writes)."""
    part.index = pd.RangeIndex(len(part))
    return part


def xmr_many(series: Sequence[Sequence[float]], options: Sequence[SpcOptions]) -> list[SpcResult]:
    """XmR charts of many series at once, each with its own options: the same results as [xmr(s, o) ...], in one
    pass of the engine (series of any lengths; the rules' options must be shared, see _rules_shared)."""
    if not series:
        return []
    rules = _rules_shared(options)
    arrays = [np.asarray(s, dtype=float) for s in series]
    values = np.concatenate(arrays)
    if np.isnan(values).any():
        raise ValueError("values contain NaN; SPC needs a complete series")
    group, segment, offsets = _laid_end_to_end([len(a) for a in arrays], options)
    limits = xmr_limits(values, group, fix_after_n_points=rules.fix_after_n_points, screen_outliers=rules.screen_outliers)
    return _split(values, limits, group, segment, offsets, options, ["xmr"] * len(arrays), rules)


def proportion_charts(numerators: Sequence[Sequence[float]], denominators: Sequence[Sequence[float]],
                      options: Sequence[SpcOptions]) -> list[SpcResult]:
    """proportion_chart of many series at once: the same results as [proportion_chart(n, d, o) ...]."""
    if not numerators:
        return []
    rules = _rules_shared(options)
    num = np.concatenate([np.asarray(n, dtype=float) for n in numerators])
    den = np.concatenate([np.asarray(d, dtype=float) for d in denominators])
    group, segment, offsets = _laid_end_to_end([len(n) for n in numerators], options)
    plain = _split(num / den, p_limits(num, den, group, laney=False), group, segment, offsets, options,
                   ["p"] * len(numerators), rules)
    if not any(too_many_flagged(result) for result in plain):
        return plain
    laney = _split(num / den, p_limits(num, den, group, laney=True), group, segment, offsets, options,
                   ["p'"] * len(numerators), rules)
    return [wide if too_many_flagged(result) else result for result, wide in zip(plain, laney)]
