"""The layout of a source tree as data: which module imports which, read with ``ast`` from
every import statement wherever it sits (at the top, inside a function, under
``TYPE_CHECKING``), and the circles in that graph. ``tests/test_layout.py`` holds src/hfm_bot
to no circle; ``benchmarks/house.py`` prints it with the other figures of the house.
"""

from __future__ import annotations

import ast
from pathlib import Path


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_graph(root: Path) -> dict[str, set[str]]:
    """Every module under ``root`` and the modules of the same tree it imports."""
    files = sorted(root.rglob("*.py"))
    known = {module_name(f, root) for f in files}
    graph: dict[str, set[str]] = {}
    for f in files:
        name = module_name(f, root)
        package = name if f.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                found.add(base)
                found |= {f"{base}.{a.name}" for a in node.names}
        graph[name] = (found & known) - {name}
    return graph


def a_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle (its modules, the first repeated at the end), or None. A package
    importing its own modules from ``__init__`` is no circle of responsibility, so edges
    into a package that only re-exports are left out by the caller."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for nxt in sorted(graph.get(node, ())):
            found = visit(nxt, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


def without_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph between modules: ``from hfm_bot import x`` names module ``x``, not the
    package ``hfm_bot`` (whose ``__init__`` imports nothing of its own)."""
    packages = {m for m in graph if any(other.startswith(m + ".") for other in graph)}
    return {m: deps - packages for m, deps in graph.items() if m not in packages}
