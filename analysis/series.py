"""A measure's series for one area, charted with SPC: plain data in, plain data out.

The database side (which rows, which stored rebases) is in dashboard_data.py; this
module only takes frames and returns results. No Streamlit, no connections.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from analysis import calendar, narrative, spc

EARLIEST, LATEST = date(1900, 1, 1), date(9999, 12, 1)


@dataclass(frozen=True)
class SpcAtPeriod:
    """The SPC point a row speaks of, with the chart's icons as they stood then."""

    point: narrative.SpcPoint
    context: str  # "" when the point is the period itself, else e.g. "the period's last month"
    variation: str
    assurance: str | None
    trial_limits: bool
    month: pd.Timestamp | None = None  # where the point sits on the chart (its first month)
    as_at: str = ""  # the month whose end the reading stands at, e.g. "September 2022"


@dataclass(frozen=True)
class SeriesPoints:
    """A series as SPC charts it, as plain arrays taken from its frame once: an Overview read its forty series
    point by point through their frames, and that indexing was most of its time. Read by column name like the
    frame it stands for (measure_spc)."""

    month: np.ndarray  # datetime64: each point's first month, as given
    value: np.ndarray  # float
    numerator: np.ndarray  # float, NaN where there is none (and where the frame had no such column)
    denominator: np.ndarray
    labels: np.ndarray | None = None  # each point's name, when not its month (e.g. "Q1 2021/22")

    @classmethod
    def of(cls, frame: pd.DataFrame) -> SeriesPoints:
        """The frame's points in its own order: month, value, numerator and denominator (any of the last two
        may be missing)."""
        months = frame["month"]
        if not pd.api.types.is_datetime64_dtype(months):
            months = pd.to_datetime(months)
        nothing = np.full(len(frame), np.nan)
        return cls(months.to_numpy(), frame["value"].to_numpy(dtype=float),
                   frame["numerator"].to_numpy(dtype=float) if "numerator" in frame else nothing,
                   frame["denominator"].to_numpy(dtype=float) if "denominator" in frame else nothing)

    def __getitem__(self, column: str) -> np.ndarray:
        return getattr(self, column)

    def __len__(self) -> int:
        return len(self.month)

    def taken(self, which) -> SeriesPoints:
        """The points a slice or a boolean mask picks, in order."""
        return SeriesPoints(self.month[which], self.value[which], self.numerator[which], self.denominator[which],
                            None if self.labels is None else self.labels[which])

    def as_stood(self, period: calendar.Period) -> SeriesPoints:
        """The points as they stood at the end of the period's last month (see as_stood)."""
        kept = self.month <= np.datetime64(period.last.start_time)
        return self if kept.all() else self.taken(kept)


def as_stood(frame: pd.DataFrame, period: calendar.Period, labels: pd.Series | None = None
             ) -> tuple[pd.DataFrame, pd.Series | None]:
    """The series as it stood at the end of the period's last month: later months dropped, so that
    a period's SPC reading (limits, rules, icons) never changes when later months arrive."""
    kept = (pd.to_datetime(frame["month"]) <= period.last.start_time).to_numpy()
    frame = frame[kept].reset_index(drop=True)
    return frame, None if labels is None else labels[kept].reset_index(drop=True)


def spc_at(result: spc.SpcResult, months, labels, period: calendar.Period,
           improvement_direction: str, point_is_period: bool) -> SpcAtPeriod | None:
    """Icons and words for the last point on or before the period's last month (months and labels: each point's,
    as Series or arrays; labels None when the points are months)."""
    month_values = np.asarray(months)  # once: each access through a Series cost more than the reading
    index = int(np.searchsorted(month_values, np.datetime64(period.last.start_time), side="right")) - 1
    if index < 0:
        return None
    points = result.points
    cell = functools.partial(narrative.cell, points, index=index)
    labels = None if labels is None else np.asarray(labels, dtype=object)
    month = pd.Timestamp(month_values[index])
    if point_is_period:  # one point per period: is it this period, or the latest whole one before it?
        context = "" if str(labels[index]) == period.label else "the latest whole period with data"
    else:
        at_last_month = month.to_period("M") == period.last
        context = "" if period.first == period.last and at_last_month else (
            "the period's last month" if at_last_month else "the latest month with data")
    # The reading stands at the series' last month (the period's end once its months are in, or a later
    # month when later months were charted too); a series of periods ends with the chosen one.
    as_at = period.last if point_is_period else pd.Timestamp(month_values[-1]).to_period("M")
    return SpcAtPeriod(
        point=narrative.spc_point(points, index, improvement_direction, labels, month_values),
        context=context,
        variation=spc.variation_icon(cell("special_cause"), int(cell("flag"))),
        assurance=spc.assurance_icon(cell("lpl"), cell("upl"), result.options.target,
                                     result.options.improvement_direction),
        trial_limits=bool(cell("trial_limits")),
        month=month,
        as_at=calendar.month_label(as_at),
    )


