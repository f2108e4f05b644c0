"""The Panel paper's saved settings (implications, contact) for an area and period."""
from __future__ import annotations

import dashboard_data
from components.database import cached_reader

paper_settings = cached_reader(dashboard_data.paper_settings)
