"""Wilson intervals and Laney p' against hand-computed figures."""
import math

import numpy as np
import pandas as pd
import pytest

from analysis import spc
from analysis.proportions import Z95, rolling_pooled, small_numbers, wilson_interval, with_wilson


def wilson_by_hand(x: int, n: int, z: float = Z95) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


@pytest.mark.parametrize("x, n, lower, upper", [
    (81, 100, 0.7222, 0.8749),  # worked by hand: centre 0.79854, half-width 0.07632
    (0, 10, 0.0, 0.2775),
    (10, 10, 0.7225, 1.0),
    (3, 4, 0.3006, 0.9544),
])
def test_wilson_matches_the_formula_to_four_decimal_places(x, n, lower, upper):
    lo, hi = wilson_interval(x, n)
    assert round(float(lo), 4) == lower and round(float(hi), 4) == upper
    by_hand = wilson_by_hand(x, n)
    assert float(lo) == pytest.approx(max(0.0, by_hand[0]), abs=5e-5)
    assert float(hi) == pytest.approx(min(1.0, by_hand[1]), abs=5e-5)


def test_wilson_is_vectorised_and_empty_samples_have_no_interval():
    lower, upper = wilson_interval([5, 0], [10, 0])
    assert math.isnan(lower[1]) and math.isnan(upper[1])
    assert lower[0] < 0.5 < upper[0]


def test_with_wilson_adds_percent_columns():
    frame = with_wilson(pd.DataFrame({"numerator": [81], "denominator": [100]}))
    assert frame.loc[0, "rate"] == 81.0
    assert round(frame.loc[0, "lower95"], 2) == 72.22 and round(frame.loc[0, "upper95"], 2) == 87.49


def test_rolling_pooled_needs_twelve_months_in_a_row():
    months = pd.date_range("2020-01-01", periods=14, freq="MS")
    frame = pd.DataFrame({"month": months, "numerator": [8] * 14, "denominator": [10] * 14})
    rolled = rolling_pooled(frame.drop(index=5))
    assert rolled.empty
    rolled = rolling_pooled(frame)
    assert len(rolled) == 3 and rolled["denominator"].iloc[0] == 120 and rolled["rate"].iloc[0] == pytest.approx(80.0)


def test_small_numbers_threshold():
    assert small_numbers(49, 50) and not small_numbers(50, 50) and not small_numbers(None, 50)


def test_laney_p_prime_by_hand():
    numerators, denominators = np.array([30, 45, 38, 50]), np.array([100, 120, 110, 130])
    p_bar = numerators.sum() / denominators.sum()
    sigma = np.sqrt(p_bar * (1 - p_bar) / denominators)
    z = (numerators / denominators - p_bar) / sigma
    sigma_z = np.mean(np.abs(np.diff(z))) / 1.128
    points = spc.p_chart(numerators, denominators, laney=True).points
    np.testing.assert_allclose(points["upl"], np.clip(p_bar + 3 * sigma * sigma_z, 0, 1))
    np.testing.assert_allclose(points["lpl"], np.clip(p_bar - 3 * sigma * sigma_z, 0, 1))
    assert spc.laney_sigma_z(numerators, denominators) == pytest.approx(sigma_z)
