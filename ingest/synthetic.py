"""Synthetic partner data for the demo: seeded, plausible, and flagged as synthetic.

No public source exists for these measures, so the demo generates them at the
magnitudes the seed report gives. Every measure made here has ``synthetic = true``
in data/catalogue/measures.csv and the UI labels it wherever it shows.

Additive measures are generated for the lowest-tier areas (leaves) and rolled up
by SQL; missing-person measures are counted from the record-level table.

Each series draws from a generator of its own, seeded from SEED and the measure's id
(measure_rng), so adding, removing or reordering a measure changes no other series.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

SEED = 20140701  # the seed report's quarter; any fixed value would do
MISSING_PERSON_RECORDS = "missing_person_reports"  # the name the record-level table's generator is seeded from


def measure_rng(measure_id: str, seed: int | tuple[int, ...] = SEED) -> np.random.Generator:
    """The generator of one measure's series: from the seed and a stable digest of the id (never Python's hash,
    which changes from run to run), so no other measure's draws move it."""
    digest = int.from_bytes(hashlib.sha256(measure_id.encode()).digest()[:8], "big")
    return np.random.default_rng([*np.atleast_1d(seed).tolist(), digest])


@dataclass(frozen=True)
class CountSpec:
    force_monthly: float  # typical force-area count a month
    seasonal_amplitude: float = 0.08  # +/- share, peaking in July
    yearly_trend: float = 0.0  # share change a year


COUNT_MEASURES: dict[str, CountSpec] = {
    "yjs_first_time_entrants": CountSpec(24, 0.10, -0.06),
    "reoffending_18_24": CountSpec(180, 0.06, -0.04),
    "nte_licensed_premises": CountSpec(310, 0.15),
    "families_reoffending": CountSpec(62, 0.05),
    "families_asb": CountSpec(95, 0.12),
    "domestic_abuse_reports": CountSpec(1450, 0.10, 0.05),
    "dvpo_granted": CountSpec(14, 0.10),
    "rape_reports": CountSpec(95, 0.08, 0.04),
    "hate_crime_reports": CountSpec(125, 0.12, 0.03),
    "s136_police_custody": CountSpec(11, 0.05, -0.15),
}


@dataclass(frozen=True)
class SurveySpec:
    force_monthly_sample: float
    rate: float  # typical proportion satisfied / positive
    yearly_trend: float = 0.0  # change in proportion a year


SURVEY_MEASURES: dict[str, SurveySpec] = {
    "burglary_satisfaction": SurveySpec(36, 0.86, -0.01),
    "vehicle_satisfaction": SurveySpec(34, 0.80),
    "violent_crime_satisfaction": SurveySpec(35, 0.74, 0.02),
    "asb_satisfaction": SurveySpec(60, 0.78),
    "hate_victim_satisfaction": SurveySpec(24, 0.80),
    "da_victim_satisfaction": SurveySpec(40, 0.88),
    "rape_victim_satisfaction": SurveySpec(4, 0.70),  # a handful a month: small numbers
    "public_confidence": SurveySpec(260, 0.79, 0.01),
    "iom_reoffending_rate": SurveySpec(310, 0.31, -0.02),
    "drug_treatment_completions": SurveySpec(150, 0.24),
}
ALL_USER_COMPONENTS = ("burglary_satisfaction", "vehicle_satisfaction", "violent_crime_satisfaction")

MH_TRAINING_STAFF = 1800  # front-line staff in the training measure's denominator

# Availability of the demo, as the seed describes partners' data.
AS_AT = date(2022, 5, 31)  # the demo is a snapshot as at this report date
YJS_BOARD = date(2022, 6, 15)
YJS_PROVISIONAL_FROM = date(2022, 1, 1)
DRUG_DATA_UNAVAILABLE_FROM = date(2021, 10, 1)
IOM_NOT_RECEIVED_FROM = date(2022, 4, 1)


def month_index(months: pd.DatetimeIndex) -> np.ndarray:
    return np.arange(len(months))


def seasonal_factor(months: pd.DatetimeIndex, amplitude: float) -> np.ndarray:
    # Peak in July (month 7), trough in January.
    return 1 + amplitude * np.cos(2 * np.pi * (months.month.to_numpy() - 7) / 12)


def leaf_shares(leaves: pd.DataFrame) -> np.ndarray:
    population = leaves["population"].to_numpy(dtype=float)
    return population / population.sum()


def synthetic_counts(months: pd.DatetimeIndex, leaves: pd.DataFrame, seed=SEED,
                     measures: dict[str, CountSpec] = COUNT_MEASURES) -> pd.DataFrame:
    shares = leaf_shares(leaves)
    years = month_index(months) / 12
    frames = []
    for measure_id, spec in measures.items():
        force_mean = spec.force_monthly * seasonal_factor(months, spec.seasonal_amplitude) * (1 + spec.yearly_trend) ** years
        means = np.outer(force_mean, shares)  # month x leaf
        values = measure_rng(measure_id, seed).poisson(means)
        frames.append(_long_frame(measure_id, months, leaves, values.astype(float)))
    return pd.concat(frames, ignore_index=True)


