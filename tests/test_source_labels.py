"""Labels tell the truth (#18 item 9): a figure loaded from a file is labelled with its source, never
"Synthetic (demo)"; the Panel paper's page, which holds only published data, has no provisional banner."""
from __future__ import annotations

import re

import duckdb
from conftest import FORCE, PROJECT_ROOT, coordinator, signed_in_app
from streamlit.testing.v1 import AppTest

import dashboard_data
from analysis import calendar
from analysis.sources import SYNTHETIC_LABEL
from ingest.returns import load_return_file

MEASURE, PARTNER = "yjs_first_time_entrants", "Youth Offending Services"
UNTOUCHED = "reoffending_18_24"  # a synthetic measure not in the return
QUARTER = calendar.quarter(2021, 4)  # Q4 2021/22: January to March 2022
HEADER = "measure_id,area_id,month,value,numerator,denominator,status,publish_after\n"


def returned(db):
    rows = "".join(f"{MEASURE},{FORCE},2022-{m:02d},{20 + m},,,published,\n" for m in (1, 2, 3))
    load_return_file(db, (HEADER + rows).encode(), "q4.csv", partner=PARTNER, actor=coordinator("t"), confirmed=True)
    return db


def overview(db):
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return dashboard_data.overview(con, area_id=FORCE, area_name="Force", period=QUARTER).set_index("measure_id")
    finally:
        con.close()


def test_a_figure_loaded_from_a_return_is_labelled_with_the_partner_s_return(demo_copy):
    before = overview(demo_copy)
    assert before.loc[MEASURE, "source"] == SYNTHETIC_LABEL and before.loc[MEASURE, "synthetic"]
    table = overview(returned(demo_copy))
    assert table.loc[MEASURE, "source"] == f"{PARTNER} return"
    assert not table.loc[MEASURE, "synthetic"]
    synthetic = table[table["synthetic"].fillna(False).astype(bool)]
    assert MEASURE not in synthetic.index and len(synthetic)  # the rest of the demo's partner data is still marked
    assert table.loc["all_crime", "source"] == "police.uk"


def test_a_quarter_partly_from_a_return_says_both(demo_copy):
    rows = f"{MEASURE},{FORCE},2022-03,25,,,published,\n"
    load_return_file(demo_copy, (HEADER + rows).encode(), "march.csv", partner=PARTNER, actor=coordinator("t"),
                     confirmed=True)
    table = overview(demo_copy)
    assert table.loc[MEASURE, "source"] == f"{SYNTHETIC_LABEL} and {PARTNER} return"
    assert table.loc[MEASURE, "synthetic"]  # two of its three months are still the demo generator's


def overview_labels(at: AppTest) -> dict[str, str]:
    body = next(h.proto.body for h in at.get("html") if "data-measure=" in h.proto.body)
    # The source sits on the measure's line, just after its link.
    return dict(re.findall(r'data-measure="([^"]+)">[^<]*</a>\s*<span class="src">([^<]*)</span>', body))


def test_the_overview_page_shows_the_return_s_source_not_synthetic(demo_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(returned(demo_copy)))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"quarter": QUARTER.label})
    at.run()
    assert not at.exception, at.exception
    labels = overview_labels(at)
    assert labels[MEASURE] == f"{PARTNER} return"
    assert labels[UNTOUCHED] == SYNTHETIC_LABEL


BANNER = "**Provisional, not for publication.**"


def test_the_paper_page_has_no_provisional_banner_but_other_pages_keep_it(app_env, monkeypatch):
    import components.paper

    # The banner is the page's, not the typesetter's: stand in for the (slow) typesetting.
    monkeypatch.setattr(components.paper, "paper_file", lambda area_id, period, fmt: b"<p>published data</p>")
    at = signed_in_app(app_env, role=None)  # a co-ordinator (the session's demo grants them), who may see provisional data
    at.run()
    assert any(w.value.startswith(BANNER) for w in at.warning)  # the Overview keeps it
    at.switch_page("app_pages/paper.py")
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Panel paper"]
    assert not any(w.value.startswith(BANNER) for w in at.warning)


def test_the_paper_s_appendix_a_labels_a_returned_figure_with_its_return(demo_copy):
    from analysis.overview import overview_rows
    from report.content import Notes, appendix_row, commonest

    table = overview(returned(demo_copy)).reset_index()
    row = next(row for row in overview_rows(table) if row.measure_id == MEASURE)
    source = commonest(table["source"])  # Appendix A says the commonest source once, above the table
    assert source != f"{PARTNER} return"
    assert appendix_row(row, Notes([]), source=source)["cells"][0].endswith(f"({PARTNER} return)")
