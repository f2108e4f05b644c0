"""Writing to the live database without stopping the app: copy, change, swap.

DuckDB allows one writer process and the app holds the file open read-only, so a
writer never edits the live file in place. It takes a lock, copies the file,
changes the copy in one transaction, checkpoints it, and renames it over the live
path (atomic on POSIX). Readers keep the old file until their next rerun, when
the app sees a new file identity and reconnects. A crash at any point leaves the
live file as it was; the lock stops two writers racing.
"""
from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb


class PublishError(RuntimeError):
    pass


@contextmanager
def writer_lock(db_path: Path) -> Iterator[None]:
    lock_path = db_path.with_name(f".{db_path.name}.lock")
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def publish(db_path: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a private copy inside a transaction; publish it on success."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise PublishError(f"There is no database at {db_path} to change.")
    with writer_lock(db_path):
        draft = db_path.with_name(f".{db_path.name}.draft-{os.getpid()}")
        shutil.copy2(db_path, draft)
        try:
            con = duckdb.connect(str(draft))
            try:
                con.execute("BEGIN TRANSACTION")
                yield con
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            except BaseException:
                con.execute("ROLLBACK") if _in_transaction(con) else None
                raise
            finally:
                con.close()
            with open(draft, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(draft, db_path)
        finally:
            draft.unlink(missing_ok=True)
            Path(f"{draft}.wal").unlink(missing_ok=True)


def _in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        con.execute("SELECT 1")
        return True
    except duckdb.Error:
        return False
