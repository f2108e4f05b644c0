"""Writing to the database while the app serves it: snapshot, change, publish.

DuckDB allows one writer process, and the app holds the live database open
read-only, so a writer never edits it in place. Instead, under a lock:

1. copy the current snapshot to a draft file;
2. change the draft in one transaction and checkpoint it;
3. rename the draft to a new snapshot, ``<name>.snapshots/<stem>-<time>-<pid>.duckdb``;
4. point the live path (a symbolic link) at the new snapshot with an atomic rename.

Readers open the live path, so they see either the old snapshot or the new one,
never a mix. Each snapshot has its own file name, which matters: DuckDB keeps one
database instance per path in a process, so reopening an unchanged path would
hand back the old data. The app reconnects when the resolved path changes.

A crash (even kill -9) before step 4 leaves the live path pointing at the old
snapshot, untouched; leftovers are cleared by the next publish. The lock is
released by the kernel when its holder dies. Old snapshots are pruned, keeping a
few for readers still on them.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

KEEP_SNAPSHOTS = 5
PAUSE_ENV = "DASHBOARD_PUBLISH_PAUSE_AT"  # crash tests: pause at a named stage (see pause_point)


class PublishError(RuntimeError):
    pass


def snapshot_dir(live: Path) -> Path:
    return live.parent / f"{live.name}.snapshots"


@contextmanager
def writer_lock(live: Path) -> Iterator[None]:
    lock_path = live.parent / f".{live.name}.lock"
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pause_point(stage: str) -> None:
    """Test hook: when DASHBOARD_PUBLISH_PAUSE_AT names this stage, say so on a file and wait to be killed."""
    if os.environ.get(PAUSE_ENV) == stage:
        marker = os.environ.get(f"{PAUSE_ENV}_MARKER")
        if marker:
            Path(marker).write_text(stage)
        time.sleep(60)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def clear_leftovers(live: Path) -> None:
    """Remove drafts and temporary links that a crashed writer left (call under the lock)."""
    folder = snapshot_dir(live)
    if folder.is_dir():
        for leftover in folder.glob("*.draft*"):
            leftover.unlink(missing_ok=True)
    for link in live.parent.glob(f".{live.name}.link-*"):
        link.unlink(missing_ok=True)


def prune_snapshots(live: Path, keep: int = KEEP_SNAPSHOTS) -> None:
    folder = snapshot_dir(live)
    current = live.resolve()
    snapshots = sorted((p for p in folder.glob("*.duckdb")), key=lambda p: p.stat().st_mtime_ns)
    for old in snapshots[:-keep]:
        if old.resolve() != current:
            old.unlink(missing_ok=True)


@contextmanager
def publish(db_path: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a private draft inside a transaction; publish it on success.

    If the body raises, nothing is published and the live database is unchanged.
    """
    live = Path(db_path)
    if not live.exists():
        raise PublishError(f"There is no database at {live} to change.")
    with writer_lock(live):
        clear_leftovers(live)
        folder = snapshot_dir(live)
        folder.mkdir(exist_ok=True)
        stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 1_000_000_000:09d}-{os.getpid()}"
        snapshot = folder / f"{live.stem}-{stamp}.duckdb"
        draft = folder / f"{snapshot.name}.draft"
        shutil.copyfile(live.resolve(), draft)
        try:
            con = duckdb.connect(str(draft))
            try:
                con.execute("BEGIN TRANSACTION")
                yield con
                pause_point("before-commit")
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            finally:
                con.close()
            with open(draft, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(draft, snapshot)
            pause_point("before-swap")
            link = live.parent / f".{live.name}.link-{os.getpid()}"
            link.unlink(missing_ok=True)
            os.symlink(os.path.relpath(snapshot, live.parent), link)
            os.replace(link, live)  # the atomic moment of publication
            _fsync_dir(live.parent)
            pause_point("after-swap")
        except BaseException:
            draft.unlink(missing_ok=True)
            if not (live.is_symlink() and live.resolve() == snapshot.resolve()):
                snapshot.unlink(missing_ok=True)
            raise
        finally:
            Path(f"{draft}.wal").unlink(missing_ok=True)
        prune_snapshots(live)
