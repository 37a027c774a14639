"""Publishing a change: the interface (:mod:`.interface`) and its two implementations,
a pull request on GitHub (:mod:`.github`) and a dry-run folder (:mod:`.dry_run`)."""

from hfm_bot.publishing.interface import (
    PR_TITLE,
    PublishConflict,
    Published,
    Publisher,
    PublishError,
    Target,
)

__all__ = ["PR_TITLE", "PublishConflict", "PublishError", "Published", "Publisher", "Target"]
