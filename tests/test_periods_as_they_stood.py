"""Periods as they stood: a period's SPC reading (icons, RAG, the drafted sentence) comes from the series
as it stood at the end of the period's last month, so months imported later never change it."""
from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd
from conftest import FORCE, coordinator, raw_police_uk_files
from test_overview_table import AREAS

import dashboard_data
import datastore
from analysis import calendar as cal
from analysis import narrative
from analysis.overview import spc_for_row
from analysis.series import as_stood, measure_spc, spc_at
from ingest.police_uk import import_files

QUARTER = cal.quarter(2021, 4)  # January to March 2022, the last whole quarter before April 2022
READING = ["spc_point", "spc_as_at", "variation_icon", "assurance_icon", "trial_limits", "spc_special_cause",
           "spc_flag", "rag", "rag_reason", "narrative"]


def as_the_app_reads(con):
    """The public's reader of one snapshot, keeping what it derives from it (disclosure control) for its reads, as
    the app does per data version: each area's read would otherwise work it out for every area again."""
    return datastore.reader(con, datastore.public_visibility(con), {})


def readings(db) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        snapshot = as_the_app_reads(con)
        return {area: dashboard_data.overview(snapshot, area_id=area, area_name=area, period=QUARTER)
                .set_index("measure_id")[READING] for area in AREAS}
    finally:
        con.close()


def whole_series_readings(db) -> dict[tuple[str, str], str]:
    """The old reading: the point at the period's last month picked from the chart of every published month."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = {}
        for area in AREAS:
            for measure_id in police_uk_measures(con):
                found[(measure_id, area)] = dashboard_data.charted_series(con, measure_id, area).at(QUARTER).variation
        return found
    finally:
        con.close()


def police_uk_measures(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT id FROM measures WHERE NOT synthetic AND chart_kind <> 'none'").fetchall()]


def test_importing_the_month_after_a_quarter_leaves_its_overview_reading_unchanged(demo_before_april, monkeypatch):
    # One clock before and after: an import starts the real release clock (a demo is no longer a snapshot), which
    # would release provisional rows too; this test is about the later month alone.
    monkeypatch.setenv("DASHBOARD_NOW", "2022-05-31T12:00:00")
    before = readings(demo_before_april)
    april = next(f for f in raw_police_uk_files() if f.name.startswith("2022-04"))
    import_files(demo_before_april, [april], actor=coordinator("t"))
    con = duckdb.connect(str(demo_before_april), read_only=True)
    try:
        assert dashboard_data.measure_series(con, "all_crime", FORCE)["month"].max() == pd.Timestamp("2022-04-01")
    finally:
        con.close()
    after = readings(demo_before_april)
    for area in AREAS:
        pd.testing.assert_frame_equal(before[area], after[area], obj=area)
        rated = before[area][before[area]["variation_icon"].map(lambda v: isinstance(v, str))]
        for row in rated.itertuples():  # the sentence says when the reading stands (March, or a partner's last month)
            assert f"as at the end of {row.spc_as_at}, " in row.narrative, (area, row.Index)
            assert pd.Period(pd.Timestamp(row.spc_as_at), "M") <= QUARTER.last, (area, row.Index)
        assert (rated["spc_as_at"] == "March 2022").any(), area
    # Not vacuous: picked from the chart of every month (the old way), April changes some of these readings.
    old_way = whole_series_readings(demo_before_april)
    changed = [key for key, icon in old_way.items() if icon != after[key[1]].loc[key[0], "variation_icon"]]
    assert changed, "April 2022 should change at least one whole-series reading of Q4 2021/22"


def test_a_reading_ignores_the_months_after_the_period():
    """A constructed series: stable, then far higher after the period. Picked from the whole series, the
    period's last month reads as special cause (a run below the raised centre line); as it stood, common cause."""
    rng = np.random.default_rng(7)
    months = pd.date_range("2020-01-01", periods=30, freq="MS")
    values = np.r_[100 + rng.normal(0, 3, 22), [160.0] * 8]
    series = pd.DataFrame({"month": months, "value": values, "numerator": np.nan, "denominator": np.nan})
    row = {"measure_id": "m", "chart_kind": "xmr", "improvement_direction": "decrease", "unit": "count",
           "target": None}
    period = cal.month_range(cal.month("2021-08"), cal.month("2021-10"))  # points 20 to 22, before the jump
    stood = spc_for_row(row, series, period)
    later = series.assign(value=np.r_[values[:22], [400.0] * 8])
    assert spc_for_row(row, later, period) == stood  # whatever comes later
    assert stood.as_at == "October 2021" and stood.point.label == "October 2021"
    assert stood.variation == "common_cause"
    whole = spc_at(measure_spc(series, {**row, "id": "m"})[0], series["month"], None, period, "decrease", False)
    assert whole.variation != stood.variation and whole.as_at == "June 2022"  # the old reading, with later data
    truncated, _ = as_stood(series, period)
    assert truncated["month"].max() == pd.Timestamp("2021-10-01") and len(truncated) == 22
    assert narrative.draft_sentence(measure_name="M", area_name="A", period_label=period.label, value_text="1",
                                    point=stood.point, point_context=stood.context, comparison=None, unit="count",
                                    as_at=stood.as_at).startswith("M, A, " + period.label + ": 1; as at the end of "
                                                                  "October 2021, in October 2021")


