"""Commentary: drafts, publishing, versions, per measure and per period, and two editors at once."""
from datetime import date

import duckdb
import pytest
from conftest import coordinator

import queries
from access import ANALYST, Actor, NotAllowed
from core.errors import LoadRefused
from ingest.commentary import CommentaryConflict, save_commentary

FORCE = "E23000021"
Q = {"period_start": date(2021, 4, 1), "period_end": date(2021, 6, 1)}
ALICE, BOB = coordinator("alice@example.org"), coordinator("bob@example.org")


def published(db, priority_id=8, first=Q["period_start"], last=Q["period_end"]):
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return queries.run(con, "app/published_commentary", {"priority_id": priority_id, "area_id": FORCE,
                                                             "first": first, "last": last})
    finally:
        con.close()


def save(db, text, status="draft", actor=ALICE, based_on=None, **extra):
    return save_commentary(db, priority_id=8, area_id=FORCE, text=text, status=status, actor=actor,
                           based_on_version=based_on, **{**Q, **extra})


def test_a_draft_is_not_published_until_the_coordinator_publishes(demo_copy):
    assert published(demo_copy).empty
    assert save(demo_copy, "Draft words") == 1
    assert published(demo_copy).empty
    assert save(demo_copy, "Final words", "published", based_on=1) == 2
    assert published(demo_copy)["text"].tolist() == ["Final words"]
    save(demo_copy, "Revised words", "published", based_on=2)
    shown = published(demo_copy)
    assert shown["text"].tolist() == ["Revised words"] and shown["version"].tolist() == [3]
    assert shown["author"].tolist() == ["alice@example.org"]  # the signed-in identity, not a typed name


def test_commentary_shows_only_for_the_period_it_was_written_for(demo_copy):
    save(demo_copy, "About Q1", "published")
    assert published(demo_copy)["text"].tolist() == ["About Q1"]
    # the financial year overlaps Q1 but is another period: the Q1 commentary is not shown there
    assert published(demo_copy, first=date(2021, 4, 1), last=date(2022, 3, 1)).empty
    assert published(demo_copy, first=date(2021, 6, 1), last=date(2021, 6, 1)).empty


def test_a_measure_has_commentary_of_its_own_beside_the_priority_s(demo_copy):
    save(demo_copy, "On the priority", "published")
    save(demo_copy, "On ASB incidents", "published", measure_id="asb_incidents")
    shown = published(demo_copy)
    assert shown["measure_id"].isna().tolist() == [True, False]
    assert shown["text"].tolist() == ["On the priority", "On ASB incidents"]
    assert shown["measure_id"].iloc[1] == "asb_incidents"


def test_the_second_of_two_editors_is_told_and_shown_the_newer_text(demo_copy):
    save(demo_copy, "First draft")  # version 1; both editors open it
    save(demo_copy, "Alice's words", actor=ALICE, based_on=1)  # version 2
    with pytest.raises(CommentaryConflict) as clash:
        save(demo_copy, "Bob's words", actor=BOB, based_on=1)
    assert clash.value.newer["text"] == "Alice's words" and int(clash.value.newer["version"]) == 2
    assert "alice@example.org saved version 2 while you were editing version 1" in clash.value.message
    # nothing was overwritten, and Bob can save once he has seen Alice's version
    assert save(demo_copy, "Bob's words, after reading Alice's", actor=BOB, based_on=2) == 3
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    kept = con.execute("SELECT version, author, text FROM commentary WHERE priority_id = 8 AND measure_id IS NULL "
                       "AND period_start = DATE '2021-04-01' ORDER BY version").fetchall()
    con.close()
    assert kept == [(1, "alice@example.org", "First draft"), (2, "alice@example.org", "Alice's words"),
                    (3, "bob@example.org", "Bob's words, after reading Alice's")]


def test_a_new_commentary_started_twice_conflicts_too(demo_copy):
    save(demo_copy, "Alice starts", based_on=None)
    with pytest.raises(CommentaryConflict):
        save(demo_copy, "Bob starts", actor=BOB, based_on=None)


