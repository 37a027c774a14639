"""Ranking levers of the encoder stage and the blend (issue #24, item 3), measured on both
protocols from one run of the slow part.

Leave one day out and forward both spend most of their time in the TF-IDF stage (the
training folds, the 40 leave-one-day-out folds, one training per forward block). The levers
here change only what comes after it (the encoder head, its neighbours, the blend and the
threshold), so the TF-IDF stage is fitted once per protocol and kept in memory for the
run (keyed by the inputs and the recipe's TF-IDF fields: give every variant to one run);
each variant then runs exactly the
code of ``hfm-bot train`` after it (:func:`hfm_bot.classifier.training.with_encoder_stage`)
and of ``hfm-bot evaluate`` (:func:`hfm_bot.classifier.evaluation.blended_stages`,
:func:`hfm_bot.classifier.forward.evaluate`), so the ``base`` variant gives
``benchmarks/forward.py``'s figures back.

    python benchmarks/ranking_levers.py --work W --protocols loo,forward \\
        --variant base --variant 'knn-hl365:neighbour_half_life=365.0'

Each variant's runs are saved in ``benchmarks/forward.py``'s format
(``W/scores-<variant>-<protocol>.json``), so ``forward.py recut --scores`` cuts them at
other threshold policies; the figures of every policy go to ``W/<variant>-<protocol>.json``.
A variant may also change a TF-IDF field (``relevance_c=3.0``): its TF-IDF stage is then
fitted again, under its own key.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import hashlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np

from hfm_bot import config as config_file
from hfm_bot.classifier import embeddings, encoder, evaluation, forward, training
from hfm_bot.classifier.model import TitleRule
from hfm_bot.classifier.recipe import TrainingConfig
from hfm_bot.classifier.training_data import TrainingData, weighted_by_age
from hfm_bot.classifier.two_stage import Classifier
from hfm_bot.retrain import Inputs, load_data, recipe, title_rule

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script from a clone
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks is at the root

from benchmarks import forward as bench  # the policies, their cut and their files

AFTER_TFIDF = {
    "head_c", "shortlist_recall", "min_scored", "blend_weights", "neighbour_ks",
    "neighbour_mixes", "threshold_recent_days", "neighbour_half_life", "neighbour_sides",
    "threshold_lower_of_both",
}  # fmt: skip
"""Recipe fields read only after the TF-IDF stage (its threshold aside: the TF-IDF model's
own threshold is the fallback when the encoder cannot run, and no figure here reads it)."""


def tfidf_key(data: TrainingData, config: TrainingConfig, what: str) -> str:
    fields = [
        (f.name, repr(getattr(config, f.name)))
        for f in dataclasses.fields(config)
        if f.name not in AFTER_TFIDF
    ]
    body = json.dumps([list(map(list, data.inputs)), fields, what])
    return hashlib.sha256(body.encode()).hexdigest()[:16]


T = TypeVar("T")

_FITS: dict[str, object] = {}
"""The TF-IDF fits of this run, by key. Kept in memory, not on disk: a fit holds a model,
and the project never loads a model from a pickle (pass every variant to one run)."""


def kept(key: str, make: Callable[[], T]) -> T:
    """``make()``'s result, computed the first time ``key`` is asked for in this run."""
    if key not in _FITS:
        start = time.perf_counter()
        _FITS[key] = make()
        print(f"  fitted {key} in {time.perf_counter() - start:.0f} s", flush=True)
    return cast(T, _FITS[key])


AT_LOAD = {"background_weight", "background_max", "title_only_weight", "seed"}
"""Recipe fields read when the training data is loaded (the rows' weights, the background
sample), once per run with the configured recipe: a variant of one would change nothing
(a ``background_weight`` variant gave the base figures back exactly), so it is refused.
Measure them with ``[training]`` in a configuration of their own (``--config``)."""


