"""The catalogue and the months held: priorities, measures, areas, and the dataset's notes."""
from __future__ import annotations

import pandas as pd

import dashboard_data
import queries
from components.database import cached_reader

priorities = cached_reader(dashboard_data.priorities)


@cached_reader
def measures(cur) -> pd.DataFrame:
    """Every measure of the catalogue with its unit, direction, partner, chart kind, target and note."""
    return queries.run(cur, "app/measures")


@cached_reader
def areas(cur) -> pd.DataFrame:
    """The areas a user can choose (id, name, kind, parent_id, population), in the filters' order."""
    return queries.run(cur, "app/areas")


@cached_reader
def month_span(cur) -> pd.DataFrame:
    """One row: the first and last month of any data the reader may see."""
    return queries.run(cur, "app/month_span")


@cached_reader
def police_uk_months(cur) -> pd.DataFrame:
    """One row: the first and last month of police.uk crime and ASB data the reader may see."""
    return queries.run(cur, "app/police_uk_months")


meta = cached_reader(dashboard_data.meta)
