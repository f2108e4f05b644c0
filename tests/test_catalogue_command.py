"""The catalogue as data that changes: `python -m ingest catalogue add|retire|update` on a database the app is
serving, audited, checked in plain words, and on the Overview from the next interaction."""
from __future__ import annotations

import re
import subprocess
import sys

import duckdb
import pytest
from conftest import FORCE, PROJECT_ROOT, coordinator, open_page, shown

import dashboard_data
from access import ANALYST, Actor, NotAllowed, operator
from analysis import calendar as cal
from ingest.catalogue import CatalogueRefused, add_measure, retire_measure, update_measure
from ingest.publish import published_before

NEW = dict(measure_id="stalking_reports", priority_id=5, name="Stalking offences reported", unit="count",
           polarity="increase", partner="Police", reason="Agreed by the Panel on 1 June 2022")


def catalogue_command(db, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest", "catalogue", *args, "--db", str(db)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)


def overview_rows(at) -> dict[str, str]:
    """Each measure's row of the Overview's table as the page drew it (its HTML), by measure id."""
    body = next(h.proto.body for h in at.get("html") if "data-measure=" in h.proto.body)
    rows = re.findall(r"<tr\b.*?</tr>", body, re.S)
    return {re.search(r'data-measure="([^"]+)"', row).group(1): row for row in rows if "data-measure=" in row}


def read(db, sql, params=None):
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def force_overview(db, priority_id=None):
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return dashboard_data.overview(con, area_id=FORCE, area_name="force", period=cal.quarter(2021, 4),
                                       priority_id=priority_id).set_index("measure_id")
    finally:
        con.close()


def test_a_measure_added_by_the_command_shows_on_the_served_overview_at_the_next_interaction_and_nothing_else_moves(
        demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    monkeypatch.chdir(PROJECT_ROOT)
    at = open_page()
    before = overview_rows(at)
    assert before and NEW["measure_id"] not in before

    done = catalogue_command(demo_copy, "add", "--measure-id", NEW["measure_id"], "--priority", "5", "--name",
                             NEW["name"], "--unit", "count", "--polarity", "increase", "--partner", "Police",
                             "--reason", NEW["reason"])
    assert done.returncode == 0, done.stderr
    assert NEW["name"] in done.stdout

    at.run()  # the next interaction of the same session: no restart
    assert not at.exception
    after = overview_rows(at)
    added = shown(after.pop(NEW["measure_id"]))
    assert NEW["name"] in added and "No data has been received" in added
    assert after == before  # every other row, figure for figure, as it was


def test_the_added_measure_sits_last_in_its_priority_with_no_data_and_is_audited(demo_copy):
    row = add_measure(demo_copy, **NEW, actor=operator())
    overview = force_overview(demo_copy, priority_id=5)
    assert list(overview.index)[-1] == NEW["measure_id"]
    assert overview.loc[NEW["measure_id"], "status"] == "no data"
    assert row["chart_kind"] == "xmr" and row["aggregation"] == "sum" and row["sort_order"] > 52
    ((measure, change, reason, changed_by, new_value),) = read(
        demo_copy, "SELECT measure_id, change, reason, changed_by, new_value FROM catalogue_changes")
    assert (measure, change, reason, changed_by) == (NEW["measure_id"], "added", NEW["reason"], operator().who)
    assert NEW["name"] in new_value
    assert published_before(demo_copy)  # published as a new snapshot, the old one kept


def test_a_return_can_then_bring_the_new_measure_s_data(demo_copy):
    from ingest.returns import load_return_file

    add_measure(demo_copy, **NEW, actor=operator())
    rows = "measure_id,area_id,month,value,numerator,denominator,status,publish_after\n" \
           f"{NEW['measure_id']},{FORCE},2022-03,41,,,,\n"
    load_return_file(demo_copy, rows.encode(), "stalking.csv", partner="Police", actor=operator())
    row = force_overview(demo_copy, priority_id=5).loc[NEW["measure_id"]]
    assert (row["value"], row["status"]) == ("41", "partial")  # March of Q4 2021/22


def test_retiring_takes_a_measure_off_the_overview_and_the_lists_and_keeps_its_values(demo_copy):
    held = read(demo_copy, "SELECT count(*) FROM observations WHERE measure_id = 'dvpo_granted'")
    assert "dvpo_granted" in force_overview(demo_copy).index

    retire_measure(demo_copy, measure_id="dvpo_granted", reason="Replaced by stalking offences", actor=operator())

    assert "dvpo_granted" not in force_overview(demo_copy).index
    assert "domestic_abuse_reports" in force_overview(demo_copy).index  # its priority's other measures stay
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    try:
        import queries

        assert "dvpo_granted" not in set(queries.run(con, "app/measures")["id"])  # explorer and every list
        assert "dvpo_granted" not in set(queries.run(con, "app/returns_measures")["id"])  # no longer owed
    finally:
        con.close()
    assert read(demo_copy, "SELECT count(*) FROM observations WHERE measure_id = 'dvpo_granted'") == held
    assert read(demo_copy, "SELECT change, reason FROM catalogue_changes") == [
        ("retired", "Replaced by stalking offences")]


def test_retiring_every_measure_of_a_priority_leaves_it_on_the_overview_as_in_development(demo_copy):
    for measure_id in ("families_reoffending", "families_asb"):
        retire_measure(demo_copy, measure_id=measure_id, reason="Programme ended", actor=operator())
    rows = force_overview(demo_copy, priority_id=4)
    assert len(rows) == 1 and rows["priority_id"].tolist() == [4]


def test_update_changes_the_words_and_audits_each_field(demo_copy):
    changed = update_measure(demo_copy, measure_id="dvpo_granted", changes={
        "name": "Domestic Violence Protection Orders", "improvement_direction": "increase", "note": "Granted by courts"},
        reason="Wording agreed with the courts", actor=operator())
    assert changed["improvement_direction"] == ("neutral", "increase")
    assert force_overview(demo_copy, priority_id=5).loc["dvpo_granted", "measure"] == "Domestic Violence Protection Orders"
    assert read(demo_copy, "SELECT improvement_direction FROM measures WHERE id = 'dvpo_granted'") == [("increase",)]
    audit = read(demo_copy, "SELECT field, old_value, new_value FROM catalogue_changes ORDER BY field")
    assert audit == [("improvement_direction", "neutral", "increase"),
                     ("name", "Domestic Violence Protection Orders granted", "Domestic Violence Protection Orders"),
                     ("note", None, "Granted by courts")]


def test_a_new_measure_s_priority_can_be_corrected_but_not_one_that_holds_data(demo_copy):
    add_measure(demo_copy, **NEW, actor=operator())
    update_measure(demo_copy, measure_id=NEW["measure_id"], changes={"priority_id": "6"}, reason="Wrong priority",
                   actor=operator())
    assert NEW["measure_id"] in force_overview(demo_copy, priority_id=6).index
    with pytest.raises(CatalogueRefused, match="cannot move to another priority"):
        update_measure(demo_copy, measure_id="rape_reports", changes={"priority_id": 5}, reason="x", actor=operator())


@pytest.mark.parametrize("change, words", [
    (dict(priority_id=19), "There is no priority '19'"),
    (dict(priority_id="five"), "There is no priority 'five'"),
    (dict(measure_id="dvpo_granted"), "There is already a measure dvpo_granted"),
    (dict(measure_id="Stalking Reports"), "lower-case letters"),
    (dict(polarity="up"), "polarity (which way is better) must be increase, decrease or neutral"),
    (dict(unit="people"), "The unit must be count, percentage or currency"),
    (dict(reason="   "), "needs a reason"),
    (dict(reason="x" * 201), "at most 200"),
    (dict(name=""), "Give the measure's name"),
    (dict(name="Rape offences reported"), "already called"),
    (dict(partner=" "), "Give the measure's partner"),
    (dict(sort_order="first"), "sort order must be a number"),
])
def test_an_addition_is_refused_in_words_and_changes_nothing(demo_copy, change, words):
    before = demo_copy.read_bytes()
    with pytest.raises(CatalogueRefused, match=re.escape(words)):
        add_measure(demo_copy, **{**NEW, **change}, actor=operator())
    assert demo_copy.read_bytes() == before and not demo_copy.is_symlink()


def test_retired_and_unknown_measures_are_refused(demo_copy):
    retire_measure(demo_copy, measure_id="dvpo_granted", reason="Replaced", actor=operator())
    with pytest.raises(CatalogueRefused, match="was retired on"):
        retire_measure(demo_copy, measure_id="dvpo_granted", reason="Again", actor=operator())
    with pytest.raises(CatalogueRefused, match="was retired on"):
        update_measure(demo_copy, measure_id="dvpo_granted", changes={"name": "New"}, reason="x", actor=operator())
    with pytest.raises(CatalogueRefused, match=r"already a measure dvpo_granted \(.*retired on"):
        add_measure(demo_copy, **{**NEW, "measure_id": "dvpo_granted"}, actor=operator())
    with pytest.raises(CatalogueRefused, match="There is no measure 'no_such_measure'"):
        retire_measure(demo_copy, measure_id="no_such_measure", reason="x", actor=operator())


@pytest.mark.parametrize("changes, words", [
    ({"unit": "percentage"}, "unit cannot be changed here"),
    ({}, "Say what to change"),
    ({"name": "ASB incidents"}, "already has those values"),
    ({"improvement_direction": "neutral"}, "has a target"),
])
def test_an_update_is_refused_in_words(demo_copy, changes, words):
    measure_id = "da_victim_satisfaction" if "improvement_direction" in changes else "asb_incidents"
    with pytest.raises(CatalogueRefused, match=re.escape(words)):
        update_measure(demo_copy, measure_id=measure_id, changes=changes, reason="x", actor=operator())


def test_only_a_co_ordinator_may_change_the_catalogue(demo_copy):
    with pytest.raises(NotAllowed, match="Only a co-ordinator may edit the catalogue"):
        add_measure(demo_copy, **NEW, actor=Actor("analyst@example.org", ANALYST, "sign-in"))
    with pytest.raises(NotAllowed):
        retire_measure(demo_copy, measure_id="dvpo_granted", reason="x", actor=None)
    retire_measure(demo_copy, measure_id="dvpo_granted", reason="Replaced", actor=coordinator())
    assert read(demo_copy, "SELECT changed_by FROM catalogue_changes") == [("co-ordinator@example.org",)]


def test_the_command_line_refuses_in_one_line_and_needs_a_reason(demo_copy):
    done = catalogue_command(demo_copy, "add", "--measure-id", "stalking_reports", "--priority", "5", "--name", "S",
                             "--unit", "count", "--polarity", "upward", "--partner", "Police", "--reason", "x")
    assert done.returncode == 2 and done.stderr.startswith("error: The polarity") and "Traceback" not in done.stderr
    done = catalogue_command(demo_copy, "retire", "--measure-id", "dvpo_granted")
    assert done.returncode == 2 and "--reason" in done.stderr
    done = catalogue_command(demo_copy, "update", "--measure-id", "dvpo_granted", "--polarity", "increase",
                             "--reason", "Agreed")
    assert done.returncode == 0, done.stderr
    assert "polarity neutral -> increase" in done.stdout


def test_the_explorer_and_the_overview_page_open_after_adding_and_retiring(demo_copy, monkeypatch):
    add_measure(demo_copy, **NEW, actor=operator())
    retire_measure(demo_copy, measure_id="dvpo_granted", reason="Replaced", actor=operator())
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    monkeypatch.chdir(PROJECT_ROOT)
    at = open_page("priority_explorer", priority="5. Domestic abuse")
    options = at.selectbox(key="measure").options
    assert NEW["name"] in options and "Domestic Violence Protection Orders granted" not in options
