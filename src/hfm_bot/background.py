"""The background: unlabelled papers that teach the model what everything else looks like.

Training reads every ``labeled_data/background/*.jsonl.gz``. Two kinds of file live there:
a seeded sample of a stream (``hfm-bot labels background``), written once when a list is set
up, and one small file per night that the nightly run keeps from what it fetched, so the
vocabulary follows the field. Each night's file is written once and never rewritten: a
compressed file that changed every night would add its whole size to git's history each time,
while one new file a night of at most ``per_night`` papers keeps the repository's growth to
about 50 KB a night (1 MB a month at 100 papers).

Which of a night's papers may join its sample matters: training reads the background as weak
negatives, and the relevant papers the bot missed score just under its threshold. Were they
eligible, each retrain would teach the model to miss them again. So a paper joins only when it
scores under ``band`` times the threshold (:func:`eligible`; ``classifier.background_band`` in
the configuration). On the 36 judged days the shipped model's out-of-fold scores put 92 of
the 125 relevant papers it missed between a tenth of the threshold and the threshold, among
3% of the papers under it: leaving that band out keeps nearly all the vocabulary and almost
none of the misses.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from hfm_bot.files import atomic_write_gzip_lines
from hfm_bot.paper import Paper

SEED = 20240405
PER_NIGHT = 100
BAND = 0.1
"""The default ``classifier.background_band``: papers scoring at least this share of the
threshold stay out of the night's background sample."""


def eligible(score: float, threshold: float, band: float = BAND) -> bool:
    """Whether a night's paper may join its background sample: under ``band`` times the
    threshold, so no paper of the near-threshold band (where the misses are) is learnt as a
    negative. ``band`` 1.0 admits every paper under the threshold, 0 none."""
    return score < threshold * band


def record(paper: Paper) -> dict[str, object]:
    """What training needs of a background paper, and where it came from."""
    return {**paper.training_record(), "source": paper.source}


def sample(papers: Sequence[Paper], n: int, seed: int = SEED) -> list[Paper]:
    """At most ``n`` of the papers, chosen with a fixed seed and kept in their order."""
    if n <= 0:
        return []
    if len(papers) <= n:
        return list(papers)
    keep = np.sort(np.random.default_rng(seed).choice(len(papers), n, replace=False))
    return [papers[int(i)] for i in keep]


def write(path: Path, papers: Iterable[Paper]) -> int:
    lines = [json.dumps(record(p), ensure_ascii=False, sort_keys=True) for p in papers]
    atomic_write_gzip_lines(path, lines)
    return len(lines)


def night_file(directory: Path, day: dt.date) -> Path:
    return directory / f"{day.isoformat()}.jsonl.gz"


def keep_night(
    directory: Path,
    day: dt.date,
    papers: Sequence[Paper],
    exclude: set[str],
    per_night: int = PER_NIGHT,
) -> Path | None:
    """Keep a seeded sample of a night's fetched papers (not the ones proposed or decided:
    those have labels). A night already kept is left as it is. Returns the file written."""
    path = night_file(directory, day)
    if path.exists() or per_night <= 0:
        return None
    pool = [p for p in papers if p.id not in exclude and p.title]
    if not pool:
        return None
    seed = SEED + day.toordinal()
    write(path, sample(pool, per_night, seed))
    return path
