"""Mutation check: put one small deliberate bug at a time into a statistics module and see
whether its tests notice.

    python scripts/mutation.py                      # every module below
    python scripts/mutation.py --module spc         # one module (repeat --module for more)
    python scripts/mutation.py --list               # list the mutants, run nothing

Each mutant is one change: a comparison (< to <=, == to !=, in to not in, ...), an
arithmetic or bitwise operator (+ to -, * to /, & to |, ...), a numeric constant (an
integer +1 and -1, so every index and slice bound moves by one; a float +10% and -10%),
a boolean constant, and/or, a dropped unary minus, not or ~, or a return value replaced
by None. Each runs the module's fast test files (`pytest -x -q`, with a timeout); a
failure, an error or a timeout catches it.

The mutants are written into a temporary copy of the project, never into this
checkout, and the copy is deleted at the end (also on Ctrl-C), so no mutated file is
ever left behind here. Not part of the test run: docs/mutation.md has the figures.
"""
from __future__ import annotations

import argparse
import ast
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Module -> (source file, the fast unit-test files that cover it).
MODULES = {
    "spc": ("analysis/spc.py", ["tests/test_spc_rules.py", "tests/test_reference_vectors.py", "tests/test_proportions.py",
                                "tests/test_spc_undefined_limits.py"]),
    "comparisons": ("analysis/comparisons.py", ["tests/test_comparisons.py", "tests/test_comparisons_cases.py"]),
    "proportions": ("analysis/proportions.py", ["tests/test_proportions.py"]),
    "rag": ("analysis/rag.py", ["tests/test_rag.py"]),
    "areas": ("analysis/areas.py", ["tests/test_areas.py"]),
}

COMPARISON_SWAPS = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In,
}
OPERATOR_SWAPS = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult, ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd,
}
SYMBOLS = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.Is: "is",
    ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in", ast.Add: "+", ast.Sub: "-", ast.Mult: "*",
    ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|",
    ast.And: "and", ast.Or: "or", ast.USub: "-", ast.Not: "not ", ast.Invert: "~",
}


@dataclass(frozen=True)
class Mutant:
    path: str  # relative to the project
    line: int
    column: int
    node_index: int  # position of the mutated node in ast.walk order
    kind: str  # compare | operator | constant | boolop | unary | return
    detail: object  # what to change it to (operator class, constant value, index of a comparison)
    description: str  # "< -> <="
    code: str  # the source of the mutated expression, shortened

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}:{self.column + 1}"


# ---------------------------------------------------------------------------
# Finding and applying mutants
# ---------------------------------------------------------------------------

