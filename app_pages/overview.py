"""Overview: every priority and measure for the chosen area and period (the Panel's Appendix A)."""
from urllib.parse import urlencode

import streamlit as st

from access import public_name
from analysis.calendar import preceding
from analysis.exceptions import select_exceptions
from analysis.rag import rag_rule
from components.downloads import table_downloads
from components.filters import current_filters, load_options
from components.overview_data import overview_page_html, overview_table
from components.readers.commentary import published_commentary
from render.overview_table import drafts_html, plain_table

filters = current_filters()
st.title("Overview")
st.caption(f"{filters.area_name} · {filters.period.label} · the 18 strategic priorities of the Police and Crime Plan. "
           "Each measure links to the Priority explorer with these filters.")

left, right = st.columns([3, 1])
attention_only = left.toggle("Only the measures that need attention (special cause, Red, or data newly unavailable)",
                             key="attention", bind="query-params")
right.link_button("Panel mode (full screen)", "?" + urlencode({"mode": "panel", **filters.url_params,
                                                                "attention": str(attention_only).lower()}))
table = overview_table(filters.area_id, filters.area_name, filters.period, filters.priority_id, filters.small_sample)
if attention_only:
    previous = overview_table(filters.area_id, filters.area_name, preceding(filters.period), filters.priority_id,
                              filters.small_sample)
    found = select_exceptions(table, previous)
    table = found.attention
    st.markdown(f"**{len(table)} measure{'s' if len(table) != 1 else ''} need{'s' if len(table) == 1 else ''} "
                f"attention.** {found.summary()}")
labels = load_options().priorities
notes = published_commentary(area_id=filters.area_id, period=filters.period, priority_id=filters.priority_id)
priority_notes = {int(n.priority_id): f"{n.text} ({public_name(n.author, 'write commentary')}, version {n.version})"
                  for n in notes[notes["measure_id"].isna()].itertuples()}
st.html(overview_page_html(table, filters.period.label, filters.url_params, labels, priority_notes))
st.markdown(rag_rule(filters.small_sample))
st.caption("Counts are totals over the period; counts of people (individuals reported missing) are counted once "
           "each over the whole period from the records; survey rates are pooled over the period's responses; "
           "cumulative measures (training, savings) show the period's latest figure. SPC is read as at the end of "
           f"{filters.period.last.strftime('%B %Y')}, from the published months up to then, so later months never "
           "change a period's reading: its icons, the RAG status and the drafted sentence all describe the period's "
           "last month, or the whole period for counts of people, which are charted at the period's own grain. "
           "A dash always has its reason beside it.")
with st.expander("Drafted narrative (drafts: not published until the co-ordinator publishes commentary)"):
    # One list in one element (a markdown element per measure was half the page's messages, each parsed and drawn
    # on its own), written as HTML: as markdown it was the costliest element for the browser on a first visit, and
    # a time such as 19:00-07:00 read as an emoji code made it fetch Streamlit's 260 KB emoji table.
    st.html(drafts_html(table))
table_downloads(lambda: plain_table(table, filters.period.label), f"overview {filters.area_name} {filters.period.label}", "overview",
                context={"Area": filters.area_name, "Period": filters.period.label,
                         "Data source": "police.uk (crime and ASB) and partner returns; synthetic (demo) where marked"})
