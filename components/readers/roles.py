"""Who holds which role, and the audit of role changes (the roles editor)."""
from __future__ import annotations

import pandas as pd

import queries
from components.database import cached_reader


@cached_reader
def role_grants(cur) -> pd.DataFrame:
    """Every role grant: principal, kind, role, who granted it and when."""
    return queries.run(cur, "app/role_grants")


@cached_reader
def role_grant_changes(cur) -> pd.DataFrame:
    """The audit of role changes, newest first."""
    return queries.run(cur, "app/role_grant_changes")
