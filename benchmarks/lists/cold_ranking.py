"""Two cold-start levers measured on kept first nights (issue #23, item 4): the encoder's
similarity to the k nearest entries instead of to their mean, and a soft gate for the list's
defining words. Measurements, printed; nothing here is an assertion.

    python benchmarks/lists/cold_ranking.py neighbours SLUG:DATE:DIR ...
    python benchmarks/lists/cold_ranking.py gate SLUG:DATE:DIR ...

Each DIR is a night kept by ``benchmarks/first_night.py SLUG DATE --keep DIR`` (its
``bot/`` set-up, ``day.jsonl``, ``out/proposals.jsonl`` and embedding cache). The relevant
papers are :func:`benchmarks.lists.rank_day.verdicts`'.

``neighbours``: average precision over the whole day of the night's model without its gate
(the ranking), then of the blend rebuilt from its parts: the TF-IDF logit and an encoder
opinion, each z-scored on the night's shortlist (the papers at or above the model's floor),
weighted ``w`` to ``1 - w`` (w 1/3 is the cold start's), where the opinion is the cosine to
the mean of the list's entries (``mean``, the shipped head's direction) or the mean cosine
to the k nearest entries (``knnK``); each with the gate applied (``g``: a paper without the
defining words last) and without.

``gate``: the night's count kept (as many proposals as the dry run made), the papers ranked
by the model's score with a paper that lacks the defining words pushed down by a penalty
(in logits) instead of out: ``None`` is today's gate, 0 no gate at all for the ranking.

``ceiling``: what the night's ranking allows at best: its average precision, and the best
min(precision, recall) over every count of proposals (a count chosen knowing the answers),
with that count. A first night reaches precision and recall 0.70 only where this is 0.70.

``query``: the list's name (its repository's, "Awesome" dropped) and its section headings
as the encoder's queries: the day's papers ranked by their cosine to the name and by the
most similar heading (``Name: Heading``) alone, and the heading opinion mixed ``a`` into the
cold start's (the mean of the entries) before the blend.

``contrast``: the topic read against the papers of the list's own side: logistic
regressions of the list's entries against the background (``bg``) and against the
background plus up to 1,500 papers of the stream's last four months before the list's
first night that hold its defining words and are not in the list (``side``), on the
encoder's embeddings (``enc``) and on TF-IDF of title and abstract (``tfidf``, fitted on
the list, the papers and the day), each alone and blended with the night's model.
Needs the recorded stream (``HFM_SHARED``, default ``../shared``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from hfm_bot.classifier import figures, two_stage
from hfm_bot.classifier.encoder import encoder_text
from hfm_bot.classifier.features import paper_text
from hfm_bot.classifier.head import logit

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # run as a script from a clone
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.lists.rank_day import verdicts


def average_precision(scores: np.ndarray, relevant: np.ndarray) -> float:
    """The project's figure (:func:`hfm_bot.classifier.figures.average_precision`); 0 for a
    day without a relevant paper."""
    return figures.average_precision(relevant, scores) or 0.0


def _z(x: np.ndarray, rows: np.ndarray) -> np.ndarray:
    out: np.ndarray = (x - x[rows].mean()) / (x[rows].std() or 1.0)
    return out


class Night:
    """A kept night: its model (gate apart), the day's papers, their scores and verdicts."""

    def __init__(self, slug: str, date: str, root: Path) -> None:
        self.root = root
        self.model = two_stage.load(root / "bot" / "model", cache_dir=root / "cache" / "hfm-bot")
        self.terms = self.model.terms
        self.model.terms = None  # scored without the gate; the gate is applied below
        day = [json.loads(line) for line in (root / "day.jsonl").open(encoding="utf-8")]
        self.ids = [str(p["id"]) for p in day]
        self.texts = [paper_text(p["title"], p.get("abstract") or "") for p in day]
        self.encoder_texts = [encoder_text(p["title"], p.get("abstract") or "") for p in day]
        preds = self.model.predict_texts(self.ids, self.texts, self.encoder_texts)
        self.score = np.array([p.score for p in preds])
        self.tfidf = np.array([p.score if p.tfidf_score is None else p.tfidf_score for p in preds])
        self.admitted = np.array(
            [self.terms is None or self.terms.admits(t) for t in self.texts], dtype=bool
        )
        relevant, _ = verdicts(slug, date)
        self.relevant = np.array([i in relevant for i in self.ids], dtype=bool)
        self.n_relevant = len(relevant)

    def embeddings(self) -> tuple[np.ndarray, np.ndarray]:
        """The day's papers and the list's entries, through the night's embedding cache."""
        assert self.model.encoder is not None and self.model.cache is not None
        enc, cache = self.model.encoder, self.model.cache
        papers = cache.embed(enc, self.ids, self.encoder_texts).astype(np.float64)
        rows = (self.root / "bot" / "labeled_data" / "list.jsonl").open(encoding="utf-8")
        entries = [json.loads(line) for line in rows]
        texts = list(
            dict.fromkeys(encoder_text(e["title"], e.get("abstract") or "") for e in entries)
        )
        listed = cache.embed(enc, [f"list:{t}" for t in texts], texts).astype(np.float64)
        cache.save()
        return papers, listed


