"""Panel mode and the Overview's exception view, through AppTest (the Panel paper page's saving of its
settings: tests/test_paper_cache.py)."""
from __future__ import annotations

import shutil

import pytest
from conftest import FORCE, PROJECT_ROOT, coordinator, open_page
from streamlit.testing.v1 import AppTest

APP = str(PROJECT_ROOT / "app.py")
# One worker draws this module's Panel decks (seconds each) once, for its tests that read the same data and quarter.
pytestmark = pytest.mark.xdist_group("panel-pages")


def run(**query_params) -> AppTest:
    # A cold deck is drawn in the first run: minutes on a busy machine (open_page's own app allows 120 s).
    return open_page(at=AppTest.from_file(APP, default_timeout=240), **query_params)


def deck(at: AppTest) -> str:
    bodies = [h.proto.body for h in at.get("html") if 'id="panel-deck"' in h.proto.body]
    assert len(bodies) == 1
    return bodies[0]


def test_panel_mode_has_no_sidebar_and_no_widgets(app_env):
    at = run(mode="panel", quarter="Q1 2021/22")
    assert len(at.sidebar) == 0
    for kind in ("selectbox", "radio", "toggle", "button", "text_input"):
        assert len(at.get(kind)) == 0, kind
    html = deck(at)
    assert "Q1 2021/22" in html and "Published data as at 31 May 2022" in html
    # title, the status of the 18 priorities, one screen of exceptions (6 measures, each read as the series stood
    # at the end of June 2021; 10 with later months), then a screen for each priority's lead measure or for each of
    # its measures needing attention: 18, and a second for priority 11 (shoplifting and public order)
    assert html.count('class="slide"') == 22
    assert html.count('data-kind="status"') == 1 and html.count('data-kind="exceptions"') == 1
    assert 'data-seconds="20"' in html  # the default interval


def test_panel_mode_holds_the_interval_at_five_seconds_at_least(app_env):
    html = deck(run(mode="panel", advance="2"))
    assert 'data-seconds="5"' in html and "advance=2 is below the minimum; using 5" in html
    assert 'data-seconds="20"' in deck(run(mode="panel", advance="soon"))


def test_another_pace_or_a_bad_one_does_not_draw_the_charts_again(app_env, monkeypatch):
    """The screens are read and drawn once per data and view: the address's `advance` only sets the pace (a hostile
    or mistyped one, each different, used to draw every chart of the deck again)."""
    import components.panel

    # The default quarter's deck, which the tests beside this one draw too (a deck costs seconds to draw).
    deck(run(mode="panel", quarter="Q4 2021/22", advance="25"))
    drawn = []
    real = components.panel.control_chart_spec
    monkeypatch.setattr(components.panel, "control_chart_spec", lambda *a, **k: drawn.append(1) or real(*a, **k))
    html = deck(run(mode="panel", quarter="Q4 2021/22", advance="40"))
    assert 'data-seconds="40"' in html and drawn == []
    html = deck(run(mode="panel", quarter="Q4 2021/22", advance="quick"))
    assert 'data-seconds="20"' in html and "not a whole number of seconds" in html and drawn == []


def test_panel_mode_explains_a_period_it_does_not_have(app_env):
    at = run(mode="panel", quarter="Q1 2030/31")
    assert "The quarter in the address is not one with data" in at.error[0].value
    assert "2030" not in at.error[0].value  # the address's own value is never repeated
    assert not [h for h in at.get("html") if 'id="panel-deck"' in h.proto.body]


DRAFT, PUBLISHED = "A draft the Panel must not see.", "Burglary is steady."


@pytest.fixture(scope="module")
def commentary_db(demo_db, tmp_path_factory):
    """A copy of the demo with commentary for the force, Q1 2021/22: on burglary (priority 12) a draft, then
    published words; on priority 11 a priority-level and a measure-level commentary
    (publish_priority_and_measure_commentary). The tests only read it, so its deck is drawn once."""
    from datetime import date

    from ingest.commentary import save_commentary

    db = tmp_path_factory.mktemp("commentary") / "dashboard.duckdb"
    shutil.copy(demo_db.resolve(), db)
    for based_on, (text, status) in enumerate(((DRAFT, "draft"), (PUBLISHED, "published"))):
        save_commentary(db, priority_id=12, area_id=FORCE, period_start=date(2021, 4, 1),
                        period_end=date(2021, 6, 1), text=text, actor=coordinator("Co-ordinator"), status=status,
                        based_on_version=based_on or None)
    return db, publish_priority_and_measure_commentary(db)


