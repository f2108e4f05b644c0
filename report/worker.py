"""A paper made in a worker process for the server (report.cache.PaperFiles.make_in_worker):

    python -m report.worker '{"folder": ..., "snapshot": ..., "key": ..., "area_id": ..., "period": [...],
                              "released_through": "2022-05-31", "include_provisional": false}'

reads the snapshot as that visibility allows, keeps the paper's charts and files in the folder, and prints its
progress as "fraction<TAB>words" lines. The process ends with the build, and with it the memory the drawing and
typesetting took.
"""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import duckdb

import access
import datastore
from analysis import calendar
from report.cache import UNREADABLE_EXIT, PaperFiles


def main(argv: list[str]) -> int:
    order = json.loads(argv[0])
    visibility = access.Visibility(date.fromisoformat(order["released_through"]), bool(order["include_provisional"]))
    try:
        con = datastore.open_read_only(Path(order["snapshot"]))
    except datastore.OutdatedDatabase:
        raise  # not damage: the server upgrades it
    except datastore.DatabaseProblem as problem:
        return unreadable(str(problem))
    cur = datastore.reader(con, visibility)
    try:
        PaperFiles(Path(order["folder"])).make_here(
            cur, order["key"], area_id=order["area_id"], period=calendar.Period.from_key(tuple(order["period"])),
            say=lambda fraction, words: print(f"{fraction}\t{words}", flush=True))
    except duckdb.Error as error:
        if not datastore.is_damage(error):
            raise
        return unreadable(datastore.plain(error))
    finally:
        cur.close()
        con.close()
    return 0


def unreadable(reason: str) -> int:
    """Say why on the last line of stderr, for the server to record the snapshot as damaged."""
    print(reason, file=sys.stderr, flush=True)
    return UNREADABLE_EXIT


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