def synthetic_surveys(months: pd.DatetimeIndex, leaves: pd.DataFrame, seed=SEED,
                      measures: dict[str, SurveySpec] = SURVEY_MEASURES) -> pd.DataFrame:
    shares = leaf_shares(leaves)
    years = month_index(months) / 12
    frames = []
    for measure_id, spec in measures.items():
        rng = measure_rng(measure_id, seed)
        samples = rng.poisson(np.outer(np.full(len(months), spec.force_monthly_sample), shares))
        rate = np.clip(spec.rate + spec.yearly_trend * years, 0.01, 0.99)
        numerators = rng.binomial(samples, np.repeat(rate[:, None], len(leaves), axis=1))
        frames.append(_long_frame(measure_id, months, leaves, None, numerators, samples))
    surveys = pd.concat(frames, ignore_index=True)
    return pd.concat([surveys, all_user_from_components(surveys), mental_health_training(months, leaves, seed)],
                     ignore_index=True)


def all_user_from_components(surveys: pd.DataFrame) -> pd.DataFrame:
    """All-user satisfaction pools the burglary, vehicle and violent crime samples."""
    parts = surveys[surveys["measure_id"].isin(ALL_USER_COMPONENTS)]
    pooled = parts.groupby(["area_id", "month"], as_index=False)[["numerator", "denominator"]].sum()
    pooled["measure_id"] = "all_user_satisfaction"
    return pooled


def mental_health_training(months: pd.DatetimeIndex, leaves: pd.DataFrame, seed=SEED) -> pd.DataFrame:
    # Cumulative share of front-line staff trained, rising from about 40% to 85%.
    staff = np.maximum(1, np.round(MH_TRAINING_STAFF * leaf_shares(leaves))).astype(int)
    progress = np.linspace(0.40, 0.85, len(months))
    noise = measure_rng("mh_training_completed", seed).normal(0, 0.01, (len(months), len(leaves)))
    trained = np.round(np.clip(progress[:, None] + noise, 0, 1) * staff[None, :]).astype(int)
    return _long_frame("mh_training_completed", months, leaves, None, trained, np.tile(staff, (len(months), 1)))


def _long_frame(measure_id, months, leaves, values=None, numerators=None, denominators=None) -> pd.DataFrame:
    n_months, n_leaves = len(months), len(leaves)
    frame = pd.DataFrame(
        {
            "measure_id": measure_id,
            "area_id": np.tile(leaves["id"].to_numpy(), n_months),
            "month": np.repeat(months.to_numpy(), n_leaves),
        }
    )
    if values is not None:
        frame["value"] = values.reshape(-1)
    if numerators is not None:
        frame["numerator"] = np.asarray(numerators, dtype=float).reshape(-1)
        frame["denominator"] = np.asarray(denominators, dtype=float).reshape(-1)
    return frame


def apply_availability(leaf_observations: pd.DataFrame) -> pd.DataFrame:
    """Hold back, withhold or mark provisional the rows the seed says are not available."""
    obs = leaf_observations.copy()
    month = pd.to_datetime(obs["month"]).dt.date
    obs["status"] = "published"
    obs["publish_after"] = pd.NaT
    provisional = (obs["measure_id"] == "yjs_first_time_entrants") & (month >= YJS_PROVISIONAL_FROM)
    obs.loc[provisional, "status"] = "provisional"
    obs.loc[provisional, "publish_after"] = pd.Timestamp(YJS_BOARD)
    unavailable = (obs["measure_id"] == "drug_treatment_completions") & (month >= DRUG_DATA_UNAVAILABLE_FROM)
    not_received = (obs["measure_id"] == "iom_reoffending_rate") & (month >= IOM_NOT_RECEIVED_FROM)
    # A zero-sample survey month has no rate; it is simply absent, as a partner would send it.
    empty_sample = obs["denominator"].notna() & (obs["denominator"] == 0)
    return obs[~(unavailable | not_received | empty_sample)].reset_index(drop=True)


def availability_rows(last_month: date) -> pd.DataFrame:
    rows = [
        (1, "yjs_first_time_entrants", YJS_PROVISIONAL_FROM, last_month, "provisional",
         f"To be presented to the Youth Offending Management Board on {YJS_BOARD:%d %B %Y}; "
         "available for publication thereafter", YJS_BOARD),
        (2, "iom_reoffending_rate", IOM_NOT_RECEIVED_FROM, last_month, "not yet received",
         "Cohort data goes to the Reducing Re-offending Board first; not yet received from Probation / IOM", None),
        (3, "drug_treatment_completions", DRUG_DATA_UNAVAILABLE_FROM, None, "nationally unavailable",
         "Treatment and criminal justice data has become nationally unavailable (a Public Health England "
         "decision); local agencies are working with national departments on a resolution", DRUG_DATA_UNAVAILABLE_FROM),
        (4, "families_reoffending", date(2019, 12, 1), None, "published",
         "Benchmark only: sets what success looks like; trends follow when the data set is adequate", None),
        (4, "families_asb", date(2019, 12, 1), None, "published",
         "Benchmark only: sets what success looks like; trends follow when the data set is adequate", None),
        (15, None, date(2019, 12, 1), None, "in development",
         "Measures are in development with the safeguarding boards and partners; to be agreed", None),
    ]
    return pd.DataFrame(rows, columns=["priority_id", "measure_id", "period_start", "period_end", "state", "reason", "state_date"])