def test_empty_or_overlong_commentary_is_refused(demo_copy):
    with pytest.raises(LoadRefused, match="empty"):
        save(demo_copy, "  ")
    with pytest.raises(LoadRefused, match="at most 5,000"):
        save(demo_copy, "x" * 5001)


@pytest.mark.parametrize("actor", [None, Actor("ann@example.org", ANALYST, "sign-in")])
def test_only_a_coordinator_writes_commentary(demo_copy, actor):
    with pytest.raises(NotAllowed, match="Only a .*co-ordinator may write commentary"):
        save(demo_copy, "words", actor=actor)
    assert published(demo_copy).empty


def test_the_drafted_commentary_holds_no_provisional_figure_and_publishing_it_shows_none(demo_copy, monkeypatch):
    """#23.3: on the demo (clock 31 May 2022) first-time entrants for January to April 2022 are provisional until
    15 June; the Commentary page drafted their figure for the co-ordinator with no mark, and publishing it showed
    the figure to the public."""
    import re

    from conftest import PROJECT_ROOT, shown, signed_in_app
    from streamlit.testing.v1 import AppTest

    import access
    import dashboard_data
    import datastore
    from analysis import calendar
    from analysis.availability import format_date

    period = calendar.month_range(calendar.month("2022-01"), calendar.month("2022-04"))
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    try:
        public = datastore.public_visibility(con)
        staff = access.Visibility(public.released_through, include_provisional=True)
        area_name = con.execute("SELECT name FROM areas WHERE id = ?", [FORCE]).fetchone()[0]
        tables = {who: dashboard_data.overview(datastore.reader(con, seen), area_id=FORCE, area_name=area_name,
                                               period=period, priority_id=1)
                  for who, seen in (("public", public), ("staff", staff))}
        released = con.execute("SELECT MAX(publish_after) FROM observations WHERE measure_id = 'yjs_first_time_entrants' "
                               "AND status = 'provisional' AND month BETWEEN DATE '2022-01-01' AND DATE '2022-04-01'"
                               ).fetchone()[0]
    finally:
        con.close()
    provisional = tables["staff"][tables["staff"]["provisional"]]
    assert len(provisional) == 1  # the case: one measure whose figure only staff see
    figure, staff_sentence = provisional.iloc[0]["value"], provisional.iloc[0]["narrative"]
    assert re.search(rf": {figure}\b", staff_sentence)

    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    params = {"priority": "1. Prevent youth offending", "period": "Months", "from": "2022-01", "to": "2022-04"}
    at = signed_in_app(demo_copy)
    at.query_params.update(params)
    at.run()
    at.switch_page("app_pages/commentary.py")
    at.run()
    assert not at.exception
    draft = [t for t in at.text_area if t.label == "Commentary"][0].value
    assert draft == " ".join(tables["public"]["narrative"])  # drafted from what the public sees
    assert staff_sentence not in draft and not re.search(rf": {figure}\b", draft)
    note = "\n".join(shown(i.value) for i in at.info)
    assert f"{provisional.iloc[0]['measure']}: provisional until {format_date(released)}; not in the draft" in note

    click(at, "Publish")
    click(at, "Yes, publish it unchanged")  # the untouched draft, confirmed
    assert published(demo_copy, priority_id=1, first=date(2022, 1, 1), last=date(2022, 4, 1))["text"].tolist() == [draft]

    viewer = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    viewer.query_params.update(params)
    viewer.run()
    viewer.switch_page("app_pages/commentary.py")
    viewer.run()
    assert not viewer.exception
    page = "\n".join(shown(m.value) for m in viewer.markdown)
    assert shown(draft[:60]) in page  # the published commentary is on the page
    assert not re.search(rf": {figure}\b", page)


