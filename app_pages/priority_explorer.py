"""Priority explorer: one priority's measures for the chosen area and period."""
import altair as alt
import streamlit as st

from components.chrome import source_label
from components.database import query
from components.filters import current_filters

filters = current_filters()
st.title("Priority explorer")
priorities = query("app/priorities").set_index("id")
priority_id = filters.priority_id or int(priorities.index[0])
st.subheader(f"{priority_id}. {priorities.loc[priority_id, 'title']}")
st.caption(f"{filters.area_name} · {filters.period.label}. Choose a priority in the sidebar. "
           "Control charts, comparisons and forecasts are added here as the SPC engine lands.")

measures = query("app/measures")
measures = measures[measures["priority_id"] == priority_id]
if measures.empty:
    st.info("This priority has no measures yet: they are in development with partners.")
for measure in measures.itertuples():
    series = query("app/series", measure_id=measure.id, **filters.as_params())
    st.markdown(f"**{measure.name}** · {source_label(bool(measure.synthetic))} · {measure.partner}")
    if series.empty:
        st.info("No published data for this area and period.")
        continue
    chart = (
        alt.Chart(series, description=f"{measure.name}, {filters.area_name}, {filters.period.label}")
        .mark_line(point=True)
        .encode(x=alt.X("month:T", title="Month"), y=alt.Y("value:Q", title=measure.name),
                tooltip=[alt.Tooltip("month:T", format="%B %Y"), "value:Q"])
    )
    st.altair_chart(chart, width="stretch")
