"""Every chart's figures as a table under it: a plain table, or a scrolling grid when it is too big to draw whole."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def draw(rows: int) -> AppTest:
    def page(rows: int) -> None:
        import pandas as pd

        from components.downloads import chart_table

        months = pd.date_range("2013-04-01", periods=rows, freq="D")
        chart_table(pd.DataFrame({"month": months, "area": "Alpha", "value": range(rows), "rate": 0.5}))

    at = AppTest.from_function(page, kwargs={"rows": rows}, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_small_chart_has_its_figures_in_a_plain_table():
    at = draw(120)
    assert len(at.table) == 1 and len(at.dataframe) == 0


def test_a_chart_of_tens_of_thousands_of_figures_has_them_in_a_scrolling_grid_not_an_error():
    # 80,000 rows x 4 columns is over pandas' Styler limit (262,144 cells), which raised before.
    at = draw(80_000)
    assert len(at.table) == 0 and len(at.dataframe) == 1
    assert "80,000 rows, in a grid that scrolls" in at.caption[0].value
