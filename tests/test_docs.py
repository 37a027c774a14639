"""The README is what a new user follows: its commands must be the ones CI runs and the CLI has."""

from __future__ import annotations

import re

from hfm_bot.cli import build_parser
from tests.conftest import REPO


def _readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.*?)\n```", readme, flags=re.S)


def test_readme_starts_with_the_two_commands() -> None:
    commands = _readme_commands()
    assert commands[0].startswith("python3 -m venv .venv") and "pytest" in commands[0]
    assert commands[1].startswith(".venv/bin/hfm-bot run --dry-run ")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands()[0] in ci.splitlines()


def test_readme_documents_every_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(getattr(a, "choices", None), dict))
    assert isinstance(sub.choices, dict)
    for name in sub.choices:
        assert f"hfm-bot {name}" in readme, name
