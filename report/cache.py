"""The paper's charts and files kept on disk, so a paper is typeset again only when what it prints has changed.

A chart is kept by a digest of what it is drawn from (render.static_chart.control_chart_key): a new
publication redraws only the charts whose series changed. A paper (its PDF and HTML) is kept by a digest of
what its content is read from: the published snapshot (a snapshot file never changes), what the public may
see then, the area, the period, the saved settings' version and the day it prints. Both digests include one
of the app's code and the drawing packages' versions, so changed code never reuses an old file.

No Streamlit: the app's paper page (components/paper.py) and its background build use it; the server makes its
papers in a worker process (make_in_worker, report/worker.py), so the drawing and typesetting engines (vl-convert's
JavaScript runtime, Typst) and the paper's charts never stay in the server's memory.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Callable

from analysis import calendar
from core.folders import kept_beside
from render.static_chart import charts_kept_by
from report.content import paper_content
from report.render import FORMATS, render

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CODE_FOLDERS = ("analysis", "app_pages", "components", "core", "ingest", "queries", "render", "report")  # and top-level modules
CODE_SUFFIXES = {".py", ".sql", ".typ", ".toml"}
PACKAGES = ("altair", "vl-convert-python", "typst", "duckdb", "pandas", "numpy")
PAPERS_KEPT = 12  # the newest papers kept (each in both formats); older ones are deleted
CHART_DAYS = 30  # a chart neither drawn nor used for this long is deleted

# One paper is made at a time in a process: a second waits, showing the first's progress, then finds its
# files if it was the same paper (and memory holds one paper's content at most, whoever asks).
MAKING = threading.Lock()
NOW_MAKING = {"fraction": 0.0, "words": "Waiting for another paper being made", "key": None, "background": False}
# Set by a build waiting while the background makes another paper: the background gives way at its next
# priority (the charts it drew are kept), so no one waits for a paper of an earlier snapshot or nobody asked for.
WANTED = threading.Event()


class GaveWay(Exception):
    """A background build stopped for a reader waiting for another paper."""


UNREADABLE_EXIT = 3  # report/worker.py's exit status when the snapshot itself cannot be read


class SnapshotUnreadable(Exception):
    """The worker could not read the snapshot (damaged, or gone): the server stands an earlier one in, as it
    does when one of its own queries finds the file damaged."""


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the app's code and settings files and the drawing packages' versions."""
    files = sorted(p for folder in CODE_FOLDERS for p in (PROJECT_ROOT / folder).rglob("*")
                   if p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts)
    files += sorted(PROJECT_ROOT.glob("*.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for package in PACKAGES:
        try:
            digest.update(f"{package}=={metadata.version(package)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} missing\0".encode())
    return digest.hexdigest()


def digest(*parts) -> str:
    return hashlib.sha256(json.dumps([*parts, code_digest()], default=repr).encode("utf-8")).hexdigest()


def paper_key(*, data_version, visibility, area_id: str, period: calendar.Period, settings_version: int) -> str:
    """What a paper's files are kept by. data_version identifies the published snapshot (datastore.DataVersion);
    visibility is what the public may see now (provisional rows released at 09:30 change it)."""
    return digest("paper", data_version, visibility, area_id, period.key, settings_version, date.today().isoformat())


def cache_folder(database: Path) -> Path:
    """Where the papers and charts of a database are kept (core.folders.kept_beside)."""
    return kept_beside(database, ".paper-cache")


def write_whole(path: Path, data: bytes) -> None:
    """Written under another name, then renamed: a reader (another process too) sees the whole file or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


class PaperFiles:
    """A folder of drawn charts (charts/<key>.svg) and typeset papers (papers/<key>.pdf and .html)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def chart(self, key: str, draw: Callable[[], str]) -> str:
        """The kept chart of this key, else drawn and kept."""
        path = self.folder / "charts" / f"{key}.svg"
        try:
            svg = path.read_text(encoding="utf-8")
            os.utime(path)  # used: pruned last
            return svg
        except FileNotFoundError:
            pass
        svg = draw()
        try:
            write_whole(path, svg.encode("utf-8"))
        except OSError:
            pass  # a full or read-only disk costs the next paper a redraw, not this one
        return svg

    def paper_path(self, key: str, fmt: str) -> Path:
        return self.folder / "papers" / f"{key}.{fmt}"

    def has_paper(self, key: str) -> bool:
        return all(self.paper_path(key, fmt).exists() for fmt in FORMATS)

    def paper(self, key: str, fmt: str) -> bytes | None:
        """The kept file, or None (never made, or pruned)."""
        path = self.paper_path(key, fmt)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        os.utime(path)
        return data

    def make(self, con, key: str, *, area_id: str, period: calendar.Period,
             progress: Callable[[float, str], None] | None = None, background: bool = False) -> None:
        """Read the content (drawing only the charts not kept), typeset the PDF and the HTML, and keep them.
        Nothing is done when another build (a session's or the background's) has kept them meanwhile.
        progress(fraction, words) is called as it goes. background: give way (GaveWay) to a build waiting
        for another paper."""
        with self._making(key, progress, background) as say:
            if not self.has_paper(key):
                self.make_here(con, key, area_id=area_id, period=period, say=say, background=background)

    def make_in_worker(self, snapshot: Path, visibility, key: str, *, area_id: str, period: calendar.Period,
                       progress: Callable[[float, str], None] | None = None, background: bool = False) -> None:
        """As make, reading the snapshot file as `visibility` (access.Visibility) allows, in a worker process
        (report/worker.py) that ends with the build: the server's memory holds none of it. A background build
        giving way stops its worker (the charts it drew are kept)."""
        with self._making(key, progress, background) as say:
            if self.has_paper(key):
                return
            order = json.dumps({"folder": str(self.folder), "snapshot": str(snapshot), "key": key, "area_id": area_id,
                                "period": list(period.key), "released_through": visibility.released_through.isoformat(),
                                "include_provisional": visibility.include_provisional})
            errors = tempfile.TemporaryFile()  # a file, not a pipe: the worker never stalls on a full one
            worker = subprocess.Popen([sys.executable, "-m", "report.worker", order], cwd=PROJECT_ROOT,
                                      stdout=subprocess.PIPE, stderr=errors, text=True)
            try:
                for line in worker.stdout:  # "fraction<TAB>words" as the worker goes
                    fraction, _, words = line.rstrip("\n").partition("\t")
                    say(float(fraction), words)
                    if background and WANTED.is_set():
                        raise GaveWay(key)
                status = worker.wait()
                if status != 0:
                    errors.seek(0)
                    said = errors.read().decode(errors="replace").strip()
                    if status == UNREADABLE_EXIT:
                        raise SnapshotUnreadable(said.splitlines()[-1] if said else "the snapshot cannot be read")
                    raise RuntimeError("The paper could not be made: " + said[-2000:])
            finally:
                if worker.poll() is None:
                    worker.kill()
                worker.wait()
                worker.stdout.close()
                errors.close()

    @contextmanager
    def _making(self, key: str, progress: Callable[[float, str], None] | None, background: bool):
        """One build at a time in this process: waits for another, showing its progress (and asks a background
        build of another paper to give way); yields say(fraction, words), which reports this build's."""
        def say(fraction: float, words: str) -> None:
            NOW_MAKING.update(fraction=fraction, words=words)
            if progress:
                progress(fraction, words)

        while not MAKING.acquire(timeout=0.25):
            if NOW_MAKING["background"] and NOW_MAKING["key"] != key:
                WANTED.set()  # a background build of another paper (or an earlier snapshot's) gives way
            if progress:
                progress(NOW_MAKING["fraction"], NOW_MAKING["words"])  # a build already under way, maybe this paper
        try:
            WANTED.clear()
            NOW_MAKING.update(key=key, background=background)
            yield say
        finally:
            NOW_MAKING.update(key=None, background=False)
            MAKING.release()

    def make_here(self, con, key: str, *, area_id: str, period: calendar.Period, say: Callable[[float, str], None],
                  background: bool = False) -> None:
        """The build itself, in this process (make holds the lock; report/worker.py runs it in a worker's)."""
        say(0.02, "Reading the figures")

        def section(done: int, total: int) -> None:
            if background and WANTED.is_set():
                raise GaveWay(key)
            say(0.05 + 0.8 * done / max(total, 1),
                f"Reading the figures and drawing the charts: priority {done + 1} of {total}")

        with charts_kept_by(self.chart):
            content = paper_content(con, area_id=area_id, period=period, progress=section)
        for number, fmt in enumerate(FORMATS):
            say(0.86 + 0.07 * number, f"Typesetting the {fmt.upper()}")
            write_whole(self.paper_path(key, fmt), render(content, fmt))
        del content
        say(1.0, "Ready")
        self.prune()

    def prune(self) -> None:
        """Only the newest PAPERS_KEPT papers, and charts used in the last CHART_DAYS days, are kept (and no
        half-written file a stopped build left a day ago)."""
        used: dict[str, float] = {}
        old: list[Path] = []
        now = time.time()
        for path in [*self.folder.glob("papers/*"), *self.folder.glob("charts/*")]:
            try:
                modified = path.stat().st_mtime
            except FileNotFoundError:
                continue  # pruned by another process meanwhile
            if path.name.startswith("."):
                if modified < now - 86400:
                    old.append(path)
            elif path.parent.name == "papers":
                used[path.stem] = max(used.get(path.stem, 0.0), modified)
            elif modified < now - CHART_DAYS * 86400:
                old.append(path)
        dropped = set(sorted(used, key=used.__getitem__, reverse=True)[PAPERS_KEPT:])
        old += [self.paper_path(key, fmt) for key in dropped for fmt in FORMATS]
        for path in old:
            path.unlink(missing_ok=True)
