"""Ad hoc tables: any measures, areas and periods in one sortable table, long or pivoted, with
counts, rates per 1,000 people and shares of the force area. The selection lives in the URL."""
import pandas as pd
import streamlit as st

from analysis import adhoc
from analysis.calendar import month_label
from components.chrome import end_page
from components.connection import home_force_id
from components.downloads import table_downloads
from components.filters import load_options
from components.readers import catalogue
from components.readers.ad_hoc import ad_hoc_table

LAYOUTS = ("One row per measure, area and period", "Pivot by area", "Pivot by period")
DEFAULT_MEASURES = ["vehicle_crime"]


def choose_selection(options):
    measures = catalogue.measures().set_index("id", drop=False)
    areas = catalogue.areas().set_index("id", drop=False)
    names, area_names = dict(zip(measures["id"], measures["name"])), dict(zip(areas["id"], areas["name"]))
    chosen_measures = st.multiselect("Measures", list(names), default=DEFAULT_MEASURES, format_func=names.__getitem__,
                                     key="adhoc_measures", bind="query-params")
    chosen_areas = st.multiselect("Areas", list(area_names), default=[home_force_id()],
                                  format_func=area_names.__getitem__, key="adhoc_areas", bind="query-params")
    columns = st.columns([2, 1, 1])
    grain = columns[0].radio("Periods", adhoc.GRAINS, index=1, horizontal=True, key="adhoc_grain", bind="query-params")
    months = options.months
    first = columns[1].selectbox("From", months, index=max(0, len(months) - 12), format_func=_month,
                                 key="adhoc_from", bind="query-params")
    last = columns[2].selectbox("To", months, index=len(months) - 1, format_func=_month, key="adhoc_to",
                                bind="query-params")
    return chosen_measures, chosen_areas, grain, first, last, measures


def _month(text: str) -> str:
    return month_label(pd.Period(text, "M"))


def show_table(table: pd.DataFrame, layout: str) -> pd.DataFrame:
    """The table as chosen: long, or pivoted with one figure. Returns what is shown (and downloaded)."""
    if layout == LAYOUTS[0]:
        shown = table
    else:
        figure = st.radio("Figure", list(adhoc.FIGURES.values()), horizontal=True, key="adhoc_figure",
                          bind="query-params")
        shown = adhoc.pivot(table, "area" if layout == LAYOUTS[1] else "period", figure)
    numbers = [c for c in shown.columns if pd.api.types.is_float_dtype(shown[c])]
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="localized") for c in numbers})
    return shown


st.title("Ad hoc tables")
st.caption("Any measures, areas and periods in one table: click a column's heading to sort by it. The selection "
           "is in this page's address, so the table can be shared. The sidebar's filters do not apply here.")
measure_ids, area_ids, grain, first, last, measures = choose_selection(load_options())
layout = st.radio("Table", LAYOUTS, horizontal=True, key="adhoc_layout", bind="query-params")
if not measure_ids or not area_ids:
    st.info("Choose at least one measure and one area.")
    end_page()
table = ad_hoc_table(tuple(measure_ids), tuple(area_ids), grain, first, last)
shown = show_table(table, layout)
people = [measures.loc[m, "name"] for m in measure_ids if measures.loc[m, "aggregation"] == "distinct"]
if people:
    st.info(f"**{' and '.join(people)}** count people: each period's figure is counted from the records for the "
            "period as a whole (a person reported in two of its months is one person), never added up from months.")
notes = table[table["Note"] != ""]
if len(notes) and layout != LAYOUTS[0]:
    st.caption("Notes: " + "; ".join(f"{r.Measure}, {r.Area}, {r.Period}: {r.Note}" for r in notes.itertuples()))
st.caption("Counts are totals of the period's months; survey rates are pooled from their responses (never averaged); "
           "cumulative measures show the period's latest figure. Rates per 1,000 people use Census 2021 "
           "populations and are for counts only; a share is the area's count as a percentage of the force area's. "
           "Quarters and financial years are whole: every one the chosen months touch, with all its months.")
table_downloads(shown, f"ad hoc table {grain} {first} to {last}", "adhoc", context={
    "Measures": "; ".join(measures.loc[m, "name"] for m in measure_ids), "Periods": f"{grain}, {first} to {last}",
    "Data source": "police.uk (crime and ASB) and partner returns; synthetic (demo) where marked"})