def parse_variant(text: str) -> tuple[str, dict[str, Any]]:
    name, _, spec = text.partition(":")
    changes: dict[str, Any] = {}
    for part in filter(None, spec.split(";")):
        key, _, value = part.partition("=")
        changes[key.strip()] = ast.literal_eval(value.strip())
    if AT_LOAD & set(changes):
        raise SystemExit(
            f"variant {name!r}: {', '.join(sorted(AT_LOAD & set(changes)))} is read when the "
            "data is loaded, before any variant: give it in a configuration's [training] "
            "table (--config) instead"
        )
    return name, changes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--protocols", default="loo,forward")
    parser.add_argument("--variant", action="append", default=[])
    parser.add_argument("--last", type=int, default=18)
    parser.add_argument("--every", type=int, default=3)
    parser.add_argument("--config", default="hfm-bot.toml")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    settings = config_file.load(Path(args.config))
    inputs = Inputs()
    data = load_data(inputs, settings)
    base = recipe(inputs, settings)
    labels = [s.label for s in settings.sections]
    enc = encoder.Encoder.load(encoder.MINILM, None)
    cache = embeddings.EmbeddingCache(embeddings.default_cache_dir(), enc.spec)
    rule = title_rule(settings)
    variants = [parse_variant(v) for v in args.variant or ["base"]]
    for name, changes in variants:
        cfg = dataclasses.replace(base, **changes)
        for protocol in args.protocols.split(","):
            start = time.perf_counter()
            if protocol == "loo":
                runs, extra = loo(data, labels, rule, cfg, enc, cache, args.work)
            else:
                runs, extra = forward_runs(data, labels, rule, cfg, enc, cache, args)
            cache.save()
            bench.save_runs(runs, args.work / f"scores-{name}-{protocol}.json")
            ns = argparse.Namespace(
                mode=protocol, every=args.every, last=args.last,
                label_half_life=cfg.label_half_life,
                vocabulary_recent_days=None, vocabulary_recent_copies=None, idf_recent_days=None,
                out=args.work / f"{name}-{protocol}.json",
            )  # fmt: skip
            print(f"== {name} {protocol} {changes} ({extra})", flush=True)
            bench.report_runs(runs, ns, start)


def loo(
    data: TrainingData,
    labels: list[str],
    rule: TitleRule | None,
    cfg: TrainingConfig,
    enc: encoder.Encoder,
    cache: embeddings.EmbeddingCache,
    work: Path,
) -> tuple[bench.Runs, str]:
    weighted = weighted_by_age(data, cfg.label_half_life)
    key = tfidf_key(data, cfg, "loo")
    fit = kept(
        f"tfidf-train-{key}",
        lambda: training.train_tfidf(weighted, labels, rule, cfg),
    )
    m, oof, folds = kept(
        f"tfidf-loo-{key}",
        lambda: evaluation.leave_one_day_out(data, labels, title_rule=rule, config=cfg),
    )
    trained = training.with_encoder_stage(weighted, fit, enc, cache, cfg)
    model = Classifier(trained.model, trained.head, enc, cache)
    scored, _ = evaluation.blended_stages(data, m, oof, folds, model, cache, cfg)
    head = trained.head
    assert head is not None
    n = head.neighbours
    extra = (
        f"weight {head.weight:.2f}, k {n.k if n else '-'}, mix {n.mix if n else 0}, "
        f"threshold {head.threshold:.3f}"
    )
    ids = np.array([m.ids[i] or "" for i in oof.rows], dtype=object)
    np.savez(
        work / f"loo-rows-{key}-{cfg.neighbour_half_life}.npz",
        ids=ids.astype(str), score=scored.score, kind=scored.kind.astype(str),
        relevant=scored.relevant, group=scored.group.astype(str),
    )  # fmt: skip
    return [(scored, bench.policies(trained))], extra


def forward_runs(
    data: TrainingData,
    labels: list[str],
    rule: TitleRule | None,
    cfg: TrainingConfig,
    enc: encoder.Encoder,
    cache: embeddings.EmbeddingCache,
    args: argparse.Namespace,
) -> tuple[bench.Runs, str]:
    runs: bench.Runs = []
    chosen: list[str] = []

    def fit(past: TrainingData) -> training.TrainResult:
        weighted = weighted_by_age(past, cfg.label_half_life)
        newest = max(ex.date for ex in past.examples if ex.date)
        key = tfidf_key(past, cfg, f"forward-{newest}-{len(past.examples)}")
        tf = kept(
            f"tfidf-fwd-{key}",
            lambda: training.train_tfidf(weighted, labels, rule, cfg),
        )
        trained = training.with_encoder_stage(weighted, tf, enc, cache, cfg)
        h = trained.head
        if h is not None:
            n = h.neighbours
            chosen.append(f"{h.weight:.2f}/{n.k if n else '-'}/{n.mix if n else 0}")
        return trained

    def done(run: forward.BlockRun) -> None:
        runs.append((run.scored, bench.policies(run.trained)))

    forward.evaluate(
        data, labels, last=args.last, every=args.every, encoder=enc, cache=cache,
        title_rule=rule, config=cfg, on_block=done, fit=fit,
    )  # fmt: skip
    return runs, "weight/k/mix per block: " + " ".join(chosen)


if __name__ == "__main__":
    main()
