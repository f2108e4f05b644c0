"""Where a figure came from, in words: from the load that wrote its rows, never from the catalogue alone.

A figure loaded from a file is labelled with that file's source (police.uk, or the partner's return);
only rows the demo generator made are "Synthetic (demo)".
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

SYNTHETIC_LABEL = "Synthetic (demo)"
POLICE_UK = "police.uk"


@dataclass(frozen=True)
class Source:
    label: str  # e.g. "police.uk", "Youth Offending Services return", "Synthetic (demo)", or two joined by "and"
    synthetic: bool  # some of the figure's rows are the demo generator's


def row_source(kind, partner, catalogue_synthetic: bool) -> str:
    """The source of rows written by one load."""
    if kind == "partner return":
        return f"{partner} return"
    if kind == "police.uk":
        return POLICE_UK
    # the demo build (or a database without a load record): the catalogue says which measures it made up
    return SYNTHETIC_LABEL if catalogue_synthetic else POLICE_UK


def figure_sources(rows: pd.DataFrame) -> dict[str, Source]:
    """measure_id -> Source, from rows of measure_id, kind, partner, catalogue_synthetic (app/measure_sources)."""
    # One pass over plain columns: a group and its rows as frames cost an Overview read more than its SQL.
    labels: dict[str, dict[str, None]] = {}
    for measure_id, kind, partner, catalogue_synthetic in zip(
            rows["measure_id"].tolist(), rows["kind"].tolist(), rows["partner"].tolist(),
            rows["catalogue_synthetic"].tolist()):
        label = row_source(kind if isinstance(kind, str) else None, partner, bool(catalogue_synthetic))
        labels.setdefault(measure_id, {})[label] = None
    return {measure_id: Source(" and ".join(found), SYNTHETIC_LABEL in found) for measure_id, found in labels.items()}


def catalogue_source(catalogue_synthetic: bool) -> Source:
    """For a figure with no rows: what the catalogue says its data would be."""
    return Source(SYNTHETIC_LABEL if catalogue_synthetic else POLICE_UK, bool(catalogue_synthetic))
