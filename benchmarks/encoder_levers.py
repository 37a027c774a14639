"""Issue #24's encoder levers, measured leave one day out on the judged days: what the
encoder reads (one window of 256 wordpieces, two windows pooled, the title apart) and the
encoder head (the logistic regression, or blended with the similarity to the nearest
labelled papers).

    python benchmarks/encoder_levers.py [--work DIR] [--levers base,win2,...]

Each lever is fitted as ``hfm-bot train`` fits the shipped recipe: the TF-IDF stage's
out-of-fold scores on the training folds (judged days in 4 folds) choose the shortlist
floor, the blend weight (and the lever's own choices), the threshold and the Platt scaling;
then every judged day is scored by a head refitted without it, blended with those stored
choices, at the stored threshold, as ``hfm-bot evaluate`` measures the shipped model
(:func:`hfm_bot.classifier.evaluation.cross_validated_stages`: same folds, same protocol,
so the figures compare with the card's). The two TF-IDF out-of-fold runs are the slow part
(a few minutes); they are kept in ``--work`` and reused while the inputs are the same.

Embeddings: the first window is the embedding cache's (``~/.cache/hfm-bot``, what the
shipped model reads); the second windows and the titles are encoded here once, kept in
``--work``, with the time they took (the encoding cost of each lever).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hfm_bot import config as config_module
from hfm_bot.classifier import encoder_stage, evaluation, two_stage
from hfm_bot.classifier.cross_validation import OutOfFold, cross_validate, folds
from hfm_bot.classifier.embeddings import EmbeddingCache, default_cache_dir
from hfm_bot.classifier.encoder import MINILM, Encoder, Float32Array, encoder_text, pool_windows
from hfm_bot.classifier.features import title_of
from hfm_bot.classifier.figures import Report
from hfm_bot.classifier.head import SecondOpinion
from hfm_bot.classifier.model import BoolArray, FloatArray
from hfm_bot.classifier.recipe import TrainingConfig
from hfm_bot.classifier.tfidf_stage import Matrix, vectorise
from hfm_bot.classifier.training_data import TrainingData
from hfm_bot.labelled import Kind
from hfm_bot.retrain import Inputs, load_data, recipe

READS = ("base", "win2", "title-mean", "title-concat", "win2+title-mean")
HEADS = ("lr", "lr+knn")


@dataclass(frozen=True)
class World:
    """The data, its matrix, and the TF-IDF out-of-fold scores of both fold sets."""

    data: TrainingData
    m: Matrix
    config: TrainingConfig
    labels: list[str]
    train_folds: list[BoolArray]
    loo_folds: list[BoolArray]
    train_oof: OutOfFold
    loo_oof: OutOfFold


ENCODER_FIELDS = {
    "head_c", "shortlist_recall", "min_scored", "blend_weights", "neighbour_ks", "neighbour_mixes"
}  # fmt: skip


def tfidf_recipe(config: TrainingConfig) -> str:
    """What the TF-IDF stage's out-of-fold scores depend on in the recipe (not the encoder
    stage's fields, so measuring a head does not recompute them)."""
    fields = dataclasses.fields(config)
    return repr([(f.name, getattr(config, f.name)) for f in fields if f.name not in ENCODER_FIELDS])


def world(work: Path) -> World:
    settings = config_module.load(Path("hfm-bot.toml"))
    inputs = Inputs()
    data = load_data(inputs, settings)
    config = recipe(inputs, settings)
    labels = [s.label for s in settings.sections]
    rule = two_stage.load(Path("model"), use_encoder=False).tfidf.title_rule
    _, m = vectorise(data, config)
    train_folds = folds(m, config.threshold_folds, config.rest_folds)
    loo_folds = folds(m, None, 4)
    digest = hashlib.sha256(json.dumps([data.inputs, tfidf_recipe(config)]).encode()).hexdigest()
    path = work / f"tfidf-oof-{digest[:12]}.npz"
    if not path.exists():
        runs = []
        for name, fm in (("train", train_folds), ("loo", loo_folds)):
            start = time.perf_counter()
            runs.append(cross_validate(m, fm, labels, config, rule))
            took = time.perf_counter() - start
            print(f"TF-IDF out of fold, {name} ({len(fm)} folds): {took:.0f} s")
        t, o = runs
        np.savez(path, train_rows=t.rows, train_score=t.score, train_section=t.section.astype(str),
                 loo_rows=o.rows, loo_score=o.score, loo_section=o.section.astype(str))  # fmt: skip
    with np.load(path) as saved:
        train_oof, loo_oof = (
            OutOfFold(saved[f"{n}_rows"], saved[f"{n}_score"], saved[f"{n}_section"].astype(object))
            for n in ("train", "loo")
        )
    return World(data, m, config, labels, train_folds, loo_folds, train_oof, loo_oof)


