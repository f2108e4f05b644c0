"""An unexpected failure in a page, said in plain words: the traceback goes to the server log only.

Streamlit itself is set to show no error details (.streamlit/config.toml), so a failure that
escapes this still shows no server path; this puts a sentence a visitor can act on in its place.
"""
from __future__ import annotations

import logging

import streamlit as st

LOG = logging.getLogger("dashboard.pages")
SERVER_ERROR = ("This page could not be shown because of an error on the server; it has been logged for the "
                "dashboard's administrators. Try again in a moment, or choose another page.")


def show_server_error(page_title: str) -> None:
    """Call from an `except Exception` block: logs the exception with its traceback, shows the sentence."""
    LOG.exception("The page %r failed", page_title)
    st.error(SERVER_ERROR, icon="⚠️")
