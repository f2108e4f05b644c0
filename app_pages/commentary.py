"""Commentary: the co-ordinator turns the drafted narrative into published commentary."""
import pandas as pd
import streamlit as st

import datastore
from components.database import query
from components.filters import current_filters, load_options
from components.overview_data import overview_table
from ingest.commentary import save_commentary
from ingest.publish import PublishError

filters = current_filters()
st.title("Commentary")
st.caption(f"{filters.area_name} · {filters.period.label}. Drafted sentences come from the statistics; they stay "
           "drafts until the co-ordinator publishes commentary, which then shows beside the charts.")

published = query("app/published_commentary", priority_id=filters.priority_id, **filters.as_params())
st.header("Published")
if published.empty:
    st.info("No published commentary for this priority, area and period.")
for note in published.itertuples():
    with st.container(border=True):
        st.markdown(f"**{note.priority_id}. {note.priority}** · {note.author} · version {note.version} · "
                    f"{pd.Timestamp(note.updated_at):%-d %B %Y %H:%M}")
        st.write(note.text)

st.header("Write or edit")
priorities = load_options().priorities
priority_id = filters.priority_id or st.selectbox("Priority", list(priorities), format_func=priorities.__getitem__,
                                                  key="commentary_priority")
params = {"priority_id": priority_id, "area_id": filters.area_id, "first": filters.period.start,
          "last": filters.period.end}
versions = query("app/commentary_versions", **params)


starting_text = versions.iloc[0]["text"] if len(versions) else " ".join(
    overview_table(filters.area_id, filters.area_name, filters.period, priority_id)["narrative"])
label = ("Latest saved version" if len(versions) else "Drafted from the statistics (not yet saved)")
with st.form(f"commentary-{priority_id}-{filters.area_id}-{filters.period.label}"):
    text = st.text_area(f"{priorities[priority_id]} · {label}", value=starting_text, height=220)
    author = st.text_input("Your name")
    draft_col, publish_col = st.columns(2)
    save_draft = draft_col.form_submit_button("Save as draft")
    publish_now = publish_col.form_submit_button("Publish", type="primary")
if save_draft or publish_now:
    try:
        version = save_commentary(datastore.database_path(), priority_id=int(priority_id), area_id=filters.area_id,
                                  period_start=filters.period.start, period_end=filters.period.end, text=text,
                                  author=author, status="published" if publish_now else "draft")
    except (ValueError, PublishError) as problem:
        st.error(str(problem))
    else:
        st.success(f"Saved version {version} as {'published' if publish_now else 'a draft'}.")
        st.rerun()

if len(versions):
    st.header("Versions")
    st.dataframe(versions, hide_index=True, width="stretch")
