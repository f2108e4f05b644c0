"""Publishing provisional data early: once a partner's board has seen it, a co-ordinator publishes a
measure's provisional rows, which every viewer then sees (without waiting for the 09:30 release)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

import queries
from access import Actor, require
from core.errors import LoadRefused
from ingest.loading import LoadResult, next_submission_id, record_submission, sha256_bytes
from ingest.publish import publish


def publish_provisional(db_path: Path | str, *, measure_id: str, actor: Actor) -> LoadResult:
    """Publish every provisional row of the measure now; audited as a submission of kind 'publication'."""
    who = require(actor, "publish data").who
    with publish(db_path) as con:
        rows = queries.run(con, "ingest/provisional_rows", {"measure_id": measure_id})
        if rows.empty:
            raise LoadRefused(f"{measure_id[:60]} has no provisional rows to publish.")
        published = queries.execute(con, "ingest/publish_provisional", {"measure_id": measure_id}) or 0
        first, last = pd.Timestamp(rows["month"].min()), pd.Timestamp(rows["month"].max())
        submission_id = next_submission_id(con)
        record_submission(con, submission_id=submission_id, kind="publication", partner=None,
                          file_name=f"published {measure_id} {first:%Y-%m} to {last:%Y-%m} early",
                          sha256=sha256_bytes(rows.to_csv(index=False).encode()), loaded_by=who,
                          rows_in_file=published, rows_added=0, rows_replaced=published)
    return LoadResult(submission_id, published, 0, published, 0)
