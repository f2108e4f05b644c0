"""Command line of the SPC engine (run as ``python -m spc_cli``).

Outside analysis/ because its series command opens a database; analysis/ only takes data.

    check FILE     run every vector of a reference-vector file; ends "N passed, M failed"
    series ...     one measure and area from a dashboard database, as JSON
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

from analysis import spc

LIMIT_TOLERANCE = 1e-6


# ---------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------

def options_from_vector(raw: dict) -> spc.SpcOptions:
    return spc.SpcOptions(
        improvement_direction=raw.get("improvement_direction", "increase"),
        target=raw.get("target"),
        rebase=tuple(raw.get("rebase") or ()),
        fix_after_n_points=raw.get("fix_after_n_points"),
        screen_outliers=raw.get("screen_outliers", True),
        run_length=raw.get("run_length", 7),
        two_in_three_counts_beyond_limits=raw.get("two_in_three_counts_beyond_limits", False),
    )


def _same_number(expected, actual: float, tolerance: float) -> bool:
    if expected is None:
        return actual is None or (isinstance(actual, float) and math.isnan(actual))
    return actual is not None and not math.isnan(actual) and abs(float(expected) - actual) <= tolerance


def first_difference_xmr(vector: dict) -> str | None:
    """None when the engine reproduces the vector, else a description of the first difference."""
    result = spc.xmr(vector["values"], options_from_vector(vector.get("options", {})))
    expected = vector["expected"]
    points = result.points
    for column in ("mean", "lpl", "upl"):
        for i, want in enumerate(expected.get(column, [])):
            got = float(points[column].iloc[i])
            if not _same_number(want, got, LIMIT_TOLERANCE):
                return f"{column}[{i}]: expected {want}, got {got}"
    actual = {
        "segment": points["segment"].astype(int).tolist(),
        "special_cause": points["special_cause"].tolist(),
        "special_cause_flag": (points["flag"] != 0).tolist(),
        "ptd_point_type": [ptd_point_type(c, int(f)) for c, f in zip(points["special_cause"], points["flag"])],
        "ptd_rule": points["rule_label"].tolist(),
        "relative_to_mean": points["relative_to_mean"].astype(int).tolist(),
        "close_to_limits": spc.nullable_flags(points["close_to_limits"]),
        "outside_limits": spc.nullable_flags(points["outside_limits"]),
    }
    for column, got_values in actual.items():
        for i, want in enumerate(expected.get(column, [])):
            if i >= len(got_values):
                return f"{column}: expected {len(expected[column])} points, got {len(got_values)}"
            if want != got_values[i]:
                return f"{column}[{i}]: expected {want}, got {got_values[i]} ({points['rule_label'].iloc[i]})"
    if "variation_icon" in expected and expected["variation_icon"] != result.variation_icon:
        return f"variation_icon: expected {expected['variation_icon']}, got {result.variation_icon}"
    if "assurance_icon" in expected and expected["assurance_icon"] != result.assurance_icon:
        return f"assurance_icon: expected {expected['assurance_icon']}, got {result.assurance_icon}"
    return None


def ptd_point_type(special_cause: str, flag: int) -> str:
    """NHSRplotthedots' point_type: common_cause, special_cause_improvement, ..._neutral_high."""
    if special_cause == "common_cause":
        return "common_cause"
    if special_cause == "neither":
        return f"special_cause_neutral_{'high' if flag > 0 else 'low'}"
    return f"special_cause_{special_cause}"


