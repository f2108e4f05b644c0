"""The suite's own set-up: how many workers `-n auto` starts (tests/conftest.py)."""
from __future__ import annotations

import os

from conftest import pytest_xdist_auto_num_workers


def test_auto_starts_half_as_many_workers_again_as_cores(monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert pytest_xdist_auto_num_workers(None) == 3
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert pytest_xdist_auto_num_workers(None) == 1


def test_the_environment_variable_pytest_xdist_documents_still_sets_the_number(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", "5")
    assert pytest_xdist_auto_num_workers(None) == 5
