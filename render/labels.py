"""Words that every output shares (pages, Panel mode, the paper), with no Streamlit."""
from __future__ import annotations

from analysis import sources
from analysis.overview import OverviewRow
from render.spc_icons import VARIATION

OGL_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
SYNTHETIC_LABEL = sources.SYNTHETIC_LABEL


def source_label(synthetic: bool) -> str:
    """The catalogue's label; a figure's own source (which load wrote it) is the Overview's `source` column."""
    return SYNTHETIC_LABEL if synthetic else sources.POLICE_UK


def attention_words(row: OverviewRow, attention: str) -> str:
    """Why an Overview row needs attention (attention: the reasons analysis.exceptions gives), in the words of its
    SPC icon, RAG and data note."""
    words = [VARIATION[row.variation_icon][2]] if row.special_cause else []
    if row.rag == "Red" and not (row.special_cause and row.variation_icon.startswith("concern")):
        words.append("RAG Red")
    if "data newly unavailable" in attention:
        words.append(f"Data newly unavailable: {row.status_reason}")
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


def variation_plain(icon: str | None) -> str | None:
    return None if icon is None else VARIATION_PLAIN.get(icon)