def first_difference_proportion(vector: dict) -> str | None:
    chart = vector.get("chart", "p")
    laney = chart.replace("’", "'").startswith("p'")
    result = spc.p_chart(vector["numerators"], vector["denominators"], laney=laney)
    expected = vector["expected"]
    tolerance = float(expected.get("tolerance_percent", 0.006))
    if "centre" in expected and not _same_number(expected["centre"], float(result.points["mean"].iloc[0]), 1e-6):
        return f"centre: expected {expected['centre']}, got {result.points['mean'].iloc[0]}"
    if "sigma_z" in expected:
        got = spc.laney_sigma_z(vector["numerators"], vector["denominators"])
        if not _same_number(expected["sigma_z"], got, 1e-6):
            return f"sigma_z: expected {expected['sigma_z']}, got {got}"
    for column, key in (("upl", "ul99_percent"), ("lpl", "ll99_percent")):
        for i, want in enumerate(expected.get(key, [])):
            got = 100 * float(result.points[column].iloc[i])
            if not _same_number(want, got, tolerance + 1e-9):
                return f"{key}[{i}]: expected {want}, got {got:.6f}"
    return None


def check(path: Path, out=sys.stdout) -> int:
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    passed = failed = 0
    cases = [(v, first_difference_xmr) for v in document.get("vectors", [])]
    cases += [(v, first_difference_proportion) for v in document.get("other_chart_vectors", [])]
    for vector, compare in cases:
        try:
            difference = compare(vector)
        except Exception as error:  # a vector the engine cannot even run is a failure, not a crash
            difference = f"error: {type(error).__name__}: {error}"
        if difference is None:
            passed += 1
            print(f"{vector.get('name', '?')}: pass", file=out)
        else:
            failed += 1
            print(f"{vector.get('name', '?')}: FAIL, {difference}", file=out)
    print(f"{passed} passed, {failed} failed", file=out)
    return 0 if failed == 0 and passed > 0 else 1


# ---------------------------------------------------------------------------
# series
# ---------------------------------------------------------------------------

def series_json(db: Path, measure_id: str, area_id: str, first: str | None, last: str | None,
                rebase_months: list[str], options: spc.SpcOptions | None = None) -> dict:
    # Imported here: the check command needs no database.
    import dashboard_data
    import datastore

    con = datastore.open_read_only(db)
    try:
        return dashboard_data.charted_series(con, measure_id, area_id, first=first, last=last, extra_rebase_months=rebase_months,
                            options=options).as_json()
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spc_cli", description="NHS Making Data Count SPC engine.")
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="run a reference-vector file")
    check_parser.add_argument("file", type=Path)
    series_parser = commands.add_parser("series", help="chart one measure and area from a database, as JSON")
    series_parser.add_argument("--db", type=Path, required=True)
    series_parser.add_argument("--measure", required=True)
    series_parser.add_argument("--area", required=True)
    series_parser.add_argument("--from", dest="first", metavar="YYYY-MM")
    series_parser.add_argument("--to", dest="last", metavar="YYYY-MM")
    series_parser.add_argument("--rebase", nargs="*", default=[], metavar="YYYY-MM")
    series_parser.add_argument("--run-length", type=int, choices=(6, 7), default=7, help="points in a trend or shift")
    series_parser.add_argument("--two-in-three-variant", action="store_true",
                               help="MDC November 2023: points beyond the limit count toward two in three")
    series_parser.add_argument("--no-screen", action="store_true", help="keep large moving ranges (as the MDC Excel tool)")
    series_parser.add_argument("--fix-after", type=int, metavar="N", help="limits from the first N points of each segment")
    args = parser.parse_args(argv)

    if args.command == "check":
        return check(args.file)
    try:
        options = spc.SpcOptions(run_length=args.run_length, two_in_three_counts_beyond_limits=args.two_in_three_variant,
                                 screen_outliers=not args.no_screen, fix_after_n_points=args.fix_after)
        payload = series_json(args.db, args.measure, args.area, args.first, args.last, args.rebase, options)
    except (LookupError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Exception as error:
        import datastore

        if isinstance(error, datastore.DatabaseProblem):
            print(f"error: {error}", file=sys.stderr)
            return 2
        raise
    json.dump(payload, sys.stdout, indent=2, default=_json_default)
    print()
    return 0


def _json_default(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return str(value)


if __name__ == "__main__":
    raise SystemExit(main())
