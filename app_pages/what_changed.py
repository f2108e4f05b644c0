"""What changed: since the last Panel (by default the data as it stood a quarter ago), or since just before any load,
for the chosen area and period: values changed (old -> new), months added, the measures that became special cause
or changed RAG, and (for a co-ordinator) partner returns received since or still missing. analysis/what_changed.py."""
import pandas as pd
import streamlit as st

from analysis import calendar
from components.connection import clock_now
from components.downloads import table_downloads
from components.filters import current_filters
from components.identity import can
from components.readers.what_changed import change_references, changes_since
from render.safe_text import plain


def show_table(frame: pd.DataFrame, when_empty: str, download: tuple[str, str] | None = None) -> None:
    """A section's table (with its CSV and Excel downloads when named), or the sentence that says it is empty."""
    if frame.empty:
        st.caption(when_empty)
        return
    st.dataframe(frame, hide_index=True, width="stretch")
    if download:
        table_downloads(frame, *download)


filters = current_filters()
st.title("What changed")
st.caption("The data as it stands now against the data as it stood then: the last Panel (it meets each quarter, so "
           "by default the data as it stood a quarter ago; the demo as built when nothing is that old), or just "
           "before any load. Nothing a load replaced is lost, so the data as it stood then is rebuilt exactly. SPC "
           "readings and RAG compare the period the last Panel read with the period chosen in the sidebar, each as "
           "it stood at its end, with today's targets and rebases.")

now = clock_now()
choices = {r.key: r for r in change_references(now.replace(tzinfo=None, second=0, microsecond=0))}
# A select box shows its options as plain text, never markdown: nothing to escape.
since = st.selectbox("Compare with", list(choices), format_func=lambda key: choices[key].words, key="since",
                     bind="query-params")
reference = choices.get(since) or next(iter(choices.values()))
changed = changes_since(reference, area_id=filters.area_id, area_name=filters.area_name, period=filters.period,
               today=now.date(), with_returns=can("see the returns calendar"), small_sample=filters.small_sample)
then_label = changed.then_period.label if changed.then_period else "no data then"
st.header("Since the last Panel" if reference.key == "quarter" else "Since the data you chose")
st.markdown(plain(f"Since {reference.words}: {filters.area_name}, {then_label} then → {filters.period.label} now."))
st.markdown("\n".join(f"- {plain(line)}" for line in changed.lines()))

st.header("Special cause in the new months")
st.caption(f"Points in the months that arrived or changed since, on each measure's control chart as it stands now to "
           f"the end of {calendar.month_label(filters.period.last)} (counts of people are charted per period, and "
           "cumulative measures are not charted).")
special = changed.special_causes.assign(month=[calendar.month_label(m) for m in changed.special_causes["month"]])
special = special[["measure", "month", "variation", "rule"]].rename(
    columns={"measure": "Measure", "month": "Month", "variation": "Variation", "rule": "Rule"})
show_table(special, "None.", ("special cause in the new months", "what-changed-special-cause"))

st.header("Special cause and RAG: then and now")
readings = changed.readings[["measure", "then", "now", "change"]].rename(
    columns={"measure": "Measure", "then": "Then", "now": "Now", "change": "What changed"})
show_table(readings, "No measure's SPC reading or RAG changed.", ("SPC and RAG then and now", "what-changed-readings"))

st.header("Months added")
added = changed.months_added[["measure", "months", "rows"]].rename(
    columns={"measure": "Measure", "months": "Months", "rows": "Rows"})
show_table(added, f"No new months for {filters.area_name}.")

st.header("Values changed (old → new)")
values = changed.values
if values.empty:
    st.caption("No value held then has changed.")
else:
    shown = pd.DataFrame({"Measure": values["measure"], "Area": values["area"],
                          "Month": [calendar.month_label(pd.Period(m, "M")) for m in values["month"]],
                          "Old": values["old_value"], "New": values["new_value"],
                          "Changed by": values["changed_by_file"]})
    st.dataframe(shown.head(200), hide_index=True, width="stretch")
    if len(shown) > 200:
        st.caption(f"The first 200 of {len(shown):,} changed values; the download has them all.")
    table_downloads(shown, "values changed", "what-changed-values")

if changed.returns is not None:
    st.header("Partner returns")
    st.caption(f"Returns owed for the months from {then_label} to {filters.period.label}: received since, or still "
               "missing after their due date (see the Returns page).")
    returns = changed.returns.assign(month=[calendar.month_label(calendar.month(str(m))) for m in changed.returns["month"]])
    returns = returns.rename(columns={"partner": "Partner", "month": "Month", "change": "Change", "rows": "Rows",
                                      "received_at": "Received"})
    show_table(returns, "None received since, and none missing.")
