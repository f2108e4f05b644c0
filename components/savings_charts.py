"""Savings charts: the waterfall from the shortfall to what is still to find, and banking over time."""
from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.savings import SavingsPosition
from render.chart_theme import DARK_BLUE, TEXT, TURQUOISE

TOTAL_COLOUR, SAVING_COLOUR = DARK_BLUE, TURQUOISE


def waterfall_chart(steps: pd.DataFrame, position: SavingsPosition) -> alt.LayerChart:
    description = (f"Savings waterfall as at {position.as_of:%B %Y}: the financial plan's shortfall of "
                   f"£{position.shortfall_m:.1f}m, less £{position.banked_m:.1f}m banked and "
                   f"£{position.forecast_m:.1f}m forecast, leaves £{position.still_to_find_m:.1f}m still to find.")
    x = alt.X("step:N", sort=list(steps["step"]), title=None, axis=alt.Axis(labelAngle=0, labelFontSize=13))
    bars = alt.Chart(steps).mark_bar().encode(
        x=x, y=alt.Y("start:Q", title="£m"), y2="end:Q",
        color=alt.Color("bar_kind:N", title=None, legend=None,
                        scale=alt.Scale(domain=["total", "saving"], range=[TOTAL_COLOUR, SAVING_COLOUR])),
        tooltip=["step:N", alt.Tooltip("amount:Q", format="+.2f", title="£m")])
    labels = alt.Chart(steps).mark_text(dy=-10, fontSize=14, fontWeight="bold", color=TEXT).encode(
        x=x, y="top:Q", text=alt.Text("amount:Q", format="+.1f"))
    return (alt.layer(bars, labels)
            .properties(title=f"From the £{position.shortfall_m:.1f}m shortfall to what is still to find (£m)",
                        description=description, width=640, height=320))


def banking_chart(progress: pd.DataFrame, position: SavingsPosition) -> alt.LayerChart:
    """Cumulative £m banked by month against both targets, each labelled with what it is."""
    targets = pd.DataFrame([
        {"target": position.shortfall_m, "label": f"Financial plan shortfall £{position.shortfall_m:.1f}m"},
        *([{"target": position.plan_target_m, "label": f"Police and Crime Plan target £{position.plan_target_m:.1f}m"}]
          if position.plan_target_m is not None else []),
    ])
    line = alt.Chart(progress).mark_line(point=True, color=DARK_BLUE).encode(
        x=alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("banked_m:Q", title="£m banked (cumulative)",
                scale=alt.Scale(domain=[0, 1.12 * max(targets["target"])])),  # room for the targets' labels
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("banked_m:Q", format=".2f", title="£m banked")])
    rules = alt.Chart(targets).mark_rule(color=TURQUOISE, strokeWidth=2, strokeDash=[6, 3]).encode(y="target:Q")
    names = alt.Chart(targets).mark_text(align="left", dx=4, dy=-8, color=TEXT).encode(
        x=alt.value(0), y="target:Q", text="label:N")
    description = (f"Cumulative savings banked by month, reaching £{position.banked_m:.2f}m by {position.as_of:%B %Y}, "
                   f"against the £{position.shortfall_m:.1f}m financial plan shortfall"
                   + (f" and the Police and Crime Plan's £{position.plan_target_m:.1f}m target." if position.plan_target_m
                      else "."))
    return alt.layer(line, rules, names).properties(title="Savings banked against both targets",
                                                    description=description, width=640, height=280)
