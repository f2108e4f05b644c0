"""Colour contrast that axe cannot see: the colours inside every chart spec the components build
(text 4.5:1, marks 3:1, against white or the fill the text sits on), the shared Altair theme, the
Streamlit theme, the SPC icons and RAG swatches, and the focus indicator (WCAG 2.2 AA: 1.4.3,
1.4.11, 2.4.7)."""
from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import FORCE, PROJECT_ROOT

import dashboard_data
import datastore
from analysis import calendar as cal
from analysis import comparisons, peers, whatif
from analysis.forecast import forecast_series
from analysis.proportions import rolling_pooled, with_wilson
from analysis.satisfaction import survey_summary
from analysis.savings import waterfall
from components import chrome
from components.peer_charts import annual_control_chart, peer_trend_chart
from components.savings_charts import banking_chart, waterfall_chart
from components.survey_charts import comparison_chart, monthly_rate_chart, rolling_rate_chart
from components.trend_charts import forecast_chart, progress_chart, rolling_chart, small_multiples, tile_map, year_on_year_chart
from components.whatif_chart import what_if_chart
from render import chart_theme, overview_table, spc_icons
from render.chart_theme import BACKGROUND, FILL_FIELD, TEXT_COLOUR_FIELD, blend, contrast_ratio, mix, relative_luminance, text_colour_on
from render.control_chart import chart_frame, control_chart, describe

TEXT_MINIMUM, MARK_MINIMUM = 4.5, 3.0
NAMED = {"white": "#FFFFFF", "black": "#000000"}
TEXT_KEYS = {"labelColor", "titleColor", "subtitleColor"}
SEE_THROUGH_BY_DEFAULT = {"point", "circle", "square", "tick"}


# --- the arithmetic, on pairs worked by hand (WebAIM's checker gives the same figures) ----------

@pytest.mark.parametrize("first, second, expected", [
    ("#767676", "#FFFFFF", 4.54),  # the lightest grey that passes for text on white
    ("#000000", "#FFFFFF", 21.00),
    ("#FFFFFF", "#FFFFFF", 1.00),
    ("#777777", "#FFFFFF", 4.48),  # one step lighter fails
    ("#FFFFFF", "#12436D", 10.25),  # order does not matter
    ("#0B0C0C", "#FFDD00", 14.55),  # GOV.UK text on the focus yellow
    ("#FFF", "#000", 21.00),
])
def test_contrast_ratio_of_known_pairs(first, second, expected):
    assert round(contrast_ratio(first, second), 2) == expected


def test_relative_luminance_of_black_white_and_mid_grey():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#FFFFFF") == 1
    # #808080: 128/255 = 0.50196 -> ((0.50196 + 0.055) / 1.055) ** 2.4 = 0.21586
    assert round(relative_luminance("#808080"), 5) == 0.21586


def test_a_colour_that_is_not_hex_is_refused():
    with pytest.raises(ValueError, match="not a #RRGGBB colour"):
        relative_luminance("steelblue")


def test_blend_and_mix_work_in_srgb():
    assert blend("#000000", 0.5) == "#808080"  # 127.5 rounds to 128
    assert blend("#12436D", 0.0) == "#FFFFFF"
    assert mix("#000000", "#FFFFFF", 0.25) == "#404040"  # 63.75 -> 64
    assert mix("#000000", "#FFFFFF", 2.0) == "#FFFFFF"  # clipped


def test_text_on_a_fill_is_whichever_of_black_and_white_contrasts_more():
    assert text_colour_on("#12436D") == "#FFFFFF"
    assert text_colour_on("#5694CA") == "#000000"  # 6.5:1 in black against 3.2:1 in white
    for grey in range(0, 256, 5):  # and one of the two always reaches 4.5:1
        fill = f"#{grey:02X}{grey:02X}{grey:02X}"
        assert contrast_ratio(text_colour_on(fill), fill) >= TEXT_MINIMUM, fill


# --- walking a Vega-Lite spec for every colour in it --------------------------------------------

def hex_colour(value: str, where: str) -> str:
    colour = NAMED.get(value, value)
    assert isinstance(colour, str) and colour.startswith("#"), f"{where}: colour {value!r} is not checkable; use hex"
    return colour


