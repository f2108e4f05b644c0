"""Command line: python -m ingest demo --db PATH"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest.demo import DatabaseExists, build_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Build and load the dashboard database.")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="build the demo database (real police.uk data plus synthetic partner data)")
    demo.add_argument("--db", type=Path, required=True, help="path of the database to create; must not exist")
    rebase = commands.add_parser("rebase", help="start a new SPC segment for a measure and area at a month")
    rebase.add_argument("--db", type=Path, required=True)
    rebase.add_argument("--measure", required=True)
    rebase.add_argument("--area", required=True)
    rebase.add_argument("--month", required=True, metavar="YYYY-MM")
    rebase.add_argument("--reason", required=True)
    rebase.add_argument("--by", required=True, help="who is making the rebase")
    args = parser.parse_args(argv)

    if args.command == "demo":
        try:
            timings = build_demo(args.db)
        except DatabaseExists as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"Built the demo database at {args.db} in {timings['seconds']:.1f} s")
    elif args.command == "rebase":
        from datetime import datetime

        from ingest.publish import PublishError
        from ingest.rebases import add_rebase

        try:
            month = datetime.strptime(args.month, "%Y-%m").date()
            add_rebase(args.db, measure_id=args.measure, area_id=args.area, month=month, reason=args.reason,
                       created_by=args.by)
        except (ValueError, PublishError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"Rebased {args.measure} in {args.area} from {args.month}: {args.reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
