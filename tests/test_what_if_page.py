"""The What-if page through AppTest: the analyst's question answered in words, nothing written unless a
co-ordinator confirms a rebase or adds an event, and every what-if marked as not the published figures."""
from __future__ import annotations

import json
import os
from datetime import date

import duckdb
import numpy as np
from conftest import ANALYST_EMAIL, COORDINATOR_EMAIL, FORCE, open_page, shown, signed_in_app, table_checksum
from streamlit.testing.v1 import AppTest

from analysis import spc

VEHICLE = "Vehicle crime (police.uk category)"


def what_if_page(email: str = ANALYST_EMAIL, **query_params) -> AppTest:
    """The What-if page for a signed-in user (an analyst by default: the what-if tools are theirs)."""
    at = signed_in_app(os.environ["DASHBOARD_DB"], role=None, email=email)
    at.default_timeout = 120
    return open_page("what_if", at=at, **query_params)


def what_if_spec(at: AppTest) -> dict:
    return next(spec for spec in (json.loads(e.proto.spec) for e in at.get("vega_lite_chart"))
                if isinstance(spec.get("title"), dict) and spec["title"]["text"].startswith("What-if:"))


def plotted(at: AppTest) -> bytes:
    """The chart's data as sent: its shared dataset (Arrow) and the few rows its layers carry inline in the spec."""
    element = next(e for e in at.get("vega_lite_chart") if "What-if:" in e.proto.spec)
    inline = [layer["data"]["values"] for layer in json.loads(element.proto.spec)["layer"] if "values" in layer.get("data", {})]
    return b"".join(dataset.data.data for dataset in element.proto.datasets) + json.dumps(inline, ensure_ascii=False).encode()


def test_an_analyst_asks_when_a_15_percent_fall_in_vehicle_crime_would_show(app_env):
    before = table_checksum(app_env)
    at = what_if_page(wi_measure=VEHICLE)
    assert [t.value for t in at.title] == ["What-if"]
    at.checkbox(key="wi_sc_on").check()  # the defaults: a 15% fall from the month after the latest data
    at.run()
    assert not at.exception, at.exception
    answer = at.success[0].value
    # The current level (the last 12 months, 497) is below the chart's mean (519), so on the noise-free path the
    # unchanged series shows seven months in a row below the average by itself, in the month the changed one does.
    assert answer.startswith(
        "**If vehicle crime (police.uk category) in Leicester, Leicestershire and Rutland (force area) fell 15% from "
        "May 2022: on the expected path (no noise) the unchanged series, continuing at its current level of 497, "
        "would show special cause in November 2022 (seven months in a row below the average); the change does not change that.** "
        "With common-cause noise added to the projected months (1,000 runs, seed 2022;")
    assert "each run judged against its unchanged twin with the same noise, the median is" in answer
    assert "of the unchanged twins show special cause in that direction by April 2024 by chance." in answer
    assert any(c.value.startswith("Projected months continue the process's current level: the mean of the last 12 "
                                  "months of the chart's latest segment (May 2021 to April 2022), 497.")
               for c in at.caption)
    assert table_checksum(app_env) == before  # nothing written


def test_the_expected_answer_is_the_engine_run_on_the_modified_series(demo_con):
    # The page's answer checked with the engine alone: the 29 published months, then 24 months at the current
    # level (the mean of the last 12 months; the demo stores no rebase), unchanged and less 15%. Both charts first
    # flag a point from May 2022 on as low in November 2022 (a run of 7), so the change is not credited with it.
    history = np.array([v for (v,) in demo_con.execute(
        "SELECT value FROM observations WHERE status = 'published' AND measure_id = 'vehicle_crime' AND area_id = ? ORDER BY month",
        [FORCE]).fetchall()])
    assert len(history) == 29  # December 2019 to April 2022
    level = history[-12:].mean()
    assert round(level) == 497 and level < history.mean()
    may, november = 29, 35

    def flagged_low(values: np.ndarray, last: int) -> bool:
        return bool((spc.xmr(values[: last + 1]).points["flag"].iloc[may:] == -1).any())

    for modified in (np.concatenate([history, [level] * 24]), np.concatenate([history, [0.85 * level] * 24])):
        assert flagged_low(modified, november) and not any(flagged_low(modified, t) for t in range(may, november))
        assert spc.xmr(modified[: november + 1]).points["rule_label"].iloc[may] == "7 Points Below CL"


