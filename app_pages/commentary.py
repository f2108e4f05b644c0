"""Commentary: the co-ordinator turns the drafted narrative into published commentary."""
import pandas as pd
import streamlit as st

import datastore
from analysis import calendar
from analysis.overview import build_overview
from components.database import current_version, query
from components.filters import current_filters, load_options
from ingest.commentary import save_commentary
from ingest.publish import PublishError

filters = current_filters()
st.title("Commentary")
st.caption(f"{filters.area_name} · {filters.period.label}. Drafted sentences come from the statistics; they stay "
           "drafts until the co-ordinator publishes commentary, which then shows beside the charts.")

published = query("app/published_commentary", priority_id=filters.priority_id, **filters.as_params())
st.subheader("Published")
if published.empty:
    st.info("No published commentary for this priority, area and period.")
for note in published.itertuples():
    with st.container(border=True):
        st.markdown(f"**{note.priority_id}. {note.priority}** · {note.author} · version {note.version} · "
                    f"{pd.Timestamp(note.updated_at):%-d %B %Y %H:%M}")
        st.write(note.text)

st.subheader("Write or edit")
priorities = load_options().priorities
priority_id = filters.priority_id or st.selectbox("Priority", list(priorities), format_func=priorities.__getitem__,
                                                  key="commentary_priority")
params = {"priority_id": priority_id, "area_id": filters.area_id, "first": filters.period.start,
          "last": filters.period.end}
versions = query("app/commentary_versions", **params)


@st.cache_data(max_entries=64, show_spinner=False)
def drafted(version, area_id, area_name, period_key, priority_id):
    period = calendar.Period.from_key(period_key)
    catalogue = query("app/overview", area_id=area_id, first=period.start, last=period.end, priority_id=priority_id)
    series = query("app/area_series", area_id=area_id, last=period.end.replace(year=9999))
    table = build_overview(catalogue, series, period, area_name, query("app/area_rebases", area_id=area_id))
    return " ".join(table["narrative"])


starting_text = versions.iloc[0]["text"] if len(versions) else drafted(
    current_version(), filters.area_id, filters.area_name, filters.period.key, priority_id)
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
    st.subheader("Versions")
    st.dataframe(versions, hide_index=True, width="stretch")
