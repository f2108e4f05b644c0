"""The README's commands work as written, and print what the README says they print.

Every line of a fenced block that starts a command is either run here (on a fresh demo
database standing in for data/dashboard.duckdb) or named below with why it is not: a
server that never ends, set-up of the machine, or a template with names to fill in.
"""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
README = PROJECT_ROOT / "README.md"
COMMAND_START = re.compile(r"^\s*(?:\.venv/bin/)?python3? (?:-m |scripts/)")
PLACEHOLDER = re.compile(r"\b(?:ID|FILE|PARTNER|N|TEXT|YYYY-MM|PATH|NEW_PATH)\b")
SECONDS = 30  # the quick commands; slower ones have their own tests

# Why a command shown in the README is not run here, by the start of its text.
NOT_RUN = {
    "python3 -m venv": "sets up the machine (the test run itself is that set-up)",
    "-m streamlit run": "starts a server that runs until stopped (browser tests start it)",
    "-m oidc_provider_mock": "starts a sign-in provider that runs until stopped (tests/test_local_sign_in.py)",
    "scripts/local_sign_in.py": "writes this checkout's .streamlit/secrets.toml (tests/test_local_sign_in.py runs it)",
    "-m replicas": "starts haproxy and replicas that run until stopped (tests/test_replicas.py)",
    "-m report": "typesets the whole paper, over 30 s (tests/test_paper.py runs it)",
}


def readme_commands() -> list[str]:
    """Each command line of the README's fenced blocks, continuation lines joined."""
    text = README.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if COMMAND_START.match(line):
                commands.append(" ".join(line.split()))
    return commands


def reason_not_run(command: str) -> str | None:
    for start, reason in NOT_RUN.items():
        if start in command:
            return reason
    if PLACEHOLDER.search(re.sub(r"\[[^\]]*\]", "", command.split("#")[0])):
        return "a template: its capitals are names to fill in"
    return None


def runnable(command: str, db: Path, out: Path) -> tuple[list[str], str]:
    """The command as argv on the test's database, and the output its comment promises ("" if none)."""
    text, _, comment = command.partition("#")
    text = re.sub(r"\[[^\]]*\]", "", text)  # optional parts left out
    argv = shlex.split(text)
    argv[0] = sys.executable
    argv = [str(db) if word == "data/dashboard.duckdb" else word for word in argv]
    argv = [str(out / word) if word.endswith((".pdf", ".html")) else word for word in argv]
    return argv, comment.strip()


def test_every_readme_command_is_run_here_or_has_a_reason_not_to_be():
    commands = readme_commands()
    run = [command for command in commands if reason_not_run(command) is None]
    assert len(commands) >= 10, commands  # the parser still finds the README's commands
    assert any("spc_cli check" in command for command in run)
    assert any("ingest rebase" in command for command in run)
    assert any("ingest role" in command for command in run)


def test_the_readmes_quick_commands_run_and_print_what_it_says(tmp_path):
    db = tmp_path / "dashboard.duckdb"
    commands = [command for command in readme_commands() if reason_not_run(command) is None]
    # The demo build first: every other command reads the database it makes.
    commands.sort(key=lambda command: "ingest demo" not in command)
    assert "ingest demo" in commands[0]
    for command in commands:
        argv, promised = runnable(command, db, tmp_path)
        result = subprocess.run(argv, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=SECONDS)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        if re.search(r"\d", promised):  # a comment with figures is what the command prints
            assert promised in result.stdout, f"{command}: README says {promised!r}; printed:\n{result.stdout}"


def test_the_demo_database_is_the_size_the_readme_states(demo_db):
    stated = re.search(r"the demo database is about (\d+) MB", README.read_text(encoding="utf-8"))
    assert stated, "the README states the demo database's size"
    megabytes = demo_db.stat().st_size / 1e6
    assert megabytes == pytest.approx(int(stated.group(1)), rel=0.15), megabytes
