"""Commentary: the published narrative for the chosen priority, area and period."""
import streamlit as st

from components.database import query
from components.filters import current_filters

filters = current_filters()
st.title("Commentary")
st.caption(f"{filters.area_name} · {filters.period.label}. Drafting and publishing commentary comes with the narrative work.")
notes = query("app/published_commentary", priority_id=filters.priority_id, **filters.as_params())
if notes.empty:
    st.info("No published commentary for this priority, area and period.")
for note in notes.itertuples():
    with st.container(border=True):
        st.markdown(f"**{note.priority_id}. {note.priority}** · {note.author} · version {note.version}")
        st.write(note.text)
