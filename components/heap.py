"""Keep Streamlit's collection after every run cheap: gc.freeze() the server's long-lived objects.

Streamlit runs a full garbage collection after every script run (runner.postScriptGC), which walks every object
the server holds: the imported modules (pandas, Altair, DuckDB, Streamlit itself) are most of them, and the walk
was a large part of a click's CPU. Objects frozen are never walked again (nor collected as cycles; they are
freed by reference counting as before), so the app freezes what is alive when a run starts, after a collection (so no
garbage is frozen for good), and only when more modules have been imported since: a page's first visit imports
its modules, then freezing stops. The objects of this run are made afterwards and are collected as before.
"""
from __future__ import annotations

import gc
import sys

_modules_when_frozen = 0


def freeze_long_lived() -> None:
    """Freeze what the server holds now if modules were imported since the last time (see the module's doc)."""
    global _modules_when_frozen
    if len(sys.modules) != _modules_when_frozen:
        _modules_when_frozen = len(sys.modules)
        gc.collect()  # garbage left by anything (another session's run, a test) is freed, not frozen for good
        gc.freeze()
