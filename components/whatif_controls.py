"""The What-if page's controls: every choice is a widget bound to the URL, so a what-if can be shared.

Keys start with "wi_". Choosing another measure or area clears the rest (exclusions and targets
belong to one series). The widgets return an analysis.whatif.WhatIf; nothing here writes.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.calendar import month_label
from analysis.whatif import (
    DEFAULT_HORIZON,
    DEFAULT_RUNS,
    DEFAULT_SEED,
    MAX_HORIZON,
    MAX_RAMP_MONTHS,
    MIN_POINTS_BEFORE_SCENARIO,
    Exclusion,
    Scenario,
    WhatIf,
)

PREFIX = "wi_"
SERIES_KEYS = ("wi_measure", "wi_area")
SCENARIO_KINDS = ("by a percentage", "to a value")
MAX_EXCLUSION_REASON = 80


def clear_what_if() -> None:
    """Forget every what-if choice but the measure and area (on_change of either, and the reset button)."""
    for key in [k for k in st.session_state if str(k).startswith(PREFIX) and k not in SERIES_KEYS]:
        del st.session_state[key]
    for key in [k for k in st.query_params if k.startswith(PREFIX) and k not in SERIES_KEYS]:
        del st.query_params[key]


def _label(text: str) -> str:
    return month_label(pd.Period(text, "M"))


def exclusion_controls(months: list[str]) -> tuple[Exclusion, ...]:
    chosen = st.multiselect("Exclude points", months, format_func=_label, key="wi_exclude", bind="query-params",
                            help="An excluded point is left out of the limits and the rules, and drawn as a grey cross.")
    exclusions, missing = [], []
    for month in chosen:
        reason = st.text_input(f"Why exclude {_label(month)}?", key=f"wi_why_{month}", bind="query-params",
                               max_chars=MAX_EXCLUSION_REASON, placeholder="e.g. a recording system outage")
        if reason.strip():
            exclusions.append(Exclusion(month, reason.strip()))
        else:
            missing.append(_label(month))
    if missing:
        st.warning(f"Give a reason for {', '.join(missing)}: a point is excluded only with its reason.")
    return tuple(exclusions)


def target_controls(measure: dict, chart_kind: str) -> tuple[bool, float | None]:
    published = None if pd.isna(measure.get("target")) else float(measure["target"])
    if measure["improvement_direction"] == "neutral":
        st.caption("This measure has no improvement direction, so no target can be assured.")
        return False, None
    change = st.checkbox("Try another target", key="wi_target_on", bind="query-params")
    unit = "%" if measure["unit"] == "percentage" else measure["unit"]
    value = st.number_input(f"Target ({unit}; empty: no target)", value=published, step=1.0, key="wi_target",
                            bind="query-params", disabled=not change,
                            help=f"Published target: {'none' if published is None else f'{published:g}'}.")
    return change, value


def option_controls() -> dict:
    run_length = st.radio("Points in a trend or shift", [7, 6], horizontal=True, key="wi_run", bind="query-params")
    screen = st.checkbox("Screen large moving ranges", value=True, key="wi_screen", bind="query-params",
                         help="Off reproduces the MDC Excel tool")
    variant = st.checkbox("Two-in-three counts points beyond the limit (MDC November 2023)", key="wi_2in3",
                          bind="query-params")
    return {"run_length": int(run_length), "screen_outliers": screen, "two_in_three_counts_beyond_limits": variant}


def baseline_controls(months: list[str], chart_kind: str) -> tuple[str, str] | None:
    if chart_kind != "xmr":
        st.caption("Limits from a baseline are for XmR charts: a p-chart's limits come from each point's sample size.")
        return None
    on = st.checkbox("Fix the limits from a baseline period and extend them forward", key="wi_base_on",
                     bind="query-params")
    first = st.selectbox("Baseline from", months, index=0, format_func=_label, key="wi_base_from",
                         bind="query-params", disabled=not on)
    last = st.selectbox("Baseline to", months, index=min(11, len(months) - 1), format_func=_label, key="wi_base_to",
                        bind="query-params", disabled=not on)
    st.caption("At least 12 points (Making Data Count). A baseline that starts after the first month starts a new "
               "segment there; each segment's limits come from its first points, as many as the baseline has.")
    return (first, last) if on else None


def scenario_controls(months: list[str], chart_kind: str, unit: str) -> Scenario | None:
    if chart_kind != "xmr":
        st.caption("Scenarios are projected on XmR charts (counts): a survey rate's p-chart depends on sample sizes "
                   "a scenario would have to invent.")
        return None
    on = st.checkbox("Apply a scenario", key="wi_sc_on", bind="query-params")
    last = pd.Period(months[-1], "M")
    starts = months[MIN_POINTS_BEFORE_SCENARIO:] + [str(last + k) for k in range(1, 13)]
    start = st.selectbox("From", starts, index=len(starts) - 12, format_func=_label, key="wi_sc_from",
                         bind="query-params", disabled=not on, help="Default: the month after the latest data.")
    kind = st.radio("The level changes", SCENARIO_KINDS, horizontal=True, key="wi_sc_kind", bind="query-params",
                    disabled=not on)
    if kind == SCENARIO_KINDS[0]:
        percent = st.number_input("Change (%; negative for a fall)", min_value=-100.0, max_value=1000.0, value=-15.0,
                                  step=1.0, key="wi_sc_pct", bind="query-params", disabled=not on)
        to_value = None
    else:
        percent = None
        to_value = st.number_input(f"New level ({unit})", min_value=0.0, value=None, step=1.0, key="wi_sc_to",
                                   bind="query-params", disabled=not on)
    ramp = st.number_input("Reached over (months; 0: at once)", min_value=0, max_value=MAX_RAMP_MONTHS, value=0,
                           step=1, key="wi_sc_ramp", bind="query-params", disabled=not on)
    columns = st.columns(3)
    horizon = columns[0].number_input("Months", min_value=6, max_value=MAX_HORIZON, value=DEFAULT_HORIZON,
                                      step=1, key="wi_sc_h", bind="query-params", disabled=not on,
                                      help="How many months from the start to follow")
    runs = columns[1].number_input("Runs", min_value=100, max_value=5000, value=DEFAULT_RUNS, step=100,
                                   key="wi_sc_runs", bind="query-params", disabled=not on,
                                   help="Simulated runs with common-cause noise")
    seed = columns[2].number_input("Seed", min_value=0, max_value=2**31 - 1, value=DEFAULT_SEED, step=1,
                                   key="wi_sc_seed", bind="query-params", disabled=not on,
                                   help="The same seed gives the same runs")
    if not on:
        return None
    if to_value is None and percent is None:
        st.warning("Give the new level.")
        return None
    return Scenario(start, change_percent=percent, to_value=to_value, ramp_months=int(ramp),
                    horizon=int(horizon), runs=int(runs), seed=int(seed))


def what_if_controls(months: list[str], measure: dict, chart_kind: str) -> WhatIf:
    """All the what-if choices for one series (months: its months as YYYY-MM)."""
    with st.expander("Scenario: the level changes from a month", expanded=True):
        scenario = scenario_controls(months, chart_kind, measure["unit"])
    with st.expander("Exclude points"):
        exclusions = exclusion_controls(months)
    with st.expander("Try a rebase"):
        trial = st.multiselect("New segment starts in", months[1:], format_func=_label, key="wi_rebase",
                               bind="query-params", help="Only here: a stored rebase needs a co-ordinator.")
    with st.expander("Target"):
        change_target, target = target_controls(measure, chart_kind)
    with st.expander("SPC options"):
        options = option_controls()
    with st.expander("Limits from a baseline"):
        baseline = baseline_controls(months, chart_kind)
    st.button("Reset the what-if", on_click=clear_what_if, key="wi_reset")
    return WhatIf(exclusions=exclusions, trial_rebases=tuple(trial),
                  change_target=change_target, target=target, baseline=baseline, scenario=scenario, **options)
