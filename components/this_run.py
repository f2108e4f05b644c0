"""Values resolved once per script run of a session, then reused for the rest of that run.

A rerun asks for the data version, the reader's visibility and the filter options many times (every query and
read asks for the first two, 31 times an explorer rerun); each answer took cache calls, hashing and a file stat.
Keeping them for the run also means one run reads one snapshot throughout.
"""
from __future__ import annotations

from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx


def this_run() -> dict:
    """A dict that lives as long as this script run of this session; outside a run (a background thread), a new
    empty one each time, so nothing is kept."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return {}
    held = getattr(ctx, "_dashboard_this_run", None)
    if held is None or held[0] is not ctx.cursors:  # ScriptRunContext.reset gives each run a new cursors dict
        held = (ctx.cursors, {})
        ctx._dashboard_this_run = held
    return held[1]
