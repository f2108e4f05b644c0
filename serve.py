"""Serve the dashboard: `streamlit run serve.py` (the pages are app.py's).

st.App wraps the server in components/web_guard.py, so every response, the first page load
included, carries the security headers, the sign-in cookies live only as long as a sign-in
(core/settings.toml), and no browser can clear the server's caches.
"""
import streamlit as st
from starlette.middleware import Middleware

from components.web_guard import WebGuard
from core.settings import settings

app = st.App("app.py", middleware=[
    Middleware(WebGuard, cookie_max_age_seconds=int(settings().sign_in_max_age.total_seconds()))])
