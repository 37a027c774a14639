"""The publishing boundary: what a nightly run needs of wherever its change goes.

Two implementations stand behind it (pip-audit's layout: the interface and its
implementations in one folder): :class:`~hfm_bot.publishing.github.GitHubPublisher`, the
bot's one pull request through PyGithub, and
:class:`~hfm_bot.publishing.dry_run.DryRunPublisher`, a folder of files. The pipeline is typed
to :class:`Publisher` alone and never asks which one it has. ``hfm-bot sync`` reads back what
became of the bot's pull requests through :class:`PullRequestHistory`, which only a
publisher with real pull requests (GitHub's) has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from hfm_bot.errors import HfmBotError
from hfm_bot.proposing import Change, Ticks

PR_TITLE = "hfm-bot: new papers for the list"


class PublishError(HfmBotError):
    """GitHub refused or could not be reached; the message says what to do."""


class PublishConflict(PublishError):
    """Someone wrote to the branch or opened the PR in between: read again and retry."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where tonight's change starts from."""

    text: str
    """The list as it stands on the branch the change will be written to."""
    sha: str | None
    """The list file's blob sha there (None when it was not read from GitHub)."""
    pr_number: int | None
    proposed: frozenset[str]
    """Keys the open bot PR already proposes."""
    ticks: Ticks = field(default_factory=lambda: Ticks(frozenset()))
    """The near misses ticked in the open bot PR's description."""
    origin: str | None = None
    """Where the text was read, as messages name it (the ``--list`` file, or the list's path
    on a branch of the repository); None: the list's configured path."""


@dataclass(frozen=True, slots=True)
class Published:
    """Where a change went."""

    where: str
    """The pull request's URL, or the dry run's folder."""
    number: int | None = None
    """The pull request's number (none in a dry run)."""
    diff: str | None = None
    """The list's unified diff, for a dry run to print."""


class Publisher(Protocol):
    """Where a night's change goes."""

    @property
    def list_path(self) -> str:
        """The list's path in its repository."""
        ...

    @property
    def remembers(self) -> bool:
        """True when what is published is real (a pull request): the run then saves its
        memory (decisions, watermarks, the papers left waiting, the night's background);
        a dry run changes nothing."""
        ...

    def target(self) -> Target:
        """The list the change is planned against, and the open PR's state."""
        ...

    def publish(self, target: Target, change: Change) -> Published:
        """Write ``change``, planned against ``target``; :class:`PublishConflict` when the
        target moved meanwhile (the run reads it again and re-plans)."""
        ...

    def report_health(self, title: str, body: str) -> str | None:
        """Tell the maintainers the bot is unwell (an issue); where it was said, if it was."""
        ...


class ClosedPull(Protocol):
    """A closed pull request of the bot, as sync reads it (PyGithub's ``PullRequest`` is
    one): which papers it proposed comes from the memory, the rest from these."""

    @property
    def number(self) -> int: ...

    @property
    def body(self) -> str | None:
        """The description, where the ticked near misses and the hidden marker are."""
        ...

    @property
    def merged(self) -> bool: ...


class PullRequestHistory(Protocol):
    """What sync needs of where the bot's pull requests went: the closed ones, and the list
    as it now stands on the base branch, to see which proposed entries survived the merge."""

    def closed_prs(self) -> Sequence[ClosedPull]:
        """The bot's closed pull requests, merged or not."""
        ...

    def read_list(self, ref: str) -> tuple[str, str]:
        """The list's text on branch ``ref``, and its blob sha."""
        ...
