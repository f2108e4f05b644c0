"""The Data page shows what an undo will change and changes nothing until it is confirmed."""
from __future__ import annotations

import duckdb
from conftest import coordinator, shown, signed_in_app, table_checksum

from ingest.returns import load_return_file

HEADER = "measure_id,area_id,month,value,numerator,denominator,status,publish_after\n"


def test_undo_on_the_data_page_asks_first_then_undoes(demo_copy, monkeypatch):
    data = (HEADER + "yjs_first_time_entrants,E23000021,2022-05,30,,,published,\n").encode()
    loaded = load_return_file(demo_copy, data, "may.csv", partner="Youth Offending Services", actor=coordinator("a"))
    monkeypatch.setenv("DASHBOARD_DB", str(demo_copy))
    at = signed_in_app(demo_copy)
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    form_box = [s for s in at.selectbox if s.label == "Undo a load"][0]
    form_box.set_value(loaded.submission_id)
    [b for b in at.button if b.label == "Undo this load"][0].click()
    at.run()
    assert not at.exception
    before = table_checksum(demo_copy)
    assert any(w.value.startswith("This undo removes 1 value and puts back 0 earlier ones. Nothing has been changed yet.")
               for w in at.warning)
    changes = [d.value for d in at.dataframe if "old" in d.value.columns][0]
    assert changes.to_dict("records") == [{"measure": "First-time entrants to the youth justice system",
                                           "area": "Leicester, Leicestershire and Rutland (force area)", "month": "2022-05",
                                           "old": "30", "new": "nothing"}]
    [b for b in at.button if b.label == "Undo and change these values"][0].click()
    at.run()
    assert not at.exception
    assert any(shown(s.value).startswith("Undid the load: 1 row removed and 0 earlier values restored") for s in at.success)
    assert table_checksum(demo_copy) != before
    con = duckdb.connect(str(demo_copy.resolve()), read_only=True)
    gone = con.execute("SELECT COUNT(*) FROM observations WHERE measure_id = 'yjs_first_time_entrants' "
                       "AND month = DATE '2022-05-01'").fetchone()[0]
    con.close()
    assert gone == 0


def test_the_file_pickers_say_the_same_size_limit_as_the_captions_above_them(app_env):
    # The captions said "Up to 2.0 MB" and "Each file up to 30.0 MB"; the pickers said "200MB per file".
    at = signed_in_app(app_env, role=None)  # the session's demo grants the co-ordinator
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    assert not at.exception
    limits = {e.proto.label: e.proto.max_upload_size_mb for e in at.get("file_uploader")}
    assert limits == {"Return file (CSV or XLSX)": 2,
                      "Files as published on police.uk (CSV or .csv.gz), one or more months": 30}
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Up to 2.0 MB and 20,000 rows") for c in captions), captions
    assert any(c.startswith("Each file up to 30.0 MB") for c in captions), captions
