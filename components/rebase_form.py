"""The rebase controls under a control chart: every rebase in full, a form to add one and a form to remove one.

Reasons are limited in length (settings: max_reason_chars), and the form says so; the chart
shows a shortened label and these captions the whole text.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

import datastore
from components.credits import credit
from components.identity import can, current_actor, explain_unavailable
from components.readers.series import spc_rebases
from components.writes import attempt
from core.settings import settings
from ingest.rebases import add_rebase, remove_rebase
from render.safe_text import plain

LIMITS = settings()


def _stored_rebases(stored: pd.DataFrame) -> None:
    for rebase in stored.itertuples():
        st.caption(plain(f"Rebased from {pd.Timestamp(rebase.month):%B %Y}: {rebase.reason} "
                         f"(by {credit(rebase.created_by, 'rebase a chart')}, {pd.Timestamp(rebase.created_at):%d %B %Y})"))


def rebase_form(measure, frame: pd.DataFrame, area_id: str) -> None:
    stored = spc_rebases(measure.id, area_id)
    _stored_rebases(stored)
    with st.expander("Rebase this chart (co-ordinator)"):
        if not can("rebase a chart"):
            explain_unavailable("rebase a chart")
            return
        with st.form(f"rebase-{measure.id}"):
            months = [m.strftime("%Y-%m") for m in frame["month"]][1:]
            month = st.selectbox("New segment starts in", months, index=len(months) - 1)
            reason = st.text_input(f"Reason (shown on the chart; up to {LIMITS.max_reason_chars} characters)",
                                   max_chars=LIMITS.max_reason_chars, placeholder="e.g. change in recording practice")
            if st.form_submit_button("Rebase"):
                attempt(lambda: add_rebase(datastore.database_path(), measure_id=measure.id, area_id=area_id,
                                           month=pd.Period(month, "M").start_time.date(), reason=reason,
                                           actor=current_actor()),
                        done_message=f"Rebased from {month}.")
        if stored.empty:
            return
        with st.form(f"remove-rebase-{measure.id}"):
            chosen = st.selectbox("Remove the rebase at", [pd.Timestamp(m).strftime("%Y-%m") for m in stored["month"]])
            why = st.text_input(f"Why it is removed (kept in the audit; up to {LIMITS.max_reason_chars} characters)",
                                max_chars=LIMITS.max_reason_chars)
            if st.form_submit_button("Remove this rebase"):
                attempt(lambda: remove_rebase(datastore.database_path(), measure_id=measure.id, area_id=area_id,
                                              month=pd.Period(chosen, "M").start_time.date(), reason=why,
                                              actor=current_actor()),
                        done_message=f"Removed the rebase at {chosen}.")
