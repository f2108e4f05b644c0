"""Similar forces: the force's recorded crime beside other forces (Home Office rolling 12-month totals,
2003-2018) as rates per 1,000 residents and indexed to a base period, and its own annual series as a
control chart with the 2017 burglary definition change as a rebase."""
import pandas as pd
import streamlit as st

from analysis import peers
from components.cached_chart import show_chart
from components.chrome import OGL_ATTRIBUTION, end_page
from components.downloads import chart_downloads, table_downloads
from components.peer_charts import annual_control_chart, peer_trend_chart
from components.readers import similar_forces
from render.control_chart import chart_frame, describe

FORCE = peers.LEAD_FORCE
VIEWS = ("Index (base = 100)", "Rate per 1,000 residents")


def period_label(value: str) -> str:
    return f"12 months to {pd.Timestamp(value):%B %Y}"


def choose_peers(forces: pd.DataFrame) -> list[str]:
    default = peers.default_peers(FORCE, similar_forces.peer_groups(FORCE), forces)
    options = [f for f in forces["name"] if f != FORCE]
    chosen = st.multiselect("Forces to compare with", options, default=list(default.peers), key="peers",
                            bind="query-params", help="Starts with the default set below; add or remove forces freely.")
    st.caption(f"**Default set:** {', '.join(default.peers)}. {default.basis}")
    return peers.valid_peers(chosen, options, FORCE)


def comparison_section(indexed: pd.DataFrame, group, brk, view: str, base: str, at: str, notes: dict) -> None:
    value = "index" if view == VIEWS[0] else "rate_per_1000"
    data = indexed.assign(value=indexed[value])[["area", "period_end", "value"]].dropna()
    base_text = period_label(base)
    title = f"{group['name']}: {view.lower() if value == 'index' else 'rate per 1,000 residents'}"
    description = (f"{group['name']} for {FORCE} and {indexed['area'].nunique() - 1} other forces, every quarter from "
                   f"{period_label(indexed['period_end'].min())} to {period_label(indexed['period_end'].max())}"
                   + (f", indexed to the {base_text} (= 100)." if value == "index" else "."))
    chart = show_chart(peer_trend_chart, data, FORCE, value_title=view, title=title, description=description, brk=brk,
                       reference=peers.INDEX_BASE if value == "index" else None, width="stretch")
    chart_downloads(chart, data.rename(columns={"value": value}), f"similar forces {group['group_id']} {value}", "peer-trend")
    table = peers.comparison_table(indexed, FORCE, at, base, notes, brk)
    st.markdown(f"**{group['name']}, {period_label(at)}, against the {base_text}**")
    shown = ["Force", "Rate per 1,000 residents", "Index (base = 100)", "Rank by rate (1 = lowest)", "Offences", "Residents",
             "Base rate per 1,000", "Residents: source", "Note"]  # the comparison first; both periods are in the heading
    # A Styler so an empty cell shows the Glossary's dash, not the grid's "None"; the numbers stay numbers.
    formats = {"Offences": "{:,.0f}", "Residents": "{:,.0f}", "Rate per 1,000 residents": "{:.2f}",
               "Base rate per 1,000": "{:.2f}", "Index (base = 100)": "{:.1f}", "Rank by rate (1 = lowest)": "{:.0f}"}
    st.dataframe(table.style.format(formats, na_rep="–"), hide_index=True, width="stretch", column_order=shown)
    table_downloads(table, f"similar forces {group['group_id']} {pd.Timestamp(at):%Y-%m}", "peer-table")
    st.caption("Rates are offences in the 12 months per 1,000 residents; the index is each force's rate against its "
               "own rate in the base period. Rank 1 is the lowest rate among the forces shown. The average is the "
               "unweighted mean of their rates, as HMIC averages a most similar group.")


