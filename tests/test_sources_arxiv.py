"""The arXiv API source: the real ``arxiv`` client against recorded Atom pages served on
127.0.0.1, every field of every record checked against an independent parse of the XML; and
the faults a real server produces, each ending in bounded retries and a clear failure."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import arxiv
import pytest
import requests
from testsupport.localserver import LocalServer, Reply, serve

from hfm_bot.ids import normalise_arxiv_id
from hfm_bot.paper import Paper
from hfm_bot.sources import arxiv_api
from hfm_bot.sources.base import FetchWindow, SourceError, Status
from hfm_bot.sources.http import Fetcher, RetryPolicy
from tests.conftest import FIXTURES as RECORDED

FIXTURES = RECORDED / "arxiv_api"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
ALL_PAGES = sorted(
    p for p in FIXTURES.glob("*/xml/*.xml") if ".http400" not in p.name
)  # both generations: 2019 (pubs, ewan-m) and 2026 (arxiv.py)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    yield from serve()


def _fetcher(sleeps: list[float] | None = None, timeout: float = 5.0) -> Fetcher:
    log = sleeps if sleeps is not None else []
    return Fetcher(
        requests.Session(),
        "arxiv",
        RetryPolicy(timeout=timeout, attempts=3, backoff=1.0),
        sleep=log.append,
    )


def _client(server: LocalServer, fetcher: Fetcher, page_size: int = 100) -> arxiv.Client:
    return arxiv_api.build_client(fetcher, server.url + "/api/query", page_size, delay_seconds=0.0)


def _collapse(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _expected(page: Path) -> list[dict[str, object]]:
    """What each entry says, read with ElementTree (no code shared with the source)."""
    root = ET.fromstring(page.read_bytes())
    out: list[dict[str, object]] = []
    for entry in root.findall(f"{ATOM}entry"):
        raw_id = entry.findtext(f"{ATOM}id") or ""
        primary = entry.find(f"{ARXIV}primary_category")
        version = re.search(r"v(\d+)$", raw_id)
        out.append(
            {
                "id": normalise_arxiv_id(raw_id),
                "version": int(version.group(1)) if version else None,
                "title": _collapse(entry.findtext(f"{ATOM}title")),
                "abstract": _collapse(entry.findtext(f"{ATOM}summary")),
                "authors": tuple(
                    _collapse(a.findtext(f"{ATOM}name")) for a in entry.findall(f"{ATOM}author")
                ),
                "categories": tuple(c.get("term") for c in entry.findall(f"{ATOM}category")),
                "primary_category": primary.get("term") if primary is not None else None,
                "comment": _collapse(entry.findtext(f"{ARXIV}comment")) or None,
                "journal_ref": _collapse(entry.findtext(f"{ARXIV}journal_ref")) or None,
                "doi": (entry.findtext(f"{ARXIV}doi") or "").strip().lower() or None,
                "date": dt.date.fromisoformat((entry.findtext(f"{ATOM}published") or "")[:10]),
            }
        )
    return out


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: f"{p.parents[1].name}/{p.stem}")
def test_every_field_of_every_recorded_record(server: LocalServer, page: Path) -> None:
    server.route("/api/query", lambda q: Reply(200, page.read_bytes()))
    expected = _expected(page)
    client = _client(server, _fetcher(), page_size=max(len(expected), 1))
    search = arxiv.Search(query="all:testing", max_results=max(len(expected), 1))
    papers = [arxiv_api.paper_from_result(r, server.url) for r in client.results(search)]
    assert len(papers) == len(expected)
    for paper, want in zip(papers, expected, strict=True):
        assert paper is not None
        got = {key: getattr(paper, key) for key in want}
        assert got == want
        assert paper.url == f"https://arxiv.org/abs/{paper.id}"  # built from the id
        assert paper.source == "arxiv" and "\n" not in paper.title


def test_recorded_shapes_that_matter(server: LocalServer) -> None:
    """The odd records arXiv really sends, through the client and the source's parsing."""
    by_name = {p.name: p for p in ALL_PAGES}

    def papers(name: str) -> list[Paper]:
        page = by_name[name]
        server.route("/api/query", lambda q: Reply(200, page.read_bytes()))
        client = _client(server, _fetcher(), page_size=10)
        search = arxiv.Search(query="all:testing", max_results=10)
        found = [arxiv_api.paper_from_result(r, server.url) for r in client.results(search)]
        return [p for p in found if p is not None]

    [wrapped] = papers("id_list_1710.08557.xml")
    assert "\n" not in wrapped.title and "  " not in wrapped.title  # 2019 titles wrap
    [zero] = papers("id_2104.12255v1_s0_m100_6ae69987ffe1.xml")
    assert (zero.title, zero.id, zero.version) == ("0", "2104.12255", 1)  # a title "0" is kept
    [old] = papers("id_list_math_0211159.xml")
    assert old.id == "math/0211159" and old.url == "https://arxiv.org/abs/math/0211159"
    assert papers("id_0000.0000_s0_m100_8b51d9633a68.xml") == []


