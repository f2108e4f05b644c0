"""Invariants of the SPC engine, over generated series (hypothesis)."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import spc

finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
series = st.lists(finite.map(lambda x: round(x, 2)), min_size=3, max_size=40)
directions = st.sampled_from(["increase", "decrease", "neutral"])


@given(series, directions)
@settings(max_examples=200, deadline=None)
def test_limits_are_symmetric_about_the_mean(values, direction):
    points = spc.xmr(values, spc.SpcOptions(improvement_direction=direction)).points
    has = points["upl"].notna()
    np.testing.assert_allclose((points["upl"] - points["mean"])[has], (points["mean"] - points["lpl"])[has], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose((points["near_upl"] - points["mean"])[has], (points["mean"] - points["near_lpl"])[has], rtol=1e-9, atol=1e-6)


@given(series, st.floats(min_value=0.01, max_value=100), st.integers(min_value=-6, max_value=6))
@settings(max_examples=200, deadline=None)
def test_scaling_the_values_scales_the_limits_and_keeps_the_signals(values, factor, power):
    original = spc.xmr(values).points
    scaled = spc.xmr(np.array(values) * factor).points
    for column in ("mean", "lpl", "upl"):
        np.testing.assert_allclose(scaled[column], original[column] * factor, rtol=1e-7, atol=1e-6)
    # Scaling by a power of two is exact in floating point, so every signal must be identical.
    exact = spc.xmr(np.array(values) * 2.0 ** power).points
    assert exact["flag"].tolist() == original["flag"].tolist()
    assert exact["rule"].tolist() == original["rule"].tolist()


@given(series, st.integers(min_value=1, max_value=39))
@settings(max_examples=200, deadline=None)
def test_a_rebase_splits_the_series_into_independent_charts(values, cut):
    if cut >= len(values):
        cut = len(values) - 1
    whole = spc.xmr(values, spc.SpcOptions(rebase=(cut,))).points
    before, after = spc.xmr(values[:cut]).points, spc.xmr(values[cut:]).points
    for column in ("mean", "upl", "lpl"):
        np.testing.assert_allclose(whole[column].iloc[:cut], before[column], equal_nan=True)
        np.testing.assert_allclose(whole[column].iloc[cut:], after[column], equal_nan=True)
    assert whole["flag"].iloc[:cut].tolist() == before["flag"].tolist()
    assert whole["flag"].iloc[cut:].tolist() == after["flag"].tolist()


@given(st.lists(series.filter(lambda v: len(v) >= 5), min_size=1, max_size=5), st.integers(0, 4))
@settings(max_examples=100, deadline=None)
def test_the_batch_gives_each_series_what_a_single_run_gives(batch, cut):
    length = min(len(v) for v in batch)
    values = np.array([v[:length] for v in batch])
    options = spc.SpcOptions(rebase=(cut,) if 0 < cut < length else ())
    result = spc.xmr_batch(values, options)
    for i, row in enumerate(values):
        single = spc.xmr(row, options)
        np.testing.assert_allclose(result.upl[i], single.points["upl"], equal_nan=True)
        assert result.flag[i].tolist() == single.points["flag"].tolist()
        assert result.variation_icon[i] == single.variation_icon


@given(series)
@settings(max_examples=100, deadline=None)
def test_reversing_the_improvement_direction_swaps_improvement_and_concern(values):
    up = spc.xmr(values, spc.SpcOptions(improvement_direction="increase")).points["special_cause"]
    down = spc.xmr(values, spc.SpcOptions(improvement_direction="decrease")).points["special_cause"]
    swap = {"improvement": "concern", "concern": "improvement", "common_cause": "common_cause"}
    assert down.tolist() == [swap[c] for c in up]
