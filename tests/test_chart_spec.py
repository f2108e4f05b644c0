"""The control chart is built once as plain Vega-Lite (issue #22): JSON data with one dataset that its layers
share and the theme's config set once, no Altair objects (whose deep copies were most of the paper's CPU).
What it draws is the chart the pages, Panel mode and the paper have always drawn (render/control_chart.py)."""
from __future__ import annotations

import dataclasses
import json
from datetime import date

import altair as alt
import pandas as pd
import pytest
from conftest import FORCE

import dashboard_data
from analysis import calendar, peers, whatif
from components.peer_charts import annual_control_chart
from components.whatif_chart import what_if_chart
from render.chart_theme import PALETTE, TEXT
from render.control_chart import CHART_HEIGHT, CLASSES, chart_frame, control_chart, describe
from render.static_chart import PANEL_STYLE, PAPER_STYLE, control_chart_spec
from render.vega_lite import records

QUARTER = calendar.quarter(2021, 1)
EVENTS = pd.DataFrame({"month": [pd.Timestamp("2020-03-01")], "text": ["Coronavirus restrictions begin"]})
JSON_TYPES = (dict, list, str, int, float, bool, type(None))


def plain_data(node, where="spec") -> None:
    """Only JSON's own types all the way down (no numpy scalars, Timestamps or Altair objects), and no NaN."""
    assert isinstance(node, JSON_TYPES), f"{where}: {type(node).__name__}"
    if isinstance(node, float):
        assert node == node and node not in (float("inf"), float("-inf")), where
    for key, value in node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ():
        plain_data(value, f"{where}.{key}")


def datasets_used(spec: dict) -> set[str]:
    names = {spec["data"]["name"]} if "name" in spec.get("data", {}) else set()
    return names | {layer["data"]["name"] for layer in spec["layer"] if "name" in layer.get("data", {})}


def one_shared_dataset(spec: dict, frame: pd.DataFrame) -> list[dict]:
    """The spec's one dataset is the plotted frame, named at the top for every layer without rows of its own
    (those carry a few rows inline); returns the layers that draw from it."""
    assert list(spec["datasets"]) == [spec["data"]["name"]] == list(datasets_used(spec))
    assert spec["datasets"][spec["data"]["name"]] == records(frame)
    shared = [layer for layer in spec["layer"] if "data" not in layer]
    assert all(set(layer["data"]) == {"values"} for layer in spec["layer"] if "data" in layer)
    return shared


@pytest.fixture
def charted(demo_con):
    asb = dashboard_data.charted_series(demo_con, "asb_incidents", FORCE, extra_rebase_months=("2021-10",),
                                        period=QUARTER, last=QUARTER.end)
    return dataclasses.replace(asb, annotations=EVENTS)


@pytest.mark.parametrize("style", [PAPER_STYLE, PANEL_STYLE])
def test_the_pictures_spec_is_json_with_one_shared_dataset_and_the_theme_set_once(charted, style):
    text = control_chart_spec(charted, area_name="Force", period=QUARTER, style=style)
    spec = json.loads(text)
    plain_data(spec)
    frame = chart_frame(charted.points)
    shared = one_shared_dataset(spec, frame)
    # the limits, the line and the points all draw from the one dataset
    assert [(layer["mark"]["type"], layer["encoding"]["y"]["field"]) for layer in shared] == [
        ("line", "mean"), ("line", "upl"), ("line", "lpl"), ("line", "value"), ("point", "value")]
    assert spec["width"] == style.width and spec["height"] == style.height
    # the theme's colours, with the picture's lettering over them
    config = spec["config"]
    assert config["range"]["category"] == PALETTE and config["legend"]["labelColor"] == TEXT
    assert config["axis"]["labelFontSize"] == config["text"]["fontSize"] == style.font_size
    assert config["title"]["fontSize"] == style.title_size and config["scale"] == {"zero": False}
    # what a screen reader is told
    assert spec["description"] == describe(charted.measure["name"], "Force", frame)