def colour_uses(spec: dict) -> list[tuple[str, str, str, str]]:
    """Every colour a spec draws with: (kind "text" or "mark", colour, background, where)."""
    uses: list[tuple[str, str, str, str]] = []
    datasets = spec.get("datasets", {})
    for section, values in spec.get("config", {}).items():
        if section == "range":
            uses += [("mark", hex_colour(c, "range.category"), BACKGROUND, "config.range") for c in values["category"]]
        elif isinstance(values, dict):
            for key, value in values.items():
                where = f"config.{section}.{key}"
                if key in TEXT_KEYS or (key in ("color", "subtitleColor") and section in ("title", "text")):
                    uses.append(("text", hex_colour(value, where), BACKGROUND, where))
                elif key in ("color", "domainColor", "tickColor"):
                    uses.append(("mark", hex_colour(value, where), BACKGROUND, where))
    walk(spec, None, datasets, uses, "spec")
    return uses


def walk(node: dict, data_name: str | None, datasets: dict, uses: list, where: str) -> None:
    data_name = node.get("data", {}).get("name", data_name) if isinstance(node.get("data"), dict) else data_name
    if isinstance(node.get("title"), dict):
        for key in ("color", "subtitleColor"):
            if key in node["title"]:
                uses.append(("text", hex_colour(node["title"][key], where), BACKGROUND, f"{where}.title"))
    if "mark" in node:
        inline = node.get("data", {}).get("values") if isinstance(node.get("data"), dict) else None
        unit_colours(node, inline if inline is not None else datasets.get(data_name, []), uses, where)
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for index, child in enumerate(node.get(key, [])):
            walk(child, data_name, datasets, uses, f"{where}.{key}[{index}]")
    if isinstance(node.get("spec"), dict):
        walk(node["spec"], data_name, datasets, uses, f"{where}.spec")


def unit_colours(node: dict, rows: list[dict], uses: list, where: str) -> None:
    mark = node["mark"] if isinstance(node["mark"], dict) else {"type": node["mark"]}
    kind = "text" if mark["type"] == "text" else "mark"
    if mark.get("aria") is False:
        # Decoration: only background shading, or a hole punched in a mark (a hollow point), may be hidden
        # from assistive technology.
        hole = mark["type"] == "point" and mark.get("color") == BACKGROUND
        assert mark["type"] in ("rect", "area") or hole, f"{where}: a {mark['type']} mark is hidden from screen readers"
        return
    # Vega-Lite draws point, circle, square and tick marks at opacity 0.7 unless told otherwise
    opacity = mark.get("opacity", 0.7 if mark["type"] in SEE_THROUGH_BY_DEFAULT else 1) * mark.get("fillOpacity", 1)
    for key in ("color", "fill", "stroke"):
        if key in mark:
            colour = hex_colour(mark[key], f"{where}.mark.{key}")
            if key == "stroke" and colour == BACKGROUND:
                continue  # a gap between marks, drawn in the background colour
            uses.append((kind, blend(colour, opacity), BACKGROUND, f"{where}.mark.{key}"))
    encoding = node.get("encoding", {})
    for channel in ("x", "y"):
        axis = encoding.get(channel, {}).get("axis") if isinstance(encoding.get(channel), dict) else None
        for key in TEXT_KEYS & set(axis or {}):
            uses.append(("text", hex_colour(axis[key], where), BACKGROUND, f"{where}.{channel}.axis.{key}"))
    for channel in ("color", "fill", "stroke"):
        definition = encoding.get(channel)
        if not definition:
            continue
        at = f"{where}.encoding.{channel}"
        conditions = definition.get("condition", [])
        for value in [definition.get("value"), *[c.get("value") for c in (conditions if isinstance(conditions, list)
                                                                           else [conditions])]]:
            if value is not None:
                uses.append((kind, blend(hex_colour(value, at), opacity), BACKGROUND, at))
        if "field" not in definition:
            continue
        scale = definition.get("scale", {})
        if scale is None:  # colours straight from the data
            for row in rows:
                background = row[FILL_FIELD] if kind == "text" else BACKGROUND
                uses.append((kind, hex_colour(row[definition["field"]], at), background, f"{at} ({row})"))
        else:
            assert "scheme" not in scale, f"{at}: a named scheme cannot be checked; give the range"
            for colour in scale.get("range", []):
                if isinstance(colour, str):
                    uses.append((kind, blend(hex_colour(colour, at), opacity), BACKGROUND, at))


def failures(uses) -> list[str]:
    return [f"{where}: {kind} {colour} on {background} is {contrast_ratio(colour, background):.2f}:1"
            for kind, colour, background, where in uses
            if contrast_ratio(colour, background) < (TEXT_MINIMUM if kind == "text" else MARK_MINIMUM)]


