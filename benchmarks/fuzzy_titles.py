"""Measure the fuzzy title matcher: which stream papers does it match to the list, and how fast.

Every match that no exact key (arXiv id, DOI, normalised title) explains is printed, so a
person can judge each one; false matches are what the cutoff in awesome_list trades against.

    python benchmarks/fuzzy_titles.py [--shared ../shared] [--list README.seed.md]
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from hfm_bot import awesome_list
from hfm_bot.ids import PaperKeys, normalise_title


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--list", default="awesome-list/README.seed.md")
    args = parser.parse_args()
    shared = Path(args.shared)
    doc = awesome_list.load(shared / args.list)
    n = 0
    exact = 0
    fuzzy: list[tuple[str, str, str]] = []
    start = time.perf_counter()
    for path in sorted((shared / "benchmark/stream").glob("arxiv-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                n += 1
                keys = PaperKeys(arxiv_id=record["id"], title=normalise_title(record["title"]))
                hit = doc.find(keys)
                if hit is None:
                    continue
                same_title = hit.keys.title == keys.title
                if hit.keys.arxiv_id == keys.arxiv_id or same_title:
                    exact += 1
                else:
                    fuzzy.append((record["id"], record["title"], getattr(hit, "title", "")))
    elapsed = time.perf_counter() - start
    print(f"papers checked: {n} in {elapsed:.1f} s ({n / elapsed:,.0f} papers/s)")
    print(f"matched by an exact key: {exact}")
    print(f"matched only by fuzzy title (cutoff {awesome_list.FUZZY_TITLE_CUTOFF}): {len(fuzzy)}")
    for arxiv_id, stream_title, list_title in fuzzy:
        print(f"  {arxiv_id}: {stream_title!r}\n      ~ {list_title!r}")


if __name__ == "__main__":
    main()