class Reads:
    """The embedding of each row the head reads, under each lever of what the encoder reads.

    The first windows come from the embedding cache; the titles and second windows from a
    store in ``--work`` (each encoded once, with the seconds it took)."""

    def __init__(self, w: World, work: Path, needed: BoolArray) -> None:
        examples = w.data.examples
        self.rows = [int(i) for i in np.flatnonzero(needed)]
        self.ids = [examples[i].paper_id or f"list:{i}" for i in self.rows]
        self.texts = [examples[i].encoder_text or examples[i].text for i in self.rows]
        titles = [encoder_text(title_of(examples[i].text), "") for i in self.rows]
        encoder = Encoder.load(MINILM)
        cache = EmbeddingCache(default_cache_dir(), MINILM)
        start = time.perf_counter()
        self.first = cache.embed(encoder, self.ids, self.texts)
        cache.save()
        print(f"first windows: {len(self.rows)} rows, {time.perf_counter() - start:.0f} s "
              f"({cache.added} encoded, the rest from the cache)")  # fmt: skip
        keys = [EmbeddingCache.key(i, t) for i, t in zip(self.ids, self.texts, strict=True)]
        store = Extra(work / "extra-embeddings.npz", encoder.width)
        store.add(encoder, dict(zip(keys, zip(self.texts, titles, strict=True), strict=True)))
        pick = [store.at[k] for k in keys]
        self.title, self.second = store.titles[pick], store.second[pick]
        self.n1, self.n2 = store.n1[pick], store.n2[pick]
        self.cost = store.cost

    def matrix(self, lever: str, n: int) -> Float32Array:
        """The embeddings of every training row (zeros where the head reads none)."""
        n_rows = len(self.rows)
        twice = np.r_[np.arange(n_rows), np.arange(n_rows)]
        vectors = self.first
        if lever.startswith("win2"):
            both = np.vstack([self.first, self.second])
            vectors = pool_windows(both, np.r_[self.n1, self.n2], twice, n_rows)
        if lever.endswith("title-mean"):
            both = np.vstack([vectors, self.title])
            vectors = pool_windows(both, np.ones(2 * n_rows, dtype=np.int64), twice, n_rows)
        if lever == "title-concat":
            vectors = np.hstack([vectors, self.title])
        out = np.zeros((n, vectors.shape[1]), dtype=np.float32)
        out[self.rows] = vectors
        return out


class Extra:
    """Titles and second windows by cache key, kept in one ``.npz``, with what encoding them
    cost (seconds, texts, wordpieces)."""

    def __init__(self, path: Path, width: int) -> None:
        self.path = path
        self.at: dict[str, int] = {}
        self.titles = np.zeros((0, width), dtype=np.float32)
        self.second = np.zeros((0, width), dtype=np.float32)
        self.n1 = self.n2 = np.zeros(0, dtype=np.int64)
        self.cost: dict[str, float] = {}
        if path.exists():
            with np.load(path) as saved:
                self.at = {str(k): i for i, k in enumerate(saved["keys"])}
                self.titles, self.second = saved["titles"], saved["second"]
                self.n1, self.n2 = saved["n1"], saved["n2"]
                self.cost = {str(k): float(v) for k, v in json.loads(str(saved["cost"])).items()}

    def add(self, encoder: Encoder, texts: dict[str, tuple[str, str]]) -> None:
        """Encode the titles and second windows of the (text, title) pairs not yet kept."""
        keys = sorted(k for k in texts if k not in self.at)
        if not keys:
            return
        start = time.perf_counter()
        titles = encoder.encode([texts[k][1] for k in keys])
        title_s = time.perf_counter() - start
        encodings = encoder.tokenizer.encode_batch([texts[k][0] for k in keys])
        n1 = np.array([len(e.ids) for e in encodings])
        over = [i for i, e in enumerate(encodings) if e.overflowing]
        n2 = np.zeros(len(keys), dtype=np.int64)
        n2[over] = [len(encodings[i].overflowing[0].ids) for i in over]
        start = time.perf_counter()
        second = np.zeros((len(keys), encoder.width), dtype=np.float32)
        second[over] = encoder.encode_ids([encodings[i].overflowing[0].ids for i in over])
        second_s = time.perf_counter() - start
        added = {"texts": len(keys), "title_s": title_s, "second_s": second_s,
                 "overflowing": len(over), "first_tokens": int(n1.sum()),
                 "second_tokens": int(n2.sum())}  # fmt: skip
        print(f"encoded {len(keys)} titles and {len(over)} second windows: {added}")
        for name, value in added.items():
            self.cost[name] = self.cost.get(name, 0.0) + value
        base = len(self.at)
        self.at |= {k: base + j for j, k in enumerate(keys)}
        self.titles = np.vstack([self.titles, titles])
        self.second = np.vstack([self.second, second])
        self.n1, self.n2 = np.r_[self.n1, n1], np.r_[self.n2, n2]
        order = sorted(self.at, key=self.at.__getitem__)
        np.savez(self.path, keys=np.array(order), titles=self.titles, second=self.second,
                 n1=self.n1, n2=self.n2, cost=json.dumps(self.cost))  # fmt: skip


# ------------------------------------------------------------------ heads


def scores(w: World, oof: OutOfFold) -> FloatArray:
    """The TF-IDF out-of-fold score of every training row (NaN: not scored)."""
    out = np.full(w.m.X.shape[0], np.nan)
    out[oof.rows] = oof.score
    return out


