"""A first night on other lists: the cold start trained from a real awesome list and a background
of the stream, measured on that list's judged replay days.

For each list ``<slug>`` with judged days (``benchmarks/lists/<slug>/judged/<date>.jsonl``, written
by hand against the list's ``SCOPE.md``; ids of the stream):

- the list's entries are read from ``tests/fixtures/lists/<slug>/README.md`` (titles, arXiv ids,
  sections by the configuration's headings) with a throwaway regex below: hfm-bot's parser does
  not read these lists' entry styles yet. An entry found in the stream by its arXiv id gets its
  abstract; an entry announced on or after the first replay day is left out (the model would
  know a paper of the night it is measured on);
- the background is a seeded sample of the stream's papers announced in the ``--months`` months
  before the first replay day (none of them a list entry);
- ``training.train`` makes the cold start, with the encoder, as ``hfm-bot train`` would;
- each judged day's whole listing in the stream is scored as the nightly scores it (a paper not
  in the judged file was screened out: not relevant). Proposals are the papers at or above the
  model's own threshold; near misses the five best under it.

Run from the repository root: ``python benchmarks/cold_start_lists.py [--slug S …] [--topic]
[--estimate]`` (the shipped recipe, or the topic head and the estimated share; a few
minutes a list with a cold embedding cache; the cache is hfm-bot's own, shared). Prints one
row per list and day, and the healthcare list's 36 judged days through the same function is
``benchmarks/cold_start.py``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import re
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hfm_bot.classifier import training
from hfm_bot.classifier.embeddings import EmbeddingCache, default_cache_dir
from hfm_bot.classifier.encoder import MINILM, Encoder
from hfm_bot.classifier.figures import prf
from hfm_bot.classifier.model import TitleRule
from hfm_bot.classifier.recipe import DEFAULT_TRAINING, ColdStart, TrainingConfig
from hfm_bot.classifier.training_data import load_training_data
from hfm_bot.classifier.two_stage import Classifier
from hfm_bot.config import Settings
from hfm_bot.config import load as load_settings
from hfm_bot.paper import Paper
from hfm_bot.stream import BadLine, iter_json_lines, read_papers

REPO = Path(__file__).resolve().parents[1]
NEAR_MISSES = 5
ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", re.I)
HEADING = re.compile(r"^\s*(#{1,6})?\s*(?:<h([1-6])[^>]*>)?(.*?)\s*$")
YEAR = re.compile(r"(?:19|20)\d\d")
DATED = re.compile(r"\b(20\d\d)-(\d{1,2})(?:-(\d{1,2}))?\b")
ENTRY_STYLES = (
    re.compile(r"\[\*\*(?P<title>.+?)\*\*\]\((?P<url>[^)\s]+)\)"),  # | [**Title**](url) |
    re.compile(r"\*\*\[(?P<title>.+?)\]\((?P<url>[^)\s]+)\)\*\*"),  # 1. **[Title](url)**
    re.compile(
        r"^\s*[-*]\s+(?P<title>[^\[\]]+?)(?:,\s*|\t+)\[{1,2}[^\]]*\]{1,2}\((?P<url>[^)\s]+)\)"
    ),
)
"""The entry styles of the three lists (table cell, numbered bold link, bullet title then a
venue link). Throwaway: the parse helper teaches hfm-bot's parser these styles."""


def _broken(bad: BadLine) -> None:
    raise SystemExit(f"damaged input: {bad}")


@dataclass(frozen=True, slots=True)
class ListEntry:
    title: str
    section: str
    arxiv_id: str | None
    date: dt.date | None
    """The date the line gives (a table's Date column, a bullet's trailing date), if any."""


def _heading(line: str) -> tuple[int, str] | None:
    """(level, text) of a markdown or HTML heading line, tags and emphasis stripped."""
    if not (line.lstrip().startswith("#") or re.match(r"\s*<h[1-6]", line)):
        return None
    m = HEADING.match(line)
    assert m is not None
    level = len(m.group(1) or "") or int(m.group(2) or 6)
    if m.group(2):  # an HTML heading: its own level
        level = int(m.group(2))
    text = re.sub(r"<[^>]+>", "", m.group(3)).replace("*", "").strip()
    return level, text


