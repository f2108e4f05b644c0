"""Return templates a partner fills in: for a partner and a run of months, one row per measure, area and
month owed (the returns calendar, analysis/returns_calendar.py), with the measure's and the area's names
beside their ids. The names are for the person filling it in; the checker accepts and ignores them.

Every row is marked 'example' with no figure, so an unedited template is refused rather than loaded
as a month of zeros.
"""
from __future__ import annotations

import io

import pandas as pd

import queries
from analysis import returns_calendar
from core.settings import settings
from ingest.returns import COLUMNS, EXAMPLE_STATUS, SHEET

TEMPLATE_COLUMNS = ["measure_id", "measure_name", "area_id", "area_name", *COLUMNS[2:]]
COLUMN_NOTES = {
    "measure_id": "Measure id from the catalogue, e.g. yjs_first_time_entrants",
    "measure_name": "The measure's name, for reference: not checked, not loaded",
    "area_id": "ONS code of the area, e.g. E23000021 for the force area",
    "area_name": "The area's name, for reference: not checked, not loaded",
    "month": "Month as YYYY-MM",
    "value": "Counts and £m: the figure, in digits (1234 or 1234.5), with no % sign, units or words. "
             "Leave empty for survey rates",
    "numerator": "Survey rates: the number satisfied (or positive)",
    "denominator": "Survey rates: the number asked",
    "status": "published or provisional. The template's rows say 'example': a row still marked so is refused",
    "publish_after": "Provisional rows: the date (YYYY-MM-DD) after which they may be published",
}


def template_frame(measures: pd.DataFrame, areas: pd.DataFrame, partner: str, months: list[pd.Period]) -> pd.DataFrame:
    """One example row per measure, area and month the partner owes, with no figure.

    measures: app/returns_measures rows; areas: app/areas rows (id, name, kind).
    """
    owed = returns_calendar.owed(measures, areas, months, settings().return_due_working_days, partner=partner)
    frame = pd.DataFrame({"measure_id": owed["measure_id"], "measure_name": owed["measure_name"],
                          "area_id": owed["area_id"], "area_name": owed["area_name"], "month": owed["month"]})
    for column in ("value", "numerator", "denominator", "publish_after"):
        frame[column] = ""
    frame["status"] = EXAMPLE_STATUS
    return frame[TEMPLATE_COLUMNS]


def template_from_db(con, partner: str, months: list[pd.Period]) -> pd.DataFrame:
    return template_frame(queries.run(con, "app/returns_measures"), queries.run(con, "app/areas"), partner, months)


def template_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def template_xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=SHEET, index=False)
        notes = pd.DataFrame({"column": list(COLUMN_NOTES), "what to put in it": list(COLUMN_NOTES.values())})
        notes.to_excel(writer, sheet_name="notes", index=False)
    return buffer.getvalue()
