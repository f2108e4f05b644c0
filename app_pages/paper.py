"""Panel paper: the co-ordinator edits the implications and contact, previews the paper, and downloads it."""
import streamlit as st

import datastore
from components.filters import current_filters
from components.identity import can, current_actor, explain_unavailable
from components.paper import current_key, download, is_made, kept_file, make, saved_settings
from components.writes import attempt
from ingest.paper_settings import FIELDS, default_settings, save_paper_settings
from render.safe_text import plain

filters = current_filters()
st.title("Panel paper")
st.caption(f"{filters.area_name} · {filters.period.label} · the quarterly paper in the Panel's shape: purpose, "
           "recommendation, background, one section per strategic priority, implications, contact and Appendix A "
           "(the Overview's table). The same file as `python -m report`. Choose the area and quarter in the sidebar.")

saved = saved_settings(filters.area_id, filters.period)
settings = default_settings() if saved is None else {key: saved[key] for key in FIELDS}


def settings_form() -> dict | None:
    """The implications and contact, edited by a co-ordinator; the edited text when Save was pressed."""
    with st.form(f"paper-{filters.area_id}-{filters.period.label}"):
        st.caption("Saved with this area and period; every save is a new version. "
                   + ("Not saved yet: the starting text is the seed report's." if saved is None else
                      f"Version {int(saved['version'])}, saved by {plain(saved['saved_by'])}."))
        columns = st.columns(2)
        edited = {key: columns[number % 2].text_area(label, value=settings[key], height=96)
                  for number, (key, (label, _)) in enumerate(FIELDS.items())}
        return edited if st.form_submit_button("Save", type="primary") else None


st.header("Implications and contact")
edited = None
if can("edit the paper"):
    edited = settings_form()
else:
    explain_unavailable("edit the paper")
message = st.empty()
# Drawn before anything slow in this run, in the place of the last run's buttons: while settings are saved and
# the paper is made again, no button for the earlier paper stays on the screen.
downloads = st.empty()
if edited is not None:
    downloads.caption("Saving…")
    attempt(lambda: save_paper_settings(datastore.database_path(), area_id=filters.area_id,
                                        period_start=filters.period.start, period_end=filters.period.end,
                                        settings=edited, actor=current_actor()),
            done_message=lambda version: f"Saved version {version}.", place=message)

key = current_key(filters.area_id, filters.period)
if not is_made(key):
    with downloads.container():
        bar = st.progress(0.0, text="Making the paper: reading the figures")
    make(filters.area_id, filters.period, key,
         progress=lambda fraction, words: bar.progress(min(fraction, 1.0), text=f"Making the paper: {words.lower()}"))

name = f"panel-paper-{filters.area_id}-{filters.period.label.replace(' ', '-').replace('/', '-')}"
with downloads.container():
    left, right = st.columns(2)
    left.download_button("Download PDF (tagged, PDF/UA-1)", download(filters.area_id, filters.period, "pdf"),
                         file_name=f"{name}.pdf", mime="application/pdf", on_click="ignore")
    right.download_button("Download HTML", download(filters.area_id, filters.period, "html"),
                          file_name=f"{name}.html", mime="text/html", on_click="ignore")
    st.caption("Each file is made from the implications and contact saved when you click: "
               + ("the starting text." if saved is None else f"version {int(saved['version'])} now."))
st.header("Preview")
st.caption("The HTML version, with the same content as the PDF: published data only, whoever makes it. Text from the "
           "database is escaped by the typesetter.")
st.iframe(kept_file(key, filters.area_id, filters.period, "html").decode("utf-8"), height=900)
