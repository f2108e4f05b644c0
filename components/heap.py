"""Keep the server's heap cheap to walk and from spreading: gc.freeze() its long-lived objects, and cap glibc's
malloc arenas.

Streamlit runs a full garbage collection after every script run (runner.postScriptGC), which walks every object
the server holds: the imported modules (pandas, Altair, DuckDB, Streamlit itself) are most of them, and the walk
was a large part of a click's CPU. Objects frozen are never walked again (nor collected as cycles; they are
freed by reference counting as before), so the app freezes what is alive when a run starts, after a collection (so no
garbage is frozen for good), and only when more modules have been imported since: a page's first visit imports
its modules, then freezing stops. The objects of this run are made afterwards and are collected as before.

Streamlit runs every script run (a fragment's refresh too) in a new thread, and glibc gives threads their own malloc
arenas, up to 8 a core. A Panel mode refresh makes and frees a few MB of large strings (the deck, its HTML, the
message): each arena kept its share of them, so the server's resident memory climbed for the first 16 or so
refreshes (about 50 MB, the soak's growth after its warm-up) before every arena had been used. Two arenas hold
what the threads free for the next run to reuse.
"""
from __future__ import annotations

import ctypes
import gc
import sys

MALLOC_ARENAS = 2  # as commonly set for threaded Python servers (MALLOC_ARENA_MAX=2)
M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)

_modules_when_frozen = 0


def freeze_long_lived() -> None:
    """Freeze what the server holds now if modules were imported since the last time (see the module's doc)."""
    global _modules_when_frozen
    if len(sys.modules) != _modules_when_frozen:
        _modules_when_frozen = len(sys.modules)
        gc.collect()  # garbage left by anything (another session's run, a test) is freed, not frozen for good
        gc.freeze()


def cap_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas for threads made from now on (see the module's doc); call before the server starts
    its threads. False where there is no glibc mallopt (another C library: nothing to cap)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))
