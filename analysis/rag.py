"""The RAG rule, in one place, with its words. The Overview prints rag_rule() under the table.

Amber keeps the meaning the Panel's reports give it: small numbers, or a target at
risk. A measure with no target is rated by SPC alone and is never Amber for lack of one.
"""
from __future__ import annotations

from dataclasses import dataclass

from analysis.formatting import format_value, plural
from analysis.spc import PROVISIONAL_LIMITS, SPECIAL_CAUSE_WORDS

SMALL_SAMPLE = 50  # default: responses in the period below which a survey rate is "small numbers"

RED, AMBER, GREEN, WITHIN, NOT_RATED = "Red", "Amber", "Green", "Within expected levels", "Not rated"
# Reasons that say no more than the SPC reading they come from
SPECIAL_CONCERN, SPECIAL_IMPROVEMENT = SPECIAL_CAUSE_WORDS["concern"], SPECIAL_CAUSE_WORDS["improvement"]
SPC_ALONE = "Common cause variation; no target is set, so rated by SPC alone"
STATUSES = (RED, AMBER, GREEN, WITHIN, NOT_RATED)


def rag_rule(small_sample: int = SMALL_SAMPLE) -> str:
    """The rule in words, as the Overview and the paper print it, in order of precedence."""
    return (
        "**How the RAG status is set** (first match wins). "
        "*Not rated*: no data for the period (the reason is given), no improvement direction, or too few points for SPC. "
        f"*Amber, small numbers*: a survey rate from fewer than {small_sample} responses in the period. "
        "*Red*: SPC shows special cause *concern* at the period's SPC point. "
        "*Green*: special cause *improvement*, or common cause variation that will consistently meet its target. "
        "*Amber, target at risk*: common cause variation that will hit or miss its target, or consistently miss it. "
        "*Within expected levels*: common cause variation and no target is set; it is rated by SPC alone. "
        "Cumulative progress measures (training, savings) are Green once they reach their target, else Amber "
        "(target not yet reached)."
    )


@dataclass(frozen=True)
class Rag:
    status: str  # one of STATUSES
    reason: str


def rag_status(*, variation_icon: str | None, assurance_icon: str | None, improvement_direction: str,
               denominator: float | None = None, trial_limits: bool = False, unavailable_reason: str | None = None,
               progress: tuple[float | None, float | None] | None = None,
               small_sample: int = SMALL_SAMPLE, unit: str = "count") -> Rag:
    """The RAG status of one measure, area and period, with the reason in words."""
    if unavailable_reason:
        return Rag(NOT_RATED, unavailable_reason)
    if progress is not None:
        return progress_status(*progress, unit=unit)
    if denominator is not None and denominator < small_sample:
        return Rag(AMBER, f"Small numbers: {plural(denominator, 'response')} in the period (fewer than {small_sample})")
    if improvement_direction == "neutral":
        return Rag(NOT_RATED, "No improvement direction is set for this measure")
    if variation_icon is None:
        return Rag(NOT_RATED, "Too few points for SPC")
    note = f" ({PROVISIONAL_LIMITS})" if trial_limits else ""
    if variation_icon.startswith("concern"):
        return Rag(RED, SPECIAL_CONCERN + note)
    if variation_icon.startswith("improvement"):
        return Rag(GREEN, SPECIAL_IMPROVEMENT + note)
    if assurance_icon == "consistent_pass":
        return Rag(GREEN, "Common cause; will consistently meet the target" + note)
    if assurance_icon == "consistent_fail":
        return Rag(AMBER, "Target at risk: common cause, and will consistently miss the target" + note)
    if assurance_icon == "inconsistent":
        return Rag(AMBER, "Target at risk: common cause, and will hit or miss the target" + note)
    return Rag(WITHIN, SPC_ALONE + note)


def restates_spc(reason: str) -> bool:
    """A reason that only repeats the SPC reading: a table that shows the reading beside it can leave it out."""
    return reason.startswith((SPECIAL_CONCERN, SPECIAL_IMPROVEMENT, SPC_ALONE))


def progress_status(value: float | None, target: float | None, unit: str = "count") -> Rag:
    """Cumulative measures are not charted with SPC: they are rated against their target."""
    if value is None or target is None or target != target:
        return Rag(NOT_RATED, "Cumulative progress measure with no target")
    if value >= target:
        return Rag(GREEN, f"Target of {format_value(target, unit)} reached")
    return Rag(AMBER, f"Target not yet reached: {format_value(value, unit)} of {format_value(target, unit)}")
