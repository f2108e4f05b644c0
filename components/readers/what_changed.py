"""What changed: the moments to compare with, and the data as it stands now against the data as it stood then."""
from __future__ import annotations

import dashboard_data
from components.database import cached_reader

change_references = cached_reader(dashboard_data.change_references)
changes_since = cached_reader(dashboard_data.changes_since)
