"""Data: availability, the return templates, loading partner returns and police.uk files,
the audit of every load (with undo), early publication of provisional data, and roles.
Files are checked in a separate, limited process; a load that replaces values, and every
undo, shows its changes and waits for a confirmation. Everything that changes data needs a
signed-in co-ordinator, recorded as "who"."""
import logging
import math
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import access
import dashboard_data
import datastore
from analysis import calendar, returns_calendar
from components import writes
from components.connection import clock_now, read_the_newest_snapshot
from components.credits import credit_column
from components.database import cursor
from components.downloads import table_downloads
from components.filters import current_filters, load_options
from components.identity import can, current_actor, explain_unavailable
from components.readers import partner_data, roles
from core.errors import LoadRefused, unexpected
from core.settings import MB, settings, size_text
from ingest.loading import NOT_UNDOABLE, ChangesNeedConfirmation, loaded_totals, undo_submission
from ingest.police_uk import check_files, load_checked, loaded_words
from ingest.release import publish_provisional
from ingest.returns import catalogue_from_db, check_return, load_return
from ingest.roles import MAX_PRINCIPAL, grant_role, remove_grant
from ingest.templates import template_csv, template_from_db, template_xlsx
from render.safe_text import plain

PROBLEMS_IN_MESSAGE = 20
PENDING = "data_pending_change"
OUTCOME = "data_outcome"
COMPLETED = "data_completed"  # the kind of the load just done, shown complete after the refresh
CHANGED = "data_what_changed"  # what the load just done changed, in words, shown after the refresh
LIMITS = settings()
LOG = logging.getLogger("dashboard.pages")


text = plain  # uploaders' names and file names are shown as text, never as markdown


def picker_limit_mb(limit_bytes: int) -> int:
    """The file picker's own limit (whole MB), so it says the caption's size rather than the server's 200MB;
    the check after upload still refuses anything over the exact limit, in words."""
    return max(1, math.ceil(limit_bytes / MB))


def show_refusal(refused: LoadRefused) -> None:
    details = refused.details()
    shown = details[:PROBLEMS_IN_MESSAGE]
    st.error(f"**{text(refused.message)}**" + "".join(f"\n- {text(line)}" for line in shown)
             + (f"\n\nAll {len(details):,} listed are in the table below." if len(details) > len(shown) else ""))
    problems = getattr(refused, "problems", None)
    if problems and len(details) > len(shown):
        frame = pd.DataFrame([{"Row": p.row, "Column": p.column, "Problem": p.reason} for p in problems])
        st.dataframe(frame, hide_index=True, width="stretch")
        table_downloads(frame, "problems in the file", "return-problems")


def run_load(kind: str, item, actor: access.Actor, confirmed, progress=None):
    """Load a checked return or police.uk files, or undo a submission (`item` is its id)."""
    db = datastore.database_path()
    if kind == "return":
        return load_return(db, item, actor=actor, confirmed=confirmed)
    if kind == "police.uk":
        return load_checked(db, item, actor=actor, confirmed=confirmed, progress=progress)
    return undo_submission(db, item, actor=actor, confirmed=confirmed)


def done(kind: str, item, result) -> str:
    """What a load did, with its months and the force's figures month by month, to check against the source."""
    if kind == "return":
        with cursor() as cur:
            check = loaded_totals(cur, item.rows["measure_id"], item.rows["month"])
        return f"Loaded {item.file_name}. {result.summary()} {check}"
    if kind == "police.uk":
        with cursor() as cur:
            check = loaded_words(cur, result.months)
        return f"Imported {', '.join(item.names)}. {result.summary()} {check}"
    if kind == "undo":
        removed, restored = result.rows_in_file, result.added
        return (f"Undid the load: {removed:,} row{'s' if removed != 1 else ''} removed and {restored:,} earlier "
                f"value{'s' if restored != 1 else ''} restored.")
    return result.summary()


