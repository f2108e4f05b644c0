"""Limits and ranges for loading data, from core/settings.toml (or DASHBOARD_INGEST_SETTINGS)."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import cache
from pathlib import Path

import pandas as pd

SETTINGS_FILE = Path(__file__).resolve().parent / "settings.toml"
SETTINGS_ENV = "DASHBOARD_INGEST_SETTINGS"
MB = 1_000_000


@dataclass(frozen=True)
class Settings:
    first_month: pd.Period
    return_max_bytes: int
    return_max_rows: int
    xlsx_max_uncompressed_bytes: int
    police_uk_max_bytes: int
    police_uk_max_rows: int
    police_uk_max_uncompressed_bytes: int
    police_uk_max_files: int
    police_uk_small_month_fraction: float  # a force's month with fewer records than this share of its usual is refused
    check_seconds: float
    check_memory_bytes: int
    problems_listed: int
    space_factor: float
    space_margin_bytes: int
    max_reason_chars: int
    allowed_link_hosts: tuple[str, ...]
    release_time: time
    sign_in_max_age: timedelta
    verified_email_claims: tuple[str, ...]
    return_due_working_days: int = 15  # a partner's return is due this many working days after its period ends
    disclosure_threshold: int = 5  # counts of people from 1 to this - 1 are withheld ([disclosure])

    def month_range_problem(self, month: pd.Period, today: date | None = None) -> str | None:
        """Why a month is outside the months the dashboard holds, or None when it is inside."""
        current = pd.Period(today or date.today(), "M")
        if month < self.first_month:
            return f"is before {self.first_month}, the first month the dashboard holds"
        if month > current:
            return f"is in the future (the current month is {current})"
        return None


def from_toml(text: str) -> Settings:
    raw = tomllib.loads(text)
    returns, police, checking = raw["returns"], raw["police_uk"], raw["checking"]
    return Settings(
        first_month=pd.Period(raw["months"]["first"], "M"),
        return_max_bytes=int(returns["max_file_mb"] * MB),
        return_max_rows=int(returns["max_rows"]),
        xlsx_max_uncompressed_bytes=int(returns["max_xlsx_uncompressed_mb"] * MB),
        police_uk_max_bytes=int(police["max_file_mb"] * MB),
        police_uk_max_rows=int(police["max_rows"]),
        police_uk_max_uncompressed_bytes=int(police["max_uncompressed_mb"] * MB),
        police_uk_max_files=int(police["max_files"]),
        police_uk_small_month_fraction=float(police["small_month_fraction"]),
        check_seconds=float(checking["time_limit_seconds"]),
        check_memory_bytes=int(checking["memory_limit_mb"] * MB),
        problems_listed=int(checking["problems_listed"]),
        space_factor=float(raw["storage"]["space_factor"]),
        space_margin_bytes=int(raw["storage"]["space_margin_mb"] * MB),
        max_reason_chars=int(raw["text"]["max_reason_chars"]),
        allowed_link_hosts=tuple(str(h).lower() for h in raw["text"]["allowed_link_hosts"]),
        release_time=time.fromisoformat(raw["release"]["time"]),
        sign_in_max_age=timedelta(minutes=float(raw["sign_in"]["max_age_minutes"])),
        verified_email_claims=tuple(str(c) for c in raw["sign_in"]["verified_email_claims"]),
        return_due_working_days=int(returns["due_working_days"]),
        disclosure_threshold=int(raw.get("disclosure", {}).get("threshold", 5)),
    )


@cache
def settings() -> Settings:
    configured = os.environ.get(SETTINGS_ENV, "").strip()
    path = Path(configured) if configured else SETTINGS_FILE
    return from_toml(path.read_text(encoding="utf-8"))


def size_text(n_bytes: int) -> str:
    return f"{n_bytes / MB:,.1f} MB" if n_bytes >= 100_000 else f"{n_bytes / 1000:,.0f} KB"