def test_a_priority_s_commentary_comes_first_then_its_measures_in_catalogue_order(demo_copy):
    # Published in another order, and the catalogue puts shoplifting (111) before drugs (113): not alphabetical.
    for measure_id in ("drugs", "shoplifting", None):
        save_commentary(demo_copy, priority_id=11, measure_id=measure_id, area_id=FORCE, text=f"On {measure_id}",
                        status="published", actor=ALICE, **Q)
    shown = published(demo_copy, priority_id=11)
    assert [m if isinstance(m, str) else None for m in shown["measure_id"]] == [None, "shoplifting", "drugs"]


def commentary_page(db, **params):
    from conftest import signed_in_app

    at = signed_in_app(db)
    at.query_params.update({"quarter": "Q1 2021/22", **params})
    at.run()
    at.switch_page("app_pages/commentary.py")
    at.run()
    assert not at.exception
    return at


def box(at):
    return [t for t in at.text_area if t.label == "Commentary"][0]


def asks_to_confirm(at) -> bool:
    return any(w.value.startswith("Publish the machine-drafted text unchanged?") for w in at.warning)


def click(at, label):
    [b for b in at.button if b.label == label][0].click()
    at.run()
    assert not at.exception


def test_publishing_the_machine_draft_untouched_asks_for_confirmation_first(demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = commentary_page(demo_copy)
    priority = at.selectbox(key="commentary_priority").value
    draft = box(at).value
    assert draft  # the page starts from the drafted sentences
    click(at, "Publish")
    assert asks_to_confirm(at)
    assert published(demo_copy, priority_id=priority).empty  # not published on one click
    click(at, "No, let me edit it")
    assert not asks_to_confirm(at) and published(demo_copy, priority_id=priority).empty
    click(at, "Publish")
    click(at, "Yes, publish it unchanged")
    assert published(demo_copy, priority_id=priority)["text"].tolist() == [draft]


def test_typed_text_is_kept_per_item_when_another_priority_or_measure_is_chosen(demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = commentary_page(demo_copy)
    choose = at.selectbox(key="commentary_priority")
    first, second = choose.options[0], choose.options[1]
    draft = box(at).value
    box(at).input("My own words on the first priority.")
    choose.set_value(second)  # typed, then another priority chosen straight away (one run)
    at.run()
    assert box(at).value != "My own words on the first priority."  # the second priority's own text
    box(at).input("Words on the second.")
    at.run()
    measure = [s for s in at.selectbox if s.label == "About"][0]
    measure.set_value(measure.options[1])  # one of the second priority's measures, then back
    at.run()
    [s for s in at.selectbox if s.label == "About"][0].set_value(measure.options[0])
    at.run()
    assert box(at).value == "Words on the second."
    at.selectbox(key="commentary_priority").set_value(first)
    at.run()
    assert not at.exception
    assert box(at).value == "My own words on the first priority." != draft
    click(at, "Publish")  # typed text publishes at once: no confirmation, and not the draft
    assert not asks_to_confirm(at)
    assert published(demo_copy, priority_id=1)["text"].tolist() == ["My own words on the first priority."]


def test_text_typed_just_after_changing_the_priority_is_published_not_the_draft(demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = commentary_page(demo_copy)
    at.selectbox(key="commentary_priority").set_value(at.selectbox(key="commentary_priority").options[2])
    at.run()
    draft = box(at).value
    box(at).input("Typed straight after choosing the priority.")
    at.run()  # any rerun (a refresh, another widget) before the click
    at.run()
    assert box(at).value == "Typed straight after choosing the priority."
    click(at, "Publish")
    shown = published(demo_copy, priority_id=3)["text"].tolist()
    assert shown == ["Typed straight after choosing the priority."] and shown != [draft]


def test_typed_text_is_kept_per_period_too(demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = commentary_page(demo_copy)
    box(at).input("Words for Q1 2021/22.")
    at.selectbox(key="quarter").set_value("Q2 2021/22")
    at.run()
    assert not at.exception and box(at).value != "Words for Q1 2021/22."  # another period: its own text
    at.selectbox(key="quarter").set_value("Q1 2021/22")
    at.run()
    assert box(at).value == "Words for Q1 2021/22."
