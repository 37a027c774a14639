"""Threshold policies and recipes measured forward and leave one day out (issue #24, item 3:
a threshold that keeps recall when the field moves; recent labels counting more).

Forward: the last ``--last`` judged days, one model per ``--every`` days trained only on
what is dated before them (:mod:`hfm_bot.classifier.forward`, the code of
``hfm-bot evaluate --forward``). Leave one day out: one model trained on all the data (its
threshold chosen as ``train`` chooses it), each judged day scored by a model trained without
it (:func:`hfm_bot.classifier.evaluation.cross_validated_stages`, the code of
``hfm-bot evaluate``). Each run is cut, without training again, at the threshold of every
policy, each computed from the same training's out-of-fold scores:

* ``stored``: the F1-best on all judged days (today's recipe);
* ``recentN``: the F1-best on the N most recent judged days only
  (:func:`hfm_bot.classifier.training.recent_threshold`, the recipe's
  ``threshold_recent_days``);
* ``rankR``: a night's rank blended in: each day proposes at least its top
  ceil(R x share x papers), share being the relevant share of the training's judged days
  (the threshold lowered to that paper's score where it is higher).

* ``recentN+rankR``: both: the recent days' threshold, each day at least its top
  ceil(R x share x papers).

Recipes (``--label-half-life``, ``--vocabulary-recent-days``, ``--idf-recent-days``) change
the training itself, so each is its own run.

    python benchmarks/forward.py forward --every 3 [--label-half-life 60] --out F.json
    python benchmarks/forward.py loo [--idf-recent-days 90] --out L.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from hfm_bot import config as config_file
from hfm_bot.classifier import embeddings, encoder, evaluation, figures, forward, training
from hfm_bot.classifier.figures import Scored
from hfm_bot.classifier.recipe import TrainingConfig
from hfm_bot.classifier.two_stage import Classifier
from hfm_bot.labelled import Kind
from hfm_bot.retrain import Inputs, load_data, recipe, title_rule

RECENT = (6, 9, 12)
RANKS = (0.8, 1.0, 1.2)
COMBINED = ((6, 0.8), (6, 1.0), (12, 0.8), (12, 1.0))
"""recentN together with rankR: the recent days' threshold, each night at least its top
R x share."""

Runs = list[tuple[Scored, dict[str, tuple[float, float | None]]]]
"""Each training's scored rows and its policies (threshold, share)."""


def policies(trained: training.TrainResult) -> dict[str, tuple[float, float | None]]:
    """Each policy's threshold and, for the rank policies, the share of a night it proposes
    at least (None: a fixed threshold)."""
    m, oof = trained.matrix, trained.oof
    kinds, groups, relevant = m.kinds[oof.rows], m.groups[oof.rows], m.relevant[oof.rows]
    out: dict[str, tuple[float, float | None]] = {"stored": (trained.threshold, None)}
    judged = kinds == Kind.JUDGED
    out["all"] = (figures.best_f1_threshold(relevant[judged], oof.score[judged]), None)
    for n in RECENT:
        out[f"recent{n}"] = (
            training.recent_threshold(kinds, groups, relevant, oof.score, n),
            None,
        )
        out[f"lower{n}"] = (min(out["all"][0], out[f"recent{n}"][0]), None)
    share = float(relevant[kinds == Kind.JUDGED].mean())
    for r in RANKS:
        out[f"rank{r}"] = (trained.threshold, r * share)
    for n, r in COMBINED:
        out[f"recent{n}+rank{r}"] = (out[f"recent{n}"][0], r * share)
    return out


def cut(parts: Sequence[tuple[Scored, float, float | None]]) -> figures.Report:
    """The report of scored parts, each cut at its own threshold (and, with a share, each
    day at least its top share): every row shifted so that its own cut sits at the parts'
    mean threshold, as :mod:`hfm_bot.classifier.forward` does."""
    shifted, cuts = [], []
    for scored, threshold, share in parts:
        row_cut = np.full(len(scored.score), threshold)
        if share is not None:
            for day in set(scored.group[scored.kind == Kind.JUDGED]):
                rows = (scored.group == day) & (scored.kind == Kind.JUDGED)
                k = max(1, math.ceil(share * int(rows.sum())))
                kth = float(np.sort(scored.score[rows])[::-1][k - 1])
                row_cut[rows] = min(threshold, kth)
        cuts.append(threshold)
        shifted.append((scored, row_cut))
    offset = float(np.mean(cuts))

    def cat(name: str) -> np.ndarray:
        return np.concatenate([getattr(s, name) for s, _ in shifted])

    joined = Scored(
        kind=cat("kind"),
        group=cat("group"),
        relevant=cat("relevant"),
        section=cat("section"),
        score=np.concatenate([s.score - c + offset for s, c in shifted]),
        predicted_section=cat("predicted_section"),
    )
    return figures.report(joined, offset)


def save_runs(runs: Runs, path: Path) -> None:
    """Each run's scored rows and policies, so that other policies can be cut from them
    later without training again (``recut``)."""
    fields = ("kind", "group", "relevant", "section", "score", "predicted_section")
    out = [
        {
            "scored": {f: [_plain(v) for v in getattr(s, f)] for f in fields},
            "policies": {name: list(p) for name, p in pol.items()},
        }
        for s, pol in runs
    ]
    path.write_text(json.dumps(out) + "\n", encoding="utf-8")


