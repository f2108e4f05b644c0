"""Run file parsing and checking outside the calling process, with time and memory limits.

The app's serving process (and the command line) hand a file to one long-lived
checker process (ingest/check_server.py), which forks a limited child per file.
Starting the checker costs about half a second, once per process; each file then
costs a fork. Checks are taken one at a time: a second upload waits for the first.
"""
from __future__ import annotations

import atexit
import os
import pickle
import select
import subprocess
import sys
import threading
from dataclasses import dataclass
from typing import Any

from core.errors import LoadRefused
from core.settings import Settings, settings
from ingest import PROJECT_ROOT
from ingest.wire import HEADER, write_message

# Fewer threads and arenas keep the checker's address space (and so its limit) small.
CHECKER_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}
STARTUP_SECONDS = 30


@dataclass(frozen=True)
class Checked:
    """A check's result with what it cost (in the checker's child)."""

    value: Any
    seconds: float
    peak_bytes: int


class _Checker:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ingest.check_server"], cwd=PROJECT_ROOT, stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={**os.environ, **CHECKER_ENV})
        return self.process

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def _read(self, stream, size: int, deadline_seconds: float) -> bytes:
        data = b""
        while len(data) < size:
            ready, _, _ = select.select([stream], [], [], deadline_seconds)
            if not ready:
                raise TimeoutError
            chunk = os.read(stream.fileno(), size - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def run(self, task: str, args: tuple, limits: Settings) -> Checked:
        with self.lock:
            process = self._start()
            wait = limits.check_seconds + STARTUP_SECONDS
            try:
                write_message(process.stdin, (task, args, limits.check_seconds, limits.check_memory_bytes))
                (length,) = HEADER.unpack(self._read(process.stdout, HEADER.size, wait))
                status, value, seconds, peak = pickle.loads(self._read(process.stdout, length, wait))
            except (TimeoutError, EOFError, OSError, pickle.UnpicklingError):
                self.stop()
                raise LoadRefused("The file checker did not answer; nothing was loaded. Try again.") from None
        if status == "ok":
            return Checked(value, seconds, peak)
        refused = value if isinstance(value, LoadRefused) else LoadRefused(str(value))
        refused.check_seconds, refused.check_peak_bytes = seconds, peak  # what refusing it cost, for the benchmark
        raise refused


_CHECKER = _Checker()
atexit.register(_CHECKER.stop)


def run_checked(task: str, *args, limits: Settings | None = None) -> Checked:
    """Run a checker task (see check_server.TASKS) in a limited child process."""
    return _CHECKER.run(task, args, limits or settings())
