"""What the GitHub Action (``action.yml``) runs: ``hfm-bot action nightly`` and ``hfm-bot action
retrain``, with the bot's state on a branch of its own.

Why a command and not YAML: the steps (read the state branch, first-run set-up, sync, run,
commit the state; or train and open the retrain PR) are the product's behaviour, so they are
Python the test suite drives against the local GitHub, and the workflow a maintainer copies is
one ``uses:`` line. The state (``hfm-bot.toml``, ``labeled_data/``, ``model/``) is read
from the state branch through the API into a working folder, the ordinary commands run there
as they would in a clone, and what they changed is committed back as one fast-forward
(:mod:`hfm_bot.publishing.state_branch`). The division of files keeps the two writers apart:
a night commits ``labeled_data/`` (and the state file) to the state branch; a retrain proposes
``model/`` alone, as a pull request against the state branch; the list's default branch only
ever changes through the bot's list pull request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hfm_bot.errors import InputError
from hfm_bot.jsontypes import JSONObject

if TYPE_CHECKING:
    from hfm_bot.config import Settings
    from hfm_bot.publishing.github import ModelPublisher
    from hfm_bot.publishing.state_branch import Snapshot, StateBranch

Command = Callable[[Sequence[str]], int]
"""Runs one hfm-bot command line (the CLI's ``main``), returning its exit code."""


@dataclass(frozen=True, slots=True)
class Checkout:
    """The state branch as read, and the folder its files were written to."""

    snapshot: Snapshot
    work: Path
    config: Path

    def relative(self, path: str | Path, key: str) -> str:
        """A configured folder as a path inside the state folder: state kept outside it
        would never be committed, so that is a configuration error."""
        try:
            return Path(path).resolve().relative_to(self.work.resolve()).as_posix()
        except ValueError as err:
            raise InputError(
                f"{self.config.name}: {key} {path} is outside the state folder; in the action "
                "every path must stay beside the configuration"
            ) from err


def checkout(state: StateBranch, work: Path, config_name: str) -> tuple[Checkout, Settings | None]:
    """Read the state branch into ``work``: the configuration, then the folders it names.
    The settings are None when the branch (or its configuration) does not exist yet."""
    from hfm_bot import config

    snapshot = state.read()
    where = Checkout(snapshot, work, work / config_name)
    if not state.download(snapshot, work, [config_name]):
        return where, None
    settings = config.load(where.config)
    folders = [
        where.relative(settings.labeled_data_dir, "classifier.labeled_data_dir"),
        where.relative(settings.model_dir, "classifier.model_dir"),
        where.relative(settings.state_file, "sources.state_file"),
    ]
    if settings.templates_dir:
        folders.append(where.relative(settings.templates_dir, "proposing.templates_dir"))
    state.download(snapshot, work, folders)
    return where, settings


@dataclass(frozen=True, slots=True)
class FirstRun:
    """How a missing state branch is started."""

    init_available: bool
    """Whether this hfm-bot has ``init`` (it makes a configuration from the list)."""
    list_path: str = "README.md"
    """The list file ``init`` starts from, in the repository."""
    list_branch: str | None = None
    """Where to read it (default: the repository's default branch, read through the API)."""
    init_options: tuple[str, ...] = ()
    """More options for ``init`` (``--api-url`` on GitHub Enterprise)."""


def prepare(
    state: StateBranch, work: Path, config_name: str, run: Command, first: FirstRun
) -> tuple[Checkout, Settings, bool]:
    """The state, read into ``work``; True when it was made by this run (``init``), so its
    first commit carries the configuration and the model too.

    A missing state branch starts from the default branch when that holds a configuration
    (the bot's own repository, the two-repository route): the branch is created there,
    nothing written. Otherwise ``hfm-bot init`` makes one from the list, or, without init,
    a usage error says what to put on the branch."""
    from hfm_bot import config

    where, settings = checkout(state, work, config_name)
    if settings is not None:
        return where, settings, False
    base = first.list_branch or str(state.git.repo.default_branch)
    head = state.git.head(base)
    if head is None:
        raise InputError(f"{state.git.repo.full_name} has no branch {base!r}")
    files = state.git.files(head)
    if where.snapshot.commit is None and state.remote(config_name) in files:
        state.git.move(state.branch, None, head)
        where, settings = checkout(state, work, config_name)
        if settings is not None:
            return where, settings, False
    if not first.init_available:
        raise InputError(
            f"configuration required: {state.where} has no {config_name}. Make one in a "
            f"clone of the list (write {config_name}, then `hfm-bot labels import-list "
            "README.md`, `hfm-bot labels background` and `hfm-bot train`) and commit "
            f"{config_name}, labeled_data/ and model/ to the branch {state.branch}; "
            "the next run starts from them"
        )
    if first.list_path not in files:
        raise InputError(f"{state.git.repo.full_name}@{base} has no {first.list_path} (--list)")
    list_file = work / ".hfm-bot-list" / Path(first.list_path).name
    list_file.parent.mkdir(parents=True, exist_ok=True)
    list_file.write_bytes(state.git.read(files[first.list_path], first.list_path))
    # The list is read here, with the state's token, and handed to init as a file with
    # where it lives, so the configuration init writes targets this repository and branch.
    repository = str(state.git.repo.full_name)
    code = run(
        ["--config", str(where.config), "init", str(list_file), "--repository", repository,
         "--list-path", first.list_path, "--base", base, *first.init_options]
    )  # fmt: skip
    if code != 0:
        raise InputError(f"hfm-bot init {first.list_path} failed (exit {code}); see above")
    return where, config.load(where.config), True


def state_folders(where: Checkout, settings: Settings) -> list[str]:
    """What a night may write on the state branch: the labelled data and the state file.
    The configuration and the model are the maintainers' and the retrain PR's."""
    return [
        where.relative(settings.labeled_data_dir, "classifier.labeled_data_dir"),
        where.relative(settings.state_file, "sources.state_file"),
    ]


def nightly(
    state: StateBranch,
    where: Checkout,
    settings: Settings,
    run: Command,
    run_args: Sequence[str],
    *,
    dry_run: bool,
    created: bool,
) -> tuple[int, str | None]:
    """``sync`` then ``run`` in the working folder, then the state committed (also after a
    failed or interrupted run: every slice a backfill finished is kept, so the same ``since``
    resumes). The exit code, and the commit made (if any)."""
    cfg = ["--config", str(where.config)]
    code = 0
    try:
        if not dry_run:
            code = run([*cfg, "sync"])
        if code == 0:
            code = run([*cfg, "run", *run_args])
    finally:
        commit = None
        if not dry_run:
            folders = (
                [where.config.name, *state_folders(where, settings), _model_folder(where, settings)]
                if created
                else state_folders(where, settings)
            )
            changes = state.changes(where.snapshot, where.work, folders)
            commit = state.commit(where.snapshot, changes, "hfm-bot: the night's memory")
    return code, commit


def _model_folder(where: Checkout, settings: Settings) -> str:
    return where.relative(settings.model_dir, "classifier.model_dir")


def retrain(
    state: StateBranch,
    where: Checkout,
    settings: Settings,
    run: Command,
    train_args: Sequence[str],
    publisher: ModelPublisher | None,
    *,
    title: str,
    body: Callable[[JSONObject], str],
) -> tuple[int, str | None]:
    """``train`` in the working folder, then the model folder proposed as a pull request
    against the state branch (files the new model dropped are deleted in it); a dry run
    (no publisher) stops after training. The exit code and the PR's URL (None when the
    state branch already holds this model, or in a dry run)."""
    code = run(["--config", str(where.config), "train", *train_args])
    if code != 0 or publisher is None:
        return code, None
    folder = _model_folder(where, settings)
    local = where.work / folder
    files = {
        state.remote(p.relative_to(where.work).as_posix()): p.read_bytes()
        for p in sorted(local.rglob("*"))
        if p.is_file()
    }
    meta = json.loads((local / "meta.json").read_text(encoding="utf-8"))
    url = publisher.publish(
        files, state.remote(folder), title, body(meta), "hfm-bot: retrain the model"
    )
    return 0, url