def test_a_zero_change_reads_no_change_to_detect(app_env):
    at = what_if_page(wi_measure=VEHICLE, wi_sc_on="true", wi_sc_pct="0")
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        "**If vehicle crime (police.uk category) in Leicester, Leicestershire and Rutland (force area) changed by 0% "
        "from May 2022, the series would be as it is: no change to detect.**"]
    assert not [e for e in at.expander if e.label == "The simulated runs"]


def test_asb_a_fall_from_january_2022_is_judged_against_the_unchanged_series(app_env):
    answers = {}
    for change in ("-1", "-10"):
        at = what_if_page(wi_measure="ASB incidents", wi_sc_on="true", wi_sc_from="January 2022", wi_sc_pct=change)
        assert not at.exception, at.exception
        answers[change] = at.success[0].value
    # The unchanged series already flags January 2022 (in months that have data): neither fall is credited with it.
    for answer in answers.values():
        assert "the unchanged series already shows special cause in January 2022 (two of three months near the " \
               "lower limit)" in answer
        assert "the chart would first show it in January 2022" not in answer


def test_the_chart_and_its_files_say_what_if_not_the_published_figures(app_env):
    at = what_if_page(wi_measure=VEHICLE, wi_sc_on="true")
    spec = what_if_spec(at)
    assert spec["title"]["text"] == f"What-if: {VEHICLE}"
    assert spec["title"]["subtitle"] == ["Leicester, Leicestershire and Rutland (force area)",
                                         "What-if, not the published figures"]
    assert any("What-if, not the published figures." in w.value for w in at.warning)
    downloads = list(at.get("download_button"))
    assert {d.proto.label for d in downloads} == {"Chart (PNG)", "Chart data (CSV)", "Download table (CSV)",
                                                  "Download table (Excel)"}  # the chart and the simulated runs
    assert all("-what-if-" in d.proto.id for d in downloads)  # files named what-if-…; their content: browser test


def test_excluded_points_from_the_url_leave_the_limits_and_are_drawn_with_their_reason(app_env):
    at = what_if_page(**{"wi_measure": "ASB incidents", "wi_exclude": "April 2020", "wi_why_2020-04": "Lockdown"})
    assert any(shown(m.value) == "**What-if:** April 2020 excluded (Lockdown)." for m in at.markdown)
    assert b"Lockdown" in plotted(at)


def test_an_exclusion_without_a_reason_is_not_applied_and_says_so(app_env):
    at = what_if_page(wi_measure="ASB incidents", wi_exclude="April 2020")
    assert any("Give a reason for April 2020" in w.value for w in at.warning)
    assert any(shown(m.value) == "**What-if:** no changes (the published chart)." for m in at.markdown)


def test_another_target_moves_the_assurance_icon(app_env):
    at = what_if_page(wi_measure="ASB incidents", wi_target_on="true", wi_target="100")
    icons = [m.value for m in at.markdown if "<svg" in m.value]
    published, what_if = icons[0], icons[1]
    assert "No target to assure against" in published
    assert "Will consistently miss the target" in what_if  # 100 a month is far below ASB's lower limit


def test_a_baseline_too_short_is_explained_and_the_published_chart_shown(app_env):
    at = what_if_page(wi_measure="ASB incidents", wi_base_on="true", wi_base_from="December 2019",
                      wi_base_to="March 2020")
    assert [e.value for e in at.error] == ["A baseline needs at least 12 points (Making Data Count); December 2019 to "
                                           "March 2020 has 4. The chart below is the published one."]


def test_a_survey_rate_has_no_scenario_and_says_why(app_env):
    at = what_if_page(wi_measure="Domestic abuse victim satisfaction (%)")
    assert any(c.value.startswith("Scenarios are projected on XmR charts") for c in at.caption)


