"""The returns calendar: which partner owes which measures, for which areas and months, by which date,
and whether each is received, due, late or not expected.

Pure: takes the catalogue, the values held and the data-availability notes as frames, and a date
for today; no Streamlit and no database. The rule for the due date is in core/settings.toml
([returns] due_working_days): a number of working days (Monday to Friday, not an England and Wales
bank holiday) after the end of the period a return covers (the measure's frequency: a month).

A partner owes, for each of its measures that police.uk files do not bring, one row per area and
month: every area but the unallocated ones (a return's rows are stored for the area they name and
never roll up), or the force area alone for a measure reported force-wide.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache

import holidays
import pandas as pd

from analysis import calendar
from analysis.sources import SYNTHETIC_LABEL

RECEIVED, DUE, LATE, NOT_EXPECTED = "received", "due", "late", "not expected"
NOT_EXPECTED_STATES = ("nationally unavailable", "in development")  # a note in these states: nothing is owed
FORCE_KIND, UNALLOCATED_KIND = "force", "unallocated"
# The demo build's rows (submissions.kind 'demo') were made up, not sent: their load time is the build's, a moment
# no partner sent anything. They are shown as received at 09:00 on their due date (or today, if that is earlier),
# and labelled synthetic.
DEMO_KIND = "demo"
SYNTHETIC_RECEIVED_BY = f"{SYNTHETIC_LABEL}: shown as received on its due date"
SYNTHETIC_RECEIVED_AT = time(9, 0)
CELL_COLUMNS = ["partner", "priority_id", "measure_id", "measure_name", "area_id", "area_name", "month", "due"]


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in a year (the `holidays` package's GB, subdivision England)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def working_days_after(day: date, count: int) -> date:
    """The count-th working day after `day` (day itself not counted)."""
    if count < 0:
        raise ValueError(f"a number of working days cannot be negative, not {count}")
    current, left = day, count
    while left:
        current += timedelta(days=1)
        left -= is_working_day(current)
    return current


def period_end(month: pd.Period, frequency: str) -> date:
    """The last day of the reporting period (by the measure's frequency) that the month belongs to."""
    if frequency == "monthly":
        last = month
    elif frequency == "quarterly":
        last = calendar.quarter_of(month).last
    elif frequency == "annual":
        last = calendar.financial_year(calendar.financial_year_start(month)).last
    else:
        raise ValueError(f"the returns calendar knows monthly, quarterly and annual measures, not {frequency!r}")
    return last.end_time.date()


@cache  # the same few months recur for every measure and area owed
def due_date(month: pd.Period, frequency: str, working_days: int) -> date:
    """When the return holding this month is due: working_days after its period ends."""
    return working_days_after(period_end(month, frequency), working_days)


def returned_measures(measures: pd.DataFrame) -> pd.DataFrame:
    """The measures partners send in returns (app/returns_measures): all but those police.uk files bring."""
    return measures[~measures["from_police_uk"].astype(bool)]


def owed(measures: pd.DataFrame, areas: pd.DataFrame, months: list[pd.Period], working_days: int,
         partner: str | None = None) -> pd.DataFrame:
    """One row per partner, measure, area and month owed (CELL_COLUMNS), in catalogue, area and month order.

    measures: app/returns_measures rows; areas: id, name, kind in display order.
    """
    chosen = returned_measures(measures)
    if partner is not None:
        chosen = chosen[chosen["partner"] == partner]
    located = areas[areas["kind"] != UNALLOCATED_KIND]
    rows = []
    for measure in chosen.itertuples():
        measure_areas = located[located["kind"] == FORCE_KIND] if bool(measure.force_wide) else located
        for area in measure_areas.itertuples():
            for month in months:
                rows.append((measure.partner, int(measure.priority_id), measure.id, measure.name, area.id, area.name,
                             str(month), due_date(month, measure.frequency, working_days)))
    return pd.DataFrame(rows, columns=CELL_COLUMNS)


def applicable_notes(cells: pd.DataFrame, notes: pd.DataFrame) -> pd.DataFrame:
    """Each cell's availability note (state, reason), if any: the area's own before one for every area, then
    the latest to start (as the Overview picks them)."""
    if cells.empty or notes.empty:
        return cells.assign(note_state=None, note_reason=None)
    keyed = cells.reset_index(drop=False).rename(columns={"index": "cell"})
    joined = keyed.merge(notes.rename(columns={"area_id": "note_area"}), on="measure_id", how="inner")
    month = pd.to_datetime(joined["month"] + "-01")
    start = pd.to_datetime(joined["period_start"])
    end = pd.to_datetime(joined["period_end"])
    applies = ((joined["note_area"].isna() | (joined["note_area"] == joined["area_id"]))
               & (start <= month) & (end.isna() | (end >= month)))
    joined = joined[applies].assign(for_every_area=lambda f: f["note_area"].isna())
    best = (joined.sort_values(["cell", "for_every_area", "period_start"], ascending=[True, True, False])
            .drop_duplicates("cell").set_index("cell"))
    return cells.assign(note_state=best["state"].reindex(range(len(cells))).to_numpy(),
                        note_reason=best["reason"].reindex(range(len(cells))).to_numpy())


def cell_status(cells: pd.DataFrame, held: pd.DataFrame, notes: pd.DataFrame, today: date) -> pd.DataFrame:
    """The owed cells with what is held (loaded_at, loaded_by), their note and a status: received, not expected
    (a note says the data is nationally unavailable or in development), late (past its due date), or due.

    held: measure_id, area_id, month (a date or YYYY-MM text), loaded_at, loaded_by, and optionally kind (the
    load's: the demo build's synthetic rows get a received time of their own, see DEMO_KIND).
    """
    cells = applicable_notes(cells.reset_index(drop=True), notes)
    got = held.assign(month=pd.to_datetime(held["month"]).dt.strftime("%Y-%m"))
    got = got.assign(kind=got["kind"] if "kind" in got.columns else None)[
        ["measure_id", "area_id", "month", "loaded_at", "loaded_by", "kind"]].drop_duplicates(
        ["measure_id", "area_id", "month"])
    cells = cells.merge(got, on=["measure_id", "area_id", "month"], how="left")
    synthetic = cells["kind"].eq(DEMO_KIND)
    if synthetic.any():
        cells["loaded_at"] = cells["loaded_at"].astype(object)
        cells.loc[synthetic, "loaded_at"] = [pd.Timestamp(datetime.combine(min(due, today), SYNTHETIC_RECEIVED_AT))
                                             for due in cells.loc[synthetic, "due"]]
        cells["loaded_at"] = pd.to_datetime(cells["loaded_at"])
        cells.loc[synthetic, "loaded_by"] = SYNTHETIC_RECEIVED_BY
    cells = cells.drop(columns="kind")
    received = cells["loaded_at"].notna()
    not_expected = ~received & cells["note_state"].isin(NOT_EXPECTED_STATES)
    late = ~received & ~not_expected & (pd.to_datetime(cells["due"]) < pd.Timestamp(today))
    cells["status"] = DUE
    cells.loc[late, "status"] = LATE
    cells.loc[not_expected, "status"] = NOT_EXPECTED
    cells.loc[received, "status"] = RECEIVED
    return cells


def group_status(statuses: pd.Series) -> str:
    """A return's status from its cells': received when all owed are, late when any is late."""
    owed_cells = statuses[statuses != NOT_EXPECTED]
    if owed_cells.empty:
        return NOT_EXPECTED
    if (owed_cells == RECEIVED).all():
        return RECEIVED
    return LATE if (owed_cells == LATE).any() else DUE


def unavailable_reasons(cells: pd.DataFrame) -> str:
    """'Measure: not available: reason' once per measure and reason, for cells not received whose note says the
    data is withheld (a note on published data, such as "benchmark only", is no reason for a missing figure)."""
    missing = cells[(cells["status"] != RECEIVED) & cells["note_reason"].notna() & (cells["note_state"] != "published")]
    pairs = missing[["measure_name", "note_reason"]].drop_duplicates()
    return "; ".join(f"{measure}: not available: {reason}" for measure, reason in pairs.itertuples(index=False))


def partner_returns(cells: pd.DataFrame) -> pd.DataFrame:
    """One row per partner and month (a partner's return): its due date, status, rows received of rows owed,
    when the latest of them was loaded and by whom, and the reason for anything not available."""
    rows = []
    for (partner, month, due), group in cells.groupby(["partner", "month", "due"], sort=False):
        got = group[group["status"] == RECEIVED]
        owed_rows = int((group["status"] != NOT_EXPECTED).sum())
        latest = got.loc[got["loaded_at"].idxmax()] if len(got) else None
        rows.append({
            "partner": partner, "month": month, "due": due, "status": group_status(group["status"]),
            "rows_received": len(got), "rows_owed": owed_rows,
            "late_rows": int((group["status"] == LATE).sum()),
            "received_at": None if latest is None else latest["loaded_at"],
            "received_by": None if latest is None else latest["loaded_by"],
            "not_available": unavailable_reasons(group),
        })
    return pd.DataFrame(rows, columns=["partner", "month", "due", "status", "rows_received", "rows_owed", "late_rows",
                                       "received_at", "received_by", "not_available"])


def measure_returns(cells: pd.DataFrame) -> pd.DataFrame:
    """One row per partner, measure and month, with the same columns as partner_returns plus the measure."""
    rows = []
    for (partner, measure_id, measure, month, due), group in cells.groupby(
            ["partner", "measure_id", "measure_name", "month", "due"], sort=False):
        got = group[group["status"] == RECEIVED]
        rows.append({"partner": partner, "measure_id": measure_id, "measure": measure, "month": month, "due": due,
                     "status": group_status(group["status"]), "rows_received": len(got),
                     "rows_owed": int((group["status"] != NOT_EXPECTED).sum()),
                     "received_at": got["loaded_at"].max() if len(got) else None,
                     "not_available": unavailable_reasons(group)})
    return pd.DataFrame(rows)


def latest_ended_month(today: date) -> pd.Period:
    return pd.Period(today, "M") - 1
