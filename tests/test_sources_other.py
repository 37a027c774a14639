"""arXiv RSS, bioRxiv/medRxiv (API and RSS), replay, the watermark, and `hfm-bot fetch`.

No recording of rss.arxiv.org or of api.biorxiv.org's JSON exists here (see
../shared/fixtures/README.txt), so those responses are built below from their documented
formats: info.arxiv.org/help/rss (RSS 2.0 items with <arxiv:announce_type>, a description of
"arXiv:ID Announce Type: X" then "Abstract: ...") and api.biorxiv.org's help pages (messages
with status/cursor/count/total, and a collection of records with doi, title, authors, date,
version, category, abstract, published, server). The bioRxiv subject RSS is recorded and is
served verbatim.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from testsupport.localserver import LocalServer, Reply, serve

from hfm_bot import state
from hfm_bot.cli import main
from hfm_bot.sources.arxiv_rss import ArxivRssSource
from hfm_bot.sources.base import FetchWindow, SourceError, Status
from hfm_bot.sources.biorxiv import BiorxivApiSource, BiorxivRssSource
from hfm_bot.sources.http import Fetcher, RetryPolicy
from hfm_bot.sources.replay import ReplaySource
from tests.conftest import FIXTURES, REPO, STREAM

DAY = FetchWindow(dt.date(2025, 6, 5), dt.date(2025, 6, 5))


@pytest.fixture
def server() -> Iterator[LocalServer]:
    yield from serve()


def _fetcher(name: str, sleeps: list[float] | None = None) -> Fetcher:
    return Fetcher(
        requests.Session(),
        name,
        RetryPolicy(timeout=5, attempts=3, backoff=1.0),
        sleep=(sleeps if sleeps is not None else []).append,
    )


# ---------------------------------------------------------------- arXiv RSS


def _rss_item(arxiv_id: str, kind: str, title: str, abstract: str, cats: list[str]) -> str:
    categories = "".join(f"<category>{c}</category>" for c in cats)
    return f"""<item>
      <title>{title}</title>
      <link>https://arxiv.org/abs/{arxiv_id}</link>
      <description>arXiv:{arxiv_id}v1 Announce Type: {kind}
Abstract: {abstract}</description>
      <guid isPermaLink="false">oai:arXiv.org:{arxiv_id}v1</guid>
      {categories}
      <pubDate>Thu, 05 Jun 2025 00:00:00 -0400</pubDate>
      <arxiv:announce_type>{kind}</arxiv:announce_type>
      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>
      <dc:creator>Ada Lovelace, Alan Turing</dc:creator>
    </item>"""


def _rss(items: list[str]) -> bytes:
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
  <channel>
    <title>cs.CV+q-bio.GN updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs.CV+q-bio.GN</link>
    <description>cs.CV+q-bio.GN updates on the arXiv.org e-print archive.</description>
    <language>en-us</language>
    <lastBuildDate>Thu, 05 Jun 2025 00:30:00 -0400</lastBuildDate>
    <pubDate>Thu, 05 Jun 2025 00:00:00 -0400</pubDate>
    <skipDays><day>Saturday</day><day>Sunday</day></skipDays>
    {"".join(items)}
  </channel>
</rss>""".encode()


def test_rss_keeps_new_and_cross_and_reads_the_abstract(server: LocalServer) -> None:
    items = [
        _rss_item("2506.00001", "new", "A medical &amp; clinical LLM", "We build it.", ["cs.CL"]),
        _rss_item("2506.00002", "cross", "Gene models", "DNA.\n  Wrapped.", ["q-bio.GN", "cs.LG"]),
        _rss_item("2501.00003", "replace", "Old paper v2", "Old.", ["cs.CV"]),
        _rss_item("2501.00004", "replace-cross", "Old cross v3", "Old.", ["cs.CV"]),
    ]
    server.route("/rss/cs.CV+q-bio.GN", lambda q: Reply(200, _rss(items)))
    source = ArxivRssSource(_fetcher("rss"), ["cs.CV", "q-bio.GN"], server.url + "/rss")
    result = source.fetch(DAY)
    assert result.status is Status.OK
    assert [p.id for p in result.papers] == ["2506.00001", "2506.00002"]
    assert result.skipped == 2
    first, second = result.papers
    assert first.title == "A medical & clinical LLM"
    assert first.abstract == "We build it."
    assert first.authors == ("Ada Lovelace", "Alan Turing")
    assert first.date == dt.date(2025, 6, 5) and first.version == 1
    assert second.abstract == "DNA. Wrapped."
    assert second.categories == ("q-bio.GN", "cs.LG") and second.primary_category == "q-bio.GN"


