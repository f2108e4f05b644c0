"""Words that every output shares (pages, Panel mode, the paper), with no Streamlit."""
from __future__ import annotations

from analysis import sources
from render.spc_icons import VARIATION

OGL_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
SYNTHETIC_LABEL = sources.SYNTHETIC_LABEL


def source_label(synthetic: bool) -> str:
    """The catalogue's label; a figure's own source (which load wrote it) is the Overview's `source` column."""
    return SYNTHETIC_LABEL if synthetic else sources.POLICE_UK


def attention_words(row: dict) -> str:
    """Why an Overview row needs attention, in the words of its SPC icon, RAG and data note."""
    icon = row.get("variation_icon")
    special = isinstance(icon, str) and icon != "common_cause"
    words = [VARIATION[icon][2]] if special else []
    if row.get("rag") == "Red" and not (special and icon.startswith("concern")):
        words.append("RAG Red")
    if "data newly unavailable" in str(row.get("attention", "")):
        words.append(f"Data newly unavailable: {row['status_reason']}")
    return "; ".join(words)


# An SPC icon in words a room reads at a glance (Panel mode): which way the figure moved and what that means.
VARIATION_PLAIN = {
    "common_cause": "Within expected levels",
    "improvement_high": "Unusually high: an improvement",
    "improvement_low": "Unusually low: an improvement",
    "concern_high": "Unusually high: a concern",
    "concern_low": "Unusually low: a concern",
    "neutral_high": "Unusually high, neither better nor worse",
    "neutral_low": "Unusually low, neither better nor worse",
}


def variation_plain(icon) -> str | None:
    return VARIATION_PLAIN.get(icon) if isinstance(icon, str) else None
