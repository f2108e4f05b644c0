"""Words on the pages that a reader relies on to read a chart or a table right (found by looking at every
page in a browser): AppTest of the app over the session's demo."""
from __future__ import annotations

from conftest import PROJECT_ROOT
from streamlit.testing.v1 import AppTest

APP = str(PROJECT_ROOT / "app.py")


def explorer(**query_params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query_params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("app_pages/priority_explorer.py")
    at.run()
    assert not at.exception, at.exception
    return at


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def test_the_chart_caption_says_nothing_is_shaded_when_the_period_has_no_points(app_env):
    # The public sees priority 1 only to December 2021 (January to April 2022 are provisional until
    # 15 June 2022), so Q4 2021/22 is not on the chart and no band is drawn.
    text = captions(explorer(priority="1. Prevent youth offending", quarter="Q4 2021/22"))
    assert "Q4 2021/22 has no points on this chart, so nothing is shaded." in text
    assert "Q4 2021/22 is shaded." not in text


def test_the_chart_caption_names_the_shaded_period_when_it_is_on_the_chart(app_env):
    text = captions(explorer(priority="8. Anti-social behaviour", quarter="Q4 2021/22"))
    assert "Q4 2021/22 is shaded." in text
