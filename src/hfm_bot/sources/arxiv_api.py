"""arXiv API source, through the ``arxiv`` package (``Client.results(Search(...))``).

One query per run: the watched categories, and ``submittedDate`` in the window. Submission
date rather than last-updated date, because the list wants new papers: a last-updated query
also returns every replaced (v2, v3…) old paper. New submissions are announced the evening
after their submission day's cutoff, so the run's window (with its overlap) covers them, and
the paper keys drop any already seen.

``arxiv.Client`` paginates and keeps arXiv's one-request-per-3-seconds rule, but has no
timeout and retries at once; so its requests go through :class:`~hfm_bot.sources.http.Fetcher`
(timeouts, backoff, Retry-After), and a page that comes back empty although more results were
promised is retried here with backoff, resuming from the last paper received.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import arxiv
import requests

from hfm_bot.ids import PaperKeys, arxiv_version, normalise_arxiv_id
from hfm_bot.paper import Origin, Paper
from hfm_bot.sources.base import FetchWindow, SourceError, SourceResult, Status
from hfm_bot.sources.http import Fetcher
from hfm_bot.text import clean

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://export.arxiv.org/api/query"
MAX_PAGE_SIZE = 2000
"""arXiv's limit per request."""


class _FetcherSession:
    """What ``arxiv.Client`` needs of a session (``get``), served by our Fetcher."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher

    def get(self, url: str, **_: Any) -> requests.Response:
        response = self.fetcher.get(url, accept_status=(400,))
        if response.status_code == 400:
            match = re.search(rb"<summary>(.*?)</summary>", response.content, re.S)
            detail = clean(match.group(1).decode("utf-8", "replace")) if match else "bad request"
            raise SourceError(self.fetcher.source, url, f"HTTP 400: {detail}")
        return response


def build_client(
    fetcher: Fetcher, base_url: str, page_size: int, delay_seconds: float
) -> arxiv.Client:
    """An ``arxiv.Client`` that requests through ``fetcher``, from ``base_url``."""
    client = arxiv.Client(
        page_size=min(page_size, MAX_PAGE_SIZE), delay_seconds=delay_seconds, num_retries=0
    )
    client.query_url_format = base_url + "?{}"
    # arxiv.Client makes every request through this one private attribute; giving it our
    # session is how its pagination gets timeouts and backoff. This is the bot's only reach
    # into the package's internals (known to work: arxiv 4.0, see the README). A
    # release that renames it would silently bypass our session, so it stops the run here.
    if not isinstance(getattr(client, "_session", None), requests.Session):
        raise SourceError(
            "arxiv",
            base_url,
            f"the arxiv package {getattr(arxiv, '__version__', '?')} has no Client._session "
            "(a requests.Session) for hfm-bot to route requests through; install arxiv 4.0 "
            "(the versions known to work are in hfm-bot's README)",
        )
    client._session = _FetcherSession(fetcher)
    return client


def build_query(categories: Sequence[str], window: FetchWindow) -> str:
    cats = " OR ".join(f"cat:{c}" for c in categories)
    since = window.since.strftime("%Y%m%d") + "0000"
    until = window.until.strftime("%Y%m%d") + "2359"
    return f"({cats}) AND submittedDate:[{since} TO {until}]"


def paper_from_result(result: arxiv.Result, fetched_from: str) -> Paper | None:
    """A Paper from the arxiv package's record; None for an entry without an arXiv id."""
    arxiv_id = normalise_arxiv_id(result.entry_id)
    if arxiv_id is None:
        return None
    return Paper(
        id=arxiv_id,
        source=Origin.ARXIV,
        title=clean(result.title),
        abstract=clean(result.summary),
        authors=tuple(clean(a.name) for a in result.authors),
        categories=tuple(result.categories),
        primary_category=result.primary_category
        or (result.categories[0] if result.categories else None),
        date=result.published.date() if result.published else None,
        version=arxiv_version(result.entry_id),
        comment=clean(result.comment) or None,
        journal_ref=clean(result.journal_ref) or None,
        doi=(result.doi or "").lower() or None,
        fetched_from=fetched_from,
    )