def _skipped_nodes(tree: ast.Module) -> set[int]:
    """ids of nodes never mutated: annotations (not evaluated here), docstrings and the __main__ block."""
    skipped: set[int] = set()

    def skip(node: ast.AST | None) -> None:
        if node is not None:
            skipped.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            skip(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            skip(node.returns)
        elif isinstance(node, ast.AnnAssign):
            skip(node.annotation)
        elif isinstance(node, ast.If) and _is_main_guard(node.test):
            skip(node)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                skip(first)
    return skipped


def _is_main_guard(test: ast.expr) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _shorten(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _float_variants(value: float) -> list[float]:
    if value == 0:
        return [1.0, -1.0]
    return [value * 1.1, value * 0.9]


def find_mutants(path: str, source: str) -> list[Mutant]:
    tree = ast.parse(source)
    skipped = _skipped_nodes(tree)
    parents = {id(child): parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    mutants = []

    def add(index, node, kind, detail, description, code_node=None):
        code = ast.get_source_segment(source, code_node or node) or ""
        mutants.append(Mutant(path, node.lineno, node.col_offset, index, kind, detail, description, _shorten(code)))

    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Compare):
            for position, op in enumerate(node.ops):
                swap = COMPARISON_SWAPS.get(type(op))
                if swap:
                    add(index, node, "compare", (position, swap), f"{SYMBOLS[type(op)]} -> {SYMBOLS[swap]}")
        elif isinstance(node, (ast.BinOp, ast.AugAssign)):
            swap = OPERATOR_SWAPS.get(type(node.op))
            operands = (node.left, node.right) if isinstance(node, ast.BinOp) else (node.target, node.value)
            if swap and not any(_is_text(o) for o in operands):  # string + string is not arithmetic
                add(index, node, "operator", swap, f"{SYMBOLS[type(node.op)]} -> {SYMBOLS[swap]}")
        elif isinstance(node, ast.BoolOp):
            swap = ast.Or if isinstance(node.op, ast.And) else ast.And
            add(index, node, "boolop", swap, f"{SYMBOLS[type(node.op)]} -> {SYMBOLS[swap]}")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not, ast.Invert)):
            add(index, node, "unary", None, f"drop {SYMBOLS[type(node.op)].strip()}")
        elif isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            add(index, node, "return", None, "return None", node.value)
        elif isinstance(node, ast.Constant) and not isinstance(parents.get(id(node)), ast.JoinedStr):
            value = node.value
            if isinstance(value, bool):
                add(index, node, "constant", not value, f"{value} -> {not value}")
            elif isinstance(value, int):
                for new in (value + 1, value - 1):
                    add(index, node, "constant", new, f"{value} -> {new}")
            elif isinstance(value, float):
                for new in _float_variants(value):
                    add(index, node, "constant", new, f"{value:.6g} -> {new:.6g}")
    return sorted(mutants, key=lambda m: (m.line, m.column, m.node_index, m.description))


def mutated_source(source: str, mutant: Mutant) -> str:
    tree = ast.parse(source)
    nodes = list(ast.walk(tree))
    node = nodes[mutant.node_index]
    if mutant.kind == "compare":
        position, swap = mutant.detail
        node.ops[position] = swap()
    elif mutant.kind in ("operator", "boolop"):
        node.op = mutant.detail()
    elif mutant.kind == "constant":
        node.value = mutant.detail
    elif mutant.kind == "return":
        node.value = ast.Constant(None)
    elif mutant.kind == "unary":
        _replace(tree, node, node.operand)
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list) and any(item is old for item in value):
                value[[i for i, item in enumerate(value) if item is old][0]] = new
                return
    raise ValueError("node not found")


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

IGNORED = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache",
                                 "*.duckdb", "*.duckdb.*", "*.snapshots", "mutants")


