"""What goes under every chart and table: the chart's data as a table, and downloads (charts as PNG
(vl-convert) and CSV, tables as CSV and Excel).

Numbers stay numbers in every file. Each file carries what it is: the area, period,
as-at date and data source, as leading columns in CSV and as an "About" sheet in Excel.
"""
from __future__ import annotations

import io
import re
from typing import Callable

import altair as alt
import pandas as pd
import streamlit as st
import vl_convert as vlc

import dashboard_data
from components.chrome import OGL_ATTRIBUTION, dataset_meta
from components.database import current_visibility
from render.vega_lite import VegaLiteChart

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_LABEL = "Chart data as a table"

# Chart data columns as a reader sees them; columns named nowhere here keep their own names.
READABLE_COLUMNS = {
    "month": "Month", "month_of_year": "Month", "period_end": "Period end", "step": "Step", "area": "Area",
    "measure": "Measure", "value": "Value", "mean": "Mean", "lpl": "Lower process limit", "upl": "Upper process limit",
    "near_lpl": "Lower 2-sigma limit", "near_upl": "Upper 2-sigma limit", "trial_limits": "Provisional limits",
    "rule_words": "SPC rule", "special_cause": "Variation", "rolling_12_months": "Rolling 12 months",
    "forecast": "Forecast", "lower80": "80% interval from", "upper80": "80% interval to", "lower95": "95% interval from",
    "upper95": "95% interval to", "numerator": "Numerator", "denominator": "Denominator (responses)", "rate": "Rate",
    "rate_label": "Rate per", "population": "Population", "kind": "Kind of area", "months": "Months with data",
    "state": "Sample", "why": "Why", "amount": "Amount (£m)", "banked_m": "Banked (£m, cumulative)",
    "index": "Index (base = 100)", "rate_per_1000": "Rate per 1,000 residents", "what_if": "Observed or projected",
}
# Codes and drawing helpers that a reader does not need (each has a readable column beside it): the SPC
# point's side, closeness and outside flags and the rule's name (NHSRplotthedots' names, kept for the method notes)
# are said in plain words by "SPC rule" and "Variation".
HIDDEN_COLUMNS = {"area_id", "measure_id", "order", "segment", "flag", "rule", "start", "end", "top", "bar_kind",
                  "relative_to_mean", "close_to_limits", "outside_limits", "rule_label"}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "download"


PROVISIONAL_NOTE = "Includes provisional data: not for publication"


def file_context(context: dict[str, str] | None = None) -> dict[str, str]:
    """What every file says about itself: the caller's context, the as-at date, the licence, and
    (for a reader who sees provisional data) that it is not for publication."""
    about = {**(context or {}), "As at": dashboard_data.as_at_words(dataset_meta()), "Licence": OGL_ATTRIBUTION}
    if current_visibility().include_provisional:
        about = {"Status": PROVISIONAL_NOTE, **about}
    return about


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV injection: a spreadsheet runs these as formulas


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe; numbers are untouched."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
    out.columns = [f"'{c}" if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame, context: dict[str, str] | None = None, na_rep: str = "") -> bytes:
    """CSV with the context as leading columns (one value repeated on every row); formulas neutralised."""
    labelled = neutralised(frame)
    for position, (key, value) in enumerate((context or {}).items()):
        labelled.insert(position, key if key not in labelled.columns else f"{key} (of this file)", value)
    labelled = neutralised(labelled)
    return labelled.to_csv(index=False, na_rep=na_rep).encode("utf-8")


