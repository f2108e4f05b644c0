"""python -m report --quarter 2021-22-Q1 --area E23000021 --out FILE.pdf [--format html] [--db PATH]"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import datastore
from analysis import calendar
from report.render import FORMATS, build_paper


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m report", description="Write the quarterly Panel paper.")
    parser.add_argument("--quarter", required=True, help="financial year and quarter, e.g. 2021-22-Q1")
    parser.add_argument("--area", required=True, help="area code, e.g. E23000021 (the force area)")
    parser.add_argument("--out", required=True, type=Path, help="file to write")
    parser.add_argument("--format", choices=FORMATS, default=None, help="pdf (default) or html; else from --out's suffix")
    parser.add_argument("--db", type=Path, default=None, help="database (default: DASHBOARD_DB or data/dashboard.duckdb)")
    args = parser.parse_args(argv)
    fmt = args.format or ("html" if args.out.suffix.lower() in (".html", ".htm") else "pdf")
    started = time.perf_counter()
    try:
        period = calendar.parse_quarter_code(args.quarter)
        path = args.db or datastore.database_path()
        if args.db is None and datastore.ensure_demo(path):  # a first run, as the app does on its first start
            print(f"Built the demo database at {path}, as there was none.", file=sys.stderr)
        con = datastore.open_read_only(path)
        try:
            paper = build_paper(con, area_id=args.area, period=period, fmt=fmt)
        finally:
            con.close()
    except (ValueError, datastore.DatabaseProblem) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        args.out.write_bytes(paper)
    except OSError as error:  # a read-only or missing folder: one plain line, as for bad input
        print(f"error: the paper could not be written to {args.out.name} ({error.strerror or type(error).__name__}); "
              "choose a folder you can write to with --out.", file=sys.stderr)
        return 2
    print(f"Wrote the {period.label} Panel paper for {args.area} to {args.out} ({fmt.upper()}, {len(paper):,} bytes) "
          f"in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