def preload() -> None:
    """Import the heavy libraries once; each forked test run then imports only the project's own
    modules, fresh from the (mutated) files on disk."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # no BLAS thread pools to carry across fork
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    for name in ("numpy", "pandas", "duckdb"):
        __import__(name)
    import pytest

    # One run over an empty folder loads pytest's plugins, still with nothing of the project.
    with tempfile.TemporaryDirectory() as empty, open(os.devnull, "w") as devnull:
        saved = os.dup(1)
        os.dup2(devnull.fileno(), 1)
        try:
            pytest.main(["-q", "-p", "no:cacheprovider", empty])
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    leaked = [name for name in ("analysis", "ingest", "queries", "conftest") if name in sys.modules]
    assert not leaked, f"project modules imported before forking: {leaked}"


def run_tests(workdir: Path, tests: list[str], timeout: float) -> str:
    """passed | failed | timeout. pytest runs in a forked child, so nothing of a mutant outlives it."""
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            import pytest

            os.chdir(workdir)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            sys.dont_write_bytecode = True  # a mutant's bytecode must never be cached
            code = int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *tests]))
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return "passed" if os.waitstatus_to_exitcode(status) == 0 else "failed"
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return "timeout"
            time.sleep(0.01)
    except BaseException:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except ProcessLookupError:
            pass
        raise


@dataclass
class ModuleReport:
    name: str
    total: int = 0
    run: int = 0
    caught: int = 0
    seconds: float = 0.0
    survivors: list[Mutant] = field(default_factory=list)
    problem: str = ""


def check_module(report: ModuleReport, workdir: Path, out=sys.stdout) -> None:
    """Run every mutant of one module; the report is filled in as it goes, so an interrupted run still counts."""
    path, test_files = MODULES[report.name]
    target = workdir / path
    original = target.read_bytes()
    source = original.decode("utf-8")
    mutants = find_mutants(path, source)
    tests = [t for t in test_files if (workdir / t).exists()]
    report.total = len(mutants)
    if not tests:
        report.problem = f"no test file found ({', '.join(test_files)}): every mutant survives"
        report.survivors = list(mutants)
        return
    started = time.monotonic()
    try:
        # The unmutated module, written back the same way as every mutant, must pass.
        target.write_text(ast.unparse(ast.parse(source)) + "\n", encoding="utf-8")
        if run_tests(workdir, tests, timeout=600) != "passed":
            report.problem = f"the tests fail on the unmutated module ({' '.join(tests)}): fix them first"
            return
        timeout = max(30.0, 10 * (time.monotonic() - started))
        for number, mutant in enumerate(mutants, 1):
            target.write_text(mutated_source(source, mutant), encoding="utf-8")
            outcome = run_tests(workdir, tests, timeout)
            report.run += 1
            if outcome == "passed":
                report.survivors.append(mutant)
            else:
                report.caught += 1
            print(f"  [{number}/{len(mutants)}] {mutant.where} {mutant.description}: "
                  f"{'SURVIVED' if outcome == 'passed' else outcome}", file=out, flush=True)
    finally:
        target.write_bytes(original)
        report.seconds = time.monotonic() - started


def print_summary(reports: list[ModuleReport], seconds: float, out=sys.stdout) -> None:
    print("\n| module | caught / total | caught | time |", file=out)
    print("|---|---|---|---|", file=out)
    for r in reports:
        share = f"{100 * r.caught / r.total:.1f}%" if r.total else "n/a"
        unrun = f" ({r.total - r.run} not run)" if r.run < r.total and not r.problem else ""
        print(f"| {MODULES[r.name][0]} | {r.caught} / {r.total}{unrun} | {share} | {r.seconds:.0f} s |", file=out)
    print(f"\nTotal run time {seconds:.0f} s.", file=out)
    for r in reports:
        if r.problem:
            print(f"\n{r.name}: {r.problem}", file=out)
        if r.survivors:
            print(f"\nSurvivors in {MODULES[r.name][0]}:", file=out)
            for m in r.survivors:
                print(f"  {m.where}  {m.description}  in `{m.code}`", file=out)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One deliberate small bug at a time: do the tests catch it?")
    parser.add_argument("--module", action="append", choices=sorted(MODULES), help="run this module only (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the mutants without running anything")
    args = parser.parse_args(argv)
    names = args.module or list(MODULES)

    if args.list:
        for name in names:
            path = MODULES[name][0]
            mutants = find_mutants(path, (PROJECT_ROOT / path).read_text(encoding="utf-8"))
            print(f"{path}: {len(mutants)} mutants")
            for m in mutants:
                print(f"  {m.where}  {m.description}  in `{m.code}`")
        return 0

    signal.signal(signal.SIGTERM, _interrupt)  # a kill restores and cleans up like Ctrl-C
    started = time.monotonic()
    reports = []
    interrupted = False
    with tempfile.TemporaryDirectory(prefix="mutation-") as temporary:
        workdir = Path(temporary) / "project"
        shutil.copytree(PROJECT_ROOT, workdir, ignore=IGNORED, symlinks=True)
        preload()
        try:
            for name in names:
                print(f"{name}: {MODULES[name][0]}", flush=True)
                reports.append(ModuleReport(name))
                check_module(reports[-1], workdir)
        except KeyboardInterrupt:
            interrupted = True
            print("\ninterrupted: the partial figures follow; this checkout was never changed", flush=True)
    print_summary(reports, time.monotonic() - started)
    if interrupted:
        return 130
    return 1 if any(r.problem for r in reports) else 0


if __name__ == "__main__":
    raise SystemExit(main())
