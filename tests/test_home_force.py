"""The home force comes from the catalogue (the areas table), never from a code written into the program: a
catalogue whose force is another's gives that force everywhere the force area is meant."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

import queries
from analysis import adhoc, calendar
from core.home_force import home_force


def catalogue(*areas: tuple[str, str, int]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    queries.execute_script(con, "schema")
    for area_id, kind, order in areas:
        con.execute("INSERT INTO areas (id, name, kind, sort_order) VALUES (?, ?, ?, ?)",
                    [area_id, f"Area {area_id}", kind, order])
    return con


def test_the_home_force_is_the_first_force_area_in_the_catalogues_order():
    con = catalogue(("E06000001", "unitary authority", 1), ("E23000099", "force", 5), ("E23000042", "force", 2))
    assert home_force(con) == "E23000042"


def test_a_catalogue_without_a_force_says_so():
    with pytest.raises(LookupError, match="no force area"):
        home_force(catalogue(("E06000001", "unitary authority", 1)))


def test_the_shipped_catalogue_names_its_force_first():
    areas = pd.read_csv(queries.QUERY_DIR.parent / "data" / "catalogue" / "areas.csv")
    forces = areas[areas["kind"] == "force"].sort_values("sort_order")
    con = catalogue(*((row.id, row.kind, int(row.sort_order)) for row in areas.itertuples()))
    assert home_force(con) == forces["id"].iloc[0]


def test_ad_hoc_shares_are_of_the_force_it_is_given():
    """A count's share is of the home force passed in, whatever its code (it was a constant in analysis/adhoc)."""
    period = calendar.month_range(calendar.month("2022-01"), calendar.month("2022-01"))
    observations = pd.DataFrame({"measure_id": ["m", "m"], "area_id": ["FORCE_X", "LA_1"],
                                 "month": ["2022-01-01", "2022-01-01"], "value": [200.0, 50.0],
                                 "numerator": [None, None], "denominator": [None, None]})
    measures = pd.DataFrame({"id": ["m"], "name": ["Crimes"], "unit": ["count"], "aggregation": ["sum"],
                             "force_wide": [False]})
    areas = pd.DataFrame({"id": ["LA_1"], "name": ["District"], "population": [1000]})
    table = adhoc.build_table(observations, measures, areas, [period], force_id="FORCE_X")
    share = [c for c in table.columns if "share" in c.lower() or "force" in c.lower()]
    assert share, table.columns
    assert table[share[0]].iloc[0] == pytest.approx(25.0)