def explorer(**params):
    from conftest import open_page

    chosen = {"priority": "11. Reduce all crime", "area": "Hinckley and Bosworth", "quarter": "Q4 2021/22",
              "measure": "Theft from the person (police.uk category)"}
    return open_page("priority_explorer", **{**chosen, **params})


def chart_texts(at) -> set[str]:
    """Every text value in the data of the page's Vega-Lite charts (Streamlit sends the datasets as Arrow; a
    layer's own few rows are inline in the spec)."""
    import pyarrow as pa
    from test_accessibility_pages import blocks

    texts = set()
    for children in blocks(at.main):
        for chart in (c for c in children if getattr(c, "type", None) == "vega_lite_chart"):
            for dataset in chart.proto.datasets:
                table = pa.ipc.open_stream(dataset.data.data).read_all()
                for column in table.columns:
                    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                        texts.update(v for v in column.to_pylist() if v)
            for layer in json.loads(chart.proto.spec).get("layer", []):
                texts.update(v for row in layer.get("data", {}).get("values", []) for v in row.values()
                             if isinstance(v, str) and v)
    return texts


def test_the_explorer_marks_where_the_reading_came_from_and_shows_later_data_on_request(app_env):
    """Theft from the person in Hinckley and Bosworth, Q4 2021/22: common cause as the series stood at the end of
    March 2022; with April 2022 the same point reads as special cause. The Overview shows the first."""
    at = explorer()
    overview = dashboard_data_row(app_env, "E07000132", "theft_from_person")
    assert at.toggle(key="later_data").value is False
    captions = " ".join(c.value for c in at.caption)
    assert "The icons describe March 2022, the period's last month, as at the end of March 2022." in captions
    assert "With later data (to the end of April 2022) the same point reads: special cause" in captions
    assert "Q4 2021/22 reading as at the end of March 2022" in chart_texts(at)
    draft = next(w.value for w in at.warning if "Draft" in w.value)
    assert draft.endswith(overview["narrative"]) and "as at the end of March 2022, " in draft
    assert overview["variation_icon"] == "common_cause"

    at.toggle(key="later_data").set_value(True).run()
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "as at the end of April 2022. This is the reading with later data." in captions
    assert "the period's own reading (the Overview's) is: common cause variation" in captions
    draft = next(w.value for w in at.warning if "Draft" in w.value)
    assert "as at the end of April 2022, in March 2022 (the period's last month), " in draft
    assert explorer(later_data="true").toggle(key="later_data").value is True  # the switch is kept in the URL


def test_the_switch_is_not_offered_where_no_later_months_are_charted(app_env):
    at = explorer(quarter="Q1 2022/23")
    assert not at.get("toggle") or all(t.key != "later_data" for t in at.toggle)


def dashboard_data_row(db, area_id: str, measure_id: str) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        table = dashboard_data.overview(con, area_id=area_id, area_name="Hinckley and Bosworth", period=QUARTER)
        return table.set_index("measure_id").loc[measure_id].to_dict()
    finally:
        con.close()


def test_importing_october_2022_leaves_q2_2022_23_as_it_stood(demo_copy, tmp_path, monkeypatch):
    """The issue's own case: Q2 2022/23 (July to September 2022) before and after October 2022 arrives, with the
    months made from the fixtures (each a year on from the real month: tests/police_uk_months.py)."""
    from police_uk_months import months_a_year_on

    monkeypatch.setenv("DASHBOARD_NOW", "2022-11-15T12:00:00")
    import_files(demo_copy, months_a_year_on("2022-05", "2022-09", tmp_path), actor=coordinator("t"))
    q2 = cal.quarter(2022, 2)

    def q2_readings():
        con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
        try:
            snapshot = as_the_app_reads(con)
            return {area: dashboard_data.overview(snapshot, area_id=area, area_name=area, period=q2)
                    .set_index("measure_id")[READING] for area in AREAS}
        finally:
            con.close()

    before = q2_readings()
    assert before[FORCE].at["all_crime", "spc_as_at"] == "September 2022"
    import_files(demo_copy, months_a_year_on("2022-10", "2022-10", tmp_path), actor=coordinator("t"))
    after = q2_readings()
    for area in AREAS:
        pd.testing.assert_frame_equal(before[area], after[area], obj=area)
