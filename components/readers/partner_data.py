"""Partner returns: what is owed and held, availability notes and their changes, and the loads."""
from __future__ import annotations

import pandas as pd

import queries
from components.database import cached_reader


@cached_reader
def returns_measures(cur) -> pd.DataFrame:
    """The measures with what the returns calendar needs: who sends each, how often, for which areas."""
    return queries.run(cur, "app/returns_measures")


@cached_reader
def returns_held(cur, *, first: str, last: str) -> pd.DataFrame:
    """Every value held for the months first..last, with the load that brought it, as the reader may see."""
    return queries.run(cur, "app/returns_held", {"first": first, "last": last})


@cached_reader
def returns_notes(cur, *, first: str, last: str) -> pd.DataFrame:
    """The data-availability notes overlapping the months first..last."""
    return queries.run(cur, "app/returns_notes", {"first": first, "last": last})


@cached_reader
def availability(cur) -> pd.DataFrame:
    """Every data-availability note, with its priority's, measure's and area's names."""
    return queries.run(cur, "app/availability")


@cached_reader
def availability_changes(cur) -> pd.DataFrame:
    """Changes to data-availability notes, newest first."""
    return queries.run(cur, "app/availability_changes")


@cached_reader
def provisional_measures(cur) -> pd.DataFrame:
    """Measures with rows still held back as provisional: how many, which months, and when each is released."""
    return queries.run(cur, "app/provisional_measures")


@cached_reader
def submissions(cur) -> pd.DataFrame:
    """Every load, newest first: when, by whom, which file, and the rows it added or replaced."""
    return queries.run(cur, "app/submissions")
