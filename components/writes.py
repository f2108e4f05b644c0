"""One way to run a write a person asked for from a page: a refusal is said in plain words and the page stays as it
is (the form keeps what was typed, to correct it); a write that is done is said, then the page runs again so every
table, chart and the sidebar show the change at once.

The writes are ingest's functions (set_target, add_rebase, save_commentary …): each changes nothing and raises
LoadRefused, whose message says why in plain words, when it refuses.
"""
from __future__ import annotations

from typing import Callable, TypeVar

import streamlit as st

from components.connection import read_the_newest_snapshot
from core.errors import LoadRefused
from render.safe_text import plain

T = TypeVar("T")


def attempt(write: Callable[[], T], *, done_message: str | Callable[[T], str] | None = None,
            remember_as: str | None = None, then: Callable[[T], None] | None = None, rerun: bool = True,
            place=None, passes: tuple[type[LoadRefused], ...] = ()) -> T | None:
    """Run `write`; its result once done, None when refused.

    Refused: the refusal's message, shown as written (never as markdown), in `place` (a container or st.empty;
    where the page is writing by default), and nothing more. Refusals of the kinds in `passes` are raised for the
    caller, which answers them itself (a commentary save that clashes with a newer version).
    Done: `then(result)` (the page's own bookkeeping), the done message (a text, or made from the result) in
    `place`, or kept in st.session_state[remember_as] for the page to show after the rerun, then the rerun
    (rerun=False: the page goes on, the message in sight).
    """
    place = place if place is not None else st
    try:
        result = write()
    except LoadRefused as refused:
        if isinstance(refused, passes):
            raise
        place.error(plain(refused.message))
        return None
    read_the_newest_snapshot()  # rerun=False goes on in this run: what it shows next must include the write
    if then is not None:
        then(result)
    message = done_message(result) if callable(done_message) else done_message
    if message is not None:
        if remember_as is not None:
            st.session_state[remember_as] = message
        else:
            place.success(message)
    if rerun:
        st.rerun()
    return result
