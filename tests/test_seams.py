"""The promises the README makes about where things live, checked against the code (as Datasette
checks its docs): SQL only in queries/, every named statement used, analysis/ and ingest/ free of
Streamlit, analysis/ taking data rather than connections, and every read a named reader (no string dispatch)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import PROJECT_ROOT

PRODUCT = [p for folder in ("analysis", "ingest", "components", "app_pages", "report", "bench")
           for p in (PROJECT_ROOT / folder).rglob("*.py")] + \
          [PROJECT_ROOT / name for name in ("app.py", "datastore.py", "dashboard_data.py", "access.py")]
SQL_TEXT = re.compile(r"""["'](SELECT|INSERT|CREATE|BEGIN|COMMIT|CHECKPOINT|DELETE|UPDATE|DROP|ALTER)\s""")


def imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_no_sql_text_outside_queries():
    offenders = [f"{p.relative_to(PROJECT_ROOT)}: {m.group(0)}" for p in PRODUCT if p.exists()
                 for m in SQL_TEXT.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_named_statement_is_used():
    code = "\n".join(p.read_text(encoding="utf-8") for p in PRODUCT if p.exists())
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


def test_analysis_and_ingest_never_import_streamlit_and_analysis_takes_data():
    for folder in ("analysis", "ingest"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            assert "streamlit" not in imports(path), path.name
    for path in (PROJECT_ROOT / "analysis").rglob("*.py"):
        assert not imports(path) & {"duckdb", "queries", "datastore", "dashboard_data"}, path.name


def calls(path):
    return [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Call)]


def called_name(call: ast.Call) -> str | None:
    return call.func.id if isinstance(call.func, ast.Name) else call.func.attr if isinstance(call.func, ast.Attribute) else None


def is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def test_every_read_is_a_named_reader_never_a_string():
    """One typed read path: a reader is called by its name (so go-to-definition and the dead-code check follow it),
    never dispatched from a string (read("function_name"), getattr(dashboard_data, ...)); and pages and components
    run no app query themselves: a named query is read through components/readers/ (components/database.py's
    role grants excepted: the identity is resolved from them before any visibility exists)."""
    offenders = []
    for path in PRODUCT:
        if not path.exists():
            continue
        where = path.relative_to(PROJECT_ROOT)
        page_side = where.parts[0] in ("app_pages", "components") and where.parts[:2] != ("components", "readers") \
            and where != Path("components/database.py")
        for call in calls(path):
            name = called_name(call)
            if name in ("read", "read_public") and call.args and is_text(call.args[0]):
                offenders.append(f"{where}:{call.lineno}: {name}({call.args[0].value!r}, ...)")
            if name == "getattr" and call.args and isinstance(call.args[0], ast.Name) and call.args[0].id == "dashboard_data":
                offenders.append(f"{where}:{call.lineno}: getattr(dashboard_data, ...)")
            if page_side and any(is_text(arg) and arg.value.startswith("app/") for arg in call.args):
                offenders.append(f"{where}:{call.lineno}: {name}({next(a.value for a in call.args if is_text(a))!r}, ...)")
    assert offenders == [], "read through a named reader of components/readers/:\n" + "\n".join(sorted(offenders))