def test_the_walker_finds_low_contrast_text_and_marks():
    spec = {"config": {"axis": {"labelColor": "#808495"}},
            "datasets": {"d": [{"fill": "#12436D", "ink": "#0B0C0C"}]},
            "layer": [{"mark": {"type": "line", "color": "#9E9E9E"}},
                      {"mark": {"type": "rect", "color": "#E8EEF4", "aria": False}},
                      {"data": {"name": "d"}, "mark": "text", "encoding": {"color": {"field": "ink", "scale": None}}}]}
    assert failures(colour_uses(spec)) == [
        "config.axis.labelColor: text #808495 on #FFFFFF is 3.72:1",
        "spec.layer[0].mark.color: mark #9E9E9E on #FFFFFF is 2.68:1",
        "spec.layer[2].encoding.color ({'fill': '#12436D', 'ink': '#0B0C0C'}): text #0B0C0C on #12436D is 1.91:1",
    ]


def test_the_walker_counts_vega_lites_default_opacity_of_points():
    spec = {"mark": {"type": "point", "filled": True},
            "encoding": {"color": {"field": "sample", "scale": {"range": ["#F46A25"]}}}}
    assert failures(colour_uses(spec)) == ["spec.encoding.color: mark #F79766 on #FFFFFF is 2.19:1"]
    spec["mark"]["opacity"] = 1
    assert failures(colour_uses(spec)) == []


def test_small_numbers_markers_are_3_to_1_as_drawn(charts):
    for name in ("monthly_rate_chart", "comparison_chart"):
        spec = spec_of(charts[name])
        points = [layer for layer in spec["layer"] if layer["mark"]["type"] == "point"]
        assert points, name
        for layer in points:
            uses = []
            unit_colours(layer, [], uses, name)
            scale = layer["encoding"]["color"]["scale"]
            small = scale["range"][scale["domain"].index("small numbers")]
            drawn = blend(small, layer["mark"].get("opacity", 0.7))
            assert contrast_ratio(drawn, BACKGROUND) >= MARK_MINIMUM, f"{name}: {drawn}"
            assert failures(uses) == []


def test_only_shading_may_be_hidden_from_screen_readers():
    with pytest.raises(AssertionError, match="a line mark is hidden"):
        colour_uses({"mark": {"type": "line", "color": "#12436D", "aria": False}})


# --- every chart the components build ------------------------------------------------------------

@pytest.fixture(scope="module")
def con(demo_db):
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()


