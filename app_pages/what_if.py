"""What-if: one measure and area at a time, changed by the analyst, never the published figures.

Exclude points, try a rebase or a target, switch the SPC options, fix the limits from a baseline,
and project a scenario with the month the chart would first show it, over many noisy runs.
Every choice is in the URL. Nothing is written unless a co-ordinator confirms a suggested rebase
or adds an event.
"""
import pandas as pd
import streamlit as st

import datastore
from analysis.whatif import WHAT_IF_LABEL, WhatIf, WhatIfChart, WhatIfProblem
from components.annotation_form import annotation_forms
from components.chrome import end_page
from components.connection import home_force_id
from components.downloads import table_downloads
from components.filters import current_filters
from components.identity import can, current_actor, explain_unavailable
from components.readers import catalogue
from components.readers.series import chart_withheld_points, charted_series, what_if
from components.whatif_chart import download_context, show_what_if_chart
from components.whatif_controls import clear_what_if, what_if_controls
from components.writes import attempt
from ingest.rebases import add_rebase
from render.safe_text import plain
from render.spc_icons import icons_html


def choose_series(default_area: str):
    measures = catalogue.measures()
    measures = measures[measures["chart_kind"] != "none"].set_index("id", drop=False)
    areas = catalogue.areas().set_index("id")
    names, area_names = dict(zip(measures["id"], measures["name"])), dict(zip(areas.index, areas["name"]))
    left, right = st.columns(2)
    measure_id = left.selectbox("Measure", list(names), format_func=names.__getitem__, key="wi_measure",
                                bind="query-params", on_change=clear_what_if)
    area_ids = list(area_names)
    area_id = right.selectbox("Area", area_ids, index=area_ids.index(default_area), format_func=area_names.__getitem__,
                              key="wi_area", bind="query-params", on_change=clear_what_if)
    return measures.loc[measure_id].to_dict(), area_id, names, area_names


def confirm_rebase_form(result: WhatIfChart, measure: dict, area_id: str) -> None:
    suggestion = result.suggestion
    if suggestion is None:
        return
    st.info(f"**Suggested rebase.** {suggestion.sentence()}")
    with st.expander(f"Confirm the rebase from {suggestion.month:%B %Y} (co-ordinator)"):
        if not can("rebase a chart"):
            explain_unavailable("rebase a chart")
            return
        with st.form(f"confirm-rebase-{measure['id']}-{area_id}"):
            reason = st.text_input("Reason (shown on the chart)", placeholder="e.g. a new crime recording standard")
            if st.form_submit_button("Store this rebase"):
                attempt(lambda: add_rebase(datastore.database_path(), measure_id=measure["id"], area_id=area_id,
                                           month=suggestion.month.date(), reason=reason, actor=current_actor()),
                        done_message=f"Rebased from {suggestion.month:%B %Y}; every chart of this measure and area "
                                     "uses it.")


def answer_section(result: WhatIfChart, measure_name: str, area_name: str, summary: str) -> None:
    projection = result.projection
    if projection is None:
        return
    st.success(" ".join(part for part in (f"**{projection.answer()}**", projection.distribution()) if part))
    st.caption(f"{projection.current.sentence(projection.charted.measure['unit'])} A detection counts as the "
               "change's only in a month when the chart with the change shows it and the unchanged series' chart, "
               "over the same months with the same rules (and, in a run, the same noise), does not.")
    assurance = projection.assurance()
    if assurance:
        st.markdown(assurance)
    if projection.no_change:
        return
    runs = pd.DataFrame({
        "run": range(1, projection.scenario.runs + 1),
        "first_shows_in": [None if m is None else f"{m:%Y-%m}" for m in map(projection.month_of, projection.simulated_index)],
        "rule": [None if i < 0 else int(r) for i, r in zip(projection.simulated_index, projection.simulated_rule)],
        "unchanged_twin_shows_in": [None if m is None else f"{m:%Y-%m}"
                                    for m in map(projection.month_of, projection.simulated_unchanged_index)],
    })
    with st.expander("The simulated runs"):
        st.caption("Each run adds common-cause noise to the projected months, the same to the series with the change "
                   "and to its unchanged twin; its month is the first whose chart, drawn with the data up to then, "
                   "flags a point from the scenario's start as special cause in the direction of the change while "
                   "the twin's chart to the same month does not (rule 1 outside the limits, 2 trend, 3 two in three, "
                   "4 shift). The twin's own first month is beside it.")
        table_downloads(runs, f"what-if runs {measure_name} {area_name}", "what-if-runs",
                        context=download_context(measure_name, area_name, summary))


