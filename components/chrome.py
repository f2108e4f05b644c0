"""What every page carries: the synthetic-data banner and the OGL attribution."""
from __future__ import annotations

import streamlit as st

from components.database import query
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


def attribution_footer() -> None:
    st.divider()
    st.caption(f"police.uk and ONS data: {OGL_ATTRIBUTION}")
