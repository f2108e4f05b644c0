"""An independent recount of every figure the dashboard shows, for every row and period, not a sample.

The expected figures come from this file's own SQL: police.uk crime straight from the 29 raw
street files (the fixtures), survey rates from the stored numerators and denominators, and
missing persons from the person-level records. The area lookup (LSOA name prefix -> district or
unitary, district -> county -> force) and the calendar (financial quarters from April) are written
out here by hand. The app's figures are read as its pages read them (dashboard_data and the named
queries, with the public's visibility) and merged with the recount; any difference fails and
prints the first differing rows.
"""
from __future__ import annotations

import csv

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import FORCE, PROJECT_ROOT, raw_police_uk_files

import dashboard_data
import datastore
import queries
from analysis import calendar, comparisons
from analysis.proportions import rolling_pooled
from analysis.satisfaction import survey_summary

COUNTY = "E10000018"
DISTRICT_BY_LSOA_PREFIX = {  # ONS codes of the lowest-tier areas, by the first words of an LSOA name
    "Leicester": "E06000016", "Rutland": "E06000017", "Blaby": "E07000129", "Charnwood": "E07000130",
    "Harborough": "E07000131", "Hinckley and Bosworth": "E07000132", "Melton": "E07000133",
    "North West Leicestershire": "E07000134", "Oadby and Wigston": "E07000135",
}
UNALLOCATED = ("NO_LOCATION", "OUTSIDE_FORCE")
LEAVES = (*DISTRICT_BY_LSOA_PREFIX.values(), *UNALLOCATED)
# Every lowest-tier area counts toward itself and the force; the seven districts also toward the county.
ROLLUP = pd.DataFrame(
    [(leaf, leaf) for leaf in LEAVES] + [(leaf, FORCE) for leaf in LEAVES]
    + [(leaf, COUNTY) for leaf in LEAVES if leaf.startswith("E07")], columns=["leaf_id", "area_id"])
ALL_AREAS = (FORCE, COUNTY, *LEAVES)
CHOSEN_AREAS = (FORCE, COUNTY, *DISTRICT_BY_LSOA_PREFIX.values())  # the areas the filters offer

DATA_FIRST, DATA_LAST = pd.Period("2019-12", "M"), pd.Period("2022-04", "M")
SURVEYS = ("da_victim_satisfaction", "rape_victim_satisfaction", "hate_victim_satisfaction", "asb_satisfaction",
           "all_user_satisfaction", "burglary_satisfaction", "violent_crime_satisfaction", "vehicle_satisfaction")
POOLED = (*SURVEYS, "public_confidence")  # every "Police survey" measure: rates pooled from its responses
PEOPLE = {"missing_individuals": "individuals", "missing_repeat_individuals": "repeat_individuals"}
MISSING = ("missing_reports", *PEOPLE)
WINDOWS = ("period", "last_year", "rolling", "previous_12")
ALL_MONTHS = pd.period_range(DATA_FIRST, DATA_LAST, freq="M")


# ---------------------------------------------------------------- periods, written out by hand

def dashboard_periods() -> pd.DataFrame:
    """The periods the filters offer over the data: each month, each financial quarter (April to June is
    Q1) and each financial year that overlaps December 2019 to April 2022, and the Months filter's default."""
    rows = [("month", m, m) for m in ALL_MONTHS]
    first = pd.Period("2019-10", "M")  # Q3 2019/20, the quarter holding December 2019
    while first <= DATA_LAST:
        rows.append(("quarter", first, first + 2))
        first += 3
    rows += [("financial year", pd.Period(f"{y}-04", "M"), pd.Period(f"{y + 1}-03", "M")) for y in (2019, 2020, 2021, 2022)]
    rows.append(("months", DATA_LAST - 11, DATA_LAST))  # the Months filter's default: the last 12 months
    periods = pd.DataFrame(rows, columns=["kind", "first", "last"])
    periods["period"] = periods["kind"] + " " + periods["first"].astype(str)
    periods["first_day"] = [p.start_time for p in periods["first"]]
    periods["last_day"] = [p.start_time for p in periods["last"]]
    return periods


def app_period(row) -> calendar.Period:
    """The same period as the filters build it (its label is the app's; its months are checked against ours)."""
    if row.kind in ("month", "months"):
        period = calendar.month_range(row.first, row.last)
    elif row.kind == "quarter":
        period = calendar.quarter_of(row.first)
    else:
        period = calendar.financial_year(row.first.year)
    assert (period.first, period.last) == (row.first, row.last), (row.period, period)
    return period


def windows(periods: pd.DataFrame) -> pd.DataFrame:
    """For each period, the months of its four figures: the period, the same months last year, the 12
    months to its last month and the 12 before those."""
    parts = []
    for window, first, last in (("period", periods["first"], periods["last"]),
                                ("last_year", periods["first"] - 12, periods["last"] - 12),
                                ("rolling", periods["last"] - 11, periods["last"]),
                                ("previous_12", periods["last"] - 23, periods["last"] - 12)):
        parts.append(pd.DataFrame({"period": periods["period"], "window": window, "first": first, "last": last}))
    out = pd.concat(parts, ignore_index=True)
    out["months_expected"] = [(last - first).n + 1 for first, last in zip(out["first"], out["last"])]
    out["first_day"] = [p.start_time for p in out["first"]]
    out["last_day"] = [p.start_time for p in out["last"]]
    return out


# ---------------------------------------------------------------- the recount

def crime_measures() -> pd.DataFrame:
    """measure_id -> police.uk crime type, from the catalogue ('*': every type except anti-social behaviour)."""
    with open(PROJECT_ROOT / "data" / "catalogue" / "measures.csv", newline="", encoding="utf-8") as handle:
        rows = [(r["id"], r["police_uk_crime_type"]) for r in csv.DictReader(handle) if r["police_uk_crime_type"]]
    return pd.DataFrame(rows, columns=["measure_id", "crime_type"])


def grid(measures, areas) -> pd.DataFrame:
    return pd.MultiIndex.from_product([list(measures), list(areas), [m.start_time for m in ALL_MONTHS]],
                                      names=["measure_id", "area_id", "month"]).to_frame(index=False)


