"""Issue 19 item 5: the SPC rule codes (NHSRplotthedots' names) reach no person: no page, caption, chart table,
chart description or Panel screen says "Points Below CL", "LCL", "UCL" or "trial limits"; the method notes keep them."""
from __future__ import annotations

import ast
import re

import numpy as np
import pytest
from conftest import PROJECT_ROOT, open_page

from analysis import spc

# Whole words, case-sensitive for the limit codes; the rest in any case.
RULE_CODES = re.compile(r"\b(?:LCL|UCL)\b|(?i:points (?:below|above) CL|trial limits|moving range ÷ 1\.128)")
QUARTER = "Q1 2021/22"
PANEL = "app_pages/panel.py"
CONTROL_CHART_VIEWS = [{"priority": "8. Anti-social behaviour", "view": "Control chart"},
                       {"priority": "11. Reduce all crime", "view": "Control chart"},
                       {"priority": "17. Repeat missing persons", "view": "Control chart"}]


def navigation_pages() -> list[str]:
    """Every page in app.py's navigation, read from the file, so a page added there is swept too."""
    tree = ast.parse((PROJECT_ROOT / "app.py").read_text(encoding="utf-8"))
    pages = [node.args[0].value for node in ast.walk(tree) if isinstance(node, ast.Call)
             and getattr(node.func, "attr", "") == "Page" and node.args and isinstance(node.args[0], ast.Constant)]
    return [p for p in pages if p != PANEL]  # Panel mode has its own navigation: its own test below


def everything_shown(at) -> str:
    """Every text an element of the page carries (markdown, captions, HTML, chart specs with their descriptions
    and tooltips, alt text), and every table's cells and headings."""
    texts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            texts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    for table in [*at.table, *at.dataframe]:
        frame = table.value
        frame = getattr(frame, "data", frame)  # a Styler's data
        texts.append(" ".join(map(str, frame.columns)) + " " + frame.astype(str).to_string())
    return "\n".join(texts)


def codes_in(text: str) -> list[str]:
    return sorted({m.group(0) for m in RULE_CODES.finditer(text)})


def test_the_plain_words_say_each_rule_in_both_directions():
    # The one table the pages, charts and the paper take their rule words from.
    seven = spc.rule_words(spc.SHIFT, -1, 7)
    assert seven == "seven months in a row below the average"
    assert spc.rule_words(spc.OUTSIDE_LIMITS, -1, 7) == "below the lower limit"
    for code in (spc.OUTSIDE_LIMITS, spc.TREND, spc.TWO_IN_THREE, spc.SHIFT):
        up, down = spc.rule_words(code, 1, 7), spc.rule_words(code, -1, 7)
        assert up != down and not codes_in(up + down)


def test_a_charted_series_carries_its_rules_in_plain_words():
    values = np.r_[np.full(12, 100.0) + np.tile([-3, 3], 6), np.full(8, 90.0)]
    points = spc.xmr(values).points
    flagged = points[points["special_cause"] != "common_cause"]
    assert len(flagged) and not codes_in(" ".join(points["rule_words"]))
    assert "below the" in " ".join(flagged["rule_words"])


@pytest.mark.parametrize("page", navigation_pages())
def test_no_page_says_an_spc_rule_code(app_env, page):
    at = open_page(page.removeprefix("app_pages/").removesuffix(".py"), quarter=QUARTER)
    assert codes_in(everything_shown(at)) == [], page


@pytest.mark.parametrize("params", CONTROL_CHART_VIEWS, ids=[p["priority"] for p in CONTROL_CHART_VIEWS])
def test_no_control_chart_says_an_spc_rule_code(app_env, params):
    # Its description, tooltip, caption and "Chart data as a table", with provisional limits among them (missing
    # persons' counts of people) and special-cause points (crime).
    at = open_page("priority_explorer", quarter=QUARTER, **params)
    assert codes_in(everything_shown(at)) == []


def test_panel_mode_says_no_spc_rule_code(app_env):
    at = open_page(None, mode="panel", quarter=QUARTER)
    assert codes_in(everything_shown(at)) == []


def test_the_spc_states_are_put_into_words_in_one_place():
    """Issue 21: the special-cause states' names (improvement, concern, neither) are written once, in analysis/spc.py,
    and every page, legend, icon, RAG reason and the paper take them from there ("common cause variation" is also
    a phrase of running sentences, so it is not swept)."""
    from test_seams import module_files

    states = re.compile(r"special cause (?:improvement|concern)\b|special cause, neither improvement nor concern",
                        re.IGNORECASE)
    spelled = []
    for name, path in module_files().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr)}
        spelled += [f"{name}:{node.lineno}" for node in ast.walk(tree) if isinstance(node, ast.Constant)
                    and isinstance(node.value, str) and id(node) not in docstrings and states.search(node.value)]
    assert [where for where in spelled if not where.startswith("analysis.spc:")] == []
    assert spc.SPECIAL_CAUSE_WORDS.keys() == {"improvement", "concern", "neither"}  # the labels points carry
