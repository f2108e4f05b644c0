"""Counts of missing people made in pandas straight from the records, independently of the SQL under test
(the people_counts macro in queries/schema.sql and the queries that use it): the oracle several tests compare with.
A person counts once in a group however many reports they have in it; repeat individuals have 2 or more."""
from __future__ import annotations

import pandas as pd

COUNTS = ["reports", "individuals", "repeat_individuals"]


def area_records(con) -> pd.DataFrame:
    """Every report once for each area it counts toward: its own and every area above it (walked here by
    parent_id, not through the area_ancestors view). Columns: area_id, leaf_id, person_id, age_band, month
    (a pd.Period), report_date."""
    records = con.execute("SELECT person_id, report_date, area_id AS leaf_id, age_band FROM missing_person_reports").df()
    parent = dict(con.execute("SELECT id, parent_id FROM areas").fetchall())
    chains = []
    for leaf in records["leaf_id"].unique():
        area = leaf
        while area is not None:
            chains.append((leaf, area))
            area = parent[area]
    rolled = records.merge(pd.DataFrame(chains, columns=["leaf_id", "area_id"]), on="leaf_id")
    rolled["month"] = pd.to_datetime(rolled["report_date"]).dt.to_period("M")
    return rolled


def counted(records: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Reports, individuals and repeat individuals per group of `keys` (groups with records only)."""
    per_person = records.groupby([*keys, "person_id"]).size().rename("reports").reset_index()
    return per_person.groupby(keys).agg(reports=("reports", "sum"), individuals=("person_id", "size"),
                                        repeat_individuals=("reports", lambda n: int((n >= 2).sum()))).reset_index()


def in_months(records: pd.DataFrame, first: pd.Period, last: pd.Period) -> pd.DataFrame:
    return records[(records["month"] >= first) & (records["month"] <= last)]


def totals(records: pd.DataFrame) -> tuple[int, int, int]:
    """The three counts of a set of records taken as one group."""
    per_person = records.groupby("person_id").size()
    return len(records), len(per_person), int((per_person >= 2).sum())
