"""Priority explorer: one priority's measures, each as a control chart, for the chosen area and period."""
import pandas as pd
import streamlit as st

import datastore
from analysis.series import chart_series
from components.chrome import source_label
from components.control_chart import chart_frame, control_chart, describe
from components.database import connection, query
from components.filters import current_filters
from components.spc_icons import icons_html
from ingest.rebases import add_rebase

filters = current_filters()
st.title("Priority explorer")
priorities = query("app/priorities").set_index("id")
priority_id = filters.priority_id or int(priorities.index[0])
st.subheader(f"{priority_id}. {priorities.loc[priority_id, 'title']}")
st.caption(f"{filters.area_name} · {filters.period.label} (shaded) · control charts show every month up to the "
           "period's end, so the limits rest on the whole history. Choose a priority in the sidebar.")
show_near = st.toggle("Show 2-sigma near limits", key="near_limits")

measures = query("app/measures")
measures = measures[measures["priority_id"] == priority_id]
if measures.empty:
    st.info("This priority has no measures yet: they are in development with partners.")

period_start, period_end = pd.Timestamp(filters.period.start), pd.Timestamp(filters.period.end)
for measure in measures.itertuples():
    st.markdown(f"#### {measure.name}")
    st.caption(f"{source_label(bool(measure.synthetic))} · {measure.partner} · improvement is "
               f"{'higher' if measure.improvement_direction == 'increase' else 'lower' if measure.improvement_direction == 'decrease' else 'neither higher nor lower'}")
    try:
        charted = chart_series(connection().cursor(), measure.id, filters.area_id, last=filters.period.end)
    except LookupError:
        st.info("No published data for this area up to the end of the period.")
        continue
    frame = chart_frame(charted.points)
    description = describe(measure.name, filters.area_name, frame)
    target = None if pd.isna(measure.target) else float(measure.target)
    chart = control_chart(frame, title=measure.name, description=description, target=target, rebases=charted.rebases,
                          show_near_limits=show_near, highlight=(period_start, period_end),
                          y_title="%" if measure.unit == "percentage" else measure.unit)
    st.altair_chart(chart, width="stretch")
    st.markdown(icons_html(charted.result.variation_icon, charted.result.assurance_icon,
                           provisional=charted.result.trial_limits), unsafe_allow_html=True)
    st.caption(description + (f" {charted.result.chart} chart." if charted.result.chart != "xmr" else " XmR chart."))

    with st.expander("Rebase this chart"):
        with st.form(f"rebase-{measure.id}"):
            months = [m.strftime("%Y-%m") for m in frame["month"]][1:]
            month = st.selectbox("New segment starts in", months, index=len(months) - 1)
            reason = st.text_input("Reason (shown on the chart)", placeholder="e.g. change in recording practice")
            author = st.text_input("Your name")
            if st.form_submit_button("Rebase"):
                try:
                    add_rebase(datastore.database_path(), measure_id=measure.id, area_id=filters.area_id,
                               month=pd.Period(month, "M").start_time.date(), reason=reason, created_by=author)
                except ValueError as problem:
                    st.error(str(problem))
                else:
                    st.success(f"Rebased from {month}. The chart now starts a new segment there.")
                    st.rerun()