class ArxivApiSource:
    """New submissions in the watched categories, from the arXiv API."""

    name = "arxiv"

    def __init__(
        self,
        client: arxiv.Client,
        categories: Sequence[str],
        *,
        max_resumes: int = 3,
        backoff: float = 5.0,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        if not categories:
            raise ValueError("the arXiv source needs at least one category")
        self.client = client
        self.categories = tuple(categories)
        self.max_resumes = max_resumes
        self.backoff = backoff
        self.sleep = sleep or time.sleep

    def _results(self, search: arxiv.Search) -> Iterator[arxiv.Result]:
        """Results, resuming after an empty page from the last one received.

        A resumed query starts a new result set at ``offset``, and ``arxiv.Client`` takes an
        empty *first* page for the end; after an empty page that is the same fault again,
        so it counts as one more failure rather than a silent end."""
        received = 0
        failures = 0
        empty_url: str | None = None
        while True:
            got = 0
            try:
                for result in self.client.results(search, offset=received):
                    received += 1
                    got += 1
                    yield result
            except arxiv.UnexpectedEmptyPageError as err:
                empty_url = err.url
            except arxiv.HTTPError as err:
                raise SourceError(self.name, err.url, f"HTTP {err.status}") from err
            else:
                if empty_url is None or got:
                    return
            failures += 1
            if failures > self.max_resumes:
                raise SourceError(
                    self.name,
                    empty_url or "",
                    f"empty page although more results were promised, after {failures} tries",
                )
            wait = self.backoff * 2 ** (failures - 1)
            log.info("arxiv: empty page at %d; resuming in %.0f s", received, wait)
            self.sleep(wait)

    def fetch(self, window: FetchWindow) -> SourceResult:
        query = build_query(self.categories, window)
        search = arxiv.Search(
            query=query,
            max_results=None,
            sort_by=arxiv.SortCriterion.SubmittedDate,
            sort_order=arxiv.SortOrder.Descending,
        )
        papers: list[Paper] = []
        skipped = 0
        seen: set[str] = set()
        url = self.client.query_url_format.split("?")[0]
        for result in self._results(search):
            paper = paper_from_result(result, url)
            if paper is None or paper.id in seen:
                skipped += 1
                continue
            seen.add(paper.id)
            papers.append(paper)
        status = Status.OK if papers else Status.NO_ANNOUNCEMENT
        return SourceResult(self.name, status, tuple(papers), skipped)


ID_LIST_BATCH = 100
"""Ids per ``id_list`` request (arXiv answers long id lists slowly, and a URL has a limit)."""


class ArxivIdLookup:
    """Papers by arXiv id from the API (``id_list``): a list's entries with their abstracts,
    dates and categories. Entries without an arXiv id are not looked up (the API has no
    search by DOI); ids arXiv does not know are simply not returned."""

    name = "arxiv"

    def __init__(self, client: arxiv.Client) -> None:
        self.client = client

    def lookup(self, keys: Sequence[PaperKeys]) -> tuple[Paper, ...]:
        ids = list(dict.fromkeys(k.arxiv_id for k in keys if k.arxiv_id))
        url = self.client.query_url_format.split("?")[0]
        papers: dict[str, Paper] = {}
        for start in range(0, len(ids), ID_LIST_BATCH):
            batch = ids[start : start + ID_LIST_BATCH]
            search = arxiv.Search(id_list=batch, max_results=len(batch))
            try:
                for result in self.client.results(search):
                    paper = paper_from_result(result, url)
                    if paper is not None:
                        papers.setdefault(paper.id, paper)
            except arxiv.HTTPError as err:
                raise SourceError(self.name, err.url, f"HTTP {err.status}") from err
            except arxiv.UnexpectedEmptyPageError as err:
                raise SourceError(self.name, err.url, "empty page for an id_list query") from err
        return tuple(papers.values())
