"""Every page as an anonymous visitor, with hostile URL parameters and hostile stored text (issue 23, items 4
and 5): no link or image to another host, no script, no traceback, no staff e-mail address."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import ANALYST_EMAIL, PROJECT_ROOT, shown, signed_in_app
from hostile_input import (
    EVIL,
    HOSTILE_GROUP,
    HOSTILE_VALUES,
    REBASE_PARAMS,
    STORED_TEXT_PARAMS,
    app_pages,
    page_problems,
    shared_hostile_database,
    staff_addresses,
    url_parameter_names,
)
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from analysis.calendar import month_label

APP = str(PROJECT_ROOT / "app.py")
APP_SOURCE = Path(APP).read_text(encoding="utf-8")
PANEL_PARAMETERS = ("area", "period", "quarter", "fy", "from", "to", "small_n", "advance", "attention")


pytestmark = pytest.mark.xdist_group(HOSTILE_GROUP)


@pytest.fixture(scope="module")
def hostile_db(demo_db, tmp_path_factory):
    return shared_hostile_database(demo_db, tmp_path_factory)


@pytest.fixture
def hostile_env(hostile_db, monkeypatch):
    import components.paper

    monkeypatch.setenv("DASHBOARD_DB", str(hostile_db))
    monkeypatch.chdir(PROJECT_ROOT)
    # Typesetting the PDF takes minutes on a busy machine and draws nothing on the page (a download); the HTML
    # preview, which the page draws, is the real one.
    real = components.paper.paper_file
    monkeypatch.setattr(components.paper, "paper_file",
                        lambda area_id, period, fmt: b"%PDF stand-in" if fmt == "pdf" else real(area_id, period, fmt))
    return hostile_db


def hostile_parameters(shift: int) -> dict[str, str]:
    """Every parameter the app reads, each with a hostile value (a different one per parameter and shift)."""
    names = [n for n in url_parameter_names() if n != "mode"]
    return {name: HOSTILE_VALUES[(number + shift) % len(HOSTILE_VALUES)] for number, name in enumerate(names)}


def arrive(page: str, params: dict[str, str], at: AppTest | None = None) -> AppTest:
    """A new visitor opening app_pages/<page>.py's address with these parameters: the page's first run reads them.
    AppTest.switch_page before a first run only knows a page by its file name, so the page is asked for by the hash
    Streamlit gives it (st.Page hashes its url_path), as a browser opening /<url_path> does."""
    if at is None:
        at = AppTest.from_file(APP, default_timeout=240)
    url_path = re.search(rf'st\.Page\("{re.escape(page)}"[^)]*?url_path="([^"]+)"', APP_SOURCE)
    if url_path:  # the Overview, the default page, has none
        at._page_hash = calc_hash(url_path.group(1))
    at.query_params.update(params)
    return at.run()


def visit(at: AppTest, page: str | None, params: dict[str, str]) -> AppTest:
    if page is not None:
        at.switch_page(page)
    at.query_params.clear()
    at.query_params.update(params)
    at.run()
    return at


def page_title(page: str) -> str:
    """The title app.py's st.Page gives this page file."""
    return re.search(rf'st\.Page\("{re.escape(page)}"[^)]*?title="([^"]+)"', APP_SOURCE).group(1)


# One test per page, so that parallel workers share the walk.
@pytest.mark.parametrize("number, page", enumerate(app_pages()), ids=lambda value: str(value).split("/")[-1])
def test_every_page_with_hostile_url_parameters_or_stored_text_shows_no_link_image_or_traceback(hostile_env, number,
                                                                                               page):
    problems = {}
    runs = [STORED_TEXT_PARAMS, hostile_parameters(2 * number), hostile_parameters(2 * number + 1)]
    if page.endswith("paper.py"):  # keep its quarter: the paper's content is then read once
        runs[1:] = [{**params, "quarter": STORED_TEXT_PARAMS["quarter"]} for params in runs[1:]]
    if page.endswith("priority_explorer.py"):
        runs.append(REBASE_PARAMS)
    for run, params in enumerate(runs):
        at = arrive(page, params)
        assert at.title, (page, run)  # the page was drawn (a stop before its title would hide its content)
        assert at.title[0].value == page_title(page), (page, run)  # the address opened its own page
        found = page_problems(at) + [f"staff e-mail {a}" for a in staff_addresses(at)]
        if found:
            problems[(page, run)] = found
    assert problems == {}


PANEL_RUNS = [{**STORED_TEXT_PARAMS, "mode": "panel"}]
PANEL_RUNS += [{"mode": "panel", **dict.fromkeys(PANEL_PARAMETERS, value)} for value in HOSTILE_VALUES]
# A quarter with no stored commentary: its hostile text is shown (escaped) in Q1 2021/22, which run 0 checks.
PANEL_RUNS += [{"mode": "panel", "quarter": "Q2 2021/22", name: HOSTILE_VALUES[number % len(HOSTILE_VALUES)]}
               for number, name in enumerate(PANEL_PARAMETERS)]


# One test per address, so that parallel workers share them.
@pytest.mark.parametrize("run, params", enumerate(PANEL_RUNS), ids=[f"run{run}" for run in range(len(PANEL_RUNS))])
def test_panel_mode_with_hostile_url_parameters_shows_no_link_image_or_traceback(hostile_env, run, params):
    at = visit(AppTest.from_file(APP, default_timeout=240), None, params)
    if run:  # the address's values are never repeated, even as text (the stored commentary is shown in run 0)
        text = " ".join([*(e.value for e in at.error), *(h.proto.body for h in at.get("html"))])
        assert EVIL not in text.replace("\\", ""), (run, text[:300])
    found = page_problems(at) + [f"staff e-mail {a}" for a in staff_addresses(at)]
    assert found == []


def test_a_reason_typed_into_the_what_if_address_is_shown_as_text(hostile_env):
    month = month_label(pd.Period("2021-06", "M"))
    reason = "[sign in](https://evil.example/login) ![i](https://evil.example/i.png)"
    at = arrive("app_pages/what_if.py", {"wi_measure": "ASB incidents", "wi_exclude": month, "wi_why_2021-06": reason},
                at=signed_in_app(hostile_env, role=None, email=ANALYST_EMAIL))
    assert [t.value for t in at.text_input if t.key == "wi_why_2021-06"] == [reason]  # the address reached the page
    assert page_problems(at) == []
    assert any(reason in shown(m.value) for m in at.markdown)  # shown, as its own characters
