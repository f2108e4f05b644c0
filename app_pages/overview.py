"""Overview: every priority and measure for the chosen area and period."""
import pandas as pd
import streamlit as st

from analysis.availability import cell_status, format_value
from components.chrome import source_label
from components.database import query
from components.filters import current_filters

filters = current_filters()
st.title("Overview")
st.caption(f"{filters.area_name} · {filters.period.label} · all 18 strategic priorities of the Police and Crime Plan")

rows = query("app/overview", priority_id=filters.priority_id, **filters.as_params())
months_in_period = len(filters.period.months)


def describe(row) -> dict:
    status = cell_status(
        measure_id=row.measure_id, months_with_data=row.months_with_data, months_in_period=months_in_period,
        availability_state=row.availability_state, availability_reason=row.availability_reason,
        availability_date=row.availability_date,
    )
    return {
        "Priority": f"{row.priority_id}. {row.priority}",
        "Measure": row.measure if isinstance(row.measure, str) else "Measures in development",
        "Source": "" if not isinstance(row.measure_id, str) else source_label(bool(row.synthetic)),
        f"{filters.period.label}": format_value(row.period_value, row.unit) if status.state in ("complete", "partial") else "–",
        "Status": status.state,
        "Why": status.reason,
    }


table = pd.DataFrame([describe(row) for row in rows.itertuples()])
st.dataframe(table, hide_index=True, width="stretch", height=min(38 * (len(table) + 1), 1400))
st.caption("Counts are totals over the period; percentages are pooled over the period's responses; "
           "savings are the cumulative figure at the period's latest month. A dash always has its reason beside it.")
