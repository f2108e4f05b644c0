"""What-if on stable series with no change: how often it credits a change with special cause, beside how often
the rules flag special cause by chance on the same unchanged series (their false-alarm rate).

Each simulated series is normal noise around a level (24 to 36 months of history, seeded). The What-if page is
asked about a 0% change from a month between its 13th month and the month after its latest data, followed for
24 months with one noisy run, as `analysis.whatif.apply` runs it. The false-alarm rate is measured on that run's
unchanged twin (the observed months, then the current level with the run's own noise) with `analysis.spc`
directly: the share whose chart, drawn with the data up to a month from the start on, flags a point from the
start as special cause in either direction. `python scripts/benchmark.py whatif-null` prints both.

The same study with a change too small to matter (1%) shows what comparing with the unchanged twin removes:
the share of runs whose chart with the change flags special cause in the change's direction at all (what the
page credited to the change before it compared), beside the share it now credits.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import spc, whatif

MEASURE = {"id": "stable", "name": "A stable count", "unit": "count", "improvement_direction": "decrease",
           "chart_kind": "xmr", "aggregation": "sum", "target": None}
AREA = {"id": "area", "name": "a simulated area"}
NO_REBASES = pd.DataFrame(columns=["month", "reason", "created_by", "created_at"])
HORIZON = 24


@dataclass
class NullStudy:
    series: int
    claims: int  # What-if credits the change with special cause: on the expected path or in the run
    expected_path_claims: int  # on the expected path (no noise) alone
    run_claims: int  # in the noisy run alone
    false_alarms: int  # the unchanged twin's chart flags special cause from the start on, either direction
    flagged_with_change: int  # the run's chart with the change flags special cause from the start on, in the
    # change's direction (either, for no change): detection without comparing with the unchanged twin

    @property
    def claim_rate(self) -> float:
        return self.claims / self.series

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.series

    def rate(self, count: int) -> str:
        return f"{count:,} of {self.series:,} ({count / self.series:.1%})"


def stable_series(rng: np.random.Generator) -> tuple[pd.DataFrame, str]:
    """A series with no change (normal noise around a level) and a scenario start month for it."""
    points = int(rng.integers(24, 37))
    level = float(rng.uniform(20, 1000))
    values = np.maximum(rng.normal(level, level * rng.uniform(0.05, 0.2), points), 0.0)
    months = pd.date_range("2019-01-01", periods=points, freq="MS")
    start = months[0] + pd.DateOffset(months=int(rng.integers(whatif.MIN_POINTS_BEFORE_SCENARIO, points + 1)))
    series = pd.DataFrame({"month": months, "value": values, "numerator": np.nan, "denominator": np.nan})
    return series, f"{start:%Y-%m}"


def flags_special_cause(values: np.ndarray, start: int, sign: int = 0) -> bool:
    """Whether some chart of values[0..t], t >= start, flags a point from `start` on (the engine alone), in
    direction `sign` (0: either)."""
    for t in range(start, len(values)):
        flags = spc.xmr_batch(values[None, : t + 1]).flag[0, start:]
        if (flags != 0).any() if sign == 0 else (flags == sign).any():
            return True
    return False


def null_study(n_series: int, seed: int = 2022, change_percent: float = 0.0) -> NullStudy:
    rng = np.random.default_rng(seed)
    claims = on_path = in_run = false_alarms = flagged = 0
    for _ in range(n_series):
        series, start = stable_series(rng)
        scenario = whatif.Scenario(start, change_percent=change_percent, horizon=HORIZON, runs=1,
                                   seed=int(rng.integers(2**31)))
        inputs = whatif.SeriesInputs(series, MEASURE, AREA, NO_REBASES)
        projection = whatif.apply(inputs, whatif.WhatIf(scenario=scenario)).projection
        on_path += projection.detected_index != whatif.NOT_DETECTED
        in_run += projection.share_detected > 0
        claims += projection.detected_index != whatif.NOT_DETECTED or projection.share_detected > 0
        false_alarm = flags_special_cause(projection.unchanged_runs()[0], projection.start_index)
        false_alarms += false_alarm
        if projection.sign == 0:  # no change: the run is its unchanged twin
            flagged += false_alarm
        else:
            flagged += flags_special_cause(projection.changed_runs()[0], projection.start_index, projection.sign)
    return NullStudy(n_series, claims, on_path, in_run, false_alarms, flagged)
