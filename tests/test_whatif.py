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
from conftest import FORCE
from pandas.testing import assert_frame_equal

import dashboard_data
from analysis import spc
from analysis.whatif import (
    NOT_DETECTED,
    Exclusion,
    Scenario,
    SeriesInputs,
    WhatIf,
    WhatIfProblem,
    apply,
    compare_detection,
    first_detection,
    scenario_path,
)
from bench.whatif_null import null_study

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
                                    "(below the lower limit)"),  # 42: far below the lower limit at once
    ({"to_value": 95}, 7, 6, "fell to 95 from January 2022, the chart would first show it in July 2022 "
                             "(seven months in a row below the average)"),  # 95 is inside the near limits: only a shift shows it
    ({"to_value": 95}, 6, 5, "fell to 95 from January 2022, the chart would first show it in June 2022 "
                             "(six months in a row below the average)"),
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
    assert "(two of three months near the lower limit)" in projection.answer()
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
    assert text.startswith("With common-cause noise added to the projected months (1,000 runs, seed 11; "
                           "a spread of 8.9, the one the chart's limits are set from)")
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


# ---------------------------------------------------------------------------
# Against the unchanged series: the current level, attribution, certainty, no change
# ---------------------------------------------------------------------------

def first_flagged(values: np.ndarray, start: int, sign: int) -> int:
    """The first month t >= start whose chart of values[0..t] flags a point from start on in direction sign,
    with the engine alone (NOT_DETECTED if none)."""
    for t in range(start, len(values)):
        if (engine_points(values[: t + 1])["flag"].iloc[start:] == sign).any():
            return t
    return NOT_DETECTED


def test_projected_months_continue_the_current_level_of_the_latest_segment():
    # A year at 100/110 then a year at 150/160: the whole chart's mean is 130, the last 12 months' 130 too;
    # rebased from July 2021, the latest segment is six months at 150/160 and the process now runs at 155.
    values = np.concatenate([ALTERNATING[:18], [150.0, 160.0] * 3])
    scenario = Scenario("2022-01", change_percent=-10, horizon=6, runs=20)
    whole = apply(inputs(values), WhatIf(scenario=scenario)).projection
    assert whole.level == pytest.approx(np.mean(values[-12:]))
    rebased = apply(inputs(values), WhatIf(trial_rebases=("2021-07",), scenario=scenario)).projection
    assert rebased.level == pytest.approx(155.0)
    assert rebased.unchanged[24:].tolist() == [155.0] * 6
    assert rebased.expected[24:] == pytest.approx([139.5] * 6)
    assert rebased.current.sentence("count") == ("Projected months continue the process's current level: the mean "
                                                 "of the last 6 months of the chart's latest segment (July 2021 to "
                                                 "December 2021), 155.")


def test_the_level_is_not_an_old_baseline_so_no_change_is_not_read_as_a_fall():
    # The process rose to 150/160 a year ago. Continuing the old mean (130) would put every projected month
    # below the recent months; continuing the current level (155, the last 12 months) shows no fall at all.
    values = np.concatenate([ALTERNATING[:12], [150.0, 160.0] * 6])
    projection = apply(inputs(values), WhatIf(scenario=Scenario("2022-01", change_percent=-1, runs=20))).projection
    assert projection.level == pytest.approx(155.0)
    assert projection.unchanged_month is None or projection.sign == 1
    assert first_flagged(projection.unchanged, 24, -1) == NOT_DETECTED  # the unchanged series shows no fall


def constructed_low_months() -> tuple[np.ndarray, pd.DatetimeIndex]:
    """The 24 alternating months, then three at 80 (January to March 2022): two of three near the lower limit."""
    return np.concatenate([ALTERNATING, [80.0] * 3]), pd.date_range("2020-01-01", periods=27, freq="MS")


@pytest.mark.parametrize("change", [-1, -10])
def test_a_detection_the_unchanged_series_already_has_is_not_credited_to_the_change(change):
    values, months = constructed_low_months()
    projection = apply(inputs(values, months), WhatIf(scenario=Scenario("2022-01", change_percent=change,
                                                                        runs=50))).projection
    start = 24
    unchanged = np.concatenate([values, [np.mean(values[-12:])] * 21])  # observed as they are, then the level
    changed = np.concatenate([values[:24], values[24:] * (1 + change / 100), [np.mean(values[-12:]) * (1 + change / 100)] * 21])
    base = first_flagged(unchanged, start, -1)
    assert base == 26 and projection.unchanged_index == base  # March 2022, in months that have data
    assert "the unchanged series already shows special cause in March 2022 (two of three months near the lower " \
           "limit)" in projection.answer()
    # Attributable: the first month the chart with the change flags a fall and the unchanged chart does not.
    credited = next((t for t in range(start, len(changed)) if (engine_points(changed[: t + 1])["flag"].iloc[start:] == -1).any()
                     and not (engine_points(unchanged[: t + 1])["flag"].iloc[start:] == -1).any()), NOT_DETECTED)
    assert projection.detected_index == credited
    if credited == NOT_DETECTED:
        assert projection.answer().endswith("; the change does not change that.")
    else:
        assert credited < base
        assert projection.answer().endswith(f"; the change brings it forward to {months[credited]:%B %Y} "
                                            "(below the lower limit).")


def test_a_change_that_shows_in_months_with_data_is_certain():
    scenario = Scenario("2021-07", change_percent=-60, horizon=24, runs=200)
    projection = apply(inputs(), WhatIf(scenario=scenario)).projection
    assert projection.detected_month == pd.Timestamp("2021-07-01") and projection.certain
    assert set(projection.simulated_index) == {projection.detected_index}
    assert projection.distribution() == ("Certain: the observed months with the change already show it in July 2021; "
                                         "noise is added only to projected months, so every run gives the same "
                                         "answer.")


