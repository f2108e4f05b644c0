"""Folders the app keeps derived files in (the paper's, the Overview tables')."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def kept_beside(database: Path, suffix: str) -> Path:
    """`<database name><suffix>` beside the database (every snapshot of it shares the folder), or, where the
    database's folder cannot be written, a folder in the temporary folder named after the database's path (not
    the snapshot a link points at, so it stays the same across publications)."""
    folder = Path(database).parent / f"{Path(database).name}{suffix}"
    try:
        folder.mkdir(exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    name = hashlib.sha256(str(Path(database).absolute()).encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"dashboard-{name}{suffix}"
    folder.mkdir(exist_ok=True)
    return folder
