"""Chart events (annotations): stored and audited through a published change, read by every chart of the
measures and areas they apply to, drawn as labelled vertical rules that never change the chart's size,
and removed with who, when and why kept."""
from __future__ import annotations

import re
from datetime import date

import duckdb
import pandas as pd
import pytest
import vl_convert as vlc
from conftest import FORCE, coordinator, table_checksum

import dashboard_data
from ingest.annotations import AnnotationRefused, add_annotation, remove_annotation
from render.control_chart import chart_frame, control_chart, describe_events, event_layers

CHARNWOOD = "E07000130"


def read(db, measure_id: str, area_id: str):
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return dashboard_data.charted_series(con, measure_id, area_id)
    finally:
        con.close()


def rows(db) -> list[tuple]:
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return con.execute("SELECT id, month, text, measure_ids, area_ids, reason, created_by, removed_by, removal_reason, "
                           "created_at IS NOT NULL, removed_at IS NOT NULL FROM chart_annotations ORDER BY id").fetchall()
    finally:
        con.close()


def test_an_event_for_every_chart_is_stored_with_who_and_why_and_read_by_every_chart(demo_copy):
    number = add_annotation(demo_copy, month=date(2020, 3, 23), text="Coronavirus restrictions begin", measure_ids=None,
                            area_ids=None, reason="Government announcement, 23 March 2020", actor=coordinator("Co-ordinator"))
    assert number == 1
    assert rows(demo_copy) == [(1, date(2020, 3, 1), "Coronavirus restrictions begin", None, None,
                                "Government announcement, 23 March 2020", "Co-ordinator", None, None, True, False)]
    for measure_id, area_id in (("asb_incidents", CHARNWOOD), ("vehicle_crime", FORCE), ("iom_reoffending_rate", FORCE)):
        events = read(demo_copy, measure_id, area_id).annotations
        assert list(events["text"]) == ["Coronavirus restrictions begin"], (measure_id, area_id)
        assert list(events["month"]) == [pd.Timestamp("2020-03-01")]


def test_an_event_for_some_measures_and_areas_shows_only_on_theirs(demo_copy):
    add_annotation(demo_copy, month=date(2021, 4, 1), text="New recording standard", measure_ids=["all_crime", "burglary"],
                   area_ids=[CHARNWOOD], reason="Home Office counting rules", actor=coordinator("Co-ordinator"))
    assert list(read(demo_copy, "burglary", CHARNWOOD).annotations["text"]) == ["New recording standard"]
    assert list(read(demo_copy, "all_crime", CHARNWOOD).annotations["text"]) == ["New recording standard"]
    assert read(demo_copy, "burglary", FORCE).annotations.empty
    assert read(demo_copy, "asb_incidents", CHARNWOOD).annotations.empty


def test_an_event_never_rebases_the_chart(demo_copy):
    before = read(demo_copy, "asb_incidents", FORCE)
    add_annotation(demo_copy, month=date(2020, 3, 1), text="Coronavirus restrictions begin", measure_ids=None, area_ids=None,
                   reason="r", actor=coordinator("Co-ordinator"))
    after = read(demo_copy, "asb_incidents", FORCE)
    pd.testing.assert_frame_equal(before.result.points, after.result.points)
    assert after.rebases.empty


def test_an_event_outside_the_charted_months_is_not_on_the_chart(demo_copy):
    add_annotation(demo_copy, month=date(2018, 1, 1), text="Long before the data", measure_ids=None, area_ids=None,
                   reason="r", actor=coordinator("Co-ordinator"))
    assert read(demo_copy, "asb_incidents", FORCE).annotations.empty


def test_removing_an_event_keeps_it_with_who_when_and_why(demo_copy):
    number = add_annotation(demo_copy, month=date(2020, 3, 1), text="Coronavirus restrictions begin", measure_ids=None,
                            area_ids=None, reason="Announcement", actor=coordinator("Co-ordinator"))
    remove_annotation(demo_copy, annotation_id=number, reason="Entered on the wrong month", actor=coordinator("Second co-ordinator"))
    assert rows(demo_copy) == [(1, date(2020, 3, 1), "Coronavirus restrictions begin", None, None, "Announcement",
                                "Co-ordinator", "Second co-ordinator", "Entered on the wrong month", True, True)]
    assert read(demo_copy, "asb_incidents", FORCE).annotations.empty
    with pytest.raises(AnnotationRefused, match="already been removed"):
        remove_annotation(demo_copy, annotation_id=number, reason="again", actor=coordinator("x"))


