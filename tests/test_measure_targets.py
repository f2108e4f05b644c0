"""A measure's target reaches SPC in the units its chart works in: a p chart in proportions, an XmR chart in the
values as stored (a percentage charted with XmR stays in percent)."""
import numpy as np
import pandas as pd
import pytest

from analysis.series import measure_spc, measure_spc_many

MONTHS = pd.date_range("2020-04-01", periods=24, freq="MS")
# Percentages steady around 92 (limits roughly 86-98): a target of 80 is always met, one of 99 never.
PERCENTAGES = 92 + np.tile([1.5, -1.0, 0.5, -1.5, 1.0, -0.5], 4)


def percentage_measure(chart_kind: str, target: float) -> dict:
    return {"id": "share_contacted", "unit": "percentage", "chart_kind": chart_kind, "target": target,
            "improvement_direction": "increase"}


def percent_series(with_counts: bool) -> pd.DataFrame:
    denominator = np.full(len(MONTHS), 400.0)
    return pd.DataFrame({"month": MONTHS, "value": PERCENTAGES,
                         "numerator": np.round(PERCENTAGES * 4) if with_counts else np.nan,
                         "denominator": denominator if with_counts else np.nan})


@pytest.mark.parametrize("chart_kind, with_counts", [("xmr", False), ("p", True), ("p", False)])
@pytest.mark.parametrize("target, expected", [(80.0, "consistent_pass"), (99.5, "consistent_fail")])
def test_a_percentage_target_is_judged_against_the_chart_in_its_own_units(chart_kind, with_counts, target, expected):
    result, scale = measure_spc(percent_series(with_counts), percentage_measure(chart_kind, target))
    assert result.assurance_icon == expected
    assert result.options.target * scale == pytest.approx(target)


def test_many_at_once_judge_a_percentage_target_the_same_way():
    charts = [(percent_series(False), percentage_measure("xmr", 80.0), ()),
              (percent_series(True), percentage_measure("p", 99.5), ())]
    assert [r.assurance_icon for r, _ in measure_spc_many(charts)] == ["consistent_pass", "consistent_fail"]
