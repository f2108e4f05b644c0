"""Exception reporting: which measures need the Panel's attention, and how many do not.

A measure needs attention when, in the chosen period, SPC shows special cause in
either direction (improvement, concern or neither), its RAG status is Red, or its
data became unavailable: it had a value in the period before and has none now.
Everything else is counted, not listed. Pure: takes Overview tables
(analysis/overview.py columns), returns frames and counts.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.overview import OverviewRow, overview_rows

HAS_VALUE = ("complete", "partial")  # Overview statuses that carry a figure
WITHIN_EXPECTED_LEVELS = "within expected levels"


def newly_unavailable(status: str, previous_status: str | None) -> bool:
    """No figure now, where the period before had one (a measure in development never had one)."""
    return status not in HAS_VALUE and previous_status in HAS_VALUE


def attention_reasons(row: OverviewRow, previous_status: str | None) -> list[str]:
    """Why one Overview row needs attention, in words; empty when it does not."""
    reasons = []
    if row.special_cause:
        reasons.append("special cause")
    if row.rag == "Red":
        reasons.append("Red")
    if newly_unavailable(row.status, previous_status):
        reasons.append("data newly unavailable")
    return reasons


@dataclass(frozen=True)
class Exceptions:
    attention: pd.DataFrame  # the rows that need attention, in table order, with an `attention` column of reasons
    within_expected: int  # the rest with common cause variation: "within expected levels"
    not_assessed: int  # the rest with no SPC (no data, in development, cumulative or too few points)

    def reasons(self) -> dict[str, str]:
        """measure_id -> why it needs attention, in words."""
        return dict(zip(self.attention["measure_id"], self.attention["attention"]))

    def rows(self) -> list[tuple[OverviewRow, str]]:
        """The rows that need attention, in table order, each with why in words."""
        return list(zip(overview_rows(self.attention), self.attention["attention"]))

    @property
    def rest(self) -> int:
        return self.within_expected + self.not_assessed

    def summary(self) -> str:
        """One sentence for under the list."""
        parts = [f"{self.within_expected} other measure{'' if self.within_expected == 1 else 's'} "
                 f"{'is' if self.within_expected == 1 else 'are'} {WITHIN_EXPECTED_LEVELS}"]
        if self.not_assessed:
            parts.append(f"{self.not_assessed} {'is' if self.not_assessed == 1 else 'are'} not assessed with SPC "
                         "(no data this period, in development, or a cumulative measure)")
        return "; ".join(parts) + "."


def select_exceptions(table: pd.DataFrame, previous: pd.DataFrame | None = None) -> Exceptions:
    """The rows of `table` that need attention; `previous` is the Overview of the period before (for availability).

    Rows are matched on measure_id; rows with no measure (a priority in development) are
    never "newly" unavailable.
    """
    before = {} if previous is None else {row.measure_id: row.status for row in overview_rows(previous)
                                           if not row.in_development}
    reasons = [attention_reasons(row, before.get(row.measure_id)) for row in overview_rows(table)]
    needs = pd.Series([bool(r) for r in reasons], index=table.index, dtype=bool)
    attention = table[needs].assign(attention=[", ".join(r) for r in reasons if r])
    rest = table[~needs]
    within = int((rest["variation_icon"] == "common_cause").sum())
    return Exceptions(attention=attention, within_expected=within, not_assessed=len(rest) - within)


# A priority's status on the Panel's status screen, in the order shown (concerns first).
PRIORITY_STATUSES = ("concern", "improvement", "neither", "common_cause", "not_assessed")


def priority_status(rows: list[OverviewRow], attention: dict[str, str]) -> str:
    """The most pressing state among a priority's Overview rows: a concern (special cause concern, Red or data
    newly unavailable) before an improvement, before special cause that is neither, before common cause;
    "not_assessed" when no row has an SPC reading or reason for attention. attention: measure_id -> reasons."""
    icons = [r.variation_icon for r in rows if r.has_spc]
    if any(i.startswith("concern") for i in icons) or any(
            "Red" in attention.get(r.measure_id, "").split(", ")
            or "data newly unavailable" in attention.get(r.measure_id, "") for r in rows):
        return "concern"
    for status, prefix in (("improvement", "improvement"), ("neither", "neutral"), ("common_cause", "common_cause")):
        if any(i.startswith(prefix) for i in icons):
            return status
    return "not_assessed"