@dataclass
class ChartedSeries:
    measure: dict
    area: dict
    months: list[pd.Timestamp]
    result: spc.SpcResult
    rebases: pd.DataFrame  # month, reason, created_by, created_at (applied inside the range)
    scale: float  # multiply engine values by this to show them (100 for percentages)
    labels: list[str] | None = None  # what each point is called, when not its month (e.g. "Q1 2021/22")
    annotations: pd.DataFrame | None = None  # dated events inside the charted months: month, text, ... (never a rebase)

    @property
    def point_labels(self) -> pd.Series:
        return pd.Series(self.labels if self.labels is not None else [f"{m:%B %Y}" for m in self.months])

    def at(self, period: calendar.Period) -> SpcAtPeriod | None:
        """Icons and words for the point that stands for the period (its last month, or the period itself)."""
        return spc_at(self.result, pd.Series(self.months), self.labels, period,
                      self.result.options.improvement_direction, point_is_period=self.labels is not None)

    @property
    def points(self) -> pd.DataFrame:
        """Engine output with months and values in display units."""
        points = self.result.points.copy()
        for column in ("value", "mean", "lpl", "upl", "near_lpl", "near_upl"):
            points[column] = points[column] * self.scale
        points.insert(0, "month", self.months)
        return points

    def as_json(self) -> dict:
        points = self.points
        return {
            "measure": self.measure["id"],
            "area": self.area["id"],
            "options": {
                "chart": self.result.chart,
                "improvement_direction": self.result.options.improvement_direction,
                "target": self.result.options.target,
                "rebase": [m.strftime("%Y-%m") for m in self.rebases["month"]],
                "screen_outliers": self.result.options.screen_outliers,
                "run_length": self.result.options.run_length,
                "fix_after_n_points": self.result.options.fix_after_n_points,
                "two_in_three_counts_beyond_limits": self.result.options.two_in_three_counts_beyond_limits,
            },
            "points": [
                {
                    "month": row.month.strftime("%Y-%m"),
                    "value": _number(row.value),
                    "mean": _number(row.mean),
                    "lpl": _number(row.lpl),
                    "upl": _number(row.upl),
                    "special_cause": row.special_cause,
                    "rule": row.rule_label,
                }
                for row in points.itertuples()
            ],
            "variation_icon": self.result.variation_icon,
            "assurance_icon": self.result.assurance_icon,
            "trial_limits": self.result.trial_limits,
        }


def _number(value) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 10)


