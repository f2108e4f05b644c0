"""police.uk month files the fixtures do not hold (May 2022 on), made from the real ones: a real month's records
with its Month column relabelled, so a test can run a quarter the raw files end before (the co-ordinator's quarter)."""
from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from conftest import raw_police_uk_files


def relabelled_month(month: str, from_month: str, folder: Path) -> Path:
    """A police.uk street file for `month` (YYYY-MM) holding the records of the fixture month `from_month`."""
    source = next(f for f in raw_police_uk_files() if f.name.startswith(from_month))
    with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    month_column = rows[0].index("Month")
    for row in rows[1:]:
        row[month_column] = month
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    path = Path(folder) / source.name.replace(from_month, month)
    with gzip.open(path, "wt", encoding="utf-8", newline="") as out:
        out.write(text.getvalue())
    return path


def months_a_year_on(first: str, last: str, folder: Path) -> list[Path]:
    """Files for the months first..last (YYYY-MM), each made from the same month a year earlier."""
    import pandas as pd

    return [relabelled_month(str(m), str(m - 12), folder) for m in pd.period_range(first, last, freq="M")]
