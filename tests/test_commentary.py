"""Commentary: drafts, publishing and versions."""
from datetime import date

import duckdb
import pytest

import queries
from ingest.commentary import save_commentary

FORCE = "E23000021"
Q = {"period_start": date(2021, 4, 1), "period_end": date(2021, 6, 1)}


def published(db, priority_id=8):
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return queries.run(con, "app/published_commentary", {"priority_id": priority_id, "area_id": FORCE,
                                                             "first": Q["period_start"], "last": Q["period_end"]})
    finally:
        con.close()


def test_a_draft_is_not_published_until_the_coordinator_publishes(demo_copy):
    assert published(demo_copy).empty
    assert save_commentary(demo_copy, priority_id=8, area_id=FORCE, text="Draft words", author="Co-ordinator",
                           status="draft", **Q) == 1
    assert published(demo_copy).empty
    assert save_commentary(demo_copy, priority_id=8, area_id=FORCE, text="Final words", author="Co-ordinator",
                           status="published", **Q) == 2
    assert published(demo_copy)["text"].tolist() == ["Final words"]
    save_commentary(demo_copy, priority_id=8, area_id=FORCE, text="Revised words", author="Co-ordinator",
                    status="published", **Q)
    shown = published(demo_copy)
    assert shown["text"].tolist() == ["Revised words"] and shown["version"].tolist() == [3]


def test_empty_commentary_or_author_is_refused(demo_copy):
    with pytest.raises(ValueError, match="empty"):
        save_commentary(demo_copy, priority_id=8, area_id=FORCE, text="  ", author="x", status="draft", **Q)
    with pytest.raises(ValueError, match="who wrote"):
        save_commentary(demo_copy, priority_id=8, area_id=FORCE, text="x", author="", status="draft", **Q)
    assert not demo_copy.is_symlink()
