"""How numbers are written on the page, in downloads and in sentences: one formatter per unit."""
from __future__ import annotations

import math

DASH = "–"


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value, unit: str) -> str:
    """A figure in its unit: "1,234", "85.2%", "£7.70m"; a dash when there is none."""
    if is_missing(value):
        return DASH
    if unit == "percentage":
        return f"{value:.1f}%"
    if unit == "currency":
        return f"£{value:,.2f}m"
    return f"{value:,.0f}"


def signed(value: float, decimals: int = 0) -> str:
    """"+57", "-3.2"; a value that rounds to zero is written without a sign ("0", "0.0")."""
    text = f"{value:+,.{decimals}f}"
    return text[1:] if float(text.replace(",", "")) == 0 else text


def format_change(change: float, percent: float | None, unit: str) -> str:
    """A change in the unit's own terms: "+57 (+12.0%)", "+3.1 percentage points", "+£0.18m".

    A change that rounds to nothing says "no change", never "+0 (+0.0%)" or "-0.0".
    """
    if unit == "percentage":
        return "no change (0.0 percentage points)" if signed(change, 1) == "0.0" else \
            f"{signed(change, 1)} percentage points"
    if unit == "currency":
        text = signed(change, 2)
        return "no change (£0.00m)" if text == "0.00" else f"{text[0]}£{text[1:]}m"
    if signed(change) == "0":
        return "no change (0)"
    if percent is None:
        return f"{signed(change)} (no percentage: the earlier figure is 0)"
    return f"{signed(change)} ({signed(percent, 1)}%)"


def plural(count: float, word: str, plural_word: str | None = None) -> str:
    """"1 response", "17 responses", "1,234 reports"."""
    noun = word if count == 1 else (plural_word or f"{word}s")
    return f"{count:,.0f} {noun}"


def chart_number(value: float) -> str:
    """A figure in a chart's description, whatever its unit: "1,234", "85.2", "3.27"."""
    if is_missing(value):
        return DASH
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"


def change_words(now: float, before: float) -> str:
    """How a figure moved, in words: "up 34 (7.1%)", "down 2.50 (25.0%)", "unchanged"."""
    change = now - before
    if chart_number(abs(change)) in ("0", "0.00", "0.0"):
        return "unchanged"
    percent = "" if before == 0 else f" ({abs(change) / abs(before):.1%})"
    return f"{'up' if change > 0 else 'down'} {chart_number(abs(change))}{percent}"
