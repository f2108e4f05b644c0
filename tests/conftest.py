"""Shared fixtures: a demo database built once per test session."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"
POLICE_UK_RAW = SHARED / "data" / "police-uk" / "leicestershire"
sys.path.insert(0, str(PROJECT_ROOT))

from ingest.demo import build_demo  # noqa: E402

FORCE = "E23000021"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "dashboard.duckdb"
    build_demo(path)
    return path


@pytest.fixture
def demo_con(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    """A private writable copy of the demo database."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, path)
    return path


@pytest.fixture
def app_env(demo_db, monkeypatch):
    """Point the app at the session's demo database."""
    monkeypatch.setenv("DASHBOARD_DB", str(demo_db))
    monkeypatch.chdir(PROJECT_ROOT)
    return demo_db


def raw_police_uk_files() -> list[Path]:
    files = sorted(POLICE_UK_RAW.glob("*.csv.gz"))
    if not files:
        pytest.skip(f"raw police.uk files not found in {POLICE_UK_RAW}")
    return files


@pytest.fixture(scope="session")
def server(demo_db):
    """A Streamlit server on 127.0.0.1 over the demo, for browser tests (chromium required)."""
    from browser import require_chromium, streamlit_server

    require_chromium()
    with streamlit_server(PROJECT_ROOT, demo_db) as url:
        yield url
