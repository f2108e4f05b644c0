"""The global filters: priority, area and period, in the sidebar and bound to the URL.

Rendered once by app.py on every page, so a choice made on one page holds on the
next, and ``bind="query-params"`` keeps it in the address to share or reload.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from analysis import calendar
from analysis.rag import SMALL_SAMPLE
from components.readers import catalogue
from components.this_run import this_run

PERIOD_KINDS = ("Quarter", "Financial year", "Months")
FILTERS_STATE_KEY = "current_filters"
MEMORY_STATE_KEY = "filter_memory"
ALL_PRIORITIES = 0
BOUND_KEYS = ("priority", "area", "period", "fy", "quarter", "from", "to", "small_n")
# The force's own area in the Area filter: its full name ("Leicester, Leicestershire and Rutland (force area)") is
# wider than the sidebar's box at 1280x720 and would be cut. Headings and captions still give the full name.
FORCE_AREA_LABEL = "Whole force area"


@dataclass(frozen=True)
class Filters:
    priority_id: int | None
    area_id: str
    area_name: str
    period: calendar.Period
    small_sample: int = SMALL_SAMPLE  # survey rates from fewer responses are "small numbers" (Amber)
    url_params: dict = field(default_factory=dict, compare=False)  # the bound filters as they appear in the URL


@dataclass(frozen=True)
class FilterOptions:
    priorities: dict[int, str]
    areas: dict[str, str]  # id -> full name, as headings and captions give it
    first_month: pd.Period
    last_month: pd.Period
    area_labels: dict[str, str] = field(default_factory=dict)  # id -> the Area filter's option (and URL value)

    def area_label(self, area_id: str) -> str:
        return self.area_labels.get(area_id, self.areas[area_id])

    def area_named(self, text: str) -> str | None:
        """The id of the area a URL names, by its filter option or its full name (links made before the short
        option name still open their area); None when it names none."""
        for area_id, name in self.areas.items():
            if text in (name, self.area_label(area_id)):
                return area_id
        return None

    @property
    def quarters(self) -> list[calendar.Period]:
        return list(reversed(calendar.quarters_between(self.first_month, self.last_month)))

    @property
    def financial_years(self) -> list[calendar.Period]:
        return [calendar.financial_year(y) for y in reversed(calendar.financial_years_between(self.first_month, self.last_month))]

    @property
    def months(self) -> list[str]:
        return [str(m) for m in pd.period_range(self.first_month, self.last_month, freq="M")]

    def latest_complete(self, periods: list[calendar.Period]) -> int:
        """Index of the newest period whose months all have data (else the newest)."""
        for index, period in enumerate(periods):
            if period.last <= self.last_month and period.first >= self.first_month:
                return index
        return 0


def load_options() -> FilterOptions:
    """The filters' choices, read once per run (the sidebar, the page and the background paper each ask)."""
    memo = this_run()
    if "filter_options" not in memo:
        memo["filter_options"] = _read_options()
    return memo["filter_options"]


def _read_options() -> FilterOptions:
    priorities = catalogue.priorities()
    areas = catalogue.areas()
    span = catalogue.month_span().iloc[0]
    return FilterOptions(
        priorities={int(r.id): f"{int(r.id)}. {r.short_name}" for r in priorities.itertuples()},
        areas={r.id: r.name for r in areas.itertuples()},
        first_month=pd.Period(span.first_month, freq="M"),
        last_month=pd.Period(span.last_month, freq="M"),
        area_labels={r.id: FORCE_AREA_LABEL if r.kind == "force" else r.name for r in areas.itertuples()},
    )


def restore_after_page_switch(page_id: str) -> None:
    """Put back filters that a page switch dropped from the address.

    Streamlit 1.67 drops bound values that came from a deep link and were never
    touched when the user switches page; the next page then shows defaults. We
    remember the last values and, on a page switch only, restore any the URL lost.
    """
    memory = st.session_state.get(MEMORY_STATE_KEY)
    if not memory or memory["page"] == page_id:
        return
    for key, value in memory["values"].items():
        if key not in st.query_params:
            st.session_state[key] = value


def remember(page_id: str) -> None:
    st.session_state[MEMORY_STATE_KEY] = {
        "page": page_id,
        "values": {key: st.session_state[key] for key in BOUND_KEYS if key in st.session_state},
    }


