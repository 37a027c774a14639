"""The layout of src/hfm_bot: imports run one way, and the core never reaches back up.

Read with ``ast`` from every import statement, wherever it sits (at the top, inside a
function, under ``TYPE_CHECKING``): an import hidden there is still a dependency the reader
must follow, and a circle hidden there is still a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def _module(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_graph(root: Path) -> dict[str, set[str]]:
    """Every module under ``root`` and the modules of the same tree it imports."""
    files = sorted(root.rglob("*.py"))
    known = {_module(f, root) for f in files}
    graph: dict[str, set[str]] = {}
    for f in files:
        name = _module(f, root)
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


def _without_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph between modules: ``from hfm_bot import x`` names module ``x``, not the
    package ``hfm_bot`` (whose ``__init__`` imports nothing of its own)."""
    packages = {m for m in graph if any(other.startswith(m + ".") for other in graph)}
    return {m: deps - packages for m, deps in graph.items() if m not in packages}


def test_no_module_of_src_imports_itself_back(tmp_path: Path) -> None:
    graph = _without_packages(imports_graph(SRC))
    assert "hfm_bot.classifier.training" in graph and "hfm_bot.cli" in graph
    assert graph["hfm_bot.awesome_list"] >= {"hfm_bot.list_entry", "hfm_bot.list_style"}
    assert a_cycle(graph) is None, a_cycle(graph)

    # The reader finds a circle however it is hidden: a relative import under
    # TYPE_CHECKING, an import inside a function.
    fake = tmp_path / "src" / "pkg"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "a.py").write_text("from pkg.b import thing\n")
    (fake / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import c\n"
    )
    (fake / "c.py").write_text("def f() -> None:\n    from pkg import a\n")
    assert a_cycle(_without_packages(imports_graph(tmp_path / "src"))) == [
        "pkg.a",
        "pkg.b",
        "pkg.c",
        "pkg.a",
    ]


def test_only_the_entry_points_import_the_cli() -> None:
    """``cli.py`` builds the real clients and hands them in: nothing of the core imports it."""
    graph = imports_graph(SRC)
    users = sorted(m for m, deps in graph.items() if "hfm_bot.cli" in deps)
    assert users == ["hfm_bot.__main__"]
