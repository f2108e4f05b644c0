"""The server's memory: its threads share two malloc arenas (components/heap.py), so a refresh's large strings freed
by one run's thread are reused by the next run's rather than spread over up to 8 arenas a core."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import PROJECT_ROOT

from components.heap import MALLOC_ARENAS

HELD_BY_THREADS = """
import ctypes
import threading

import serve  # what `streamlit run serve.py` runs first, before the server makes its threads

ready, done = threading.Barrier(9), threading.Event()


def hold():
    block = bytearray(50_000)  # from this thread's arena (below the size malloc maps on its own)
    ready.wait()
    done.wait()


threads = [threading.Thread(target=hold) for _ in range(8)]
for thread in threads:
    thread.start()
ready.wait()
ctypes.CDLL(None).malloc_stats()  # glibc: one "Arena N:" block per arena, on stderr
done.set()
"""


def test_threads_of_the_server_share_two_malloc_arenas():
    if not hasattr(__import__("ctypes").CDLL(None), "malloc_stats"):
        pytest.skip("not glibc: no malloc arenas to count")
    result = subprocess.run([sys.executable, "-c", HELD_BY_THREADS], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    arenas = re.findall(r"^Arena \d+:", result.stderr, re.MULTILINE)
    assert 1 <= len(arenas) <= MALLOC_ARENAS, result.stderr
