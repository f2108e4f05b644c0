"""Overview rows written out in tests: every field an OverviewRow needs, with the test's own values on top."""
from __future__ import annotations

from analysis.overview import OverviewRow

PLAIN = {"priority_id": 1, "priority": "Priority", "measure_id": "m", "measure": "Measure", "unit": "count",
         "synthetic": False, "value": "1,234", "last_year": "1,000", "change": "+234 (+23.4%)", "rolling_12": "–",
         "rolling_change": "", "spc_point": "", "spc_as_at": "", "variation_icon": None, "assurance_icon": None,
         "trial_limits": False, "rag": "Amber", "rag_reason": "", "status": "complete", "status_reason": "",
         "narrative": ""}


def example_row(**fields) -> OverviewRow:
    return OverviewRow(**{**PLAIN, **fields})
