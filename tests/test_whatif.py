"""What-if: every result is the SPC engine run on the series as changed by hand, and a scenario's detection
month is the first month whose chart, drawn with the data up to then, shows the change.

The constructed series alternate 100 and 110 (mean 105, every moving range 10), so the limits are
hand-worked: 105 ± 26.6 (78.4 to 131.6), near limits 105 ± 17.73 (87.27 to 122.73), and the
common-cause noise a simulation adds has σ = 10 / 1.128 = 8.865.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis import spc
from analysis.whatif import NOT_DETECTED, Exclusion, Scenario, SeriesInputs, WhatIf, WhatIfProblem, apply, first_detection, scenario_path

MONTHS = pd.date_range("2020-01-01", periods=24, freq="MS")
ALTERNATING = np.array([100.0, 110.0] * 12)  # January 2020 100, February 110, ..., December 2021 110
MEASURE = {"id": "m", "name": "Vehicle crime", "unit": "count", "improvement_direction": "decrease",
           "chart_kind": "xmr", "aggregation": "sum", "target": None}
AREA = {"id": "a", "name": "the force area"}
NO_REBASES = pd.DataFrame(columns=["month", "reason", "created_by", "created_at"])


def inputs(values=ALTERNATING, months=MONTHS, measure=MEASURE, rebases=NO_REBASES) -> SeriesInputs:
    series = pd.DataFrame({"month": months, "value": values, "numerator": np.nan, "denominator": np.nan})
    return SeriesInputs(series, measure, AREA, rebases)


def engine_points(values, **options) -> pd.DataFrame:
    return spc.xmr(np.asarray(values, dtype=float), spc.SpcOptions(improvement_direction="decrease", **options)).points


# ---------------------------------------------------------------------------
# Changes to the observed chart equal the engine on the hand-changed series
# ---------------------------------------------------------------------------

def test_excluded_points_leave_the_series_and_the_limits_are_recomputed_without_them():
    values = ALTERNATING.copy()
    values[[5, 6]] = [190.0, 20.0]  # June and July 2020: an outage and its catch-up
    result = apply(inputs(values), WhatIf(exclusions=(Exclusion("2020-06", "Outage"),
                                                      Exclusion("2020-07", "Catch-up after the outage"))))
    by_hand = np.delete(values, [5, 6])
    assert_frame_equal(result.charted.result.points, engine_points(by_hand))
    assert result.charted.result.points["mean"].iloc[0] == pytest.approx(105.0)  # eleven 100s and eleven 110s
    assert list(result.excluded["reason"]) == ["Outage", "Catch-up after the outage"]
    assert list(result.excluded["value"]) == [190.0, 20.0]
    assert [m.strftime("%Y-%m") for m in result.charted.months][5] == "2020-08"


def test_an_exclusion_needs_a_reason_and_a_month_of_the_series():
    with pytest.raises(WhatIfProblem, match="needs a reason"):
        apply(inputs(), WhatIf(exclusions=(Exclusion("2020-06", "  "),)))
    with pytest.raises(WhatIfProblem, match="March 2019 is not a month of this series"):
        apply(inputs(), WhatIf(exclusions=(Exclusion("2019-03", "why"),)))


def test_a_trial_rebase_is_the_engine_with_that_rebase():
    values = np.concatenate([ALTERNATING[:12], ALTERNATING[12:] - 30])
    result = apply(inputs(values), WhatIf(trial_rebases=("2021-01",)))
    assert_frame_equal(result.charted.result.points, engine_points(values, rebase=(12,)))
    assert list(result.charted.rebases["reason"]) == ["what-if rebase (not stored)"]
    # hand-worked: the second year alternates 70 and 80, mean 75
    assert result.charted.result.points["mean"].iloc[-1] == pytest.approx(75.0)


def test_changing_the_target_moves_the_assurance_icon():
    # Lower is better; the limits are 78.4 to 131.6.
    icons = {target: apply(inputs(), WhatIf(change_target=True, target=target)).charted.result.assurance_icon
             for target in (150, 100, 60)}
    assert icons == {150: "consistent_pass", 100: "inconsistent", 60: "consistent_fail"}
    assert apply(inputs(), WhatIf(change_target=True, target=None)).charted.result.assurance_icon is None


@pytest.mark.parametrize("changes, options", [
    ({"run_length": 6}, {"run_length": 6}),
    ({"screen_outliers": False}, {"screen_outliers": False}),
    ({"two_in_three_counts_beyond_limits": True}, {"two_in_three_counts_beyond_limits": True}),
])
def test_switching_an_spc_option_is_the_engine_with_that_option(changes, options):
    values = ALTERNATING.copy()
    values[[10, 11, 12, 13, 14, 15]] = [95, 96, 97, 98, 99, 100.5]  # six below the mean, then a spike
    values[20] = 200
    result = apply(inputs(values), WhatIf(**changes))
    assert_frame_equal(result.charted.result.points, engine_points(values, **options))


def test_run_length_six_finds_the_shift_seven_misses():
    values = ALTERNATING.copy()
    values[8] = 110
    values[9:15] = 101  # six points below the mean of 104.42, between two of 110
    default = apply(inputs(values), WhatIf()).charted.result.points
    six = apply(inputs(values), WhatIf(run_length=6)).charted.result.points
    assert set(default["rule_label"].iloc[9:15]) == {"Common Cause"}
    assert set(six["rule_label"].iloc[9:15]) == {"6 Points Below CL"}


def test_limits_from_the_first_twelve_months_are_extended_forward():
    values = np.concatenate([ALTERNATING[:12], ALTERNATING[12:] - 20])
    result = apply(inputs(values), WhatIf(baseline=("2020-01", "2020-12")))
    assert_frame_equal(result.charted.result.points, engine_points(values, fix_after_n_points=12))
    points = result.charted.result.points
    assert np.allclose(points["mean"], 105) and np.allclose(points["upl"], 131.6) and np.allclose(points["lpl"], 78.4)
    assert result.baseline_points == 12


def test_a_baseline_that_starts_later_starts_a_segment_there():
    values = np.concatenate([ALTERNATING[:4] + 50, ALTERNATING[4:]])
    result = apply(inputs(values), WhatIf(baseline=("2020-05", "2021-04")))
    assert_frame_equal(result.charted.result.points, engine_points(values, rebase=(4,), fix_after_n_points=12))
    assert list(result.charted.rebases["reason"]) == ["what-if baseline starts (not stored)"]


def test_a_baseline_needs_twelve_points_inside_one_segment():
    with pytest.raises(WhatIfProblem, match="at least 12 points.*has 6"):
        apply(inputs(), WhatIf(baseline=("2020-01", "2020-06")))
    with pytest.raises(WhatIfProblem, match="runs across the rebase in March 2020"):
        apply(inputs(), WhatIf(trial_rebases=("2020-03",), baseline=("2020-01", "2020-12")))


def test_nothing_changed_is_the_published_chart():
    result = apply(inputs(), WhatIf())
    assert_frame_equal(result.charted.result.points, engine_points(ALTERNATING))
    assert result.projection is None and result.excluded.empty
    assert WhatIf().summary() == "no changes (the published chart)"


# ---------------------------------------------------------------------------
# Suggested rebase
# ---------------------------------------------------------------------------

def test_a_shift_that_persists_for_eight_points_suggests_a_rebase_at_its_start():
    values = np.concatenate([ALTERNATING[:16], [130.0] * 8])  # September 2021 on: eight points at 130
    suggestion = apply(inputs(values), WhatIf()).suggestion
    assert suggestion is not None
    assert (suggestion.month, suggestion.points, suggestion.side) == (pd.Timestamp("2021-05-01"), 8, 1)
    assert suggestion.sentence().startswith("8 points in a row above the mean since May 2021")


def test_seven_points_or_a_run_that_has_ended_suggest_nothing():
    seven = np.concatenate([ALTERNATING[:17], [130.0] * 7])
    ended = np.concatenate([ALTERNATING[:15], [130.0] * 8, [90.0]])
    assert apply(inputs(seven), WhatIf()).suggestion is None
    assert apply(inputs(ended), WhatIf()).suggestion is None


# ---------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------

def test_the_expected_path_is_the_engine_on_the_hand_modified_series():
    scenario = Scenario("2022-01", change_percent=-20, runs=50)
    projection = apply(inputs(), WhatIf(scenario=scenario)).projection
    by_hand = np.concatenate([ALTERNATING, [84.0] * 24])  # the level 105, 20% lower
    assert projection.level == pytest.approx(105.0)
    assert_frame_equal(projection.charted.result.points, engine_points(by_hand))
    assert projection.first_projected == pd.Timestamp("2022-01-01")
    assert projection.charted.months[-1] == pd.Timestamp("2023-12-01")


def test_a_scenario_inside_the_data_changes_the_observed_values():
    scenario = Scenario("2021-07", change_percent=-10, horizon=6, runs=20)
    projection = apply(inputs(), WhatIf(scenario=scenario)).projection
    by_hand = np.concatenate([ALTERNATING[:18], ALTERNATING[18:] * 0.9])  # 90, 99, 90, 99, 90, 99
    assert_frame_equal(projection.charted.result.points, engine_points(by_hand))


def test_a_ramp_reaches_the_change_in_steps():
    scenario = Scenario("2022-01", change_percent=-20, ramp_months=4)
    path = scenario_path(np.array([100.0, 100.0]), 7, 2, 100.0, scenario)
    assert path.tolist() == pytest.approx([100, 100, 95, 90, 85, 80, 80])
    to_value = Scenario("2022-01", to_value=60, ramp_months=2)
    assert scenario_path(np.array([100.0]), 4, 1, 100.0, to_value).tolist() == pytest.approx([100, 80, 60, 60])


@pytest.mark.parametrize("change, run_length, months_after, words", [
    ({"change_percent": -60}, 7, 0, "fell 60% from January 2022, the chart would first show it in January 2022 "
                                    "(a point below the lower limit)"),  # 42: far below the lower limit at once
    ({"to_value": 95}, 7, 6, "fell to 95 from January 2022, the chart would first show it in July 2022 "
                             "(a run of 7 below the mean)"),  # 95 is inside the near limits: only a shift shows it
    ({"to_value": 95}, 6, 5, "fell to 95 from January 2022, the chart would first show it in June 2022 "
                             "(a run of 6 below the mean)"),
])
def test_the_detection_month_of_a_step_of_known_size(change, run_length, months_after, words):
    scenario = Scenario("2022-01", runs=20, **change)
    projection = apply(inputs(), WhatIf(run_length=run_length, scenario=scenario)).projection
    assert projection.detected_month == (pd.Period("2022-01", "M") + months_after).start_time
    assert projection.answer() == f"If vehicle crime in the force area {words}."


def test_two_in_three_near_the_lower_limit_needs_three_points_below_the_mean():
    # Limits fixed from the 24 months: 85 lies between the near limit 87.27 and the limit 78.4. December 2021
    # (110) is above the mean, so the first window of three all below it ends in March 2022.
    scenario = Scenario("2022-01", to_value=85, runs=20)
    projection = apply(inputs(), WhatIf(baseline=("2020-01", "2021-12"), scenario=scenario)).projection
    assert projection.detected_month == pd.Timestamp("2022-03-01")
    assert "(two of three points near the lower limit)" in projection.answer()
    assert "fell to 85 from January 2022" in projection.answer()


def test_the_detection_month_is_the_first_whose_chart_shows_the_change():
    # Checked with the engine alone: the chart to August 2022 flags a point from January 2022 on (low),
    # the chart to July 2022 does not.
    scenario = Scenario("2022-01", to_value=95, horizon=12, runs=20)
    projection = apply(inputs(), WhatIf(scenario=scenario)).projection
    modified = np.concatenate([ALTERNATING, [95.0] * 12])
    detected = projection.charted.months.index(projection.detected_month)
    assert detected == 30  # July 2022
    assert (engine_points(modified[: detected + 1])["flag"].iloc[24:] == -1).any()
    assert not (engine_points(modified[:detected])["flag"].iloc[24:] == -1).any()


def test_a_change_too_small_to_show_is_never_detected_on_the_expected_path():
    scenario = Scenario("2022-01", change_percent=-1, horizon=6, runs=20)
    projection = apply(inputs(), WhatIf(run_length=7, scenario=scenario)).projection
    assert projection.detected_month is None
    assert projection.answer().endswith("the chart would not show it by June 2022 on the expected path.")


def test_the_noise_has_the_spread_of_the_series_own_moving_ranges():
    scenario = Scenario("2022-01", change_percent=-20, horizon=60, runs=2000, seed=7)
    projection = apply(inputs(), WhatIf(scenario=scenario)).projection
    assert projection.sigma == pytest.approx(10 / 1.128)
    low_high = projection.band[["low", "high"]].mean()
    # the 10th and 90th percentiles of a normal spread lie 1.2816 σ either side of the level 84
    assert low_high["low"] == pytest.approx(84 - 1.2816 * 8.865, abs=0.3)
    assert low_high["high"] == pytest.approx(84 + 1.2816 * 8.865, abs=0.3)


def test_for_a_large_step_the_median_run_is_within_a_month_of_the_expected_path():
    scenario = Scenario("2022-01", change_percent=-30, runs=1000, seed=11)
    projection = apply(inputs(), WhatIf(scenario=scenario)).projection
    expected = pd.Period(projection.detected_month, "M")
    median = pd.Period(projection.quantile_month(0.5), "M")
    assert abs((median - expected).n) <= 1
    assert projection.share_detected == 1.0
    text = projection.distribution()
    assert text.startswith("With common-cause noise added to the projected months (1,000 runs, seed 11; σ = 8.9,")
    assert f"the median is {median.strftime('%B %Y')}" in text


def test_a_fixed_seed_repeats_the_runs_and_another_seed_does_not():
    def runs(seed):
        scenario = Scenario("2022-01", change_percent=-10, runs=300, seed=seed)
        return apply(inputs(), WhatIf(scenario=scenario)).projection.simulated_index

    assert np.array_equal(runs(5), runs(5))
    assert not np.array_equal(runs(5), runs(6))


def test_first_detection_of_many_paths_at_once():
    # Path 1 drops far below at its 3rd point; path 2 never changes; path 3 jumps up at its 2nd.
    base = list(ALTERNATING)
    paths = np.array([base + [105, 110, 20, 100], base + [100, 110, 100, 110], base + [105, 200, 200, 200]])
    found, rule = first_detection(paths[:2], 24, -1, spc.SpcOptions())
    assert found.tolist() == [26, NOT_DETECTED] and rule[0] == spc.OUTSIDE_LIMITS
    found, rule = first_detection(paths[2:], 24, 1, spc.SpcOptions())
    assert found.tolist() == [25] and rule[0] == spc.OUTSIDE_LIMITS


@pytest.mark.parametrize("scenario, message", [
    (Scenario("2020-06", change_percent=-10), "at least 12 months of data before it"),
    (Scenario("2023-06", change_percent=-10), "at most 12 months after the latest data"),
    (Scenario("2022-01", change_percent=0), "does not change the level"),
])
def test_a_scenario_that_cannot_be_judged_says_why(scenario, message):
    with pytest.raises(WhatIfProblem, match=message):
        apply(inputs(), WhatIf(scenario=scenario))


def test_a_scenario_needs_one_kind_of_change():
    with pytest.raises(WhatIfProblem, match="either by a percentage or to a value"):
        Scenario("2022-01")
    with pytest.raises(WhatIfProblem, match="either by a percentage or to a value"):
        Scenario("2022-01", change_percent=-5, to_value=3)


def test_a_survey_rate_p_chart_has_no_scenario_or_baseline():
    rate = {**MEASURE, "unit": "percentage", "chart_kind": "p", "aggregation": "pooled", "improvement_direction": "increase"}
    series = pd.DataFrame({"month": MONTHS, "value": 80.0, "numerator": [80.0, 82.0] * 12, "denominator": 100.0})
    with pytest.raises(WhatIfProblem, match="Scenarios are projected on XmR charts"):
        apply(SeriesInputs(series, rate, AREA, NO_REBASES), WhatIf(scenario=Scenario("2022-01", change_percent=5)))
    with pytest.raises(WhatIfProblem, match="baseline are for XmR charts"):
        apply(SeriesInputs(series, rate, AREA, NO_REBASES), WhatIf(baseline=("2020-01", "2020-12")))


def test_the_summary_names_every_change():
    changes = WhatIf(exclusions=(Exclusion("2020-04", "Lockdown"),), trial_rebases=("2021-01",),
                     change_target=True, target=400, run_length=6, screen_outliers=False,
                     two_in_three_counts_beyond_limits=True, baseline=("2020-01", "2020-12"),
                     scenario=Scenario("2022-05", change_percent=-15, ramp_months=3))
    assert changes.summary() == (
        "April 2020 excluded (Lockdown); trial rebase from January 2021; target 400; runs of 6; moving ranges not "
        "screened; two-in-three counts points beyond the limit; limits from January 2020 to December 2020; "
        "scenario: level -15% over 3 months from May 2022 (1,000 runs, seed 2022, 24 months)")  # as the answer writes it