def test_each_run_is_judged_against_its_own_unchanged_twin_with_the_same_noise():
    scenario = Scenario("2022-01", change_percent=-8, runs=40, seed=3)
    projection = apply(inputs(), WhatIf(scenario=scenario)).projection
    noise = np.random.default_rng(3).normal(0.0, 10 / 1.128, size=(40, 24))
    twins = np.concatenate([np.repeat(ALTERNATING[None, :], 40, axis=0), 105.0 + noise], axis=1)
    runs = np.concatenate([np.repeat(ALTERNATING[None, :], 40, axis=0), 96.6 + noise], axis=1)
    assert np.allclose(projection.unchanged_runs(), twins) and np.allclose(projection.changed_runs(), runs)
    for run in range(0, 40, 8):
        changed_flags = [(engine_points(runs[run, : t + 1])["flag"].iloc[24:] == -1).any() for t in range(24, 48)]
        twin_flags = [(engine_points(twins[run, : t + 1])["flag"].iloc[24:] == -1).any() for t in range(24, 48)]
        credited = next((24 + k for k, (c, u) in enumerate(zip(changed_flags, twin_flags)) if c and not u), NOT_DETECTED)
        assert projection.simulated_index[run] == credited
        assert projection.simulated_unchanged_index[run] == (24 + twin_flags.index(True) if any(twin_flags)
                                                             else NOT_DETECTED)


@pytest.mark.parametrize("scenario", [Scenario("2022-01", change_percent=0, runs=50),
                                      Scenario("2021-03", change_percent=0, runs=50)])
def test_a_zero_change_reads_no_change_to_detect(scenario):
    projection = apply(inputs(), WhatIf(scenario=scenario)).projection
    assert projection.answer().endswith(", the series would be as it is: no change to detect.")
    assert projection.detected_month is None and projection.share_detected == 0
    assert np.array_equal(projection.expected, projection.unchanged)
    assert projection.distribution() == ""


def test_compare_detection_never_credits_a_series_identical_to_its_twin():
    paths = np.random.default_rng(1).normal(100, 10, (30, 40))
    for sign in (-1, 1):
        found = compare_detection(paths, paths, 12, sign, spc.SpcOptions())
        assert (found.attributable == NOT_DETECTED).all()
        assert found.unchanged.tolist() == first_detection(paths, 12, sign, spc.SpcOptions())[0].tolist()


def police_uk_force_series(con) -> list[str]:
    return [m for (m,) in con.execute("SELECT id FROM measures WHERE NOT synthetic ORDER BY id").fetchall()]


def test_a_zero_change_is_never_credited_for_any_police_uk_measure_at_force_level(demo_con):
    measures = police_uk_force_series(demo_con)
    assert len(measures) >= 10
    for measure_id in measures:
        months = dashboard_data.what_if_inputs(demo_con, measure_id, FORCE).series["month"]
        last = pd.Period(months.max(), "M")
        for start in (last - 16, last - 10, last - 4, last, last + 1, last + 12):  # six, in and after the data
            projection = dashboard_data.what_if(demo_con, measure_id, FORCE, WhatIf(
                scenario=Scenario(str(start), change_percent=0, runs=10))).projection
            assert "no change to detect" in projection.answer(), (measure_id, start)
            assert projection.detected_month is None and projection.share_detected == 0
            for sign in (-1, 1):  # in either direction, the runs with the change are their unchanged twins
                runs = compare_detection(projection.changed_runs(), projection.unchanged_runs(),
                                         projection.start_index, sign, projection.charted.result.options)
                assert (runs.attributable == NOT_DETECTED).all(), (measure_id, start, sign)


def test_asb_at_force_a_1_and_a_10_percent_fall_from_january_2022(demo_con):
    answers = {}
    for change in (-1, -10):
        projection = dashboard_data.what_if(demo_con, "asb_incidents", FORCE, WhatIf(
            scenario=Scenario("2022-01", change_percent=change, runs=200))).projection
        answers[change] = projection.answer()
        # The unchanged series' detection recomputed with the engine alone: the published months as they are,
        # then the mean of the last 12 (the demo stores no ASB rebase).
        history = np.array([v for (v,) in demo_con.execute(
            "SELECT value FROM observations WHERE status = 'published' AND measure_id = 'asb_incidents' "
            "AND area_id = ? ORDER BY month", [FORCE]).fetchall()])
        start = 25  # January 2022 (the series starts in December 2019)
        unchanged = np.concatenate([history, [history[-12:].mean()] * (start + 24 - len(history))])
        base = first_flagged(unchanged, start, -1)
        assert projection.unchanged_index == base
        if base != NOT_DETECTED:
            month = projection.months[base]
            assert f"the unchanged series already shows special cause in {month:%B %Y}" in projection.answer()
    already = "the unchanged series already shows special cause"
    assert answers[-1] != answers[-10] or (already in answers[-1] and already in answers[-10])


def test_on_stable_series_what_if_credits_no_more_than_the_rules_false_alarm_rate():
    # The benchmark (scripts/benchmark.py whatif-null) runs 1,000 series; 60 keep this test short.
    study = null_study(60, seed=7)
    assert study.false_alarms > 0  # the rules do flag stable series by chance...
    assert study.claim_rate <= study.false_alarm_rate  # ...and What-if does not credit a change more often