def test_empty_rss_feed_is_no_announcement(server: LocalServer) -> None:
    server.route("/rss/cs.CV", lambda q: Reply(200, _rss([])))
    result = ArxivRssSource(_fetcher("rss"), ["cs.CV"], server.url + "/rss").fetch(DAY)
    assert result.status is Status.NO_ANNOUNCEMENT and result.notes == ("empty feed",)


def test_rss_that_is_not_a_feed_fails(server: LocalServer) -> None:
    server.route("/rss/cs.CV", lambda q: Reply(200, b"<html><body>maintenance"))
    with pytest.raises(SourceError, match="not a feed"):
        ArxivRssSource(_fetcher("rss"), ["cs.CV"], server.url + "/rss").fetch(DAY)


# ---------------------------------------------------------------- bioRxiv API


def _record(doi: str, version: int, category: str, **extra: Any) -> dict[str, Any]:
    record = {
        "doi": doi,
        "title": f"Preprint {doi}",
        "authors": "Curie, M.; Franklin, R.",
        "author_corresponding": "Marie Curie",
        "author_corresponding_institution": "Sorbonne",
        "date": "2025-06-05",
        "version": str(version),
        "type": "new results",
        "license": "cc_by",
        "category": category,
        "jatsxml": f"https://www.biorxiv.org/content/early/2025/06/05/{doi}.source.xml",
        "abstract": "A single-cell foundation model.",
        "published": "NA",
        "server": "bioRxiv",
    }
    record.update(extra)
    return record


def _page(records: list[dict[str, Any]], cursor: int, total: int) -> bytes:
    message = {
        "status": "ok",
        "interval": "2025-06-05:2025-06-05",
        "cursor": str(cursor),
        "count": len(records),
        "count_new_papers": str(len(records)),
        "total": str(total),
    }
    return json.dumps({"messages": [message], "collection": records}).encode()


NO_POSTS = json.dumps({"messages": [{"status": "no posts found"}], "collection": []}).encode()


def test_biorxiv_pages_by_cursor_filters_subjects_and_merges_versions(server: LocalServer) -> None:
    first = [_record(f"10.1101/2025.06.05.{i:06d}", 1, "bioinformatics") for i in range(100)]
    second = [
        _record("10.1101/2025.06.05.000001", 2, "bioinformatics", published="10.1038/s41586-025-1"),
        _record("10.1101/2025.06.05.900000", 1, "Genomics"),
        _record("10.1101/2025.06.05.900001", 1, "zoology"),
    ]
    pages = {"0": _page(first, 0, 103), "100": _page(second, 100, 103)}
    server.route("/details/biorxiv/2025-06-05/2025-06-05/0", lambda q: Reply(200, pages["0"]))
    server.route("/details/biorxiv/2025-06-05/2025-06-05/100", lambda q: Reply(200, pages["100"]))
    source = BiorxivApiSource(
        _fetcher("biorxiv"), "biorxiv", ["bioinformatics", "genomics"], server.url
    )
    result = source.fetch(DAY)
    assert result.status is Status.OK
    assert len(result.papers) == 101  # 100 + genomics; zoology skipped; v2 merged
    merged = next(p for p in result.papers if p.id == "doi:10.1101/2025.06.05.000001")
    assert merged.version == 2 and merged.doi == "10.1038/s41586-025-1"
    assert merged.url == "https://www.biorxiv.org/content/10.1101/2025.06.05.000001"
    assert merged.authors == ("Curie, M.", "Franklin, R.")
    assert merged.categories == ("bioinformatics",) and merged.date == dt.date(2025, 6, 5)
    assert result.skipped == 2
    assert [r.path.rsplit("/", 1)[1] for r in server.requests] == ["0", "100"]


