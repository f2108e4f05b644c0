"""The promises the README makes about where things live, checked against the code (as Datasette
checks its docs).

Imports point one way, down these layers (a module may import its own layer or any below it, never one above):

    app_pages/                 the pages
    components/                Streamlit building blocks (and the cached connection, components/connection.py)
    report/                    the Panel paper (components/paper.py makes it for the app)
    readers/, dashboard_data   what pages, Panel mode and the paper read: named queries, then analysis
                               (the cached readers pages call are components/readers/, in the components layer)
    render/                    Streamlit-free drawing shared by components/ and report/: chart specs, SVG, HTML, CSS, JS
    datastore                  opens the database (building the demo on a first start, upgrading an old schema)
    ingest/                    every write: loads, publishing, the demo build
    analysis/                  pure calculation: takes data, never a connection
    access                     roles, the actor, what a reader may see, the release clock
    core/, queries/            errors, settings, schema version, the home force; the named SQL statements

Entry points (`ENTRY_POINTS`: app.py, serve.py, replicas.py, spc_cli.py, scripts/, bench/ and the `__main__`
of ingest and report) are run, never imported by a layer, and may import any layer. Every import counts,
at module level or inside a function (a function-level import is still a dependency; hiding one there is how
circles used to be kept), so the graph has no circle at all among project modules. Streamlit is imported only
in app_pages/ and components/, and by the entry points listed in `STREAMLIT_ELSEWHERE`, each with its reason.
"""
from __future__ import annotations

import ast
import dataclasses
import re
from functools import cache
from pathlib import Path

import pandas as pd
from conftest import PROJECT_ROOT

from analysis.overview import OverviewRow

LAYERS = (  # top to bottom
    ("app_pages",),
    ("components",),
    ("report",),
    ("readers", "dashboard_data"),
    ("render",),
    ("datastore",),
    ("ingest",),
    ("analysis",),
    ("access",),
    ("core", "queries"),
)
ENTRY_POINTS = ("app", "serve", "replicas", "spc_cli", "scripts", "bench", "ingest.__main__", "report.__main__")
STREAMLIT_ELSEWHERE = {
    "app": "the app itself: page config, st.navigation",
    "serve": "what `streamlit run` starts: app.py inside st.App, with the server's guard",
    "bench.minimal_app": "a one-page Streamlit app, the benchmark's baseline",
    "bench.apptest": "times pages through streamlit.testing's AppTest",
    "bench.title_app": "a Streamlit app showing only a title, the first-load baseline",
    "bench.clicks": "signs Streamlit's sign-in cookie and speaks its websocket protocol to time clicks",
    "bench.load": "speaks Streamlit's websocket protocol (its protobuf messages) as a load generator",
    "scripts.benchmark": "times pages through AppTest",
}
SKIPPED = {"tests", "docs", "data"}
SQL_TEXT = re.compile(r"""["'](SELECT|INSERT|CREATE|BEGIN|COMMIT|CHECKPOINT|DELETE|UPDATE|DROP|ALTER)\s""")