def training_floor(w: World) -> float:
    """The shortlist floor training chooses (encoder_stage.fit): from the judged rows'
    TF-IDF scores on the training folds."""
    tfidf = scores(w, w.train_oof)
    judged = ~np.isnan(tfidf) & (w.m.kinds == Kind.JUDGED)
    return encoder_stage.shortlist_floor(
        w.m.relevant[judged], tfidf[judged], w.config.shortlist_recall
    )


def train_mask(w: World, tfidf: FloatArray, floor: float) -> BoolArray:
    """The rows a head learns from (as encoder_stage.head_rows)."""
    m = w.m
    evaluable = np.array([ex.evaluable for ex in w.data.examples])
    listed = evaluable & (m.kinds == Kind.LIST)
    scored = ~np.isnan(tfidf)
    short = encoder_stage.shortlisted(tfidf, floor)
    out: BoolArray = listed | (scored & ((m.kinds != Kind.JUDGED) | short))
    return out


def fit_lever(
    w: World, emb: Float32Array, head: str, ks: Sequence[int], mixes: Sequence[float]
) -> SecondOpinion:
    """encoder_stage.fit with the lever's embeddings (and, for ``lr``, no neighbours), on
    the training folds: the head training would store."""
    config = dataclasses.replace(
        w.config,
        neighbour_ks=tuple(ks) if head == "lr+knn" else (),
        neighbour_mixes=tuple(mixes) if head == "lr+knn" else (),
    )
    tfidf = scores(w, w.train_oof)
    judged = ~np.isnan(tfidf) & (w.m.kinds == Kind.JUDGED)
    floor = training_floor(w)
    rows = encoder_stage.HeadRows(np.flatnonzero(train_mask(w, tfidf, floor)), emb)
    fitted = encoder_stage.fit_rows(
        rows, w.m.relevant, tfidf, w.train_folds, judged, floor, MINILM, config
    )
    assert fitted is not None
    return fitted.head


def loo(w: World, emb: Float32Array, head: SecondOpinion) -> Report:
    """Every judged day scored by a head refitted without it, blended as stored (as
    evaluation.cross_validated_stages does)."""
    tfidf = scores(w, w.loo_oof)
    rows = encoder_stage.HeadRows(np.flatnonzero(train_mask(w, tfidf, head.floor)), emb)
    short = encoder_stage.shortlisted(tfidf, head.floor)
    enc = encoder_stage.opinion_out_of_fold(
        rows, w.m.relevant, w.loo_folds, short, w.config.head_c, head.neighbours
    )
    final = head.blend(w.loo_oof.score, enc[w.loo_oof.rows])
    scored = evaluation.scored_from_oof(w.m, OutOfFold(w.loo_oof.rows, final, w.loo_oof.section))
    return evaluation.report(scored, head.threshold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--work", default=".encoder-levers", help="kept out-of-fold scores and encodings"
    )
    parser.add_argument("--reads", default=",".join(READS))
    parser.add_argument("--heads", default=",".join(HEADS))
    parser.add_argument("--ks", default="5,10,20")
    parser.add_argument("--mixes", default="0.25,0.5,0.75")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    w = world(work)
    floor = training_floor(w)
    needed = np.zeros(w.m.X.shape[0], dtype=bool)
    for oof in (w.train_oof, w.loo_oof):
        tfidf = scores(w, oof)
        needed |= train_mask(w, tfidf, floor) | encoder_stage.shortlisted(tfidf, floor)
    reads = Reads(w, work, needed)
    cost = reads.cost
    print(f"encoding cost: {cost['texts']} texts, {cost['overflowing']} longer than one window; "
          f"titles {cost['title_s']:.0f} s, second windows {cost['second_s']:.0f} s "
          f"({cost['second_tokens'] / cost['first_tokens']:.0%} of the first windows' "
          "wordpieces)")  # fmt: skip
    ks = [int(k) for k in args.ks.split(",")]
    mixes = [float(x) for x in args.mixes.split(",")]
    print(f"{'reads':<18}{'head':<8}{'k':>4}{'mix':>6}{'weight':>7}{'thr':>7}"
          f"{'P':>7}{'R':>7}{'F1':>7}{'AP':>7}{'sect':>7}{'curated':>8}")  # fmt: skip
    for lever in args.reads.split(","):
        emb = reads.matrix(lever, w.m.X.shape[0])
        for head in args.heads.split(","):
            h = fit_lever(w, emb, head, ks, mixes)
            o = loo(w, emb, h).overall
            assert o is not None
            n = h.neighbours
            print(f"{lever:<18}{head:<8}{n.k if n else '-':>4}{n.mix if n else 0:>6.2f}"
                  f"{h.weight:>7.2f}{h.threshold:>7.3f}{o.precision:>7.3f}{o.recall:>7.3f}"
                  f"{o.f1:>7.3f}{o.average_precision or 0:>7.3f}{o.section_accuracy or 0:>7.3f}"
                  f"{o.curated_recall or 0:>8.3f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
