"""Download buttons: charts as PNG (vl-convert) and CSV, tables as CSV and Excel."""
from __future__ import annotations

import io
import re

import altair as alt
import pandas as pd
import streamlit as st


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "download"


def excel_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()


def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart.to_json(), scale=scale)


def table_downloads(frame: pd.DataFrame, name: str, key: str) -> None:
    left, right = st.columns(2)
    left.download_button("Download table (CSV)", frame.to_csv(index=False).encode("utf-8"), f"{slug(name)}.csv",
                         "text/csv", key=f"{key}-csv", on_click="ignore")
    right.download_button("Download table (Excel)", excel_bytes(frame), f"{slug(name)}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}-xlsx",
                          on_click="ignore")


def chart_downloads(chart: alt.TopLevelMixin, data: pd.DataFrame, name: str, key: str) -> None:
    """PNG is rendered only when asked for: vl-convert takes a moment per chart."""
    left, right = st.columns(2)
    right.download_button("Chart data (CSV)", data.to_csv(index=False).encode("utf-8"), f"{slug(name)}.csv", "text/csv",
                          key=f"{key}-csv", on_click="ignore")
    left.download_button("Chart (PNG)", lambda: chart_png(chart), f"{slug(name)}.png", "image/png",
                         key=f"{key}-png", on_click="ignore")
