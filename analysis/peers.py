"""A force beside similar forces: peer selection, rates per 1,000 residents, indexing to
a base period, and the force's own series as non-overlapping annual totals for SPC.

Plain frames in, plain frames out; no Streamlit, no connections. The data are the Home
Office rolling 12-month totals at each quarter end (see ingest/home_office.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from analysis import spc
from analysis.series import measure_spc, rebase_positions

LEAD_FORCE = "Leicestershire"
PER_RESIDENTS = 1000
INDEX_BASE = 100.0
MID_YEAR = (6, 30)  # a population year's reference day: mid-year estimates are for 30 June
YEAR_END_MONTHS = {3: "March", 6: "June", 9: "September", 12: "December"}


@dataclass(frozen=True)
class PeerSet:
    peers: tuple[str, ...]
    basis: str  # where the set comes from, in words
    most_similar_group: bool


def default_peers(force: str, peer_groups: pd.DataFrame, forces: pd.DataFrame) -> PeerSet:
    """The force's most similar forces when a sourced grouping is supplied, else the other forces of its region.

    peer_groups: peer, source (rows for this force); forces: name, region (territorial forces).
    """
    if len(peer_groups):
        sources = "; ".join(sorted(set(peer_groups["source"])))
        return PeerSet(tuple(peer_groups["peer"]), f"{force}'s most similar forces, from {sources}.", True)
    region = forces.set_index("name").at[force, "region"]
    peers = tuple(sorted(forces.loc[(forces["region"] == region) & (forces["name"] != force), "name"]))
    return PeerSet(peers, (f"No Most Similar Group is supplied for {force} (data/home_office/most_similar_groups.csv "
                           f"has no rows for it), so the default set is the other forces of its Home Office region, "
                           f"{region}: forces in the same region, not a grouping by similarity."), False)


def valid_peers(requested, forces, force: str) -> list[str]:
    """The requested peers that are forces other than the force itself, once each, in the order asked."""
    known = set(forces)
    return list(dict.fromkeys(p for p in requested if p in known and p != force))


def rate_per_1000(offences, population):
    """Offences per 1,000 residents."""
    return offences / population * PER_RESIDENTS


def population_year(period_end, years) -> int:
    """The population year for 12 months ending period_end: the latest whose mid-year day is on or before
    that date, or the earliest available when every year is later."""
    end = pd.Timestamp(period_end)
    years = sorted(int(y) for y in years)
    usable = [y for y in years if pd.Timestamp(y, *MID_YEAR) <= end]
    return usable[-1] if usable else years[0]


def with_rates(series: pd.DataFrame, populations: pd.DataFrame) -> pd.DataFrame:
    """series (area, period_end, offences) with the population used and the rate per 1,000 residents.

    populations: area, population_year, population, basis. A force with no population row gets no rate.
    """
    frame = series.copy()
    years = populations.groupby("area")["population_year"].apply(list)
    frame["population_year"] = [population_year(end, years[area]) if area in years.index else np.nan
                                for area, end in zip(frame["area"], frame["period_end"])]
    frame = frame.merge(populations, on=["area", "population_year"], how="left")
    frame["rate_per_1000"] = rate_per_1000(frame["offences"], frame["population"])
    return frame


def with_index(rated: pd.DataFrame, base_period) -> pd.DataFrame:
    """Each force's rate as an index of its own rate in the base period (base = 100); NaN without a base above 0."""
    base = pd.Timestamp(base_period)
    frame = rated.copy()
    at_base = frame[pd.to_datetime(frame["period_end"]) == base].set_index("area")["rate_per_1000"]
    frame["base_rate_per_1000"] = frame["area"].map(at_base)
    frame["index"] = np.where(frame["base_rate_per_1000"] > 0,
                              frame["rate_per_1000"] / frame["base_rate_per_1000"] * INDEX_BASE, np.nan)
    return frame


@dataclass(frozen=True)
class SeriesBreak:
    """A definition change: 12-month totals ending from from_month up to the month before clean_from mix both."""

    from_month: date
    short_reason: str
    reason: str

    @property
    def clean_from(self) -> date:
        """The end of the first 12 months wholly under the new definition."""
        return (pd.Period(self.from_month, "M") + 11).end_time.date()

    def mixed(self, period_end) -> bool:
        end = pd.Timestamp(period_end)
        return pd.Timestamp(self.from_month) <= end < pd.Timestamp(self.clean_from)

    def like_for_like(self, first, second) -> bool:
        """True when both 12-month periods are wholly under the same definition."""
        def side(end):
            end = pd.Timestamp(end)
            return "old" if end < pd.Timestamp(self.from_month) else "new" if end >= pd.Timestamp(self.clean_from) else "mixed"
        return side(first) == side(second) != "mixed"


def series_break(row) -> SeriesBreak | None:
    """The break of an offence-group row (break_from_month, break_short_reason, break_reason), if it has one."""
    if row is None or pd.isna(row.get("break_from_month")):
        return None
    return SeriesBreak(pd.Timestamp(row["break_from_month"]).date(), row["break_short_reason"], row["break_reason"])


