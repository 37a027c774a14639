"""bioRxiv and medRxiv: the details API (paged JSON), and the subject RSS feeds as a fallback.

``api.biorxiv.org/details/<server>/<from>/<to>/<cursor>`` pages 100 records at a time. Its
reported total can exceed what it holds, so paging stops at the real end: an empty collection
or "no posts found". Every version of a preprint is a record; they are merged by DOI, keeping
the newest, with the journal DOI when the preprint has been ``published``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import re
import time
from collections.abc import Callable, Sequence

import feedparser

from hfm_bot.jsontypes import JSON, JSONObject
from hfm_bot.paper import Origin, Paper
from hfm_bot.sources.base import FetchWindow, SourceError, SourceResult, Status
from hfm_bot.sources.http import Fetcher
from hfm_bot.text import clean

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.biorxiv.org"
DEFAULT_RSS_URL = "http://connect.biorxiv.org/biorxiv_xml.php"
MAX_PAGES = 2000
"""A guard: 200,000 records is more than a year of bioRxiv."""


def _subject_set(subjects: Sequence[str]) -> set[str]:
    return {s.strip().casefold() for s in subjects if s.strip()}


class BiorxivApiSource:
    """New preprints of one server (``biorxiv`` or ``medrxiv``) in the watched subjects."""

    def __init__(
        self,
        fetcher: Fetcher,
        server: str,
        subjects: Sequence[str],
        base_url: str = DEFAULT_API_URL,
        sleep: Callable[[float], None] | None = None,
        bad_json_retries: int = 2,
    ) -> None:
        if server not in ("biorxiv", "medrxiv"):
            raise ValueError(f"unknown server {server!r}")
        self.name = server
        self.fetcher = fetcher
        self.server = server
        self.subjects = _subject_set(subjects)
        self.base_url = base_url.rstrip("/")
        self.sleep = sleep or time.sleep
        self.bad_json_retries = bad_json_retries

    def _page(self, url: str) -> JSONObject:
        for attempt in range(self.bad_json_retries + 1):
            body = self.fetcher.get(url).content
            try:
                data = json.loads(body)
            except (json.JSONDecodeError, UnicodeDecodeError) as err:
                reason = f"invalid JSON ({err})"
            else:
                if isinstance(data, dict):
                    return data
                reason = "JSON is not an object"
            if attempt < self.bad_json_retries:
                self.sleep(self.fetcher.policy.backoff * 2**attempt)
        raise SourceError(self.name, url, f"{reason}, after {self.bad_json_retries + 1} tries")

    def fetch(self, window: FetchWindow) -> SourceResult:
        newest: dict[str, JSONObject] = {}
        cursor = 0
        skipped = 0
        notes: list[str] = []
        reported_total = 0
        for _ in range(MAX_PAGES):
            url = f"{self.base_url}/details/{self.server}/{window.since}/{window.until}/{cursor}"
            data = self._page(url)
            messages = data.get("messages") or [{}]
            first = messages[0] if isinstance(messages, list) and messages else {}
            message = first if isinstance(first, dict) else {}
            status = str(message.get("status", "")).strip().lower()
            raw = data.get("collection")
            collection = raw if isinstance(raw, list) else []
            reported_total = max(reported_total, _int(message.get("total")))
            if status == "no posts found" or not collection:
                if reported_total > cursor:
                    notes.append(f"reported total {reported_total}, but records ended at {cursor}")
                break
            if status and status != "ok":
                raise SourceError(self.name, url, f"API status {status!r}")
            for record in collection:
                if not isinstance(record, dict) or not record.get("doi"):
                    skipped += 1
                    continue
                subject = str(record.get("category", "")).strip().casefold()
                if self.subjects and subject not in self.subjects:
                    skipped += 1
                    continue
                doi = str(record["doi"]).lower()
                old = newest.get(doi)
                if old is None or _version(record) > _version(old):
                    if old is not None:
                        skipped += 1
                    newest[doi] = record
                else:
                    skipped += 1
            cursor += len(collection)
            if reported_total and cursor >= reported_total:
                break
        else:
            raise SourceError(self.name, url, f"more than {MAX_PAGES} pages; stopping")
        papers = tuple(self._paper(r, url) for r in newest.values())
        status_out = Status.OK if papers else Status.NO_ANNOUNCEMENT
        return SourceResult(self.name, status_out, papers, skipped, notes=tuple(notes))

    def _paper(self, record: JSONObject, url: str) -> Paper:
        published = str(record.get("published") or "").strip()
        category = clean(str(record.get("category", "")))
        day = None
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(str(record.get("date", ""))[:10])
        return Paper(
            id=f"doi:{str(record['doi']).lower()}",
            source=Origin(self.server),
            title=clean(str(record.get("title", ""))),
            abstract=clean(str(record.get("abstract", ""))),
            authors=tuple(
                a.strip() for a in str(record.get("authors", "")).split(";") if a.strip()
            ),
            categories=(category,) if category else (),
            primary_category=category or None,
            date=day,
            version=_version(record),
            journal_ref=None,
            doi=published.lower() if published and published.upper() != "NA" else None,
            fetched_from=url,
        )


def _as_int(value: JSON, default: int) -> int:
    if isinstance(value, int | float | str):
        try:
            return int(value)
        except (TypeError, ValueError, OverflowError):
            return default
    return default


def _int(value: JSON) -> int:
    return _as_int(value or 0, 0)


def _version(record: JSONObject) -> int:
    return _as_int(record.get("version") or 1, 1)


_RSS_VERSION_RE = re.compile(r"/(\d+)v(\d+)")


class BiorxivRssSource:
    """The subject RSS feeds (RSS 1.0): the fallback when the API is down."""

    name = "biorxiv-rss"

    def __init__(
        self, fetcher: Fetcher, subjects: Sequence[str], base_url: str = DEFAULT_RSS_URL
    ) -> None:
        self.fetcher = fetcher
        joined = "+".join(s.strip().replace(" ", "_") for s in subjects) or "all"
        self.url = f"{base_url}?subject={joined}"

    def fetch(self, window: FetchWindow) -> SourceResult:
        feed = feedparser.parse(self.fetcher.get(self.url).content)
        if feed.bozo and not feed.entries:
            raise SourceError(self.name, self.url, f"not a feed: {feed.bozo_exception}")
        papers: list[Paper] = []
        skipped = 0
        for entry in feed.entries:
            identifier = str(entry.get("dc_identifier", ""))
            day = entry.get("updated_parsed")
            date = dt.date(*day[:3]) if day else None
            if not identifier.startswith("doi:") or not window.contains(date):
                skipped += 1
                continue
            match = _RSS_VERSION_RE.search(entry.get("link", ""))
            papers.append(
                Paper(
                    id=identifier.lower(),
                    source=Origin.BIORXIV,
                    title=clean(entry.get("title", "")),
                    abstract=clean(entry.get("summary", "")),
                    authors=tuple(clean(a.get("name", "")) for a in entry.get("authors", [])),
                    date=date,
                    version=int(match.group(2)) if match else None,
                    fetched_from=self.url,
                )
            )
        status = Status.OK if papers else Status.NO_ANNOUNCEMENT
        return SourceResult(self.name, status, tuple(papers), skipped)
