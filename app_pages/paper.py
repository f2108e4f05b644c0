"""Panel paper: the co-ordinator edits the implications and contact, previews the paper, and downloads it."""
import streamlit as st

import datastore
from components.database import query
from components.filters import current_filters
from components.identity import can, current_actor, explain_unavailable
from components.paper import paper_file
from components.safe_text import plain
from ingest.errors import LoadRefused
from ingest.paper_settings import FIELDS, default_settings, save_paper_settings

filters = current_filters()
st.title("Panel paper")
st.caption(f"{filters.area_name} · {filters.period.label} · the quarterly paper in the Panel's shape: purpose, "
           "recommendation, background, one section per strategic priority, implications, contact and Appendix A "
           "(the Overview's table). The same file as `python -m report`. Choose the area and quarter in the sidebar.")

saved = query("app/paper_settings", area_id=filters.area_id, first=filters.period.start, last=filters.period.end)
settings = default_settings() if saved.empty else {key: saved.iloc[0][key] for key in FIELDS}


def settings_form() -> None:
    """The implications and contact, edited by a co-ordinator and saved as a new version."""
    with st.form(f"paper-{filters.area_id}-{filters.period.label}"):
        st.caption("Saved with this area and period; every save is a new version. "
                   + ("Not saved yet: the starting text is the seed report's." if saved.empty else
                      f"Version {int(saved.iloc[0]['version'])}, saved by {plain(saved.iloc[0]['saved_by'])}."))
        columns = st.columns(2)
        edited = {key: columns[number % 2].text_area(label, value=settings[key], height=96)
                  for number, (key, (label, _)) in enumerate(FIELDS.items())}
        if st.form_submit_button("Save", type="primary"):
            try:
                version = save_paper_settings(datastore.database_path(), area_id=filters.area_id,
                                              period_start=filters.period.start, period_end=filters.period.end,
                                              settings=edited, actor=current_actor())
            except LoadRefused as problem:
                st.error(plain(problem.message))
            else:
                st.success(f"Saved version {version}.")
                st.rerun()


st.header("Implications and contact")
if can("edit the paper"):
    settings_form()
else:
    explain_unavailable("edit the paper")

name = f"panel-paper-{filters.area_id}-{filters.period.label.replace(' ', '-').replace('/', '-')}"
left, right = st.columns(2)
html = paper_file(filters.area_id, filters.period, "html")
left.download_button("Download PDF (tagged, PDF/UA-1)", paper_file(filters.area_id, filters.period, "pdf"),
                     file_name=f"{name}.pdf", mime="application/pdf", on_click="ignore")
right.download_button("Download HTML", html, file_name=f"{name}.html", mime="text/html", on_click="ignore")
st.header("Preview")
st.caption("The HTML version, with the same content as the PDF: published data only, whoever makes it. Text from the "
           "database is escaped by the typesetter.")
st.iframe(html.decode("utf-8"), height=900)