def test_the_control_chart_draws_its_marks_and_encodings_from_the_one_dataset():
    months = pd.date_range("2020-01-01", periods=24, freq="MS")
    points = pd.DataFrame({"month": months, "value": [100.0, 110.0] * 11 + [150.0, 104.0], "segment": 0,
                           "mean": 105.0, "lpl": 78.4, "upl": 131.6, "near_lpl": 87.27, "near_upl": 122.73,
                           "trial_limits": [True] * 12 + [False] * 12, "flag": 0, "rule": 0,
                           "rule_words": "common cause", "special_cause": ["common_cause"] * 22 + ["concern", "common_cause"]})
    frame = chart_frame(points)
    spec = control_chart(frame, title="ASB", description="What it shows.", target=120.0, show_near_limits=True,
                         rebases=pd.DataFrame({"month": [months[12]], "reason": ["New recording system"]}),
                         highlight=(months[21], months[23]), annotations=EVENTS, reading=(months[23], "Q3 reading"))
    json.dumps(spec, allow_nan=False)
    plain_data(spec)
    shared = one_shared_dataset(spec, frame)
    assert spec["title"] == "ASB" and spec["description"] == "What it shows." and spec["height"] == CHART_HEIGHT
    drawn = [(layer["mark"]["type"], "shared" if layer in shared else "own",
              sorted(k for k in layer["encoding"] if k != "tooltip")) for layer in spec["layer"]]
    assert drawn == [
        ("rect", "own", ["x", "x2"]),  # the period shaded
        ("line", "shared", ["detail", "x", "y"]), ("line", "shared", ["detail", "x", "y"]),  # mean, upper limit
        ("line", "shared", ["detail", "x", "y"]),  # lower limit
        ("line", "shared", ["detail", "x", "y"]), ("line", "shared", ["detail", "x", "y"]),  # the 2-sigma lines
        ("line", "shared", ["x", "y"]),  # the values
        ("point", "shared", ["color", "shape", "x", "y"]),
        ("text", "own", ["text", "x", "y"]),  # "Provisional limits"
        ("rule", "own", ["y"]), ("text", "own", ["text", "x", "y"]),  # the target and its label
        ("rule", "own", ["x"]), ("text", "own", ["text", "x", "y"]),  # the rebase and its label
        ("rule", "own", ["x"]), ("text", "own", ["text", "x"]),  # the event and its label
        ("rule", "own", ["x"]), ("text", "own", ["text", "x", "y"]),  # where the period's reading comes from
    ]
    fields = [layer["encoding"]["y"]["field"] for layer in shared]
    assert fields == ["mean", "upl", "lpl", "near_upl", "near_lpl", "value", "value"]
    assert all(layer["encoding"]["y"]["scale"] == {"zero": False} for layer in shared)
    assert all(layer["encoding"]["x"] == {"field": "month", "type": "temporal", "title": "Month",
                                          "axis": {"format": "%b %Y"}} for layer in shared)
    point = shared[-1]["encoding"]
    assert point["color"]["scale"] == {"domain": [c[0] for c in CLASSES.values()], "range": [c[1] for c in CLASSES.values()]}
    assert point["shape"]["scale"]["range"] == [c[2] for c in CLASSES.values()]  # never colour alone
    assert [t["field"] for t in point["tooltip"]] == ["month_label", "value", "mean", "lpl", "upl", "rule_words", "limits"]
    assert spec["layer"][0]["mark"]["aria"] is False  # the shading is decoration; the caption names the period
    rebase = spec["layer"][11]["data"]["values"]
    assert rebase == [{"month": "2021-01-01T00:00:00", "full": "Rebased January 2021: New recording system",
                       "label": "Rebased January 2021: New recording sys…"}]  # 40 characters


def test_no_altair_object_is_made_for_a_control_chart(charted, monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("an Altair object was made")

    for name in ("Chart", "LayerChart", "layer", "X", "Y", "Color", "Shape", "Tooltip", "Scale", "Axis", "Legend"):
        monkeypatch.setattr(alt, name, refused)
    control_chart_spec(charted, area_name="Force", period=QUARTER, style=PAPER_STYLE)


def test_the_what_if_and_annual_charts_build_on_the_one_dataset(demo_con):
    inputs = dashboard_data.what_if_inputs(demo_con, "asb_incidents", FORCE)
    scenario = whatif.WhatIf(exclusions=(whatif.Exclusion("2021-01", "Outage"),),
                             scenario=whatif.Scenario(start="2022-01", change_percent=-15.0))
    spec, _ = what_if_chart(whatif.apply(inputs, scenario), measure_name="ASB", area_name="Force", y_title="Incidents")
    plain_data(spec)
    assert len(spec["datasets"]) == 1 and spec["title"]["subtitle"][1] == whatif.WHAT_IF_LABEL
    assert {layer["mark"]["type"] for layer in spec["layer"] if "data" in layer} >= {"rect", "area", "point"}

    ends = pd.to_datetime([f"{year}-03-31" for year in range(2010, 2019)])
    series = pd.DataFrame({"period_end": ends, "offences": [5, 7, 6, 8, 7, 9, 8, 30, 31]})
    annual = peers.annual_control_chart(series, "decrease", 3, peers.SeriesBreak(date(2017, 4, 1), "definition changed",
                                                                                  "Domestic became residential."))
    spec = annual_control_chart(annual, title="Burglary", description="By year.", y_title="Offences", x_title="Year ending March")
    plain_data(spec)
    assert len(spec["datasets"]) == 1
    assert {layer["encoding"]["x"]["axis"]["format"] for layer in spec["layer"] if "axis" in layer["encoding"]["x"]} == {"%Y"}
    assert [layer["data"]["values"][0]["label"] for layer in spec["layer"][-2:]] == ["Rebased March 2018: definition changed"] * 2
