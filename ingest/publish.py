"""Writing to the database while the app serves it: snapshot, change, publish.

DuckDB allows one writer process, and the app holds the live database open
read-only, so a writer never edits it in place. Instead, under a lock:

1. check there is room for a new snapshot, and copy the current one to a draft file;
2. change the draft in one transaction and checkpoint it;
3. rename the draft to a new snapshot, ``<name>.snapshots/<stem>-<time>-<pid>.duckdb``;
4. point the live path (a symbolic link) at the new snapshot with an atomic rename.

Readers open the live path, so they see either the old snapshot or the new one,
never a mix. Each snapshot has its own file name, which matters: DuckDB keeps one
database instance per path in a process, so reopening an unchanged path would
hand back the old data. The app reconnects when the resolved path changes.

A crash (even kill -9) before step 4 leaves the live path pointing at the old
snapshot, untouched; leftovers are cleared by the next publish. The lock is
released by the kernel when its holder dies. Old snapshots are pruned: the live one
and the one before it are kept (the app falls back to it if the live one is damaged),
and so is any other that a reader on this machine still has open.

Which snapshot came before which is recorded, not guessed from file times: beside each
snapshot, ``<snapshot>.previous`` names the snapshot that was live when it was made, and
becomes true at the same atomic moment the link does. A snapshot renamed by a writer that
died before step 4 is in no record and is not the link's target: it was never published, so
it is never kept as "the previous data" and the next writer deletes it.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

import queries
from core.errors import LoadRefused
from core.settings import Settings, settings, size_text

PREVIOUS_KEPT = 1  # snapshots kept before the live one, at least
PREVIOUS_SUFFIX = ".previous"  # beside a snapshot: the name of the snapshot live when it was published
PAUSE_ENV = "DASHBOARD_PUBLISH_PAUSE_AT"  # crash tests: pause at a named stage (see pause_point)
NO_SPACE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
NOT_WRITABLE_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


class PublishError(LoadRefused):
    pass


def snapshot_dir(live: Path) -> Path:
    return live.parent / f"{live.name}.snapshots"


def free_bytes(folder: Path) -> int:
    """Free space where snapshots are written (tests replace this to simulate a full disk)."""
    return shutil.disk_usage(folder).free


def _no_space(needed: int | None = None) -> PublishError:
    need = f" (it needs about {size_text(needed)})" if needed else ""
    return PublishError(f"There is not enough free disk space to write the change{need}. Nothing was changed and "
                        "the current data is still being served; free some space and try again.")


def is_out_of_space(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno in NO_SPACE_ERRNOS:
        return True
    return isinstance(error, duckdb.Error) and any(
        words in str(error) for words in ("No space left", "Disk quota exceeded", "File too large"))


def _not_writable(live: Path) -> PublishError:
    return PublishError(f"The data folder {live.parent.resolve().name!r} cannot be written (it is read-only, or this "
                        "user may not write to it), so nothing was changed and the current data is still being served. "
                        "Make the folder writable for the user that loads data and try again.")


def is_not_writable(error: BaseException, live: Path) -> bool:
    """A write refused in the data folder or its snapshots (read-only file system, no permission); an error
    about any other file (one the body of a publish reads, say) is not this."""
    if not isinstance(error, OSError) or error.errno not in NOT_WRITABLE_ERRNOS or not error.filename:
        return False
    folders = {live.parent.resolve(), snapshot_dir(live).resolve()}
    return Path(os.fsdecode(error.filename)).resolve().parent in folders


@contextmanager
def plain_write_errors(live: Path) -> Iterator[None]:
    """A data folder that cannot be written is said so in words, never as an unexpected OSError."""
    try:
        yield
    except OSError as error:
        if is_not_writable(error, live):
            raise _not_writable(live) from None
        raise


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
    """Remove drafts, temporary links and never-published snapshots that a crashed writer left (call under the lock)."""
    folder = snapshot_dir(live)
    if folder.is_dir():
        for leftover in folder.glob("*.draft*"):
            leftover.unlink(missing_ok=True)
    for link in live.parent.glob(f".{live.name}.link-*"):
        link.unlink(missing_ok=True)
    _delete_snapshots_except(live, {live.resolve(), *published_before(live)})


def locked_inodes() -> set[int]:
    """Inodes of files a process on this machine holds a lock on (DuckDB readers hold one)."""
    try:
        text = Path("/proc/locks").read_text()
    except OSError:
        return set()
    inodes = set()
    for line in text.splitlines():
        for field in line.split():
            if field.count(":") == 2:
                inodes.add(int(field.rsplit(":", 1)[1]))
    return inodes


def previous_record(snapshot: Path) -> Path:
    return snapshot.with_name(snapshot.name + PREVIOUS_SUFFIX)


def published_before(live: Path) -> list[Path]:
    """The snapshots that were live before the live one, newest first, as each publication recorded them.

    Works when the live link's target is missing too (its record may still be there). A snapshot
    that no publication names (a crashed writer's, never linked) is never among them.
    """
    if not live.is_symlink():
        return []
    folder = snapshot_dir(live)
    current, earlier = live.resolve(), []
    seen = {current}
    while (record := previous_record(current)).is_file():
        current = folder / Path(record.read_text().strip()).name
        if current in seen or not current.is_file():
            break
        seen.add(current)
        earlier.append(current)
    return earlier


def _delete_snapshots_except(live: Path, keep: set[Path]) -> None:
    """Delete every snapshot not in keep that no reader on this machine has open, and records left without one."""
    folder = snapshot_dir(live)
    if not folder.is_dir():
        return
    held = locked_inodes()
    for snapshot in folder.glob("*.duckdb"):
        if snapshot.resolve() not in keep and snapshot.stat().st_ino not in held:
            snapshot.unlink(missing_ok=True)
    for record in folder.glob(f"*{PREVIOUS_SUFFIX}"):
        if not record.with_name(record.name.removesuffix(PREVIOUS_SUFFIX)).exists():
            record.unlink(missing_ok=True)


def prune_snapshots(live: Path) -> None:
    """Keep the live snapshot, the one published before it, and any a reader still has open; delete the rest."""
    _delete_snapshots_except(live, {live.resolve(), *published_before(live)[:PREVIOUS_KEPT]})


def _keep_original(live: Path, folder: Path) -> Path:
    """The snapshot live now. A live path that is still a plain file (a fresh build) becomes the first
    snapshot, kept as the previous one."""
    if live.is_file() and not live.is_symlink():
        first = folder / f"{live.stem}-original-{live.stat().st_mtime_ns}.duckdb"
        if not first.exists():
            os.link(live, first)
        return first
    return live.resolve()


def space_needed(live: Path, limits: Settings) -> int:
    return int(live.resolve().stat().st_size * limits.space_factor) + limits.space_margin_bytes


@contextmanager
def publish(db_path: Path | str, limits: Settings | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a private draft inside a transaction; publish it on success.

    If the body raises, nothing is published and the live database is unchanged.
    """
    live = Path(db_path)
    limits = limits or settings()
    if not live.exists():
        raise PublishError(f"There is no database at {live.name} to change.")
    with plain_write_errors(live), writer_lock(live):
        clear_leftovers(live)
        folder = snapshot_dir(live)
        folder.mkdir(exist_ok=True)
        needed = space_needed(live, limits)
        if free_bytes(folder) < needed:
            raise _no_space(needed)
        stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 1_000_000_000:09d}-{os.getpid()}"
        snapshot = folder / f"{live.stem}-{stamp}.duckdb"
        draft = folder / f"{snapshot.name}.draft"
        try:
            previous = _keep_original(live, folder)
            shutil.copyfile(live.resolve(), draft)
            con = duckdb.connect(str(draft))
            try:
                queries.execute(con, "ingest/begin_transaction")
                yield con
                pause_point("before-commit")
                queries.execute(con, "ingest/commit")
                queries.execute(con, "ingest/checkpoint")
            finally:
                con.close()
            with open(draft, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(draft, snapshot)
            # What was live before this snapshot; true from the moment the link below names the snapshot.
            with open(previous_record(snapshot), "w") as record:
                record.write(previous.name)
                record.flush()
                os.fsync(record.fileno())
            pause_point("before-swap")
            link = live.parent / f".{live.name}.link-{os.getpid()}"
            link.unlink(missing_ok=True)
            os.symlink(os.path.relpath(snapshot, live.parent), link)
            os.replace(link, live)  # the atomic moment of publication
            _fsync_dir(live.parent)
            pause_point("after-swap")
        except BaseException as error:
            draft.unlink(missing_ok=True)
            if not (live.is_symlink() and live.resolve() == snapshot.resolve()):
                snapshot.unlink(missing_ok=True)
                previous_record(snapshot).unlink(missing_ok=True)
            if is_out_of_space(error):
                raise _no_space() from None
            raise
        finally:
            Path(f"{draft}.wal").unlink(missing_ok=True)
        prune_snapshots(live)
