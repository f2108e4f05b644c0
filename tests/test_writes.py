"""components/writes.py: one way to run a write from a page. A refusal is shown as written and the page stays as it
is, the form keeping what was typed; a write that is done says so and runs the page again."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from render.safe_text import plain

REFUSAL = "Give a *reason*: it is shown on the chart."  # the script's own copy: AppTest runs its body alone


def form_script():
    """A form whose write refuses a reason without words, and otherwise stores it; every run counted."""
    import streamlit as st

    from components.writes import attempt
    from core.errors import LoadRefused

    REFUSAL = "Give a *reason*: it is shown on the chart."

    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    mode = st.session_state.get("mode", "show")

    def write():
        reason = st.session_state["reason"]
        if not reason.strip():
            raise LoadRefused(REFUSAL)
        st.session_state["written"] = st.session_state.get("written", []) + [reason]
        return len(st.session_state["written"])

    with st.form("change"):
        st.text_input("Reason", key="reason")
        asked = st.form_submit_button("Save")
    if asked:
        attempt(write, done_message=lambda count: f"Saved change {count}.", rerun=mode != "stay",
                remember_as="kept" if mode == "remember" else None)
    if "kept" in st.session_state:
        st.info(st.session_state.pop("kept"))


def submit(at: AppTest, reason: str) -> AppTest:
    at.text_input(key="reason").input(reason)
    return at.button[0].click().run()


def started(mode: str = "show") -> AppTest:
    at = AppTest.from_function(form_script)
    at.session_state["mode"] = mode
    return at.run()


def test_a_refusal_is_shown_as_written_and_the_form_keeps_what_was_typed():
    at = started()
    runs = at.session_state["runs"]
    submit(at, "   ")
    assert not at.exception
    assert [e.value for e in at.error] == [plain(REFUSAL)]  # as written: its asterisks are not made emphasis
    assert at.text_input(key="reason").value == "   "  # to correct, not to type again
    assert at.session_state["runs"] == runs + 1  # the click's run only: no rerun
    assert "written" not in at.session_state


def test_a_write_that_is_done_runs_the_page_again():
    at = started()
    runs = at.session_state["runs"]
    submit(at, "New recording standard")
    assert not at.exception and not at.error
    assert at.session_state["written"] == ["New recording standard"]
    assert at.session_state["runs"] == runs + 2  # the click's run, then the rerun that shows the change


def test_a_done_message_stays_in_sight_without_a_rerun_or_is_kept_for_after_it():
    at = submit(started("stay"), "Agreed by the board")
    assert [s.value for s in at.success] == ["Saved change 1."]
    at = submit(started("remember"), "Agreed by the board")
    assert [i.value for i in at.info] == ["Saved change 1."]  # the page showed it after the rerun
    assert not at.success
