"""Dependencies you can see: no import cycle among desktop_app's modules, and every import made
inside a function says why it is there (start-up time, a package that is optional…).

Both read the source with :mod:`ast`, without importing anything: the graph is the module-level
imports (those inside ``if TYPE_CHECKING:`` left out, they never run), which is what Python runs
when a module is first imported; a cycle there is a module that can be half-initialised.
"""

from __future__ import annotations

import ast
from pathlib import Path

import desktop_app

ROOT = Path(desktop_app.__file__).parent
PACKAGE = "desktop_app"

#: Files left out of the function-local import check (none now; kept for a file mid-move).
MOVING_NOW: tuple[str, ...] = ()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported: module level, also inside ``if``/``try``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.append(node)
            elif isinstance(node, ast.If):
                if not _is_type_checking(node):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                for block in (node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody):
                    visit(block)
            elif isinstance(node, ast.With):
                visit(node.body)

    visit(tree.body)
    return found


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _with_parents(name: str, importer: str, modules: dict[str, Path]) -> set[str]:
    """``a.b.c`` runs ``a/__init__``, ``a/b/__init__`` and ``a/b/c``: each is a dependency,
    except the packages the importer itself sits in (already being imported by then)."""
    parts = name.split(".")
    names = {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
    return {n for n in names if n in modules and not importer.startswith(n + ".") and n != importer}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        edges: set[str] = set()
        for node in _top_level_imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                source = _absolute(node, module, path.name == "__init__.py")
                # ``from pkg import mod`` imports the module pkg.mod; ``from mod import name`` only mod
                targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                           for alias in node.names]
            for target in targets:
                if target == PACKAGE or target.startswith(PACKAGE + "."):
                    edges |= _with_parents(target, module, modules)
        graph[module] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def function_local_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST, inside: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)) and inside:
                found.append(child)
            visit(child, inside or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(tree, False)
    return found


def _has_reason(lines: list[str], node: ast.stmt) -> bool:
    """A comment on the import's first line, or on the line above it or above the run of
    imports it belongs to (one comment gives the reason for imports written together)."""
    if "#" in lines[node.lineno - 1]:
        return True
    above = node.lineno - 2
    while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
        above -= 1
    return above >= 0 and lines[above].strip().startswith("#")


# --- the tests of the tests: each check finds what it is there to find --------------------------


def test_cycles_finds_a_loop_and_nothing_else():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_a_bare_function_local_import_is_found_and_a_commented_one_passes():
    source = ("import os\n\ndef f():\n    import json\n\ndef g():\n    # lazy: start-up time\n    import csv\n"
              "    import zlib\n\n    import bz2\n")
    tree = ast.parse(source)
    lines = source.splitlines()
    bare = [n.lineno for n in function_local_imports(tree) if not _has_reason(lines, n)]
    assert bare == [4, 11]


def test_the_graph_sees_a_module_level_import_and_not_a_function_local_one():
    graph = import_graph()
    assert "desktop_app.store.models" in graph["desktop_app.services.charges"]
    assert "desktop_app.ui.app" not in graph["desktop_app.cli.main"]  # lazy: the window is imported on use


# --- the rules ----------------------------------------------------------------------------------


def test_no_import_cycle_among_desktop_app_modules():
    found = cycles(import_graph())
    assert found == [], "import cycles: " + "; ".join(" → ".join(c) for c in found)


def test_every_function_local_import_says_why():
    bare = []
    for module, path in _modules().items():
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(MOVING_NOW):
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in function_local_imports(ast.parse(source, str(path))):
            if not _has_reason(lines, node):
                bare.append(f"{relative}:{node.lineno}")
    assert bare == [], "imports inside a function without a comment saying why: " + ", ".join(bare)


def test_the_errors_module_imports_nothing_of_the_app():
    """``desktop_app.errors`` is the one module every layer may import, domain included."""
    assert import_graph()["desktop_app.errors"] == set()