def test_panel_mode_shows_only_published_commentary(commentary_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(commentary_db[0]))
    monkeypatch.chdir(PROJECT_ROOT)
    html = deck(run(mode="panel", quarter="Q1 2021/22"))
    assert PUBLISHED in html and DRAFT not in html


def test_overview_can_show_only_the_measures_that_need_attention(app_env):
    at = run(quarter="Q1 2021/22", attention="true")
    assert at.toggle(key="attention").value is True
    # 6 and 33 (10 and 29 before): each reading as the series stood at the end of June 2021, not with later months
    assert any(m.value.startswith("**6 measures need attention.** 33 other measures are within expected levels")
               for m in at.markdown)
    table = at.get("html")[0].proto.body
    assert "Shoplifting (police.uk category)" in table and "Robbery (police.uk category)" not in table
    full = run(quarter="Q1 2021/22").get("html")[0].proto.body
    assert "Robbery (police.uk category)" in full


def test_overview_opens_panel_mode_with_its_filters(app_env):
    at = run(area="Rutland", quarter="Q1 2021/22")
    buttons = [b for b in at.get("link_button") if "Panel mode" in b.proto.label]
    assert buttons[0].proto.url == "?mode=panel&area=Rutland&period=Quarter&quarter=Q1+2021%2F22&attention=false"


def test_panel_mode_says_why_a_cumulative_measure_is_amber(app_env):
    """No SPC explains their RAG, so the screen gives its reason: the figure against the target."""
    import re

    html = deck(run(mode="panel", quarter="Q4 2021/22"))
    words = [re.sub(r"<[^>]+>", "", w) for w in re.findall(r'<p class="words">(.*?)</p>', html)]
    # savings, the £20m headline target: its priority's lead measure (front-line staff trained, the other such
    # measure, is not a lead and needs no attention, so since #19 it has no screen of its own)
    assert "Target not yet reached: £7.60m of £20.00m. RAG: Amber" in words


def test_a_priority_without_a_control_chart_says_so_without_denying_its_data(app_env):
    # Savings (priority 18) has published data, but a cumulative measure is shown as progress, not SPC.
    html = deck(run(mode="panel", quarter="Q1 2021/22"))
    savings = html[html.index('id="screen-priority-18"'):]
    assert "No control chart for this measure this period." in savings
    assert "with published data" not in savings


def publish_priority_and_measure_commentary(db) -> tuple[str, str]:
    """A priority-level and a measure-level (all recorded crime) commentary for the force, Q1 2021/22."""
    from datetime import date

    from ingest.commentary import save_commentary

    texts = ("Crime overall is within expected levels.", "All recorded crime fell on last year.")
    # The measure's is published first: the screen still puts the priority's own first.
    for measure_id, text in (("all_crime", texts[1]), (None, texts[0])):
        save_commentary(db, priority_id=11, measure_id=measure_id, area_id=FORCE, period_start=date(2021, 4, 1),
                        period_end=date(2021, 6, 1), text=text, actor=coordinator("jane.smith@example.org"),
                        status="published")
    return texts


def test_panel_mode_shows_every_published_commentary_of_a_priority_in_order(commentary_db, monkeypatch):
    db, (on_priority, on_measure) = commentary_db
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.chdir(PROJECT_ROOT)
    html = deck(run(mode="panel", quarter="Q1 2021/22"))
    screen = html[html.index('id="screen-priority-11"'):html.index('id="screen-priority-12"')]
    assert on_priority in screen and on_measure in screen
    assert screen.index(on_priority) < screen.index("All recorded crime (police.uk, excluding ASB):") \
        < screen.index(on_measure)
    assert "Jane Smith (co-ordinator)" in screen and "jane.smith@example.org" not in html


def test_panel_mode_refreshes_share_one_deck_per_data_version_and_free_it_with_the_version(demo_copy, monkeypatch):
    """A refresh every few seconds reads the deck again: it is the same deck, not a copy of its charts each time, and
    a publication frees the earlier snapshot's deck (a long meeting with publications holds one)."""
    import gc
    import weakref

    import components.panel

    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    monkeypatch.chdir(PROJECT_ROOT)
    decks = []
    read = components.panel._deck
    monkeypatch.setattr(components.panel, "_deck", lambda *args: decks.append(read(*args)) or decks[-1])
    at = run(mode="panel", quarter="Q3 2021/22")
    at.run()  # as a refresh
    assert len(decks) == 2 and decks[0] is decks[1]
    earlier = weakref.ref(decks[0])
    decks.clear()
    publish_priority_and_measure_commentary(demo_copy)  # a new snapshot
    assert "Crime overall is within expected levels." not in deck(at.run())  # Q1's note: not this quarter's deck
    gc.collect()
    assert earlier() is None
