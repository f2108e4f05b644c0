"""The RAG rule, in one place, with its words. The Overview prints RAG_RULE beside the table."""
from __future__ import annotations

from dataclasses import dataclass

SMALL_SAMPLE = 50  # responses in the period below which a survey rate is "small numbers"

RAG_RULE = (
    "**How the RAG status is set.** Red: SPC shows special-cause *concern* in the latest month. "
    "Green: special-cause *improvement*, or common-cause variation that will consistently meet its target. "
    "Amber: common-cause variation with no target, or one it will hit or miss or consistently miss; "
    f"and any survey rate from fewer than {SMALL_SAMPLE} responses in the period (small numbers). "
    "Cumulative progress measures (training, savings) are Green once they reach their target, else Amber. "
    "Measures with no improvement direction, and cells without data, are not rated; the reason is given."
)


@dataclass(frozen=True)
class Rag:
    status: str  # Red | Amber | Green | Not rated
    reason: str


def rag_status(*, variation_icon: str | None, assurance_icon: str | None, improvement_direction: str,
               denominator: float | None = None, trial_limits: bool = False, unavailable_reason: str | None = None,
               progress: tuple[float | None, float | None] | None = None) -> Rag:
    if unavailable_reason:
        return Rag("Not rated", unavailable_reason)
    if progress is not None:
        return progress_status(*progress)
    if denominator is not None and denominator < SMALL_SAMPLE:
        return Rag("Amber", f"Small numbers: {denominator:,.0f} response{'' if denominator == 1 else 's'} in the period "
                           f"(fewer than {SMALL_SAMPLE})")
    if improvement_direction == "neutral":
        return Rag("Not rated", "No improvement direction is set for this measure")
    if variation_icon is None:
        return Rag("Not rated", "Too little data for SPC")
    note = " (trial limits: fewer than 13 points)" if trial_limits else ""
    if variation_icon.startswith("concern"):
        return Rag("Red", "Special cause concern" + note)
    if variation_icon.startswith("improvement"):
        return Rag("Green", "Special cause improvement" + note)
    if assurance_icon == "consistent_pass":
        return Rag("Green", "Common cause; consistently meets the target" + note)
    reasons = {
        "consistent_fail": "Common cause; will consistently miss the target",
        "inconsistent": "Common cause; will hit or miss the target",
    }
    return Rag("Amber", reasons.get(assurance_icon, "Common cause; no target set") + note)


def progress_status(value: float | None, target: float | None) -> Rag:
    """Cumulative measures are not charted with SPC: they are rated against their target."""
    if value is None or target is None or target != target:
        return Rag("Not rated", "Cumulative progress measure with no target")
    if value >= target:
        return Rag("Green", f"Target of {target:g} reached")
    return Rag("Amber", f"Cumulative progress: {value:,.1f} of the {target:g} target")