def icons_section(published, result: WhatIfChart) -> None:
    # The chart drawn: with a scenario it runs on through the projected months, and its icons must say so.
    drawn = result.projection.charted if result.projection is not None else result.charted
    scenario = drawn.result
    left, right = st.columns(2)
    left.markdown(f"Published chart, latest month ({published.months[-1]:%B %Y})", help="As every other page shows it.")
    left.markdown(icons_html(published.result.variation_icon, published.result.assurance_icon,
                             provisional=published.result.trial_limits), unsafe_allow_html=True)
    right.markdown(f"What-if chart, latest month ({drawn.months[-1]:%B %Y})")
    right.markdown(icons_html(scenario.variation_icon, scenario.assurance_icon, provisional=scenario.trial_limits),
                   unsafe_allow_html=True)


filters = current_filters()
st.title("What-if")
if not can("use the what-if tools"):
    explain_unavailable("use the what-if tools")
    end_page()
st.warning(f"**{WHAT_IF_LABEL}.** Change the chart to see what would follow: nothing here is saved, and this "
           "page's address holds every choice, so it can be shared. Only a co-ordinator's confirmed rebase or added "
           "event is stored.")
measure, area_id, measure_names, area_names = choose_series(filters.area_id)
if measure["force_wide"] and area_id != home_force_id():
    st.info(f"{measure['name']} is reported for the force area as a whole; the force area's figures are shown.")
    area_id = home_force_id()
area_name = area_names[area_id]
try:
    published = charted_series(measure["id"], area_id)
except LookupError:
    st.info(f"No published data for {measure['name']} in {area_name}.")
    end_page()
withheld = chart_withheld_points(measure["id"], area_id)
if withheld:  # disclosure control: the chart would show counts of people withheld everywhere else
    st.info(f"No what-if for {measure['name']} in {area_name}: {withheld} of its monthly counts are withheld ([c]) "
            "to protect small numbers, and the chart would show them.")
    end_page()
months = [f"{m:%Y-%m}" for m in published.months]
st.caption(f"Every published month, {published.months[0]:%B %Y} to {published.months[-1]:%B %Y}; the sidebar's "
           "period does not apply here." + (" Counts of people are charted month by month here (each month's own "
                                            "count)." if measure["aggregation"] == "distinct" else ""))

controls, chart_column = st.columns([1, 2])
with controls:
    changes = what_if_controls(months, measure, published.result.chart)
with chart_column:
    try:
        result = what_if(measure["id"], area_id, changes)
    except WhatIfProblem as problem:
        st.error(f"{problem} The chart below is the published one.")
        result = what_if(measure["id"], area_id, WhatIf())
    summary = changes.summary()
    st.markdown(f"**What-if:** {plain(summary)}.")  # the summary holds reasons typed into the address
    answer_section(result, measure["name"], area_name, summary)
    icons_section(published, result)
    y_title = {"percentage": "%", "currency": "£m"}.get(measure["unit"], "count")
    show_what_if_chart(result, measure_name=measure["name"], area_name=area_name, y_title=y_title, summary=summary,
                       key=f"{measure['id']}-{area_id}")
    confirm_rebase_form(result, measure, area_id)
annotation_forms(measure["id"], area_id, months, measure_names, area_names)