def test_a_coordinator_confirms_the_suggested_rebase(demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = what_if_page(COORDINATOR_EMAIL, wi_measure="ASB incidents")
    suggestion = [i.value for i in at.info if i.value.startswith("**Suggested rebase.**")]
    assert suggestion == ["**Suggested rebase.** 9 points in a row below the mean since August 2021: the process may "
                          "have shifted. A co-ordinator may rebase the chart from August 2021, with a reason; it is "
                          "never done automatically."]
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    assert con.execute("SELECT COUNT(*) FROM spc_rebases").fetchone() == (0,)  # suggested, not applied
    con.close()
    [t for t in at.text_input if t.label == "Reason (shown on the chart)"][0].input("ASB recording change")
    [b for b in at.button if b.label == "Store this rebase"][0].click()
    at.run()
    assert not at.exception, at.exception
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    stored = con.execute("SELECT measure_id, area_id, month, reason, created_by FROM spc_rebases").fetchall()
    con.close()
    assert stored == [("asb_incidents", FORCE, date(2021, 8, 1), "ASB recording change", COORDINATOR_EMAIL)]


def test_a_coordinator_adds_an_event_for_every_chart_and_removes_it(demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = what_if_page(COORDINATOR_EMAIL, wi_measure="ASB incidents")
    at.selectbox(key="event-month").set_value("2020-03")
    at.text_input(key="event-text").input("Coronavirus restrictions begin")
    at.radio(key="event-measures-scope").set_value("All")
    at.radio(key="event-areas-scope").set_value("All")
    at.text_input(key="event-reason").input("Government announcement")
    at.button(key="event-add").click()
    at.run()
    assert not at.exception, at.exception
    assert b"Coronavirus restriction\xe2\x80\xa6" in plotted(at)  # the label, cut to 24 characters
    assert any("Events marked (not rebased): March 2020, Coronavirus restrictions begin." in c.value for c in at.caption)
    at.text_input(key="event-remove-reason").input("Added on the wrong page")
    at.button(key="event-remove").click()
    at.run()
    assert not at.exception, at.exception
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    audit = con.execute("SELECT text, measure_ids, area_ids, reason, created_by, removal_reason, removed_by "
                        "FROM chart_annotations").fetchall()
    con.close()
    assert audit == [("Coronavirus restrictions begin", None, None, "Government announcement", COORDINATOR_EMAIL,
                      "Added on the wrong page", COORDINATOR_EMAIL)]
    assert b"Coronavirus restriction\xe2\x80\xa6" not in plotted(at)


def test_the_explorer_links_to_the_what_if_page_for_its_measure_and_area(app_env):
    at = open_page("priority_explorer", priority="8. Anti-social behaviour", area="Charnwood")
    link = next(e for e in at.get("page_link") if e.proto.label == "What-if")
    assert link.proto.page == "what-if"
    assert link.proto.query_string == "wi_measure=ASB+incidents&wi_area=Charnwood"


def test_the_what_if_chart_table_names_its_columns_in_words(app_env):
    # Its last column showed the raw name "what_if" (observed or projected).
    at = what_if_page(wi_measure=VEHICLE)
    at.checkbox(key="wi_sc_on").check()
    at.run()
    assert not at.exception, at.exception
    raw = [column for table in at.table for column in table.value.columns if "_" in str(column)]
    assert raw == []
    assert "Observed or projected" in list(at.table[0].value.columns)


def test_with_a_scenario_the_what_if_icons_describe_the_chart_drawn(app_env):
    # The chart runs to April 2024, whose projected point is flagged (7 points below the mean, an improvement
    # for vehicle crime); the icons beside it said "Common cause variation", from April 2022 of a chart not drawn.
    at = what_if_page(wi_measure=VEHICLE, wi_sc_on="true")
    table = at.table[0].value
    assert list(table.iloc[-1][["Month", "SPC rule", "Variation"]]) == [
        "April 2024", "seven months in a row below the average", "Improvement"]
    icons = [m.value for m in at.markdown if "<svg" in m.value]
    published, what_if = icons[0], icons[1]
    assert "Common cause variation" in published
    assert "Special cause improvement: low" in what_if
    assert any(m.value == "What-if chart, latest month (April 2024)" for m in at.markdown)
