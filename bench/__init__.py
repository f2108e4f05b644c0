"""The national-scale benchmark (`python -m bench`) and the timing helpers scripts/benchmark.py shares.

Not part of the test run (a smoke test runs it at a tiny scale). Nothing here is imported by the app.
"""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
APP = PROJECT_ROOT / "app.py"
SERVE = PROJECT_ROOT / "serve.py"  # what the server runs (app.py behind components/web_guard.py)