def built_charts(con) -> dict:
    """One of each chart kind, built as the pages build them, with every optional layer drawn."""
    charts = {}
    asb = {"id": "asb_incidents", "aggregation": "sum"}
    charted = dashboard_data.charted_series(con, "asb_incidents", FORCE, extra_rebase_months=("2021-10",))
    frame = chart_frame(charted.points)
    assert frame["trial_limits"].any()  # so the "Trial limits" label is drawn
    charts["control_chart"] = control_chart(
        frame, title="ASB", description=describe("ASB", "force", frame), target=800.0, show_near_limits=True,
        rebases=pd.DataFrame({"month": [pd.Timestamp("2021-10-01")], "reason": ["New recording system"]}),
        highlight=(pd.Timestamp("2021-04-01"), pd.Timestamp("2021-06-01")))
    series = dashboard_data.measure_series(con, "asb_incidents", FORCE)
    charts["year_on_year_chart"] = year_on_year_chart(comparisons.year_on_year(series, 2021), "2021/22", "2020/21", "ASB")
    charts["rolling_chart"] = rolling_chart(dashboard_data.rolling_series(con, asb, FORCE), "ASB rolling", "total")
    result = forecast_series(list(series["month"]), series["value"].to_numpy(), 6)
    charts["forecast_chart"] = forecast_chart(series[["month", "value"]], result.frame(), "ASB forecast", result.method)
    rates = dashboard_data.monthly_by_area(con, asb)
    charts["small_multiples"] = small_multiples(rates[rates["kind"].isin(["district", "unitary authority"])], "ASB", "rate")
    charts["tile_map"] = tile_map(dashboard_data.areas_in_period(con, asb, cal.quarter(2021, 1)), "ASB", "per 1,000")
    charts["progress_chart"] = progress_chart(dashboard_data.measure_series(con, "mh_training_completed", FORCE),
                                              "Training", 90.0, "%")
    position = dashboard_data.savings_position(con, cal.quarter(2021, 4).end)
    charts["waterfall_chart"] = waterfall_chart(waterfall(position), position)
    progress = dashboard_data.savings_progress(con, cal.quarter(2021, 4).end)
    charts["banking_chart"] = banking_chart(progress.assign(month=pd.to_datetime(progress["month"])), position)
    surveys = datastore.run_query(con, "app/survey_series", {"area_id": FORCE})
    surveys["month"] = pd.to_datetime(surveys["month"])
    summary = survey_summary(surveys, cal.quarter(2021, 2), 50)
    charts["comparison_chart"] = comparison_chart(summary[summary["denominator"] > 0], "Surveys", 50)
    one = surveys[surveys["measure_id"] == "asb_satisfaction"].reset_index(drop=True)
    charts["monthly_rate_chart"] = monthly_rate_chart(with_wilson(one), "ASB satisfaction", 1000)  # all small
    charts["rolling_rate_chart"] = rolling_rate_chart(rolling_pooled(one), "ASB satisfaction rolling")
    groups = datastore.run_query(con, "app/home_office_offence_groups", {}).set_index("group_id", drop=False)
    group = groups.loc["burglary_residential"]
    brk = peers.series_break(group)
    forces = ["Leicestershire", "Derbyshire", "Lincolnshire", "Northamptonshire", "Nottinghamshire", "Avon and Somerset",
              "Bedfordshire", "Cambridgeshire", "Cheshire", "Cleveland", "Cumbria", "Durham"]  # more forces than colours
    group_series = datastore.run_query(con, "app/home_office_group_series",
                                              {"group_id": group["group_id"], "forces": forces})
    rated = peers.with_rates(group_series, datastore.run_query(con, "app/home_office_populations", {"forces": forces}))
    indexed = peers.with_index(rated, str(pd.Timestamp(rated["period_end"].min()).date()))
    charts["peer_trend_chart"] = peer_trend_chart(
        indexed.assign(value=indexed["index"])[["area", "period_end", "value"]].dropna(), "Leicestershire",
        value_title="Index", title="Burglary", description="Burglary indexed.", brk=brk, reference=100.0)
    annual = peers.annual_control_chart(group_series[group_series["area"] == "Leicestershire"],
                                        group["improvement_direction"], 3, brk)
    charts["annual_control_chart"] = annual_control_chart(annual, title="Burglary", description="Burglary by year.",
                                                          y_title="Offences", x_title="Year ending March")
    inputs = dashboard_data.what_if_inputs(con, "asb_incidents", FORCE)
    scenario = whatif.WhatIf(exclusions=(whatif.Exclusion("2021-01", "Outage"),),
                             scenario=whatif.Scenario(start="2022-01", change_percent=-15.0))
    charts["what_if_chart"], _ = what_if_chart(whatif.apply(inputs, scenario), measure_name="ASB", area_name="Force",
                                               y_title="Incidents")
    return charts


@pytest.fixture(scope="module")
def charts(con) -> dict:
    return built_charts(con)


def spec_of(chart) -> dict:
    """The Vega-Lite spec of an Altair chart, or the plain spec a builder returned (the control chart's)."""
    return chart if isinstance(chart, dict) else chart.to_dict()


def chart_functions() -> set[str]:
    """Every public function in components/ and render/ that returns a chart, Altair's or a plain Vega-Lite spec
    (by its return annotation)."""
    names = set()
    for path in sorted([*(PROJECT_ROOT / "components").glob("*.py"), *(PROJECT_ROOT / "render").glob("*.py")]):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and node.returns is not None:
                returns = ast.unparse(node.returns)
                # a chart, or a chart and its words
                if returns.startswith(("alt.", "tuple[alt.", "VegaLiteChart", "tuple[VegaLiteChart")) and "Chart" in returns:
                    names.add(node.name)
    return names


def test_every_chart_the_components_build_is_checked(charts):
    assert chart_functions() == set(charts), "add the new chart to built_charts() so its colours are checked"


def test_every_colour_in_every_chart_meets_its_contrast_minimum(charts):
    problems = {}
    for name, chart in charts.items():
        spec = spec_of(chart)
        uses = colour_uses(spec)
        assert any(kind == "text" for kind, *_ in uses) and any(kind == "mark" for kind, *_ in uses), name
        problems[name] = failures(uses)
    assert problems == {name: [] for name in problems}


def test_every_chart_carries_the_shared_theme_for_axis_legend_and_title_text(charts):
    for name, chart in charts.items():
        config = spec_of(chart)["config"]
        assert config["axis"]["labelColor"] == config["axis"]["titleColor"] == chart_theme.TEXT, name
        assert config["legend"]["labelColor"] == config["title"]["color"] == config["header"]["labelColor"] == "#0B0C0C"


