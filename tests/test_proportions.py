"""Wilson intervals, rolling pooled rates and Laney p', against figures worked by hand.

Hand working uses z = 1.959964, z² = 3.841459. For x successes of n:
p = x/n, d = 1 + z²/n, centre = (p + z²/2n) / d, half = z·sqrt(p(1-p)/n + z²/4n²) / d.
"""
import math

import numpy as np
import pandas as pd
import pytest

from analysis import spc
from analysis.proportions import rolling_pooled, small_numbers, wilson_interval, with_wilson


@pytest.mark.parametrize("x, n, lower, upper", [
    # p 0.81, z²/n 0.0384146, d 1.0384146; centre 0.8292073/1.0384146 = 0.7985320;
    # half 1.959964·sqrt(0.001539 + 0.0000960)/1.0384146 = 1.959964·0.0404356/1.0384146 = 0.0763205
    (81, 100, 0.722212, 0.874852),
    # p 0.65, z²/n 0.0320122, d 1.0320122; centre 0.6660061/1.0320122 = 0.6453471;
    # half 1.959964·sqrt(0.0018958 + 0.0000667)/1.0320122 = 1.959964·0.0443004/1.0320122 = 0.0841339
    (78, 120, 0.561213, 0.729481),
    # p 0.75, z²/n 0.9603647, d 1.9603647; centre 1.2301824/1.9603647 = 0.6275273;
    # half 1.959964·sqrt(0.046875 + 0.0600228)/1.9603647 = 1.959964·0.3269523/1.9603647 = 0.3268854
    (3, 4, 0.300642, 0.954413),
    # p 0.5: centre 0.5; half 1.959964·sqrt(0.025 + 0.0096036)/1.3841459 = 1.959964·0.1860206/1.3841459 = 0.2634069
    (5, 10, 0.236593, 0.763407),
    # x = 0: the half-width equals the centre, so lower 0 and upper = (z²/n)/d = 0.3841459/1.3841459
    (0, 10, 0.0, 0.277533),
    # x = n: centre and half add to 1, so upper 1 and lower = 1/d = 1/1.3841459
    (10, 10, 0.722467, 1.0),
    (1, 1, 0.206549, 1.0),  # lower = 1/(1 + z²) = 1/4.8414588
])
def test_wilson_interval_worked_by_hand(x, n, lower, upper):
    lo, hi = wilson_interval(x, n)
    assert float(lo) == pytest.approx(lower, abs=1e-6)
    assert float(hi) == pytest.approx(upper, abs=1e-6)


def test_wilson_stays_exactly_within_zero_and_one():
    # 0 of 21 and 16 of 16 land a rounding error (about 1e-17) past 0 and 1 before the bounds are applied.
    assert float(wilson_interval(0, 21)[0]) == 0.0
    assert float(wilson_interval(16, 16)[1]) == 1.0
    assert float(wilson_interval(0, 21)[1]) == pytest.approx(0.154639, abs=1e-6)  # 0.1829266/1.1829266
    assert float(wilson_interval(16, 16)[0]) == pytest.approx(0.806392, abs=1e-6)  # 1/1.2400912


def test_wilson_is_vectorised_and_empty_samples_have_no_interval():
    lower, upper = wilson_interval([5, 0, 1], [10, 0, 1])
    assert lower[0] == pytest.approx(0.236593, abs=1e-6) and upper[0] == pytest.approx(0.763407, abs=1e-6)
    assert math.isnan(lower[1]) and math.isnan(upper[1])
    assert lower[2] == pytest.approx(0.206549, abs=1e-6) and upper[2] == 1.0  # one response is still a sample


def test_with_wilson_adds_percent_columns():
    frame = with_wilson(pd.DataFrame({"numerator": [81, 3], "denominator": [100, 4]}))
    assert frame["rate"].tolist() == [81.0, 75.0]
    assert frame["lower95"].tolist() == pytest.approx([72.2212, 30.0642], abs=1e-4)
    assert frame["upper95"].tolist() == pytest.approx([87.4852, 95.4413], abs=1e-4)


def monthly(numerators, denominators, first="2020-01-01") -> pd.DataFrame:
    months = pd.date_range(first, periods=len(numerators), freq="MS")
    return pd.DataFrame({"month": months, "numerator": numerators, "denominator": denominators})


