"""What-if on one measure's chart: the analyst's changes, never the published figures.

Every what-if is the project's own SPC engine run on a hand-modified series: points
excluded (each with a reason), a trial rebase, another target, other engine options,
limits from a baseline period, and a scenario ("from month M the level changes by X%")
projected forward. A scenario is judged as the chart would judge it month by month, and
against the unchanged series over the same months: projected months continue the
process's current level (the mean of the latest months of its last segment), and a
detection is the change's only where the chart with the change, drawn with the data up
to a month, flags a point from M on in the change's direction and the unchanged series'
chart, drawn to the same month with the same rules, does not. Common-cause noise with
the spread the chart's own moving ranges imply is added to projected months only, over
many runs, each compared with its own unchanged twin (the same noise), so the answer is
a distribution (median and 80% range), not one lucky path; a seed makes it repeatable.
Months that have data get no noise: an answer that falls in them is certain.
Plain data in, plain data out: no Streamlit, no connections.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis import spc
from analysis.series import ChartedSeries, chart, rebase_positions

WHAT_IF_LABEL = "What-if, not the published figures"
SUGGEST_REBASE_AFTER = 8  # points in a row on one side of the mean before a rebase is suggested
MIN_POINTS_BEFORE_SCENARIO = 12  # a scenario starts after at least this many points
RECENT_LEVEL_MONTHS = 12  # projected months continue the mean of this many latest months of the last segment
DEFAULT_HORIZON, DEFAULT_RUNS, DEFAULT_SEED = 24, 1000, 2022
MAX_RAMP_MONTHS = 24
MAX_HORIZON = 60
TRIAL_REBASE_REASON = "what-if rebase (not stored)"
BASELINE_REBASE_REASON = "what-if baseline starts (not stored)"
NOT_DETECTED = -1


class WhatIfProblem(ValueError):
    """A what-if that cannot be drawn, with the reason in words."""


@dataclass(frozen=True)
class Exclusion:
    month: str  # YYYY-MM (plain text: a what-if is URL values, and hashes cheaply for caches)
    reason: str


@dataclass(frozen=True)
class Scenario:
    """From `start` the level changes by `change_percent` (-15 for a 15% fall) or to `to_value`,
    reached in full after `ramp_months` (0: at once); judged over `horizon` months from `start`."""

    start: str  # YYYY-MM
    change_percent: float | None = None
    to_value: float | None = None
    ramp_months: int = 0
    horizon: int = DEFAULT_HORIZON
    runs: int = DEFAULT_RUNS
    seed: int = DEFAULT_SEED

    def __post_init__(self):
        if (self.change_percent is None) == (self.to_value is None):
            raise WhatIfProblem("A scenario changes the level either by a percentage or to a value.")
        if self.change_percent is not None and not -100 <= self.change_percent <= 1000:
            raise WhatIfProblem("A change of level lies between -100% and +1,000%.")
        if not 0 <= self.ramp_months <= MAX_RAMP_MONTHS:
            raise WhatIfProblem(f"A ramp lasts 0 to {MAX_RAMP_MONTHS} months.")
        if not 1 <= self.horizon <= MAX_HORIZON:
            raise WhatIfProblem(f"A scenario is followed for 1 to {MAX_HORIZON} months.")
        if self.runs < 1:
            raise WhatIfProblem("A simulation needs at least one run.")

    def ramp(self, months_since_start: np.ndarray) -> np.ndarray:
        """Share of the change in effect k months after the start (1 from the end of the ramp on)."""
        k = np.asarray(months_since_start, dtype=float)
        share = np.ones_like(k) if self.ramp_months <= 1 else np.minimum(1.0, (k + 1) / self.ramp_months)
        return np.where(k < 0, 0.0, share)

    def changes_level(self, level: float) -> bool:
        return self.change_percent != 0 if self.change_percent is not None else self.to_value != level

    def direction(self, level: float) -> int:
        """-1 a fall, +1 a rise, 0 no change."""
        if not self.changes_level(level):
            return 0
        if self.change_percent is not None:
            return -1 if self.change_percent < 0 else 1
        return -1 if self.to_value < level else 1

    def describe(self, level: float, unit: str) -> str:
        """"fell 15%", "rose 10%", "changed to 400" (to a value: from the level before)."""
        if not self.changes_level(level):
            return "changed by 0%" if self.change_percent is not None else f"stayed at {_format(level, unit)}"
        if self.change_percent is not None:
            amount = f"{abs(self.change_percent):g}%"
            return f"fell {amount}" if self.change_percent < 0 else f"rose {amount}"
        verb = "fell" if self.to_value < level else "rose"
        return f"{verb} to {_format(self.to_value, unit)}"


@dataclass(frozen=True)
class WhatIf:
    """The analyst's changes. change_target False keeps the measure's own target."""

    exclusions: tuple[Exclusion, ...] = ()
    trial_rebases: tuple[str, ...] = ()  # YYYY-MM
    change_target: bool = False
    target: float | None = None  # display units (85 for 85%); None with change_target: no target
    run_length: int = 7
    screen_outliers: bool = True
    two_in_three_counts_beyond_limits: bool = False
    baseline: tuple[str, str] | None = None  # YYYY-MM: limits from these months, extended forward
    scenario: Scenario | None = None

    def summary(self) -> str:
        """What the analyst changed, in a line (for the page and for every file downloaded)."""
        parts = [f"{_month_text(e.month)} excluded ({e.reason})" for e in self.exclusions]
        parts += [f"trial rebase from {_month_text(m)}" for m in self.trial_rebases]
        if self.change_target:
            parts.append("no target" if self.target is None else f"target {self.target:g}")
        if self.run_length != 7:
            parts.append(f"runs of {self.run_length}")
        if not self.screen_outliers:
            parts.append("moving ranges not screened")
        if self.two_in_three_counts_beyond_limits:
            parts.append("two-in-three counts points beyond the limit")
        if self.baseline is not None:
            parts.append(f"limits from {_month_text(self.baseline[0])} to {_month_text(self.baseline[1])}")
        if self.scenario is not None:
            s = self.scenario
            change = f"{s.change_percent:+g}%" if s.change_percent is not None else f"to {s.to_value:g}"
            ramp = f" over {s.ramp_months} months" if s.ramp_months > 1 else ""
            parts.append(f"scenario: level {change}{ramp} from {_month_text(s.start)} "
                         f"({s.runs:,} runs, seed {s.seed}, {s.horizon} months)")
        return "; ".join(parts) if parts else "no changes (the published chart)"


def _month_text(month) -> str:
    return pd.Period(month, freq="M").strftime("%B %Y")


@dataclass
class SeriesInputs:
    """What a chart is made from (dashboard_data.what_if_inputs reads it)."""

    series: pd.DataFrame  # month, value, numerator, denominator
    measure: dict
    area: dict
    stored_rebases: pd.DataFrame  # month, reason, created_by, created_at
    annotations: pd.DataFrame | None = None


@dataclass(frozen=True)
class SuggestedRebase:
    """A run of points on one side of the mean that reaches the latest point."""

    month: pd.Timestamp  # the run's first month: where a rebase would start the new segment
    points: int
    side: int  # +1 above the mean, -1 below

    def sentence(self) -> str:
        side = "above" if self.side > 0 else "below"
        return (f"{self.points} points in a row {side} the mean since {self.month:%B %Y}: the process may have "
                f"shifted. A co-ordinator may rebase the chart from {self.month:%B %Y}, with a reason; it is never "
                "done automatically.")


def suggested_rebase(charted: ChartedSeries, min_points: int = SUGGEST_REBASE_AFTER) -> SuggestedRebase | None:
    """Suggest a rebase where the latest `min_points` or more points of the last segment lie on one side of
    its mean (a shift that has persisted), at the first point of that run; None otherwise."""
    points = charted.result.points
    if points.empty:
        return None
    last_segment = points[points["segment"] == points["segment"].iloc[-1]]
    side = np.sign(last_segment["value"].to_numpy() - last_segment["mean"].to_numpy())
    if not np.isfinite(side[-1]) or side[-1] == 0:
        return None
    run = 0
    for value in side[::-1]:
        if value != side[-1]:
            break
        run += 1
    if run < min_points or run >= len(last_segment):
        return None
    return SuggestedRebase(pd.Timestamp(charted.months[len(points) - run]), run, int(side[-1]))


# ---------------------------------------------------------------------------
# Detection: the first month the chart, drawn with the data up to then, shows the change
# ---------------------------------------------------------------------------

def _hits(paths: np.ndarray, start: int, sign: int, options: spc.SpcOptions) -> tuple[np.ndarray, np.ndarray]:
    """Whether the chart of each path (all its points) flags a point from `start` on in direction `sign`, and the
    rule that fired (the one of highest precedence among the flagged points)."""
    batch = spc.xmr_batch(paths, options)
    flagged = batch.flag[:, start:] == sign
    return flagged.any(axis=1), np.where(flagged, batch.rule[:, start:], spc.SHIFT + 1).min(axis=1)


def first_detection(paths: np.ndarray, start: int, sign: int, options: spc.SpcOptions) -> tuple[np.ndarray, np.ndarray]:
    """For each path (a row), the index of the first point t >= start whose chart of points 0..t flags a point
    in start..t as special cause in direction `sign` (NOT_DETECTED if none), and the rule that fired there
    (the one of highest precedence among the flagged points)."""
    paths = np.asarray(paths, dtype=float)
    n_runs, n_points = paths.shape
    found = np.full(n_runs, NOT_DETECTED)
    rule = np.zeros(n_runs, dtype=int)
    for t in range(start, n_points):
        waiting = np.flatnonzero(found == NOT_DETECTED)
        if not len(waiting):
            break
        hit, fired = _hits(paths[waiting, : t + 1], start, sign, options)
        found[waiting[hit]] = t
        rule[waiting[hit]] = fired[hit]
    return found, rule


@dataclass
class Detections:
    """Per path: the first month the change shows against its unchanged twin, and when the twin shows it alone."""

    attributable: np.ndarray  # the chart with the change flags it, the unchanged chart to the same month does not
    attributable_rule: np.ndarray
    unchanged: np.ndarray  # the unchanged series' own first detection in the change's direction
    unchanged_rule: np.ndarray


def compare_detection(changed: np.ndarray, unchanged: np.ndarray, start: int, sign: int,
                      options: spc.SpcOptions) -> Detections:
    """Detection attributable to the change: for each pair of paths (rows; the same months, the same noise), the
    first point t >= start where the chart of changed[0..t] flags a point in start..t in direction `sign` and the
    chart of unchanged[0..t], with the same rules, does not. Also the unchanged path's own first detection. A
    change of no direction (sign 0) is never detected."""
    changed, unchanged = np.asarray(changed, dtype=float), np.asarray(unchanged, dtype=float)
    n_runs, n_points = changed.shape
    result = Detections(*(np.full(n_runs, NOT_DETECTED) if i % 2 == 0 else np.zeros(n_runs, dtype=int)
                          for i in range(4)))
    if sign == 0:
        return result
    for t in range(start, n_points):
        waiting = np.flatnonzero((result.attributable == NOT_DETECTED) | (result.unchanged == NOT_DETECTED))
        if not len(waiting):
            break
        base_hit, base_rule = _hits(unchanged[waiting, : t + 1], start, sign, options)
        new_base = base_hit & (result.unchanged[waiting] == NOT_DETECTED)
        result.unchanged[waiting[new_base]] = t
        result.unchanged_rule[waiting[new_base]] = base_rule[new_base]
        # The changed chart matters only where the unchanged one shows nothing this month.
        open_ = waiting[~base_hit & (result.attributable[waiting] == NOT_DETECTED)]
        if len(open_):
            change_hit, change_rule = _hits(changed[open_, : t + 1], start, sign, options)
            result.attributable[open_[change_hit]] = t
            result.attributable_rule[open_[change_hit]] = change_rule[change_hit]
    return result


@dataclass(frozen=True)
class CurrentLevel:
    """The process's level now, which projected months continue: the mean of the latest months of the last
    segment of the observed chart (not the segment's whole mean, which an old baseline may hold down or up)."""

    value: float  # display units, as the series
    first: pd.Timestamp
    last: pd.Timestamp
    points: int

    def sentence(self, unit: str) -> str:
        span = f"{self.first:%B %Y}" if self.points == 1 else f"{self.first:%B %Y} to {self.last:%B %Y}"
        months = "month" if self.points == 1 else f"{self.points} months"
        return (f"Projected months continue the process's current level: the mean of the last {months} of the "
                f"chart's latest segment ({span}), {_format(self.value, unit)}.")


def current_level(charted: ChartedSeries, values: np.ndarray, months: int = RECENT_LEVEL_MONTHS) -> CurrentLevel:
    """The mean of the latest `months` values of the chart's last segment (all of it if shorter)."""
    segment = charted.result.points["segment"].to_numpy()
    in_last = np.flatnonzero(segment == segment[-1])[-months:]
    return CurrentLevel(float(np.mean(np.asarray(values, dtype=float)[in_last])), pd.Timestamp(charted.months[in_last[0]]),
                        pd.Timestamp(charted.months[in_last[-1]]), len(in_last))


@dataclass
class Projection:
    """A scenario projected on the chart and judged against the unchanged series over the same months: the
    expected path, and the detection month over many noisy runs, each against its unchanged twin."""

    scenario: Scenario
    level: float  # the process's current level (display units), which projected months continue
    current: CurrentLevel
    sigma: float  # common-cause noise added to projected months (display units)
    sign: int  # -1 a fall, +1 a rise, 0 no change
    charted: ChartedSeries  # the data and the expected (noise-free) path, through the horizon
    expected: np.ndarray  # the expected path: the series with the change, no noise (display units)
    unchanged: np.ndarray  # the unchanged series' expected path over the same months
    first_projected: pd.Timestamp  # months from here on are projected, not observed
    observed_points: int  # the months before first_projected: they have data and get no noise
    start_index: int  # index of the scenario's first month in the chart
    detected_index: int  # expected path: NOT_DETECTED or the first month the change shows against the unchanged
    detected_rule: int
    unchanged_index: int  # expected path: the unchanged series' own first detection in the change's direction
    unchanged_rule: int
    simulated_index: np.ndarray  # per run: detection attributable to the change
    simulated_rule: np.ndarray
    simulated_unchanged_index: np.ndarray  # per run: its unchanged twin's own detection
    simulated_assurance: pd.Series  # share of runs by assurance icon at the end of the horizon
    band: pd.DataFrame  # month, low, high: the 10th and 90th percentiles of the simulated values

    @property
    def months(self) -> list[pd.Timestamp]:
        return self.charted.months

    def _with_run_noise(self, path: np.ndarray) -> np.ndarray:
        runs = path[None, :] + run_noise(self.scenario, self.sigma, len(self.months), self.observed_points)
        return np.maximum(runs, 0.0) if self.charted.measure["unit"] == "count" else runs

    def changed_runs(self) -> np.ndarray:
        """The runs (a row a run): the series with the change and each run's own noise."""
        return self._with_run_noise(self.expected)

    def unchanged_runs(self) -> np.ndarray:
        """The runs' unchanged twins: the unchanged series with the same noise, run by run."""
        return self._with_run_noise(self.unchanged)

    def month_of(self, index: int) -> pd.Timestamp | None:
        return None if index == NOT_DETECTED else pd.Timestamp(self.months[index])

    @property
    def detected_month(self) -> pd.Timestamp | None:
        return self.month_of(self.detected_index)

    @property
    def unchanged_month(self) -> pd.Timestamp | None:
        return self.month_of(self.unchanged_index)

    @property
    def no_change(self) -> bool:
        return self.sign == 0

    @property
    def certain(self) -> bool:
        """No noise can alter the answer: the change shows in months that have data (every run has the same
        values up to then), or every month followed has data."""
        in_observed = self.detected_index != NOT_DETECTED and self.detected_index < self.observed_points
        return in_observed or self.observed_points >= len(self.months)

    def quantile_month(self, q: float) -> pd.Timestamp | None:
        """The month by which a share q of runs show the change (None: later than the horizon)."""
        beyond = len(self.months)
        index = np.where(self.simulated_index == NOT_DETECTED, beyond, self.simulated_index)
        value = int(np.quantile(index, q, method="inverted_cdf"))
        return None if value >= beyond else pd.Timestamp(self.months[value])

    @property
    def share_detected(self) -> float:
        return float(np.mean(self.simulated_index != NOT_DETECTED))

    @property
    def end(self) -> pd.Timestamp:
        return pd.Timestamp(self.months[-1])

    def _rule(self, code: int) -> str:
        return spc.rule_words(code, self.sign, self.charted.result.options.run_length)

    def answer(self) -> str:
        """The answer in words, expected path first, judged against the unchanged series."""
        measure, area = self.charted.measure, self.charted.area
        change = self.scenario.describe(self.level, measure["unit"])
        ramp = f" over {self.scenario.ramp_months} months" if self.scenario.ramp_months > 1 else ""
        start = _month_text(self.scenario.start)
        head = f"If {_lower_first(measure['name'])} in {area['name']} {change}{ramp} from {start}"
        if self.no_change:
            return f"{head}, the series would be as it is: no change to detect."
        detected, unchanged = self.detected_month, self.unchanged_month
        if unchanged is None:
            if detected is None:
                return f"{head}, the chart would not show it by {self.end:%B %Y} on the expected path."
            return f"{head}, the chart would first show it in {detected:%B %Y} ({self._rule(self.detected_rule)})."
        if self.unchanged_index < self.observed_points:
            base = f"{head}: the unchanged series already shows special cause in {unchanged:%B %Y}"
        else:  # found in projected months: on the noise-free path continuing the current level
            base = (f"{head}: on the expected path (no noise) the unchanged series, continuing at its current level "
                    f"of {_format(self.level, measure['unit'])}, would show special cause in {unchanged:%B %Y}")
        base += f" ({self._rule(self.unchanged_rule)})"
        if detected is None:
            return f"{base}; the change does not change that."
        if self.detected_index < self.unchanged_index:
            return f"{base}; the change brings it forward to {detected:%B %Y} ({self._rule(self.detected_rule)})."
        return (f"{base}; the change does not bring it forward, but in {detected:%B %Y} the chart with the change "
                f"shows it ({self._rule(self.detected_rule)}) where the unchanged series' chart does not.")

    def distribution(self) -> str:
        """The detection month over the noisy runs: median and 80% range, and the share never detected; or that
        the answer is certain."""
        if self.no_change:
            return ""
        if self.certain:
            if self.detected_month is not None and self.detected_index < self.observed_points:
                return (f"Certain: the observed months with the change already show it in {self.detected_month:%B %Y}; "
                        "noise is added only to projected months, so every run gives the same answer.")
            return "Certain: every month followed has data, and noise is added only to projected months."
        runs = self.scenario.runs
        median, low, high = self.quantile_month(0.5), self.quantile_month(0.1), self.quantile_month(0.9)
        unit = self.charted.measure["unit"]
        noise = (f"With common-cause noise added to the projected months ({runs:,} runs, seed {self.scenario.seed}; "
                 f"a spread of {_format(self.sigma, unit)}, the one the chart's limits are set from), each run judged against its "
                 "unchanged twin with the same noise")
        missing = 1 - self.share_detected
        never = f"{missing:.0%} of runs do not show it by {self.end:%B %Y}"
        if self.share_detected == 0:
            text = f"{noise}, no run shows it where its unchanged twin does not, by {self.end:%B %Y}."
        elif median is None:
            first = f"; 10% show it by {low:%B %Y}" if low is not None else ""
            text = f"{noise}, most runs do not show it by {self.end:%B %Y} ({never}{first})."
        elif high is None:
            text = f"{noise}, the median is {median:%B %Y}; 10% of runs show it by {low:%B %Y}, and {never}."
        else:
            spread = f"in {low:%B %Y}" if low == high else f"between {low:%B %Y} and {high:%B %Y}"
            text = f"{noise}, the median is {median:%B %Y}, and 80% of runs show it {spread}."
            text += f" {never[0].upper()}{never[1:]}." if missing > 0 else ""
        if self.unchanged_index == NOT_DETECTED or self.unchanged_index >= self.observed_points:
            alone = float(np.mean(self.simulated_unchanged_index != NOT_DETECTED))
            text += (f" Without the change, {alone:.0%} of the unchanged twins show special cause in that direction "
                     f"by {self.end:%B %Y} by chance.")
        return text

    def assurance(self) -> str | None:
        """The assurance icon against the target at the end of the horizon, expected path and runs."""
        target = self.charted.result.options.target
        if target is None or self.charted.result.assurance_icon is None:
            return None
        words = {"consistent_pass": "would consistently meet the target", "consistent_fail":
                 "would consistently miss the target", "inconsistent": "would hit or miss the target at random"}
        runs = ", ".join(f"{words[icon].removeprefix('would ')} in {share:.0%}"
                         for icon, share in self.simulated_assurance.items())
        shown = target * self.charted.scale
        return (f"Against the target of {_format(shown, self.charted.measure['unit'])}, by {self.end:%B %Y} the "
                f"process {words[self.charted.result.assurance_icon]} on the expected path; over the runs: {runs}.")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _format(value: float, unit: str) -> str:
    if unit == "percentage":
        return f"{value:.1f}%"
    if unit == "currency":
        return f"£{value:,.2f}m"
    return f"{value:,.0f}" if value == round(value) or abs(value) >= 100 else f"{value:,.1f}"


# ---------------------------------------------------------------------------
# Applying a what-if
# ---------------------------------------------------------------------------

@dataclass
class WhatIfChart:
    charted: ChartedSeries  # the what-if chart of the observed data, excluded points left out
    excluded: pd.DataFrame  # month, value (display units), reason
    baseline_points: int | None
    suggestion: SuggestedRebase | None
    projection: Projection | None


def _as_period(value) -> pd.Period:
    return pd.Period(value, freq="M")


def apply(inputs: SeriesInputs, what_if: WhatIf) -> WhatIfChart:
    """The what-if chart: the engine run on the series as the analyst changed it."""
    series = inputs.series.copy()
    series["month"] = pd.to_datetime(series["month"])
    series = series.sort_values("month").reset_index(drop=True)
    months = series["month"].dt.to_period("M")
    reasons = {_as_period(e.month): e.reason.strip() for e in what_if.exclusions}
    unknown = sorted(set(reasons) - set(months))
    if unknown:
        raise WhatIfProblem(f"{unknown[0].strftime('%B %Y')} is not a month of this series, so it cannot be excluded.")
    if any(not reason for reason in reasons.values()):
        raise WhatIfProblem("Every excluded point needs a reason.")
    dropped = months.isin(list(reasons))
    kept = series[~dropped].reset_index(drop=True)
    if len(kept) < 2:
        raise WhatIfProblem("Too many points excluded: a chart needs at least two.")
    excluded = pd.DataFrame({"month": series.loc[dropped, "month"], "value": series.loc[dropped, "value"],
                             "reason": [reasons[m] for m in months[dropped]]}).reset_index(drop=True)

    measure = dict(inputs.measure)
    if what_if.change_target:
        measure["target"] = what_if.target
    kept_months = kept["month"].dt.to_period("M")
    rebases = _with_trial_rebases(inputs.stored_rebases, what_if.trial_rebases)
    fix_after = None
    if what_if.baseline is not None:
        fix_after, rebases = _baseline(kept_months, rebases, *map(_as_period, what_if.baseline))
    options = spc.SpcOptions(run_length=what_if.run_length, screen_outliers=what_if.screen_outliers,
                             two_in_three_counts_beyond_limits=what_if.two_in_three_counts_beyond_limits,
                             fix_after_n_points=fix_after)
    charted = chart(kept, measure, inputs.area, rebases, options=options, annotations=inputs.annotations)
    if fix_after is not None and charted.result.chart != "xmr":
        raise WhatIfProblem("Limits from a baseline are for XmR charts; a survey rate's p-chart sets its limits "
                            "from every point's own sample size.")
    projection = None
    if what_if.scenario is not None:
        projection = project(kept, measure, inputs.area, rebases, options, what_if.scenario, inputs.annotations)
    return WhatIfChart(charted, excluded, fix_after, suggested_rebase(charted), projection)


def _with_trial_rebases(stored: pd.DataFrame, trial) -> pd.DataFrame:
    extra = pd.DataFrame({"month": [_as_period(m).start_time for m in trial], "reason": TRIAL_REBASE_REASON,
                          "created_by": None, "created_at": None})
    frames = [frame for frame in (stored.assign(month=pd.to_datetime(stored["month"])), extra) if len(frame)]
    columns = ["month", "reason", "created_by", "created_at"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def _baseline(months: pd.Series, rebases: pd.DataFrame, first: pd.Period, last: pd.Period):
    """Points in the baseline (the engine's fix_after_n_points) and the rebases with its start added."""
    if last < first:
        first, last = last, first
    inside = int(((months >= first) & (months <= last)).sum())
    if inside < 12:
        raise WhatIfProblem(f"A baseline needs at least 12 points (Making Data Count); "
                            f"{first.strftime('%B %Y')} to {last.strftime('%B %Y')} has {inside}.")
    starts = pd.to_datetime(rebases["month"]).dt.to_period("M") if len(rebases) else pd.Series(dtype="period[M]")
    across = sorted(m for m in starts if first < m <= last)
    if across:
        raise WhatIfProblem(f"The baseline runs across the rebase in {across[0].strftime('%B %Y')}: "
                            "choose a baseline inside one segment.")
    if first > months.iloc[0] and first not in set(starts):
        start = pd.DataFrame({"month": [first.start_time], "reason": BASELINE_REBASE_REASON,
                              "created_by": None, "created_at": None})
        rebases = pd.concat([frame for frame in (rebases, start) if len(frame)], ignore_index=True)
    return inside, rebases


def scenario_path(history: np.ndarray, n_total: int, start: int, level: float, scenario: Scenario) -> np.ndarray:
    """The expected path: observed values (changed from `start` on) and, after them, the level (changed)."""
    values = unchanged_path(history, n_total, level)
    ramp = scenario.ramp(np.arange(n_total) - start)
    if scenario.change_percent is not None:
        changed = values * (1 + ramp * scenario.change_percent / 100)
    else:
        changed = values + ramp * (scenario.to_value - level)
    return changed


def unchanged_path(history: np.ndarray, n_total: int, level: float) -> np.ndarray:
    """The series without the change: the observed values as they are, then the current level."""
    values = np.full(n_total, level, dtype=float)
    values[: len(history)] = history
    return values


def run_noise(scenario: Scenario, sigma: float, n_months: int, n_observed: int) -> np.ndarray:
    """The runs' common-cause noise (a row a run): normal with spread sigma in projected months, none in months
    that have data. The seed makes it repeatable."""
    noise = np.zeros((scenario.runs, n_months))
    noise[:, n_observed:] = np.random.default_rng(scenario.seed).normal(0.0, sigma, size=(scenario.runs, n_months - n_observed))
    return noise


def project(kept: pd.DataFrame, measure: dict, area: dict, rebases: pd.DataFrame, options: spc.SpcOptions,
            scenario: Scenario, annotations: pd.DataFrame | None = None) -> Projection:
    """Project the scenario on the chart and find when the chart would show it, against the unchanged series."""
    history_months = list(kept["month"])
    last = history_months[-1].to_period("M")
    start_month = _as_period(scenario.start)
    if start_month > last + 12:
        raise WhatIfProblem(f"A scenario starts at most 12 months after the latest data ({last.strftime('%B %Y')}).")
    end = max(last, start_month + scenario.horizon - 1)
    future = [m.start_time for m in pd.period_range(last + 1, end, freq="M")] if end > last else []
    months = history_months + future
    start = int(np.searchsorted(np.array(months, dtype="datetime64[ns]"), np.datetime64(start_month.start_time, "ns")))
    if start < MIN_POINTS_BEFORE_SCENARIO:
        raise WhatIfProblem(f"A scenario needs at least {MIN_POINTS_BEFORE_SCENARIO} months of data before it starts.")
    history = kept["value"].to_numpy(dtype=float)
    observed = chart(kept, measure, area, rebases, options=options)
    if observed.result.chart != "xmr":
        raise WhatIfProblem("Scenarios are projected on XmR charts (counts); a survey rate's p-chart depends on "
                            "sample sizes a scenario would have to invent.")
    # The process as it is now: its latest segment's recent level and its current spread.
    current = current_level(observed, history)
    level = current.value
    latest = observed.result.points.iloc[-1]
    mean_range = (float(latest["upl"]) - float(latest["mean"])) / spc.LIMIT_SIGMAS
    if not np.isfinite(mean_range):
        raise WhatIfProblem("The chart's latest segment has no limits (its moving ranges are all 0), "
                            "so there is no common-cause noise to simulate.")
    sigma = mean_range / spc.LANEY_D2
    sign = scenario.direction(level)

    def floored(values: np.ndarray) -> np.ndarray:
        return np.maximum(values, 0.0) if measure["unit"] == "count" else values

    expected = floored(scenario_path(history, len(months), start, level, scenario))
    unchanged = floored(unchanged_path(history, len(months), level))
    path = pd.DataFrame({"month": months, "value": expected, "numerator": np.nan, "denominator": np.nan})
    charted = chart(path, measure, area, rebases, options=options, annotations=annotations)
    run_options = replace(charted.result.options, rebase=rebase_positions(months, charted.rebases["month"]))
    on_path = compare_detection(expected[None, :], unchanged[None, :], start, sign, run_options)

    # Common random numbers: each run's noise goes to the changed series and to its unchanged twin alike.
    noise = run_noise(scenario, sigma, len(months), len(history))
    projected = slice(len(history), len(months))
    paths = floored(expected[None, :] + noise)
    twins = floored(unchanged[None, :] + noise)
    runs = compare_detection(paths, twins, start, sign, run_options)
    final = spc.xmr_batch(paths, run_options)
    icons = pd.Series([spc.assurance_icon(lo, up, run_options.target, run_options.improvement_direction)
                       for lo, up in zip(final.lpl[:, -1], final.upl[:, -1])], dtype=object)
    shares = icons.dropna().value_counts(normalize=True) if icons.notna().any() else pd.Series(dtype=float)
    band = pd.DataFrame({"month": future, "low": np.quantile(paths[:, projected], 0.1, axis=0) if future else [],
                         "high": np.quantile(paths[:, projected], 0.9, axis=0) if future else []})
    return Projection(
        scenario=scenario, level=level, current=current, sigma=sigma, sign=sign, charted=charted,
        expected=expected, unchanged=unchanged,
        first_projected=pd.Timestamp(future[0]) if future else pd.Timestamp((last + 1).start_time),
        observed_points=len(history), start_index=start,
        detected_index=int(on_path.attributable[0]), detected_rule=int(on_path.attributable_rule[0]),
        unchanged_index=int(on_path.unchanged[0]), unchanged_rule=int(on_path.unchanged_rule[0]),
        simulated_index=runs.attributable, simulated_rule=runs.attributable_rule,
        simulated_unchanged_index=runs.unchanged, simulated_assurance=shares, band=band,
    )
