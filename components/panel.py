"""Panel mode's data: the Overview, the exceptions, charts and commentary, drawn once per data version.

Reads only through the cached readers (overview_table, components/readers/), so
Panel mode shows the same figures as the Overview and picks up a publication on
its next refresh.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import streamlit as st

import dashboard_data
from access import public_name
from analysis import calendar
from analysis.exceptions import priority_status, select_exceptions
from analysis.overview import OverviewRow, overview_rows
from components.chrome import dataset_meta
from components.connection import SMALL_KEYS, current_version, forget_with_earlier_versions
from components.database import current_visibility
from components.filters import Filters
from components.overview_data import overview_table
from components.readers import catalogue
from components.readers.commentary import published_commentary
from components.readers.series import chart_withheld_points, charted_series
from render.panel_deck import (
    DEFAULT_SECONDS,
    Commentary,
    Deck,
    PriorityScreen,
    PriorityStatus,
    chart_height,
    deck_html,
    headline,
    more_line,
    screen_rows,
)
from render.static_chart import PANEL_STYLE, chart_alt_text, control_chart_spec, svg_data_uri, svg_from_spec

# Hide Streamlit's own chrome: Panel mode is the whole screen.
CHROME_STYLE = """
<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], #MainMenu { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: none !important; }
html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] { overflow: hidden !important; }
</style>
"""


@st.cache_data(max_entries=64, show_spinner=False)
def chart_svg(spec: str) -> str:
    """Drawn once per distinct chart: a publication that leaves a chart as it was does not draw it again."""
    return svg_from_spec(spec)


def priority_screens(row, rows: list[OverviewRow], attention: dict, filters: Filters, attention_only: bool,
                     commentary: dict[int, tuple[Commentary, ...]]) -> list[PriorityScreen]:
    """The priority's screens: one for each measure needing attention (or its lead measure), each with its chart."""
    leads = screen_rows(rows, attention, attention_only=attention_only)
    more = more_line(len(leads), len(rows), attention_only=attention_only)
    notes = commentary.get(int(row.id), ())
    screens = []
    for part, record in enumerate(leads or [None], start=1):
        item = headline(record, attention.get(record.measure_id, "")) if record is not None else None
        # The priority's own commentary first, then this measure's, then the others (named if there is no room).
        mine = tuple(sorted(notes, key=lambda n: (n.about is not None, item is None or n.about != item.name)))
        height = chart_height(mine)
        chart_uri, chart_alt, charted_id = None, "", None
        if record is not None and not record.in_development and record.has_spc \
                and not chart_withheld_points(record.measure_id, filters.area_id, filters.period):
            # (a chart that would show a count withheld by disclosure control is not drawn)
            # The chart as the series stood at the period's end: its points read as the icons beside it.
            charted = charted_series(record.measure_id, filters.area_id, period=filters.period, as_stood=True)
            style = replace(PANEL_STYLE, height=height)
            chart_uri = svg_data_uri(chart_svg(control_chart_spec(charted, area_name=filters.area_name,
                                                                  period=filters.period, style=style)))
            chart_alt = chart_alt_text(charted, area_name=filters.area_name, period=filters.period, row=record)
            charted_id = record.measure_id
        screens.append(PriorityScreen(
            priority_id=int(row.id), title=row.short_name, headlines=[item] if item else [], more=more,
            chart_uri=chart_uri, chart_alt=chart_alt, commentaries=mine, part=part, parts=max(1, len(leads)),
            chart_measure=charted_id, chart_height=height,
        ))
    return screens


# A resource, not cache_data: every refresh (each screen's, every few seconds) read the same deck, and cache_data
# handed out a copy of it, its charts and all, each time. The deck is frozen, so one is shared.
@st.cache_resource(max_entries=8, show_spinner=False, hash_funcs=SMALL_KEYS)
def _deck(version, visibility, area_id: str, area_name: str, period_key: tuple, small_sample: int,
          attention_only: bool) -> Deck:
    """The screens, read and drawn once per data and view; the pace and the address's notes are added after, so a
    different `advance` (or a bad one) does not draw every chart again."""
    filters = Filters(None, area_id, area_name, calendar.Period.from_key(period_key), small_sample)
    table = overview_table(filters.area_id, filters.area_name, filters.period, None, small_sample)
    previous = overview_table(filters.area_id, filters.area_name, calendar.preceding(filters.period), None, small_sample)
    found = select_exceptions(table, previous)
    attention = found.reasons()
    commentary = {}  # every published note per priority: its own first, then its measures' in catalogue order
    for note in published_commentary(area_id=filters.area_id, period=filters.period, priority_id=None).to_dict("records"):
        about = note["measure"] if isinstance(note["measure"], str) else None
        commentary[int(note["priority_id"])] = (*commentary.get(int(note["priority_id"]), ()),
                                                Commentary(about, note["text"], public_name(note["author"], "write commentary")))
    screens, statuses = [], []
    rows_of = {}
    for record in overview_rows(table):
        rows_of.setdefault(record.priority_id, []).append(record)
    for row in catalogue.priorities().itertuples():
        rows = rows_of.get(int(row.id), [])
        statuses.append(PriorityStatus(int(row.id), row.short_name, priority_status(rows, attention)))
        if attention_only and not any(r.measure_id in attention for r in rows):
            continue
        screens += priority_screens(row, rows, attention, filters, attention_only, commentary)
    meta = dataset_meta()
    deck = Deck(
        area_name=filters.area_name, period_label=filters.period.label,
        last_year_label=filters.period.shifted_years(-1).label, as_at=dashboard_data.as_at_words(meta),
        demo=meta.get("dataset") == "demo", seconds=DEFAULT_SECONDS, attention_only=attention_only, exceptions=found,
        screens=screens, statuses=statuses, spc_as_at=calendar.month_label(filters.period.last),
        updated=f"{datetime.now():%H:%M}",
    )
    return deck


def panel_deck(filters: Filters, *, attention_only: bool, seconds: int, notes: tuple[str, ...] = ()) -> str:
    """The deck's HTML for the current data version (cached)."""
    # keyed by visibility too: provisional rows released at 09:30 reach the screen without a new file
    deck = _deck(current_version(), current_visibility(), filters.area_id, filters.area_name, filters.period.key,
                 filters.small_sample, attention_only)
    return deck_html(replace(deck, seconds=seconds), notes)


forget_with_earlier_versions(_deck)  # an earlier snapshot's decks are not shown again