def attempt(kind: str, check, actor: access.Actor, confirmed=False, progress=None) -> bool:
    """Check (the `check` callable) and load; the outcome is shown by show_outcome(). True once loaded.

    A change that needs confirming is kept for the confirmation box instead.
    """
    st.session_state.pop(PENDING, None)
    try:
        item = check()
        result = run_load(kind, item, actor, confirmed, progress)
    except ChangesNeedConfirmation as asked:
        st.session_state[PENDING] = {"kind": kind, "item": item, "preview": asked.preview}
        st.session_state[OUTCOME] = None
    except LoadRefused as refused:
        st.session_state[OUTCOME] = refused
    except Exception as error:  # the page must answer in words whatever happens, never a traceback
        st.session_state[OUTCOME] = unexpected(error, "The load")
    else:
        read_the_newest_snapshot()
        st.session_state[OUTCOME] = done(kind, item, result)
        st.session_state[COMPLETED] = kind
        st.session_state[CHANGED] = what_changed_by(result.submission_id) if kind in ("return", "police.uk") else None
        return True
    return False


def what_changed_by(submission_id: int) -> tuple[str, list[str]] | None:
    """What the load changed, in words (analysis/what_changed.py): the data just before it against the data now,
    the latest month then against the latest month now, for the sidebar's area; None if that cannot be read."""
    try:
        filters = current_filters()
        with cursor() as cur:
            changed = dashboard_data.changes_by_load(cur, submission_id, area_id=filters.area_id,
                                                     area_name=filters.area_name, now=clock_now(),
                                                     small_sample=filters.small_sample)
        return changed.reference.key, changed.lines()
    except Exception:  # the load is done either way: its summary must not fail for want of this one
        LOG.exception("What changed after load %s could not be read", submission_id)
        return None


def show_what_changed() -> None:
    found = st.session_state.pop(CHANGED, None)
    if found:
        key, lines = found
        st.markdown("**What this load changed**\n" + "".join(f"\n- {text(line)}" for line in lines))
        st.page_link("app_pages/what_changed.py", label="What changed: the whole comparison, as tables",
                     query_params={"since": key})


def loaded_then_refresh(loaded: bool) -> None:
    """After a load, run the page again: the as-at, the sidebar and every table show the new data at once."""
    if loaded:
        st.rerun()


def show_outcome() -> None:
    outcome = st.session_state.pop(OUTCOME, None)
    completed = st.session_state.pop(COMPLETED, None)
    if isinstance(outcome, LoadRefused):
        show_refusal(outcome)
    elif outcome:
        if completed == "police.uk":
            st.progress(1.0, text="Import complete")
        st.success(text(outcome))
        show_what_changed()


def confirm_pending() -> None:
    pending = st.session_state[PENDING]
    # The actor is this run's, never one kept from before: a confirmation is the signed-in co-ordinator's own.
    attempt(pending["kind"], lambda: pending["item"], current_actor(), confirmed=pending["preview"].fingerprint)


def cancel_pending() -> None:
    st.session_state.pop(PENDING, None)
    st.session_state[OUTCOME] = "Nothing was changed."


def check_police_uk(uploads, progress, allow_small: bool = False):
    with tempfile.TemporaryDirectory() as folder:
        # Each upload gets a name of our own: an uploader's name is only ever shown, never used as a path.
        pairs = []
        for number, upload in enumerate(uploads):
            path = Path(folder) / f"upload-{number}{'.csv.gz' if upload.name.endswith('.gz') else '.csv'}"
            path.write_bytes(upload.getvalue())
            pairs.append((path, upload.name))
        return check_files(pairs, progress=progress, allow_small=allow_small)


# Headings in words for the tables read straight from the audit (downloads keep the column names)
MONTH, DAY, MOMENT = "MMMM YYYY", "D MMMM YYYY", "D MMMM YYYY, HH:mm"
PROVISIONAL_COLUMNS = {
    "measure": "Measure", "partner": "Partner", "rows": st.column_config.NumberColumn("Rows held back"),
    "first_month": st.column_config.DateColumn("First month", format=MONTH),
    "last_month": st.column_config.DateColumn("Last month", format=MONTH),
    "publish_after": st.column_config.DateColumn("Public from (09:30)", format=DAY)}
SUBMISSION_COLUMNS = {
    "id": st.column_config.NumberColumn("Load"), "loaded_at": st.column_config.DatetimeColumn("Loaded", format=MOMENT),
    "loaded_by": "By", "kind": "Kind", "partner": "Partner", "file_name": "File", "sha256": "SHA-256",
    "rows_in_file": st.column_config.NumberColumn("Rows in file"),
    "rows_added": st.column_config.NumberColumn("Rows added"),
    "rows_replaced": st.column_config.NumberColumn("Rows replaced")}