def test_rolling_pooled_sums_twelve_months_and_labels_them_by_the_last():
    # January 2020 to February 2021, numerators 1..14 of 10 each: three full windows.
    # To Dec 2020: 1+..+12 = 78 of 120 (65%); to Jan 2021: 90 of 120 (75%); to Feb 2021: 102 of 120 (85%).
    rolled = rolling_pooled(monthly(list(range(1, 15)), [10] * 14))
    assert rolled.columns.tolist() == ["month", "numerator", "denominator", "rate", "lower95", "upper95"]
    assert rolled["month"].tolist() == [pd.Timestamp("2020-12-01"), pd.Timestamp("2021-01-01"), pd.Timestamp("2021-02-01")]
    assert rolled["numerator"].tolist() == [78, 90, 102]
    assert rolled["denominator"].tolist() == [120, 120, 120]
    assert rolled["rate"].tolist() == [65.0, 75.0, 85.0]
    assert rolled["lower95"].iloc[0] == pytest.approx(56.1213, abs=1e-4)  # Wilson 78 of 120, above
    assert rolled["upper95"].iloc[0] == pytest.approx(72.9481, abs=1e-4)


def test_rolling_pooled_needs_every_month_of_the_window():
    frame = monthly(list(range(1, 15)), [10] * 14)
    assert rolling_pooled(frame.drop(index=5)).empty  # June 2020 missing: every window holds it
    assert rolling_pooled(frame.drop(index=0))["month"].tolist() == [pd.Timestamp("2021-01-01"), pd.Timestamp("2021-02-01")]
    missing_figure = frame.astype({"numerator": float})
    missing_figure.loc[13, "numerator"] = np.nan  # February 2021 sent without its numerator
    assert rolling_pooled(missing_figure)["month"].tolist() == [pd.Timestamp("2020-12-01"), pd.Timestamp("2021-01-01")]


def test_rolling_pooled_over_three_months():
    # Numerators 1, 2, 3, 4 of 10 each: March 1+2+3 = 6 of 30, April 2+3+4 = 9 of 30.
    rolled = rolling_pooled(monthly([1, 2, 3, 4], [10] * 4), months=3)
    assert rolled["numerator"].tolist() == [6, 9] and rolled["rate"].tolist() == [20.0, 30.0]


def test_small_numbers_threshold():
    assert small_numbers(49, 50)
    assert not small_numbers(50, 50)
    assert not small_numbers(None, 50)
    assert not small_numbers(float("nan"), 50)


def test_laney_p_prime_with_equal_samples_by_hand():
    # 45, 55, 45, 55 of 100: p-bar 0.5, sigma_i = sqrt(0.25/100) = 0.05, z = -1, +1, -1, +1;
    # moving ranges 2, 2, 2: sigma_z = 2/1.128 = 1.773050; limits 0.5 ± 3·0.05·1.773050 = 0.5 ± 0.265957.
    numerators, denominators = [45, 55, 45, 55], [100] * 4
    points = spc.p_chart(numerators, denominators, laney=True).points
    assert points["mean"].tolist() == pytest.approx([0.5] * 4)
    assert points["lpl"].tolist() == pytest.approx([0.234043] * 4, abs=1e-6)
    assert points["upl"].tolist() == pytest.approx([0.765957] * 4, abs=1e-6)
    assert points["near_upl"].tolist() == pytest.approx([0.677305] * 4, abs=1e-6)  # 0.5 + 2·0.05·1.773050
    assert spc.laney_sigma_z(numerators, denominators) == pytest.approx(1.773050, abs=1e-6)
    plain = spc.p_chart(numerators, denominators).points  # the plain p-chart: 0.5 ± 3·0.05
    assert plain["lpl"].tolist() == pytest.approx([0.35] * 4) and plain["upl"].tolist() == pytest.approx([0.65] * 4)


def test_laney_p_prime_with_unequal_samples_by_hand():
    # 10 of 50 and 40 of 100: p-bar 50/150 = 1/3, p-bar(1 - p-bar) = 2/9;
    # sigma = sqrt(2/9/50) = 1/15 and sqrt(2/9/100) = sqrt(2)/30 = 0.0471405;
    # z = (0.2 - 1/3)·15 = -2 and (0.4 - 1/3)/0.0471405 = sqrt(2) = 1.414214;
    # sigma_z = (2 + 1.414214)/1.128 = 3.026785.
    # Upper limits 1/3 + 3·(1/15)·3.026785 = 0.938690 and 1/3 + 3·0.0471405·3.026785 = 0.761385;
    # lower limits 1/3 - 0.605357 and 1/3 - 0.428052 are below 0, so 0.
    points = spc.p_chart([10, 40], [50, 100], laney=True).points
    assert points["upl"].tolist() == pytest.approx([0.938690, 0.761385], abs=1e-6)
    assert points["lpl"].tolist() == [0.0, 0.0]
    assert points["near_lpl"].tolist() == pytest.approx([0.0, 0.047965], abs=1e-6)  # 1/3 - 2·0.0471405·3.026785
    assert spc.laney_sigma_z([10, 40], [50, 100]) == pytest.approx(3.026785, abs=1e-6)
