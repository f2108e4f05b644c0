"""The national catalogue: every Community Safety Partnership in England and Wales under its force.

From the ONS lookup (local authority district -> CSP -> police force area, 2017) shipped in
bench/data/: 43 forces, 314 CSPs, and the 348 districts. A CSP that is one district is one
area (a unitary authority or a district, whose name prefixes its LSOAs); a CSP of several
districts is an area above them. Each force also gets its own "No location" and "Outside
force area". The project's catalogue files are written to a folder for ingest.schema.load_catalogue:
the priorities and measures as shipped, these areas, and police.uk's names for the forces.

Populations: each force's is real (2011 Census, data/home_office/force_populations.csv);
its split between districts is synthetic (seeded), since no district figures are shipped.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from bench import PROJECT_ROOT

DATA = Path(__file__).resolve().parent / "data"
LOOKUP = DATA / "lad17_csp17_pfa17_lookup.csv"
FORCE_NAMES = DATA / "police_uk_force_names.csv"
HOME_OFFICE = PROJECT_ROOT / "data" / "home_office"
CATALOGUE = PROJECT_ROOT / "data" / "catalogue"
DEMO_FORCE = "E23000021"  # Leicestershire: the home force of this catalogue (listed first), which the savings belong to
KIND_BY_CODE = {"E06": "unitary authority", "W06": "unitary authority", "E07": "district", "E08": "district",
                "E09": "district"}


@dataclass(frozen=True)
class NationalCatalogue:
    areas: pd.DataFrame            # the areas table's columns
    police_uk_forces: pd.DataFrame  # the police_uk_forces table's columns
    districts: pd.DataFrame  # lad_code, lad_name, lsoa_prefix, population, area_id (where its LSOAs map), force_id

    def write(self, folder: Path) -> Path:
        """The catalogue files load_catalogue reads, in folder."""
        folder.mkdir(parents=True, exist_ok=True)
        for table in ("priorities", "measures"):
            shutil.copy(CATALOGUE / f"{table}.csv", folder / f"{table}.csv")
        self.areas.to_csv(folder / "areas.csv", index=False)
        self.police_uk_forces.to_csv(folder / "police_uk_forces.csv", index=False)
        return folder

    def force_ids(self) -> list[str]:
        return list(self.police_uk_forces["force_area_id"])


def lsoa_prefix(district: str) -> str:
    """How LSOA names spell a district: "Bristol 023A" for "Bristol, City of"."""
    return district.split(", ")[0]


def read_lookup() -> pd.DataFrame:
    return pd.read_csv(LOOKUP, encoding="utf-8-sig", dtype=str)


def force_populations() -> pd.Series:
    """2011 Census usual residents by force ONS code."""
    codes = pd.read_csv(HOME_OFFICE / "areas.csv", dtype=str).set_index("name")["ons_code"]
    populations = pd.read_csv(HOME_OFFICE / "force_populations.csv")
    populations = populations[populations["year"] == 2011]
    return pd.Series(populations["population"].to_numpy(), index=codes.loc[populations["force"]].to_numpy())


def national_catalogue(seed: int, forces: list[str] | None = None) -> NationalCatalogue:
    """Every CSP under its force (or only the forces given, by ONS code, for a smaller run)."""
    lookup = read_lookup().sort_values(["PFA17NM", "CSP17NM", "LAD17NM"]).reset_index(drop=True)
    if forces is not None:
        lookup = lookup[lookup["PFA17CD"].isin(forces)].reset_index(drop=True)
    rng = np.random.default_rng(seed)
    weights = rng.gamma(6.0, 1.0, len(lookup))
    share = weights / pd.Series(weights).groupby(lookup["PFA17CD"]).transform("sum").to_numpy()
    lookup["population"] = np.round(share * force_populations().loc[lookup["PFA17CD"]].to_numpy()).astype(int)
    names = pd.read_csv(FORCE_NAMES, dtype=str).set_index("pfa_code")["police_uk_name"]
    # The demo's force first: the home force is the first force area in the catalogue's order (core.home_force).
    # Reordered after the populations are drawn, so only the areas' sort order changes.
    lookup = pd.concat([lookup[lookup["PFA17CD"] == DEMO_FORCE], lookup[lookup["PFA17CD"] != DEMO_FORCE]])

    rows, uk_forces, districts = [], [], []
    order = 0
    csp_sizes = lookup.groupby("CSP17CD").size()
    for force_id, force in lookup.groupby("PFA17CD", sort=False):
        force_name = force["PFA17NM"].iloc[0]
        rows.append((force_id, f"{force_name} (force area)", "force", None, int(force["population"].sum()), None, order))
        order += 1
        for csp_id, csp in force.groupby("CSP17CD", sort=False):
            if csp_sizes[csp_id] == 1:  # the CSP is its district
                lad = csp.iloc[0]
                rows.append((csp_id, csp["CSP17NM"].iloc[0], KIND_BY_CODE[lad["LAD17CD"][:3]], force_id,
                             int(lad["population"]), lsoa_prefix(lad["LAD17NM"]), order))
                districts.append((lad["LAD17CD"], lad["LAD17NM"], lsoa_prefix(lad["LAD17NM"]), int(lad["population"]),
                                  csp_id, force_id))
                order += 1
                continue
            rows.append((csp_id, f"{csp['CSP17NM'].iloc[0]} (CSP)", "county", force_id, int(csp["population"].sum()),
                         None, order))
            order += 1
            for lad in csp.itertuples():
                rows.append((lad.LAD17CD, lad.LAD17NM, KIND_BY_CODE[lad.LAD17CD[:3]], csp_id, int(lad.population),
                             lsoa_prefix(lad.LAD17NM), order))
                districts.append((lad.LAD17CD, lad.LAD17NM, lsoa_prefix(lad.LAD17NM), int(lad.population), lad.LAD17CD,
                                  force_id))
                order += 1
        no_location, outside = f"{force_id}_NO_LOCATION", f"{force_id}_OUTSIDE"
        rows.append((no_location, f"No location ({force_name})", "unallocated", force_id, None, None, order))
        rows.append((outside, f"Outside force area ({force_name})", "unallocated", force_id, None, None, order + 1))
        order += 2
        uk_forces.append((names[force_id], force_id, no_location, outside))
    areas = pd.DataFrame(rows, columns=["id", "name", "kind", "parent_id", "population", "lsoa_prefix", "sort_order"])
    areas["population"] = areas["population"].astype("Int64")
    duplicated = areas["name"][areas["name"].duplicated()]
    if len(duplicated):  # names go in the URL: each must be one area
        raise ValueError(f"area names used twice: {sorted(set(duplicated))}")
    return NationalCatalogue(
        areas,
        pd.DataFrame(uk_forces, columns=["name", "force_area_id", "no_location_area_id", "outside_area_id"]),
        pd.DataFrame(districts, columns=["lad_code", "lad_name", "lsoa_prefix", "population", "area_id", "force_id"]),
    )
