"""Several processes behind haproxy (#22 item 2): `python -m replicas` as the README runs it, two browser sessions
on different replicas, and a co-ordinator's commentary published through one seen through the other."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import as_shown, auth_secrets, choose, chromium_page, free_port, oidc_provider, require_chromium, sign_in, wait_idle
from conftest import COORDINATOR_EMAIL, PROJECT_ROOT
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import replicas

QUARTER = "Q1+2021%2F22"


def require_haproxy() -> None:
    """Skip on a developer machine without haproxy; in CI a missing load balancer is a failure."""
    try:
        replicas.require_haproxy()
    except replicas.ReplicasFailed as missing:
        if os.environ.get("CI"):
            pytest.fail(str(missing))
        pytest.skip(str(missing))


def test_generated_haproxy_configuration_is_valid(tmp_path):
    require_haproxy()
    config = tmp_path / "haproxy.cfg"
    config.write_text(replicas.haproxy_config("127.0.0.1", free_port(), [free_port(), free_port()]))
    checked = subprocess.run([replicas.require_haproxy(), "-c", "-f", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_readme_shows_the_configuration_the_command_writes():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```\n{replicas.haproxy_config('127.0.0.1', 8501, [8511, 8512])}```" in readme
    assert "--port 8501 --replica-ports 8511,8512" in readme  # the command that writes it


def answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}{replicas.HEALTH}", timeout=2)
        return True
    except OSError:
        return False


def active_sessions(port: int) -> int:
    """Sessions with an open websocket in the replica on port (Streamlit's own metrics, asked of it directly)."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics?families=active_sessions",
                                  timeout=5).read().decode()
    return int(re.search(r"^active_sessions (\d+)", text, re.M).group(1))


@contextmanager
def launched(db, front: int, ports: list[int], *streamlit_options: str):
    """`python -m replicas` as the README runs it, over db: yields its process once the front answers
    (haproxy starts only after every replica answers its health check); SIGTERM if still running at the end."""
    log = tempfile.TemporaryFile()
    launcher = subprocess.Popen(
        [sys.executable, "-m", "replicas", "--replicas", str(len(ports)), "--port", str(front),
         "--replica-ports", ",".join(map(str, ports)), "--", *streamlit_options],
        cwd=PROJECT_ROOT, env={**os.environ, "DASHBOARD_DB": str(db)}, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while not answers(front):
            if launcher.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"python -m replicas did not start:\n{log.read().decode(errors='replace')}")
            time.sleep(0.5)
        yield launcher
    finally:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGTERM)
            launcher.wait(timeout=40)
        log.close()


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def is_replica(pid: int) -> bool:
    return b"streamlit" in Path(f"/proc/{pid}/cmdline").read_bytes()


@pytest.fixture
def replica_set(demo_db, tmp_path):
    """`python -m replicas --replicas 2` over a copy of the demo, with sign-in through a local provider.
    Yields (front URL, the replicas' ports, the launcher's process); stops it with SIGTERM and checks that
    every replica has gone."""
    require_chromium()
    require_haproxy()
    db = tmp_path / "dashboard.duckdb"
    shutil.copy(demo_db.resolve(), db)
    front, ports = free_port(), [free_port(), free_port()]
    with oidc_provider([COORDINATOR_EMAIL]) as provider:
        secrets = auth_secrets(tmp_path, front, provider)
        with launched(db, front, ports, "--secrets.files", str(secrets)) as launcher:
            yield f"http://127.0.0.1:{front}", ports, launcher
    assert launcher.returncode == 0
    assert not any(answers(port) for port in [front, *ports])  # SIGTERM stopped haproxy and both replicas


def test_ctrl_c_stops_haproxy_and_every_replica(demo_copy):
    require_haproxy()
    front, ports = free_port(), [free_port(), free_port()]
    with launched(demo_copy, front, ports) as launcher:
        spawned = children(launcher.pid)
        assert len(spawned) == 3  # two replicas and haproxy
        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=40) == 0
    assert not any(answers(port) for port in [front, *ports])
    assert not any(Path(f"/proc/{pid}").exists() for pid in spawned)


