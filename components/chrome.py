"""What every page carries: the synthetic-data banner, the provisional-data warning and the OGL attribution."""
from __future__ import annotations

import streamlit as st

from components.database import current_visibility, query
from components.labels import OGL_ATTRIBUTION, SYNTHETIC_LABEL, source_label  # noqa: F401 (pages import them from here)


def dataset_meta() -> dict[str, str]:
    return dict(query("app/meta")[["key", "value"]].itertuples(index=False))


def dataset_banner() -> None:
    meta = dataset_meta()
    if meta.get("dataset") == "demo":
        st.sidebar.info(
            f"**Demo data, as at {meta.get('as_at', '?')}.** Crime and ASB counts are real police.uk data. "
            "Partner measures are **synthetic**, generated for the demo, and marked so wherever they show."
        )


def provisional_banner() -> None:
    """On every page, for a reader who can see provisional data: say so, plainly, before anything else."""
    if current_visibility().include_provisional:
        st.warning("**Provisional, not for publication.** You can see provisional data that partners' boards have "
                   "not yet released; it is marked wherever it shows, and in every download. Do not share it.",
                   icon="⚠️")


def attribution_footer() -> None:
    st.divider()
    st.caption(f"police.uk and ONS data: {OGL_ATTRIBUTION}")
