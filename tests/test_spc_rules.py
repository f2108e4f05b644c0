"""The SPC engine rule by rule, case by case."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from analysis import spc


def starts_of(n: int) -> np.ndarray:
    starts = np.zeros(n, dtype=bool)
    starts[0] = True
    return starts


# --- segments and runs ---------------------------------------------------

@pytest.mark.parametrize("rebase, expected", [
    ((), [0, 0, 0, 0, 0]),
    ((1,), [0, 1, 1, 1, 1]),      # the earliest possible rebase
    ((4,), [0, 0, 0, 0, 1]),      # the latest: a last point on its own
    ((0,), [0, 0, 0, 0, 0]),      # at the first point: nothing to split
    ((5,), [0, 0, 0, 0, 0]),      # after the last point: ignored
    ((7, -1), [0, 0, 0, 0, 0]),
    ((3, 1, 3), [0, 1, 1, 2, 2]),  # unordered, repeated
])
def test_segment_ids(rebase, expected):
    assert spc.segment_ids(5, rebase).tolist() == expected


@pytest.mark.parametrize("flags, starts, expected", [
    ([1, 1, 0, 1, 1, 1], [1, 0, 0, 0, 0, 0], [1, 2, 0, 1, 2, 3]),
    ([1, 1, 1, 1], [1, 0, 1, 0], [1, 2, 1, 2]),  # a run starts again at a group start
    ([0, 1, 1, 1], [1, 0, 1, 0], [0, 1, 1, 2]),
    ([0, 0, 1], [1, 0, 0], [0, 0, 1]),
])
def test_run_lengths(flags, starts, expected):
    assert spc.run_lengths(np.array(flags, bool), np.array(starts, bool)).tolist() == expected


# --- trend ---------------------------------------------------------------

@pytest.mark.parametrize("values, expected", [
    ([1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 0]),
    ([1, 2, 3, 3, 4, 5, 6], [0] * 7),  # a tie breaks the run
    ([1, 2, 3, 4, 5, 6, 7], [0, 0, 0, 0, 0, 0, 1]),
    ([2, 1, 2, 3, 4, 5, 6, 7, 3], [0, 0, 0, 0, 0, 0, 0, 1, 0]),
    ([7, 6, 5, 4, 3, 2, 1], [0, 0, 0, 0, 0, 0, -1]),
    ([2, 7, 6, 5, 4, 3, 2, 1, 3], [0, 0, 0, 0, 0, 0, 0, -1, 0]),
])
def test_trend_detection(values, expected):
    assert spc.trend_detected(np.array(values, float), starts_of(len(values)), run_length=7).tolist() == expected


def test_trend_flags_all_seven_points():
    values = np.array([5, 1, 2, 3, 4, 5, 6, 7, 3], float)
    assert spc.trend_direction(values, starts_of(9), run_length=7).tolist() == [0, 1, 1, 1, 1, 1, 1, 1, 0]


def test_a_point_ending_a_rise_and_starting_a_fall_takes_the_direction_to_its_right():
    values = np.array([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1], float)
    direction = spc.trend_direction(values, starts_of(13), run_length=7)
    assert direction[6] == -1
    assert direction[:6].tolist() == [1] * 6 and direction[7:].tolist() == [-1] * 6


def test_run_length_six_option():
    values = np.array([1, 2, 3, 4, 5, 6], float)
    assert spc.trend_detected(values, starts_of(6), run_length=6).tolist() == [0, 0, 0, 0, 0, 1]


def test_a_trend_does_not_run_across_a_segment_start():
    values = np.array([1, 2, 3, 4, 5, 6, 7], float)
    starts = starts_of(7)
    starts[3] = True
    assert spc.trend_detected(values, starts, run_length=7).tolist() == [0] * 7


# --- shift ---------------------------------------------------------------

@pytest.mark.parametrize("side, expected", [
    ([1, 1, 1, 1, 1, 1], [0] * 6),
    ([1, 1, 1, 1, 1, 1, -1], [0] * 7),
    ([1] * 8 + [-1], [0, 0, 0, 0, 0, 0, 1, 1, 0]),
    ([-1] * 8 + [1], [0, 0, 0, 0, 0, 0, -1, -1, 0]),
])
def test_shift_detection(side, expected):
    assert spc.shift_detected(np.array(side), starts_of(len(side)), run_length=7).tolist() == expected


def test_a_point_on_the_mean_breaks_a_shift():
    side = np.array([1, 1, 1, 0, 1, 1, 1, 1])
    assert spc.shift_side(side, starts_of(8), run_length=7).tolist() == [0] * 8


def test_shift_flags_every_point_of_the_run():
    side = np.array([-1] + [1] * 9 + [-1])
    assert spc.shift_side(side, starts_of(11), run_length=7).tolist() == [0] + [1] * 9 + [0]


# --- back fill -----------------------------------------------------------

@pytest.mark.parametrize("detected, expected", [
    ([0, 0, 0, 0, 0, 0], [0] * 6),
    ([0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 1, 1, 1, 1, 0]),
    ([0, 0, 0, 0, 0, 0, 0, 1, 0], [0, 1, 1, 1, 1, 1, 1, 1, 0]),
])
def test_back_fill_marks_the_seven_points_ending_at_a_detection(detected, expected):
    assert spc.back_fill(np.array(detected) != 0, 7).astype(int).tolist() == expected


# --- two in three --------------------------------------------------------

@pytest.mark.parametrize("close, side, expected", [
    ([1, 0, 1], [1, 1, 1], [1, 1, 1]),
    ([0, 1, 1], [1, 1, 1], [1, 1, 1]),
    ([1, 1, 0], [1, 1, 1], [1, 1, 1]),
    ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 1, 1, 0, 0]),
    ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 1, 1, 1, 1, 0, 0]),
    ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
    ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
])
def test_two_in_three_windows(close, side, expected):
    side = np.array(side)
    counting = np.array(close) * side  # a close point counts on its own side
    member = spc.two_in_three_windows(counting, side, np.zeros(len(side), int))
    assert member.astype(int).tolist() == expected


@pytest.mark.parametrize("close, side, expected", [
    ([1, 0, 1], [-1, -1, -1], [1, 1, 1]),  # below the mean as above it
    ([1, 1, 0], [1, 1, -1], [0, 0, 0]),    # the third point on the other side: no window
    ([0, 1, 1], [-1, 1, 1], [0, 0, 0]),
    ([0, 0, 0], [0, 0, 0], [0, 0, 0]),     # on the mean is no side
    ([1, 1], [1, 1], [0, 0]),              # fewer than three points
    ([], [], []),
])
def test_two_in_three_windows_on_either_side(close, side, expected):
    side = np.array(side, int)
    counting = np.array(close, int) * side
    member = spc.two_in_three_windows(counting, side, np.zeros(len(side), int))
    assert member.astype(int).tolist() == expected


def test_a_two_in_three_window_stays_inside_its_segment():
    side, counting = np.ones(3, int), np.array([1, 0, 1])
    assert spc.two_in_three_windows(counting, side, np.array([0, 0, 1])).tolist() == [False] * 3


def test_two_in_three_flags_only_the_near_limit_points():
    side = np.ones(5, int)
    counting = np.array([1, 0, 0, 1, 1])
    assert spc.two_in_three_side(counting, side, np.zeros(5, int)).tolist() == [0, 0, 0, 1, 1]


def test_a_point_beyond_the_limit_does_not_count_toward_two_in_three_by_default():
    # Baseline of 12 points: mean 10, mean mR 23/11, near limit 13.71, upper limit 15.56.
    values = np.array([10, 12, 8, 10, 11, 9, 10, 12, 8, 10, 11, 9, 14.5, 30, 12], float)
    default = spc.xmr(values, spc.SpcOptions(fix_after_n_points=12))
    near = default.points.iloc[12]
    assert near.near_upl < 14.5 < near.upl
    assert default.points["rule"].iloc[12] == spc.COMMON_CAUSE
    variant = spc.xmr(values, spc.SpcOptions(fix_after_n_points=12, two_in_three_counts_beyond_limits=True))
    assert variant.points["rule_label"].iloc[12] == "2 in 3 Above CL"
    assert variant.points["rule_label"].iloc[13] == "Above UCL"


# --- precedence, labels, icons ------------------------------------------

def test_outside_limits_takes_precedence_over_a_shift():
    values = np.array([10, 11, 9, 10, 11, 9, 10, 13, 13, 13, 13, 13, 13, 30], float)
    points = spc.xmr(values).points
    assert points["rule_label"].iloc[-1] == "Above UCL"
    assert points["rule"].iloc[-1] == spc.OUTSIDE_LIMITS


@pytest.mark.parametrize("direction, flag, expected", [
    ("increase", 1, "improvement"), ("increase", -1, "concern"),
    ("decrease", 1, "concern"), ("decrease", -1, "improvement"),
    ("neutral", 1, "neither"), ("increase", 0, "common_cause"),
])
def test_special_cause_labels(direction, flag, expected):
    assert spc.special_cause_labels(np.array([flag]), spc.DIRECTIONS[direction])[0] == expected


@pytest.mark.parametrize("levels, expected", [((10, 50), "consistent_pass"), ((50, 10), "consistent_fail")])
def test_the_assurance_icon_reads_the_last_segments_limits_not_the_first(levels, expected):
    # Rebased at point 12: limits about 6.5-13.8 around 10 and 46.5-53.8 around 50; a target of 30 (higher is
    # better) is met by the segment near 50 and failed by the one near 10, whichever comes first.
    wobble = [0, 1, -1, 0, 2, 0, -1, 1, 0, 0, 1, -1]
    values = [levels[0] + w for w in wobble] + [levels[1] + w for w in wobble]
    options = spc.SpcOptions(rebase=(12,), target=30, improvement_direction="increase")
    assert spc.xmr(values, options).assurance_icon == expected


@pytest.mark.parametrize("lpl, upl, target, direction, expected", [
    (4, 7, 4, "increase", "inconsistent"), (1, 4, 4, "increase", "inconsistent"),  # a target on a limit
    (4, 7, 4, "decrease", "inconsistent"), (1, 4, 4, "decrease", "inconsistent"),
    (1, 3, 4, "increase", "consistent_fail"), (5, 7, 4, "increase", "consistent_pass"),
    (1, 5, 4, "increase", "inconsistent"), (1, 3, 4, "decrease", "consistent_pass"),
    (5, 7, 4, "decrease", "consistent_fail"), (1, 5, 4, "decrease", "inconsistent"),
    (1, 5, 4, "neutral", None), (5, 5, 5, "increase", "inconsistent"), (1, 5, None, "increase", None),
    (float("nan"), float("nan"), 4, "increase", None),
])
def test_assurance_icon(lpl, upl, target, direction, expected):
    assert spc.assurance_icon(lpl, upl, target, direction) == expected


def test_variation_icon_comes_from_the_last_point():
    values = [20, 22, 19, 21, 20, 23, 21, 20, 22, 19, 21, 20, 22, 21, 13]
    assert spc.xmr(values, spc.SpcOptions(improvement_direction="decrease")).variation_icon == "improvement_low"
    assert spc.xmr(values, spc.SpcOptions(improvement_direction="increase")).variation_icon == "concern_low"
    assert spc.xmr(values, spc.SpcOptions(improvement_direction="neutral")).variation_icon == "neutral_low"


# --- limits --------------------------------------------------------------

def test_xmr_limits_by_hand():
    # Mean 2.5; moving ranges 2, 1, 2, mean 5/3 = 1.666667; 2.66 x 1.666667 = 4.433333 and
    # 1.773333 x 1.666667 = 2.955556 (the 2-sigma line is two thirds of the way to the limit).
    points = spc.xmr([1, 3, 2, 4]).points
    assert points["mean"].tolist() == pytest.approx([2.5] * 4)
    assert points["upl"].tolist() == pytest.approx([6.933333] * 4, abs=1e-6)
    assert points["lpl"].tolist() == pytest.approx([-1.933333] * 4, abs=1e-6)
    assert points["near_upl"].tolist() == pytest.approx([5.455556] * 4, abs=1e-6)
    assert points["near_lpl"].tolist() == pytest.approx([-0.455556] * 4, abs=1e-6)


def test_screening_drops_large_moving_ranges_once():
    values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    screened = spc.xmr(values).points["upl"].iloc[0]
    unscreened = spc.xmr(values, spc.SpcOptions(screen_outliers=False)).points["upl"].iloc[0]
    assert screened == pytest.approx(4.6044444444)
    assert unscreened > screened


def test_a_flat_segment_has_no_limits():
    points = spc.xmr([5, 5, 5, 5, 5]).points
    assert points["upl"].isna().all() and points["mean"].eq(5).all()
    assert (points["rule"] != spc.OUTSIDE_LIMITS).all()
    unscreened = spc.xmr([5, 5, 5, 5], spc.SpcOptions(screen_outliers=False)).points  # moving ranges all 0
    assert unscreened["lpl"].isna().all() and unscreened["upl"].isna().all() and unscreened["near_upl"].isna().all()


def test_two_points_have_limits_from_their_one_moving_range():
    points = spc.xmr([1, 3]).points  # mean 2, moving range 2: 2 ± 2.66 x 2
    assert points["lpl"].tolist() == pytest.approx([-3.32, -3.32]) and points["upl"].tolist() == pytest.approx([7.32, 7.32])


def test_a_moving_range_of_exactly_3267_times_the_mean_is_screened_out():
    # Moving ranges 3267, then 748 eight times and 749: ten summing to 10,000, mean 1,000, so the first is
    # exactly 3.267 times the mean. NHSRplotthedots keeps only mr < 3.267 x mean: without it the mean
    # moving range is 6,733/9 = 748.111 and the limits are the mean ± 2.66 x 748.111 = ± 1,989.9756.
    values = [0, 3267, 2519, 3267, 2519, 3267, 2519, 3267, 2519, 3267, 2518]
    points = spc.xmr(values).points
    assert (points["upl"] - points["mean"]).tolist() == pytest.approx([1989.975556] * 11, abs=1e-6)
    unscreened = spc.xmr(values, spc.SpcOptions(screen_outliers=False)).points
    assert (unscreened["upl"] - unscreened["mean"]).tolist() == pytest.approx([2660.0] * 11)


def test_a_moving_range_under_3267_times_the_mean_is_kept():
    # Moving ranges 3000, then 777 eight times and 784: mean 1,000; 3000 < 3,267 stays, so ± 2.66 x 1,000.
    values = [0, 3000, 2223, 3000, 2223, 3000, 2223, 3000, 2223, 3000, 2216]
    points = spc.xmr(values).points
    assert (points["upl"] - points["mean"]).tolist() == pytest.approx([2660.0] * 11)


def test_points_exactly_on_a_limit_or_a_2_sigma_line_are_not_beyond_it():
    # Baseline -0.5, 0.5 six times: mean 0, eleven moving ranges of 1, so the limits are exactly -2.66 and
    # 2.66 and the 2-sigma lines -1.7733333333333334 and 1.7733333333333334 (2 x 2.66 / 3 in floating point).
    values = [-0.5, 0.5] * 6 + [2.66, -2.66, 1.7733333333333334, -1.7733333333333334, 0.0, 2.6600001]
    points = spc.xmr(values, spc.SpcOptions(fix_after_n_points=12)).points.iloc[12:]
    assert points["upl"].tolist() == [2.66] * 6 and points["near_upl"].tolist() == [1.7733333333333334] * 6
    assert points["outside_limits"].tolist() == [False, False, False, False, False, True]
    assert points["close_to_limits"].tolist() == [True, True, False, False, False, False]
    assert points["relative_to_mean"].tolist() == [1, -1, 1, -1, 0, 1]
    assert points["rule_label"].tolist()[-1] == "Above UCL"


def test_fix_after_n_points_uses_only_the_baseline():
    baseline = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10, 11, 9]
    values = baseline + [30, 31, 29]
    points = spc.xmr(values, spc.SpcOptions(fix_after_n_points=12)).points
    assert points["mean"].iloc[-1] == pytest.approx(np.mean(baseline))
    assert (points["rule_label"].iloc[-3:] == "Above UCL").all()


def test_fix_after_n_points_counts_from_each_segment_start():
    # Segment 2 starts at point 6; its baseline is its own first 12 points (20, 21, 19, 20, 22, 18, 20, 21,
    # 19, 20, 21, 19): mean 20, moving ranges summing to 19, mean 19/11; upper limit 20 + 2.66 x 19/11 = 24.594545.
    values = [10, 11, 9, 10, 12, 8] + [20, 21, 19, 20, 22, 18, 20, 21, 19, 20, 21, 19] + [40, 41]
    points = spc.xmr(values, spc.SpcOptions(rebase=(6,), fix_after_n_points=12)).points
    assert points["mean"].tolist() == [10.0] * 6 + [20.0] * 14
    assert points["upl"].iloc[6:].tolist() == pytest.approx([24.594545] * 14, abs=1e-6)
    assert points["rule_label"].iloc[-2:].tolist() == ["Above UCL", "Above UCL"]


def test_a_segment_needs_thirteen_points_for_firm_limits():
    values = [1, 2] * 12 + [1]  # 25 points
    twelve_then_thirteen = spc.xmr(values, spc.SpcOptions(rebase=(12,)))
    assert twelve_then_thirteen.points["trial_limits"].tolist() == [True] * 12 + [False] * 13
    assert twelve_then_thirteen.trial_limits is False  # the latest segment decides
    thirteen_then_twelve = spc.xmr(values, spc.SpcOptions(rebase=(13,)))
    assert thirteen_then_twelve.points["trial_limits"].tolist() == [False] * 13 + [True] * 12
    assert thirteen_then_twelve.trial_limits is True
    assert spc.xmr(values[:14], spc.SpcOptions(rebase=(13,))).trial_limits is True  # a last segment of one point


def test_an_empty_series_has_no_signal():
    result = spc.xmr([])
    assert result.points.empty and result.trial_limits is True
    assert (result.variation_icon, result.assurance_icon) == ("common_cause", None)


def test_trial_limits_on_short_segments():
    result = spc.xmr(list(range(20)), spc.SpcOptions(rebase=(10,)))
    assert result.points["trial_limits"].tolist() == [True] * 20
    assert spc.xmr([1, 2, 1, 2] * 4).trial_limits is False


def test_options_are_validated():
    with pytest.raises(ValueError):
        spc.SpcOptions(improvement_direction="up")
    with pytest.raises(ValueError):
        spc.SpcOptions(run_length=5)
    with pytest.raises(ValueError):
        spc.SpcOptions(fix_after_n_points=5)
    with pytest.raises(ValueError):
        spc.xmr([1, float("nan"), 3])
    with pytest.raises(ValueError, match="run_length"):
        spc.SpcOptions(run_length=8)
    with pytest.raises(ValueError, match="at least 12"):
        spc.SpcOptions(fix_after_n_points=11)
    assert spc.SpcOptions(run_length=6, fix_after_n_points=12).run_length == 6


def test_direction_signs():
    signs = [spc.SpcOptions(improvement_direction=d).direction_sign for d in ("increase", "decrease", "neutral")]
    assert signs == [1, -1, 0]


def test_options_are_values():
    first, second = spc.SpcOptions(run_length=6), spc.SpcOptions(run_length=6)
    assert first == second and len({first, second}) == 1  # equal and hashable, for caches
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.run_length = 7


def test_a_run_length_of_six_makes_six_points_a_shift():
    values = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9] + [10.5] * 6  # six above the mean, 183/18 = 10.17
    six = spc.xmr(values, spc.SpcOptions(run_length=6)).points["rule_label"].tolist()
    assert six[-6:] == ["6 Points Above CL"] * 6
    assert set(spc.xmr(values).points["rule_label"]) == {"Common Cause"}


# --- proportions ---------------------------------------------------------

def test_p_chart_limits_by_hand():
    # p-bar 75/250 = 0.3; sigma = sqrt(0.21/100) = 0.0458258 and sqrt(0.21/50) = 0.0648074;
    # limits 0.3 ± 0.1374773 and 0.3 ± 0.1944222; 2-sigma lines 0.3 ± 0.0916515 and 0.3 ± 0.1296148.
    points = spc.p_chart([20, 30, 25], [100, 100, 50]).points
    assert points["mean"].tolist() == pytest.approx([0.3] * 3)
    assert points["upl"].tolist() == pytest.approx([0.4374773, 0.4374773, 0.4944222], abs=1e-7)
    assert points["lpl"].tolist() == pytest.approx([0.1625227, 0.1625227, 0.1055778], abs=1e-7)
    assert points["near_upl"].tolist() == pytest.approx([0.3916515, 0.3916515, 0.4296148], abs=1e-7)
    assert points["value"].tolist() == pytest.approx([0.2, 0.3, 0.5])


def test_p_chart_limits_are_clipped_to_zero_and_one():
    points = spc.p_chart([1, 0, 1], [3, 2, 4]).points
    assert (points["lpl"] >= 0).all() and (points["upl"] <= 1).all()


def test_laney_widens_the_limits_for_overdispersed_large_samples():
    rng = np.random.default_rng(1)
    rates = np.clip(0.8 + rng.normal(0, 0.06, 36), 0, 1)
    denominators = np.full(36, 5000)
    numerators = np.round(rates * denominators)
    plain = spc.p_chart(numerators, denominators)
    assert spc.too_many_flagged(plain)
    chosen = spc.proportion_chart(numerators, denominators)
    assert chosen.chart == "p'"
    assert (chosen.points["upl"] > plain.points["upl"]).all()


def test_bad_proportions_are_refused():
    with pytest.raises(ValueError, match="denominator must be positive"):
        spc.p_chart([0], [0])
    with pytest.raises(ValueError, match="between 0 and their denominators"):
        spc.p_chart([6], [5])
    with pytest.raises(ValueError, match="between 0 and their denominators"):
        spc.p_chart([-1], [5])
    edge = spc.p_chart([5, 0, 1], [5, 5, 1]).points  # all, none, and a sample of one are all fine
    assert edge["value"].tolist() == [1.0, 0.0, 1.0]


def test_a_rate_of_zero_throughout_has_no_limits():
    points = spc.p_chart([0, 0, 0], [10, 10, 10]).points
    assert points["mean"].tolist() == [0.0] * 3
    assert points["lpl"].isna().all() and points["upl"].isna().all() and points["near_upl"].isna().all()
    assert points["rule"].tolist() == [spc.COMMON_CAUSE] * 3


def test_p_chart_limits_stop_at_one():
    # 9 and 10 of 10: p-bar 0.95, sigma sqrt(0.95 x 0.05 / 10) = 0.0689202;
    # 0.95 - 3 sigma = 0.7432393 and - 2 sigma = 0.8121595; + 2 sigma = 1.0878 and + 3 sigma = 1.1568: 1.
    points = spc.p_chart([9, 10], [10, 10]).points
    assert points["lpl"].tolist() == pytest.approx([0.7432393] * 2, abs=1e-7)
    assert points["near_lpl"].tolist() == pytest.approx([0.8121595] * 2, abs=1e-7)
    assert points["near_upl"].tolist() == [1.0, 1.0] and points["upl"].tolist() == [1.0, 1.0]


def test_laney_sigma_z_is_worked_out_segment_by_segment():
    # Segment 1: 45, 55, 45, 55 of 100 (p-bar 0.5, z = -1, 1, -1, 1, sigma_z = 2/1.128): 0.5 ± 0.265957.
    # Segment 2: 20, 30, 20, 30 of 100 (p-bar 0.25, sigma 0.0433013, z = ∓1.154701, sigma_z = 2.309401/1.128
    # = 2.047341): 0.25 ± 3 x 0.0433013 x 2.047341 = 0.25 ± 0.265957, so 0 to 0.515957.
    # The jump from 55 to 20 between segments is no moving range of either.
    points = spc.p_chart([45, 55, 45, 55, 20, 30, 20, 30], [100] * 8, spc.SpcOptions(rebase=(4,)), laney=True).points
    assert points["mean"].tolist() == pytest.approx([0.5] * 4 + [0.25] * 4)
    assert points["upl"].tolist() == pytest.approx([0.765957] * 4 + [0.515957] * 4, abs=1e-6)
    assert points["lpl"].tolist() == pytest.approx([0.234043] * 4 + [0.0] * 4, abs=1e-6)


def test_laney_is_chosen_only_when_more_than_half_the_points_are_outside():
    def result(rules):
        return spc.SpcResult(pd.DataFrame({"rule": rules}), "common_cause", None, spc.SpcOptions())

    assert not spc.too_many_flagged(result([1, 1, 0, 0]))  # half
    assert spc.too_many_flagged(result([1, 1, 1, 0]))
    assert spc.too_many_flagged(result([1] * 6 + [0] * 5))  # 6 of 11, 54.5%
    assert not spc.too_many_flagged(result([1, 1, 2, 4]))  # other rules do not count
    assert spc.proportion_chart([20, 30, 25], [100, 100, 50]).chart == "p"


# --- many series at once -------------------------------------------------

BATCH_A = [20, 22, 19, 21, 20, 23, 21, 20, 22, 19, 21, 20, 22, 21, 13]
BATCH_B = [113, 121, 122, 120, 121, 119, 122, 120, 121, 123, 120, 121, 119, 122, 120]  # A reversed, plus 100


def test_the_batch_charts_each_row_on_its_own():
    # Row A: mean 304/15 = 20.266667; moving ranges sum to 33 over 14, mean 2.357143; 8 >= 3.267 x 2.357143
    # = 7.70 is screened out, leaving 25/13 = 1.923077; limits 20.266667 ± 2.66 x 1.923077 = ± 5.115385.
    # Row B has the same moving ranges, 100 higher. A's last point (13) and B's first (113) are below.
    result = spc.xmr_batch(np.array([BATCH_A, BATCH_B]))
    assert result.mean[:, 0].tolist() == pytest.approx([20.266667, 120.266667], abs=1e-6)
    assert result.lpl[:, 0].tolist() == pytest.approx([15.151282, 115.151282], abs=1e-6)
    assert result.upl[:, 0].tolist() == pytest.approx([25.382051, 125.382051], abs=1e-6)
    assert result.flag.tolist() == [[0] * 14 + [-1], [-1] + [0] * 14]
    assert result.rule.tolist() == [[0] * 14 + [1], [1] + [0] * 14]
    assert result.special_cause[0, -1] == "concern" and result.special_cause[1, -1] == "common_cause"
    assert result.variation_icon == ["concern_low", "common_cause"]


def test_the_batch_rebases_every_row():
    # Rebased at point 5: A's first five average 102/5 = 20.4 and the other ten 202/10 = 20.2;
    # B's 597/5 = 119.4 and 1207/10 = 120.7.
    result = spc.xmr_batch(np.array([BATCH_A, BATCH_B]), spc.SpcOptions(rebase=(5,)))
    assert result.mean[0].tolist() == pytest.approx([20.4] * 5 + [20.2] * 10)
    assert result.mean[1].tolist() == pytest.approx([119.4] * 5 + [120.7] * 10)



# Series of different lengths, each with its own rebases, direction and target, one of a single point and one
# with none (a measure with no month in range).
MANY = [BATCH_A, BATCH_B[:9], [], [5.0, 5.0, 5.0, 9.0, 4.0, 6.0, 8.0], BATCH_A[::-1], [7.0]]
MANY_OPTIONS = [spc.SpcOptions(rebase=(5,)), spc.SpcOptions(improvement_direction="decrease", target=118.0),
                spc.SpcOptions(), spc.SpcOptions(), spc.SpcOptions(rebase=(3, 9), target=20.0),
                spc.SpcOptions(target=6.0)]


def assert_same_charts(together: list[spc.SpcResult], alone: list[spc.SpcResult]) -> None:
    assert len(together) == len(alone)
    for one, other in zip(together, alone):
        # An empty table's text columns have no dtype to agree on (pandas makes them float when alone).
        pd.testing.assert_frame_equal(one.points, other.points, check_dtype=len(other.points) > 0)
        assert (one.variation_icon, one.assurance_icon, one.chart, one.options) == (
            other.variation_icon, other.assurance_icon, other.chart, other.options)


def test_many_series_charted_in_one_pass_are_each_charted_as_alone():
    assert_same_charts(spc.xmr_many(MANY, MANY_OPTIONS), [spc.xmr(v, o) for v, o in zip(MANY, MANY_OPTIONS)])
    # Also in every other order: no series borrows a neighbour's segment, mean or run.
    for shift in range(1, len(MANY)):
        series, options = MANY[shift:] + MANY[:shift], MANY_OPTIONS[shift:] + MANY_OPTIONS[:shift]
        assert_same_charts(spc.xmr_many(series, options), [spc.xmr(v, o) for v, o in zip(series, options)])


def test_many_proportion_series_take_the_laney_chart_only_where_their_own_p_chart_flags_too_many():
    # The first is overdispersed (most of its p-chart points beyond limits); the second is not.
    wide = ([10, 60, 15, 70, 12, 65, 20, 55, 11, 68, 14, 62, 18], [100] * 13)
    calm = ([50, 52, 49, 51, 50, 48, 52, 50, 51, 49, 50, 51, 50, 52], [100] * 14)
    options = [spc.SpcOptions(rebase=(6,)), spc.SpcOptions(target=0.45)]
    numerators, denominators = [wide[0], calm[0]], [wide[1], calm[1]]
    together = spc.proportion_charts(numerators, denominators, options)
    assert_same_charts(together, [spc.proportion_chart(n, d, o) for n, d, o in zip(numerators, denominators, options)])
    assert [result.chart for result in together] == ["p'", "p"]
    assert_same_charts(spc.proportion_charts([calm[0]], [calm[1]], options[1:]),
                       [spc.proportion_chart(calm[0], calm[1], options[1])])


def test_many_series_at_once_need_the_same_rules_and_no_missing_value():
    assert spc.xmr_many([], []) == [] and spc.proportion_charts([], [], []) == []
    with pytest.raises(ValueError, match="must share"):
        spc.xmr_many([BATCH_A, BATCH_A], [spc.SpcOptions(), spc.SpcOptions(run_length=6)])
    for different in ({"fix_after_n_points": 12}, {"screen_outliers": False}, {"two_in_three_counts_beyond_limits": True}):
        with pytest.raises(ValueError, match="must share"):
            spc.xmr_many([BATCH_A, BATCH_A], [spc.SpcOptions(), spc.SpcOptions(**different)])
    with pytest.raises(ValueError, match="NaN"):
        spc.xmr_many([BATCH_A, [1.0, float("nan"), 2.0]], [spc.SpcOptions()] * 2)

# ---------------------------------------------------------------------------
# The rule in plain words (what people read and hear), one behaviour each
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("flag, expected", [(1, "above the upper limit"), (-1, "below the lower limit")])
def test_rule_words_outside_the_limits_names_the_limit_crossed(flag, expected):
    assert spc.rule_words(spc.OUTSIDE_LIMITS, flag, 7) == expected


@pytest.mark.parametrize("flag, expected", [(1, "rising seven months in a row"), (-1, "falling seven months in a row")])
def test_rule_words_a_trend_says_its_direction_and_length(flag, expected):
    assert spc.rule_words(spc.TREND, flag, 7) == expected


@pytest.mark.parametrize("flag, expected", [(1, "two of three months near the upper limit"),
                                            (-1, "two of three months near the lower limit")])
def test_rule_words_two_in_three_names_the_limit_approached(flag, expected):
    assert spc.rule_words(spc.TWO_IN_THREE, flag, 7) == expected


@pytest.mark.parametrize("flag, expected", [(1, "seven months in a row above the average"),
                                            (-1, "seven months in a row below the average")])
def test_rule_words_a_shift_says_its_side_of_the_average(flag, expected):
    assert spc.rule_words(spc.SHIFT, flag, 7) == expected


def test_rule_words_no_rule_is_common_cause():
    assert spc.rule_words(spc.COMMON_CAUSE, 0, 7) == "common cause"


@pytest.mark.parametrize("run_length, word", [(2, "two"), (3, "three"), (4, "four"), (5, "five"), (6, "six"),
                                              (7, "seven"), (8, "eight"), (9, "nine"), (10, "ten"),
                                              (11, "eleven"), (12, "twelve")])
def test_rule_words_spell_run_lengths_up_to_twelve(run_length, word):
    assert spc.rule_words(spc.SHIFT, 1, run_length) == f"{word} months in a row above the average"
    assert spc.rule_words(spc.TREND, -1, run_length) == f"falling {word} months in a row"


def test_rule_words_give_a_run_beyond_twelve_in_digits():
    assert spc.rule_words(spc.SHIFT, -1, 13) == "13 months in a row below the average"


def test_number_words_are_the_english_words_for_two_to_twelve():
    assert spc.NUMBER_WORDS == {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                                9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}


@pytest.mark.parametrize("code, expected", [(spc.TREND, "rising six points in a row"),
                                            (spc.TWO_IN_THREE, "two of three points near the upper limit"),
                                            (spc.SHIFT, "six points in a row above the average")])
def test_rule_words_name_the_charts_points(code, expected):
    assert spc.rule_words(code, 1, 6, points="points") == expected


def test_the_provisional_note_says_why_the_limits_are_provisional():
    # Firm limits need thirteen points (MIN_POINTS_FOR_FIRM_LIMITS).
    assert spc.PROVISIONAL_LIMITS == "provisional limits: set from fewer than 13 points, to be fixed once there are enough"


def test_the_provisional_sentence_is_the_note_with_a_capital_and_a_full_stop():
    assert spc.PROVISIONAL_SENTENCE == "Provisional limits: set from fewer than 13 points, to be fixed once there are enough."
