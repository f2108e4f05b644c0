"""The file checker's process: parses and checks uploaded files, one forked child per file.

Started by ingest/isolation.py as ``python -m ingest.check_server``. It imports the
parsing code once, then for each request forks a child that lowers its priority,
sets limits on address space and CPU time, does the work and sends back the result.
A child that runs out of time is killed; one that runs out of memory gets a
MemoryError. Either way the app's own process is untouched. Nothing here reads the
database or imports Streamlit.

Protocol on stdin/stdout: length-prefixed pickles. Request: (task, args, limits);
reply: (status, value, seconds, peak_bytes) with status "ok", "refused" or "failed".
"""
from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import sys
import time

from core.errors import LoadRefused, unexpected
from ingest import police_uk_files, returns
from ingest.wire import read_message, write_message

TASKS = {"return": returns.check_return_data, "police_uk": police_uk_files.count_files}


def vm_size() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def run_child(task: str, args: tuple, seconds: float, memory_bytes: int, reply_fd: int) -> None:
    """In the forked child: limit, work, reply, exit (never returns)."""
    try:
        os.nice(10)
        # The budget is on top of what the checker already maps (its imports, shared with the parent).
        limit = vm_size() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        cpu = int(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        try:
            outcome = ("ok", TASKS[task](*args))
        except LoadRefused as refused:
            outcome = ("refused", refused)
        except MemoryError:
            outcome = ("refused", LoadRefused("The file needs more memory to check than is allowed "
                                              f"({memory_bytes // 1_000_000:,} MB); nothing was loaded."))
        except RecursionError as error:
            outcome = ("refused", unexpected(error, "Reading the file"))
        except Exception as error:  # a file nobody foresaw: say so plainly, never a traceback
            outcome = ("refused", unexpected(error, "Reading the file"))
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(reply_fd, "wb") as reply:
            reply.write(data)
    finally:
        os._exit(0)


def serve_one(task: str, args: tuple, seconds: float, memory_bytes: int):
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        run_child(task, args, seconds, memory_bytes, write_fd)
    os.close(write_fd)
    chunks, timed_out = [], False
    deadline = started + seconds
    with os.fdopen(read_fd, "rb", buffering=0) as reply:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                os.kill(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([reply], [], [], left)
            if ready:
                chunk = reply.read(1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.monotonic() - started
    peak = usage.ru_maxrss * 1024
    if timed_out:
        return "failed", f"Checking the file took longer than the {seconds:g} s allowed; nothing was loaded.", elapsed, peak
    if not chunks:
        reason = ("it used more CPU time than allowed" if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU
                  else "the checker stopped")
        return "failed", f"The file could not be checked ({reason}); nothing was loaded.", elapsed, peak
    status_word, value = pickle.loads(b"".join(chunks))
    return status_word, value, elapsed, peak


def main() -> None:
    # The protocol owns stdout: anything the checking code prints goes to stderr instead.
    requests = os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    while True:
        request = read_message(requests)
        if request is None:
            return
        task, args, seconds, memory_bytes = request
        write_message(replies, serve_one(task, args, seconds, memory_bytes))


if __name__ == "__main__":
    main()
