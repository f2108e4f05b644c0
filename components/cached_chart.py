"""Charts drawn once per content: a rerun that shows the same chart replays the stored one.

Building an Altair chart and converting it to Vega-Lite (schema validation, data to Arrow)
costs tens of milliseconds per chart. ``st.cache_data`` records the chart element the first
time and replays it when the builder and its arguments (data included, hashed by content)
are the same, so an unchanged chart costs a hash of its inputs. A builder returns an Altair chart or a plain
Vega-Lite spec (the control chart, render/vega_lite.py), drawn by st.altair_chart or st.vega_lite_chart.
"""
from __future__ import annotations

from typing import Callable

import altair as alt
import streamlit as st

from render.vega_lite import VegaLiteChart

Chart = alt.TopLevelMixin | VegaLiteChart
Builder = Callable[..., Chart]


def show_chart(build: Builder, *args, width: str | None = None, **kwargs) -> Callable[[], Chart]:
    """Draw build(*args, **kwargs) as st.altair_chart does. Returns a function that builds the chart again,
    for the PNG download (built only when asked for)."""
    _draw(build, f"{build.__module__}.{build.__qualname__}", args, tuple(sorted(kwargs.items())), width)
    return lambda: build(*args, **kwargs)


@st.cache_data(max_entries=512, show_spinner=False)
def _draw(_build: Builder, builder_name: str, args: tuple, kwargs: tuple, width: str | None) -> None:
    """_build is not hashed (Streamlit skips arguments named with an underscore); its name stands for it."""
    chart = _build(*args, **dict(kwargs))
    sized = {} if width is None else {"width": width}
    if isinstance(chart, dict):
        st.vega_lite_chart(spec=chart, **sized)
    else:
        st.altair_chart(chart, **sized)
