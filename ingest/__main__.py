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
    args = parser.parse_args(argv)

    if args.command == "demo":
        try:
            timings = build_demo(args.db)
        except DatabaseExists as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"Built the demo database at {args.db} in {timings['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