@pytest.mark.parametrize("kwargs, message", [
    ({"text": "  "}, "needs a short text"),
    ({"text": "x" * 61}, "Keep the event's text to 60 characters; it has 61"),
    ({"reason": ""}, "needs a reason"),
    ({"measure_ids": ["nope"]}, "There is no measure 'nope'"),
    ({"area_ids": ["E99999999"]}, "There is no area 'E99999999'"),
])
def test_a_bad_event_is_refused_and_changes_nothing(demo_copy, kwargs, message):
    before = table_checksum(demo_copy)
    arguments = {"month": date(2020, 3, 1), "text": "Coronavirus restrictions begin", "measure_ids": None,
                 "area_ids": None, "reason": "r", "actor": coordinator(), **kwargs}
    with pytest.raises(AnnotationRefused, match=message):
        add_annotation(demo_copy, **arguments)
    assert table_checksum(demo_copy) == before


def test_removing_needs_a_reason_a_name_and_a_real_event(demo_copy):
    with pytest.raises(AnnotationRefused, match="no event number 7"):
        remove_annotation(demo_copy, annotation_id=7, reason="r", actor=coordinator("x"))
    with pytest.raises(AnnotationRefused, match="Removing an event needs a reason"):
        remove_annotation(demo_copy, annotation_id=1, reason="", actor=coordinator("x"))


# ---------------------------------------------------------------------------
# Drawn on the chart
# ---------------------------------------------------------------------------

POINTS = pd.DataFrame({
    "month": pd.date_range("2020-01-01", periods=24, freq="MS"), "value": [100.0, 110.0] * 12, "segment": 0,
    "mean": 105.0, "lpl": 78.4, "upl": 131.6, "near_lpl": 87.27, "near_upl": 122.73, "trial_limits": False,
    "flag": 0, "rule": 0, "rule_words": "common cause", "special_cause": "common_cause",
})
EVENTS = pd.DataFrame({"month": [pd.Timestamp("2020-03-01"), pd.Timestamp("2021-11-01")],
                       "text": ["Coronavirus restrictions begin", "A new national crime recording standard comes in"]})


def chart_spec(annotations) -> dict:
    return control_chart(chart_frame(POINTS), title="t", description="d", annotations=annotations)


def test_events_are_dashed_vertical_rules_with_a_short_label_and_the_whole_text_in_the_tooltip():
    layers = event_layers(EVENTS, POINTS["month"])
    rule, *labels = layers
    assert rule["mark"]["type"] == "rule" and rule["mark"]["strokeDash"] == [8, 3, 2, 3]
    assert rule["encoding"]["x"] == {"field": "month", "type": "temporal"}
    data = [row for label in labels for row in label["data"]["values"]]
    assert [row["label"] for row in data] == ["Coronavirus restriction…", "A new national crime re…"]  # 24 at most
    assert [row["text"] for row in data] == list(EVENTS["text"])
    assert [t["field"] for t in labels[0]["encoding"]["tooltip"]] == ["text", "when"]
    # the early event's label reads rightwards from its rule, the late one's leftwards: both stay inside the plot
    assert [label["mark"]["align"] for label in labels] == ["left", "right"]
    assert all(label["mark"]["limit"] == 150 for label in labels)


def svg_size(spec: dict) -> tuple[str, str]:
    svg = vlc.vegalite_to_svg(spec)
    return re.search(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"', svg).groups()


def test_events_never_change_the_charts_size():
    plain = svg_size(chart_spec(None))
    late_and_long = pd.DataFrame({"month": [pd.Timestamp("2021-12-01"), pd.Timestamp("2020-01-01")],
                                  "text": ["x" * 60, "y" * 60]})
    outside = pd.DataFrame({"month": [pd.Timestamp("2019-01-01"), pd.Timestamp("2023-06-01")], "text": ["early", "late"]})
    assert svg_size(chart_spec(EVENTS)) == plain
    assert svg_size(chart_spec(late_and_long)) == plain
    assert svg_size(chart_spec(outside)) == plain
    assert event_layers(outside, POINTS["month"]) == []


def test_the_caption_names_the_events():
    assert describe_events(EVENTS) == (" Events marked (not rebased): March 2020, Coronavirus restrictions begin; "
                                       "November 2021, A new national crime recording standard comes in.")
    assert describe_events(None) == "" and describe_events(EVENTS.iloc[:0]) == ""
