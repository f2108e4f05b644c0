"""The SPC engine against NHSRplotthedots v0.2.2, one test per reference case, every field.

The cases and their expected values are tests/fixtures/spc/reference_vectors.json (see
tests/fixtures/SOURCE.md). A field the file gives that no test compares fails the test,
so nothing in the file is silently skipped.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from conftest import REFERENCE_VECTORS, require_fixture

from analysis import spc

DOCUMENT = json.loads(require_fixture(REFERENCE_VECTORS).read_text(encoding="utf-8"))
LIMIT_TOLERANCE = 1e-6  # the file gives R's limits to 10 decimal places

# R's point_type for each (special_cause, direction of the signal) of the engine.
PTD_POINT_TYPE = {
    ("common_cause", 0): "common_cause",
    ("improvement", 1): "special_cause_improvement",
    ("improvement", -1): "special_cause_improvement",
    ("concern", 1): "special_cause_concern",
    ("concern", -1): "special_cause_concern",
    ("neither", 1): "special_cause_neutral_high",
    ("neither", -1): "special_cause_neutral_low",
}

XMR_FIELDS = {"mean", "lpl", "upl", "segment", "special_cause", "special_cause_flag", "ptd_point_type", "ptd_rule",
              "relative_to_mean", "close_to_limits", "outside_limits", "variation_icon", "assurance_icon", "repo_check"}
REPO_CHECK_FIELDS = {"mean", "lpl", "upl", "tol", "segments", "common_cause_count", "last_point_types"}
PROPORTION_FIELDS = {"centre", "sigma_z", "ul99_percent", "ll99_percent", "tolerance_percent"}


def same_number(expected, actual: float, tolerance: float) -> bool:
    """null in the file is NaN (no limits) in R."""
    if expected is None:
        return math.isnan(actual)
    return not math.isnan(actual) and abs(expected - actual) <= tolerance


def number_differences(name: str, expected: list, actual, tolerance: float) -> list[str]:
    actual = [float(a) for a in actual]
    if len(expected) != len(actual):
        return [f"{name}: {len(actual)} points, expected {len(expected)}"]
    return [f"{name}[{i}]: expected {want}, got {got}" for i, (want, got) in enumerate(zip(expected, actual))
            if not same_number(want, got, tolerance)]


def list_difference(name: str, expected: list, actual: list) -> list[str]:
    return [] if expected == actual else [f"{name}: expected {expected}, got {actual}"]


def ids(cases: list[dict]) -> list[str]:
    return [case["name"] for case in cases]


@pytest.mark.parametrize("vector", DOCUMENT["vectors"], ids=ids(DOCUMENT["vectors"]))
def test_xmr_vector(vector):
    expected = vector["expected"]
    assert set(expected) <= XMR_FIELDS, f"fields no test compares: {set(expected) - XMR_FIELDS}"
    options = dict(vector["options"], rebase=tuple(vector["options"]["rebase"]))
    result = spc.xmr(vector["values"], spc.SpcOptions(**options))
    points = result.points
    special_cause, flag = points["special_cause"].tolist(), points["flag"].astype(int).tolist()

    differences = []
    for column in ("mean", "lpl", "upl"):
        differences += number_differences(column, expected[column], points[column], LIMIT_TOLERANCE)
    differences += list_difference("segment", expected["segment"], points["segment"].astype(int).tolist())
    differences += list_difference("special_cause", expected["special_cause"], special_cause)
    differences += list_difference("special_cause_flag", expected["special_cause_flag"], [f != 0 for f in flag])
    differences += list_difference("ptd_point_type", expected["ptd_point_type"],
                                   [PTD_POINT_TYPE[pair] for pair in zip(special_cause, flag)])
    differences += list_difference("ptd_rule", expected["ptd_rule"], points["rule_label"].tolist())
    differences += list_difference("relative_to_mean", expected["relative_to_mean"],
                                   points["relative_to_mean"].astype(int).tolist())
    differences += list_difference("close_to_limits", expected["close_to_limits"],
                                   spc.nullable_flags(points["close_to_limits"]))
    differences += list_difference("outside_limits", expected["outside_limits"],
                                   spc.nullable_flags(points["outside_limits"]))
    differences += list_difference("variation_icon", [expected["variation_icon"]], [result.variation_icon])
    differences += list_difference("assurance_icon", [expected["assurance_icon"]], [result.assurance_icon])
    differences += repo_check_differences(expected.get("repo_check"), result)
    assert differences == []


def repo_check_differences(check: dict | None, result: spc.SpcResult) -> list[str]:
    """The figures the R package's own tests and snapshots state, at the precision they state them."""
    if check is None:
        return []
    assert set(check) <= REPO_CHECK_FIELDS, f"repo_check fields no test compares: {set(check) - REPO_CHECK_FIELDS}"
    points = result.points
    differences = []
    tolerance = check.get("tol", 0)
    for column in ("mean", "lpl", "upl"):
        if column in check:
            differences += number_differences(f"repo_check {column}", [check[column]] * len(points), points[column],
                                              tolerance)
    for number, segment in enumerate(check.get("segments", [])):
        rows = points[points["segment"] == number]
        for column, want in segment.items():
            differences += number_differences(f"repo_check segment {number} {column}", [want] * len(rows),
                                              rows[column], check["tol"])
    if "common_cause_count" in check:
        differences += list_difference("repo_check common_cause_count", [check["common_cause_count"]],
                                       [int((points["special_cause"] == "common_cause").sum())])
    if "last_point_types" in check:
        tail = points.tail(len(check["last_point_types"]))
        differences += list_difference("repo_check last_point_types", check["last_point_types"],
                                       [PTD_POINT_TYPE[(c, int(f))] for c, f in zip(tail["special_cause"], tail["flag"])])
    return differences