COMPARISON_COLUMNS = ["Force", "12 months ending", "Offences", "Residents", "Residents: source", "Rate per 1,000 residents",
                      "Base: 12 months ending", "Base rate per 1,000", "Index (base = 100)", "Rank by rate (1 = lowest)",
                      "Note"]


def comparison_table(indexed: pd.DataFrame, force: str, period, base_period, notes: dict[str, str] | None = None,
                     brk: SeriesBreak | None = None) -> pd.DataFrame:
    """One row per force for one period (the force first, then its peers by rate), and, with peers, their
    unweighted average.

    indexed: with_index output. Numbers stay numbers (for CSV and Excel); rates are rounded to 2 places and
    the index to 1. The average is the mean of the forces' rates, as HMIC averages a most similar group.
    """
    at = pd.Timestamp(period)
    rows = indexed[pd.to_datetime(indexed["period_end"]) == at].copy()
    rows["rank"] = rows["rate_per_1000"].rank(method="min").astype("Int64")
    rows["lead"] = rows["area"] != force
    rows = rows.sort_values(["lead", "rate_per_1000", "area"])
    notes = notes or {}
    caveat = ("" if brk is None or brk.like_for_like(base_period, period)
              else f"Not like for like ({brk.from_month:%B %Y} definition change)")
    table = pd.DataFrame({
        "Force": rows["area"],
        "12 months ending": at.date(),
        "Offences": rows["offences"].astype("Int64"),
        "Residents": rows["population"].astype("Int64"),
        "Residents: source": [_population_label(b, y) for b, y in zip(rows["basis"], rows["population_year"])],
        "Rate per 1,000 residents": rows["rate_per_1000"].round(2),
        "Base: 12 months ending": pd.Timestamp(base_period).date(),
        "Base rate per 1,000": rows["base_rate_per_1000"].round(2),
        "Index (base = 100)": rows["index"].round(1),
        "Rank by rate (1 = lowest)": rows["rank"],
        "Note": ["; ".join(n for n in (notes.get(area, ""), caveat) if n) for area in rows["area"]],
    })
    if len(rows) > 1:
        mean_rate, mean_base = rows["rate_per_1000"].mean(), rows["base_rate_per_1000"].mean()
        average = {column: None for column in COMPARISON_COLUMNS} | {
            "Force": f"Average of the {len(rows)} forces (unweighted)",
            "12 months ending": at.date(),
            "Rate per 1,000 residents": round(mean_rate, 2),
            "Base: 12 months ending": pd.Timestamp(base_period).date(),
            "Base rate per 1,000": round(mean_base, 2),
            "Index (base = 100)": round(mean_rate / mean_base * INDEX_BASE, 1) if mean_base > 0 else np.nan,
            "Note": caveat,
        }
        table = pd.concat([table, pd.DataFrame([average])], ignore_index=True)
    counts = {"Offences": "Int64", "Residents": "Int64", "Rank by rate (1 = lowest)": "Int64"}
    return table.reset_index(drop=True)[COMPARISON_COLUMNS].astype(counts)


def _population_label(basis, year) -> str:
    """The population's source, with its year unless the source already names it."""
    if pd.isna(basis):
        return ""
    return basis if str(int(year)) in basis else f"{basis} ({int(year)})"


@dataclass
class AnnualChart:
    """The force's non-overlapping annual totals charted with SPC, the break applied as a rebase."""

    points: pd.DataFrame  # month (the year's last day) plus the engine's columns
    result: spc.SpcResult
    rebases: pd.DataFrame  # month, reason


def annual_totals(series: pd.DataFrame, year_end_month: int) -> pd.DataFrame:
    """The 12-month totals ending in one month each year: years that do not overlap."""
    if year_end_month not in YEAR_END_MONTHS:
        raise ValueError(f"a year ends in March, June, September or December, not month {year_end_month}")
    ends = pd.to_datetime(series["period_end"])
    return series[ends.dt.month == year_end_month].sort_values("period_end").reset_index(drop=True)


def annual_control_chart(series: pd.DataFrame, improvement_direction: str, year_end_month: int,
                         brk: SeriesBreak | None = None, options: spc.SpcOptions | None = None) -> AnnualChart:
    """XmR chart of one force's annual totals (series: period_end, offences), rebased at the first year a
    definition change touches, with its reason."""
    annual = annual_totals(series, year_end_month)
    months = list(pd.to_datetime(annual["period_end"]))
    rebases = pd.DataFrame({"month": pd.Series([], dtype="datetime64[ns]"), "reason": pd.Series([], dtype=object)})
    positions: tuple[int, ...] = ()
    if brk is not None:
        positions = rebase_positions(months, [brk.from_month])
        rebases = pd.DataFrame({"month": [months[p] for p in positions], "reason": [brk.short_reason] * len(positions)})
    measure = {"id": "home_office_annual", "chart_kind": "xmr", "unit": "count",
               "improvement_direction": improvement_direction, "target": None}
    values = pd.DataFrame({"value": annual["offences"].astype(float), "denominator": np.nan})
    result, _ = measure_spc(values, measure, positions, options)
    points = result.points.copy()
    points.insert(0, "month", months)
    return AnnualChart(points, result, rebases)