def control_chart_section(series: pd.DataFrame, group, brk) -> None:
    st.header(f"{FORCE}: {group['name']}, year by year")
    year_end = st.selectbox("Years ending in", list(peers.YEAR_END_MONTHS), key="peer_year_end", bind="query-params",
                            format_func=peers.YEAR_END_MONTHS.__getitem__,
                            help="March gives financial years, 2003 to 2018; the other months start in 2007.")
    annual = peers.annual_control_chart(series, group["improvement_direction"], year_end, brk)
    frame = chart_frame(annual.points)
    description = describe(group["name"], FORCE, frame)
    chart = show_chart(annual_control_chart, annual,
                       title=f"{group['name']}, {FORCE}: years ending {peers.YEAR_END_MONTHS[year_end]}",
                       description=description, y_title="Offences in the year",
                       x_title=f"Year ending {peers.YEAR_END_MONTHS[year_end]}", width="stretch")
    chart_downloads(chart, annual.points, f"{FORCE} {group['group_id']} annual", "peer-spc")
    st.caption(
        f"{description} Each point is a year's total that shares no month with the next. The file's 12-month totals "
        "overlap (each quarter's total shares nine months with the one before), so they are autocorrelated and an XmR "
        "chart of them would show runs and narrow limits that are artefacts of the overlap. Quarterly counts cannot be "
        "recovered: one rolling total minus the one before is a quarter minus the same quarter a year earlier. So the "
        "chart uses one total a year; with 12 to 16 points its limits are wide, and a change shows slowly.")
    if brk is not None and not annual.rebases.empty:
        st.info(f"**Rebased at the year ending {annual.rebases['month'].iloc[0]:%B %Y}: {brk.short_reason}.** "
                f"{brk.reason} Limits before and after are computed separately; one or two years after the change "
                "are too few for limits of their own.")


def about_section(source) -> None:
    with st.expander("About these data"):
        st.markdown(
            f"""
- **Source:** Home Office, *Police recorded crime by police force area*: rolling 12-month totals by offence at each
  quarter end, {pd.Timestamp(source['first_period']):%B %Y} to {pd.Timestamp(source['last_period']):%B %Y}
  (`{source['file']}`, shipped as published). {OGL_ATTRIBUTION}
- **Compared:** the 43 territorial forces of England and Wales. British Transport Police (no resident population)
  and Action Fraud, CIFAS and UK Finance (national fraud counts) are in the database but never compared.
- **Fraud** is left out of every group: from 2013/14 it is recorded nationally by Action Fraud, not by force.
- **The 12 months to 31 December 2017** are published as "30-12-2017"; they are read as 31 December 2017.
- **25 totals are negative as published** (revisions of earlier records): kept, and counted in their groups.
- **Residents** are the 2011 Census usual residents of each force area (ONS): the same population is used for every
  period because mid-year estimates by force could not be sourced; supply them in
  `data/home_office/force_populations.csv`, one row per force and year, and each period uses its own year.
"""
        )


st.title("Similar forces")
st.caption(f"{FORCE} Police beside other forces: Home Office police recorded crime, rolling 12-month totals by force. "
           "The sidebar's area and period filters do not apply here: these are whole force areas, 2003 to 2018. "
           f"{OGL_ATTRIBUTION}")
source = similar_forces.home_office_source().iloc[0]
groups = similar_forces.offence_groups().set_index("group_id", drop=False)
forces = similar_forces.forces()
if groups.empty or forces.empty:  # a database built without the Home Office file (not the demo)
    st.info("This database holds no Home Office recorded-crime series, so there are no forces to compare. "
            "The demo build loads them from data/home_office/ (ingest/home_office.py).")
    end_page()
left, right = st.columns([1, 2])
group_id = left.selectbox("Offence group", list(groups.index), format_func=lambda g: groups.at[g, "name"],
                          key="peer_group", bind="query-params")
group = groups.loc[group_id]
with right:
    chosen = choose_peers(forces)
brk = peers.series_break(group)

shown = [FORCE, *chosen]
series = similar_forces.group_series(group_id, shown)
rated = peers.with_rates(series, similar_forces.populations(shown))
periods = [str(p.date()) for p in sorted(pd.to_datetime(rated["period_end"].unique()))]
columns = st.columns(3)
view = columns[0].radio("Show", VIEWS, key="peer_view", bind="query-params", horizontal=True)
base = columns[1].selectbox("Base period (index = 100)", periods, index=0, key="peer_base", bind="query-params",
                            format_func=period_label)
at = columns[2].selectbox("Compare in", periods, index=len(periods) - 1, key="peer_at", bind="query-params",
                          format_func=period_label)
if brk is not None:
    st.warning(f"**{group['name']} changed definition in {brk.from_month:%B %Y}.** {brk.reason} The chart shades the "
               "totals that mix both; an index whose base and period straddle the change is not like for like.")
if not chosen:
    st.info("No other force is chosen: add forces above to compare.")
notes = dict(zip(forces["name"], forces["note"].fillna("")))
comparison_section(peers.with_index(rated, base), group, brk, view, base, at, notes)
control_chart_section(series[series["area"] == FORCE], group, brk)
about_section(source)
