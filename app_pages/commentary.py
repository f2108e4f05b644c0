"""Commentary: published commentary for the area and period; a co-ordinator drafts, publishes and
compares versions, for a priority or one of its measures. Two editors never overwrite each other."""
import difflib

import streamlit as st

import datastore
from analysis.availability import format_date
from analysis.rag import SMALL_SAMPLE
from components.chrome import end_page
from components.commentary_view import show_published
from components.filters import current_filters, load_options
from components.identity import can, current_actor, explain_unavailable
from components.overview_data import overview_table
from components.readers import catalogue
from components.readers.commentary import commentary_versions, provisional_in_period, published_commentary
from components.writes import attempt
from ingest.commentary import CommentaryConflict, save_commentary
from render.safe_text import plain

CONFLICT = "commentary_conflict"
TYPED = "commentary_typed"  # the editor's unsaved words per item (form key)


def untouched_draft(text: str, machine_draft: str) -> bool:
    """The text is the machine-drafted one, word for word (spacing aside): publishing it needs a confirmation."""
    return bool(machine_draft.strip()) and text.split() == machine_draft.split()

filters = current_filters()
st.title("Commentary")
st.caption(f"{filters.area_name} · {filters.period.label}. Commentary is written for one area and one period and "
           "shows only there, labelled with its period. Drafted sentences come from the statistics; they stay "
           "drafts until a co-ordinator publishes commentary.")

st.header(f"Published for {filters.period.label}")
published = published_commentary(area_id=filters.area_id, period=filters.period, priority_id=filters.priority_id)
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
measures = catalogue.measures()
measures = dict(zip(*measures[measures["priority_id"] == priority_id][["id", "name"]].T.values))
measure_id = st.selectbox("About", [None, *measures], key=f"commentary_measure_{priority_id}",
                          format_func=lambda m: "The priority as a whole" if m is None else measures[m])
key = {"priority_id": priority_id, "measure_id": measure_id, "area_id": filters.area_id,
       "first": filters.period.start, "last": filters.period.end}
versions = commentary_versions(priority_id=priority_id, measure_id=measure_id, area_id=filters.area_id, period=filters.period)
latest = None if versions.empty else int(versions.iloc[0]["version"])

# Drafted from what the public sees, whoever is signed in: a draft is for publication, so a provisional
# figure must not be in it until it is released.
drafts = overview_table(filters.area_id, filters.area_name, filters.period, priority_id, SMALL_SAMPLE, public=True)
if measure_id is not None:
    drafts = drafts[drafts["measure_id"] == measure_id]
machine_draft = " ".join(drafts["narrative"])
if len(versions):
    starting_text, label = versions.iloc[0]["text"], f"Version {latest} ({versions.iloc[0]['status']})"
else:
    starting_text, label = machine_draft, "Drafted from the published statistics (not yet saved)"
held_back = provisional_in_period(priority_id=priority_id, measure_id=measure_id, area_id=filters.area_id,
                                 period=filters.period)
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
text_key, loaded_key, confirm_key = f"{form_key}-text", f"{form_key}-loaded", f"{form_key}-confirm"
# Typed text per item, kept in session state: a box not on the page (another priority, measure or period
# chosen meanwhile) loses its widget state, so its words are restored from here on coming back.
typed = st.session_state.setdefault(TYPED, {})
wanted = typed.get(form_key)
if wanted is None and (text_key not in st.session_state
                       or st.session_state[text_key] == st.session_state.get(loaded_key)):
    # The box shows the latest text unless the editor has changed it: their words are never replaced.
    wanted = st.session_state[loaded_key] = starting_text
if wanted is not None and st.session_state.get(text_key) != wanted:
    st.session_state[text_key] = wanted  # set only when it differs, so a rerun never resets what the box shows


def remember_typed(form_key: str, text_key: str, loaded_key: str) -> None:
    """Keep the editor's words for this item; forget them once they are back to what was loaded."""
    text = st.session_state[text_key]
    if text == st.session_state.get(loaded_key):
        st.session_state[TYPED].pop(form_key, None)
    else:
        st.session_state[TYPED][form_key] = text


st.caption(plain(f"{priorities[priority_id]}" + (f" · {measures[measure_id]}" if measure_id else "") + f" · {label}"))
# Not in a form: a form's text reaches the server only when it is submitted, so words typed before choosing
# another item were lost. Outside one, the box sends its text when it loses focus.
text = st.text_area("Commentary", key=text_key, height=220, max_chars=5000, on_change=remember_typed,
                    args=(form_key, text_key, loaded_key))
st.caption(f"Saved as {plain(current_actor().identity)}, for {filters.area_name}, {filters.period.label}.")
draft_col, publish_col = st.columns(2)
save_draft = draft_col.button("Save as draft", key=f"{form_key}-save")
publish_now = publish_col.button("Publish", type="primary", key=f"{form_key}-publish")
if publish_now and untouched_draft(text, machine_draft):
    st.session_state[confirm_key] = text  # published only once the editor confirms, below
    publish_now = False
if st.session_state.get(confirm_key) is not None:
    if st.session_state[confirm_key] != text:
        st.session_state.pop(confirm_key)  # edited since: that text is no longer the untouched draft
    else:
        st.warning("Publish the machine-drafted text unchanged? It has not been edited since it was drafted from "
                   "the statistics; once published, the public and the Panel see it as the co-ordinator's commentary.")
        yes_col, no_col = st.columns(2)
        publish_now = yes_col.button("Yes, publish it unchanged", key=f"{form_key}-confirm-yes")
        if no_col.button("No, let me edit it", key=f"{form_key}-confirm-no"):
            st.session_state.pop(confirm_key)
            st.rerun()  # the question goes; the text stays in the box
        if publish_now:
            st.session_state.pop(confirm_key)
if save_draft or publish_now:
    def saved(version: int) -> None:
        st.session_state.pop(CONFLICT, None)
        typed.pop(form_key, None)  # saved: the box now loads the saved version
        st.session_state[based_key] = version

    try:
        attempt(lambda: save_commentary(
                    datastore.database_path(), priority_id=int(priority_id), measure_id=measure_id,
                    area_id=filters.area_id, period_start=filters.period.start, period_end=filters.period.end,
                    text=text, status="published" if publish_now else "draft", actor=current_actor(),
                    based_on_version=started_from),
                then=saved, passes=(CommentaryConflict,),
                done_message=lambda version: f"Saved version {version} as {'published' if publish_now else 'a draft'}.")
    except CommentaryConflict as clash:
        st.session_state[CONFLICT] = {"key": key, "message": clash.message, "newer": clash.newer, "text": text}
        st.session_state[based_key] = int(clash.newer["version"])  # saving again means: I have seen theirs
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