def test_tile_labels_contrast_with_their_own_tile(charts):
    spec = spec_of(charts["tile_map"])
    tiles = pd.DataFrame(spec["datasets"][spec["data"]["name"]])
    assert len(tiles) == 9
    for tile in tiles.itertuples():
        fill, ink = getattr(tile, FILL_FIELD), getattr(tile, TEXT_COLOUR_FIELD)
        assert contrast_ratio(fill, "#FFFFFF") >= MARK_MINIMUM, tile.area
        assert contrast_ratio(ink, fill) >= TEXT_MINIMUM, tile.area
    # the lowest rate is the lightest tile, the highest the darkest
    assert tiles.sort_values("rate")[FILL_FIELD].iloc[0] == chart_theme.LIGHT_BLUE
    assert tiles.sort_values("rate")[FILL_FIELD].iloc[-1] == chart_theme.DARK_BLUE


# --- the rest of the page: the Streamlit theme, icons, RAG swatches and the focus indicator -------

def streamlit_theme() -> dict:
    return tomllib.loads(Path(PROJECT_ROOT, ".streamlit", "config.toml").read_text())["theme"]


def test_streamlit_theme_text_is_4_5_to_1_on_both_backgrounds():
    theme = streamlit_theme()
    for text in ("textColor", "linkColor", "grayTextColor", "dataframeHeaderTextColor", "primaryColor"):
        for background in ("backgroundColor", "secondaryBackgroundColor"):
            ratio = contrast_ratio(theme[text], theme[background])
            assert ratio >= TEXT_MINIMUM, f"{text} on {background}: {ratio:.2f}"
    assert contrast_ratio(theme["primaryColor"], "#FFFFFF") >= TEXT_MINIMUM  # white text on primary buttons


def test_streamlit_chart_colours_are_the_palette_and_3_to_1():
    theme = streamlit_theme()
    assert theme["chartCategoricalColors"] == chart_theme.PALETTE
    assert all(contrast_ratio(c, theme["backgroundColor"]) >= MARK_MINIMUM for c in theme["chartCategoricalColors"])


def test_spc_icons_are_3_to_1_on_the_white_they_are_drawn_on():
    colours = {colour for colour, _, _ in [*spc_icons.VARIATION.values(), *spc_icons.ASSURANCE.values()]}
    assert {c: round(contrast_ratio(c, "#FFFFFF"), 2) for c in colours if contrast_ratio(c, "#FFFFFF") < MARK_MINIMUM} == {}
    assert spc_icons.ASSURANCE[None][0] == "#6F777B"  # "no target" was #BDBDBD, 1.88:1


def test_rag_swatches_are_3_to_1_and_not_rated_is_an_outlined_empty_box():
    rated = {name: colour for name, colour in overview_table.RAG_COLOURS.items() if name != "Not rated"}
    assert {n: round(contrast_ratio(c, "#FFFFFF"), 2) for n, c in rated.items() if contrast_ratio(c, "#FFFFFF") < 3} == {}
    assert overview_table.RAG_COLOURS["Not rated"] == "#FFFFFF"
    assert "border: 1px solid #505A5F" in overview_table.STYLE  # 7.1:1: the box shows, empty


def test_focus_indicator_is_3_to_1_against_every_background_and_its_yellow():
    theme = streamlit_theme()
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"], chrome.FOCUS_COLOUR):
        assert contrast_ratio(chrome.FOCUS_RING, background) >= MARK_MINIMUM, background
    assert f"outline: 3px solid {chrome.FOCUS_COLOUR}" in chrome.ACCESSIBILITY_CSS
    assert f"box-shadow: 0 0 0 6px {chrome.FOCUS_RING}" in chrome.ACCESSIBILITY_CSS


def test_captions_are_a_grey_colour_not_faded_so_links_in_them_keep_their_contrast():
    theme = streamlit_theme()
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        assert contrast_ratio(chrome.CAPTION_COLOUR, background) >= TEXT_MINIMUM, background
    assert "opacity: 1 !important;\n  color: #505A5F !important;" in chrome.ACCESSIBILITY_CSS
    # Streamlit's own 60% opacity would draw a link in a caption at #77A9D4, 2.5:1: the failure axe found.
    assert blend(theme["linkColor"], 0.6) == "#77A9D4"
    assert round(contrast_ratio("#77A9D4", "#FFFFFF"), 1) == 2.5