def list_entries(readme: Path, settings: Settings) -> list[ListEntry]:
    """The list's paper entries under its configured section headings (subsections belong to
    the section above them; a heading of the same or a higher level ends it)."""
    out: list[ListEntry] = []
    section: tuple[int, str] | None = None
    for line in readme.read_text(encoding="utf-8").splitlines():
        heading = _heading(line)
        if heading is not None:
            level, text = heading
            label = settings.label_for(text)
            if label is not None:
                section = (level, label)
            elif section is not None and (
                level < section[0] or (level == section[0] and not YEAR.fullmatch(text))
            ):
                section = None
            continue
        if section is None:
            continue
        for style in ENTRY_STYLES:
            m = style.search(line)
            if m:
                title = re.sub(r"\s+", " ", m.group("title")).strip().rstrip(".")
                found = ARXIV.search(m.group("url"))
                dated = DATED.search(line[m.end() :])
                date = dt.date(int(dated[1]), int(dated[2]), int(dated[3] or 1)) if dated else None
                out.append(ListEntry(title, section[1], found.group(1) if found else None, date))
                break
    return out


def stream_months(stream: Path, first: dt.date, last: dt.date) -> Iterator[Path]:
    month = dt.date(first.year, first.month, 1)
    while month <= last:
        path = stream / f"arxiv-{month:%Y-%m}.jsonl.gz"
        if path.exists():
            yield path
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Day:
    date: str
    papers: int
    relevant: int
    proposed: int
    precision: float
    recall: float
    f1: float
    average_precision: float
    near_miss_relevant: int