def test_title_literally_zero_survives(server: LocalServer) -> None:
    page = FIXTURES / "arxivpy_2026/xml/id_2104.12255v1_s0_m100_6ae69987ffe1.xml"
    server.route("/api/query", lambda q: Reply(200, page.read_bytes()))
    results = list(_client(server, _fetcher()).results(arxiv.Search(id_list=["2104.12255v1"])))
    paper = arxiv_api.paper_from_result(results[0], server.url)
    assert paper is not None and paper.title == "0" and paper.title_text == "0"


def test_the_source_sends_one_query_for_categories_and_window(server: LocalServer) -> None:
    page = FIXTURES / "arxivpy_2026/xml/id_1605.08386_s0_m100_199195aa31ad.xml"
    server.route("/api/query", lambda q: Reply(200, page.read_bytes()))
    source = arxiv_api.ArxivApiSource(_client(server, _fetcher()), ["cs.CV", "q-bio.GN"])
    result = source.fetch(FetchWindow(dt.date(2025, 6, 4), dt.date(2025, 6, 5)))
    assert result.status is Status.OK and result.fetched == 1
    assert result.papers[0].id == "1605.08386"
    assert len(server.requests) == 1
    query = server.requests[0].query
    assert query["search_query"] == [
        "(cat:cs.CV OR cat:q-bio.GN) AND submittedDate:[202506040000 TO 202506052359]"
    ]
    assert query["sortBy"] == ["submittedDate"] and query["max_results"] == ["100"]


def test_pagination_follows_start(server: LocalServer) -> None:
    pages = {
        "0": FIXTURES / "arxivpy_2026/xml/q_testing_s0_m10_bc5a6c384fe9.xml",
        "10": FIXTURES / "arxivpy_2026/xml/q_testing_s10_m10_34e56e15aaac.xml",
    }
    server.route("/api/query", lambda q: Reply(200, pages[q["start"][0]].read_bytes()))
    client = _client(server, _fetcher(), page_size=10)
    results = list(client.results(arxiv.Search(query="all:testing", max_results=20)))
    assert len(results) == 20
    assert [r.query["start"] for r in server.requests] == [["0"], ["10"]]


# ---------------------------------------------------------------- faults


def test_400_error_feed_is_a_failure_with_arxivs_reason(server: LocalServer) -> None:
    page = FIXTURES / "arxivpy_2026/xml/id_abc_s0_m100_b79c8dcf6bc3.http400.xml"
    server.route("/api/query", lambda q: Reply(400, page.read_bytes()))
    source = arxiv_api.ArxivApiSource(_client(server, _fetcher()), ["cs.CV"])
    with pytest.raises(SourceError, match="HTTP 400: incorrect id format for abc") as info:
        source.fetch(FetchWindow(dt.date(2025, 6, 5), dt.date(2025, 6, 5)))
    assert info.value.url.startswith(server.url)
    assert len(server.requests) == 1  # a 400 is not retried


def test_429_with_retry_after_then_success(server: LocalServer) -> None:
    page = FIXTURES / "arxivpy_2026/xml/id_1605.08386_s0_m100_199195aa31ad.xml"
    server.sequence(
        "/api/query",
        [Reply(429, b"slow down", {"Retry-After": "7"}), Reply(200, page.read_bytes())],
    )
    sleeps: list[float] = []
    source = arxiv_api.ArxivApiSource(_client(server, _fetcher(sleeps)), ["cs.CV"])
    result = source.fetch(FetchWindow(dt.date(2025, 6, 5), dt.date(2025, 6, 5)))
    assert result.fetched == 1
    assert sleeps == [7.0]  # Retry-After honoured


def test_500_then_success_backs_off(server: LocalServer) -> None:
    page = FIXTURES / "arxivpy_2026/xml/id_1605.08386_s0_m100_199195aa31ad.xml"
    server.sequence("/api/query", [Reply(500), Reply(503), Reply(200, page.read_bytes())])
    sleeps: list[float] = []
    source = arxiv_api.ArxivApiSource(_client(server, _fetcher(sleeps)), ["cs.CV"])
    assert source.fetch(FetchWindow(dt.date(2025, 6, 5), dt.date(2025, 6, 5))).fetched == 1
    assert len(sleeps) == 2 and 1.0 <= sleeps[0] <= 1.25 and 2.0 <= sleeps[1] <= 2.5