def test_biorxiv_total_that_overstates_stops_at_the_real_end(server: LocalServer) -> None:
    records = [_record(f"10.1101/2025.06.05.{i:06d}", 1, "genomics") for i in range(30)]
    base = "/details/medrxiv/2025-06-05/2025-06-05"
    server.route(f"{base}/0", lambda q: Reply(200, _page(records, 0, 250)))
    server.route(f"{base}/30", lambda q: Reply(200, NO_POSTS))
    source = BiorxivApiSource(_fetcher("medrxiv"), "medrxiv", [], server.url)
    result = source.fetch(DAY)
    assert len(result.papers) == 30 and result.status is Status.OK
    assert result.notes == ("reported total 250, but records ended at 30",)
    assert result.papers[0].url.startswith("https://www.medrxiv.org/content/10.1101/")


def test_biorxiv_no_posts_is_no_announcement(server: LocalServer) -> None:
    server.route("/details/biorxiv/2025-06-07/2025-06-07/0", lambda q: Reply(200, NO_POSTS))
    window = FetchWindow(dt.date(2025, 6, 7), dt.date(2025, 6, 7))
    result = BiorxivApiSource(_fetcher("biorxiv"), "biorxiv", [], server.url).fetch(window)
    assert result.status is Status.NO_ANNOUNCEMENT


def test_biorxiv_invalid_json_retries_then_fails(server: LocalServer) -> None:
    server.route("/details/biorxiv/2025-06-05/2025-06-05/0", lambda q: Reply(200, b"<html>oops"))
    sleeps: list[float] = []
    source = BiorxivApiSource(_fetcher("biorxiv"), "biorxiv", [], server.url, sleep=sleeps.append)
    with pytest.raises(SourceError, match=r"invalid JSON .*after 3 tries") as info:
        source.fetch(DAY)
    assert info.value.url.endswith("/details/biorxiv/2025-06-05/2025-06-05/0")
    assert sleeps == [1.0, 2.0] and len(server.requests) == 3


# ---------------------------------------------------------------- bioRxiv RSS (recorded)

RSS_FIXTURES = sorted((FIXTURES / "biorxiv/rss_cassettes/xml").glob("*.xml"))
RDF = "{http://purl.org/rss/1.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.mark.parametrize("page", RSS_FIXTURES, ids=lambda p: p.stem)
def test_biorxiv_rss_every_field_of_every_record(server: LocalServer, page: Path) -> None:
    server.route("/biorxiv_xml.php", lambda q: Reply(200, page.read_bytes()))
    window = FetchWindow(dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    result = BiorxivRssSource(
        _fetcher("biorxiv-rss"), ["genomics"], server.url + "/biorxiv_xml.php"
    ).fetch(window)
    items = ET.fromstring(page.read_bytes()).findall(f"{RDF}item")
    assert len(result.papers) == len(items) == 30
    for paper, item in zip(result.papers, items, strict=True):
        assert paper.id == (item.findtext(f"{DC}identifier") or "").lower()
        assert paper.title == " ".join((item.findtext(f"{RDF}title") or "").split())
        description = html.unescape(item.findtext(f"{RDF}description") or "")  # entities decoded
        assert paper.abstract == " ".join(description.split())
        assert paper.authors == tuple(c.text for c in item.findall(f"{DC}creator"))
        assert paper.date == dt.date.fromisoformat(item.findtext(f"{DC}date") or "")
        assert paper.version == int(
            (item.findtext(f"{RDF}link") or "").split("v")[-1].split("?")[0]
        )
    assert server.requests[0].query == {"subject": ["genomics"]}


# ---------------------------------------------------------------- replay and state


@pytest.mark.benchmark
def test_replay_serves_a_window_from_the_recorded_stream() -> None:
    source = ReplaySource([STREAM])
    assert [p.name for p in source.files(DAY)] == ["arxiv-2025-06.jsonl.gz"]
    result = source.fetch(DAY)
    assert result.fetched == 451 and {p.date for p in result.papers} == {dt.date(2025, 6, 5)}
    assert all(p.source == "replay" and p.abstract for p in result.papers)


def test_replay_plain_file_bad_lines_and_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    good = {"id": "2506.00001", "date": "2025-06-05", "title": "T", "abstract": "A"}
    path.write_text(
        json.dumps(good) + "\n{oops\n" + json.dumps({**good, "date": "2025-06-09"}) + "\n"
    )
    bad: list[str] = []
    result = ReplaySource([path], on_bad=lambda b: bad.append(str(b))).fetch(DAY)
    assert [p.id for p in result.papers] == ["2506.00001"] and result.skipped == 1
    assert bad == [
        f"{path}:2: skipped: not JSON (Expecting property name enclosed in double quotes)"
    ]
    with pytest.raises(SourceError, match="no such file"):
        ReplaySource([tmp_path / "nope"]).fetch(DAY)
    # An empty folder is a wrong path (it used to pass as a night without announcements).
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError, match=r"holds no \.jsonl or \.jsonl\.gz files"):
        ReplaySource([tmp_path / "empty"]).fetch(DAY)