@pytest.mark.parametrize("vector", DOCUMENT["other_chart_vectors"], ids=ids(DOCUMENT["other_chart_vectors"]))
def test_proportion_vector(vector):
    expected = vector["expected"]
    assert set(expected) <= PROPORTION_FIELDS, f"fields no test compares: {set(expected) - PROPORTION_FIELDS}"
    laney = {"p": False, "p' (Laney)": True}[vector["chart"]]
    result = spc.p_chart(vector["numerators"], vector["denominators"], laney=laney)
    points = result.points
    assert result.chart == ("p'" if laney else "p")
    tolerance = expected["tolerance_percent"] + 1e-9  # limits are given in percent, rounded
    differences = number_differences("centre", [expected["centre"]] * len(points), points["mean"], 1e-9)
    differences += number_differences("ul99_percent", expected["ul99_percent"], 100 * points["upl"], tolerance)
    differences += number_differences("ll99_percent", expected["ll99_percent"], 100 * points["lpl"], tolerance)
    if "sigma_z" in expected:
        differences += number_differences(
            "sigma_z", [expected["sigma_z"]], [spc.laney_sigma_z(vector["numerators"], vector["denominators"])], 1e-9)
    assert differences == []


# --- rule unit cases: each function of the R package on its own ---------

def starts_of(n: int) -> np.ndarray:
    starts = np.zeros(n, dtype=bool)
    starts[0] = True
    return starts


def r_trend(case: dict) -> list[int]:
    return spc.trend_detected(np.array(case["input"], float), starts_of(len(case["input"])), run_length=7).tolist()


def r_one_side_of_mean(case: dict) -> list[int]:
    # R flags 1 on either side; the engine signs it (+1 above, -1 below).
    detected = spc.shift_detected(np.array(case["input"]), starts_of(len(case["input"])), run_length=7)
    return (detected != 0).astype(int).tolist()


def r_part_of_seven(case: dict) -> list[int]:
    return spc.back_fill(np.array(case["input"]) != 0, 7).astype(int).tolist()


def r_two_in_three(case: dict) -> list[int]:
    side = np.array(case["rtm"])
    counting = np.array(case["close"]) * side  # a point close to a limit counts on its own side of the mean
    return spc.two_in_three_windows(counting, side, np.zeros(len(side), int)).astype(int).tolist()


RULE_FUNCTIONS = {
    "seven_point_trend (ptd_seven_point_trend)": r_trend,
    "seven_point_one_side_mean (ptd_seven_point_one_side_mean)": r_one_side_of_mean,
    "part_of_seven (ptd_part_of_seven_trend)": r_part_of_seven,
    "two_in_three (ptd_two_in_three(close_to_limits, relative_to_mean))": r_two_in_three,
}
PRECEDENCE = "special_cause_type precedence (ptd_special_cause_type)"
RULE_CASES = [(group["function"], index, case) for group in DOCUMENT["rule_unit_cases"]
              for index, case in enumerate(group["cases"])]


