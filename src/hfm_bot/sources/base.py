"""The source interface, the fetch window, and what a source reports about one fetch.

A source turns a date window into papers. Each one owns its network client (handed in by
the CLI), so the rest of the bot never touches the network; a failing source is reported,
not raised, so one outage never hides the papers of the others.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from hfm_bot.errors import HfmBotError
from hfm_bot.ids import PaperKeys
from hfm_bot.paper import Paper

log = logging.getLogger(__name__)


class SourceError(HfmBotError):
    """A source could not deliver; carries the URL (or file) and the reason."""

    def __init__(self, source: str, url: str, reason: str) -> None:
        super().__init__(f"{source}: {reason} ({url})")
        self.source = source
        self.url = url
        self.reason = reason


@dataclass(frozen=True, slots=True)
class FetchWindow:
    """Papers announced or posted from ``since`` to ``until``, both inclusive."""

    since: dt.date
    until: dt.date

    def __post_init__(self) -> None:
        if self.until < self.since:
            raise ValueError(f"window ends ({self.until}) before it starts ({self.since})")

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.since <= day <= self.until


class Status(Enum):
    OK = "ok"
    NO_ANNOUNCEMENT = "no announcement"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class SourceResult:
    """What one source delivered for one window."""

    source: str
    status: Status
    papers: tuple[Paper, ...] = ()
    skipped: int = 0
    """Records seen but not kept (other subjects, replacements, out of the window)."""
    error: str | None = None
    """For a failure: the URL and the reason."""
    notes: tuple[str, ...] = field(default=())

    @property
    def fetched(self) -> int:
        return len(self.papers)


class Source(Protocol):
    """Anything that can fetch a window of papers."""

    name: str

    def fetch(self, window: FetchWindow) -> SourceResult:
        """Fetch the window; raise :class:`SourceError` when it cannot be delivered."""
        ...


class Lookup(Protocol):
    """Anything that can find given papers again: a list's entries get their records (the
    abstract, the date, the arXiv categories) when ``hfm-bot init`` adopts the list."""

    name: str

    def lookup(self, keys: Sequence[PaperKeys]) -> tuple[Paper, ...]:
        """The records this source holds of these papers (the others are left out); raise
        :class:`SourceError` when it cannot answer."""
        ...


def run_sources(sources: Sequence[Source], window: FetchWindow) -> list[SourceResult]:
    """Fetch from every source; a failure is recorded and the others still run."""
    results = []
    for source in sources:
        try:
            result = source.fetch(window)
        except SourceError as err:
            log.info("%s failed: %s", source.name, err)
            result = SourceResult(source.name, Status.FAILED, error=f"{err.reason} ({err.url})")
        results.append(result)
    return results


def merge(results: Sequence[SourceResult]) -> list[Paper]:
    """All papers, each once (by id; the first source listed wins)."""
    seen: set[str] = set()
    out: list[Paper] = []
    for result in results:
        for paper in result.papers:
            if paper.id not in seen:
                seen.add(paper.id)
                out.append(paper)
    return out


def cross_check(
    results: Sequence[SourceResult], api: str = "arxiv", rss: str = "rss"
) -> str | None:
    """Compare the arXiv API with the RSS listing of the same announcement: the papers the
    feed announced that the API did not return. A silent gap here is how arXiv bots stall."""
    by_name = {r.source: r for r in results}
    a, r = by_name.get(api), by_name.get(rss)
    if a is None or r is None or a.status is Status.FAILED or r.status is Status.FAILED:
        return None
    if not r.papers:
        return None
    api_ids = {p.id for p in a.papers}
    missing = [p.id for p in r.papers if p.id not in api_ids]
    found = len(r.papers) - len(missing)
    message = (
        f"cross-check: the API returned {found} of the {len(r.papers)} papers "
        "the RSS feed announced"
    )
    if missing:
        message += f"; missing: {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}"
    return message
