"""arXiv RSS source (``rss.arxiv.org/rss/<cat>+<cat>``): the latest announcement, as listed.

The feed holds one announcement: items of type ``new`` and ``cross`` are new papers here;
``replace`` and ``replace-cross`` are new versions of old ones and are skipped. An empty feed
is arXiv's way of saying there was no announcement (weekends, holidays): reported as such,
not as a failure. The bytes come from :class:`Fetcher`; feedparser only ever parses bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import feedparser

from hfm_bot.ids import arxiv_version, normalise_arxiv_id
from hfm_bot.paper import Origin, Paper
from hfm_bot.sources.base import FetchWindow, SourceError, SourceResult, Status
from hfm_bot.sources.http import Fetcher
from hfm_bot.text import clean

DEFAULT_BASE_URL = "https://rss.arxiv.org/rss"
KEEP_TYPES = {"new", "cross"}
_ABSTRACT_RE = re.compile(r"Abstract:\s*(.*)", re.S)


def _date(parsed: object) -> dt.date | None:
    if parsed is None:
        return None
    return dt.date(*parsed[:3])  # type: ignore[index]


class ArxivRssSource:
    name = "rss"

    def __init__(
        self, fetcher: Fetcher, categories: Sequence[str], base_url: str = DEFAULT_BASE_URL
    ) -> None:
        if not categories:
            raise ValueError("the arXiv RSS source needs at least one category")
        self.fetcher = fetcher
        self.url = f"{base_url.rstrip('/')}/{'+'.join(categories)}"

    def fetch(self, window: FetchWindow) -> SourceResult:
        body = self.fetcher.get(self.url).content
        feed = feedparser.parse(body)
        if feed.bozo and not feed.entries:
            reason = f"not a feed: {type(feed.bozo_exception).__name__}: {feed.bozo_exception}"
            raise SourceError(self.name, self.url, reason)
        if not feed.entries:
            return SourceResult(self.name, Status.NO_ANNOUNCEMENT, notes=("empty feed",))
        feed_date = _date(feed.feed.get("published_parsed"))
        papers: list[Paper] = []
        skipped = 0
        for entry in feed.entries:
            kind = (entry.get("arxiv_announce_type") or "new").strip()
            raw_id = entry.get("id") or entry.get("link") or ""
            arxiv_id = normalise_arxiv_id(
                raw_id.replace("oai:arXiv.org:", "")
            ) or normalise_arxiv_id(entry.get("link", ""))
            day = _date(entry.get("published_parsed")) or feed_date
            if kind not in KEEP_TYPES or arxiv_id is None or not window.contains(day):
                skipped += 1
                continue
            description = entry.get("summary", "")
            match = _ABSTRACT_RE.search(description)
            categories = tuple(t["term"] for t in entry.get("tags", []) if t.get("term"))
            authors = tuple(clean(a) for a in (entry.get("author") or "").split(",") if a.strip())
            papers.append(
                Paper(
                    id=arxiv_id,
                    source=Origin.RSS,
                    title=clean(entry.get("title", "")),
                    abstract=clean(match.group(1) if match else description),
                    authors=authors,
                    categories=categories,
                    primary_category=categories[0] if categories else None,
                    date=day,
                    version=arxiv_version(raw_id.replace("oai:arXiv.org:", "")),
                    fetched_from=self.url,
                )
            )
        status = Status.OK if papers else Status.NO_ANNOUNCEMENT
        return SourceResult(self.name, status, tuple(papers), skipped)
