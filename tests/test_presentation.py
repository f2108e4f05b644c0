"""Words on the pages that a reader relies on to read a chart or a table right (found by looking at every
page in a browser): AppTest of the app over the session's demo."""
from __future__ import annotations

from conftest import PROJECT_ROOT, open_page
from streamlit.testing.v1 import AppTest

APP = str(PROJECT_ROOT / "app.py")


def explorer(**query_params) -> AppTest:
    return open_page("priority_explorer", **query_params)


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


def test_roles_take_the_right_article():
    from access import ANALYST, COORDINATOR, VIEWER, a_role

    assert [a_role(r) for r in (VIEWER, ANALYST, COORDINATOR)] == ["a viewer", "an analyst", "a co-ordinator"]


def test_the_public_is_told_to_sign_in_as_an_analyst_for_the_what_if_tools(app_env):
    from conftest import TEST_AUTH

    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = TEST_AUTH  # sign-in set up, nobody signed in
    at.user = {"is_logged_in": False}
    open_page("what_if", at=at)
    assert [i.value for i in at.main.info] == [
        "To use the what-if tools, sign in as an analyst (the Sign in button is in the sidebar)."]


def test_the_command_line_says_an_analyst(demo_copy, capsys):
    from ingest.__main__ import main

    assert main(["role", "--db", str(demo_copy), "--email", "someone@example.org", "--role", "analyst"]) == 0
    assert capsys.readouterr().out == "someone@example.org is now an analyst.\n"


def test_the_explorer_marks_a_provisional_figure_for_a_coordinator(app_env):
    from conftest import signed_in_app

    at = open_page("priority_explorer", at=signed_in_app(app_env, role=None),  # the demo grants the co-ordinator
                   priority="1. Prevent youth offending", quarter="Q4 2021/22")
    headline = next(m.value for m in at.main.markdown if m.value.startswith("**Q4 2021/22:"))
    assert headline.startswith("**Q4 2021/22: 73** **(Provisional, not for publication)** · same period last year: 65")


def test_the_explorer_does_not_mark_a_published_figure(app_env):
    at = explorer(priority="8. Anti-social behaviour", quarter="Q4 2021/22")
    headline = next(m.value for m in at.main.markdown if m.value.startswith("**Q4 2021/22:"))
    assert "Provisional" not in headline and headline.startswith("**Q4 2021/22: 2,340** · same period")


def test_the_survey_table_shows_rates_to_one_decimal_and_room_for_why(app_env):
    import json

    at = open_page("victim_satisfaction")
    table = at.dataframe[0]
    assert list(table.value.columns) == ["Survey", "Satisfied", "Responses", "Rate (%)", "95% interval", "Sample", "Why"]
    columns = json.loads(table.proto.columns)
    assert columns["Rate (%)"]["type_config"]["format"] == "%.1f"  # 81.0 beside 89.1, not 81
    assert columns["Why"]["width"] == "large"  # "11 responses, fewer than 50: treat the rate with caution" was cut


def test_the_data_page_heads_its_audit_tables_in_words(app_env):
    import json

    from conftest import signed_in_app

    at = signed_in_app(app_env, role=None)
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    assert not at.exception, at.exception
    shown = {}
    for table in at.dataframe:
        columns = json.loads(table.proto.columns)
        shown[tuple(table.value.columns)] = {name: columns.get(name, {}).get("label") for name in table.value.columns}
    provisional = shown[("measure", "partner", "rows", "first_month", "last_month", "publish_after")]
    assert provisional == {"measure": "Measure", "partner": "Partner", "rows": "Rows held back",
                           "first_month": "First month", "last_month": "Last month",
                           "publish_after": "Public from (09:30)"}
    submissions = shown[("id", "loaded_at", "loaded_by", "kind", "partner", "file_name", "sha256", "rows_in_file",
                         "rows_added", "rows_replaced")]
    assert None not in submissions.values() and submissions["sha256"] == "SHA-256"
    assert shown[("principal", "kind", "role", "granted_by", "granted_at")]["principal"] == "E-mail address or group"
    changes = shown[("principal", "kind", "old_role", "new_role", "changed_by", "changed_at")]
    assert changes["old_role"] == "Role before" and changes["new_role"] == "Role after"


def test_the_savings_plan_lines_show_their_target_date_as_a_day(app_env):
    import json

    at = open_page("savings")
    plan = next(t for t in at.dataframe if "Target date" in t.value.columns)
    assert json.loads(plan.proto.columns)["Target date"]["type_config"] == {"type": "date", "format": "D MMMM YYYY"}


def plot_height(svg: str) -> float:
    """The plot's height in a Vega SVG: the length of the y axis's domain line."""
    import re

    lengths = [abs(float(y2)) for y2 in re.findall(r'role-axis-domain"[^>]*><line [^>]*x2="0" y2="(-[\d.]+)"', svg)]
    assert len(lengths) == 1, lengths
    return lengths[0]


