"""Victim satisfaction charts show their data: rate axes fitted to the intervals (not a fixed 0-100 that
squashed rates living in 60-95%), and a drawn target wherever the page speaks of one (issue 19, item 10)."""
from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest
from conftest import FORCE, open_page

import datastore
from analysis import calendar as cal
from analysis.proportions import rolling_pooled, with_wilson
from analysis.satisfaction import survey_summary
from components.survey_charts import comparison_chart, monthly_rate_chart, rolling_rate_chart


@pytest.fixture(scope="module")
def surveys(demo_db) -> pd.DataFrame:
    con = duckdb.connect(str(demo_db), read_only=True)
    frame = datastore.run_query(con, "app/survey_series", {"area_id": FORCE})
    con.close()
    return frame.assign(month=pd.to_datetime(frame["month"]))


def survey_charts(surveys):
    """Every survey chart the page draws, over every survey, with the frame each was drawn from."""
    summary = survey_summary(surveys, cal.quarter(2021, 4), 50)
    rated = summary[summary["denominator"] > 0]
    yield "comparison", comparison_chart(rated, "Surveys", 50), rated, "x"
    for measure_id, one in surveys.groupby("measure_id"):
        one = one.reset_index(drop=True)
        yield f"{measure_id} monthly", monthly_rate_chart(with_wilson(one), measure_id, 50), with_wilson(one), "y"
        rolled = rolling_pooled(one)
        if len(rolled):
            yield f"{measure_id} rolling", rolling_rate_chart(rolled, measure_id), rolled, "y"


def test_rate_axes_fit_every_interval_and_say_when_they_do_not_start_at_0(surveys):
    lows = []
    for name, chart, frame, channel in survey_charts(surveys):
        spec = chart.to_dict()
        encodings = [layer["encoding"][channel] for layer in spec["layer"]]
        scales = [e["scale"] for e in encodings if "scale" in e]
        assert scales, f"{name}: the rate axis has no scale of its own (Vega-Lite would start it at 0)"
        low, high = scales[0]["domain"]
        assert all(s == scales[0] for s in scales), name  # one axis, one scale
        assert scales[0]["zero"] is False, name
        data_low, data_high = frame["lower95"].min(), frame["upper95"].max()
        assert low <= data_low and high >= data_high, f"{name}: an interval is cut off"
        # fitted to the data with a little room, not fixed at 0-100 (small samples may span it all)
        assert max(0, data_low - 10) <= low and high <= min(100, data_high + 10), f"{name}: {low} to {high}"
        lows.append(low)
        title = next(e["title"] for e in encodings if "title" in e)
        assert ("not 0" in title) == (low > 0), f"{name}: {title}"
    assert max(lows) > 0, "the demo's rates live in 60-95%: some axis should start above 0"


def chart_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def draws_a_labelled_target(spec: dict) -> bool:
    layers = spec.get("layer", [])
    rule = any(layer["mark"]["type"] == "rule" and layer["encoding"].get("y", {}).get("field") == "target"
               for layer in layers if isinstance(layer.get("mark"), dict))
    label = any(layer["encoding"].get("text") == {"value": "Target"} for layer in layers
                if isinstance(layer.get("mark"), dict) and layer["mark"]["type"] == "text")
    return rule and label


def test_every_survey_chart_that_speaks_of_a_target_draws_it(app_env):
    at = open_page("victim_satisfaction")
    spoken = 0
    for survey in at.selectbox(key="survey").options:
        at.selectbox(key="survey").select_index(at.selectbox(key="survey").options.index(survey)).run()
        assert not at.exception, at.exception
        words = " ".join([m.value for m in at.main.markdown] + [c.value for c in at.caption]).lower()
        words = words.replace("no target to assure against", "")  # the icon for a survey without a target
        control = next(spec for spec in chart_specs(at) if "chart" in spec["title"] and survey in spec["title"])
        if "target" in words or "target" in control.get("description", "").lower():
            spoken += 1
            assert draws_a_labelled_target(control), f"{survey}: the page speaks of a target it does not draw"
    assert spoken, "the demo should have a survey with a target (Domestic abuse victim satisfaction)"
