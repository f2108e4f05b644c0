"""Serve the dashboard: `streamlit run serve.py` (the pages are app.py's).

st.App wraps the server in components/web_guard.py, so every response, the first page load
included, carries the security headers, the sign-in cookies live only as long as a sign-in
(core/settings.toml), and no browser can clear the server's caches. The malloc arenas are capped first
(components/heap.py), before the server makes its threads.
"""
from components.heap import cap_malloc_arenas

cap_malloc_arenas()

import streamlit as st  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from components.first_load import FirstLoad  # noqa: E402
from components.web_guard import WebGuard  # noqa: E402
from core.settings import settings  # noqa: E402

app = st.App("app.py", middleware=[
    Middleware(WebGuard, cookie_max_age_seconds=int(settings().sign_in_max_age.total_seconds())),
    Middleware(FirstLoad)])