def render_filters(page_id: str) -> Filters:
    options = load_options()
    restore_after_page_switch(page_id)
    with st.sidebar:
        st.header("Filters")
        # 0 stands for all priorities: a None option would show as "Choose an option" after a page switch.
        chosen = st.selectbox(
            "Priority", [ALL_PRIORITIES, *options.priorities], key="priority", bind="query-params",
            format_func=lambda p: "All priorities" if p == ALL_PRIORITIES else options.priorities[p],
        )
        priority_id = None if chosen == ALL_PRIORITIES else chosen
        accept_area_by_full_name(options)
        area_id = st.selectbox(
            "Area", list(options.areas), key="area", bind="query-params", format_func=options.area_label,
        )
        kind = st.radio("Period", PERIOD_KINDS, key="period", bind="query-params", horizontal=True)
        period = _render_period(kind, options)
        st.caption(f"Data from {calendar.month_label(options.first_month)} to {calendar.month_label(options.last_month)}. "
                   "The police financial year starts in April.")
        small_sample = int(st.number_input(
            "Small numbers: fewer than this many survey responses", min_value=1, max_value=1000, value=SMALL_SAMPLE,
            step=5, key="small_n", bind="query-params",
            help="A survey rate from fewer responses in the period is rated Amber (small numbers), on every page."))
    filters = Filters(priority_id, area_id, options.areas[area_id], period, small_sample, url_params(kind, options))
    st.session_state[FILTERS_STATE_KEY] = filters
    remember(page_id)
    return filters


def accept_area_by_full_name(options: FilterOptions) -> None:
    """Open the area an address names by its full name, where the filter's option is shorter (links shared before
    the force area's option was "Whole force area"): Streamlit binds the option text and would drop the name."""
    named = st.query_params.get("area")
    area_id = options.area_named(named) if named else None
    if area_id is not None and named != options.area_label(area_id):
        st.session_state["area"] = area_id


def url_params(kind: str, options: FilterOptions) -> dict[str, str]:
    """Area and period as query parameters (the formatted option strings Streamlit binds)."""
    state = st.session_state
    params = {"area": options.area_label(state["area"]), "period": kind}
    if state.get("small_n", SMALL_SAMPLE) != SMALL_SAMPLE:
        params["small_n"] = str(state["small_n"])
    keys = {"Financial year": ("fy",), "Quarter": ("quarter",), "Months": ("from", "to")}[kind]
    params.update({key: str(state[key]) for key in keys if key in state})
    return params


def _render_period(kind: str, options: FilterOptions) -> calendar.Period:
    if kind == "Financial year":
        years = options.financial_years
        label = st.selectbox("Financial year", [p.label for p in years], index=options.latest_complete(years),
                             key="fy", bind="query-params")
        return calendar.parse_period_label(label)
    if kind == "Months":
        months = options.months
        first = st.selectbox("From", months, index=max(0, len(months) - 12), key="from", bind="query-params")
        last = st.selectbox("To", months, index=len(months) - 1, key="to", bind="query-params")
        return calendar.month_range(calendar.month(first), calendar.month(last))
    quarters = options.quarters
    label = st.selectbox("Quarter", [p.label for p in quarters], index=options.latest_complete(quarters),
                         key="quarter", bind="query-params")
    return calendar.parse_period_label(label)


def current_filters() -> Filters:
    """The filters app.py rendered for this run (pages call this)."""
    return st.session_state[FILTERS_STATE_KEY]


def filters_from_url(params, options: FilterOptions) -> Filters:
    """The area and period named in the URL, with the names and values the sidebar filters bind.

    For screens without the sidebar (Panel mode). Missing values take the sidebar's
    defaults; a value that is not an option raises ValueError naming the choices. The message
    never repeats the value itself: anyone can put anything in an address and send it on.
    """
    named = params.get("area")
    area_id = options.area_named(named) if named else next(iter(options.areas))
    if area_id is None:
        choices = ", ".join(map(options.area_label, options.areas))
        raise ValueError(f"The area in the address is not one this dashboard knows. Areas: {choices}.")
    kind = params.get("period") or PERIOD_KINDS[0]
    if kind not in PERIOD_KINDS:
        raise ValueError(f"The period in the address must be one of {', '.join(PERIOD_KINDS)}.")
    if kind == "Months":
        months = options.months
        first = params.get("from") or months[max(0, len(months) - 12)]
        last = params.get("to") or months[-1]
        for value in (first, last):
            if value not in months:
                raise ValueError(f"A month in the address is not a month with data ({months[0]} to {months[-1]}).")
        period = calendar.month_range(calendar.month(first), calendar.month(last))
        chosen = {"from": first, "to": last}
    else:
        key, periods = ("fy", options.financial_years) if kind == "Financial year" else ("quarter", options.quarters)
        labels = [p.label for p in periods]
        label = params.get(key) or labels[options.latest_complete(periods)]
        if label not in labels:
            raise ValueError(f"The {kind.lower()} in the address is not one with data. Choices: {', '.join(labels)}.")
        period = periods[labels.index(label)]
        chosen = {key: label}
    text = params.get("small_n") or str(SMALL_SAMPLE)
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise ValueError("small_n in the address must be a whole number of survey responses from 1 to 1000.")
    small = {} if int(text) == SMALL_SAMPLE else {"small_n": text}
    return Filters(None, area_id, options.areas[area_id], period, int(text),
                   {"area": options.area_label(area_id), "period": kind, **chosen, **small})