def neighbours(night: Night) -> dict[str, float]:
    papers, listed = night.embeddings()
    assert night.model.head is not None
    short = night.tfidf >= night.model.head.floor
    zt = _z(logit(night.tfidf), short)
    similarity = papers @ listed.T
    opinions = {"mean": papers @ listed.mean(axis=0)}
    for k in (3, 10, 30):
        opinions[f"knn{k}"] = np.sort(similarity, axis=1)[:, -k:].mean(axis=1)
    out = {"model": average_precision(night.score, night.relevant)}
    for name, opinion in opinions.items():
        ze = np.where(short, _z(opinion, short), 0.0)
        for w in (1 / 3, 0.5):
            blend = w * zt + (1 - w) * ze
            out[f"{name}@{w:.2f}"] = average_precision(blend, night.relevant)
            gated = np.where(night.admitted, blend, blend - 1e6)
            out[f"{name}@{w:.2f}g"] = average_precision(gated, night.relevant)
    return out


PENALTIES: tuple[float | None, ...] = (None, 8.0, 4.0, 2.0, 1.0, 0.0)


def gate(night: Night) -> dict[str, float]:
    proposed = (night.root / "out" / "proposals.jsonl").read_text(encoding="utf-8").splitlines()
    count = len(proposed)
    scores = logit(night.score)
    out: dict[str, float] = {"count": count, "relevant": night.n_relevant}
    out["relevant without the words"] = float((night.relevant & ~night.admitted).sum())
    for penalty in PENALTIES:
        pushed = scores - (1e6 if penalty is None else penalty)
        ranked = np.argsort(-np.where(night.admitted, scores, pushed), kind="stable")
        out[f"hits at penalty {penalty}"] = float(night.relevant[ranked[:count]].sum())
    return out


def ceiling(night: Night) -> dict[str, float]:
    order = np.argsort(-night.score, kind="stable")
    hits = np.cumsum(night.relevant[order])
    counts = np.arange(1, len(order) + 1)
    both = np.minimum(hits / counts, hits / max(night.n_relevant, 1))
    best = int(np.argmax(both))
    return {
        "AP": average_precision(night.score, night.relevant),
        "best min(P, R)": float(both[best]),
        "at count": float(best + 1),
        "relevant": float(night.n_relevant),
    }


def _repository_name(night: Night) -> str:
    text = (night.root / "bot" / "hfm-bot.toml").read_text(encoding="utf-8")
    repository = tomllib.loads(text)["target"]["repository"]
    words = str(repository).split("/")[-1].replace("-", " ").replace("_", " ").split()
    return " ".join(w for w in words if w.lower() != "awesome")


def _headings(night: Night) -> list[str]:
    text = (night.root / "bot" / "hfm-bot.toml").read_text(encoding="utf-8")
    return [str(h) for h in tomllib.loads(text)["sections"].values()]


def query(night: Night) -> dict[str, float]:
    papers, listed = night.embeddings()
    assert night.model.encoder is not None and night.model.head is not None
    name = _repository_name(night)
    queries = [name] + [f"{name}: {h}" for h in _headings(night)]
    q = night.model.encoder.encode(queries).astype(np.float64)
    short = night.tfidf >= night.model.head.floor
    zt = _z(logit(night.tfidf), short)
    mean = papers @ listed.mean(axis=0)
    heading = (papers @ q[1:].T).max(axis=1)
    out = {
        "model": average_precision(night.score, night.relevant),
        "name alone": average_precision(papers @ q[0], night.relevant),
        "heading alone": average_precision(heading, night.relevant),
    }
    zm, zh = (np.where(short, _z(x, short), 0.0) for x in (mean, heading))
    for a in (0.0, 0.25, 0.5):
        blend = zt / 3 + 2 * ((1 - a) * zm + a * zh) / 3
        out[f"heading a={a}"] = average_precision(blend, night.relevant)
    return out


def _stream(months: list[str], until: str) -> Iterator[dict[str, str]]:
    shared = Path(os.environ.get("HFM_SHARED", Path(__file__).resolve().parents[3] / "shared"))
    for month in months:
        path = shared / "benchmark" / "stream" / f"arxiv-{month}.jsonl.gz"
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                paper = json.loads(line)
                if paper["date"] < until:
                    yield paper


