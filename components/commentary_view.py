"""Published commentary, shown as text (never rendered markup), labelled with its period and author."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from access import public_name
from core.settings import settings
from render.safe_text import plain, safe_markdown


def commentary_markdown(text: str) -> str:
    """Commentary as safe markdown: links only to the hosts the co-ordinator allows, nothing else rendered."""
    return safe_markdown(text, settings().allowed_link_hosts)


def show_published(notes: pd.DataFrame, period_label: str) -> None:
    """Each published commentary with what it is about, its period, author and version."""
    for note in notes.itertuples():
        about = f"{int(note.priority_id)}. {note.priority}" + (f" · {note.measure}" if isinstance(note.measure, str) else "")
        with st.container(border=True):
            st.markdown(f"**{plain(about)}** · commentary for {plain(period_label)} · "
                        f"{plain(public_name(note.author, 'write commentary'))} · "
                        f"version {int(note.version)} · {pd.Timestamp(note.updated_at):%-d %B %Y %H:%M}")
            st.markdown(commentary_markdown(note.text))