def test_panel_and_paper_charts_give_their_height_to_the_plot_not_the_legend(demo_con):
    """Their legend goes in two columns (two rows, not four): on a 470 px Panel chart the plot was 208 px."""
    import dashboard_data
    from analysis import calendar
    from render.static_chart import PANEL_STYLE, PAPER_STYLE, control_chart_spec, svg_from_spec

    charted = dashboard_data.charted_series(demo_con, "all_crime", "E23000021")
    heights = [plot_height(svg_from_spec(control_chart_spec(charted, area_name="force", period=calendar.quarter(2021, 4),
                                                            style=style))) for style in (PANEL_STYLE, PAPER_STYLE)]
    assert heights[0] >= 240 and heights[1] >= 125, heights


def test_a_panel_chart_names_its_period_and_its_legend_lists_only_the_kinds_of_point_drawn(demo_con):
    """#19.4: the shaded quarter was unlabelled and the legend listed "Special cause: neither" with none drawn;
    every letter is at least 36 px at 1920x1080, read from the back of a chamber."""
    import re

    import dashboard_data
    from analysis import calendar
    from render.control_chart import CLASSES, chart_frame
    from render.static_chart import PANEL_STYLE, control_chart_spec, svg_from_spec

    period = calendar.quarter(2021, 1)
    charted = dashboard_data.charted_series(demo_con, "shoplifting", "E23000021", last=period.last.start_time.date())
    drawn = set(chart_frame(charted.points)["classification"])
    svg = svg_from_spec(control_chart_spec(charted, area_name="force", period=period, style=PANEL_STYLE))
    assert f">{period.label}</text>" in svg
    legend = {label for label, _, _ in CLASSES.values() if f">{label}</text>" in svg}
    assert legend == drawn and len(drawn) < len(CLASSES)
    assert min(float(size) for size in re.findall(r'font-size="([\d.]+)px"', svg)) >= 36


def test_a_district_chart_says_which_months_police_uk_left_records_without_a_location(app_env):
    # March 2020: 1,157 of the force's 7,083 recorded crimes (16.3%) had no location, against a usual 0.7%;
    # Harborough's count that month is 4 where about 300 is usual.
    text = captions(explorer(priority="11. Reduce all crime", area="Harborough"))
    assert "**Missing locations.** police.uk gave no location to an unusual share of the force's records" in text
    assert "the most in March 2020, 16.3% against a usual 0.7%" in text
    force = captions(explorer(priority="11. Reduce all crime"))
    assert "Missing locations" not in force  # the force area's count includes them


def first_measures_without_data(con, period_label: str) -> list[tuple[str, list[str], list[str]]]:
    """(priority label, its measures' names in catalogue order, those with a figure) for each priority whose first
    measure has no figure for the period at force level, as the public sees it."""
    import dashboard_data
    from analysis import calendar

    period = calendar.parse_period_label(period_label)
    table = dashboard_data.overview(con, area_id="E23000021", area_name="force area", period=period)
    short_names = dict(con.sql("SELECT id, short_name FROM priorities").fetchall())
    found = []
    for priority_id, rows in table.groupby("priority_id", sort=False):
        rows = rows[rows["measure_id"].notna()]
        if rows.empty or rows["status"].iloc[0] in ("complete", "partial"):
            continue
        found.append((f"{priority_id}. {short_names[priority_id]}", list(rows["measure"]),
                      list(rows.loc[rows["status"].isin(["complete", "partial"]), "measure"])))
    return found


def test_the_explorer_opens_on_the_first_measure_with_data_for_the_period(app_env, demo_con):
    found = [f for f in first_measures_without_data(demo_con, "Q4 2021/22") if f[2]]
    assert found, "the demo should have a priority whose first measure has no figure for Q4 2021/22"
    for priority, measures, with_data in found:
        at = explorer(priority=priority, quarter="Q4 2021/22")
        assert names_of(at) == with_data[0]
        assert not any("No measure of this priority" in i.value for i in at.main.info)
        # a measure chosen in the URL stays chosen, figure or not
        assert names_of(explorer(priority=priority, quarter="Q4 2021/22", measure=measures[0])) == measures[0]


def test_the_explorer_says_when_no_measure_of_the_priority_has_data(app_env, demo_con):
    found = [f for f in first_measures_without_data(demo_con, "Q4 2021/22") if not f[2]]
    assert found, "the demo should have a priority with no figure for Q4 2021/22 (priority 1 is provisional)"
    priority, measures, _ = found[0]
    at = explorer(priority=priority, quarter="Q4 2021/22")
    assert names_of(at) == measures[0]
    assert any(i.value.startswith("No measure of this priority has data for Q4 2021/22") for i in at.main.info)


def test_a_measure_of_another_priority_in_the_url_gives_way_to_one_with_data(app_env, demo_con):
    priority, _, with_data = next(f for f in first_measures_without_data(demo_con, "Q4 2021/22") if f[2])
    other = demo_con.execute("SELECT name FROM measures WHERE id = 'asb_incidents'").fetchone()[0]
    assert names_of(explorer(priority=priority, quarter="Q4 2021/22", measure=other)) == with_data[0]


def names_of(at: AppTest) -> str:
    """The name of the measure the explorer shows."""
    box = at.selectbox(key="measure")
    return box.format_func(box.value)