def test_every_rule_function_in_the_file_is_tested():
    assert {group["function"] for group in DOCUMENT["rule_unit_cases"]} == set(RULE_FUNCTIONS) | {PRECEDENCE}


@pytest.mark.parametrize("function, case", [(f, c) for f, _, c in RULE_CASES if f != PRECEDENCE],
                         ids=[f"{f.split(' ')[0]}-{i}" for f, i, _ in RULE_CASES if f != PRECEDENCE])
def test_rule_unit_case(function, case):
    assert RULE_FUNCTIONS[function](case) == case["expected"]


def test_two_in_three_flags_only_the_points_close_to_a_limit():
    # The file's note on two_in_three (R tests L239-243): close [1,0,0,1,1], rtm all 1 -> [0,0,0,1,1].
    assert spc.two_in_three_side(np.array([1, 0, 0, 1, 1]), np.ones(5, int), np.zeros(5, int)).tolist() == [0, 0, 0, 1, 1]


def constant_limits(n: int) -> spc.Limits:
    """Mean 0, 2-sigma lines at -2 and 2, process limits at -3 and 3."""
    return spc.Limits(mean=np.zeros(n), lpl=np.full(n, -3.0), upl=np.full(n, 3.0),
                      near_lpl=np.full(n, -2.0), near_upl=np.full(n, 2.0))


@pytest.mark.parametrize("values, expected", [
    # Seven rising points above the mean; 2.5 and 2.6 close to the upper limit; 3.5 beyond it.
    # Point 6: outside, trend and shift all fire -> outside. Points 4-5: trend, 2-in-3 and shift -> trend.
    ([0.5, 1.0, 1.5, 2.0, 2.5, 2.6, 3.5], ["Above UCL" if i == 6 else "7 Point Trend (Increasing)" for i in range(7)]),
    # Seven points above the mean, not rising; 2.5 and 2.6 close to the limit: 2-in-3 beats shift on them.
    ([0.5, 1.0, 0.7, 1.2, 2.5, 2.6, 1.0], ["7 Points Above CL"] * 4 + ["2 in 3 Above CL"] * 2 + ["7 Points Above CL"]),
    # The same below the mean, falling; then not falling; then a lone point below the lower limit after six on the mean.
    ([-0.5, -1.0, -1.5, -2.0, -2.5, -2.6, -3.5], ["Below LCL" if i == 6 else "7 Point Trend (Decreasing)" for i in range(7)]),
    ([-0.5, -1.0, -0.7, -1.2, -2.5, -2.6, -1.0], ["7 Points Below CL"] * 4 + ["2 in 3 Below CL"] * 2 + ["7 Points Below CL"]),
    ([0, 0, 0, 0, 0, 0, -3.5], ["Common Cause"] * 6 + ["Below LCL"]),
])
def test_rule_precedence_case(values, expected):
    # The file's precedence case: "outside limits > 7-point trend > 2-in-3 > 7 points one side of mean > common cause".
    precedence = next(g for g in DOCUMENT["rule_unit_cases"] if g["function"] == PRECEDENCE)
    assert precedence["cases"][0]["description"] == \
        "outside limits > 7-point trend > 2-in-3 > 7 points one side of mean > common cause"
    n = len(values)
    result = spc.classify(np.array(values, float), constant_limits(n), np.zeros(n, int), run_length=7,
                          two_in_three_counts_beyond_limits=False)
    assert [spc.rule_label(c, f, 7) for c, f in zip(result.rule, result.flag)] == expected
    codes = {"Above UCL": 1, "Below LCL": 1, "7 Point Trend (Increasing)": 2, "7 Point Trend (Decreasing)": 2,
             "2 in 3 Above CL": 3, "2 in 3 Below CL": 3, "7 Points Above CL": 4, "7 Points Below CL": 4, "Common Cause": 0}
    assert result.rule.tolist() == [codes[label] for label in expected]  # the codes order the precedence


ASSURANCE_CASES = DOCUMENT["assurance_unit_cases"]["cases"]


@pytest.mark.parametrize("case", ASSURANCE_CASES,
                         ids=[f"{c['improvement_direction']}-{c['lpl']}-{c['upl']}-target-{c['target']}"
                              for c in ASSURANCE_CASES])
def test_assurance_unit_case(case):
    assert spc.assurance_icon(case["lpl"], case["upl"], case["target"], case["improvement_direction"]) == case["expected"]
