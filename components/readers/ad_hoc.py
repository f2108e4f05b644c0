"""Ad hoc tables: chosen measures and areas at a grain over a range of months."""
from __future__ import annotations

import dashboard_data
from components.database import cached_reader

ad_hoc_table = cached_reader(dashboard_data.ad_hoc_table)
