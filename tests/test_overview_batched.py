"""The Overview reads every row's SPC in one pass of the engine (analysis.overview.build_overview), and the table is
the same as when each row is read on its own (overview_row, one series at a time), for every area of the demo and
the force area in every quarter: nothing the page, Panel mode or the paper shows changes."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dashboard_data
import queries
from analysis import calendar as cal
from analysis import spc
from analysis.overview import build_overview, overview_frame, overview_row
from analysis.rag import SMALL_SAMPLE
from analysis.series import LATEST
from core.home_force import home_force


def row_by_row(catalogue, area_series, period, area_name, rebases=None, *, distinct=None, is_force_area=True,
               small_sample=SMALL_SAMPLE, notes=None, withheld=None) -> pd.DataFrame:
    """The Overview as it was built before the batch: each row on its own, its SPC one series at a time."""
    by_measure = {key: frame for key, frame in area_series.groupby("measure_id")}
    rebase_months = {} if rebases is None else rebases.groupby("measure_id")["month"].apply(list).to_dict()
    empty = area_series.iloc[0:0]
    rows = [overview_row(row, by_measure.get(row["measure_id"], empty), period, area_name,
                         rebase_months.get(row["measure_id"], ()), distinct=(distinct or {}).get(row["measure_id"]),
                         is_force_area=is_force_area, small_sample=small_sample,
                         note=(notes or {}).get(row["measure_id"], ""),
                         withheld=(withheld or {}).get(row["measure_id"], frozenset()))
            for row in catalogue.replace({np.nan: None}).to_dict("records")]
    return overview_frame(rows)


def demo_quarters(con) -> list[cal.Period]:
    span = queries.run(con, "app/month_span").iloc[0]
    return cal.quarters_between(pd.Period(span["first_month"], "M"), pd.Period(span["last_month"], "M"))


def test_the_batched_overview_is_the_row_by_row_one_for_every_area_and_for_the_force_in_every_quarter(
        demo_reader, monkeypatch):
    """Every area in two quarters (the latest, and one mid-series) and the force area in every quarter: the two
    ways of building are compared here; every figure of every area and quarter is checked against an independent
    recount in tests/test_recount.py."""
    con = demo_reader
    areas, quarters = dashboard_data.areas(con), demo_quarters(con)
    force = home_force(con)
    tables = sorted({(area_id, areas[area_id], period) for area_id in areas
                     for period in (quarters[len(quarters) // 2], quarters[-1])}
                    | {(force, areas[force], period) for period in quarters}, key=lambda t: (t[0], t[2].label))
    assert len(areas) >= 11 and len(quarters) >= 9 and len(tables) == 2 * len(areas) + len(quarters) - 2

    def single_series_only(*args, **kwargs):
        raise AssertionError("build_overview charted one series at a time")

    batched = {}
    with monkeypatch.context() as patched:  # the batch never charts one series at a time
        patched.setattr(spc, "xmr", single_series_only)
        patched.setattr(spc, "proportion_chart", single_series_only)
        for area_id, name, period in tables:
            batched[area_id, period.label] = dashboard_data.overview(con, area_id=area_id, area_name=name, period=period)
    monkeypatch.setattr(dashboard_data, "build_overview", row_by_row)
    read = {"special cause": 0, "rebased or counted by period": 0}
    for area_id, name, period in tables:
        expected = dashboard_data.overview(con, area_id=area_id, area_name=name, period=period)
        pd.testing.assert_frame_equal(batched[area_id, period.label], expected, check_exact=True,
                                      obj=f"{area_id} {period.label}")
        read["special cause"] += int(expected["variation_icon"].map(lambda v: v not in (None, "common_cause")).sum())
    # Not vacuous: the tables read special cause, p charts, XmR charts and counts of people.
    assert read["special cause"] > 50


def _series(rng, n: int) -> np.ndarray:
    values = 100 + rng.normal(0, 8, n)
    if n > 15:
        values[n // 2:] += rng.choice([0, 30])  # a shift in some
    return np.round(values)


@pytest.mark.parametrize("seed", range(5))
def test_many_xmr_charts_at_once_are_each_charted_alone(seed):
    rng = np.random.default_rng(seed)
    lengths = [int(n) for n in rng.integers(2, 40, 25)] + [1]
    series = [_series(rng, n) for n in lengths]
    options = [spc.SpcOptions(improvement_direction=str(rng.choice(["increase", "decrease", "neutral"])),
                              target=None if rng.random() < 0.5 else float(rng.normal(100, 20)),
                              rebase=tuple(sorted({int(r) for r in rng.integers(0, n + 2, rng.integers(0, 3))})))
               for n in lengths]
    many = spc.xmr_many(series, options)
    assert len(many) == len(series)
    for values, option, result in zip(series, options, many):
        alone = spc.xmr(values, option)
        pd.testing.assert_frame_equal(result.points, alone.points, check_exact=True)
        assert (result.variation_icon, result.assurance_icon, result.options, result.chart) == (
            alone.variation_icon, alone.assurance_icon, alone.options, alone.chart)
    assert {r.variation_icon for r in many} - {"common_cause"}, "no special cause: the check says little"


@pytest.mark.parametrize("seed", range(5))
def test_many_proportion_charts_at_once_are_each_charted_alone(seed):
    rng = np.random.default_rng(seed)
    lengths = [int(n) for n in rng.integers(2, 30, 12)]
    # Small samples give plain p charts; large overdispersed ones flag most points and get Laney's p'.
    denominators = [rng.integers(20, 60, n).astype(float) if i % 2 else rng.integers(5000, 9000, n).astype(float)
                    for i, n in enumerate(lengths)]
    numerators = [np.round(d * np.clip(rng.normal(0.6, 0.05, len(d)), 0, 1)) for d in denominators]
    options = [spc.SpcOptions(improvement_direction="increase", target=0.6 if i % 3 else None,
                              rebase=(n // 2,) if i % 4 == 0 else ()) for i, n in enumerate(lengths)]
    many = spc.proportion_charts(numerators, denominators, options)
    for num, den, option, result in zip(numerators, denominators, options, many):
        alone = spc.proportion_chart(num, den, option)
        pd.testing.assert_frame_equal(result.points, alone.points, check_exact=True)
        assert (result.variation_icon, result.assurance_icon, result.chart) == (
            alone.variation_icon, alone.assurance_icon, alone.chart)
    assert {r.chart for r in many} == {"p", "p'"}


def test_series_charted_together_share_the_rules_options():
    with pytest.raises(ValueError, match="must share"):
        spc.xmr_many([[1.0, 2.0, 3.0]] * 2, [spc.SpcOptions(), spc.SpcOptions(run_length=6)])
    with pytest.raises(ValueError, match="NaN"):
        spc.xmr_many([[1.0, 2.0], [1.0, np.nan]], [spc.SpcOptions()] * 2)


def test_each_measure_is_labelled_by_the_loads_that_wrote_it_in_order():
    """analysis.sources.figure_sources (read in one pass over its columns): labels in the order the rows give them,
    each once, joined by "and"; synthetic where the demo generator made some rows."""
    from analysis.sources import SYNTHETIC_LABEL, figure_sources

    rows = pd.DataFrame({
        "measure_id": ["a", "a", "a", "b", "c", "c"],
        "kind": ["partner return", None, "partner return", "police.uk", np.nan, "police.uk"],
        "partner": ["Probation", None, "Probation", None, None, None],
        "catalogue_synthetic": [True, True, True, False, False, False],
    })
    found = figure_sources(rows)
    assert list(found) == ["a", "b", "c"]
    assert (found["a"].label, found["a"].synthetic) == (f"Probation return and {SYNTHETIC_LABEL}", True)
    assert (found["b"].label, found["b"].synthetic) == ("police.uk", False)
    assert (found["c"].label, found["c"].synthetic) == ("police.uk", False)
    assert figure_sources(rows.iloc[0:0]) == {}


@pytest.mark.parametrize("in_order", [True, False])
def test_a_series_as_it_stood_keeps_only_its_months_to_the_period_s_end(in_order):
    """analysis.series.as_stood, the series in month order or not: the months to the period's end with their labels,
    indexed from 0, and the caller's series unchanged when the result is changed."""
    from analysis.series import as_stood

    months = pd.date_range("2021-01-01", periods=8, freq="MS")
    frame = pd.DataFrame({"month": months, "value": np.arange(8.0)})
    labels = pd.Series([f"m{i}" for i in range(8)])
    if not in_order:
        frame, labels = frame.iloc[::-1].reset_index(drop=True), labels.iloc[::-1].reset_index(drop=True)
    before = frame.copy()
    stood, stood_labels = as_stood(frame, cal.quarter_of(pd.Period("2021-04", "M")), labels)  # April to June
    kept = frame["month"] <= "2021-06-01"
    pd.testing.assert_frame_equal(stood, frame[kept].reset_index(drop=True))
    pd.testing.assert_series_equal(stood_labels, labels[kept].reset_index(drop=True))
    stood.loc[0, "value"] = -1.0
    pd.testing.assert_frame_equal(frame, before)
    everything, _ = as_stood(frame, cal.quarter_of(pd.Period("2022-01", "M")))
    pd.testing.assert_frame_equal(everything, before)


