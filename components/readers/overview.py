"""The Overview table: every measure's reading for an area and period (also read by Panel mode and commentary)."""
from __future__ import annotations

import dashboard_data
from components.database import cached_reader

overview = cached_reader(dashboard_data.overview)
