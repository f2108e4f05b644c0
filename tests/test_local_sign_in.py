"""The README's local sign-in steps: the secrets file they write is accepted, never overwritten, and git-ignored."""
from __future__ import annotations

import subprocess
import sys
import tomllib

from conftest import PROJECT_ROOT

from access import cookie_secret_problem

SCRIPT = PROJECT_ROOT / "scripts" / "local_sign_in.py"


def run(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60)


def test_the_script_writes_an_auth_section_the_app_accepts(tmp_path):
    out = tmp_path / "secrets.toml"
    done = run("--provider", "http://127.0.0.1:9400", "--app", "http://127.0.0.1:8501", "--out", str(out))
    assert done.returncode == 0, done.stderr
    auth = tomllib.loads(out.read_text(encoding="utf-8"))["auth"]
    assert auth["server_metadata_url"] == "http://127.0.0.1:9400/.well-known/openid-configuration"
    assert auth["redirect_uri"] == "http://127.0.0.1:8501/oauth2callback"
    assert cookie_secret_problem(auth["cookie_secret"]) is None
    second = tmp_path / "again.toml"
    run("--out", str(second))
    assert tomllib.loads(second.read_text(encoding="utf-8"))["auth"]["cookie_secret"] != auth["cookie_secret"]


def test_an_existing_secrets_file_is_left_as_it_is(tmp_path):
    out = tmp_path / "secrets.toml"
    out.write_text("[auth]\nmine = true\n", encoding="utf-8")
    done = run("--out", str(out))
    assert done.returncode == 2 and done.stderr.startswith("error:") and "Traceback" not in done.stderr
    assert out.read_text(encoding="utf-8") == "[auth]\nmine = true\n"


def test_the_secrets_file_is_ignored_by_git():
    done = subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=PROJECT_ROOT)
    if done.returncode == 128:  # not a git checkout (a downloaded archive): nothing to commit it to
        return
    assert done.returncode == 0, ".streamlit/secrets.toml must be in .gitignore"