def test_replay_warns_and_counts_a_date_that_is_not_iso(tmp_path: Path) -> None:
    """A record dated 08/10/2025 used to fall silently out of the window (its date was
    compared as text); now it is a bad line, warned with its file and line, and counted."""
    path = tmp_path / "papers.jsonl"
    good = {"id": "2506.00001", "date": "2025-06-05", "title": "T", "abstract": "A"}
    odd = {**good, "id": "2506.00002", "date": "06/05/2025"}
    path.write_text(json.dumps(good) + "\n" + json.dumps(odd) + "\n")
    bad: list[str] = []
    result = ReplaySource([path], on_bad=lambda b: bad.append(str(b))).fetch(DAY)
    assert [p.id for p in result.papers] == ["2506.00001"] and result.skipped == 0
    assert bad == [f"{path}:2: skipped: field 'date' is not a date: '06/05/2025'"]
    assert result.notes == ("1 unreadable records skipped (each warned)",)


@pytest.mark.parametrize("content", ["html", "bad-dates", "damaged-gzip"])
def test_a_replay_file_with_no_paper_is_a_failed_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    """A file of only bad lines (an HTML page saved as .gz, every date unreadable) used to be
    "no announcement", exit 0, and a damaged gzip a traceback; each is now a failed source
    naming the file, as invalid UTF-8 already was, and `fetch` exits 1."""
    record = {"id": "2506.00001", "date": "06/05/2025", "title": "T", "abstract": "A"}
    path = tmp_path / "arxiv-2025-06.jsonl.gz"
    if content == "html":
        path.write_text("<html><body>Not Found</body></html>\n")
        reason = "no line is a paper record (1 unreadable, each warned); named .gz, it is not gzip"
    elif content == "bad-dates":
        path.write_bytes(gzip.compress((json.dumps(record) + "\n").encode() * 3))
        reason = "no line is a paper record (3 unreadable, each warned)"
    else:
        packed = bytearray(gzip.compress((json.dumps(record) + "\n").encode() * 500))
        packed[20] ^= 0xFF
        packed[30] ^= 0xFF
        path.write_bytes(bytes(packed))
        reason = "not a JSON Lines file (Error -3 while decompressing data"
    with pytest.raises(SourceError, match=re.escape(reason)):
        ReplaySource([path]).fetch(DAY)
    out = tmp_path / "out.jsonl"
    code = main(
        ["--config", str(REPO / "hfm-bot.toml"), "fetch", "--since", "2025-06-05", "--until",
         "2025-06-05", "--source", f"replay:{path}", "-o", str(out)]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"replay: FAILED: {reason}" in err.replace(f"{path}: ", "") and "Traceback" not in err


def test_a_plain_file_named_gz_is_still_read(tmp_path: Path) -> None:
    """`fetch -o day.jsonl.gz` writes plain JSON Lines: the replay reads by content, so the
    round trip holds (only a .gz with no paper in it fails)."""
    path = tmp_path / "day.jsonl.gz"
    good = {"id": "2506.00001", "date": "2025-06-05", "title": "T", "abstract": "A"}
    path.write_text(json.dumps(good) + "\n")
    assert [p.id for p in ReplaySource([path]).fetch(DAY).papers] == ["2506.00001"]


def test_watermark_windows(tmp_path: Path) -> None:
    today = dt.date(2025, 6, 10)
    fresh = state.State()
    assert fresh.window("arxiv", today, overlap_days=2) == FetchWindow(dt.date(2025, 6, 9), today)
    later = fresh.advanced("arxiv", dt.date(2025, 6, 6))
    # Missed nights are caught up, with the overlap before the watermark.
    assert later.window("arxiv", today, overlap_days=2) == FetchWindow(dt.date(2025, 6, 4), today)
    assert later.advanced("arxiv", dt.date(2025, 6, 1)).watermarks["arxiv"] == dt.date(2025, 6, 6)
    path = tmp_path / "state.json"
    state.save(path, later)
    assert state.load(path) == later
    path.write_text("{broken")
    with pytest.raises(Exception, match="damaged state file"):
        state.load(path)


# ---------------------------------------------------------------- the fetch command


def _config(tmp_path: Path, server: LocalServer) -> Path:
    cfg = tmp_path / "hfm-bot.toml"
    shipped = (REPO / "hfm-bot.toml").read_text()
    cfg.write_text(
        shipped.replace(
            "[sources]\n",
            f"""[sources]
arxiv_api_url = "{server.url}/api/query"
arxiv_rss_url = "{server.url}/rss"
biorxiv_api_url = "{server.url}"
arxiv_delay_seconds = 0.0
timeout_seconds = 2.0
attempts = 2
backoff_seconds = 0.01
""",
        )
    )
    return cfg


def test_fetch_one_source_down_others_deliver_exit_1(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route("/details/biorxiv/2025-06-05/2025-06-05/0", lambda q: Reply(503, b"down"))
    stream = tmp_path / "day.jsonl.gz"
    with gzip.open(stream, "wt") as handle:
        handle.write(
            json.dumps({"id": "2506.00001", "date": "2025-06-05", "title": "T", "abstract": "A"})
            + "\n"
        )
    out = tmp_path / "papers.jsonl"
    code = main(
        ["--config", str(_config(tmp_path, server)), "fetch", "--since", "2025-06-05", "--until",
         "2025-06-05", "--source", "biorxiv", "--source", f"replay:{stream}", "-o", str(out)]
    )  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert "biorxiv: FAILED: HTTP 503, after 2 tries" in err
    assert "/details/biorxiv/2025-06-05/2025-06-05/0" in err
    assert "replay: ok, 1 fetched" in err
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["2506.00001"]


def test_fetch_nothing_announced_is_success(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route(
        "/rss/"
        + "+".join(
            ["cs.CV", "cs.CL", "cs.LG", "cs.AI", "eess.IV", "q-bio.QM", "q-bio.GN", "q-bio.BM"]
        ),
        lambda q: Reply(200, _rss([])),
    )
    out = tmp_path / "papers.jsonl"
    code = main(
        ["--config", str(_config(tmp_path, server)), "fetch", "--source", "rss", "-o", str(out)]
    )
    assert code == 0
    assert "rss: no announcement, 0 fetched" in capsys.readouterr().err
    assert out.read_text() == ""


def test_fetch_bad_usage(tmp_path: Path, server: LocalServer) -> None:
    cfg = str(_config(tmp_path, server))
    out = str(tmp_path / "o.jsonl")
    assert main(["--config", cfg, "fetch", "--source", "nonsense", "-o", out]) == 2
    assert (
        main(
            ["--config", cfg, "fetch", "--since", "2025-06-05", "--until", "2025-06-01", "-o", out]
        )
        == 2
    )
    with pytest.raises(SystemExit) as info:
        main(["--config", cfg, "fetch", "--since", "June", "-o", out])
    assert info.value.code == 2


def test_cross_check_of_api_against_rss() -> None:
    from hfm_bot.paper import Origin, Paper
    from hfm_bot.sources.base import SourceResult, cross_check

    def papers(*ids: str) -> tuple[Paper, ...]:
        return tuple(Paper(id=i, source=Origin.REPLAY, title="t") for i in ids)

    api = SourceResult("arxiv", Status.OK, papers("2506.00001", "2506.00002"))
    rss = SourceResult("rss", Status.OK, papers("2506.00001", "2506.00002", "2506.00003"))
    assert cross_check([api, rss]) == (
        "cross-check: the API returned 2 of the 3 papers the RSS feed announced; "
        "missing: 2506.00003"
    )
    assert cross_check([api]) is None
    assert cross_check([api, SourceResult("rss", Status.NO_ANNOUNCEMENT)]) is None
