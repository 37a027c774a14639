"""Cold start: what a new list's first model can learn from the list and an unlabelled
background alone, measured on the 36 judged days of labeled_data/ (which it never sees).

Prints average precision on the judged papers for:

- the product's recipe (``training.train`` on the list and the background, no labels: the
  cold start of ``training._self_train``; before it, average precision 0.149);
- list titles against background titles (the two look alike: a title-only list entry against
  a background paper with its abstract teaches "has an abstract" as the sign of irrelevance);
- that, self-trained once: the background papers it scores highest (with their abstracts)
  join the positives, and it is fitted again on full texts;
- then, on the self-trained model's shortlist, MiniLM similarity to the list's titles (the
  mean of the five most similar entries), alone and blended with the TF-IDF logit (z-scores).

Run from the repository root: ``python benchmarks/cold_start.py`` (about 2 minutes with a warm
embedding cache; the encoder comes from requirements/encoder.txt). A probe for issue #13, not
part of the bot: the figures say which recipe the cold-start path should take.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

from hfm_bot import labelled
from hfm_bot.classifier import training
from hfm_bot.classifier.encoder import MINILM, Encoder, encoder_text
from hfm_bot.classifier.features import build_vectorizer, paper_text
from hfm_bot.classifier.second import Classifier, EmbeddingCache, default_cache_dir
from hfm_bot.config import load as load_settings
from hfm_bot.stream import BadLine, iter_json_lines, read_papers

DATA = Path("labeled_data")
SELF_TRAINED = 200
"""Background papers taken as positives in the self-training round."""
C = 10.0


def _broken(bad: BadLine) -> None:
    raise SystemExit(f"labeled_data is damaged: {bad}")


def _fit(positives: list[str], negatives: list[str]) -> tuple[Any, LogisticRegression]:
    vectorizer = build_vectorizer()
    X = vectorizer.fit_transform(positives + negatives)
    y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
    clf = LogisticRegression(C=C, max_iter=3000, solver="liblinear").fit(X, y)
    return vectorizer, clf


def _z(a: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    return np.asarray((a - a.mean()) / (a.std() or 1.0))


def main() -> None:
    settings = load_settings(Path("hfm-bot.toml"))
    sections = [s.label for s in settings.sections]
    entries = [record for _, record in iter_json_lines(DATA / "list.jsonl", _broken)]
    verdicts = [
        lp
        for lp in labelled.read(DATA / "labelled.jsonl.gz", set(sections), _broken)
        if lp.kind is labelled.Kind.JUDGED
    ]
    judged = [lp.paper for lp in verdicts]
    y = np.array([lp.relevant for lp in verdicts])
    seen = {p.id for p in judged}
    seed = read_papers(DATA / "background" / "seed.jsonl.gz", _broken)
    background = [p for p in seed if p.id not in seen]
    texts = [paper_text(p.title, p.abstract) for p in judged]
    print(f"{len(entries)} list entries, {len(background)} background papers; judged: "
          f"{len(judged)} papers, {int(y.sum())} relevant")  # fmt: skip
    rows: list[tuple[str, float]] = []

    data = training.load_training_data(
        list_labels=DATA / "list.jsonl",
        decisions=None,
        labelled=[],
        background=[DATA / "background" / "seed.jsonl.gz"],
        sections=sections,
    )
    encoder = Encoder.load(MINILM)
    cache = EmbeddingCache(default_cache_dir(), MINILM)
    start = time.perf_counter()
    product = training.train(data, sections, encoder, cache)
    print(f"(trained with the encoder in {time.perf_counter() - start:.0f} s)")
    # Scored as the nightly scores: the TF-IDF stage, then the encoder on its shortlist.
    predictions = Classifier(product.model, product.head, encoder, cache).predict(judged)
    first = np.array([p.tfidf_score for p in predictions])
    rows.append(("hfm-bot train, TF-IDF stage (cold start)", _ap(y, first)))
    final = np.array([p.score for p in predictions])
    proposed = np.array([p.propose for p in predictions])
    shortlisted = sum(p.encoder_score is not None for p in predictions)
    rows.append(
        (
            f"hfm-bot train, both stages (shortlist {shortlisted / len(judged):.0%}; proposes "
            f"{proposed.mean():.1%}, precision {y[proposed].mean():.2f}, recall "
            f"{proposed[y].mean():.2f})",
            _ap(y, final),
        )
    )

    titles = [paper_text(r["title"], "") for r in entries]
    bg_titles = [paper_text(p.title, "") for p in background]
    bg_full = [paper_text(p.title, p.abstract) for p in background]
    vectorizer, clf = _fit(titles, bg_titles)
    rows.append(("list titles vs background titles", _ap(y, _proba(vectorizer, clf, texts))))
    order = np.argsort(-_proba(vectorizer, clf, bg_full))
    vectorizer, clf = _fit(
        titles + [bg_full[i] for i in order[:SELF_TRAINED]],
        [bg_full[i] for i in order[SELF_TRAINED:]],
    )
    tfidf = _proba(vectorizer, clf, texts)
    rows.append((f"  self-trained once (top {SELF_TRAINED} as positives)", _ap(y, tfidf)))

    start = time.perf_counter()
    listed = cache.embed(
        encoder,
        [f"list:{r['title']}" for r in entries],
        [encoder_text(r["title"], "") for r in entries],
    )
    for share in (0.1, 0.2):
        short = np.argsort(-tfidf)[: int(len(judged) * share)]
        vectors = cache.embed(
            encoder,
            [judged[i].id for i in short],
            [encoder_text(judged[i].title, judged[i].abstract) for i in short],
        )
        similarity = np.sort(vectors @ listed.T, axis=1)[:, -5:].mean(axis=1)
        logit = np.log(tfidf[short] / (1 - tfidf[short]))
        for weight in (0.0, 0.5):
            score = tfidf - 1e3  # below every shortlisted paper, in TF-IDF order
            score[short] = _z(similarity) + weight * _z(logit)
            name = "similarity" if weight == 0 else f"similarity + {weight} x TF-IDF"
            rows.append((f"  shortlist {share:.0%}: {name}", _ap(y, score)))
    cache.save()
    print(f"(embedding: {time.perf_counter() - start:.0f} s)\n")
    print("| cold start recipe | average precision, 36 judged days |")
    print("| --- | --- |")
    for name, ap in rows:
        print(f"| {name} | {ap:.3f} |")


def _proba(vectorizer: Any, clf: LogisticRegression, texts: list[str]) -> np.ndarray[Any, Any]:
    return np.asarray(clf.predict_proba(vectorizer.transform(texts))[:, 1])


def _ap(y: np.ndarray[Any, Any], score: Any) -> float:
    return float(average_precision_score(y, score))


if __name__ == "__main__":
    main()
