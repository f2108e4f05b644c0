"""The co-ordinator's form to set or clear a measure's target, with the audit of past changes."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import datastore
from components.identity import can, current_actor, explain_unavailable
from components.readers.series import target_changes
from components.writes import attempt
from core.settings import settings
from ingest.targets import set_target


def target_form(measure) -> None:
    """measure: the catalogue row (id, name, unit, target)."""
    current = None if pd.isna(measure.target) else float(measure.target)
    with st.expander(f"Target: {'none set' if current is None else f'{current:g}'} (co-ordinator can change it)"):
        if not can("set a target"):
            explain_unavailable("set a target")
            return
        with st.form(f"target-{measure.id}"):
            clear = st.checkbox("No target (rate by SPC alone)", value=current is None)
            value = st.number_input(f"Target ({'%' if measure.unit == 'percentage' else measure.unit})",
                                    value=current if current is not None else 0.0, step=1.0)
            reason = st.text_input(f"Reason (up to {settings().max_reason_chars} characters)", max_chars=settings().max_reason_chars,
                                   placeholder="e.g. agreed by the Strategic Partnership Board, June 2022")
            if st.form_submit_button("Save the target"):
                attempt(lambda: set_target(datastore.database_path(), measure_id=measure.id,
                                           target=None if clear else float(value), reason=reason,
                                           actor=current_actor()),
                        done_message="Target saved; every page uses it from now on.")
        history = target_changes(measure.id)
        if not history.empty:
            st.caption("Changes, newest first")
            st.dataframe(history.rename(columns={"old_target": "From", "new_target": "To", "reason": "Reason",
                                                 "changed_by": "By", "changed_at": "When"}),
                         hide_index=True, width="stretch")
