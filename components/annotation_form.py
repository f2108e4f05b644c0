"""The co-ordinator's forms for chart events (annotations): add one, remove one, and the audit of both.

Until sign-in lands, the person is the typed name, as in the rebase and target forms.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

import datastore
from components.credits import credit_column
from components.identity import can, current_actor, explain_unavailable
from components.readers.series import chart_annotation_log
from components.writes import attempt
from core.settings import settings
from ingest.annotations import MAX_TEXT, add_annotation, remove_annotation
from render.safe_text import plain

SCOPES = ("This one", "All", "Choose")


def _scope(label: str, this_id: str, names: dict[str, str], key: str) -> list[str] | None:
    """The ids an event applies to: None for all."""
    scope = st.radio(label, SCOPES, horizontal=True, key=f"{key}-scope",
                     format_func=lambda s: {"This one": f"This one ({names[this_id]})", "All": "All",
                                            "Choose": "Choose…"}[s])
    if scope == "All":
        return None
    if scope == "This one":
        return [this_id]
    return st.multiselect(f"{label}: choose", list(names), default=[this_id], format_func=names.__getitem__,
                          key=f"{key}-chosen")


def _names(ids, names: dict[str, str]) -> str:
    """A stored list of ids in words ("all" for NULL, which DuckDB hands back as None, NaN or NA)."""
    if ids is None or isinstance(ids, float) or ids is pd.NA:
        return "all"
    return ", ".join(names.get(i, i) for i in list(ids))


def add_form(measure_id: str, area_id: str, months: list[str], measures: dict[str, str], areas: dict[str, str]) -> None:
    st.markdown("**Add an event**")
    month = st.selectbox("Month", months, index=len(months) - 1, key="event-month",
                         format_func=lambda m: pd.Period(m, "M").strftime("%B %Y"))
    text = st.text_input(f"Event (up to {MAX_TEXT} characters; the chart shows the first 24, the tooltip all)",
                         max_chars=MAX_TEXT, key="event-text", placeholder="e.g. Coronavirus restrictions begin")
    measure_ids = _scope("Measures", measure_id, measures, "event-measures")
    area_ids = _scope("Areas", area_id, areas, "event-areas")
    reason = st.text_input(f"Why (source or reason, up to {settings().max_reason_chars} characters)",
                           max_chars=settings().max_reason_chars,
                           key="event-reason", placeholder="e.g. Government announcement, 23 March 2020")
    if st.button("Add the event", key="event-add"):
        if measure_ids == [] or area_ids == []:
            st.error("Choose at least one measure and one area, or All.")
            return
        attempt(lambda: add_annotation(datastore.database_path(), month=pd.Period(month, "M").start_time.date(),
                                       text=text, measure_ids=measure_ids, area_ids=area_ids, reason=reason,
                                       actor=current_actor()),
                done_message=f"Event added: {plain(text.strip())} ({pd.Period(month, 'M').strftime('%B %Y')}).")


def remove_form(log: pd.DataFrame) -> None:
    active = log[log["removed_at"].isna()]
    if active.empty:
        return
    st.markdown("**Remove an event**")
    labels = {int(r.id): f"{pd.Timestamp(r.month):%B %Y}: {r.text}" for r in active.itertuples()}
    chosen = st.selectbox("Event", list(labels), format_func=labels.__getitem__, key="event-remove-id")
    reason = st.text_input("Why remove it", max_chars=settings().max_reason_chars, key="event-remove-reason")
    if st.button("Remove the event", key="event-remove"):
        attempt(lambda: remove_annotation(datastore.database_path(), annotation_id=chosen, reason=reason,
                                          actor=current_actor()),
                done_message=f"Event removed: {plain(labels[chosen])}.")


def annotation_forms(measure_id: str, area_id: str, months: list[str], measures: dict[str, str],
                     areas: dict[str, str]) -> None:
    """Add and remove events (co-ordinator), with the log of every event ever added."""
    with st.expander("Events on the charts (co-ordinator)"):
        st.caption("A dated event is drawn on every control chart of the measures and areas it applies to, as a "
                   "labelled vertical line. It never rebases the chart: use a rebase for that.")
        log = chart_annotation_log()
        if can("annotate a chart"):
            add_form(measure_id, area_id, months, measures, areas)
            remove_form(log)
        else:
            explain_unavailable("annotate a chart")
        if not log.empty:
            st.markdown("**Every event, newest first**")
            shown = pd.DataFrame({
                "Month": pd.to_datetime(log["month"]).dt.strftime("%B %Y"), "Event": log["text"],
                "Measures": [_names(ids, measures) for ids in log["measure_ids"]],
                "Areas": [_names(ids, areas) for ids in log["area_ids"]],
                "Added by": credit_column(log["created_by"], "annotate a chart"), "Added": log["created_at"],
                "Why": log["reason"], "Removed by": credit_column(log["removed_by"], "annotate a chart"),
                "Removed": log["removed_at"], "Why removed": log["removal_reason"],
            })
            st.dataframe(shown, hide_index=True, width="stretch")