GRANT_COLUMNS = {"principal": "E-mail address or group", "kind": "Kind", "role": "Role", "granted_by": "Granted by",
                 "granted_at": st.column_config.DatetimeColumn("Granted", format=MOMENT)}
ROLE_CHANGE_COLUMNS = {"principal": "E-mail address or group", "kind": "Kind", "old_role": "Role before",
                       "new_role": "Role after", "changed_by": "Changed by",
                       "changed_at": st.column_config.DatetimeColumn("Changed", format=MOMENT)}

st.title("Data")
st.caption("Partners send data after their own boards validate it, so some data is not available at a given time. "
           "Loads are checked first: a file with any problem loads nothing. A load that would replace values "
           "already held, and every undo, shows what will change and waits for you to confirm. Every load is kept "
           "in the audit below with its SHA-256, and can be undone; values it replaced are kept.")

show_outcome()  # a load's outcome, after the refresh that shows its data everywhere

st.header("Data availability")
availability = partner_data.availability().rename(columns={
    "priority_id": "Priority", "priority": "Priority name", "measure_id": "Measure id", "measure": "Measure", "area": "Area",
    "state": "State", "reason": "Reason", "period_start": "From", "period_end": "To", "state_date": "Date"}) \
    .fillna({"Measure id": "", "Measure": "(the whole priority)"})
# A Styler so an empty cell shows the Glossary's dash, not the grid's "None"; the dates stay dates.
st.dataframe(availability.style.format({"From": "{:%B %Y}".format, "To": "{:%B %Y}".format,
                                        "Date": lambda day: f"{day.day} {day:%B %Y}"}, na_rep="–"),
             hide_index=True, width="stretch")
st.caption("A dash in 'To' means the state holds until further notice; in 'Date', that none applies.")
table_downloads(availability, "data availability", "availability")

st.header("Provisional data")
provisional = partner_data.provisional_measures()
if provisional.empty:
    st.caption("No data is held back as provisional.")
else:
    st.caption("Validated, and awaiting a partner's board. The public sees it from 09:30 UK time on its "
               "publish-after date, or as soon as a co-ordinator publishes it here once the board has seen it.")
    st.dataframe(provisional.drop(columns=["measure_id"]), hide_index=True, width="stretch",
                 column_config=PROVISIONAL_COLUMNS)
    if can("publish data"):
        with st.form("publish-provisional"):
            names = dict(zip(provisional["measure_id"], provisional["measure"]))
            chosen_measure = st.selectbox("Publish now", list(names), format_func=names.__getitem__)
            if st.form_submit_button("Publish these provisional figures"):
                # shown after the rerun, when the as-at, the sidebar and the tables show it
                writes.attempt(lambda: publish_provisional(datastore.database_path(), measure_id=chosen_measure,
                                                           actor=current_actor()),
                               done_message=lambda result: f"Published {result.rows_in_file:,} rows of "
                                                           f"{names[chosen_measure]}: every viewer sees them from "
                                                           "their next click.",
                               remember_as=OUTCOME)
    else:
        explain_unavailable("publish data")

with cursor() as cur:
    catalogue = catalogue_from_db(cur)
partners = sorted(catalogue.measures["partner"].unique())

st.header("Return templates")
st.caption("One row per measure, area and month the partner owes for the period (see the Returns page), with the "
           "measure's and area's names beside their ids. Columns: measure_id, area_id (ONS code), month (YYYY-MM), "
           "value (counts and £m, in digits with no % sign), numerator and denominator (survey rates, instead of a "
           "percentage), status (published or provisional) and publish_after (YYYY-MM-DD, for provisional rows). "
           "Each row is marked 'example' and has no figure: put in the figures and set the status, or the row is "
           "refused. See docs/RETURNS.md.")
owing = sorted(returns_calendar.returned_measures(partner_data.returns_measures())["partner"].unique())
template_partner = st.selectbox("Partner", owing, key="template_partner")
template_quarters = list(reversed(calendar.quarters_between(
    load_options().first_month, returns_calendar.latest_ended_month(clock_now().date()))))
