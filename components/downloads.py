"""Download buttons: charts as PNG (vl-convert) and CSV, tables as CSV and Excel.

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

from components.chrome import OGL_ATTRIBUTION, dataset_meta

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "download"


def file_context(context: dict[str, str] | None = None) -> dict[str, str]:
    """What every file says about itself: the caller's context, the as-at date and the licence."""
    meta = dataset_meta()
    as_at = meta.get("as_at") or meta.get("built_at", "")[:10]
    return {**(context or {}), "As at": as_at, "Licence": OGL_ATTRIBUTION}


def csv_bytes(frame: pd.DataFrame, context: dict[str, str] | None = None, na_rep: str = "") -> bytes:
    """CSV with the context as leading columns (one value repeated on every row)."""
    labelled = frame.copy()
    for position, (key, value) in enumerate((context or {}).items()):
        labelled.insert(position, key if key not in labelled.columns else f"{key} (of this file)", value)
    return labelled.to_csv(index=False, na_rep=na_rep).encode("utf-8")


def excel_bytes(frame: pd.DataFrame, sheet: str = "data", context: dict[str, str] | None = None,
                na_rep: str = "") -> bytes:
    """A workbook: the table on its own sheet with numbers as numbers, and an About sheet with the context."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False, na_rep=na_rep)
        if context:
            pd.DataFrame({"About this file": list(context), "": list(context.values())}) \
                .to_excel(writer, sheet_name="About", index=False)
    return buffer.getvalue()


def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(chart.to_json(), scale=scale)


def table_downloads(frame: pd.DataFrame, name: str, key: str, *, context: dict[str, str] | None = None,
                    na_rep: str = "") -> None:
    about = file_context(context)
    left, right = st.columns(2)
    left.download_button("Download table (CSV)", csv_bytes(frame, about, na_rep), f"{slug(name)}.csv",
                         "text/csv", key=f"{key}-csv", on_click="ignore")
    right.download_button("Download table (Excel)", excel_bytes(frame, context=about, na_rep=na_rep),
                          f"{slug(name)}.xlsx", XLSX, key=f"{key}-xlsx", on_click="ignore")


def chart_downloads(chart: alt.TopLevelMixin | Callable[[], alt.TopLevelMixin], data: pd.DataFrame, name: str,
                    key: str, context: dict[str, str] | None = None) -> None:
    """The PNG and the CSV are made only when asked for: vl-convert takes a moment per chart, and a rerun
    should not pay for files nobody downloads. chart: the chart, or a function that builds it."""
    build = (lambda: chart) if isinstance(chart, alt.TopLevelMixin) else chart
    about = file_context(context)
    left, right = st.columns(2)
    right.download_button("Chart data (CSV)", lambda: csv_bytes(data, about), f"{slug(name)}.csv", "text/csv",
                          key=f"{key}-csv", on_click="ignore")
    left.download_button("Chart (PNG)", lambda: chart_png(build()), f"{slug(name)}.png", "image/png",
                         key=f"{key}-png", on_click="ignore")
