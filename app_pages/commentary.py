"""Commentary: published commentary for the area and period; a co-ordinator drafts, publishes and
compares versions, for a priority or one of its measures. Two editors never overwrite each other."""
import difflib

import streamlit as st

import datastore
from analysis.availability import format_date
from analysis.rag import SMALL_SAMPLE
from components.chrome import end_page
from components.commentary_view import show_published
from components.database import query
from components.filters import current_filters, load_options
from components.identity import can, current_actor, explain_unavailable
from components.overview_data import overview_table
from components.safe_text import plain
from ingest.commentary import CommentaryConflict, save_commentary
from ingest.errors import LoadRefused

CONFLICT = "commentary_conflict"

filters = current_filters()
st.title("Commentary")
st.caption(f"{filters.area_name} · {filters.period.label}. Commentary is written for one area and one period and "
           "shows only there, labelled with its period. Drafted sentences come from the statistics; they stay "
           "drafts until a co-ordinator publishes commentary.")

st.header(f"Published for {filters.period.label}")
published = query("app/published_commentary", priority_id=filters.priority_id, **filters.as_params())
if published.empty:
    st.info(f"No published commentary for {filters.area_name}, {filters.period.label}"
            + ("" if filters.priority_id is None else " and this priority") + ".")
show_published(published, filters.period.label)

st.header("Write or edit")
if not can("write commentary"):
    explain_unavailable("write commentary")
    end_page()

priorities = load_options().priorities
priority_id = filters.priority_id or st.selectbox("Priority", list(priorities), format_func=priorities.__getitem__,
                                                  key="commentary_priority")
measures = query("app/measures")
measures = dict(zip(*measures[measures["priority_id"] == priority_id][["id", "name"]].T.values))
measure_id = st.selectbox("About", [None, *measures], key=f"commentary_measure_{priority_id}",
                          format_func=lambda m: "The priority as a whole" if m is None else measures[m])
key = {"priority_id": priority_id, "measure_id": measure_id, "area_id": filters.area_id,
       "first": filters.period.start, "last": filters.period.end}
versions = query("app/commentary_versions", **key)
latest = None if versions.empty else int(versions.iloc[0]["version"])

if len(versions):
    starting_text, label = versions.iloc[0]["text"], f"Version {latest} ({versions.iloc[0]['status']})"
else:
    # Drafted from what the public sees, whoever is signed in: a draft is for publication, so a provisional
    # figure must not be in it until it is released.
    drafts = overview_table(filters.area_id, filters.area_name, filters.period, priority_id, SMALL_SAMPLE, public=True)
    if measure_id is not None:
        drafts = drafts[drafts["measure_id"] == measure_id]
    starting_text, label = " ".join(drafts["narrative"]), "Drafted from the published statistics (not yet saved)"
held_back = query("app/provisional_in_period", priority_id=priority_id, measure_id=measure_id, **filters.as_params())
if len(held_back):
    st.info("Provisional figures are left out of drafts until they are released:\n"
            + "\n".join(f"- {plain(row.measure)}: provisional until {format_date(row.publish_after)}; not in the draft"
                        for row in held_back.itertuples()))

conflict = st.session_state.get(CONFLICT)
if conflict and conflict["key"] == key:
    newer = conflict["newer"]
    st.error(plain(conflict["message"]))
    st.markdown(f"**Their version {int(newer['version'])}** ({plain(newer['author'])}):")
    st.text(newer["text"])
    st.markdown("**The difference, theirs against yours:**")
    st.code("\n".join(difflib.unified_diff(str(newer["text"]).splitlines(), conflict["text"].splitlines(),
                                           "theirs", "yours", lineterm="")) or "(no difference)", language="diff")

form_key = f"commentary-{priority_id}-{measure_id}-{filters.area_id}-{filters.period.label}"
based_key = f"{form_key}-based-on"
started_from = st.session_state.get(based_key, latest)  # the version this editor saw when they began
text_key, loaded_key = f"{form_key}-text", f"{form_key}-loaded"
if text_key not in st.session_state or st.session_state[text_key] == st.session_state.get(loaded_key):
    # The box shows the latest text unless the editor has changed it: their words are never replaced.
    st.session_state[text_key] = st.session_state[loaded_key] = starting_text
with st.form(form_key):
    st.caption(f"{priorities[priority_id]}" + (f" · {measures[measure_id]}" if measure_id else "") + f" · {label}")
    text = st.text_area("Commentary", key=text_key, height=220, max_chars=5000)
    st.caption(f"Saved as {plain(current_actor().identity)}, for {filters.area_name}, {filters.period.label}.")
    draft_col, publish_col = st.columns(2)
    save_draft = draft_col.form_submit_button("Save as draft")
    publish_now = publish_col.form_submit_button("Publish", type="primary")
if save_draft or publish_now:
    try:
        version = save_commentary(
            datastore.database_path(), priority_id=int(priority_id), measure_id=measure_id, area_id=filters.area_id,
            period_start=filters.period.start, period_end=filters.period.end, text=text,
            status="published" if publish_now else "draft", actor=current_actor(),
            based_on_version=started_from)
    except CommentaryConflict as clash:
        st.session_state[CONFLICT] = {"key": key, "message": clash.message, "newer": clash.newer, "text": text}
        st.session_state[based_key] = int(clash.newer["version"])  # saving again means: I have seen theirs
        st.rerun()
    except LoadRefused as refused:
        st.error(plain(refused.message))
    else:
        st.session_state.pop(CONFLICT, None)
        st.session_state[based_key] = version
        st.success(f"Saved version {version} as {'published' if publish_now else 'a draft'}.")
        st.rerun()
elif not (conflict and conflict["key"] == key):
    st.session_state[based_key] = latest  # not saving: the editor now sees the latest version

if len(versions):
    st.header("Versions")
    st.dataframe(versions, hide_index=True, width="stretch")
    if len(versions) > 1:
        numbers = versions["version"].tolist()
        left, right = st.columns(2)
        older = left.selectbox("Compare version", numbers[1:], key=f"{form_key}-older")
        newer = right.selectbox("with version", numbers[:1] + [n for n in numbers[1:] if n > older],
                                key=f"{form_key}-newer")
        texts = versions.set_index("version")["text"]
        st.code("\n".join(difflib.unified_diff(str(texts[older]).splitlines(), str(texts[newer]).splitlines(),
                                               f"version {older}", f"version {newer}", lineterm=""))
                or "(no difference)", language="diff")
