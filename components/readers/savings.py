"""Savings: the position, its lines and the progress toward the target, as at a date."""
from __future__ import annotations

import dashboard_data
from components.database import cached_reader

savings_position = cached_reader(dashboard_data.savings_position)
savings_lines = cached_reader(dashboard_data.savings_lines)
savings_progress = cached_reader(dashboard_data.savings_progress)
