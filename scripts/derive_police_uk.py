"""Rebuild data/police_uk/lsoa_monthly.parquet from the raw police.uk street files.

    python scripts/derive_police_uk.py ../shared/data/police-uk/leicestershire/*.csv.gz

The Parquet holds monthly record counts by LSOA and crime type: everything the
demo needs, at about a twentieth of the raw size.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402

from ingest import POLICE_UK_LSOA_COUNTS  # noqa: E402
from ingest.police_uk import lsoa_counts_from_files, write_lsoa_counts  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path, help="police.uk street-level CSV or .csv.gz files")
    parser.add_argument("--out", type=Path, default=POLICE_UK_LSOA_COUNTS)
    args = parser.parse_args(argv)
    counts = lsoa_counts_from_files(duckdb.connect(), sorted(args.files))
    write_lsoa_counts(counts, args.out)
    months = sorted(counts["month"].astype(str).unique())
    print(f"{int(counts['records'].sum()):,} records, {len(months)} months ({months[0]} to {months[-1]}) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
