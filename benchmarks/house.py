"""The house's figures (issue #22): import circles in src, the longest functions, the CLI's
size and its longest command, and how often ``Any`` is written in src.

Run from the repository root: ``python benchmarks/house.py`` (a second; reads files only).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script from a clone
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # testsupport is at the root

from testsupport import REPO
from testsupport.layout import a_cycle, imports_graph, without_packages

SRC = REPO / "src"


def functions(files: list[Path]) -> list[tuple[int, str]]:
    """Every function's length in lines (decorators left out), longest first."""
    out: list[tuple[int, str]] = []
    for f in files:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                out.append((n, f"{f.relative_to(REPO)}:{node.lineno} {node.name}"))
    return sorted(out, reverse=True)


def main() -> int:
    files = sorted((SRC / "hfm_bot").rglob("*.py"))
    circle = a_cycle(without_packages(imports_graph(SRC)))
    print(f"import circles in src: {'none' if circle is None else ' -> '.join(circle)}")
    lengths = functions(files)
    print("longest functions in src:")
    for n, where in lengths[:5]:
        print(f"  {n:4d} lines  {where}")
    cli = SRC / "hfm_bot" / "cli.py"
    commands = [(n, w) for n, w in lengths if w.startswith("src/hfm_bot/cli.py") and " cmd_" in w]
    lines = len(cli.read_text(encoding="utf-8").splitlines())
    print(f"cli.py: {lines} lines; longest command: {commands[0][1]} ({commands[0][0]} lines)")
    text = [f.read_text(encoding="utf-8") for f in files]
    written = sum(len(re.findall(r"\bAny\b", t)) for t in text)
    imported = sum(len(re.findall(r"^\s*from typing import .*\bAny\b", t, re.M)) for t in text)
    print(f"`Any` in src: {written - imported} uses (and {imported} imports of it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
