"""The police financial-year calendar: years start in April; quarters are Q1 April-June.

The one home of period arithmetic. Months are pandas Periods ("2021-04"), and a
dashboard period is an inclusive range of months with a label.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

FIRST_MONTH_OF_YEAR = 4  # April


def financial_year_start(month: pd.Period) -> int:
    """The calendar year in which month's financial year starts (2021 for 2021/22)."""
    return month.year if month.month >= FIRST_MONTH_OF_YEAR else month.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_quarter(month: pd.Period) -> int:
    return (month.month - FIRST_MONTH_OF_YEAR) % 12 // 3 + 1


@dataclass(frozen=True)
class Period:
    """An inclusive range of whole months."""

    first: pd.Period
    last: pd.Period
    label: str

    @property
    def start(self) -> date:
        return self.first.start_time.date()

    @property
    def end(self) -> date:
        """The first day of the last month (months are stored as their first day)."""
        return self.last.start_time.date()

    @property
    def months(self) -> list[pd.Period]:
        return list(pd.period_range(self.first, self.last, freq="M"))

    @property
    def month_count(self) -> int:
        """len(self.months), without making them."""
        return max(0, (self.last - self.first).n + 1)

    @property
    def key(self) -> tuple[str, str, str]:
        """Plain values that identify the period (for caches and URLs)."""
        return str(self.first), str(self.last), self.label

    @classmethod
    def from_key(cls, key: tuple[str, str, str]) -> "Period":
        first, last, label = key
        return cls(month(first), month(last), label)

    def shifted_years(self, years: int) -> "Period":
        """The same months a number of years earlier (negative) or later."""
        first, last = self.first + 12 * years, self.last + 12 * years
        return Period(first, last, _shifted_label(self.label, years, first, last))


def month(text: str) -> pd.Period:
    return pd.Period(text, freq="M")


def financial_year(start_year: int) -> Period:
    return Period(month(f"{start_year}-04"), month(f"{start_year + 1}-03"), financial_year_label(start_year))


def quarter(start_year: int, number: int) -> Period:
    if number not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1 to 4, not {number}")
    first = pd.Period(year=start_year, month=FIRST_MONTH_OF_YEAR, freq="M") + 3 * (number - 1)
    return Period(first, first + 2, quarter_label(start_year, number))


def quarter_label(start_year: int, number: int) -> str:
    return f"Q{number} {financial_year_label(start_year)}"


def month_range(first: pd.Period, last: pd.Period) -> Period:
    if last < first:
        first, last = last, first
    label = month_label(first) if first == last else f"{month_label(first)} to {month_label(last)}"
    return Period(first, last, label)


def range_label(first: pd.Period, last: pd.Period) -> str:
    """The label of a run of months: its quarter or financial year when it is one, else the months."""
    length = (last - first).n + 1
    if length == 3 and financial_quarter(first) == financial_quarter(last):
        return quarter_of(first).label
    if length == 12 and first.month == FIRST_MONTH_OF_YEAR:
        return financial_year_label(financial_year_start(first))
    return month_range(first, last).label


def month_label(value: pd.Period) -> str:
    return value.strftime("%B %Y")


def quarter_of(value: pd.Period) -> Period:
    return quarter(financial_year_start(value), financial_quarter(value))


def financial_years_between(first: pd.Period, last: pd.Period) -> list[int]:
    return list(range(financial_year_start(first), financial_year_start(last) + 1))


def quarters_between(first: pd.Period, last: pd.Period) -> list[Period]:
    """Every financial quarter that overlaps the months first..last, oldest first."""
    quarters = [quarter_of(first)]
    while quarters[-1].last < last:  # a quarter at a time: this runs on every page, for every month of data
        quarters.append(quarter_of(quarters[-1].last + 1))
    return quarters


def parse_period_label(label: str) -> Period:
    """Inverse of the labels above for financial years and quarters ("2021/22", "Q1 2021/22")."""
    text = label.strip()
    if text.startswith("Q") and " " in text:
        number, year = text[1:].split(" ", 1)
        return quarter(int(year.split("/")[0]), int(number))
    return financial_year(int(text.split("/")[0]))


def _shifted_label(label: str, years: int, first: pd.Period, last: pd.Period) -> str:
    if label.startswith("Q") or "/" in label:
        try:
            original = parse_period_label(label)
            start_year = financial_year_start(original.first) + years
            return quarter_label(start_year, financial_quarter(first)) if label.startswith("Q") else financial_year_label(start_year)
        except ValueError:
            pass
    return month_range(first, last).label


def preceding(period: Period) -> Period:
    """The period of the same kind just before: the quarter, financial year or run of months before."""
    if period.label.startswith("Q"):
        return quarter_of(period.first - 1)
    if "/" in period.label:  # month-range labels never contain a slash
        return financial_year(financial_year_start(period.first) - 1)
    length = len(period.months)
    return month_range(period.first - length, period.first - 1)


def parse_quarter_code(code: str) -> Period:
    """A quarter written for the command line, "2021-22-Q1" (financial year, then quarter)."""
    parts = code.strip().split("-")
    try:
        start, end, number = int(parts[0]), int(parts[1]), int(parts[2].upper().removeprefix("Q"))
    except (IndexError, ValueError):
        raise ValueError(f"{code!r} is not a quarter: write it as 2021-22-Q1") from None
    if len(parts) != 3 or end != (start + 1) % 100 or not parts[2].upper().startswith("Q"):
        raise ValueError(f"{code!r} is not a quarter: write it as 2021-22-Q1")
    return quarter(start, number)
