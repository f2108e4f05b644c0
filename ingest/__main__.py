"""Command line: build the demo, import police.uk files and partner returns, undo a load, rebase SPC,
set targets, publish provisional data early, grant roles, and change the catalogue.

    python -m ingest demo --db PATH [--last-month YYYY-MM]
    python -m ingest police-uk --db PATH [--replace] [--allow-small] FILE [FILE ...]
    python -m ingest return --db PATH --partner PARTNER [--check-only | --replace] FILE
    python -m ingest undo --db PATH --submission N [--replace]
    python -m ingest rebase --db PATH --measure ID --area ID --month YYYY-MM --reason TEXT
    python -m ingest remove-rebase --db PATH --measure ID --area ID --month YYYY-MM --reason TEXT
    python -m ingest target --db PATH --measure ID --target VALUE|none --reason TEXT
    python -m ingest publish --db PATH --measure ID
    python -m ingest role --db PATH (--email ADDRESS | --group ID) (--role ROLE | --remove)
    python -m ingest availability --db PATH --measure ID --area ID|all --from YYYY-MM --to YYYY-MM
                                  (--reason TEXT [--state STATE] | --clear)
    python -m ingest catalogue add --db PATH --measure-id ID --priority N --name TEXT --unit UNIT --polarity POLARITY
                                   --partner TEXT [--cumulative] [--force-wide] [--note TEXT] [--sort-order N]
                                   --reason TEXT
    python -m ingest catalogue retire --db PATH --measure-id ID --reason TEXT
    python -m ingest catalogue update --db PATH --measure-id ID [--name TEXT] [--priority N] [--polarity POLARITY]
                                      [--partner TEXT] [--note TEXT] [--sort-order N] --reason TEXT
    python -m ingest upgrade --db PATH

The command line stands for the operator, who has the server: it may do what a
co-ordinator may, and the audit records the operating-system user as "who".

A load that would replace values already held, and every undo, prints what would
change and changes nothing unless --replace is given. Any refusal is one line on
stderr starting "error:" (with the problems listed under it) and exit status 2.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

import access
from access import ROLES
from core.errors import LoadRefused, unexpected
from ingest.demo import DatabaseExists
from ingest.loading import ChangesNeedConfirmation

REFUSED = 2


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m ingest", description="Build and load the dashboard database.")
    commands = main.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="build the demo database (real police.uk data plus synthetic partner data)")
    demo.add_argument("--db", type=Path, required=True, help="path of the database to create; must not exist")
    demo.add_argument("--last-month", metavar="YYYY-MM", help="leave out police.uk months after this one")

    replace_help = "go ahead when the load replaces values already held (run without it first to see them)"
    police = commands.add_parser("police-uk", help="import police.uk street-level files (CSV or .csv.gz)")
    police.add_argument("--db", type=Path, required=True)
    police.add_argument("--replace", action="store_true", help=replace_help)
    police.add_argument("--allow-small", action="store_true",
                        help="load a month with far fewer records than the force's usual (refused otherwise as incomplete)")
    police.add_argument("files", nargs="+", type=Path)

    partner = commands.add_parser("return", help="validate and load a partner return (CSV or XLSX)")
    partner.add_argument("--db", type=Path, required=True)
    partner.add_argument("--partner", required=True)
    partner.add_argument("--check-only", action="store_true", help="validate, report, load nothing")
    partner.add_argument("--replace", action="store_true", help=replace_help)
    partner.add_argument("file", type=Path)

    undo = commands.add_parser("undo", help="undo a load, restoring the values it replaced")
    undo.add_argument("--db", type=Path, required=True)
    undo.add_argument("--submission", type=int, required=True)
    undo.add_argument("--replace", action="store_true", help="go ahead (run without it first to see what changes)")

    for name, what in (("rebase", "start a new SPC segment for a measure and area at a month"),
                       ("remove-rebase", "remove a rebase, keeping who removed it, when and why")):
        rebase = commands.add_parser(name, help=what)
        rebase.add_argument("--db", type=Path, required=True)
        rebase.add_argument("--measure", required=True)
        rebase.add_argument("--area", required=True)
        rebase.add_argument("--month", required=True, metavar="YYYY-MM")
        rebase.add_argument("--reason", required=True)

    target = commands.add_parser("target", help="set or clear a measure's target (audited)")
    target.add_argument("--db", type=Path, required=True)
    target.add_argument("--measure", required=True)
    target.add_argument("--target", required=True, metavar="VALUE|none", help="a number, or none to clear it")
    target.add_argument("--reason", required=True)

    release = commands.add_parser("publish", help="publish a measure's provisional rows now (its board has seen them)")
    release.add_argument("--db", type=Path, required=True)
    release.add_argument("--measure", required=True)

    role = commands.add_parser("role", help="grant a role to an e-mail address or a group, or remove it (audited)")
    role.add_argument("--db", type=Path, required=True)
    who = role.add_mutually_exclusive_group(required=True)
    who.add_argument("--email", help="the address the identity provider gives as the user's email")
    who.add_argument("--group", help="a group id the identity provider lists in the groups claim")
    change = role.add_mutually_exclusive_group(required=True)
    change.add_argument("--role", choices=ROLES)
    change.add_argument("--remove", action="store_true", help="take the grant away (a viewer again)")

    from ingest.availability import STATES  # plain Python: no file checker, no database

    available = commands.add_parser("availability", help="set or clear why a measure's data is not available for an "
                                                         "area and months (audited)")
    available.add_argument("--db", type=Path, required=True)
    available.add_argument("--measure", required=True)
    available.add_argument("--area", required=True, help="the area's id (ONS code), or all for every area")
    available.add_argument("--from", dest="first", required=True, metavar="YYYY-MM")
    available.add_argument("--to", dest="last", required=True, metavar="YYYY-MM")
    reason = available.add_mutually_exclusive_group(required=True)
    reason.add_argument("--reason", help="why the data is not available, shown wherever the figure is missing")
    reason.add_argument("--clear", action="store_true", help="remove the reason for those months")
    available.add_argument("--state", choices=STATES, default=STATES[0],
                           help="still owed by the partner (the default), or not expected at all")

    catalogue_parser(commands)

    upgrade = commands.add_parser("upgrade", help="upgrade a database built by an earlier version of the dashboard "
                                                  "(the app also does this when it opens one)")
    upgrade.add_argument("--db", type=Path, required=True)
    return main


def catalogue_parser(commands) -> None:
    from ingest.catalogue import POLARITIES, UNITS  # no file checker; DuckDB is loaded already (ingest.demo)

    catalogue = commands.add_parser("catalogue", help="add, retire or update a measure on a running database (audited)")
    changes = catalogue.add_subparsers(dest="change", required=True)
    reason = "why (for example, the board that agreed it); kept in the audit"
    polarity = f"which way is better: {', '.join(POLARITIES)}"
    add = changes.add_parser("add", help="add a measure: it shows on the Overview with no data until a return brings some")
    retire = changes.add_parser("retire", help="retire a measure: it leaves the Overview and the lists of measures; its "
                                               "values are kept")
    update = changes.add_parser("update", help="change a measure's name, priority, polarity, partner, note or order")
    for change in (add, retire, update):
        change.add_argument("--db", type=Path, required=True)
        change.add_argument("--measure-id", required=True)
    add.add_argument("--priority", required=True, help="the priority's number")
    add.add_argument("--name", required=True)
    add.add_argument("--unit", required=True, help=", ".join(UNITS))
    add.add_argument("--polarity", required=True, help=polarity)
    add.add_argument("--partner", required=True, help="who sends the data (the returns calendar owes it from them)")
    add.add_argument("--cumulative", action="store_true", help="progress toward a target, not charted with SPC")
    add.add_argument("--force-wide", action="store_true", help="reported for the force area only, never by area")
    add.add_argument("--note")
    add.add_argument("--sort-order", help="its place among the priority's measures (default: last)")
    update.add_argument("--name")
    update.add_argument("--priority", dest="priority_id")
    update.add_argument("--polarity", dest="improvement_direction", help=polarity)
    update.add_argument("--partner")
    update.add_argument("--note", help="the new note; an empty one clears it")
    update.add_argument("--sort-order")
    for change in (add, retire, update):
        change.add_argument("--reason", required=True, help=reason)


def run_catalogue(args) -> None:
    from ingest import catalogue

    if args.change == "add":
        row = catalogue.add_measure(args.db, measure_id=args.measure_id, priority_id=args.priority, name=args.name,
                                    unit=args.unit, polarity=args.polarity, partner=args.partner,
                                    cumulative=args.cumulative, force_wide=args.force_wide, note=args.note,
                                    sort_order=args.sort_order, reason=args.reason, actor=access.operator())
        print(f"Added {row['name']} ({row['id']}) to priority {row['priority_id']}: on the Overview from the next "
              "interaction, with no data until a return brings some.")
    elif args.change == "retire":
        measure = catalogue.retire_measure(args.db, measure_id=args.measure_id, reason=args.reason,
                                           actor=access.operator())
        print(f"Retired {measure['name']} ({args.measure_id}): off the Overview from the next interaction; its values "
              "are kept.")
    else:
        fields = {field: getattr(args, field) for field in catalogue.UPDATABLE if getattr(args, field) is not None}
        changed = catalogue.update_measure(args.db, measure_id=args.measure_id, changes=fields, reason=args.reason,
                                           actor=access.operator())
        words = (f"{catalogue.FIELD_WORDS.get(field, field)} {old} -> {new}" for field, (old, new) in changed.items())
        print(f"Updated {args.measure_id}: " + "; ".join(words))


def read_file(path: Path) -> bytes:
    from core.settings import settings
    from ingest.returns import check_size  # as in run(): only the commands that read files load the checker

    if not path.is_file():
        raise LoadRefused(f"{path.name}: there is no such file.")
    check_size(path.stat().st_size, settings())  # before reading it all
    return path.read_bytes()


def month_of(text: str):
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise LoadRefused(f"{text[:20]!r} is not a month written YYYY-MM.") from None


def run(args) -> int:
    # Each command imports what it needs: `demo` must not start the file checker, nor `undo` read files.
    if args.command == "demo":
        from ingest.demo import build_demo

        timings = build_demo(args.db, last_month=args.last_month)
        print(f"Built the demo database at {args.db} in {timings['seconds']:.1f} s")
    elif args.command == "police-uk":
        from ingest.police_uk import import_files, loaded_words

        result = import_files(args.db, args.files, actor=access.operator(), confirmed=args.replace,
                              allow_small=args.allow_small,
                              progress=lambda fraction, message: print(f"[{fraction:4.0%}] {message}", flush=True))
        print(result.summary())
        print(with_database(args.db, lambda con: loaded_words(con, result.months)))
        print(with_database(args.db, lambda con: what_changed_words(con, result.submission_id)))
    elif args.command == "return":
        from ingest.returns import load_return_file

        result = load_return_file(args.db, read_file(args.file), args.file.name, partner=args.partner,
                                  actor=access.operator(), check_only=args.check_only, confirmed=args.replace)
        if args.check_only:
            print(f"{args.file.name}: {len(result)} rows, no problems found (nothing loaded)")
        else:
            from ingest.loading import submission_totals

            print(result.summary())
            print(with_database(args.db, lambda con: submission_totals(con, result.submission_id)))
            print(with_database(args.db, lambda con: what_changed_words(con, result.submission_id)))
    elif args.command == "undo":
        from ingest.loading import undo_submission

        result = undo_submission(args.db, args.submission, actor=access.operator(), confirmed=args.replace)
        print(f"Undid submission {args.submission}: {result.rows_in_file:,} rows removed, "
              f"{result.added:,} earlier values restored (audit row {result.submission_id}).")
    elif args.command == "rebase":
        from ingest.rebases import add_rebase

        add_rebase(args.db, measure_id=args.measure, area_id=args.area, month=month_of(args.month), reason=args.reason,
                   actor=access.operator())
        print(f"Rebased {args.measure} in {args.area} from {args.month}: {args.reason}")
    elif args.command == "remove-rebase":
        from ingest.rebases import remove_rebase

        remove_rebase(args.db, measure_id=args.measure, area_id=args.area, month=month_of(args.month),
                      reason=args.reason, actor=access.operator())
        print(f"Removed the rebase of {args.measure} in {args.area} at {args.month} (kept in the audit).")
    elif args.command == "target":
        from ingest.targets import set_target

        value = None if args.target.strip().lower() == "none" else parse_number(args.target)
        set_target(args.db, measure_id=args.measure, target=value, reason=args.reason, actor=access.operator())
        print(f"Target of {args.measure} set to {'none' if value is None else f'{value:g}'}: {args.reason}")
    elif args.command == "publish":
        from ingest.release import publish_provisional

        result = publish_provisional(args.db, measure_id=args.measure, actor=access.operator())
        print(f"Published {result.rows_in_file:,} provisional rows of {args.measure} (audit row {result.submission_id}).")
    elif args.command == "role":
        from ingest.roles import grant_role, remove_grant

        kind, principal = ("email", args.email) if args.email else ("group", args.group)
        if args.remove:
            remove_grant(args.db, principal=principal, kind=kind, actor=access.operator())
            print(f"Removed the grant of {principal}: a viewer when signed in.")
        else:
            grant_role(args.db, principal=principal, kind=kind, role=args.role, actor=access.operator())
            print(f"{principal} is now {access.a_role(args.role)}.")
    elif args.command == "availability":
        from ingest.availability import set_availability

        area = None if args.area.strip().lower() == "all" else args.area
        change = set_availability(args.db, measure_id=args.measure, area_id=area, first=month_of(args.first),
                                  last=month_of(args.last), reason=args.reason, state=args.state, clear=args.clear,
                                  actor=access.operator())
        where = f"{args.measure} in {args.area if area else 'every area'}, {args.first} to {args.last}"
        print(f"Cleared the reason for {where}." if args.clear else f"{where}: {change.state}: {change.reason}")
    elif args.command == "catalogue":
        run_catalogue(args)
    elif args.command == "upgrade":
        from core.schema import SCHEMA_VERSION
        from ingest.migrations import upgrade

        steps = upgrade(args.db, actor=access.operator())
        print(f"Upgraded {args.db.name} to schema version {SCHEMA_VERSION} (through {', '.join(steps)}); the file as it "
              "was is kept as the previous snapshot." if steps else
              f"{args.db.name} is already at schema version {SCHEMA_VERSION}; nothing was changed.")
    return 0


def with_database(path: Path, read):
    """read(con) on the published database, read-only (what a load has just written)."""
    import datastore

    con = datastore.open_read_only(path)
    try:
        return read(con)
    finally:
        con.close()


def what_changed_words(con, submission_id: int) -> str:
    """What the load changed at the force (analysis/what_changed.py), as the Data page says it after a load."""
    import dashboard_data

    changed = dashboard_data.changes_by_load(con, submission_id, now=access.clock(dashboard_data.meta(con).get("snapshot_as_at")))
    return "What this load changed:\n" + "\n".join(f"- {line}" for line in changed.lines())


def parse_number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise LoadRefused(f"--target must be a number or none, not {text!r}") from None


def report(refused: LoadRefused) -> None:
    print(f"error: {refused.message}", file=sys.stderr)
    for line in refused.details():
        print(f"  {line}", file=sys.stderr)
    if isinstance(refused, ChangesNeedConfirmation):
        print("  Run again with --replace to make these changes.", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except LoadRefused as refused:
        report(refused)
    except DatabaseExists as exists:
        print(f"error: {exists}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted; nothing was changed.", file=sys.stderr)
    except Exception as error:  # the promise is one plain line, never a traceback
        report(unexpected(error, f"The {args.command} command"))
    return REFUSED


if __name__ == "__main__":
    raise SystemExit(main())