def police_uk_monthly(rc: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every police.uk measure, area and month, counted from the raw street files (zeros included)."""
    rc.register("crime_measures", crime_measures())
    rc.register("districts", pd.DataFrame(list(DISTRICT_BY_LSOA_PREFIX.items()), columns=["prefix", "area_id"]))
    rc.register("rollup", ROLLUP)
    counted = rc.execute(
        """
        WITH records AS (
            SELECT strptime("Month", '%Y-%m')::DATE AS month, "Crime type" AS crime_type,
                   NULLIF(trim("LSOA name"), '') AS lsoa_name
            FROM read_csv($files, all_varchar = true)
        ),
        placed AS (
            SELECT r.month, r.crime_type,
                   CASE WHEN r.lsoa_name IS NULL THEN 'NO_LOCATION' ELSE COALESCE(d.area_id, 'OUTSIDE_FORCE') END AS leaf_id
            FROM records r
            LEFT JOIN districts d ON d.prefix = regexp_replace(r.lsoa_name, ' \\S+$', '')
        )
        SELECT m.measure_id, u.area_id, p.month, COUNT(*) AS value
        FROM placed p
        JOIN crime_measures m
          ON m.crime_type = p.crime_type OR (m.crime_type = '*' AND p.crime_type <> 'Anti-social behaviour')
        JOIN rollup u ON u.leaf_id = p.leaf_id
        GROUP BY ALL
        """, {"files": [str(f) for f in raw_police_uk_files()]}).df()
    full = grid(crime_measures()["measure_id"], ALL_AREAS)
    full = full.merge(counted.assign(month=pd.to_datetime(counted["month"])), how="left", on=["measure_id", "area_id", "month"])
    full["value"] = full["value"].fillna(0).astype(float)
    return full.assign(numerator=np.nan, denominator=np.nan)


def survey_monthly(con) -> pd.DataFrame:
    """Each survey's monthly responses (published rows, as the public sees them), and the rate they make."""
    surveys = con.execute(
        "SELECT measure_id, area_id, month, numerator, denominator FROM observations "
        "WHERE status = 'published' AND measure_id IN (SELECT unnest($ids))", {"ids": list(POOLED)}).df()
    surveys["month"] = pd.to_datetime(surveys["month"])
    surveys["value"] = 100 * surveys["numerator"] / surveys["denominator"]
    return surveys


def missing_records(con) -> pd.DataFrame:
    """Every missing-person report, with each area it counts toward."""
    records = con.execute("SELECT person_id, date_trunc('month', report_date)::DATE AS month, area_id AS leaf_id "
                          "FROM missing_person_reports").df()
    records["month"] = pd.to_datetime(records["month"])
    return records.merge(ROLLUP, on="leaf_id")


def people_in_windows(rc, records: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """Reports, individuals (distinct person ids) and people with 2+ reports, per area and run of months,
    zeros included; each run is counted from the records as a whole, never from its months."""
    rc.register("mp_records", records)
    rc.register("spans", spans[["key", "first_day", "last_day"]])
    counted = rc.execute(
        """
        WITH per_person AS (
            SELECT s.key, r.area_id, r.person_id, COUNT(*) AS reports
            FROM spans s JOIN mp_records r ON r.month BETWEEN s.first_day AND s.last_day
            GROUP BY ALL
        )
        SELECT key, area_id, SUM(reports)::DOUBLE AS reports, COUNT(*)::DOUBLE AS individuals,
               COUNT(*) FILTER (WHERE reports >= 2)::DOUBLE AS repeat_individuals
        FROM per_person GROUP BY ALL
        """).df()
    every = spans[["key"]].merge(pd.DataFrame({"area_id": CHOSEN_AREAS}), how="cross")
    out = every.merge(counted, how="left", on=["key", "area_id"])
    return out.fillna({"reports": 0.0, "individuals": 0.0, "repeat_individuals": 0.0})


def summed_windows(rc, monthly: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """Each measure, area and window: the months with data, the sum, and the pooled numerator and denominator."""
    rc.register("monthly", monthly)
    rc.register("spans", spans[["period", "window", "first_day", "last_day"]])
    return rc.execute(
        """
        SELECT s.period, s.window, m.measure_id, m.area_id, COUNT(*) AS months_present, SUM(m.value) AS total,
               SUM(m.numerator) AS numerator, SUM(m.denominator) AS denominator
        FROM spans s JOIN monthly m ON m.month BETWEEN s.first_day AND s.last_day
        GROUP BY ALL
        """).df()


def data_months_in(spans: pd.DataFrame) -> pd.Series:
    """How many of each window's months the data (December 2019 to April 2022) covers."""
    return pd.Series([sum(1 for m in ALL_MONTHS if f <= m <= la) for f, la in zip(spans["first"], spans["last"])],
                     index=spans.index)


# One worker runs the whole module: the recount and the 495 Overview reads take minutes to build, once.
pytestmark = pytest.mark.xdist_group("recount")


@pytest.fixture(scope="module")
def recount(demo_db):
    """The recount, built once: monthly figures and every period's four windows, per measure and area."""
    con = duckdb.connect(str(demo_db.resolve()), read_only=True)
    queries.execute(con, "core/one_thread")  # as the app's connection reads (datastore.open_read_only)
    rc = duckdb.connect()
    try:
        police = police_uk_monthly(rc)
        surveys = survey_monthly(con)
        provisional_surveys = con.execute("SELECT COUNT(*) FROM observations WHERE status <> 'published' "
                                          "AND measure_id IN (SELECT unnest($ids))", {"ids": list(POOLED)}).fetchone()[0]
        records = missing_records(con)
        periods = dashboard_periods()
        spans = windows(periods)
        # Reports per month are counts of events, so they add up; people do not (see people_in_windows).
        reports = (records.groupby(["area_id", "month"]).size().rename("value").reset_index()
                   .assign(measure_id="missing_reports"))
        reports = grid(["missing_reports"], CHOSEN_AREAS).merge(reports, how="left", on=["measure_id", "area_id", "month"])
        reports = reports.fillna({"value": 0.0}).assign(numerator=np.nan, denominator=np.nan)
        summed = summed_windows(rc, pd.concat([police, surveys, reports], ignore_index=True), spans)
        people = people_in_windows(rc, records, spans.assign(key=spans["period"] + "|" + spans["window"]))
        # The public's reader, made once as the app's data-access layer hands one in: the readers and queries below
        # would otherwise read the release clock's date again on each of their thousands of calls. It keeps what it
        # derives from the snapshot (disclosure control, for every area at once) as the app's readers do.
        public = datastore.reader(con, datastore.public_visibility(con), {})
        yield {"police": police, "surveys": surveys, "provisional_surveys": provisional_surveys, "records": records,
               "periods": periods, "spans": spans, "summed": summed, "people": people, "rc": rc, "con": con,
               "public": public}
    finally:
        rc.close()
        con.close()


# ---------------------------------------------------------------- comparing

def assert_agree(recounted: pd.DataFrame, shown: pd.DataFrame, keys: list[str], columns: list[str], what: str,
                 shown_to: dict[str, float] | None = None) -> int:
    """Every row on both sides, and every column equal (NaN where neither shows a figure). Returns the rows compared.

    shown_to: columns the app rounds for display, with the rounding step (0.01: two decimals)."""
    merged = recounted.merge(shown, how="outer", on=keys, suffixes=("_recount", "_shown"), indicator=True)
    one_side = merged[merged["_merge"] != "both"]
    assert one_side.empty, (f"{what}: {len(one_side)} rows only on one side (left_only: recount only):\n"
                            f"{one_side[keys + ['_merge']].head(20).to_string()}")
    differs = np.zeros(len(merged), dtype=bool)
    for column in columns:
        recount_values = pd.to_numeric(merged[f"{column}_recount"], errors="raise").to_numpy(dtype=float)
        shown_values = pd.to_numeric(merged[f"{column}_shown"], errors="raise").to_numpy(dtype=float)
        step = (shown_to or {}).get(column, 0.0)
        differs |= ~np.isclose(recount_values, shown_values, rtol=1e-9, atol=step / 2 + 1e-9, equal_nan=True)
    if differs.any():
        pairs = [f"{c}_{side}" for c in columns for side in ("recount", "shown")]
        pytest.fail(f"{what}: {differs.sum()} of {len(merged)} rows differ; the first:\n"
                    f"{merged.loc[differs, keys + pairs].head(20).to_string()}")
    return len(merged)


def figure(summed: pd.DataFrame, pooled: bool) -> pd.Series:
    """The period's figure: a total, or a rate pooled from the responses (never an average of monthly rates)."""
    if pooled:
        return 100 * summed["numerator"] / summed["denominator"].where(summed["denominator"] > 0)
    return summed["total"]


def expected_overview(recount) -> pd.DataFrame:
    """What the Overview should show for every measure recounted, chosen area and period.

    A figure shows when the period has any month of data; a comparison (last year, the 12 months
    before) only when both runs of months are wholly inside the data; the rolling 12 months when
    all of its 12 months have data.
    """
    spans = recount["spans"]
    coverage = spans[["period", "window", "months_expected"]].assign(data_months=data_months_in(spans))
    summed = recount["summed"]
    summed = summed[summed["area_id"].isin(CHOSEN_AREAS)]
    summed = summed.assign(value=np.where(summed["measure_id"].isin(POOLED), figure(summed, True), figure(summed, False)))
    people = recount["people"].copy()
    people[["period", "window"]] = people["key"].str.split("|", expand=True)
    people_long = pd.concat([people.assign(measure_id=m, value=people[c]) for m, c in PEOPLE.items()], ignore_index=True)
    people_long = people_long.merge(coverage, on=["period", "window"])
    people_long["months_present"] = people_long["data_months"]
    people_long.loc[people_long["months_present"] == 0, "value"] = np.nan
    cells = pd.MultiIndex.from_product([[*crime_measures()["measure_id"], *POOLED, "missing_reports"], CHOSEN_AREAS],
                                       names=["measure_id", "area_id"]).to_frame(index=False).merge(coverage, how="cross")
    cells = cells.merge(summed[["period", "window", "measure_id", "area_id", "months_present", "value"]], how="left",
                        on=["period", "window", "measure_id", "area_id"])
    cells["months_present"] = cells["months_present"].fillna(0)
    long = pd.concat([cells, people_long[cells.columns]], ignore_index=True)
    long["complete"] = long["months_present"] == long["months_expected"]
    wide = long.pivot_table(index=["period", "measure_id", "area_id"], columns="window",
                            values=["value", "months_present", "complete"], aggfunc="first", dropna=False)
    wide.columns = [f"{w}_{v}" for v, w in wide.columns]
    wide = wide.reset_index()

    def comparable(now: str, before: str) -> pd.Series:
        both_whole = wide[f"{now}_complete"].astype(bool) & wide[f"{before}_complete"].astype(bool)
        return both_whole & wide[f"{now}_value"].notna() & wide[f"{before}_value"].notna()

    out = wide[["period", "measure_id", "area_id"]].copy()
    present = wide["period_months_present"].astype(float)
    out["status"] = np.select([present == 0, wide["period_complete"].astype(bool)], ["no data", "complete"], "partial")
    out["value_number"] = wide["period_value"].where(present > 0)
    yearly, rolling = comparable("period", "last_year"), comparable("rolling", "previous_12")
    out["last_year_number"] = wide["last_year_value"].where(yearly)
    out["change_number"] = (wide["period_value"] - wide["last_year_value"]).where(yearly)
    out["change_percent"] = (100 * out["change_number"] / wide["last_year_value"]).where(yearly & (wide["last_year_value"] != 0))
    out["rolling_12_number"] = wide["rolling_value"].where(wide["rolling_complete"].astype(bool))
    out["previous_12_number"] = wide["previous_12_value"].where(rolling)
    out["rolling_change_number"] = (wide["rolling_value"] - wide["previous_12_value"]).where(rolling)
    out["rolling_change_percent"] = (100 * out["rolling_change_number"] / wide["previous_12_value"]).where(
        rolling & (wide["previous_12_value"] != 0))
    return out


# Disclosure control withholds small missing-person counts ("[c]") and the changes made from them: where the
# Overview shows "[c]" (or says a comparison is withheld), these figures have no number.
WITHHELD_TEXTS = ["value", "change", "rolling_12", "rolling_change"]
WITHHELD_FIGURES = {"value": ["value_number", "change_number", "change_percent"],
                    "change": ["last_year_number", "change_number", "change_percent"],
                    "rolling_12": ["rolling_12_number", "rolling_change_number", "rolling_change_percent"],
                    "rolling_change": ["previous_12_number", "rolling_change_number", "rolling_change_percent"]}
OVERVIEW_FIGURES = ["value_number", "last_year_number", "change_number", "change_percent", "rolling_12_number",
                    "previous_12_number", "rolling_change_number", "rolling_change_percent"]


def each_statement_run_once():
    """While in effect, a named query asked again with the same parameters answers with a copy of its first result
    (on this module's one read-only connection): the 495 Overview reads ask for each area's series, the area tree
    and the disclosure grids over and over. Every statement still runs, and all the code after it runs per read."""
    import queries

    real, answered = queries.run, {}

    def run_once(con, name, params=None):
        key = (name, repr(params))
        if key not in answered:
            answered[key] = real(con, name, params)
        return answered[key].copy()

    patch = pytest.MonkeyPatch()
    patch.setattr(queries, "run", run_once)
    return patch


@pytest.fixture(scope="module")
def overview_shown(recount):
    """The Overview table as the page reads it (all priorities, the public's view) for every chosen area and period."""
    recounted = {*crime_measures()["measure_id"], *POOLED, *MISSING}
    frames = []
    patch = each_statement_run_once()
    public = recount["public"]
    try:
        for row in recount["periods"].itertuples():
            period = app_period(row)
            for area_id in CHOSEN_AREAS:
                table = dashboard_data.overview(public, area_id=area_id, area_name=area_id, period=period)
                table = table[table["measure_id"].isin(recounted)]
                frames.append(table[["measure_id", "status", *WITHHELD_TEXTS, *OVERVIEW_FIGURES]]
                              .assign(period=row.period, area_id=area_id))
    finally:
        patch.undo()
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------- the recount itself is sound

def test_the_recount_reads_every_raw_record_once(recount):
    police = recount["police"]
    force = police[police["area_id"] == FORCE]
    # Every record is anti-social behaviour or counted in all_crime: 241,803 rows in the 29 files.
    assert force[force["measure_id"].isin(["all_crime", "asb_incidents"])]["value"].sum() == 241_803
    april = force[(force["measure_id"] == "all_crime") & (force["month"] == "2022-04-01")]["value"]
    assert april.tolist() == [8612]
    assert len(police) == 15 * 13 * 29
    # The force is the sum of its eleven lowest-tier areas; the county of its seven districts.
    by = police.pivot_table(index=["measure_id", "month"], columns="area_id", values="value")
    assert (by[list(LEAVES)].sum(axis=1) == by[FORCE]).all()
    assert (by[[a for a in LEAVES if a.startswith("E07")]].sum(axis=1) == by[COUNTY]).all()
    assert (by[list(UNALLOCATED)].sum().sum()) > 0  # records without a location or outside the force exist


def test_the_periods_are_every_month_quarter_and_year_of_the_data(recount):
    kinds = recount["periods"]["kind"].value_counts().to_dict()
    assert kinds == {"month": 29, "quarter": 11, "financial year": 4, "months": 1}


def test_survey_responses_and_records_are_what_the_public_sees(recount):
    # Survey rows are all published, so the public and analysts see the same rates.
    assert recount["provisional_surveys"] == 0
    assert set(recount["surveys"]["measure_id"]) == set(POOLED)


# ---------------------------------------------------------------- police.uk: the explorer's series and views

def test_every_monthly_police_uk_figure_matches_the_raw_files(recount):
    """The Priority explorer's series (dashboard_data.measure_series) for every police.uk measure and every
    area, the two unallocated ones included, month by month."""
    public = recount["public"]
    shown = []
    for measure_id in crime_measures()["measure_id"]:
        for area_id in ALL_AREAS:
            series = dashboard_data.measure_series(public, measure_id, area_id)
            shown.append(series[["month", "value"]].assign(measure_id=measure_id, area_id=area_id))
    compared = assert_agree(recount["police"][["measure_id", "area_id", "month", "value"]], pd.concat(shown),
                            ["measure_id", "area_id", "month"], ["value"], "monthly police.uk series")
    assert compared == 15 * 13 * 29


def test_every_control_chart_point_matches_the_recount(recount):
    """The points the explorer's control charts plot (dashboard_data.charted_series, in display units): every
    police.uk count and every survey rate (100 x satisfied / responses) for every chosen area and month."""
    public = recount["public"]
    surveys = recount["surveys"]
    police = recount["police"]
    expected = pd.concat([police[police["area_id"].isin(CHOSEN_AREAS)], surveys[surveys["area_id"].isin(CHOSEN_AREAS)]])
    shown = []
    for measure_id in [*crime_measures()["measure_id"], *POOLED]:
        for area_id in CHOSEN_AREAS:
            points = dashboard_data.charted_series(public, measure_id, area_id).points
            shown.append(points[["month", "value"]].assign(measure_id=measure_id, area_id=area_id))
    compared = assert_agree(expected[["measure_id", "area_id", "month", "value"]], pd.concat(shown),
                            ["measure_id", "area_id", "month"], ["value"], "control chart points")
    assert compared == 15 * 11 * 29 + len(surveys)


def rolling_recount(rc, monthly: pd.DataFrame, pooled: bool) -> pd.DataFrame:
    """Each run of 12 months in a row that all have data, by measure and area: its total, or its rate
    pooled from the 12 months' responses."""
    rc.register("monthly", monthly[["measure_id", "area_id", "month", "value", "numerator", "denominator"]])
    rolled = rc.execute(
        """
        WITH ends AS (
            SELECT unnest(generate_series(TIMESTAMP '2020-11-01', TIMESTAMP '2022-04-01', INTERVAL 1 MONTH)) AS month
        )
        SELECT m.measure_id, m.area_id, e.month, SUM(m.value) AS total, SUM(m.numerator) AS numerator,
               SUM(m.denominator) AS denominator
        FROM ends e JOIN monthly m ON m.month BETWEEN e.month - INTERVAL 11 MONTH AND e.month
        GROUP BY ALL
        HAVING COUNT(*) = 12
        """).df()
    rolled["rolling_12_months"] = figure(rolled, pooled)
    return rolled


def test_every_rolling_12_month_figure_matches_the_recount(recount):
    """The explorer's rolling 12 months (dashboard_data.rolling_series): police.uk totals for every area,
    survey rates pooled over 12 months, and people counted once in each 12 months."""
    con, public = recount["con"], recount["public"]
    police = recount["police"]
    surveys = recount["surveys"]
    expected = pd.concat([rolling_recount(recount["rc"], police, pooled=False),
                          rolling_recount(recount["rc"], surveys[surveys["area_id"].isin(CHOSEN_AREAS)], pooled=True)])
    expected = pd.concat([expected, people_rolling(recount)])
    shown = []
    measures = dashboard_data.queries.run(con, "app/measures").set_index("id", drop=False)
    for measure_id in [*crime_measures()["measure_id"], *POOLED, *PEOPLE]:
        areas = ALL_AREAS if measure_id in set(crime_measures()["measure_id"]) else CHOSEN_AREAS
        for area_id in areas:
            rolled = dashboard_data.rolling_series(public, measures.loc[measure_id].to_dict(), area_id)
            shown.append(rolled[["month", "rolling_12_months"]].assign(measure_id=measure_id, area_id=area_id))
    compared = assert_agree(expected[["measure_id", "area_id", "month", "rolling_12_months"]], pd.concat(shown),
                            ["measure_id", "area_id", "month"], ["rolling_12_months"], "rolling 12-month figures")
    assert compared > 15 * 13 * 18  # every police.uk measure and area has 18 ends (November 2020 to April 2022)


def people_rolling(recount) -> pd.DataFrame:
    ends = [m for m in ALL_MONTHS[11:]]
    spans = pd.DataFrame({"key": [str(e) for e in ends], "first_day": [(e - 11).start_time for e in ends],
                          "last_day": [e.start_time for e in ends]})
    counted = people_in_windows(recount["rc"], recount["records"], spans)
    counted["month"] = pd.to_datetime(counted["key"])
    return pd.concat([counted.assign(measure_id=m, rolling_12_months=counted[c]) for m, c in PEOPLE.items()])


def test_year_on_year_views_match_the_recount(recount):
    """The explorer's year-on-year view (each month of a financial year beside the same month a year before)
    for every police.uk measure, chosen area and financial year."""
    public = recount["public"]
    shown = []
    for measure_id in crime_measures()["measure_id"]:
        for area_id in CHOSEN_AREAS:
            series = dashboard_data.measure_series(public, measure_id, area_id)
            for start in (2019, 2020, 2021, 2022):
                yoy = comparisons.year_on_year(series, start)
                this_label, last_label = f"{start}/{(start + 1) % 100:02d}", f"{start - 1}/{start % 100:02d}"
                shown.append(pd.DataFrame({"measure_id": measure_id, "area_id": area_id, "year": start,
                                           "order": yoy["order"], "this_year": yoy[this_label], "last_year": yoy[last_label]}))
    police = recount["police"]
    police = police[police["area_id"].isin(CHOSEN_AREAS)]
    cells = police[["measure_id", "area_id"]].drop_duplicates().merge(
        pd.DataFrame([(y, k) for y in (2019, 2020, 2021, 2022) for k in range(12)], columns=["year", "order"]), how="cross")
    cells["month"] = pd.to_datetime({"year": cells["year"] + (cells["order"] + 3) // 12, "month": (cells["order"] + 3) % 12 + 1,
                                     "day": 1})
    cells["month_before"] = cells["month"] - pd.DateOffset(years=1)
    values = police[["measure_id", "area_id", "month", "value"]]
    expected = (cells.merge(values.rename(columns={"value": "this_year"}), how="left", on=["measure_id", "area_id", "month"])
                .merge(values.rename(columns={"month": "month_before", "value": "last_year"}), how="left",
                       on=["measure_id", "area_id", "month_before"]))
    compared = assert_agree(expected[["measure_id", "area_id", "year", "order", "this_year", "last_year"]], pd.concat(shown),
                            ["measure_id", "area_id", "year", "order"], ["this_year", "last_year"], "year-on-year views")
    assert compared == 15 * 11 * 4 * 12


# ---------------------------------------------------------------- the Overview

def test_every_overview_figure_matches_the_recount(recount, overview_shown):
    """The Overview's figures (value, same period last year and the change, rolling 12 months against the 12
    before and the change) for every police.uk measure, survey rate and missing-person count, every chosen
    area and every month, quarter and financial year."""
    from analysis.disclosure import SUPPRESSED, THRESHOLD
    from analysis.overview import WITHHELD_REASON

    expected = expected_overview(recount)
    keys = ["period", "measure_id", "area_id"]
    texts = expected[keys].merge(overview_shown[keys + WITHHELD_TEXTS], on=keys, how="left")
    small = expected["value_number"].between(1, THRESHOLD - 1) & expected["measure_id"].isin(MISSING)
    assert (texts.loc[small, "value"] == SUPPRESSED).all(), "a missing-person count of 1 to 4 is shown"
    for text, figures in WITHHELD_FIGURES.items():
        withheld = texts[text].isin([SUPPRESSED, WITHHELD_REASON]).to_numpy()
        assert expected.loc[withheld, "measure_id"].isin(MISSING).all()
        expected.loc[withheld, figures] = np.nan
    compared = assert_agree(expected, overview_shown.drop(columns=WITHHELD_TEXTS), keys, OVERVIEW_FIGURES,
                            "Overview figures")
    assert compared == (15 + 9 + 3) * 11 * 45
    statuses = expected.merge(overview_shown, on=["period", "measure_id", "area_id"], suffixes=("_recount", "_shown"))
    wrong = statuses[statuses["status_recount"] != statuses["status_shown"]]
    columns = ["period", "measure_id", "area_id", "status_recount", "status_shown"]
    assert wrong.empty, f"Overview data states differ:\n{wrong[columns].head(20).to_string()}"


def test_an_overview_quarter_counts_people_once_not_month_by_month(recount, overview_shown):
    """Q1 2021/22 at the force: individuals are the distinct people over the quarter, which is fewer than
    the three monthly counts added up (someone reported in two months is one person)."""
    records = recount["records"]
    force = records[records["area_id"] == FORCE]
    quarter = force[(force["month"] >= "2021-04-01") & (force["month"] <= "2021-06-01")]
    distinct = quarter["person_id"].nunique()
    monthly_sum = quarter.groupby("month")["person_id"].nunique().sum()
    assert distinct < monthly_sum
    row = overview_shown[(overview_shown["period"] == "quarter 2021-04") & (overview_shown["area_id"] == FORCE)
                         & (overview_shown["measure_id"] == "missing_individuals")]
    assert row["value_number"].tolist() == [distinct]
    reports = overview_shown[(overview_shown["period"] == "quarter 2021-04") & (overview_shown["area_id"] == FORCE)
                             & (overview_shown["measure_id"] == "missing_reports")]
    assert reports["value_number"].tolist() == [len(quarter)]


# ---------------------------------------------------------------- missing persons

def block_spans(periods: pd.DataFrame) -> pd.DataFrame:
    """For each period, the runs of months as long as it that end at its last month (stepping back and
    forward from it) and lie wholly inside the data: the points of a count of people's control chart."""
    rows = []
    for row in periods.itertuples():
        length = (row.last - row.first).n + 1
        for k in range(-40, 40):
            last = row.last - length * k
            first = last - (length - 1)
            if DATA_FIRST <= first and last <= DATA_LAST:
                rows.append((row.period, first, last))
    spans = pd.DataFrame(rows, columns=["period", "first", "last"])
    spans["key"] = spans["first"].astype(str) + ".." + spans["last"].astype(str)
    spans["first_day"] = [p.start_time for p in spans["first"]]
    spans["last_day"] = [p.start_time for p in spans["last"]]
    return spans


def test_every_missing_persons_figure_matches_the_records(recount):
    """The Missing persons page's figures (reports, individuals, people reported 2+ times) for every chosen
    area and every month, quarter and financial year, each counted from the records over the whole period."""
    con, public = recount["con"], recount["public"]
    shown = []
    for row in recount["periods"].itertuples():
        period = app_period(row)
        for area_id in CHOSEN_AREAS:
            summary = datastore.run_query(con, "app/missing_person_summary",
                                          {"area_id": area_id, "first": period.start, "last": period.end},
                                          public.visibility)
            shown.append(summary[["reports", "individuals", "repeat_individuals"]].assign(period=row.period, area_id=area_id))
    people = recount["people"]
    expected = people[people["key"].str.endswith("|period")].assign(period=lambda f: f["key"].str.split("|").str[0])
    compared = assert_agree(expected.drop(columns="key"), pd.concat(shown), ["period", "area_id"],
                            ["reports", "individuals", "repeat_individuals"], "Missing persons summary")
    assert compared == 11 * 45


def test_missing_persons_tables_by_quarter_and_month_match_the_records(recount):
    """The page's tables: one row per quarter (April to June is Q1) and per month with records, for every chosen area."""
    con, public = recount["con"], recount["public"]
    records = recount["records"]
    records = records[records["area_id"].isin(CHOSEN_AREAS)]
    quarter_start = records["month"].dt.to_period("Q").dt.start_time  # financial quarters are calendar quarters shifted by one
    expected, shown = [], []
    for grain, starts in (("month", records["month"]), ("quarter", quarter_start)):
        per_person = records.assign(period_start=starts).groupby(["area_id", "period_start", "person_id"]).size()
        counted = per_person.groupby(["area_id", "period_start"]).agg(
            reports="sum", individuals="size", repeat_individuals=lambda s: int((s >= 2).sum())).reset_index()
        expected.append(counted.assign(grain=grain))
        for area_id in CHOSEN_AREAS:
            table = datastore.run_query(con, "app/missing_person_periods", {"area_id": area_id, "grain": grain},
                                        public.visibility)
            shown.append(table.assign(area_id=area_id, grain=grain, period_start=pd.to_datetime(table["period_start"])))
    compared = assert_agree(pd.concat(expected), pd.concat(shown), ["grain", "area_id", "period_start"],
                            ["reports", "individuals", "repeat_individuals"], "Missing persons tables")
    assert compared == 11 * (29 + 11)


def test_a_quarters_people_are_counted_once_over_the_quarter(recount):
    """Q1 2021/22 at the force, by the page's quarterly table: the distinct people over April to June, which
    is fewer than the three months' counts of people added up."""
    records = recount["records"]
    force = records[records["area_id"] == FORCE]
    quarter = force[(force["month"] >= "2021-04-01") & (force["month"] <= "2021-06-01")]
    distinct, monthly_sum = quarter["person_id"].nunique(), quarter.groupby("month")["person_id"].nunique().sum()
    assert distinct < monthly_sum
    table = datastore.run_query(recount["con"], "app/missing_person_periods", {"area_id": FORCE, "grain": "quarter"})
    row = table[pd.to_datetime(table["period_start"]) == "2021-04-01"]
    assert row["individuals"].tolist() == [distinct]


def test_counts_of_people_charted_at_the_periods_grain_match_the_records(recount):
    """The SPC series of a count of people (dashboard_data.people_blocks): for every chosen area and period,
    one point per run of months as long as the period, ending at its end, each counted from the records."""
    public = recount["public"]
    spans = block_spans(recount["periods"])
    counted = people_in_windows(recount["rc"], recount["records"], spans.drop_duplicates("key"))
    expected = spans[["period", "key"]].merge(counted, on="key")
    shown = []
    for row in recount["periods"].itertuples():
        period = app_period(row)
        for area_id in CHOSEN_AREAS:
            blocks = dashboard_data.people_blocks(public, area_id, period)
            keys = blocks["first"].astype(str) + ".." + blocks["last"].astype(str)
            shown.append(blocks[["reports", "individuals", "repeat_individuals"]].assign(key=keys, period=row.period,
                                                                                        area_id=area_id))
    compared = assert_agree(expected, pd.concat(shown), ["period", "area_id", "key"],
                            ["reports", "individuals", "repeat_individuals"], "people charted at the period's grain")
    # Months: 29 one-month points for each of the 29 months; quarters: the 9 whole quarters (January to March
    # 2020 to January to March 2022) for each of the 11; years: 2020/21 and 2021/22 for each of the 4; the
    # last 12 months: May 2020 to April 2021 and May 2021 to April 2022.
    assert len(spans) == 29 * 29 + 9 * 11 + 2 * 4 + 2
    assert compared == 11 * len(spans)


def test_areas_compared_for_a_period_count_people_over_the_period(recount):
    """The explorer's areas view of a count of people (dashboard_data.areas_in_period): every area with a
    population, every period, people counted once over the period."""
    con, public = recount["con"], recount["public"]
    measures = dashboard_data.queries.run(con, "app/measures").set_index("id", drop=False)
    shown = []
    for row in recount["periods"].itertuples():
        period = app_period(row)
        for measure_id in PEOPLE:
            by_area = dashboard_data.areas_in_period(public, measures.loc[measure_id].to_dict(), period)
            shown.append(by_area[["area_id", "value"]].assign(period=row.period, measure_id=measure_id))
    people = recount["people"]
    people = people[people["key"].str.endswith("|period")].assign(period=lambda f: f["key"].str.split("|").str[0])
    expected = pd.concat([people.assign(measure_id=m, value=people[c]) for m, c in PEOPLE.items()])
    compared = assert_agree(expected[["period", "measure_id", "area_id", "value"]], pd.concat(shown),
                            ["period", "measure_id", "area_id"], ["value"], "areas view of counts of people")
    assert compared == 2 * 11 * 45


def test_monthly_missing_person_series_match_the_records(recount):
    """The stored monthly series of the three missing-person measures (charted month by month, and summed
    for reports) against each month's records."""
    public = recount["public"]
    spans = pd.DataFrame({"key": [str(m) for m in ALL_MONTHS], "first_day": [m.start_time for m in ALL_MONTHS],
                          "last_day": [m.start_time for m in ALL_MONTHS]})
    counted = people_in_windows(recount["rc"], recount["records"], spans)
    counted["month"] = pd.to_datetime(counted["key"])
    columns = {"missing_reports": "reports", **PEOPLE}
    expected = pd.concat([counted.assign(measure_id=m, value=counted[c]) for m, c in columns.items()])
    shown = []
    for measure_id in columns:
        for area_id in CHOSEN_AREAS:
            series = dashboard_data.measure_series(public, measure_id, area_id)
            shown.append(series[["month", "value"]].assign(measure_id=measure_id, area_id=area_id))
    compared = assert_agree(expected[["measure_id", "area_id", "month", "value"]], pd.concat(shown),
                            ["measure_id", "area_id", "month"], ["value"], "monthly missing-person series")
    assert compared == 3 * 11 * 29


# ---------------------------------------------------------------- victim satisfaction

def test_every_survey_rate_is_pooled_over_the_period(recount):
    """The Victim satisfaction page's table: for every survey, chosen area, month, quarter and financial year,
    satisfied and responses summed over the period and the rate their ratio."""
    con, public = recount["con"], recount["public"]
    summed = recount["summed"]
    summed = summed[(summed["window"] == "period") & summed["measure_id"].isin(SURVEYS) & summed["area_id"].isin(CHOSEN_AREAS)]
    cells = pd.MultiIndex.from_product([recount["periods"]["period"], SURVEYS, CHOSEN_AREAS],
                                       names=["period", "measure_id", "area_id"]).to_frame(index=False)
    expected = cells.merge(summed, how="left", on=["period", "measure_id", "area_id"])
    expected["denominator"] = expected["denominator"].fillna(0)
    expected["rate"] = figure(expected, pooled=True)
    shown = []
    for area_id in CHOSEN_AREAS:
        surveys = datastore.run_query(con, "app/survey_series", {"area_id": area_id}, public.visibility)
        surveys["month"] = pd.to_datetime(surveys["month"])
        for row in recount["periods"].itertuples():
            summary = survey_summary(surveys, app_period(row), 50)
            shown.append(summary[["measure_id", "numerator", "denominator", "rate"]].assign(period=row.period, area_id=area_id))
    compared = assert_agree(expected[["period", "measure_id", "area_id", "numerator", "denominator", "rate"]], pd.concat(shown),
                            ["period", "measure_id", "area_id"], ["numerator", "denominator", "rate"], "survey rates")
    assert compared == 45 * 8 * 11
    # Pooling is not averaging: the quarters where the mean of the monthly rates would differ are many.
    quarters = recount["surveys"].assign(quarter=lambda f: f["month"].dt.to_period("Q"))
    by_quarter = quarters.groupby(["measure_id", "area_id", "quarter"]).agg(
        mean_rate=("value", "mean"), numerator=("numerator", "sum"), denominator=("denominator", "sum"))
    assert (abs(by_quarter["mean_rate"] - 100 * by_quarter["numerator"] / by_quarter["denominator"]) > 0.5).sum() > 100


def test_every_rolling_survey_rate_is_pooled_over_its_12_months(recount):
    """The page's rolling 12-month rates (analysis.proportions.rolling_pooled on the page's series) for every
    survey and chosen area."""
    con, public = recount["con"], recount["public"]
    surveys = recount["surveys"]
    expected = rolling_recount(recount["rc"], surveys[surveys["measure_id"].isin(SURVEYS) & surveys["area_id"].isin(CHOSEN_AREAS)],
                               pooled=True).rename(columns={"rolling_12_months": "rate"})
    shown = []
    for area_id in CHOSEN_AREAS:
        series = datastore.run_query(con, "app/survey_series", {"area_id": area_id}, public.visibility)
        for measure_id in SURVEYS:
            rolled = rolling_pooled(series[series["measure_id"] == measure_id].reset_index(drop=True))
            shown.append(rolled[["month", "numerator", "denominator", "rate"]].assign(measure_id=measure_id, area_id=area_id))
    shown = pd.concat(shown).assign(month=lambda f: pd.to_datetime(f["month"]))
    compared = assert_agree(expected[["measure_id", "area_id", "month", "numerator", "denominator", "rate"]], shown,
                            ["measure_id", "area_id", "month"], ["numerator", "denominator", "rate"], "rolling survey rates")
    assert compared > 0


def test_all_user_satisfaction_pools_the_burglary_vehicle_and_violent_crime_samples(recount):
    """The page says All-user pools the three surveys' samples: for every area and month, its satisfied and
    responses are the three surveys' added up."""
    surveys = recount["surveys"]
    three = surveys[surveys["measure_id"].isin(["burglary_satisfaction", "vehicle_satisfaction", "violent_crime_satisfaction"])]
    expected = three.groupby(["area_id", "month"], as_index=False)[["numerator", "denominator"]].sum()
    all_user = surveys[surveys["measure_id"] == "all_user_satisfaction"][["area_id", "month", "numerator", "denominator"]]
    compared = assert_agree(expected, all_user, ["area_id", "month"], ["numerator", "denominator"], "All-user samples")
    assert compared == 318


# ---------------------------------------------------------------- areas compared, and ad hoc tables

def catalogue_rows(name: str) -> list[dict]:
    with open(PROJECT_ROOT / "data" / "catalogue" / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def populations() -> pd.DataFrame:
    """Census 2021 populations of the areas that have one, from the area catalogue."""
    return pd.DataFrame([(r["id"], float(r["population"])) for r in catalogue_rows("areas.csv") if r["population"]],
                        columns=["area_id", "population"])


def figures_over(recount, spans: pd.DataFrame) -> pd.DataFrame:
    """Each recounted measure's figure for each chosen area and run of months (spans: key, first, last):
    months with data, and the total, pooled rate or count of people. NaN where no month has data."""
    rc = recount["rc"]
    monthly = pd.concat([recount["police"], recount["surveys"]], ignore_index=True)
    records = recount["records"]
    reports = records.groupby(["area_id", "month"]).size().rename("value").reset_index().assign(measure_id="missing_reports")
    reports = grid(["missing_reports"], CHOSEN_AREAS).merge(reports, how="left", on=["measure_id", "area_id", "month"])
    monthly = pd.concat([monthly, reports.fillna({"value": 0.0})], ignore_index=True)
    summed = summed_windows(rc, monthly, spans.assign(period=spans["key"], window="period"))
    summed["value"] = np.where(summed["measure_id"].isin(POOLED), figure(summed, True), figure(summed, False))
    people = people_in_windows(rc, records, spans)
    people = people.merge(spans[["key"]].assign(months_present=data_months_in(spans)), on="key")
    people = pd.concat([people.assign(measure_id=m, value=people[c]) for m, c in PEOPLE.items()])
    people.loc[people["months_present"] == 0, "value"] = np.nan
    cells = pd.MultiIndex.from_product([spans["key"], [*crime_measures()["measure_id"], *POOLED, *MISSING], CHOSEN_AREAS],
                                       names=["key", "measure_id", "area_id"]).to_frame(index=False)
    found = pd.concat([summed.rename(columns={"period": "key"}), people])[["key", "measure_id", "area_id", "months_present", "value"]]
    out = cells.merge(found, how="left", on=["key", "measure_id", "area_id"])
    return out.fillna({"months_present": 0})


def test_areas_compared_for_a_period_match_the_recount(recount):
    """The explorer's areas view (dashboard_data.areas_in_period: the tile map) for every police.uk measure and
    period: each area's total and its rate per 1,000 people."""
    con, public = recount["con"], recount["public"]
    periods = recount["periods"]
    spans = periods.assign(key=periods["period"])
    expected = figures_over(recount, spans).rename(columns={"key": "period"})
    expected = expected[expected["measure_id"].isin(crime_measures()["measure_id"]) & expected["value"].notna()]
    expected = expected.merge(populations(), on="area_id")
    expected["rate"] = 1000 * expected["value"] / expected["population"]
    measures = dashboard_data.queries.run(con, "app/measures").set_index("id", drop=False)
    shown = []
    for row in periods.itertuples():
        period = app_period(row)
        for measure_id in crime_measures()["measure_id"]:
            by_area = dashboard_data.areas_in_period(public, measures.loc[measure_id].to_dict(), period)
            shown.append(by_area[["area_id", "value", "rate", "months"]].assign(period=row.period, measure_id=measure_id))
    compared = assert_agree(expected[["period", "measure_id", "area_id", "value", "rate", "months_present"]],
                            pd.concat(shown).rename(columns={"months": "months_present"}), ["period", "measure_id", "area_id"],
                            ["value", "rate", "months_present"], "areas view")
    assert compared == 45 * 15 * 11


def test_ad_hoc_tables_match_the_recount(recount):
    """The Ad hoc tables page (dashboard_data.ad_hoc_table) over the whole data, at every grain: every recounted
    measure and chosen area, with its value, rate per 1,000 people and share of the force area (counts only)."""
    public = recount["public"]
    measure_ids = (*crime_measures()["measure_id"], *POOLED, *MISSING)
    names = {r["id"]: r["name"] for r in catalogue_rows("measures.csv")}
    area_names = {r["id"]: r["name"] for r in catalogue_rows("areas.csv")}
    shown = []
    for grain in ("Months", "Quarters", "Financial years", "The whole range"):
        table = dashboard_data.ad_hoc_table(public, measure_ids, CHOSEN_AREAS, grain, str(DATA_FIRST), str(DATA_LAST))
        shown.append(table.assign(grain=grain))
    shown = pd.concat(shown).rename(columns={
        "Value": "value", "Rate per 1,000 people": "rate", "Share of force area (%)": "share",
        "Months with data": "months_present", "First month": "first", "Months in period": "months"})
    shown["measure_id"] = shown["Measure"].map({name: key for key, name in names.items()})
    shown["area_id"] = shown["Area"].map({name: key for key, name in area_names.items()})
    periods = recount["periods"]
    periods = periods[periods["kind"] != "months"]
    whole = pd.DataFrame({"kind": ["whole range"], "first": [DATA_FIRST], "last": [DATA_LAST]})
    spans = pd.concat([periods, whole], ignore_index=True)
    spans["key"] = spans["kind"] + " " + spans["first"].astype(str)
    spans["first_day"] = [p.start_time for p in spans["first"]]
    spans["last_day"] = [p.start_time for p in spans["last"]]  # the whole range's too
    expected = figures_over(recount, spans).merge(spans[["key", "kind", "first", "last"]], on="key")
    expected["grain"] = expected["kind"].map({"month": "Months", "quarter": "Quarters", "financial year": "Financial years",
                                              "whole range": "The whole range"})
    expected["months"] = [(la - f).n + 1 for f, la in zip(expected["first"], expected["last"])]
    expected["first"] = expected["first"].astype(str)
    counts = ~expected["measure_id"].isin(POOLED)
    expected = expected.merge(populations(), on="area_id")
    expected["rate"] = (1000 * expected["value"] / expected["population"]).where(counts)
    force = expected[expected["area_id"] == FORCE][["key", "measure_id", "value"]].rename(columns={"value": "force_value"})
    expected = expected.merge(force, on=["key", "measure_id"])
    expected["share"] = (100 * expected["value"] / expected["force_value"].where(expected["force_value"] > 0)).where(counts)
    keys = ["grain", "first", "months", "measure_id", "area_id"]
    # Disclosure control: a withheld missing-person count has no value, rate or share; every count of 1 to 4 is
    # withheld, and a withheld force count takes every share with it.
    from analysis.adhoc import WITHHELD_NOTE
    from analysis.disclosure import THRESHOLD

    notes = expected[keys].merge(shown[[*keys, "Note"]], on=keys, how="left")["Note"]
    withheld = (notes == WITHHELD_NOTE).to_numpy()
    assert expected.loc[withheld, "measure_id"].isin(MISSING).all()
    small = (expected["measure_id"].isin(MISSING) & expected["value"].between(1, THRESHOLD - 1)).to_numpy()
    assert withheld[small].all(), "a missing-person count of 1 to 4 is shown in the ad hoc tables"
    expected.loc[withheld, ["value", "rate", "share"]] = np.nan
    force_withheld = expected[withheld & (expected["area_id"] == FORCE).to_numpy()][["key", "measure_id"]]
    without_force = expected[["key", "measure_id"]].merge(force_withheld.assign(gone=True), how="left")["gone"]
    expected.loc[without_force.fillna(False).astype(bool).to_numpy(), "share"] = np.nan
    compared = assert_agree(expected[[*keys, "value", "rate", "share", "months_present"]],
                            shown[[*keys, "value", "rate", "share", "months_present"]], keys,
                            ["value", "rate", "share", "months_present"], "ad hoc tables",
                            shown_to={"value": 0.01, "rate": 0.001, "share": 0.1})
    assert compared == (44 + 1) * 27 * 11
