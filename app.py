"""Entry point: page config, the database check, global filters and navigation.

Served by `streamlit run serve.py` (security headers around it). Page scripts live in app_pages/ (not pages/, which
Streamlit's legacy router would serve on a deep link without running this file).
"""
from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Partnership performance dashboard", layout="wide")

import datastore  # noqa: E402
from components.chrome import PageEnded, attribution_footer, dataset_banner, page_chrome, provisional_banner  # noqa: E402
from components.connection import connection, serving_notice  # noqa: E402
from components.filters import render_filters  # noqa: E402
from components.heap import freeze_long_lived  # noqa: E402
from components.identity import sign_in_panel  # noqa: E402
from components.page_errors import show_server_error  # noqa: E402
from components.paper import make_default_in_background  # noqa: E402

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", default=True),  # served at /
    st.Page("app_pages/priority_explorer.py", title="Priority explorer", url_path="explorer"),
    st.Page("app_pages/victim_satisfaction.py", title="Victim satisfaction", url_path="satisfaction"),
    st.Page("app_pages/missing_persons.py", title="Missing persons", url_path="missing-persons"),
    st.Page("app_pages/savings.py", title="Savings", url_path="savings"),
    st.Page("app_pages/similar_forces.py", title="Similar forces", url_path="similar-forces"),
    st.Page("app_pages/what_if.py", title="What-if", url_path="what-if"),
    st.Page("app_pages/ad_hoc.py", title="Ad hoc tables", url_path="ad-hoc"),
    st.Page("app_pages/commentary.py", title="Commentary", url_path="commentary"),
    st.Page("app_pages/paper.py", title="Panel paper", url_path="paper"),
    st.Page("app_pages/data.py", title="Data", url_path="data"),
    st.Page("app_pages/returns.py", title="Returns", url_path="returns"),
    st.Page("app_pages/what_changed.py", title="What changed", url_path="what-changed"),
    st.Page("app_pages/about.py", title="About", url_path="about"),
    st.Page("app_pages/accessibility.py", title="Accessibility statement", url_path="accessibility"),
]

freeze_long_lived()  # before this run makes anything: Streamlit's collection after it walks only what is new


def open_database() -> None:
    """Build the demo on a first start (no file and no link); stop with a plain message if nothing can be served."""
    path = datastore.database_path()
    try:
        if not path.exists() and not path.is_symlink():
            with st.spinner("First start: building the demo database (real police.uk data and synthetic partner data)…"):
                datastore.ensure_demo(path)
        try:
            connection()
        except datastore.OutdatedDatabase as outdated:
            with st.spinner(f"Upgrading the database from schema version {outdated.found} (built by an earlier version "
                            "of the dashboard); the file as it was is kept as the previous snapshot…"):
                datastore.upgrade_outdated(path)
            connection()
    except datastore.DatabaseProblem as problem:
        show_problem(str(problem))
    except Exception as error:  # a failed build must still end in words, not a traceback
        show_problem(f"The demo database could not be built at {path.name}: {datastore.plain(error)}")
    notice = serving_notice()
    if notice:
        st.warning(notice, icon="⚠️")


def show_problem(message: str) -> None:
    st.title("Partnership performance dashboard")
    st.error(message, icon="⚠️")
    st.stop()


open_database()
make_default_in_background()  # after a publication or a start, so the paper is usually made before it is opened
if st.query_params.get("mode") == "panel":
    # The meeting screen: no sidebar, filters or footer; the area and period come from the URL.
    panel = st.navigation([st.Page("app_pages/panel.py", title="Panel mode", url_path="panel", default=True)],
                          position="hidden")
    page_chrome(panel.title, with_sidebar=False)
    try:
        panel.run()
    except Exception:  # st.stop and st.rerun are not Exceptions, so they pass
        show_server_error(panel.title)
    st.stop()
navigation = st.navigation(PAGES)
page_chrome(navigation.title)
render_filters(navigation.url_path)
sign_in_panel()
dataset_banner()
provisional_banner(navigation.url_path)
try:
    navigation.run()
except PageEnded:
    pass  # the page said all it has to say; the footer follows
except datastore.DatabaseProblem as problem:  # the file became unreadable while serving, with nothing earlier to show
    show_problem(str(problem))
except Exception:  # anything else: words on the page, the traceback only in the server log
    show_server_error(navigation.title)
attribution_footer()