def module_files(root: Path = PROJECT_ROOT) -> dict[str, Path]:
    """Every project module by dotted name (a package by its own name), found rather than listed."""
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[0] in SKIPPED or parts[0].startswith("."):
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imported_names(path: Path, package: str) -> set[str]:
    """Every module name imported anywhere in the file (module level or in a function), relative ones resolved;
    `from a import b` gives both a.b and a, since b may be a module or a name in a."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return names


def graph(root: Path = PROJECT_ROOT) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(project module -> the project modules it imports, project module -> the outside packages it imports)."""
    files = module_files(root)
    edges, outside = {}, {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges[name], outside[name] = set(), set()
        for imported in imported_names(path, package):
            target = imported
            while target and target not in files:
                target = target.rpartition(".")[0]
            if target and target != name:
                edges[name].add(target)
            elif not target and imported:
                outside[name].add(imported.split(".")[0])
    return edges, outside


@cache
def project_graph():
    return graph()


def within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def is_entry_point(module: str) -> bool:
    return any(within(module, prefix) for prefix in ENTRY_POINTS)


def layer_of(module: str) -> int | None:
    """0 for the top layer; None for an entry point or a module outside every layer."""
    if is_entry_point(module):
        return None
    return next((rank for rank, prefixes in enumerate(LAYERS) if any(within(module, p) for p in prefixes)), None)


def upward_imports(edges: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in edges.items():
        rank = layer_of(module)
        if rank is None:
            continue
        for target in targets:
            if is_entry_point(target):
                found.append(f"{module} imports the entry point {target}")
            elif layer_of(target) is not None and layer_of(target) < rank:
                found.append(f"{module} ({'/'.join(LAYERS[rank])}) imports {target} "
                             f"({'/'.join(LAYERS[layer_of(target)])}), a layer above it")
    return sorted(found)


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), plus any module importing itself."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(edges.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def streamlit_outside_its_layers(outside: dict[str, set[str]]) -> list[str]:
    return sorted(module for module, packages in outside.items() if "streamlit" in packages
                  and not any(within(module, p) for p in ("app_pages", "components")) and module not in STREAMLIT_ELSEWHERE)


def reaches_streamlit(edges: dict[str, set[str]], outside: dict[str, set[str]]) -> list[str]:
    """Layered modules below components/ that import a module importing Streamlit, however far down the chain."""
    found = []
    for module in edges:
        rank = layer_of(module)
        if rank is None or rank <= 1:
            continue
        seen, todo = set(), [module]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            if "streamlit" in outside.get(current, ()):
                found.append(f"{module} reaches Streamlit through {current}")
                break
            todo.extend(edges.get(current, ()))
    return sorted(found)


def test_every_project_module_is_in_a_layer_or_an_entry_point():
    edges, _ = project_graph()
    assert [m for m in edges if layer_of(m) is None and not is_entry_point(m)] == []


def test_imports_point_down_the_layers():
    edges, _ = project_graph()
    assert upward_imports(edges) == []


def test_no_import_circles():
    edges, _ = project_graph()
    assert circles(edges) == []


def test_streamlit_only_in_app_pages_and_components():
    edges, outside = project_graph()
    assert streamlit_outside_its_layers(outside) == []
    assert reaches_streamlit(edges, outside) == []  # report/, render/, core/ and the rest: not even indirectly


def test_the_checks_catch_what_they_are_for(tmp_path):
    """Each check fails on a small tree that breaks its rule (so a check that can never fail is caught too)."""
    for path, text in {
        "core/__init__.py": "",
        "core/errors.py": "import ingest.loading\n",  # upward
        "ingest/__init__.py": "",
        "ingest/loading.py": "def f():\n    from ingest import publish\n",  # a circle through a function-level import
        "ingest/publish.py": "from . import loading\n",
        "render/__init__.py": "",
        "render/chart.py": "import streamlit as st\n",  # Streamlit outside its layers
        "report/__init__.py": "",
        "report/content.py": "from render import chart\n",  # reaches Streamlit through render.chart
        "app.py": "import streamlit\nimport report.content\n",
    }.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    edges, outside = graph(tmp_path)
    assert upward_imports(edges) == ["core.errors (core/queries) imports ingest.loading (ingest), a layer above it"]
    assert circles(edges) == [["ingest.loading", "ingest.publish"]]
    assert streamlit_outside_its_layers(outside) == ["render.chart"]
    assert reaches_streamlit(edges, outside) == ["render.chart reaches Streamlit through render.chart",
                                                 "report.content reaches Streamlit through render.chart"]


def product_files() -> list[Path]:
    return [path for name, path in module_files().items() if not within(name, "queries")]


def test_no_sql_text_outside_queries():
    offenders = [f"{p.relative_to(PROJECT_ROOT)}: {m.group(0)}" for p in product_files()
                 for m in SQL_TEXT.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_named_statement_is_used():
    code = "\n".join(p.read_text(encoding="utf-8") for p in product_files())
    # ingest/insert_<table> is run by insert_frame(con, "<table>", frame), or from a dict of tables
    tables = set(re.findall(r'insert_frame\(\w+, "(\w+)"', code)) | set(re.findall(r'"(home_office_\w+)":', code))
    catalogue = set(re.findall(r'"(priorities|areas|measures|police_uk_forces)"', code))  # ingest/load_<table>
    unused = []
    for path in (PROJECT_ROOT / "queries").rglob("*.sql"):
        name = path.relative_to(PROJECT_ROOT / "queries").with_suffix("").as_posix()
        if name == "schema" or f'"{name}"' in code or f"'{name}'" in code:
            continue
        if name.startswith("ingest/insert_") and name.removeprefix("ingest/insert_") in tables:
            continue
        if name.startswith("ingest/load_") and name.removeprefix("ingest/load_") in catalogue:
            continue
        unused.append(name)
    assert unused == []


def test_analysis_takes_data_not_connections():
    edges, outside = project_graph()
    for module in edges:
        if within(module, "analysis"):
            assert not outside[module] & {"duckdb", "streamlit"}, module
            assert not {t for t in edges[module] if not within(t, "analysis") and not within(t, "core")}, module


def test_the_home_force_is_read_from_the_catalogue():
    """No product module writes the home force's code: core.home_force reads it from the areas table. bench/ is
    excepted: it writes a national catalogue of its own, so it names the force it puts first."""
    areas = pd.read_csv(PROJECT_ROOT / "data" / "catalogue" / "areas.csv")
    force = areas.loc[areas["kind"] == "force", "id"].iloc[0]
    written = [f"{name}:{node.lineno}" for name, path in module_files().items() if not within(name, "bench")
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.Constant) and node.value == force]
    assert written == []


def calls(path):
    return [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Call)]


