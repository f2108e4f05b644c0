"""Returns: for a quarter, each partner's returns as received (when, by whom), due (with the date), late or
not expected, with the reason for anything not available; a co-ordinator sets or clears that reason here
(or with `python -m ingest availability`), audited. The calendar is analysis/returns_calendar.py."""
import pandas as pd
import streamlit as st

import datastore
from analysis import calendar, returns_calendar
from components.chrome import end_page
from components.connection import clock_now
from components.credits import credit
from components.downloads import table_downloads
from components.filters import current_filters, load_options
from components.identity import can, current_actor, explain_unavailable
from components.readers import catalogue, partner_data
from components.writes import attempt
from core.settings import settings
from ingest.availability import STATES, set_availability
from render.safe_text import plain

SAVED = "returns_saved"
DAY, MOMENT = "D MMMM YYYY", "D MMMM YYYY, HH:mm"
STATUS_WORDS = {returns_calendar.RECEIVED: "Received", returns_calendar.DUE: "Due",
                returns_calendar.LATE: "Late", returns_calendar.NOT_EXPECTED: "Not expected"}
RETURN_COLUMNS = {
    "partner": "Partner", "month": "Month", "due": st.column_config.DateColumn("Due", format=DAY),
    "status": "Status", "rows": "Rows received", "received_at": st.column_config.DatetimeColumn("Received", format=MOMENT),
    "received_by": "By", "not_available": "Not available"}
CHANGE_COLUMNS = {
    "changed_at": st.column_config.DatetimeColumn("Changed", format=MOMENT), "changed_by": "By", "measure": "Measure",
    "area": "Area", "period_start": st.column_config.DateColumn("From", format="MMMM YYYY"),
    "period_end": st.column_config.DateColumn("To", format="MMMM YYYY"), "state": "State", "reason": "Reason",
    "replaced": "Replaced"}
WORKING_DAYS = settings().return_due_working_days

st.title("Returns")
st.caption(f"What each partner owes: one row per measure, area and month, due {WORKING_DAYS} working days (not "
           "counting weekends and England and Wales bank holidays) after the month ends. A return is received when "
           "every row it owes is held; late when its due date has passed without them; not expected when its data "
           "is nationally unavailable or in development.")
if not can("see the returns calendar"):
    explain_unavailable("see the returns calendar")
    end_page()

today = clock_now().date()
options = load_options()
last_ended = max(returns_calendar.latest_ended_month(today), options.first_month)
quarters = list(reversed(calendar.quarters_between(options.first_month, last_ended)))
labels = [q.label for q in quarters]
sidebar = calendar.quarter_of(current_filters().period.last).label
quarter = quarters[st.selectbox("Quarter", range(len(quarters)), format_func=labels.__getitem__, key="returns_quarter",
                                index=labels.index(sidebar) if sidebar in labels else 0)]
window = {"first": quarter.start, "last": quarter.end}

cells = returns_calendar.owed(partner_data.returns_measures(), catalogue.areas(), quarter.months, WORKING_DAYS)
status = returns_calendar.cell_status(cells, partner_data.returns_held(**window), partner_data.returns_notes(**window), today)
returns = returns_calendar.partner_returns(status)
counts = returns["status"].value_counts()
st.markdown(f"**{quarter.label}**, as at {today:%-d %B %Y}: " + ", ".join(
    f"{int(counts.get(key, 0))} {words.lower()}" for key, words in STATUS_WORDS.items()) + " (partner returns, a month each).")

shown = returns.assign(
    month=[calendar.month_label(calendar.month(m)) for m in returns["month"]],
    status=[STATUS_WORDS[s] + (f": {late:,} rows missing" if s == returns_calendar.LATE else "")
            for s, late in zip(returns["status"], returns["late_rows"])],
    rows=[f"{got:,} of {owed:,}" for got, owed in zip(returns["rows_received"], returns["rows_owed"])],
    received_by=[credit(who, "load data") for who in returns["received_by"]],
)[list(RETURN_COLUMNS)]
st.dataframe(shown, hide_index=True, width="stretch", column_config=RETURN_COLUMNS)
table_downloads(shown, f"returns {quarter.label}", "returns", context={"Quarter": quarter.label,
                                                                       "As at": f"{today:%-d %B %Y}"})

partners = list(dict.fromkeys(returns["partner"]))
chosen_partner = st.selectbox("A partner's returns by measure", partners, key="returns_partner")
detail = returns_calendar.measure_returns(status[status["partner"] == chosen_partner])
st.dataframe(detail.assign(
    month=[calendar.month_label(calendar.month(m)) for m in detail["month"]],
    status=[STATUS_WORDS[s] for s in detail["status"]],
    rows=[f"{got:,} of {owed:,}" for got, owed in zip(detail["rows_received"], detail["rows_owed"])],
)[["measure", "month", "due", "status", "rows", "received_at", "not_available"]], hide_index=True, width="stretch",
    column_config={"measure": "Measure", **{k: RETURN_COLUMNS[k] for k in ("month", "due", "status", "rows",
                                                                           "received_at", "not_available")}})

st.header("Why data is not available")
st.caption("The reason shows wherever the figure is missing: the Overview's data note, Panel mode and the paper. "
           "It covers one measure, for one area or every area, over a run of months; it replaces any reason it "
           "overlaps for that measure and area. Every change is kept below with who made it and when.")
saved = st.session_state.pop(SAVED, None)
if saved:
    st.success(plain(saved))
if can("edit availability"):
    measures = returns_calendar.returned_measures(partner_data.returns_measures())
    names = dict(zip(measures["id"], measures["name"]))
    areas = catalogue.areas()
    area_names = {None: "Every area", **dict(zip(areas["id"], areas["name"]))}
    months = [str(m) for m in pd.period_range(options.first_month, max(options.last_month, quarter.last), freq="M")]
    with st.form("availability"):
        measure_id = st.selectbox("Measure", list(names), format_func=names.__getitem__)
        area_id = st.selectbox("Area", list(area_names), format_func=area_names.__getitem__)
        left, right = st.columns(2)
        first = left.selectbox("From", months, index=months.index(str(quarter.first)))
        last = right.selectbox("To", months, index=months.index(str(quarter.last)))
        state = st.selectbox("State", STATES, help="Not yet received: still owed (late once due). Nationally "
                             "unavailable or in development: not expected.")
        reason = st.text_input("Reason", max_chars=settings().max_reason_chars)
        save, clear = st.columns(2)
        asked_save = save.form_submit_button("Save the reason", type="primary")
        asked_clear = clear.form_submit_button("Clear the reason for these months")
    if asked_save or asked_clear:
        what = "Cleared the reason" if asked_clear else f"Saved: not available: {reason.strip()}"
        attempt(lambda: set_availability(datastore.database_path(), measure_id=measure_id, area_id=area_id,
                                         first=first, last=last, reason=reason, state=state, clear=asked_clear,
                                         actor=current_actor()),
                done_message=f"{what} ({names[measure_id]}, {area_names[area_id]}, {first} to {last}).",
                remember_as=SAVED)
else:
    explain_unavailable("edit availability")

changes = partner_data.availability_changes()
if changes.empty:
    st.caption("No reason has been changed yet.")
else:
    changes = changes.assign(changed_by=[credit(who, "edit availability") for who in changes["changed_by"]])
    st.dataframe(changes, hide_index=True, width="stretch", column_config=CHANGE_COLUMNS)
    table_downloads(changes, "availability changes", "availability-changes")
