"""Home Office recorded crime by force: the file held, offence groups, forces, their series and populations."""
from __future__ import annotations

import pandas as pd

import queries
from components.database import cached_reader


@cached_reader
def home_office_source(cur) -> pd.DataFrame:
    """One row: which Home Office file the database holds, and its span."""
    return queries.run(cur, "app/home_office_source")


@cached_reader
def offence_groups(cur) -> pd.DataFrame:
    """The offence groups a user can compare, in order, with any definition change inside each."""
    return queries.run(cur, "app/home_office_offence_groups")


@cached_reader
def forces(cur) -> pd.DataFrame:
    """Territorial police forces (the only areas compared), with region and any caveat."""
    return queries.run(cur, "app/home_office_forces")


@cached_reader
def peer_groups(cur, force: str) -> pd.DataFrame:
    """The force's most similar forces, when a sourced grouping was supplied (peer, source)."""
    return queries.run(cur, "app/home_office_peer_groups", {"force": force})


@cached_reader
def group_series(cur, group_id: str, forces: list[str]) -> pd.DataFrame:
    """One offence group's rolling 12-month totals for the forces, every quarter end."""
    return queries.run(cur, "app/home_office_group_series", {"group_id": group_id, "forces": forces})


@cached_reader
def populations(cur, forces: list[str]) -> pd.DataFrame:
    """Residents of the forces, by population year, for rates per 1,000."""
    return queries.run(cur, "app/home_office_populations", {"forces": forces})
