"""Publishing a change: the interface (:mod:`.interface`) and its two implementations,
a pull request on GitHub (:mod:`.github`) and a dry-run folder (:mod:`.dry_run`)."""

from hfm_bot.publishing.interface import (
    PR_TITLE,
    ClosedPull,
    PublishConflict,
    Published,
    Publisher,
    PublishError,
    PullRequestHistory,
    Target,
)

__all__ = [
    "PR_TITLE",
    "ClosedPull",
    "PublishConflict",
    "PublishError",
    "Published",
    "Publisher",
    "PullRequestHistory",
    "Target",
]
