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
"""

from __future__ import annotations

import argparse
import json
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=("neighbours", "gate"))
    parser.add_argument("nights", nargs="+", metavar="SLUG:DATE:DIR")
    args = parser.parse_args()
    table: dict[str, dict[str, float]] = {}
    for spec in args.nights:
        slug, date, root = spec.split(":", 2)
        night = Night(slug, date, Path(root))
        row = neighbours(night) if args.what == "neighbours" else gate(night)
        table[f"{slug} {date}"] = row
        print(f"{slug} {date}: " + ", ".join(f"{k} {v:.3f}" for k, v in row.items()), flush=True)
    if args.what == "neighbours":
        keys = list(next(iter(table.values())))
        print(
            "mean: " + ", ".join(f"{k} {np.mean([r[k] for r in table.values()]):.3f}" for k in keys)
        )
    else:
        for penalty in PENALTIES:
            hits = sum(r[f"hits at penalty {penalty}"] for r in table.values())
            count = sum(r["count"] for r in table.values())
            relevant = sum(r["relevant"] for r in table.values())
            print(f"penalty {penalty}: precision {hits / count:.3f}, recall {hits / relevant:.3f}")


if __name__ == "__main__":
    main()