def _months_before(date: str, n: int = 4) -> list[str]:
    year, month = int(date[:4]), int(date[5:7])
    out = []
    for _ in range(n):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def contrast(night: Night, first: str) -> dict[str, float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    assert night.model.encoder is not None and night.model.cache is not None
    assert night.model.head is not None
    terms = night.terms  # a list without defining words has no side of its own: none taken
    enc, cache = night.model.encoder, night.model.cache
    papers, listed = night.embeddings()
    seed = night.root / "bot" / "labeled_data" / "background" / "seed.jsonl.gz"
    with gzip.open(seed, "rt", encoding="utf-8") as handle:
        background = [json.loads(line) for line in handle]
    rows = (night.root / "bot" / "labeled_data" / "list.jsonl").open(encoding="utf-8")
    entries = [json.loads(line) for line in rows]
    listed_ids = {(e.get("keys") or {}).get("arxiv_id") for e in entries}
    side = [
        p
        for p in _stream(_months_before(first), first)
        if terms is not None
        and p["id"] not in listed_ids
        and terms.admits(f"{p['title']} {p['abstract']}")
    ]
    random.Random(0).shuffle(side)
    side = side[:1500]

    def embed(ps: list[dict[str, str]]) -> np.ndarray:
        texts = [encoder_text(p["title"], p.get("abstract") or "") for p in ps]
        return cache.embed(enc, [p["id"] for p in ps], texts).astype(np.float64)

    bg_e, side_e = embed(background), embed(side)
    cache.save()
    short = night.tfidf >= night.model.head.floor
    zt = _z(logit(night.tfidf), short)
    zs = _z(logit(night.score), short)
    out = {"model": average_precision(night.score, night.relevant), "side papers": float(len(side))}
    for name, negatives in (("bg", bg_e), ("side", np.vstack([bg_e, side_e]))):
        x = np.vstack([listed, negatives])
        y = np.r_[np.ones(len(listed)), np.zeros(len(negatives))]
        lr = LogisticRegression(class_weight="balanced", max_iter=2000).fit(x, y)
        opinion = np.where(short, _z(lr.decision_function(papers), short), 0.0)
        out[f"enc {name} blend"] = average_precision(zt / 3 + 2 * opinion / 3, night.relevant)
    pos = [paper_text(e["title"], e.get("abstract") or "") for e in entries]
    bg_t = [paper_text(p["title"], p.get("abstract") or "") for p in background]
    side_t = [paper_text(p["title"], p["abstract"]) for p in side]
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_df=0.5, sublinear_tf=True)
    vec.fit(pos + bg_t + side_t + night.texts)
    day = vec.transform(night.texts)
    for name, negative_texts in (("bg", bg_t), ("side", bg_t + side_t)):
        x = vec.transform(pos + negative_texts)
        y = np.r_[np.ones(len(pos)), np.zeros(len(negative_texts))]
        lr = LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000).fit(x, y)
        score = lr.decision_function(day)
        out[f"tfidf {name}"] = average_precision(score, night.relevant)
        out[f"tfidf {name} + model"] = average_precision(zs + _z(score, short), night.relevant)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=("neighbours", "gate", "ceiling", "query", "contrast"))
    parser.add_argument("nights", nargs="+", metavar="SLUG:DATE:DIR")
    args = parser.parse_args()
    table: dict[str, dict[str, float]] = {}
    specs = [spec.split(":", 2) for spec in args.nights]
    firsts = {slug: min(d for s, d, _ in specs if s == slug) for slug, _, _ in specs}
    for slug, date, root in specs:
        night = Night(slug, date, Path(root))
        if args.what == "contrast":
            row = contrast(night, firsts[slug])
        else:
            measure = {"neighbours": neighbours, "gate": gate, "ceiling": ceiling, "query": query}
            row = measure[args.what](night)
        table[f"{slug} {date}"] = row
        print(f"{slug} {date}: " + ", ".join(f"{k} {v:.3f}" for k, v in row.items()), flush=True)
    if args.what != "gate":
        keys = list(next(iter(table.values())))
        for slug in dict.fromkeys(s for s, _, _ in specs):
            rows = [r for name, r in table.items() if name.startswith(f"{slug} ")]
            means = ", ".join(f"{k} {np.mean([r[k] for r in rows]):.3f}" for k in keys)
            print(f"{slug} mean: {means}")
    else:
        for penalty in PENALTIES:
            hits = sum(r[f"hits at penalty {penalty}"] for r in table.values())
            count = sum(r["count"] for r in table.values())
            relevant = sum(r["relevant"] for r in table.values())
            print(f"penalty {penalty}: precision {hits / count:.3f}, recall {hits / relevant:.3f}")


if __name__ == "__main__":
    main()