sidebar_quarter = calendar.quarter_of(current_filters().period.last).label
quarter_labels = [q.label for q in template_quarters]
template_kind = st.radio("Period", ["Quarter", "Months"], horizontal=True, key="template_kind")
if template_kind == "Quarter":
    template_period = template_quarters[st.selectbox(
        "Quarter", range(len(quarter_labels)), format_func=quarter_labels.__getitem__, key="template_quarter",
        index=quarter_labels.index(sidebar_quarter) if sidebar_quarter in quarter_labels else 0)]
else:
    template_months = [str(m) for q in reversed(template_quarters) for m in q.months]
    first_pick, last_pick = st.columns(2)
    template_period = calendar.month_range(
        calendar.month(first_pick.selectbox("From", template_months, index=len(template_months) - 1,
                                            key="template_from")),
        calendar.month(last_pick.selectbox("To", template_months, index=len(template_months) - 1, key="template_to")))
with cursor() as cur:
    template = template_from_db(cur, template_partner, template_period.months)
template_counts = {"measure": template["measure_id"].nunique(), "area": template["area_id"].nunique(),
                   "month": len(template_period.months)}
st.caption(f"{len(template):,} rows for {template_period.label}: "
           + ", ".join(f"{n} {what}{'' if n == 1 else 's'}" for what, n in template_counts.items()) + ".")
left, right = st.columns(2)
template_name = (f"return-template-{template_partner}-{template_period.first}-to-{template_period.last}"
                 .replace(" ", "-").replace("/", "-"))
# made when clicked: the workbook is rebuilt for nobody on every rerun otherwise
left.download_button("Template (CSV)", lambda: template_csv(template), f"{template_name}.csv", "text/csv",
                     on_click="ignore")
right.download_button("Template (Excel)", lambda: template_xlsx(template), f"{template_name}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")

coordinator = can("load data")

st.header("Load a partner return")
st.caption(f"Up to {size_text(LIMITS.return_max_bytes)} and {LIMITS.return_max_rows:,} rows; months from "
           f"{LIMITS.first_month} to the current month.")
if coordinator:
    with st.form("partner-return", clear_on_submit=False):
        partner = st.selectbox("Partner sending the return", partners)
        upload = st.file_uploader("Return file (CSV or XLSX)", type=["csv", "xlsx"],
                                  max_upload_size=picker_limit_mb(LIMITS.return_max_bytes))
        check_only = st.checkbox("Check only, do not load")
        submitted = st.form_submit_button("Check and load")
else:
    explain_unavailable("load data")
    submitted = False
if submitted:
    if upload is None:
        st.error("Choose a file to load.")
    elif check_only:
        try:
            checked = check_return(datastore.database_path(), upload.getvalue(), upload.name, partner=partner)
        except LoadRefused as refused:
            show_refusal(refused)
        except Exception as error:  # as in attempt(): words, never a traceback
            st.error(unexpected(error, "The check").message)
        else:
            st.success(text(f"{checked.file_name}: {len(checked.rows):,} rows, no problems found. Nothing was loaded."))
    else:
        loaded_then_refresh(attempt("return", lambda: check_return(datastore.database_path(), upload.getvalue(),
                                                                   upload.name, partner=partner), current_actor()))
        show_outcome()

st.header("Import police.uk street-level files")
st.caption(f"Each file up to {size_text(LIMITS.police_uk_max_bytes)} and {LIMITS.police_uk_max_rows:,} rows; a month "
           "may come from one file per import.")
if coordinator:
    with st.form("police-uk"):
        files = st.file_uploader("Files as published on police.uk (CSV or .csv.gz), one or more months",
                                 type=["csv", "gz"], accept_multiple_files=True,
                                 max_upload_size=picker_limit_mb(LIMITS.police_uk_max_bytes))
        allow_small = st.checkbox(
            "This month really is small: import it even though it has far fewer records than the force's usual month",
            help=f"A police.uk file is a force's whole month; one with fewer than "
                 f"{LIMITS.police_uk_small_month_fraction:.0%} of the force's median month held is refused as incomplete "
                 "unless this is ticked.")
        imported = st.form_submit_button("Import")