def month_start(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return pd.Period(text, freq="M").start_time.date()
    except ValueError as error:
        raise ValueError(f"{text!r} is not a month (YYYY-MM)") from error


def rebase_positions(months, rebase_months) -> tuple[int, ...]:
    """Where each rebase month starts a new segment in a series of months.

    A rebase month missing from the series starts the segment at the next month
    present; one at or before the first month, or after the last, has no effect.
    """
    if not len(rebase_months):
        return ()
    stamps = np.array(pd.to_datetime(pd.Series(list(months))), dtype="datetime64[ns]")
    positions = {int(np.searchsorted(stamps, np.datetime64(pd.Timestamp(m), "ns"))) for m in rebase_months}
    return tuple(sorted(p for p in positions if 0 < p < len(stamps)))


class NotCharted(ValueError):
    """The measure is a cumulative progress measure, rated against its target rather than SPC."""


def measure_spc(series: pd.DataFrame | SeriesPoints, measure: dict, rebase: tuple[int, ...] = (),
                base: spc.SpcOptions | None = None) -> tuple[spc.SpcResult, float]:
    """SPC of a measure's series with the measure's own direction and target.

    Survey rates with numerators and denominators get a p (or Laney p') chart, in
    proportions; everything else an XmR chart. Returns the result and the factor
    that turns its values into display units (100 for rates).
    """
    kind, options = _chart_plan(series, measure, rebase, base)
    if kind == "p":
        return spc.proportion_chart(series["numerator"], series["denominator"], options), 100.0
    return spc.xmr(np.asarray(series["value"], dtype=float), options), 1.0


def measure_spc_many(charts: list[tuple[pd.DataFrame | SeriesPoints, dict, tuple[int, ...]]],
                     base: spc.SpcOptions | None = None) -> list[tuple[spc.SpcResult, float]]:
    """measure_spc of many (series, measure, rebase) at once: the same results, from one pass of the engine for
    the XmR charts and one for the p charts (a table of forty measures costs little more than one)."""
    plans = [_chart_plan(series, measure, rebase, base) for series, measure, rebase in charts]
    xmr = [i for i, (kind, _) in enumerate(plans) if kind == "xmr"]
    rates = [i for i, (kind, _) in enumerate(plans) if kind == "p"]
    results: list = [None] * len(charts)
    for i, result in zip(xmr, spc.xmr_many([np.asarray(charts[i][0]["value"], dtype=float) for i in xmr],
                                           [plans[i][1] for i in xmr])):
        results[i] = (result, 1.0)
    for i, result in zip(rates, spc.proportion_charts([charts[i][0]["numerator"] for i in rates],
                                                      [charts[i][0]["denominator"] for i in rates],
                                                      [plans[i][1] for i in rates])):
        results[i] = (result, 100.0)
    return results


def _chart_plan(series: pd.DataFrame | SeriesPoints, measure: dict, rebase: tuple[int, ...],
                base: spc.SpcOptions | None) -> tuple[str, spc.SpcOptions]:
    """Which chart a measure's series gets ("p" or "xmr") and its options."""
    if measure["chart_kind"] == "none":
        raise NotCharted(f"{measure['id']} is a cumulative progress measure: it is not charted with SPC")
    base = base or spc.SpcOptions()
    target = measure.get("target")
    percent = measure["unit"] == "percentage"
    options = spc.SpcOptions(
        improvement_direction=measure["improvement_direction"],
        target=None if target is None or pd.isna(target) else float(target),  # in the values' own units
        rebase=rebase,
        fix_after_n_points=base.fix_after_n_points,
        screen_outliers=base.screen_outliers,
        run_length=base.run_length,
        two_in_three_counts_beyond_limits=base.two_in_three_counts_beyond_limits,
    )
    rates = series["denominator"]
    if measure["chart_kind"] == "p" and not pd.isna(rates).any() and (rates > 0).all():
        # a p chart works in proportions, the catalogue's target of a percentage measure in percent
        return "p", replace(options, target=None if options.target is None or not percent else options.target / 100)
    return "xmr", options  # an XmR chart works on the values as stored, so the target as the catalogue gives it


def applied_rebases(months: list[pd.Timestamp], stored: pd.DataFrame, extra_months=()) -> pd.DataFrame:
    """The stored rebases (and any extra months) that fall inside the charted months, once each, in order."""
    extra = pd.DataFrame({"month": [pd.Timestamp(month_start(m, EARLIEST)) for m in extra_months],
                          "reason": "given on the command line", "created_by": None, "created_at": None})
    rebases = pd.concat([stored.assign(month=pd.to_datetime(stored["month"])), extra], ignore_index=True)
    rebases = rebases[(rebases["month"] > months[0]) & (rebases["month"] <= months[-1])]
    return rebases.drop_duplicates("month").sort_values("month").reset_index(drop=True)


def annotations_within(months: list[pd.Timestamp], annotations: pd.DataFrame | None) -> pd.DataFrame | None:
    """The events dated inside the charted months (one outside would stretch the chart's time axis)."""
    if annotations is None:
        return None
    dated = annotations.assign(month=pd.to_datetime(annotations["month"]))
    inside = dated[(dated["month"] >= months[0]) & (dated["month"] <= months[-1])] if months else dated.iloc[:0]
    return inside.sort_values("month", kind="stable").reset_index(drop=True)


def chart(series: pd.DataFrame, measure: dict, area: dict, stored_rebases: pd.DataFrame, *,
          extra_rebase_months=(), options: spc.SpcOptions | None = None, labels: list[str] | None = None,
          annotations: pd.DataFrame | None = None) -> ChartedSeries:
    """Chart one measure's series for one area with SPC, applying its rebases.

    series: month (each point's first month), value, numerator, denominator. labels: point
    names when the points are not single months (quarters of a count of people).
    annotations: dated events for this measure and area (drawn, never applied).
    """
    months = list(pd.to_datetime(series["month"]))
    rebases = applied_rebases(months, stored_rebases, extra_rebase_months)
    result, scale = measure_spc(series, measure, rebase_positions(months, rebases["month"]), options)
    return ChartedSeries(measure, area, months, result, rebases, scale, labels, annotations_within(months, annotations))
