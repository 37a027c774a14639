"""The layout of src/hfm_bot: imports run one way, and the core never reaches back up.

Read with ``ast`` from every import statement, wherever it sits (at the top, inside a
function, under ``TYPE_CHECKING``): an import hidden there is still a dependency the reader
must follow, and a circle hidden there is still a circle.
"""

from __future__ import annotations

from pathlib import Path

from testsupport.layout import a_cycle, imports_graph, without_packages

SRC = Path(__file__).resolve().parent.parent / "src"


def test_no_module_of_src_imports_itself_back(tmp_path: Path) -> None:
    graph = without_packages(imports_graph(SRC))
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
    assert a_cycle(without_packages(imports_graph(tmp_path / "src"))) == [
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