def test_timeouts_fail_after_bounded_tries(server: LocalServer) -> None:
    server.route("/api/query", lambda q: Reply(200, b"<feed/>", delay=0.5))
    source = arxiv_api.ArxivApiSource(_client(server, _fetcher(timeout=0.1)), ["cs.CV"])
    with pytest.raises(SourceError, match=r"timed out after 0.1 s, after 3 tries"):
        source.fetch(FetchWindow(dt.date(2025, 6, 5), dt.date(2025, 6, 5)))
    assert len(server.requests) == 3


def test_truncated_body_fails_after_bounded_tries(server: LocalServer) -> None:
    page = FIXTURES / "arxivpy_2026/xml/q_testing_s0_m10_bc5a6c384fe9.xml"
    server.route("/api/query", lambda q: Reply(200, page.read_bytes(), truncate=True))
    source = arxiv_api.ArxivApiSource(_client(server, _fetcher()), ["cs.CV"])
    with pytest.raises(SourceError, match=r"connection failed.*after 3 tries"):
        source.fetch(FetchWindow(dt.date(2025, 6, 5), dt.date(2025, 6, 5)))
    assert len(server.requests) == 3


def test_feed_with_zero_entries_is_no_announcement(server: LocalServer) -> None:
    page = FIXTURES / "arxivpy_2026/xml/id_0000.0000_s0_m100_8b51d9633a68.xml"
    server.route("/api/query", lambda q: Reply(200, page.read_bytes()))
    source = arxiv_api.ArxivApiSource(_client(server, _fetcher()), ["cs.CV"])
    result = source.fetch(FetchWindow(dt.date(2025, 6, 7), dt.date(2025, 6, 7)))
    assert result.status is Status.NO_ANNOUNCEMENT and result.fetched == 0


def test_empty_page_although_more_promised_resumes_then_fails(server: LocalServer) -> None:
    first = FIXTURES / "arxivpy_2026/xml/q_testing_s0_m10_bc5a6c384fe9.xml"  # promises 214,881
    empty = FIXTURES / "arxivpy_2026/xml/id_0000.0000_s0_m100_8b51d9633a68.xml"
    server.route(
        "/api/query",
        lambda q: Reply(200, (first if q["start"] == ["0"] else empty).read_bytes()),
    )
    sleeps: list[float] = []
    source = arxiv_api.ArxivApiSource(
        _client(server, _fetcher(), page_size=10), ["cs.CV"], max_resumes=2, backoff=5.0,
        sleep=sleeps.append,
    )  # fmt: skip
    with pytest.raises(SourceError, match="empty page although more results were promised"):
        source.fetch(FetchWindow(dt.date(2025, 6, 5), dt.date(2025, 6, 5)))
    assert sleeps == [5.0, 10.0]  # exponential backoff between resumes
    starts = [r.query["start"][0] for r in server.requests]
    assert starts == ["0", "10", "10", "10"]  # resumes where it stopped, not from the start


def test_the_one_reach_into_arxiv_internals_fails_loudly_if_renamed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """build_client replaces arxiv.Client's private ``_session``; if a release renamed it,
    assigning would silently add an unused attribute and the client would request with no
    timeouts or backoff. The installed release must have it, and a renamed one stops the run
    with a message naming the package."""
    assert isinstance(arxiv.Client()._session, requests.Session)  # the installed release
    real_init = arxiv.Client.__init__

    def renamed(self: arxiv.Client, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        self._http = self.__dict__.pop("_session")  # what a future release might do

    monkeypatch.setattr(arxiv.Client, "__init__", renamed)
    with pytest.raises(SourceError, match=r"arxiv package .* has no Client\._session"):
        arxiv_api.build_client(_fetcher(), "http://127.0.0.1:9/api/query", 10, delay_seconds=0)


def test_every_request_of_the_client_goes_through_the_fetcher(server: LocalServer) -> None:
    """The replaced session is the one the client uses: a request made without it would not
    be counted here (nor get timeouts and backoff)."""
    calls: list[str] = []
    fetcher = _fetcher()
    real_get = fetcher.get

    def counting(url: str, **kwargs: Any) -> requests.Response:
        calls.append(url)
        return real_get(url, **kwargs)

    fetcher.get = counting  # type: ignore[method-assign]
    page = FIXTURES / "arxivpy_2026/xml/id_1605.08386_s0_m100_199195aa31ad.xml"
    server.route("/api/query", lambda q: Reply(200, page.read_bytes()))
    results = list(_client(server, fetcher).results(arxiv.Search(id_list=["1605.08386"])))
    assert len(results) == 1 and len(calls) == 1 and calls[0].startswith(server.url)
