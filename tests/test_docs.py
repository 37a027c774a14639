"""The README is what a new user follows: its commands must be the ones CI runs and the CLI has."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

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


def _pins(lock: Path) -> dict[str, list[tuple[str, str]]]:
    """Name -> (version, environment marker) of each pinned line of a uv/pip-compile lock."""
    out: dict[str, list[tuple[str, str]]] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line[:1].isalnum() and "==" in line:
            spec, _, marker = line.rstrip(" \\").partition(";")
            name, _, version = spec.strip().partition("==")
            out.setdefault(canonicalize_name(name), []).append((version, marker.strip()))
    return out


@pytest.mark.parametrize(("lock", "extras"), [("run.lock", ()), ("dev.lock", ("dev",))])
def test_the_locks_pin_every_dependency_inside_its_range(
    lock: str, extras: tuple[str, ...]
) -> None:
    """The nightly and CI install from the locks with --require-hashes; a dependency added to
    pyproject.toml but not to the lock (or locked outside its range) would break them."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = [
        *project["dependencies"],
        *(d for e in extras for d in project["optional-dependencies"][e]),
    ]
    pins = _pins(REPO / "requirements" / lock)
    env = {"python_version": "3.11", "python_full_version": "3.11.7", "sys_platform": "linux",
           "platform_machine": "x86_64", "platform_python_implementation": "CPython"}  # fmt: skip
    for text in wanted:
        req = Requirement(text)
        chosen = [
            v
            for v, m in pins.get(canonicalize_name(req.name), [])
            if not m or Marker(m).evaluate(env)
        ]
        assert len(chosen) == 1, f"{lock}: {req.name} is not pinned once for Python 3.11"
        assert req.specifier.contains(chosen[0], prereleases=True), (
            f"{lock}: {req.name}=={chosen[0]}"
        )
    lines = (REPO / "requirements" / lock).read_text().splitlines()
    unhashed = [
        line
        for line, after in zip(lines, [*lines[1:], ""], strict=True)
        if line[:1].isalnum() and "--hash=sha256:" not in after
    ]
    assert unhashed == []


def test_the_action_installs_from_the_lock() -> None:
    """What every scheduled run installs (the workflows run action.yml): the hashed lock."""
    text = (REPO / "action.yml").read_text()
    lock, encoder = (
        '"$ACTION_PATH/requirements/run.lock"',
        '"$ACTION_PATH/requirements/encoder.txt"',
    )
    assert f"--require-hashes -r {lock} -r {encoder}" in text
    assert 'pip install --no-deps "$ACTION_PATH"' in text


@pytest.mark.parametrize("workflow", ["nightly.yml", "retrain.yml"])
def test_scheduled_workflows_run_the_action(workflow: str) -> None:
    text = (REPO / ".github" / "workflows" / workflow).read_text()
    assert "uses: ./ " in text and "pip install" not in text


def test_readme_configuration_table_is_the_declared_keys() -> None:
    """The README's table of hfm-bot.toml keys is the one config.py makes from the keys'
    declaration: a new key, default or range shows there, or this fails."""
    from hfm_bot import config

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert config.markdown_table() in readme
    assert readme.count("| key | meaning | default |") == 1
