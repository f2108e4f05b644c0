"""The SPC engine rule by rule, case by case."""
from __future__ import annotations

import numpy as np
import pytest

from analysis import spc


def starts_of(n: int) -> np.ndarray:
    starts = np.zeros(n, dtype=bool)
    starts[0] = True
    return starts


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
    assert spc.trend_detected(np.array(values, float), starts_of(len(values))).tolist() == expected


def test_trend_flags_all_seven_points():
    values = np.array([5, 1, 2, 3, 4, 5, 6, 7, 3], float)
    assert spc.trend_direction(values, starts_of(9)).tolist() == [0, 1, 1, 1, 1, 1, 1, 1, 0]


def test_a_point_ending_a_rise_and_starting_a_fall_takes_the_direction_to_its_right():
    values = np.array([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1], float)
    direction = spc.trend_direction(values, starts_of(13))
    assert direction[6] == -1
    assert direction[:6].tolist() == [1] * 6 and direction[7:].tolist() == [-1] * 6


def test_run_length_six_option():
    values = np.array([1, 2, 3, 4, 5, 6], float)
    assert spc.trend_detected(values, starts_of(6), run_length=6).tolist() == [0, 0, 0, 0, 0, 1]


def test_a_trend_does_not_run_across_a_segment_start():
    values = np.array([1, 2, 3, 4, 5, 6, 7], float)
    starts = starts_of(7)
    starts[3] = True
    assert spc.trend_detected(values, starts).tolist() == [0] * 7


# --- shift ---------------------------------------------------------------

@pytest.mark.parametrize("side, expected", [
    ([1, 1, 1, 1, 1, 1], [0] * 6),
    ([1, 1, 1, 1, 1, 1, -1], [0] * 7),
    ([1] * 8 + [-1], [0, 0, 0, 0, 0, 0, 1, 1, 0]),
    ([-1] * 8 + [1], [0, 0, 0, 0, 0, 0, -1, -1, 0]),
])
def test_shift_detection(side, expected):
    assert spc.shift_detected(np.array(side), starts_of(len(side))).tolist() == expected


def test_a_point_on_the_mean_breaks_a_shift():
    side = np.array([1, 1, 1, 0, 1, 1, 1, 1])
    assert spc.shift_side(side, starts_of(8)).tolist() == [0] * 8


def test_shift_flags_every_point_of_the_run():
    side = np.array([-1] + [1] * 9 + [-1])
    assert spc.shift_side(side, starts_of(11)).tolist() == [0] + [1] * 9 + [0]


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


@pytest.mark.parametrize("lpl, upl, target, direction, expected", [
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


def test_fix_after_n_points_uses_only_the_baseline():
    baseline = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10, 11, 9]
    values = baseline + [30, 31, 29]
    points = spc.xmr(values, spc.SpcOptions(fix_after_n_points=12)).points
    assert points["mean"].iloc[-1] == pytest.approx(np.mean(baseline))
    assert (points["rule_label"].iloc[-3:] == "Above UCL").all()


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
    with pytest.raises(ValueError):
        spc.p_chart([5], [0])
    with pytest.raises(ValueError):
        spc.p_chart([6], [5])

