"""Issue 19 item 12: one name per thing. The README's Glossary names each thing once and lists the words not to use
for it; every page in app.py's navigation, signed out and signed in as a co-ordinator, shows none of them."""
from __future__ import annotations

import os
import re

import pyarrow as pa
import pytest
from conftest import PROJECT_ROOT, open_page, signed_in_app
from test_plain_words import navigation_pages

QUARTER = "Q1 2021/22"
IN_CELLS = "(in table cells)"
TYPED_IN = ("TextArea", "TextInput")  # what a person typed (commentary, the paper's implications) is theirs


def glossary() -> list[tuple[str, list[str], bool]]:
    """(term, words not to use, whether those words are checked in table cells only), from the README's table."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Glossary\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| Term ")]
    entries = []
    for row in rows:
        term, _meaning, avoid = [cell.strip() for cell in row.strip("|").split(" | ")]
        entries.append((term, re.findall(r"`([^`]+)`", avoid), IN_CELLS in avoid))
    return entries


def shown_text(at) -> tuple[str, str]:
    """(the words a reader sees on the page: text, labels, options, help, chart specs; the cells of its tables as
    shown, a Styler's formatting applied)."""
    words, cells = list(element_words(at._tree, with_specs=True)), []
    for table in [*at.table, *at.dataframe]:
        frame, styled = table.value, styled_cells(table.proto)
        if styled is not None:  # a Styler's display values: its na_rep and formats as shown
            cells.append(styled.to_string())
        else:  # Streamlit shows a missing value as "None"
            cells.append(frame.astype(object).where(frame.notna(), "None").astype(str).to_string())
        words.append(" ".join(map(str, frame.columns)))
    return "\n".join(words), "\n".join(cells)


def element_words(node, *, skip: tuple[str, ...] = (), with_specs: bool = False):
    """The words of an element tree a reader sees (what a person typed in left out), less the kinds named in skip;
    with_specs: chart specs too."""
    kind = type(node).__name__
    if kind in skip:
        return
    for attr in ("value", "label", "body", "options", "placeholder", "help"):
        if attr == "value" and kind in TYPED_IN:
            continue
        try:
            found = getattr(node, attr, None)
        except Exception:  # some elements' value needs a state they do not have here
            found = None
        if isinstance(found, str):
            yield found
        elif isinstance(found, (list, tuple)):
            yield from (str(item) for item in found)
    spec = getattr(getattr(node, "proto", None), "spec", None)
    if with_specs and isinstance(spec, str):
        yield spec
    for child in getattr(node, "children", {}).values():
        yield from element_words(child, skip=skip, with_specs=with_specs)


def styled_cells(proto):
    """The cells as a Styler shows them, or None when the table was not styled."""
    styler = getattr(getattr(proto, "arrow_data", proto), "styler", None)
    if styler is None or not styler.display_values:
        return None
    return pa.ipc.open_stream(styler.display_values).read_pandas()


def misnamed(words: str, cells: str) -> list[str]:
    found = []
    for term, avoid, cells_only in glossary():
        for phrase in avoid:
            pattern = re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", 0 if cells_only else re.IGNORECASE)
            where = cells if cells_only else words + "\n" + cells
            found += [f"{match.group(0)!r} (say {term!r})" for match in pattern.finditer(where)]
    return sorted(set(found))


def test_the_glossary_names_each_thing_once_with_words_to_avoid():
    entries = glossary()
    terms = [term.lower() for term, _, _ in entries]
    assert len(entries) >= 5 and len(set(terms)) == len(terms)
    assert all(avoid for _, avoid, _ in entries)
    avoided = {phrase.lower() for _, avoid, _ in entries for phrase in avoid}
    assert not avoided & set(terms)


def test_the_check_finds_a_word_to_avoid_and_an_empty_cell():
    assert misnamed("the coordinator publishes", "") and misnamed("Special cause: neither", "")
    assert misnamed("", "0  None") and not misnamed("None identified", "")
    assert not misnamed("the co-ordinator publishes; special cause concern", "0  –")


PAGES = navigation_pages()


@pytest.mark.parametrize("page", PAGES)
def test_a_page_signed_out_follows_the_glossary(app_env, page):
    at = open_page(page.removeprefix("app_pages/").removesuffix(".py"), quarter=QUARTER)
    assert misnamed(*shown_text(at)) == [], page


@pytest.mark.parametrize("page", PAGES)
def test_a_page_signed_in_as_a_co_ordinator_follows_the_glossary(app_env, page):
    # role=None: the session's demo grants the co-ordinator already; a grant would publish a new snapshot of it
    at = open_page(page.removeprefix("app_pages/").removesuffix(".py"),
                   at=signed_in_app(os.environ["DASHBOARD_DB"], role=None), quarter=QUARTER)
    assert misnamed(*shown_text(at)) == [], page


HEADINGS = ("Title", "Header", "Subheader")


def text_outside_headings(at) -> str:
    """Every word the page shows but its headings (the glossary's words, less h1 to h3)."""
    words = list(element_words(at._tree, skip=HEADINGS))
    words += [table.value.to_string() for table in [*at.table, *at.dataframe]]
    return "\n".join(words)


@pytest.mark.parametrize("page", PAGES)
def test_a_priority_is_named_by_its_short_name_and_its_full_title_is_only_a_heading(app_env, page):
    """The glossary's priority's short name: a full title ("Reducing anti-social behaviour …") heads the
    priority's own section and names it nowhere else."""
    import duckdb

    con = duckdb.connect(os.environ["DASHBOARD_DB"], read_only=True)
    try:
        titles = [title for (title,) in con.execute("SELECT title FROM priorities").fetchall()]
    finally:
        con.close()
    at = open_page(page.removeprefix("app_pages/").removesuffix(".py"), quarter=QUARTER)
    shown = text_outside_headings(at)
    assert [title for title in titles if title in shown] == [], page
