"""Data: availability, the return templates, loading partner returns and police.uk files,
and the audit of every load (with undo)."""
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import datastore
from components.database import cursor, query
from components.downloads import table_downloads
from components.filters import load_options
from ingest.loading import UndoRefused, undo_submission
from ingest.police_uk import PoliceUkFileError, import_files
from ingest.publish import PublishError
from ingest.returns import ReturnRejected, catalogue_from_db, load_return_file, template_csv, template_frame, template_xlsx

PROBLEMS_LISTED = 50

st.title("Data")
st.caption("Partners send data after their own boards validate it, so some data is not available at a given time. "
           "Loads are checked first: a file with any problem loads nothing. Every load is one step, kept in the "
           "audit below with its SHA-256, and can be undone; values it replaced are kept.")

st.header("Data availability")
availability = query("app/availability")
st.dataframe(availability, hide_index=True, width="stretch")
table_downloads(availability, "data availability", "availability")

with cursor() as cur:
    catalogue = catalogue_from_db(cur)
partners = sorted(catalogue.measures["partner"].unique())
latest_month = str(load_options().last_month)

st.header("Return templates")
st.caption("Columns: measure_id, area_id (ONS code), month (YYYY-MM), value (counts and £m), numerator and "
           "denominator (survey rates, instead of a percentage), status (published or provisional) and "
           "publish_after (YYYY-MM-DD, for provisional rows). See docs/RETURNS.md.")
template_partner = st.selectbox("Partner", partners, key="template_partner")
template = template_frame(catalogue, template_partner, latest_month)
left, right = st.columns(2)
template_name = f"return-template-{template_partner}".replace(" ", "-").replace("/", "-")
left.download_button("Template (CSV)", template_csv(template), f"{template_name}.csv", "text/csv", on_click="ignore")
right.download_button("Template (Excel)", template_xlsx(template), f"{template_name}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")

st.header("Load a partner return")
with st.form("partner-return", clear_on_submit=False):
    partner = st.selectbox("Partner sending the return", partners)
    upload = st.file_uploader("Return file (CSV or XLSX)", type=["csv", "xlsx"])
    loaded_by = st.text_input("Your name (recorded in the audit)")
    check_only = st.checkbox("Check only, do not load")
    submitted = st.form_submit_button("Check and load")
if submitted:
    if upload is None:
        st.error("Choose a file to load.")
    else:
        try:
            result = load_return_file(datastore.database_path(), upload.getvalue(), upload.name, partner=partner,
                                      loaded_by=loaded_by, check_only=check_only)
        except ReturnRejected as rejected:
            shown = rejected.problems[:PROBLEMS_LISTED]
            more = len(rejected.problems) - len(shown)
            st.error(f"**{upload.name} was not loaded; nothing changed.** {len(rejected.problems)} problem(s) to fix:\n\n"
                     + "\n".join(f"- {problem}" for problem in shown)
                     + (f"\n\nand {more} more, in the table below." if more else ""))
            problems = pd.DataFrame([{"Row": p.row, "Column": p.column, "Problem": p.reason} for p in rejected.problems])
            if more:
                st.dataframe(problems, hide_index=True, width="stretch")
            table_downloads(problems, f"problems in {upload.name}", "return-problems")
        except (ValueError, PublishError) as problem:
            st.error(f"{upload.name} was not loaded: {problem}")
        else:
            if check_only:
                st.success(f"{upload.name}: {len(result)} rows, no problems found. Nothing was loaded.")
            else:
                st.success(f"Loaded {upload.name}. {result.summary()}")

st.header("Import police.uk street-level files")
with st.form("police-uk"):
    files = st.file_uploader("Files as published on police.uk (CSV or .csv.gz), one or more months",
                             type=["csv", "gz"], accept_multiple_files=True)
    importer = st.text_input("Your name (recorded in the audit)", key="police_uk_by")
    imported = st.form_submit_button("Import")
if imported:
    if not files:
        st.error("Choose at least one file.")
    else:
        bar = st.progress(0.0, text="Starting")
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for upload in files:
                path = Path(folder) / Path(upload.name).name
                path.write_bytes(upload.getvalue())
                paths.append(path)
            try:
                result = import_files(datastore.database_path(), paths, loaded_by=importer,
                                      progress=lambda fraction, message: bar.progress(min(fraction, 1.0), text=message))
            except (PoliceUkFileError, ValueError, PublishError) as problem:
                st.error(f"Nothing was imported: {problem}")
            else:
                st.success(result.summary())

st.header("Submissions")
st.caption("An audit of every load: who loaded which file, when, its SHA-256 and row counts.")
submissions = query("app/submissions")
st.dataframe(submissions, hide_index=True, width="stretch")
table_downloads(submissions, "submissions", "submissions")
undoable = submissions[~submissions["kind"].isin(["demo", "undo"])]
if not undoable.empty:
    with st.form("undo"):
        chosen = st.selectbox("Undo a load", undoable["id"].tolist(),
                              format_func=lambda i: f"{i}: {undoable.set_index('id').loc[i, 'file_name']}")
        undone_by = st.text_input("Your name (recorded in the audit)", key="undo_by")
        if st.form_submit_button("Undo this load"):
            try:
                result = undo_submission(datastore.database_path(), int(chosen), undone_by=undone_by)
            except (UndoRefused, ValueError, PublishError) as problem:
                st.error(str(problem))
            else:
                st.success(f"Undid submission {chosen}: {result.rows_in_file:,} rows removed and "
                           f"{result.added:,} earlier values restored.")
