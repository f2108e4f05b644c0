"""Shared fixtures: a demo database built once per test session (once for all pytest-xdist workers)."""
from __future__ import annotations

import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"  # shipped with the project: see tests/fixtures/SOURCE.md
POLICE_UK_RAW = FIXTURES / "police_uk"
REFERENCE_VECTORS = FIXTURES / "spc" / "reference_vectors.json"
sys.path.insert(0, str(PROJECT_ROOT))
# No paper is made in the background by the apps and servers tests start (each would typeset one on a busy machine);
# tests/test_paper_cache.py turns it on where it is tested.
os.environ["DASHBOARD_PAPER_IN_BACKGROUND"] = "0"
# Nor are the Overview tables built ahead (components/overview_data.py): tests/test_overview_store.py turns it on.
os.environ["DASHBOARD_OVERVIEW_WARM_UP"] = "0"

from ingest.demo import build_demo  # noqa: E402

FORCE = "E23000021"


ANALYST_EMAIL, COORDINATOR_EMAIL = "analyst@example.org", "co-ordinator@example.org"


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto`: half as many workers again as cores (3 on 2). A worker spends much of its time waiting (on a
    server or chromium, a subprocess, a sleep), so with one per core the cores sat idle about a third of the run.
    PYTEST_XDIST_AUTO_NUM_WORKERS still sets the number, as pytest-xdist documents."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return int(os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"])
    cores = len(os.sched_getaffinity(0))
    return cores + cores // 2


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo, with an analyst and a co-ordinator granted, so read-only tests can sign them in. One file for the
    whole run, read by every worker (the_session_demo_is_left_as_it_was keeps it unchanged): the paper its pages
    typeset is kept beside it (report/cache.py), so each paper is typeset once in the run, not once per worker."""
    from access import operator
    from ingest.roles import grant_role

    built = built_once(tmp_path_factory, "demo")
    with shared_by_workers(tmp_path_factory, "demo-granted") as folder:
        path, ready = folder / "dashboard.duckdb", folder / "granted"
        if not ready.exists():
            for left in folder.iterdir():  # a worker that failed half way (the grants publish snapshots here)
                shutil.rmtree(left) if left.is_dir() and not left.is_symlink() else left.unlink()
            shutil.copy(built, path)
            grant_role(path, principal=ANALYST_EMAIL, kind="email", role="analyst", actor=operator())
            grant_role(path, principal=COORDINATOR_EMAIL, kind="email", role="coordinator", actor=operator())
            ready.touch()
    return path


def built_once(tmp_path_factory, name: str, **build_args) -> Path:
    """The demo built once in the whole run (by the first worker to ask), for the fixtures to copy (demo_db's
    granted file, the shared servers', the private copies): the build is paid once."""
    with shared_by_workers(tmp_path_factory, name) as folder:
        built = folder / "dashboard.duckdb"
        if not built.exists():  # the build links its file into place whole
            build_demo(built, **build_args)
    return built


@contextmanager
def shared_by_workers(tmp_path_factory, name: str):
    """A folder for the whole run, held under a lock: under pytest-xdist every worker has its own base temp below
    the run's, so what one worker makes there once (the typeset paper) the others read instead of making again."""
    import fcntl

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    folder = root / name
    folder.mkdir(exist_ok=True)
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture
def demo_con(demo_db):
    """The session demo, read-only, on one DuckDB thread as the app reads it (datastore.open_read_only)."""
    import queries

    con = duckdb.connect(str(demo_db), read_only=True)
    queries.execute(con, "core/one_thread")
    yield con
    con.close()


# The session demo never changes (the_session_demo_is_left_as_it_was), so what readers derive from it (disclosure
# control's withheld totals: datastore.derived_once) is kept for the whole run, as the app keeps it per snapshot.
DEMO_DERIVED: dict = {}


@pytest.fixture
def demo_reader(demo_con):
    """The session demo as the app's readers read it: what the public sees, with results derived from the snapshot
    worked out once and kept (each Overview read otherwise worked out disclosure control for every area again)."""
    import datastore
    from core.settings import settings

    kept = DEMO_DERIVED.setdefault(settings().disclosure_threshold, {})  # a test may change the threshold
    return datastore.reader(demo_con, datastore.public_visibility(demo_con), kept)


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


def require_fixture(path: Path) -> Path:
    """A fixture the project ships; its absence is a failure that names it, never a skip."""
    if not path.exists():
        pytest.fail(f"test fixture missing: {path} (the project ships it; see tests/fixtures/SOURCE.md)")
    return path


def raw_police_uk_files() -> list[Path]:
    files = sorted(require_fixture(POLICE_UK_RAW).glob("*.csv.gz"))
    if len(files) != 29:
        pytest.fail(f"expected the 29 monthly police.uk files in {POLICE_UK_RAW}, found {len(files)}")
    return files


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A Streamlit server on 127.0.0.1 over the demo (ANALYST_EMAIL and COORDINATOR_EMAIL granted, no sign-in), for
    browser tests (chromium required): one for the whole run, shared by every worker. Its tests only read."""
    from browser import require_chromium

    require_chromium()
    return shared_server(tmp_path_factory, "server")[0]


def shared_server(tmp_path_factory, name: str, *, granted: tuple[str, ...] = (), users: tuple[str, ...] = (),
                  unverified: tuple[str, ...] = ()) -> tuple[str, Path]:
    """(URL, database) of a server over its own copy of the demo, started once in the run by the first worker to
    ask (tests/shared_server.py; a server's start and first page cost tens of seconds of CPU), `granted` made
    co-ordinators on top of the demo_db grants, with sign-in through a local provider offering `users` when given.
    It stops when the run's pytest ends, however it ends."""
    import json
    import subprocess
    import time

    from access import operator
    from ingest.roles import grant_role

    with shared_by_workers(tmp_path_factory, name) as folder:
        state = folder / "server.json"
        if not state.exists():
            db = folder / "dashboard.duckdb"
            shutil.copy(built_once(tmp_path_factory, "demo"), db)
            for email, role in [(ANALYST_EMAIL, "analyst"), (COORDINATOR_EMAIL, "coordinator"),
                                *((email, "coordinator") for email in granted)]:
                grant_role(db, principal=email, kind="email", role=role, actor=operator())
            # Watched: the controller of an xdist run (each worker's parent), else this process.
            watched = os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()
            with open(folder / "host.log", "wb") as log:
                host = subprocess.Popen(
                    [sys.executable, str(PROJECT_ROOT / "tests" / "shared_server.py"), str(state), str(watched), str(db),
                     *(["--users", *users] if users else []), *(["--unverified", *unverified] if unverified else [])],
                    cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            deadline = time.monotonic() + 600
            while not state.exists():
                if host.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the shared {name} did not start:\n{(folder / 'host.log').read_text(errors='replace')}")
                time.sleep(0.2)
        started = json.loads(state.read_text(encoding="utf-8"))
    from browser import SERVER_PIDS

    SERVER_PIDS[started["url"]] = started["pid"]
    return started["url"], folder / "dashboard.duckdb"


def table_checksum(db_path) -> str:
    """A digest of every table's columns and rows, whatever their order: equal digests mean equal contents. Each row
    is hashed in DuckDB and the hashes summed (with the count), which costs a tenth of reading every table out."""
    import hashlib

    con = duckdb.connect(str(Path(db_path).resolve()), read_only=True)
    try:
        digest = hashlib.sha256()
        columns = con.execute("SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c "
                              "JOIN information_schema.tables t USING (table_schema, table_name) "
                              "WHERE t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position").fetchall()
        digest.update(repr(columns).encode())
        for table in dict.fromkeys(name for name, _, _ in columns):
            rows = con.execute(f'SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM "{table}" AS t').fetchone()
            digest.update(f"{table} {rows[0]} {rows[1]}\n".encode())
        return digest.hexdigest()
    finally:
        con.close()


@pytest.fixture(scope="session")
def demo_before_april_built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("before-april") / "dashboard.duckdb"
    shutil.copy(built_once(tmp_path_factory, "demo-before-april", last_month="2022-03"), path)
    return path


@pytest.fixture
def demo_before_april(demo_before_april_built, tmp_path) -> Path:
    """A demo database that stops at March 2022, so April 2022 is unseen: a private copy of one built once per
    session (the tests load into it)."""
    path = tmp_path / "live" / "dashboard.duckdb"
    path.parent.mkdir()
    shutil.copy(demo_before_april_built.resolve(), path)
    return path


def coordinator(identity: str = "co-ordinator@example.org"):
    """A signed-in co-ordinator, as the write functions take their caller."""
    from access import COORDINATOR, Actor

    return Actor(identity, COORDINATOR, "sign-in")


TEST_AUTH = {  # a well-formed [auth] section; AppTest never calls the provider
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "test-only-cookie-secret-KqX5rVw2Lz8TnYb",
    "client_id": "dashboard-tests", "client_secret": "test-only",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def open_page(page: str | None = None, at=None, **query_params):
    """Run the app (or the AppTest given) with these URL parameters, then switch to app_pages/<page>.py;
    fails on any exception on the way."""
    from streamlit.testing.v1 import AppTest

    if at is None:  # not `at or ...`: an AppTest that has not run yet is empty, so falsy
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    for key, value in query_params.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(f"app_pages/{page}.py")
        at.run()
    assert not at.exception, at.exception
    return at


def signed_in_app(db, role: str | None = "coordinator", email: str = "co-ordinator@example.org", **claims):
    """An AppTest of the app with sign-in set up and `email` signed in just now with a verified address, granted
    `role` first (None: no new grant; the session's demo already grants ANALYST_EMAIL and COORDINATOR_EMAIL).
    `claims` replace the ID token's (iat, email_verified, groups...)."""
    import time

    from streamlit.testing.v1 import AppTest

    from access import operator
    from ingest.roles import grant_role

    if role is not None:
        grant_role(db, principal=email, kind="email", role=role, actor=operator())
    # Room for the paper page's first view, which typesets it: minutes on a busy machine.
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=240)
    at.secrets["auth"] = TEST_AUTH
    at.user = {"is_logged_in": True, "email": email, "name": email.split("@")[0], "email_verified": True,
               "iat": int(time.time()), **claims}
    return at


def shown(markdown: str) -> str:
    """Markdown as a reader sees it: backslash escapes and the invisible word joiners that stop autolinks
    (render/safe_text.plain) removed."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


VIEWER_EMAIL = "viewer@example.org"
# Granted co-ordinator on the sign-in server: one whose provider has not verified the address, and one
# the sign-out test signs out (so no other test's co-ordinator is signed out under it).
UNVERIFIED_EMAIL, SIGN_OUT_EMAIL = "unverified@example.org", "signs-out@example.org"


@pytest.fixture(scope="session")
def auth_server(tmp_path_factory):
    """A Streamlit server with sign-in through a local OpenID Connect provider (oidc-provider-mock),
    over its own copy of the demo: a viewer (no grant), ANALYST_EMAIL, COORDINATOR_EMAIL, and UNVERIFIED_EMAIL
    and SIGN_OUT_EMAIL granted co-ordinator. One for the whole run, shared by every worker (see shared_server):
    its tests already shared one per worker, in any order. Returns (url, database path)."""
    from browser import require_chromium

    require_chromium()
    return shared_server(tmp_path_factory, "auth-server", granted=(UNVERIFIED_EMAIL, SIGN_OUT_EMAIL),
                         users=(VIEWER_EMAIL, ANALYST_EMAIL, COORDINATOR_EMAIL, UNVERIFIED_EMAIL, SIGN_OUT_EMAIL),
                         unverified=(UNVERIFIED_EMAIL,))


@pytest.fixture(autouse=True)
def app_test_globals_restored():
    """AppTest swaps in a test's secrets (and a mock runtime) for a run and puts them back only when the run ends in
    time: a run that times out would leave sign-in set up for every later test in the process, which then fails
    (st.user has no is_logged_in) for a reason of its own. Put back after every test, so no test depends on order."""
    import streamlit as st
    from streamlit.runtime import Runtime

    secrets, runtime = st.secrets, Runtime._instance
    yield
    st.secrets, Runtime._instance = secrets, runtime


@pytest.fixture(autouse=True)
def page_failures_fail_the_test(request):
    """app.py shows a page's unexpected failure as a plain sentence, not an exception element, so a test that
    checks `not at.exception` would miss it: any failure logged on `dashboard.pages` fails the test, unless the
    test asks for `expect_page_errors`."""
    import logging

    failures: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = failures.append
    logger = logging.getLogger("dashboard.pages")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    if failures and "expect_page_errors" not in request.fixturenames:
        first = failures[0]
        pytest.fail(f"a page failed: {first.getMessage()}: {first.exc_info[1]!r}" if first.exc_info else first.getMessage())


def file_state(path: Path) -> tuple:
    """What a write changes: publishing points the path at a new snapshot; a write in place changes its file."""
    resolved = path.resolve()
    stat = resolved.stat()
    return resolved, stat.st_ino, stat.st_size, stat.st_mtime_ns


@pytest.fixture(autouse=True)
def the_session_demo_is_left_as_it_was(request):
    """The session's demo (demo_db, app_env, demo_con) is shared by every test of the worker, so a test that writes
    to it (a grant, a load) makes later tests depend on the order, and its new snapshot clears the app's caches for
    all of them: such a test fails here, and should take demo_copy."""
    if "demo_db" not in request.fixturenames:
        yield
        return
    demo = request.getfixturevalue("demo_db")
    before = file_state(demo)
    yield
    if file_state(demo) != before:
        pytest.fail(f"{request.node.nodeid} changed the session's demo database, which its tests only read: "
                    "take a private copy (demo_copy) to write to")


@pytest.fixture
def expect_page_errors():
    """For tests that make a page fail on purpose (see page_failures_fail_the_test)."""


@pytest.fixture(scope="module", autouse=True)
def one_chromium_per_module():
    """The browser tests of a module share one chromium (tests/browser.py), closed when the module's tests end."""
    yield
    if "browser" in sys.modules:
        sys.modules["browser"].close_shared_chromium()