else:
    explain_unavailable("load data")
    imported = False
if imported:
    if not files:
        st.error("Choose at least one file.")
    else:
        bar = st.progress(0.0, text="Starting")

        def step(fraction: float, message: str) -> None:
            bar.progress(min(fraction, 1.0), text=message)

        loaded_then_refresh(attempt("police.uk", lambda: check_police_uk(files, step, allow_small), current_actor(),
                                    progress=step))
        show_outcome()

st.header("Submissions")
st.caption("An audit of every load: who loaded which file, when, its SHA-256 and row counts.")
submissions = partner_data.submissions()
# who loaded, by name and role (co-ordinators see the e-mail address)
shown_submissions = submissions.assign(loaded_by=credit_column(submissions["loaded_by"], "load data"))
st.dataframe(shown_submissions, hide_index=True, width="stretch", column_config=SUBMISSION_COLUMNS)
table_downloads(shown_submissions, "submissions", "submissions")
undoable = submissions[~submissions["kind"].isin(NOT_UNDOABLE)]
if not undoable.empty and can("undo a load"):
    with st.form("undo"):
        chosen = st.selectbox("Undo a load", undoable["id"].tolist(),
                              format_func=lambda i: f"{i}: {undoable.set_index('id').loc[i, 'file_name']}")
        undo_asked = st.form_submit_button("Undo this load")
    if undo_asked:
        loaded_then_refresh(attempt("undo", lambda: int(chosen), current_actor()))
        show_outcome()
elif not undoable.empty:
    explain_unavailable("undo a load")

pending = st.session_state.get(PENDING)
if pending:
    preview = pending["preview"]
    with st.container(border=True):
        st.markdown("**Confirm the change**")
        st.warning(f"{preview.headline()} Nothing has been changed yet.")
        table = preview.table()
        st.dataframe(table.head(200), hide_index=True, width="stretch")
        if len(table) > 200:
            st.caption(f"The first 200 of {len(table):,} changed values; the download has them all.")
        table_downloads(table, "changes to confirm", "changes")
        go, cancel = st.columns(2)
        label = "Undo and change these values" if preview.action == "undo" else f"Replace {preview.replaced:,} values"
        go.button(label, type="primary", on_click=confirm_pending)
        cancel.button("Cancel", on_click=cancel_pending)

st.header("Roles")
st.caption("Who may do what: a viewer sees published data; an analyst also sees provisional data (marked "
           "'provisional, not for publication') and the what-if tools; a co-ordinator also loads data, undoes "
           "loads, rebases, sets targets, publishes commentary and provisional data, and edits roles. Anyone signed "
           "in without a grant is a viewer. Grants are by e-mail address or by a group your identity provider names.")
if can("edit roles"):
    grants = roles.role_grants().replace({"role": access.ROLE_NAMES})  # the role's name, not its id
    st.dataframe(grants, hide_index=True, width="stretch", column_config=GRANT_COLUMNS)
    with st.form("role-grant"):
        kind = st.radio("Grant to", ["email", "group"], horizontal=True,
                        format_func={"email": "an e-mail address", "group": "a group"}.__getitem__)
        principal = st.text_input("E-mail address or group id", max_chars=MAX_PRINCIPAL)
        role = st.selectbox("Role", [*access.ROLES, "remove the grant"],
                            format_func=lambda r: access.ROLE_NAMES.get(r, r))
        if st.form_submit_button("Save the role"):
            writes.attempt(lambda: (remove_grant(datastore.database_path(), principal=principal, kind=kind,
                                                 actor=current_actor()) if role == "remove the grant" else
                                    grant_role(datastore.database_path(), principal=principal, kind=kind, role=role,
                                               actor=current_actor())),
                           done_message="Saved; it applies from that person's next click.", rerun=False)
    changes = roles.role_grant_changes().replace({"old_role": access.ROLE_NAMES, "new_role": access.ROLE_NAMES}) \
        .fillna({"old_role": "–"})  # a first grant had no role before
    if not changes.empty:
        st.caption("Changes, newest first")
        st.dataframe(changes, hide_index=True, width="stretch", column_config=ROLE_CHANGE_COLUMNS)
        table_downloads(changes, "role changes", "role-changes")
else:
    explain_unavailable("edit roles")