def _plain(v: object) -> object:
    if isinstance(v, np.generic):
        return v.item()
    return str(v) if isinstance(v, Kind) else v


def load_runs(path: Path) -> Runs:
    """The runs :func:`save_runs` wrote, with every combination of a recent-days threshold
    and a rank share (``recent{N}+rank{R}``) among their policies."""
    runs: Runs = []
    for rec in json.loads(path.read_text(encoding="utf-8")):
        s = rec["scored"]
        scored = Scored(
            kind=np.array([Kind(k) for k in s["kind"]], dtype=object),
            group=np.array(s["group"], dtype=object),
            relevant=np.array(s["relevant"], dtype=bool),
            section=np.array(s["section"], dtype=object),
            score=np.array(s["score"], dtype=np.float64),
            predicted_section=np.array(s["predicted_section"], dtype=object),
        )
        pol = {
            name: (float(t), None if r is None else float(r))
            for name, (t, r) in rec["policies"].items()
        }
        share = pol["rank1.0"][1]
        assert share is not None
        for name, (t, r) in list(pol.items()):
            if r is None and name.startswith("recent"):
                for rank in (*RANKS, 0.6):
                    pol[f"{name}+rank{rank}"] = (t, rank * share)
        for rank in (0.6, 0.9, 1.1):
            pol.setdefault(f"rank{rank}", (pol["stored"][0], rank * share))
        runs.append((scored, pol))
    return runs


def row(name: str, report: figures.Report) -> dict[str, float | None]:
    o = report.overall
    assert o is not None
    return {
        "f1": o.f1,
        "precision": o.precision,
        "recall": o.recall,
        "average_precision": o.average_precision,
        "section_accuracy": o.section_accuracy,
        "curated_recall": o.curated_recall,
        "proposals_per_day": o.proposals_per_day,
        "mean_daily_f1": o.mean_daily_f1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=("forward", "loo", "recut"))
    parser.add_argument(
        "--scores", type=Path, help="forward/loo: save the scored rows here; recut: read them"
    )
    parser.add_argument("--last", type=int, default=18)
    parser.add_argument("--every", type=int, default=3)
    parser.add_argument("--label-half-life", type=float, default=None)
    parser.add_argument("--threshold-recent-days", type=int, default=None)
    parser.add_argument("--vocabulary-recent-days", type=int, default=None)
    parser.add_argument("--vocabulary-recent-copies", type=int, default=3)
    parser.add_argument("--idf-recent-days", type=int, default=None)
    parser.add_argument("--config", default="hfm-bot.toml")
    parser.add_argument("--out", required=True, help="the figures of every policy, as JSON")
    args = parser.parse_args()
    start = time.perf_counter()
    if args.mode == "recut":
        report_runs(load_runs(args.scores), args, start)
        return
    settings = config_file.load(Path(args.config))
    inputs = Inputs()
    data = load_data(inputs, settings)
    cfg: TrainingConfig = dataclasses.replace(
        recipe(inputs, settings),
        label_half_life=args.label_half_life,
        threshold_recent_days=args.threshold_recent_days,
        vocabulary_recent_days=args.vocabulary_recent_days,
        vocabulary_recent_copies=args.vocabulary_recent_copies,
        idf_recent_days=args.idf_recent_days,
    )
    labels = [s.label for s in settings.sections]
    enc = encoder.Encoder.load(encoder.MINILM, None)
    cache = embeddings.EmbeddingCache(embeddings.default_cache_dir(), enc.spec)
    rule = title_rule(settings)
    runs: Runs = []
    if args.mode == "forward":

        def done(run: forward.BlockRun) -> None:
            runs.append((run.scored, policies(run.trained)))
            cache.save()
            print(f"block {run.block.days[0]}: {time.perf_counter() - start:.0f} s", flush=True)

        forward.evaluate(
            data, labels, last=args.last, every=args.every, encoder=enc, cache=cache,
            title_rule=rule, config=cfg, on_block=done,
        )  # fmt: skip
    else:
        trained = training.train(data, labels, enc, cache, rule, cfg)
        model = Classifier(trained.model, trained.head, enc, cache)
        scored, _ = evaluation.cross_validated_stages(data, labels, model, cache, cfg)
        runs.append((scored, policies(trained)))
        cache.save()
    if args.scores is not None:
        save_runs(runs, args.scores)
    report_runs(runs, args, start)


def report_runs(runs: Runs, args: argparse.Namespace, start: float) -> None:
    """Cut the runs at every policy; write the table (JSON) and print it."""
    names = list(runs[0][1])
    table = {name: row(name, cut([(s, *p[name]) for s, p in runs])) for name in names}
    thresholds = {name: [p[name][0] for _, p in runs] for name in names}
    result = {
        "mode": args.mode,
        "every": args.every,
        "last": args.last,
        "label_half_life": args.label_half_life,
        "vocabulary_recent_days": args.vocabulary_recent_days,
        "vocabulary_recent_copies": args.vocabulary_recent_copies,
        "idf_recent_days": args.idf_recent_days,
        "seconds": round(time.perf_counter() - start),
        "figures": table,
        "thresholds": thresholds,
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for name, f in table.items():
        cells = " ".join(f"{k} {'-' if v is None else f'{v:.3f}'}" for k, v in f.items())
        print(f"{name:<17} {cells}")


if __name__ == "__main__":
    main()