def test_a_replica_that_stops_takes_the_set_down_for_the_service_manager_to_restart(demo_copy):
    require_haproxy()
    front, ports = free_port(), [free_port(), free_port()]
    with launched(demo_copy, front, ports) as launcher:
        spawned = children(launcher.pid)
        os.kill(next(pid for pid in spawned if is_replica(pid)), signal.SIGKILL)
        assert launcher.wait(timeout=40) == 1
    assert not any(answers(port) for port in [front, *ports])
    assert not any(Path(f"/proc/{pid}").exists() for pid in spawned)


def replica_of(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == replicas.STICKY_COOKIE)


def wait_for_sessions(ports: list[int], expected: list[int], timeout_s: float = 30) -> list[int]:
    """Each replica's count of open sessions once it is as expected (a closed page's websocket goes a moment
    after), or the last counts seen."""
    deadline = time.monotonic() + timeout_s
    while (seen := [active_sessions(port) for port in ports]) != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    return seen


@pytest.mark.browser
def test_two_sessions_land_on_different_replicas_and_a_write_through_one_is_seen_through_the_other(replica_set):
    url, ports, _ = replica_set
    note = f"Published through one replica, read through the other ({int(time.time())})."
    with chromium_page() as writer, chromium_page() as reader:
        writer_context, reader_context = writer.context, reader.context
        sign_in(writer, url, COORDINATOR_EMAIL)
        writer.goto(f"{url}/commentary?area=Charnwood&quarter={QUARTER}")
        writer.get_by_role("heading", name="Write or edit").wait_for(timeout=60000)
        wait_idle(writer)
        reader.goto(f"{url}/commentary?area=Charnwood&quarter={QUARTER}")  # the public, not signed in
        reader.get_by_text("No published commentary for Charnwood").wait_for(timeout=60000)
        wait_idle(reader)

        # Different replicas: haproxy's cookie names each browser's replica, and each replica process
        # (asked on its own port, not through haproxy) holds exactly one open session.
        assert sorted([replica_of(writer_context), replica_of(reader_context)]) == ["replica1", "replica2"]
        assert wait_for_sessions(ports, [1, 1]) == [1, 1]

        writer.locator('textarea[aria-label="Commentary"]').fill(note)
        for _ in range(3):  # a rerun still drawing the page can swallow a click
            writer.get_by_role("button", name="Publish", exact=True).click()
            wait_idle(writer)
            try:
                writer.get_by_test_id("stMain").get_by_text(as_shown(note)).first.wait_for(timeout=20000)
                break
            except PlaywrightTimeout:
                continue
        else:
            pytest.fail("the co-ordinator's commentary was not published through their replica")

        # The reader's next interactions, in its own replica, show the snapshot the writer's replica published.
        choose(reader, "Area", "Blaby")
        reader.get_by_text("No published commentary for Blaby").wait_for(timeout=60000)
        wait_idle(reader)
        choose(reader, "Area", "Charnwood")
        reader.get_by_test_id("stMain").get_by_text(as_shown(note)).first.wait_for(timeout=60000)
        assert reader.get_by_text("No published commentary for Charnwood").count() == 0
        assert sorted([replica_of(writer_context), replica_of(reader_context)]) == ["replica1", "replica2"]
        assert wait_for_sessions(ports, [1, 1]) == [1, 1]  # still one session each: nobody moved


def test_a_front_port_already_taken_is_refused_in_words_before_anything_starts(demo_copy):
    require_haproxy()
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "replicas", "--replicas", "2", "--port", str(port)],
                                cwd=PROJECT_ROOT, env={**os.environ, "DASHBOARD_DB": str(demo_copy)},
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: 127.0.0.1:{port} cannot be used for the front")
    assert "Traceback" not in result.stderr
