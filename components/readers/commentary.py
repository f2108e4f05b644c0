"""Commentary: what is published for a period, one commentary's versions, and what is held back from drafts."""
from __future__ import annotations

import pandas as pd

import dashboard_data
import queries
from analysis import calendar
from components.database import cached_reader

published_commentary = cached_reader(dashboard_data.published_commentary)


@cached_reader
def commentary_versions(cur, *, priority_id: int, measure_id: str | None, area_id: str,
                        period: calendar.Period) -> pd.DataFrame:
    """Every saved version of one commentary (the priority's, or a measure's), newest first."""
    return queries.run(cur, "app/commentary_versions", {"priority_id": priority_id, "measure_id": measure_id,
                                                        "area_id": area_id, "first": period.start, "last": period.end})


@cached_reader
def provisional_in_period(cur, *, priority_id: int, measure_id: str | None, area_id: str,
                          period: calendar.Period) -> pd.DataFrame:
    """The priority's measures (or the one) with figures for the area and period the public does not see yet."""
    return queries.run(cur, "app/provisional_in_period", {"priority_id": priority_id, "measure_id": measure_id,
                                                          "area_id": area_id, "first": period.start, "last": period.end})
