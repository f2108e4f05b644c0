"""Missing persons: the period's summary and breakdown, and the series by month or quarter (under disclosure control)."""
from __future__ import annotations

import dashboard_data
from components.database import cached_reader

missing_person_summary = cached_reader(dashboard_data.missing_person_summary)
missing_person_breakdown = cached_reader(dashboard_data.missing_person_breakdown)
missing_person_periods = cached_reader(dashboard_data.missing_person_periods)
