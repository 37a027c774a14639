"""Source speed: parsing the recorded 100-entry Atom page, and fetching a replayed day.

    python benchmarks/sources_speed.py [--shared ../shared] [--day 2025-06-05]

The Atom page is served from 127.0.0.1 to the real arxiv client (so the figure includes
HTTP and the arxiv package's parser, as in production, minus arXiv's 3-second politeness
delay); the replay reads the month's .jsonl.gz from the recorded stream.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import arxiv
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from testsupport.localserver import LocalServer, Reply

from hfm_bot.sources import arxiv_api
from hfm_bot.sources.base import FetchWindow
from hfm_bot.sources.http import Fetcher
from hfm_bot.sources.replay import ReplaySource


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--day", default="2025-06-05")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    shared = Path(args.shared)
    page = shared / "fixtures/arxiv_api/arxivpy_2026/xml/q_testing_s0_m100_cfe7536492ca.xml"
    body = page.read_bytes()
    server = LocalServer().start()
    try:
        server.route("/api/query", lambda q: Reply(200, body))
        client = arxiv_api.build_client(
            Fetcher(requests.Session(), "arxiv"), server.url + "/api/query", 100, 0.0
        )
        n = 0
        start = time.perf_counter()
        for _ in range(args.repeat):
            search = arxiv.Search(query="all:testing", max_results=100)
            n += sum(
                1 for r in client.results(search) if arxiv_api.paper_from_result(r, server.url)
            )
        elapsed = time.perf_counter() - start
    finally:
        server.stop()
    print(f"Atom page (100 entries, {len(body) / 1024:.0f} KiB) x{args.repeat}: "
          f"{n / elapsed:,.0f} papers/s through HTTP + arxiv client + Paper")  # fmt: skip

    day = dt.date.fromisoformat(args.day)
    start = time.perf_counter()
    result = ReplaySource([shared / "benchmark/stream"]).fetch(FetchWindow(day, day))
    elapsed = time.perf_counter() - start
    print(f"replayed day {day}: {result.fetched} papers in {elapsed:.2f} s "
          f"({result.skipped} other papers of the month skipped)")  # fmt: skip


if __name__ == "__main__":
    main()