def test_the_overview_is_the_same_whatever_order_the_area_s_series_comes_in(demo_reader):
    """build_overview takes each measure's series out of the area's once, as arrays in month order
    (analysis.series.SeriesPoints): the rows shuffled (measures interleaved, months out of order, an index not
    from 0) give the same table as in the order app/area_series reads them, for the force in its latest whole quarter."""
    con = demo_reader
    force, period = home_force(con), demo_quarters(con)[-2]  # the latest whole quarter
    catalogue = queries.run(con, "app/overview", {"area_id": force, "first": period.start, "last": period.end,
                                                  "priority_id": None})
    series = queries.run(con, "app/area_series", {"area_id": force, "last": LATEST})
    rebases = queries.run(con, "app/area_rebases", {"area_id": force})
    people = dashboard_data.people_counts(con, force, period)

    def built(area_series: pd.DataFrame) -> pd.DataFrame:
        return build_overview(catalogue, area_series, period, "Force", rebases, distinct=people)

    in_order = built(series)
    shuffled = series.sample(frac=1, random_state=1)
    assert not shuffled["measure_id"].is_monotonic_increasing
    pd.testing.assert_frame_equal(built(shuffled), in_order, check_exact=True)
    # Not vacuous: most rows read SPC, and compare with last year.
    assert in_order["variation_icon"].notna().sum() > 20 and in_order["change_number"].notna().sum() > 20
