#!/usr/bin/env python3
"""Check the shape of the ``kasirbackup`` package: no import circles, imports only in the
allowed directions, and no module much over 500 lines.

Every import counts, a lazy one inside a function too: a circle that only closes at run
time is still a circle a newcomer has to untangle. ``from pkg import name`` counts as an
import of ``pkg.name`` when that is a module, otherwise of ``pkg``.

The allowed directions (drawn in docs/ARCHITECTURE.md):

* ``gui`` and ``cli`` → ``app`` → ``core``; ``core`` imports neither Qt nor ``app``, ``gui`` or
  ``cli``; ``app`` imports no Qt; ``gui`` never imports ``cli``; ``cli`` imports ``gui`` only
  inside a function (``kasirbackup gui`` loads the desktop app when asked for).
* inside ``core``, a sub-package imports only the ones listed for it in ``CORE_ALLOWED``
  and the shared leaves; a leaf imports only other leaves.

Usage: ``python scripts/check_imports.py [PACKAGE_DIR]`` prints each problem on a line and
exits 1 if there is any (the test suite runs it through ``tests/unit/test_layout.py``).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 500

#: core sub-package → the core sub-packages it may import (every one may import the leaves)
CORE_ALLOWED: dict[str, set[str]] = {
    "storage": set(),
    "repo": {"storage"},
    "attachments": {"repo", "storage"},
    "snapshot": {"attachments", "repo", "storage"},
    "retention": {"attachments", "repo", "storage"},
    "restore": {"attachments", "snapshot", "repo", "storage"},
    "exports": {"snapshot", "repo", "storage"},
    "imports": {"exports", "restore", "snapshot", "repo", "storage"},
}
#: modules directly in core/ that any core module may use
CORE_LEAVES = {"errors", "progress", "sqlitefile", "schema", "scratch", "processes", "holders", "faults"}

#: top-level layer → layers it may import (``None``: the package root, e.g. ``__version__``)
LAYERS: dict[str, set[str]] = {
    "core": {"core"},
    "app": {"app", "core"},
    "gui": {"gui", "app", "core"},
    "cli": {"cli", "app", "core", "gui"},       # gui: lazily only (checked below)
    "__main__": {"cli"},
}
QT = ("PySide6", "shiboken6")


@dataclass(frozen=True)
class Edge:
    source: str           # importing module, dotted
    target: str           # imported module, dotted (or the outside name, e.g. PySide6.QtCore)
    line: int
    lazy: bool            # inside a function or method


def module_name(path: Path, pkg_dir: Path) -> str:
    parts = list(path.relative_to(pkg_dir.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


class _Collector(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[ast.AST, bool]] = []
        self._depth = 0

    def _function(self, node: ast.AST) -> None:
        self._depth += 1
        self.generic_visit(node)
        self._depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_Import(self, node: ast.Import) -> None:
        self.found.append((node, self._depth > 0))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.found.append((node, self._depth > 0))


def collect_edges(pkg_dir: Path) -> tuple[list[Edge], dict[str, Path]]:
    """Every import made by a module of the package at ``pkg_dir``."""
    files = sorted(p for p in pkg_dir.rglob("*.py") if "__pycache__" not in p.parts)
    modules = {module_name(p, pkg_dir): p for p in files}
    root = pkg_dir.name
    edges: list[Edge] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        collector = _Collector()
        collector.visit(tree)
        package = name if _is_package(path) else name.rpartition(".")[0]
        for node, lazy in collector.found:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    edges.append(Edge(name, alias.name, node.lineno, lazy))
                continue
            if node.level:
                base_parts = package.split(".")
                if node.level > 1:
                    base_parts = base_parts[:len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if not (base == root or base.startswith(root + ".")):
                edges.append(Edge(name, base, node.lineno, lazy))
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                edges.append(Edge(name, sub if sub in modules else base, node.lineno, lazy))
    return edges, modules


def find_cycles(edges: list[Edge], modules: dict[str, Path]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself),
    each as a sorted list; Tarjan's algorithm, iterative."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for e in edges:
        if e.target in modules:
            graph[e.source].add(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    comp.append(m)
                    if m == node:
                        break
                if len(comp) > 1 or node in graph[node]:
                    out.append(sorted(comp))
    return out


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def direction_problems(edges: list[Edge], modules: dict[str, Path], root: str) -> list[str]:
    problems = []
    for e in edges:
        src_layer = _layer(e.source)
        where = f"{e.source} (line {e.line})"
        if e.target.split(".")[0] in QT and src_layer in ("core", "app"):
            problems.append(f"{where} imports Qt ({e.target}): {src_layer} must stay Qt-free")
            continue
        if e.target.split(".")[0] == root and e.target not in modules:
            problems.append(f"{where} imports {e.target}, which does not exist")
            continue
        if e.target not in modules or src_layer is None:
            continue
        dst_layer = _layer(e.target)
        if dst_layer is None:          # the package root: __version__
            continue
        allowed = LAYERS.get(src_layer, {src_layer})
        if dst_layer not in allowed:
            problems.append(f"{where} imports {e.target}: {src_layer} may import only {', '.join(sorted(allowed))}")
            continue
        if src_layer == "cli" and dst_layer == "gui" and not e.lazy:
            problems.append(f"{where} imports {e.target} at module level: the CLI loads the GUI only inside a function")
            continue
        if src_layer == dst_layer == "core":
            problems.extend(_core_problem(e, where))
    return problems


def _core_part(module: str) -> tuple[str, bool]:
    """(sub-package or leaf name, is a leaf) of a module under ``<root>.core``."""
    parts = module.split(".")
    if len(parts) == 2:
        return "", True                # core/__init__
    name = parts[2]
    return name, len(parts) == 3 and name in CORE_LEAVES


def _core_problem(e: Edge, where: str) -> list[str]:
    src, src_leaf = _core_part(e.source)
    dst, dst_leaf = _core_part(e.target)
    if src == dst or dst_leaf:
        return []
    if src_leaf:
        return [f"{where} imports {e.target}: a shared leaf of core imports only other leaves"]
    if src not in CORE_ALLOWED:
        return [f"{where}: core/{src} is not in CORE_ALLOWED (add it, with the packages it may use)"]
    if dst not in CORE_ALLOWED.get(src, set()):
        allowed = sorted(CORE_ALLOWED[src]) or ["only the leaves"]
        return [f"{where} imports {e.target}: core/{src} may import {', '.join(allowed)}"]
    return []


def long_modules(modules: dict[str, Path], limit: int = MAX_LINES) -> list[str]:
    out = []
    for name, path in sorted(modules.items()):
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > limit:
            out.append(f"{name}: {n} lines (split it; at most {limit})")
    return out


def problems(pkg_dir: Path) -> list[str]:
    edges, modules = collect_edges(pkg_dir)
    out = [f"import circle: {' <-> '.join(c)}" for c in find_cycles(edges, modules)]
    out += direction_problems(edges, modules, pkg_dir.name)
    out += long_modules(modules)
    return out


def main(argv: list[str]) -> int:
    pkg_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "kasirbackup"
    found = problems(pkg_dir.resolve())
    for line in found:
        print(line)
    if not found:
        print(f"{pkg_dir.name}: no import circles, imports in the allowed directions, no module over {MAX_LINES} lines")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