def excel_bytes(frame: pd.DataFrame, sheet: str = "data", context: dict[str, str] | None = None,
                na_rep: str = "") -> bytes:
    """A workbook: the table on its own sheet with numbers as numbers, and an About sheet with the context."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralised(frame).to_excel(writer, sheet_name=sheet[:31], index=False, na_rep=na_rep)
        if context:
            neutralised(pd.DataFrame({"About this file": list(context), "": list(context.values())})) \
                .to_excel(writer, sheet_name="About", index=False)
    return buffer.getvalue()


Chart = alt.TopLevelMixin | VegaLiteChart  # an Altair chart, or a plain Vega-Lite spec (the control chart)


def chart_png(chart: Chart, scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(chart if isinstance(chart, dict) else chart.to_json(), scale=scale)


def table_downloads(frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str, key: str, *,
                    context: dict[str, str] | None = None, na_rep: str = "") -> None:
    """CSV and Excel downloads of the table, made only when clicked: building them on every rerun was about half
    of an Overview rerun's CPU. `frame` may be a function that makes the table, called then too. The context is
    read now (the file says what the page showed when it was drawn)."""
    about = file_context(context)
    table = frame if callable(frame) else lambda: frame
    left, right = st.columns(2)
    left.download_button("Download table (CSV)", lambda: csv_bytes(table(), about, na_rep), f"{slug(name)}.csv",
                         "text/csv", key=f"{key}-csv", on_click="ignore")
    right.download_button("Download table (Excel)", lambda: excel_bytes(table(), context=about, na_rep=na_rep),
                          f"{slug(name)}.xlsx", XLSX, key=f"{key}-xlsx", on_click="ignore")


def readable_table(data: pd.DataFrame) -> pd.DataFrame:
    """Chart data as a reader sees it: named columns, months as "April 2022", words for flags and codes."""
    table = data.drop(columns=[c for c in data.columns if c in HIDDEN_COLUMNS])
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_datetime64_any_dtype(values) or column in ("month", "period_end"):
            table[column] = pd.to_datetime(values).dt.strftime("%B %Y")
        elif pd.api.types.is_bool_dtype(values):
            table[column] = values.map({True: "Yes", False: "No"})
        elif column == "special_cause":
            table[column] = values.str.replace("_", " ").str.capitalize()
    return table.rename(columns=READABLE_COLUMNS)


# A plain HTML table is drawn whole: past this many cells it slows the page (and pandas' Styler refuses
# 262,144), so a bigger one, such as every district of a national-scale force by month, goes in the grid.
PLAIN_TABLE_CELLS = 20_000


def chart_table(data: pd.DataFrame) -> None:
    """The chart's data as a plain HTML table, in a collapsed expander: reachable by keyboard and read by
    screen readers as a table (WCAG 1.1.1, 1.3.1)."""
    with st.expander(TABLE_LABEL):
        _table_of(data)


@st.cache_data(max_entries=512, show_spinner=False)
def _table_of(data: pd.DataFrame) -> None:
    """The table, drawn once per data and replayed by st.cache_data after: formatting it through pandas' Styler
    was about a quarter of a Similar forces rerun's CPU."""
    table = readable_table(data).dropna(axis="columns", how="all").reset_index(drop=True)
    numbers = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    whole = [c for c in numbers if (table[c].dropna() % 1 == 0).all()]
    formats = {c: "{:,.0f}" if c in whole else "{:,.2f}" for c in numbers}
    if table.size <= PLAIN_TABLE_CELLS:
        st.table(table.style.format(formats, na_rep="–"), hide_index=True)
    else:
        st.caption(f"{len(table):,} rows, in a grid that scrolls (the CSV download below has them all).")
        st.dataframe(table, hide_index=True)


def marked_provisional(chart: Chart) -> Chart:
    """The chart with "Includes provisional data: not for publication" under its title."""
    if isinstance(chart, dict):
        title = chart.get("title", "")
        title = title.get("text", "") if isinstance(title, dict) else title
        return chart | {"title": {"text": title or "", "subtitle": [PROVISIONAL_NOTE], "subtitleColor": "#B10E1E",
                                  "subtitleFontWeight": "bold"}}
    title = chart.title if isinstance(chart.title, str) else getattr(chart.title, "text", "")
    return chart.properties(title=alt.TitleParams(text=title or "", subtitle=[PROVISIONAL_NOTE],
                                                  subtitleColor="#B10E1E", subtitleFontWeight="bold"))


def chart_downloads(chart: Chart | Callable[[], Chart], data: pd.DataFrame, name: str,
                    key: str, context: dict[str, str] | None = None) -> None:
    """Under every chart: its data as a table, then PNG and CSV downloads. The files are made only when
    asked for: vl-convert takes a moment per chart, and a rerun should not pay for files nobody downloads.
    chart: the chart, or a function that builds it."""
    chart_table(data)
    build = (lambda: chart) if isinstance(chart, (alt.TopLevelMixin, dict)) else chart
    about = file_context(context)
    left, right = st.columns(2)
    right.download_button("Chart data (CSV)", lambda: csv_bytes(data, about), f"{slug(name)}.csv", "text/csv",
                          key=f"{key}-csv", on_click="ignore")
    left.download_button("Chart (PNG)", lambda: chart_png(marked_provisional(build()) if "Status" in about else build()),
                         f"{slug(name)}.png", "image/png",
                         key=f"{key}-png", on_click="ignore")