def missing_person_records(months: pd.DatetimeIndex, leaves: pd.DataFrame, seed=SEED) -> pd.DataFrame:
    """Record-level reports with repeats: about 600 a quarter from about 410 people.

    Each person has a propensity to go missing drawn from a gamma distribution, so a
    few people account for many reports, as in real missing-person data.
    """
    located = leaves[leaves["population"].notna()]
    rng = measure_rng(MISSING_PERSON_RECORDS, seed)
    n_people, shape = 1700, 0.6
    quarterly_rate = rng.gamma(shape, 600 / (n_people * shape), n_people)
    home = rng.choice(located["id"].to_numpy(), size=n_people, p=leaf_shares(located))
    is_child = rng.random(n_people) < 0.55
    person_ids = np.array([f"P{n:05d}" for n in rng.permutation(n_people)])
    records = []
    for month in months:
        counts = rng.poisson(quarterly_rate / 3)
        people = np.repeat(np.arange(n_people), counts)
        days = rng.integers(0, month.days_in_month, size=len(people))
        for person, day in zip(people, days):
            records.append((person_ids[person], (month + pd.Timedelta(days=int(day))).date(), home[person],
                            "child" if is_child[person] else "adult"))
    frame = pd.DataFrame(records, columns=["person_id", "report_date", "area_id", "age_band"])
    frame = frame.sort_values(["report_date", "person_id"], kind="stable").reset_index(drop=True)
    frame.insert(0, "report_id", np.arange(1, len(frame) + 1))
    return frame


def savings_lines() -> pd.DataFrame:
    """The savings plan: a £23m shortfall; £7.7m banked, £9.5m forecast, £5.8m still to find by May 2022."""
    rows = [
        ("Transactional change", "Estates rationalisation", "2019/20", 2.4, True),
        ("Transactional change", "Procurement and contracts", "2020/21", 1.9, True),
        ("Transactional change", "Back-office collaboration", "2021/22", 2.1, True),
        ("Financial assumptions", "Pay and pension assumptions", "2021/22", 1.3, True),
        ("Transformation programme", "New operating model: neighbourhoods", "2022/23", 4.6, True),
        ("Transformation programme", "New operating model: investigations", "2022/23", 3.2, True),
        ("Transformation programme", "Contact management", "2022/23", 1.7, True),
        ("Plans in progress", "Savings still to identify", "2022/23", 5.8, False),
    ]
    frame = pd.DataFrame(rows, columns=["programme", "name", "financial_year", "target_m", "identified"])
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    frame["target_date"] = date(2023, 3, 31)
    return frame


# When each banked line's savings came in: (line id, first month, last month), in equal monthly parts.
BANKING = [(1, "2019-12", "2020-03"), (2, "2020-04", "2021-03"), (3, "2021-04", "2022-03"), (4, "2021-04", "2022-04")]


def savings_banked() -> pd.DataFrame:
    """Monthly amounts banked per plan line (£m, to the penny), adding up to each banked line's target."""
    targets = savings_lines().set_index("id")["target_m"]
    rows = []
    for line_id, first, last in BANKING:
        months = pd.period_range(first, last, freq="M")
        pennies = round(targets[line_id] * 100)
        parts = [pennies // len(months)] * len(months)
        parts[-1] += pennies - sum(parts)
        rows += [(line_id, m.start_time.date(), part / 100) for m, part in zip(months, parts)]
    return pd.DataFrame(rows, columns=["line_id", "month", "amount_m"])


def demo_commentary(force_id: str, quarter_start: date, quarter_end: date) -> pd.DataFrame:
    now = pd.Timestamp(AS_AT)
    rows = [
        (8, "asb_incidents", "Demo commentary (synthetic): ASB incidents are within expected levels this quarter. "
         "The spring 2020 peak reflected reports of breaches of coronavirus restrictions."),
        (17, None, "Demo commentary (synthetic): missing-person reports are slightly higher than previous "
         "quarters but not significantly high."),
    ]
    return pd.DataFrame(
        [
            (i + 1, p, m, force_id, quarter_start, quarter_end, text, "Performance co-ordinator (demo)", "published", 1, now, now)
            for i, (p, m, text) in enumerate(rows)
        ],
        columns=["id", "priority_id", "measure_id", "area_id", "period_start", "period_end", "text", "author", "status",
                 "version", "created_at", "updated_at"],
    )
