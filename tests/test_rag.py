"""The RAG rule the Panel sees: every rule, in its order of precedence, with its words."""
from __future__ import annotations

import pytest

from analysis.rag import (
    AMBER,
    GREEN,
    NOT_RATED,
    RED,
    SMALL_SAMPLE,
    STATUSES,
    WITHIN,
    Rag,
    progress_status,
    rag_rule,
    rag_status,
    restates_spc,
)
from analysis.spc import PROVISIONAL_LIMITS


def rated(**kwargs) -> Rag:
    arguments = {"variation_icon": "common_cause", "assurance_icon": None, "improvement_direction": "decrease"}
    return rag_status(**{**arguments, **kwargs})


@pytest.mark.parametrize("variation, assurance, expected", [
    ("concern_high", None, Rag(RED, "Special cause concern")),
    ("concern_low", "consistent_pass", Rag(RED, "Special cause concern")),  # concern wins over a met target
    ("improvement_low", None, Rag(GREEN, "Special cause improvement")),
    ("improvement_high", "consistent_fail", Rag(GREEN, "Special cause improvement")),  # improvement wins too
    ("common_cause", "consistent_pass", Rag(GREEN, "Common cause; will consistently meet the target")),
    ("common_cause", "consistent_fail", Rag(AMBER, "Target at risk: common cause, and will consistently miss the target")),
    ("common_cause", "inconsistent", Rag(AMBER, "Target at risk: common cause, and will hit or miss the target")),
    ("common_cause", None, Rag(WITHIN, "Common cause variation; no target is set, so rated by SPC alone")),
    ("neutral_high", None, Rag(WITHIN, "Common cause variation; no target is set, so rated by SPC alone")),
])
def test_spc_sets_the_status_and_a_missing_target_is_never_amber(variation, assurance, expected):
    assert rated(variation_icon=variation, assurance_icon=assurance) == expected


def test_trial_limits_are_said_in_the_reason():
    assert rated(variation_icon="concern_high", trial_limits=True) == \
        Rag(RED, f"Special cause concern ({PROVISIONAL_LIMITS})")
    assert rated(trial_limits=True).reason.endswith(f"({PROVISIONAL_LIMITS})")


def test_unavailable_data_comes_first_with_its_reason():
    assert rated(variation_icon="concern_high", denominator=3.0, unavailable_reason="Provisional until 15 June 2022") \
        == Rag(NOT_RATED, "Provisional until 15 June 2022")


def test_small_numbers_come_before_spc_and_use_the_threshold():
    assert rated(variation_icon="concern_high", denominator=49.0) == \
        Rag(AMBER, "Small numbers: 49 responses in the period (fewer than 50)")
    assert rated(variation_icon="concern_high", denominator=50.0).status == RED  # 50 is not fewer than 50
    assert rated(denominator=1.0) == Rag(AMBER, "Small numbers: 1 response in the period (fewer than 50)")
    assert rated(denominator=120.0, small_sample=200) == \
        Rag(AMBER, "Small numbers: 120 responses in the period (fewer than 200)")
    assert rated(denominator=0.0).status == AMBER
    assert SMALL_SAMPLE == 50


def test_no_improvement_direction_and_too_few_points_are_not_rated():
    assert rated(improvement_direction="neutral", variation_icon="neutral_high") == \
        Rag(NOT_RATED, "No improvement direction is set for this measure")
    assert rated(variation_icon=None) == Rag(NOT_RATED, "Too few points for SPC")
    # small numbers outrank a missing direction: the sample is the first thing the Panel needs to know
    assert rated(improvement_direction="neutral", denominator=10.0).status == AMBER


@pytest.mark.parametrize("value, target, unit, expected", [
    (90.0, 90.0, "percentage", Rag(GREEN, "Target of 90.0% reached")),
    (91.5, 90.0, "percentage", Rag(GREEN, "Target of 90.0% reached")),
    (89.9, 90.0, "percentage", Rag(AMBER, "Target not yet reached: 89.9% of 90.0%")),
    (7.6, 20.0, "currency", Rag(AMBER, "Target not yet reached: £7.60m of £20.00m")),
    (None, 20.0, "currency", Rag(NOT_RATED, "Cumulative progress measure with no target")),
    (7.6, None, "currency", Rag(NOT_RATED, "Cumulative progress measure with no target")),
    (7.6, float("nan"), "currency", Rag(NOT_RATED, "Cumulative progress measure with no target")),
])
def test_cumulative_measures_are_rated_against_their_target(value, target, unit, expected):
    assert progress_status(value, target, unit) == expected


def test_progress_comes_after_unavailability_and_before_small_numbers():
    assert rated(progress=(7.6, 20.0), unit="currency", denominator=3.0) == \
        Rag(AMBER, "Target not yet reached: £7.60m of £20.00m")
    assert rated(progress=(7.6, 20.0), unavailable_reason="No data").status == NOT_RATED


def test_the_printed_rule_names_every_status_and_the_threshold():
    text = rag_rule(35)
    for status in ("Not rated", "Amber, small numbers", "Red", "Green", "Amber, target at risk", "Within expected levels"):
        assert f"*{status}*" in text
    assert "fewer than 35 responses" in text and "first match wins" in text
    assert STATUSES == (RED, AMBER, GREEN, WITHIN, NOT_RATED)


@pytest.mark.parametrize("reason", [
    "Special cause concern",
    "Special cause improvement",
    "Common cause variation; no target is set, so rated by SPC alone",
    f"Special cause concern ({PROVISIONAL_LIMITS})",  # the provisional note does not change what it restates
])
def test_a_reason_that_only_repeats_the_spc_reading_restates_it(reason):
    assert restates_spc(reason) is True


@pytest.mark.parametrize("reason", [
    "Common cause; will consistently meet the target",
    "Target at risk: common cause, and will consistently miss the target",
    "Target at risk: common cause, and will hit or miss the target",
    "Small numbers: 12 responses in the period (fewer than 50)",
    "Too few points for SPC",
    "No improvement direction is set for this measure",
    "Target of 100 reached",
])
def test_a_reason_that_adds_to_the_spc_reading_does_not_restate_it(reason):
    assert restates_spc(reason) is False
