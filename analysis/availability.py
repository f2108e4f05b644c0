"""Why a dashboard cell has the value it has, or none: one rule, stated once."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

WITHHELD_STATES = ("provisional", "not yet received", "nationally unavailable", "in development")


@dataclass(frozen=True)
class CellStatus:
    state: str  # complete | partial | no data | provisional | not yet received | nationally unavailable | in development
    reason: str


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def cell_status(*, measure_id, months_with_data: int, months_in_period: int, availability_state=None,
                availability_reason=None, availability_date=None) -> CellStatus:
    """The state of one measure for one area and period, always with a reason in words."""
    if _missing(measure_id):
        return CellStatus(availability_state or "in development",
                          availability_reason or "No measures have been agreed for this priority yet")
    if not _missing(availability_state) and availability_state in WITHHELD_STATES and months_with_data < months_in_period:
        reason = availability_reason
        if availability_state == "provisional" and not _missing(availability_date):
            reason = f"Provisional until {format_date(availability_date)}. {availability_reason}"
        return CellStatus(availability_state, reason)
    if months_with_data == 0:
        return CellStatus("no data", "No data has been received for this area and period")
    if months_with_data < months_in_period:
        return CellStatus("partial", f"Partial period: {months_with_data} of {months_in_period} months have data")
    note = "" if _missing(availability_reason) or availability_state not in (None, "published") else availability_reason
    return CellStatus("complete", note or ("The month has data" if months_in_period == 1 else f"All {months_in_period} months have data"))


def format_date(value) -> str:
    if hasattr(value, "date") and not isinstance(value, date):
        value = value.date()
    return f"{value:%-d %B %Y}"


def format_value(value, unit: str) -> str:
    if _missing(value):
        return "–"
    if unit == "percentage":
        return f"{value:.1f}%"
    if unit == "currency":
        return f"£{value:,.2f}m"
    return f"{value:,.0f}"
