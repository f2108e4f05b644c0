"""Why a dashboard cell has the value it has, or none: one rule, stated once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from analysis.formatting import is_missing

WITHHELD_STATES = ("provisional", "not yet received", "nationally unavailable", "in development")
# States a co-ordinator records with a reason (the Returns page, `python -m ingest availability`): the figure is not
# available, and the reason says why; the state itself is for the returns calendar, not the reader.
UNAVAILABLE_STATES = ("not yet received", "nationally unavailable", "in development")
NOT_AVAILABLE = "not available"
FORCE_WIDE = "force-wide"


@dataclass(frozen=True)
class CellStatus:
    # complete | partial | no data | force-wide | provisional | not yet received | nationally unavailable | in development
    state: str
    reason: str

    @property
    def has_value(self) -> bool:
        return self.state in ("complete", "partial")


def cell_status(*, measure_id, months_with_data: int, months_in_period: int, availability_state=None,
                availability_reason=None, availability_date=None, force_wide: bool = False,
                is_force_area: bool = True) -> CellStatus:
    """The state of one measure for one area and period, always with a reason in words."""
    if is_missing(measure_id):
        return CellStatus(availability_state or "in development",
                          availability_reason or "No measures have been agreed for this priority yet")
    if force_wide and not is_force_area:
        return CellStatus(FORCE_WIDE, "Reported for the force area as a whole, not by area: choose the force area "
                                      "to see it.")
    if not is_missing(availability_state) and availability_state in WITHHELD_STATES and months_with_data < months_in_period:
        reason = availability_reason
        if availability_state == "provisional" and not is_missing(availability_date):
            reason = f"Provisional until {format_date(availability_date)}. {availability_reason}"
        return CellStatus(availability_state, reason)
    if months_with_data == 0:
        return CellStatus("no data", "No data has been received for this area and period")
    if months_with_data < months_in_period:
        return CellStatus("partial", f"Partial period: {months_with_data} of {months_in_period} months have data")
    note = "" if is_missing(availability_reason) or availability_state not in (None, "published") else availability_reason
    return CellStatus("complete", note or complete_reason(months_in_period))


def complete_reason(months_in_period: int) -> str:
    """The reason of a complete cell with no note of its own: says no more than "complete"."""
    return "The month has data" if months_in_period == 1 else f"All {months_in_period} months have data"


def shown_state(state: str, measure_id: str | None) -> str:
    """A measure's state as the Overview, Panel mode and the paper name it: "not available" for a measure
    whose data is withheld for a recorded reason, not the bare state ("not yet received"); every other
    state as it is. A priority without measures stays "in development"."""
    return NOT_AVAILABLE if state in UNAVAILABLE_STATES and measure_id is not None else state


def data_note(state: str, reason: str, measure_id: str | None) -> str:
    """'not available: <reason>' (or '<state>: <reason>'), as one line of text."""
    return f"{shown_state(state, measure_id)}: {reason}"


def format_date(value) -> str:
    if hasattr(value, "date") and not isinstance(value, date):
        value = value.date()
    return f"{value:%-d %B %Y}"
