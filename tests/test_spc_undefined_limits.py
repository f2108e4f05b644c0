"""Undefined limits: a segment with no variation (every moving range zero, before or after screening) or of one point
has no limits, so every flag that compares a point with its limits is null, not False. Each vector is worked out by
hand in its comments; the rules that need only the points and the mean (trend, shift) still apply. (The control
chart's words for it are tested in test_chart_descriptions.py.)"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import narrative, spc

LIMIT_COLUMNS = ["lpl", "upl", "near_lpl", "near_upl"]
LIMIT_RELATIVE_FLAGS = ["close_to_limits", "outside_limits"]

# Twelve points with variation: sum 130, mean 130 / 12 = 10.8333; moving ranges 2 3 2 2 3 2 1 2 1 2 1, sum 21,
# mean 21 / 11 = 1.9091 (none >= 3.267 x 1.9091 = 6.24, so screening keeps all); limits 10.8333 -/+ 2.66 x 1.9091.
VARIED = [10, 12, 9, 11, 13, 10, 12, 11, 9, 10, 12, 11]
VARIED_MEAN, VARIED_RANGE = 130 / 12, 21 / 11


def assert_undefined(points: pd.DataFrame, rows) -> None:
    part = points.iloc[rows]
    assert part[LIMIT_COLUMNS].isna().all().all()
    for column in LIMIT_RELATIVE_FLAGS:
        assert part[column].isna().all(), column  # null: neither near nor beyond an undefined limit
        assert spc.nullable_flags(part[column]) == [None] * len(part)


def assert_defined(points: pd.DataFrame, rows) -> None:
    part = points.iloc[rows]
    assert part[LIMIT_COLUMNS].notna().all().all()
    for column in LIMIT_RELATIVE_FLAGS:
        assert part[column].notna().all(), column


def test_a_constant_series_has_null_limits_and_null_limit_relative_flags():
    # 15 points of 7: mean 7, every moving range 0, so no limits.
    result = spc.xmr([7.0] * 15, spc.SpcOptions(target=5.0, improvement_direction="decrease"))
    points = result.points
    assert (points["mean"] == 7).all()
    assert_undefined(points, slice(None))
    assert (points["relative_to_mean"] == 0).all()  # every point on the mean: defined without limits
    assert (points["flag"] == 0).all() and (points["rule"] == spc.COMMON_CAUSE).all()
    assert (points["special_cause"] == "common_cause").all()
    assert result.variation_icon == "common_cause"
    assert result.assurance_icon is None  # a target cannot be assured against undefined limits


def test_a_segment_of_one_point_after_a_rebase_has_null_limits_and_flags():
    values = VARIED + [30]
    points = spc.xmr(values, spc.SpcOptions(rebase=(12,))).points
    assert points["upl"].iloc[0] == pytest.approx(VARIED_MEAN + 2.66 * VARIED_RANGE)  # 15.9115
    assert points["lpl"].iloc[0] == pytest.approx(VARIED_MEAN - 2.66 * VARIED_RANGE)  # 5.7552
    assert_defined(points, slice(0, 12))
    assert not points["outside_limits"].iloc[:12].any()  # 9 to 13 lie inside 5.76 to 15.91
    # The last point is its own segment: mean 30, no moving range, no limits.
    assert points["mean"].iloc[12] == 30 and points["relative_to_mean"].iloc[12] == 0
    assert_undefined(points, [12])
    assert points["flag"].iloc[12] == 0 and points["special_cause"].iloc[12] == "common_cause"


def test_a_segment_whose_moving_ranges_are_all_zero_has_null_limits_and_flags():
    # After a rebase at 12, eight points of 20: mean 20, seven moving ranges of 0.
    values = VARIED + [20] * 8
    points = spc.xmr(values, spc.SpcOptions(rebase=(12,))).points
    assert_defined(points, slice(0, 12))
    assert (points["mean"].iloc[12:] == 20).all() and (points["relative_to_mean"].iloc[12:] == 0).all()
    assert_undefined(points, slice(12, None))
    assert (points["flag"].iloc[12:] == 0).all()


def test_moving_ranges_all_zero_after_screening_leave_no_limits_but_the_shift_rule_still_works():
    # 5 x 8 then 15: mean 55 / 9 = 6.111; moving ranges 0 x 7 and 10, mean 1.25; 10 >= 3.267 x 1.25 = 4.08 is
    # screened out, the rest average 0: no limits. The jump to 15 is not "outside" an undefined limit (null), but
    # the eight points below the mean are a shift, which needs only the mean.
    points = spc.xmr([5.0] * 8 + [15.0]).points
    assert points["mean"].iloc[0] == pytest.approx(55 / 9)
    assert_undefined(points, slice(None))
    assert points["relative_to_mean"].tolist() == [-1] * 8 + [1]
    assert points["rule"].tolist() == [spc.SHIFT] * 8 + [spc.COMMON_CAUSE]
    assert points["flag"].tolist() == [-1] * 8 + [0]
    # Without screening the mean moving range is 1.25, so there are limits: 6.111 +/- 3.325, and 15 is outside.
    unscreened = spc.xmr([5.0] * 8 + [15.0], spc.SpcOptions(screen_outliers=False)).points
    assert_defined(unscreened, slice(None))
    assert unscreened["upl"].iloc[0] == pytest.approx(55 / 9 + 2.66 * 1.25)
    assert unscreened["outside_limits"].tolist() == [False] * 8 + [True]


def test_a_p_chart_at_zero_throughout_has_null_limits_and_flags():
    # p-bar 0: sigma 0, so no limits.
    points = spc.p_chart([0] * 6, [50] * 6).points
    assert (points["mean"] == 0).all()
    assert_undefined(points, slice(None))


def test_the_batch_engine_agrees_on_undefined_limits():
    batch = spc.xmr_batch(np.array([[7.0] * 10, VARIED[:10]]))
    assert np.isnan(batch.upl[0]).all() and np.isnan(batch.lpl[0]).all() and np.isfinite(batch.upl[1]).all()
    assert (batch.flag[0] == 0).all() and batch.variation_icon[0] == "common_cause"


# --- words ----------------------------------------------------------------------------------------------------------

def charted(values, **options) -> pd.DataFrame:
    points = spc.xmr(values, spc.SpcOptions(**options)).points
    return points.assign(month=pd.date_range("2021-01-01", periods=len(values), freq="MS"))


def test_the_narrative_says_the_limits_are_undefined_instead_of_within_expected_levels():
    constant = charted([7.0] * 15)
    assert narrative.spc_phrase(constant, 14, "increase") == "limits undefined (no variation); no trend or shift"
    one_point = charted(VARIED + [30], rebase=(12,))
    assert narrative.spc_phrase(one_point, 12, "increase").startswith("limits undefined (one point since the rebase")
    assert narrative.spc_phrase(one_point, 11, "increase") == "within expected levels (common cause variation)"
    shifted = charted([5.0] * 8 + [15.0])
    assert narrative.spc_phrase(shifted, 7, "increase").startswith("a sustained reduction since January 2021")
