"""Each synthetic series has a generator of its own, seeded from its measure id: adding a measure to the demo's
synthetic data, or taking one away, changes no other measure's figures."""
from __future__ import annotations

import pandas as pd
import pytest

from ingest import synthetic

MONTHS = pd.date_range("2019-12-01", "2022-04-01", freq="MS")
LEAVES = pd.DataFrame({"id": ["E07000129", "E07000130", "E07000133", "E06000016"],
                       "population": [105_000, 183_000, 51_000, 368_000]})


def by_measure(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {measure: rows.drop(columns="measure_id").reset_index(drop=True)
            for measure, rows in frame.groupby("measure_id", sort=False)}


@pytest.mark.parametrize("make, specs, new_spec", [
    (synthetic.synthetic_counts, synthetic.COUNT_MEASURES, synthetic.CountSpec(40, 0.1, 0.02)),
    (synthetic.synthetic_surveys, synthetic.SURVEY_MEASURES, synthetic.SurveySpec(50, 0.7)),
])
def test_a_new_measure_first_in_the_catalogue_changes_no_other_series(make, specs, new_spec):
    before = by_measure(make(MONTHS, LEAVES, measures=specs))
    after = by_measure(make(MONTHS, LEAVES, measures={"a_new_measure": new_spec, **specs}))
    assert set(after) == set(before) | {"a_new_measure"}
    for measure, rows in before.items():
        pd.testing.assert_frame_equal(after[measure], rows, obj=measure)


def test_a_measure_taken_away_changes_no_other_series():
    first, *rest = synthetic.COUNT_MEASURES
    before = by_measure(synthetic.synthetic_counts(MONTHS, LEAVES))
    after = by_measure(synthetic.synthetic_counts(MONTHS, LEAVES,
                                                  measures={m: synthetic.COUNT_MEASURES[m] for m in rest}))
    assert first not in after
    for measure in rest:
        pd.testing.assert_frame_equal(after[measure], before[measure], obj=measure)


def test_each_measure_draws_its_own_numbers_and_the_same_ones_every_run():
    counts = by_measure(synthetic.synthetic_counts(MONTHS, LEAVES))
    again = by_measure(synthetic.synthetic_counts(MONTHS, LEAVES))
    for measure in counts:
        pd.testing.assert_frame_equal(again[measure], counts[measure])
    # Two measures with the same spec still differ: their generators are not one stream restarted.
    twins = by_measure(synthetic.synthetic_counts(MONTHS, LEAVES, measures={
        "twin_a": synthetic.CountSpec(500), "twin_b": synthetic.CountSpec(500)}))
    assert not twins["twin_a"]["value"].equals(twins["twin_b"]["value"])
    # Another seed (the national benchmark's forces) draws other numbers for the same measure.
    other = by_measure(synthetic.synthetic_counts(MONTHS, LEAVES, seed=(synthetic.SEED, 1)))
    assert not other["domestic_abuse_reports"]["value"].equals(counts["domestic_abuse_reports"]["value"])