def called_name(call: ast.Call) -> str | None:
    return call.func.id if isinstance(call.func, ast.Name) else call.func.attr if isinstance(call.func, ast.Attribute) else None


def is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def test_every_read_is_a_named_reader_never_a_string():
    """One typed read path: a reader is called by its name (so go-to-definition and the dead-code check follow it),
    never dispatched from a string (read("function_name"), getattr(dashboard_data, ...)); and pages and components
    run no app query themselves: a named query is read through components/readers/ (components/connection.py's
    role grants excepted: the identity is resolved from them before any visibility exists)."""
    offenders = []
    for path in product_files():
        where = path.relative_to(PROJECT_ROOT)
        page_side = where.parts[0] in ("app_pages", "components") and where.parts[:2] != ("components", "readers") \
            and where != Path("components/connection.py")
        for call in calls(path):
            name = called_name(call)
            if name in ("read", "read_public") and call.args and is_text(call.args[0]):
                offenders.append(f"{where}:{call.lineno}: {name}({call.args[0].value!r}, ...)")
            if name == "getattr" and call.args and isinstance(call.args[0], ast.Name) and call.args[0].id == "dashboard_data":
                offenders.append(f"{where}:{call.lineno}: getattr(dashboard_data, ...)")
            if page_side and any(is_text(arg) and arg.value.startswith("app/") for arg in call.args):
                offenders.append(f"{where}:{call.lineno}: {name}({next(a.value for a in call.args if is_text(a))!r}, ...)")
    assert offenders == [], "read through a named reader of components/readers/:\n" + "\n".join(sorted(offenders))


# The Overview row's fields no other frame has: commentary and availability notes carry the catalogue's names too
# (priority_id, priority, measure_id, measure, unit), with NULL for a note about a whole priority.
OVERVIEW_ONLY_FIELDS = frozenset(f.name for f in dataclasses.fields(OverviewRow)) - {
    "priority_id", "priority", "measure_id", "measure", "unit"}


def field_read(node: ast.AST) -> str | None:
    """The field an expression reads: x.field, x["field"], x.get("field"), or a variable named after it."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and is_text(node.slice):
        return node.slice.value
    if isinstance(node, ast.Call) and called_name(node) == "get" and node.args and is_text(node.args[0]):
        return node.args[0].value
    return node.id if isinstance(node, ast.Name) else None


def overview_fields_guarded_as_text(modules: dict[str, Path]) -> list[str]:
    guarded = []
    for name, path in modules.items():
        for call in calls(path):
            if called_name(call) == "isinstance" and len(call.args) == 2 and isinstance(call.args[1], ast.Name) \
                    and call.args[1].id == "str" and field_read(call.args[0]) in OVERVIEW_ONLY_FIELDS:
                guarded.append(f"{name}:{call.lineno}: {ast.unparse(call)}")
    return guarded


OVERVIEW_READERS = ("app_pages", "components", "report", "readers", "dashboard_data", "render")


def test_no_overview_field_is_guarded_as_text_by_its_readers():
    """The Overview's row is typed (analysis.overview.OverviewRow: an icon is a str or None, a figure a number or
    None, the shown figures text), so the layers that read it (pages, components, the paper, readers, render) never
    ask isinstance(..., str) of one of its fields."""
    readers = {name: path for name, path in module_files().items()
               if any(within(name, layer) for layer in OVERVIEW_READERS)}
    assert overview_fields_guarded_as_text(readers) == []


def test_the_guard_check_finds_a_guard(tmp_path):
    guarded = tmp_path / "guards.py"
    guarded.write_text('ok = isinstance(row.variation_icon, str) or isinstance(row.get("rag_reason"), str)\n'
                       'also = isinstance(row["status"], str) or isinstance(assurance_icon, str)\n'
                       'fine = isinstance(note.measure, str) or isinstance(row.variation_icon, dict)\n', encoding="utf-8")
    assert overview_fields_guarded_as_text({"guards": guarded}) == [
        "guards:1: isinstance(row.variation_icon, str)", "guards:1: isinstance(row.get('rag_reason'), str)",
        "guards:2: isinstance(row['status'], str)", "guards:2: isinstance(assurance_icon, str)"]
