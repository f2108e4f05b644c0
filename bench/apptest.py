"""Server-side reruns of a page through Streamlit's AppTest: wall-clock and CPU time per rerun.

The machine is shared, so wall-clock time depends on what else runs; the process's CPU time
(AppTest runs the script in a thread of this process) is what the rerun itself costs.
"""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from streamlit.testing.v1 import AppTest

from bench import APP


@dataclass(frozen=True)
class Reruns:
    """One page's first run and its reruns, in seconds."""

    first: float
    wall: tuple[float, ...]
    cpu: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def p95(self) -> float:
        return percentile(self.wall, 95)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def percentile(values, q: float) -> float:
    """The q-th percentile by the nearest-rank method (p95 of 20 values is the 19th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100)
    return ordered[int(rank) - 1]


# A well-formed [auth] section for a signed-in AppTest; AppTest never calls the provider.
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "bench-only-cookie-secret-Qm7Zp3Xw",
        "client_id": "dashboard-bench", "client_secret": "bench-only",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def page_reruns(page: str | None, reruns: int, timeout: float = 300, signed_in: str | None = None,
                **query_params: str) -> Reruns:
    """Open the app with the query parameters (signed in as the e-mail address `signed_in`, if given), switch to
    the page, then rerun it `reruns` times.

    The first run of the page (cold caches) is reported apart from the reruns.
    """
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    if signed_in is not None:
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": signed_in, "name": signed_in.split("@")[0], "email_verified": True,
                   "iat": int(time.time())}
    for key, value in query_params.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page)
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page} raised: {at.exception[0].message}")
    wall, cpu = [], []
    for _ in range(reruns):
        started, started_cpu = time.perf_counter(), time.process_time()
        at.run()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    if at.exception:
        raise RuntimeError(f"{page} raised on a rerun: {at.exception[0].message}")
    return Reruns(first, tuple(wall), tuple(cpu))