def measure_list(
    cold: ColdStart,
    slug: str,
    stream: Path,
    months: int,
    background_n: int,
    encoder: Encoder,
    cache: EmbeddingCache,
    work: Path,
) -> tuple[list[Day], str]:
    from sklearn.metrics import average_precision_score

    root = REPO / "benchmarks" / "lists" / slug
    settings = load_settings(root / "hfm-bot.toml")
    labels = [s.label for s in settings.sections]
    judged_files = sorted((root / "judged").glob("*.jsonl"))
    days = [dt.date.fromisoformat(p.stem) for p in judged_files]
    first = min(days)
    entries = list_entries(REPO / "tests" / "fixtures" / "lists" / slug / "README.md", settings)
    start = dt.date(first.year - (first.month <= months), (first.month - months - 1) % 12 + 1, 1)
    known: dict[str, Paper] = {}
    pool: list[Paper] = []
    for path in stream_months(stream, dt.date(2024, 12, 1), first):
        for paper in read_papers(path, _broken):
            if paper.date is None or paper.date >= first:
                continue
            known[paper.id] = paper
            if paper.date >= start:
                pool.append(paper)
    # Entries of the replay period or later are not known on the first night.
    kept = [
        e
        for e in entries
        if (e.date is None or e.date < first)
        and (e.arxiv_id is None or e.arxiv_id in known or e.arxiv_id[:4] < f"{first:%y%m}")
    ]
    listed = {e.arxiv_id for e in kept if e.arxiv_id}
    with_abstract = sum(1 for e in kept if e.arxiv_id in known)
    list_file = work / f"{slug}-list.jsonl"
    list_file.write_text(
        "".join(
            json.dumps(
                {
                    "title": e.title,
                    "section": e.section,
                    "abstract": known[e.arxiv_id].abstract if e.arxiv_id in known else "",
                }
            )
            + "\n"
            for e in kept
        ),
        encoding="utf-8",
    )
    rng = np.random.default_rng(20240405)
    pool = [p for p in pool if p.id not in listed]
    chosen = sorted(rng.choice(len(pool), min(background_n, len(pool)), replace=False))
    bg_file = work / f"{slug}-background.jsonl"
    bg_file.write_text(
        "".join(json.dumps(pool[int(i)].training_record()) + "\n" for i in chosen),
        encoding="utf-8",
    )
    data = load_training_data(
        list_labels=list_file,
        decisions=None,
        labelled=[],
        background=[bg_file],
        sections=labels,
    )
    rule = (
        TitleRule(settings.survey_label, settings.survey_title_words)
        if settings.survey_label and settings.survey_title_words
        else None
    )
    t0 = time.perf_counter()
    result = training.train(
        data, labels, encoder, cache, title_rule=rule, config=TrainingConfig(cold=cold)
    )
    classifier = Classifier(result.model, result.head, encoder, cache)
    rows: list[Day] = []
    wanted = {d.isoformat() for d in days}
    by_day: dict[str, list[Paper]] = {d: [] for d in wanted}
    for path in stream_months(stream, first, max(days)):
        for paper in read_papers(path, _broken):
            if paper.date is not None and paper.date.isoformat() in wanted:
                by_day[paper.date.isoformat()].append(paper)
    for path in judged_files:
        truth = {
            r["id"]
            for _, r in iter_json_lines(path, _broken)
            if isinstance(r, dict) and r.get("relevant") is True
        }
        papers = by_day[path.stem]
        preds = classifier.predict(papers)
        y = np.array([p.id in truth for p in papers])
        score = np.array([p.score for p in preds])
        proposed = np.array([p.propose for p in preds])
        counts = prf(y, proposed)
        under = np.flatnonzero(~proposed)
        near = under[np.argsort(-score[under], kind="stable")[:NEAR_MISSES]]
        rows.append(
            Day(
                path.stem,
                len(papers),
                int(y.sum()),
                int(proposed.sum()),
                counts.precision,
                counts.recall,
                counts.f1,
                float(average_precision_score(y, score)) if y.any() else float("nan"),
                int(y[near].sum()),
            )
        )
    cache.save()
    note = (
        f"{len(kept)} of {len(entries)} entries ({with_abstract} with an abstract from the "
        "stream), "
        f"{len(chosen)} background papers from {start} to {first}; trained and scored in "
        f"{time.perf_counter() - t0:.0f} s; {result.threshold_rows}"
    )
    return rows, note


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--slug", action="append", help="a list under benchmarks/lists (default all)"
    )
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--months", type=int, default=6, help="background months before day 1")
    parser.add_argument("--background", type=int, default=4000)
    parser.add_argument("--estimate", action="store_true", help="estimate the share to propose")
    parser.add_argument("--topic", action="store_true", help="the topic head, not the mean")
    args = parser.parse_args(argv)
    slugs = args.slug or sorted(
        p.name for p in (REPO / "benchmarks" / "lists").iterdir() if (p / "judged").is_dir()
    )
    encoder = Encoder.load(MINILM)
    cache = EmbeddingCache(default_cache_dir(), MINILM)
    print("| list | day | papers | relevant | proposed | precision | recall | F1 | AP | "
          "relevant near misses (of 5) |")  # fmt: skip
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    notes = []
    with tempfile.TemporaryDirectory() as tmp:
        for slug in slugs:
            rows, note = measure_list(
                dataclasses.replace(
                    DEFAULT_TRAINING.cold,
                    share=None if args.estimate else DEFAULT_TRAINING.cold.share,
                    topic_head=args.topic,
                ),
                slug,
                args.shared / "benchmark" / "stream",
                args.months,
                args.background,
                encoder,
                cache,
                Path(tmp),
            )
            notes.append(f"- {slug}: {note}")
            for r in rows:
                print(f"| {slug} | {r.date} | {r.papers} | {r.relevant} | {r.proposed} | "
                      f"{r.precision:.2f} | {r.recall:.2f} | {r.f1:.2f} | "
                      f"{r.average_precision:.2f} | {r.near_miss_relevant} |")  # fmt: skip
    print()
    print("\n".join(notes))


if __name__ == "__main__":
    main()
